"""Benchmark of the online book: a full build, a rebuild with nothing changed, and a
rebuild after editing one bank (the everyday case while writing questions).

Runs `quiz book build` as `make book` does, on a copy of the course in a temporary
directory, so the checkout's own book/ is left alone. Usage:

    .venv/bin/python benchmarks/bench_book.py [--json]
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
QUIZ = Path(sys.executable).with_name("quiz")


def _copy_course(dest: Path) -> None:
    for sub in ("sources", "lessons", "quizzes"):
        shutil.copytree(ROOT / sub, dest / sub)
    (dest / "book").mkdir()
    for f in (ROOT / "book").iterdir():
        if f.name in ("_build", "lessons", "sources", "generated"):
            continue
        (shutil.copytree if f.is_dir() else shutil.copy)(f, dest / "book" / f.name)


def _build(course: Path, *args: str) -> float:
    env = {**os.environ, "QUIZ_COURSE_ROOT": str(course)}
    start = time.perf_counter()
    proc = subprocess.run([str(QUIZ), "book", "build", *args], cwd=course, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"quiz book build failed:\n{proc.stdout}\n{proc.stderr}")
    return seconds


def _edit_one_bank(course: Path) -> str:
    bank = sorted((course / "quizzes").glob("*.yaml"))[0]
    data = yaml.safe_load(bank.read_text(encoding="utf-8"))
    data["questions"][0]["explanation"] += " (edited for the benchmark)"
    bank.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return bank.name


def run() -> list[dict]:
    """Time the three builds; one row per measurement."""
    with tempfile.TemporaryDirectory(prefix="bench-book-") as tmp:
        course = Path(tmp)
        _copy_course(course)
        lessons = len([p for p in (course / "lessons").glob("*.md") if p.name != "README.md"])
        full = _build(course, "--clean")
        noop = _build(course)
        bank = _edit_one_bank(course)
        edited = _build(course)
        pages = len(list((course / "book" / "_build" / "html").rglob("*.html")))
    base = {"baseline": "a full build (--clean)", "baseline_seconds": round(full, 3)}  # printed as a ratio by run.py
    return [
        {"benchmark": "book: full build (--clean)", "seconds": round(full, 2), "lessons": lessons, "html_pages": pages},
        {"benchmark": "book: rebuild, nothing changed", "seconds": round(noop, 3), **base,
         "ratio": round(noop / full, 2)},
        {"benchmark": f"book: rebuild after editing one bank ({bank})", "seconds": round(edited, 3), **base,
         "ratio": round(edited / full, 2)},
    ]


def main() -> None:
    rows = run()
    if "--json" in sys.argv:
        print(json.dumps(rows, indent=2))
        return
    for row in rows:
        extra = ", ".join(f"{k} {v}" for k, v in row.items() if k not in ("benchmark", "seconds"))
        print(f"{row['seconds']:8.2f} s  {row['benchmark']}" + (f"  ({extra})" if extra else ""))


if __name__ == "__main__":
    main()
