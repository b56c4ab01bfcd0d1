"""`quiz lint`: per-question rules, blind-strategy figures, silencing, exit codes and JSON."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_quiz(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    quiz = Path(sys.executable).parent / "quiz"
    return subprocess.run([str(quiz), *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_lint_on_the_course_runs_and_exits_0_without_strict():
    proc = run_quiz("lint")
    assert proc.returncode == 0, proc.stderr
    assert "course" in proc.stdout and "keys A/B/C/D" in proc.stdout
    report = json.loads(run_quiz("lint", "--json").stdout)
    assert report["course"]["questions"] == sum(b["questions"] for b in report["banks"])
    assert report["exit_code"] == 0
