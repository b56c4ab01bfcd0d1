"""The set-up is reproducible: the environment is exactly the lock, and a dependency range
changed without re-locking stops `make` with a message saying what to run."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UV = ROOT / ".uv" / "bin" / "uv"


@pytest.fixture(scope="module")
def uv() -> Path:
    if not UV.is_file():
        pytest.fail(f"{UV} is missing: `make test` installs it from .ci/uv.txt")
    return UV


def test_the_test_environment_is_exactly_the_lock(uv):
    run = subprocess.run([uv, "sync", "--locked", "--extra", "test", "--dry-run", "--python", sys.executable],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "Would make no changes" in run.stderr + run.stdout, run.stderr


def test_a_range_changed_without_relocking_stops_make(uv, tmp_path):
    for name in ("Makefile", "pyproject.toml", "uv.lock", "README.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / ".ci").mkdir()
    shutil.copy(ROOT / ".ci" / "uv.txt", tmp_path / ".ci" / "uv.txt")
    (tmp_path / ".uv").symlink_to(ROOT / ".uv")
    shutil.copytree(ROOT / "tools" / "quiz", tmp_path / "tools" / "quiz", ignore=shutil.ignore_patterns("__pycache__"))
    ok = subprocess.run(["make", "-s", "-o", ".uv/bin/uv", "lock-check"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    pyproject = tmp_path / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    assert '"click>=8.1,<9"' in text
    pyproject.write_text(text.replace('"click>=8.1,<9"', '"click>=8.1.3,<9"'), encoding="utf-8")
    stale = subprocess.run(["make", "-s", "-o", ".uv/bin/uv", "lock-check"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert stale.returncode != 0
    assert "uv.lock does not match pyproject.toml: run 'make lock' and commit uv.lock." in stale.stderr
