"""The malformed-input corpus: every bad bank or lesson gets `file:line: message` lines and
exit status 1 or 2 from the real `quiz validate`, never a traceback, never runs anything,
and stays within a fixed memory limit.

The small cases are files under tests/malformed/, listed with the message each must
produce in tests/malformed/cases.tsv. Cases that are large or binary (50 MB files, 30 MB
of values, 100,000 nested brackets, UTF-16, Latin-1, truncated multi-byte characters…) are
written at test time into a temporary directory.
"""
from __future__ import annotations

import gzip
import os
import random
import re
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "malformed"
QUIZ = str(Path(sys.executable).with_name("quiz"))
MEMORY_LIMIT = 1024 * 2**20   # address space of the child: well below what the old loader needed
MAX_RSS = 512 * 2**20          # and its peak resident memory must stay under this


@dataclass
class Case:
    file: str
    status: int
    line: int  # 0: any line
    fragment: str
    what: str


def read_cases() -> list[Case]:
    rows = []
    for raw in (CORPUS / "cases.tsv").read_text(encoding="utf-8").splitlines():
        if raw.startswith("#") or not raw.strip():
            continue
        file, status, line, fragment, what = raw.split("\t")
        rows.append(Case(file, int(status), int(line), fragment, what))
    return rows


CASES = read_cases()


@dataclass
class Run:
    status: int
    stdout: str
    stderr: str
    maxrss: int  # bytes


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_validate(path: Path, cwd: Path) -> Run:
    """The installed console script, in a child process with a memory limit; its peak RSS.
    `cwd` is outside `path`'s directory, so the file is named by its full path."""
    env = dict(os.environ, QUIZ_COURSE_ROOT=str(ROOT), COLUMNS="200")
    out, err = cwd / ".stdout", cwd / ".stderr"
    with open(out, "wb") as fo, open(err, "wb") as fe:
        proc = subprocess.Popen([QUIZ, "validate", str(path)], cwd=cwd, env=env, stdout=fo, stderr=fe,
                                preexec_fn=_limit_memory)
        _, wait_status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(wait_status)
    stdout, stderr = out.read_text(errors="replace"), err.read_text(errors="replace")
    out.unlink()
    err.unlink()
    return Run(proc.returncode, stdout, stderr, usage.ru_maxrss * 1024)


def check_refused(run: Run, path: Path, statuses=(1, 2), fragment: str = "", line: int = 0) -> list[str]:
    """What every malformed input must get; returns the problem lines."""
    both = run.stdout + run.stderr
    assert "Traceback" not in both and "Error:" not in run.stderr.replace("error:", ""), both[-2000:]
    assert run.status in statuses, f"exit {run.status}: {both[-2000:]}"
    assert run.maxrss < MAX_RSS, f"peak memory {run.maxrss / 2**20:.0f} MB"
    problems = [li for li in run.stdout.splitlines() if li.strip()]
    assert problems, both
    for li in problems:  # one problem, one line: file:line: message
        assert re.fullmatch(rf"{re.escape(str(path))}:\d+: \S.*", li), li
    summary = [li for li in run.stderr.splitlines() if li.strip()]
    assert len(summary) == 1 and re.fullmatch(r"\d+ banks, \d+ lessons, \d+ questions: \d+ problems", summary[0]), run.stderr
    hits = [li for li in problems if fragment in li and (not line or li.startswith(f"{path}:{line}: "))]
    assert hits, f"expected line {line or 'any'} with {fragment!r}, got:\n" + "\n".join(problems)
    return problems


def test_corpus_is_listed_and_large_enough():
    files = {p.name for p in CORPUS.iterdir() if p.name != "cases.tsv"}
    listed = [c.file for c in CASES]
    assert len(listed) == len(set(listed)), "a file is listed twice in cases.tsv"
    assert files == set(listed), f"unlisted: {files - set(listed)}; missing: {set(listed) - files}"
    assert len(CASES) >= 40
    assert sum(c.file.endswith(".md") for c in CASES) >= 15 and sum(c.file.endswith(".yaml") for c in CASES) >= 40
    assert all(c.status in (1, 2) and c.fragment and c.what for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_corpus_file_is_refused_with_its_message(case, tmp_path):
    path = CORPUS / case.file
    run = run_validate(path, tmp_path)
    check_refused(run, path, (case.status,), case.fragment, case.line)
    assert list(tmp_path.iterdir()) == [], "validating wrote a file: something in it was executed"


# -- generated at test time: too large or too binary to commit --------------------------

def _bank_text() -> str:
    return (ROOT / "quizzes" / "examples" / "example-lawfare.yaml").read_text(encoding="utf-8")


def _lesson_text() -> str:
    return (ROOT / "lessons" / "examples" / "example-lawfare.md").read_text(encoding="utf-8")


def _flat_values(n_bytes: int) -> bytes:
    body = b"a," * (n_bytes // 2 - 2)
    return b"[" + body + b"a]\n"


GENERATED = {
    # name: (file name, content factory, status, line, fragment)
    "50 MB bank": ("huge.yaml", lambda: (_bank_text() * (50 * 2**20 // len(_bank_text()) + 1)).encode(), 2, 0,
                   "MB; the limit is 32 MB"),
    "50 MB lesson": ("huge.md", lambda: ("---\nlesson: huge\n---\n" + "word " * (10 * 2**20)).encode(), 2, 0,
                     "MB; the limit is 32 MB"),
    "31 MB of values under the size limit": ("values.yaml", lambda: _flat_values(31 * 2**20), 2, 1,
                                             "the file holds more than 2,000,000 values"),
    "31 MB of values in a lesson's front matter": (
        "values.md", lambda: b"---\nlesson: values\nkey_terms: " + _flat_values(31 * 2**20 - 200) + b"---\nbody\n",
        2, 3, "the file holds more than 2,000,000 values"),
    "100,000 nested brackets": ("brackets.yaml", lambda: b"bank: " + b"[" * 100_000 + b"]" * 100_000 + b"\n", 2, 1,
                                ""),  # any message: the YAML parser may stop it before the project does
    "a million nested block sequences on one line": ("dashes.yaml", lambda: b"- " * 1_000_000 + b"x\n", 2, 1,
                                                     "nested too deeply"),
    "random binary": ("random.yaml", lambda: random.Random(7).randbytes(65536), 2, 1,
                      "looks binary"),
    "a PNG image": ("image.yaml", lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), 2, 1, "looks binary"),
    "a gzipped bank": ("gzipped.yaml", lambda: gzip.compress(_bank_text().encode(), mtime=0), 2, 1, ""),
    "UTF-16 with a BOM": ("utf16.yaml", lambda: _bank_text().encode("utf-16"), 2, 1, "looks binary (or UTF-16)"),
    "UTF-16 without a BOM": ("utf16le.yaml", lambda: _bank_text().encode("utf-16-le"), 2, 1, "looks binary"),
    "UTF-32": ("utf32.yaml", lambda: _bank_text().encode("utf-32"), 2, 1, "looks binary"),
    "Latin-1": ("latin1.yaml", lambda: "bank: latin1\ntitle: Caf\xe9 society\n".encode("latin-1"), 2, 2,
                "not valid UTF-8 (byte 0xe9)"),
    "Windows-1252 curly quotes": ("cp1252.yaml", lambda: "bank: cp1252\ntitle: x\nsource: \u201cnbr\u201d\n".encode("cp1252"),
                                  2, 3, "not valid UTF-8 (byte 0x93)"),
    "a multi-byte character cut in half": ("cut.yaml", lambda: "bank: cut\ntitle: \u201cquoted\u201d".encode()[:-2], 2, 2,
                                           "not valid UTF-8"),
    "a lesson in Latin-1": ("latin1.md", lambda: _lesson_text().replace("Example lesson", "Le\xe7on").encode("latin-1",
                                                                                                           "replace"),
                            2, 3, "not valid UTF-8"),
    "a binary lesson": ("binary.md", lambda: b"---\n\x00\x01\x02" + bytes(range(256)), 2, 1, "looks binary"),
    "a front matter of 100,000 nested brackets": (
        "brackets.md", lambda: b"---\nlesson: " + b"[" * 100_000 + b"]" * 100_000 + b"\n---\nbody\n", 2, 2,
        ""),
    "a front matter nested 200 deep": (
        "deep.md", lambda: b"---\nlesson: " + b"[" * 200 + b"]" * 200 + b"\n---\nbody\n", 2, 2,
        "nested too deeply"),
}


@pytest.mark.parametrize("name", GENERATED)
def test_generated_bad_input_is_refused(name, tmp_path):
    file, make, status, line, fragment = GENERATED[name]
    work = tmp_path / "in"
    work.mkdir()
    path = work / file
    path.write_bytes(make())
    run = run_validate(path, _cwd(tmp_path))
    check_refused(run, path, (status,), fragment, line)
    assert run.status >= 0, "killed by a signal"


def _cwd(tmp_path: Path) -> Path:
    cwd = tmp_path / "cwd"
    cwd.mkdir(exist_ok=True)
    return cwd


def _cut_points(text: str, count: int) -> list[int]:
    """Offsets a few characters into the prompts of several questions: the bank stops there."""
    starts = [m.end() for m in re.finditer(r"\n    prompt: ", text)]
    picked = starts[:: max(1, len(starts) // count)][:count]
    return [p + 7 for p in picked]


@pytest.mark.parametrize("bank", ["nbr-03", "carter-01", "basc-02"])
def test_real_banks_truncated_mid_question(bank, tmp_path):
    text = (ROOT / "quizzes" / f"{bank}.yaml").read_text(encoding="utf-8")
    work = tmp_path / "in"
    work.mkdir()
    for n, cut in enumerate(_cut_points(text, 3)):
        path = work / f"{bank}.yaml"
        path.write_text(text[:cut], encoding="utf-8")
        run = run_validate(path, _cwd(tmp_path))
        problems = check_refused(run, path)
        # the cut question is reported, at or after its own first line
        cut_line = text[:cut].count("\n") + 1
        assert any(int(li.split(":")[1]) >= cut_line - 3 for li in problems), (n, problems)
