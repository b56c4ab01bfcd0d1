"""Shared fixtures: the repository root, a CLI runner, and a way to write a bank to disk."""
from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("QUIZ_COURSE_ROOT", str(ROOT))


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def quiz(runner):
    """Run `quiz ARGS…` in-process and return the Click result."""
    from quiz.cli import cli

    def run(*args, **kwargs):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False, **kwargs)

    return run


@pytest.fixture
def write(tmp_path):
    """Write a dedented text (or bytes) file under tmp_path and return its path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        return path

    return _write


class Screen:
    """A program in a real pseudo-terminal, read through a terminal emulator (pyte): what the
    student sees is the screen's rows, not the raw bytes that drew them."""

    def __init__(self, args, env, rows=24, cols=80, history=2000):
        import pexpect
        import pyte

        self.screen = pyte.HistoryScreen(cols, rows, history=history)
        self.stream = pyte.ByteStream(self.screen)
        self.child = pexpect.spawn(args[0], list(args[1:]), env=env, timeout=30, dimensions=(rows, cols))

    def pump(self, timeout=0.1) -> bool:
        """Feed what the program wrote to the emulator; False once it has exited."""
        import pexpect

        try:
            self.stream.feed(self.child.read_nonblocking(65536, timeout=timeout))
        except pexpect.TIMEOUT:
            pass
        except pexpect.EOF:
            return False
        return True

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def scrollback(self) -> str:
        """Everything written since the start: the lines scrolled off the top, then the screen."""
        top = ["".join(ch.data for ch in (line[x] for x in range(self.screen.columns))).rstrip()
               for line in self.screen.history.top]
        return "\n".join(top + [self.text()])

    def wait_for(self, needle: str, timeout: float = 30, where=None) -> str:
        import time

        where = where or self.text
        end = time.monotonic() + timeout
        while needle not in where():
            if time.monotonic() > end:
                raise AssertionError(f"{needle!r} not on screen after {timeout}s:\n{where()}")
            if not self.pump():
                if needle in where():
                    break
                raise AssertionError(f"{needle!r} not on screen; the program ended:\n{where()}")
        return where()

    def settle(self, quiet: float = 0.5) -> str:
        """Read until the program has written nothing for `quiet` seconds; the screen then."""
        import time

        while True:
            before = self.text()
            end = time.monotonic() + quiet
            while time.monotonic() < end:
                self.pump(0.05)
            if self.text() == before:
                return before

    def send(self, line: str) -> None:
        self.child.sendline(line)

    def finish(self, timeout: float = 30) -> int:
        import time

        end = time.monotonic() + timeout
        while self.pump() and time.monotonic() < end:
            pass
        self.child.close()
        return self.child.exitstatus


@pytest.fixture
def terminal():
    """Start `quiz ARGS…` in an 80×24 pseudo-terminal: terminal(args, env) -> Screen."""
    started: list[Screen] = []

    def start(args, env, rows=24, cols=80):
        s = Screen(args, env, rows, cols)
        started.append(s)
        return s

    yield start
    for s in started:
        if s.child.isalive():
            s.child.terminate(force=True)
