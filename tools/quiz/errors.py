"""Problems found in input files, and the one exception the CLI turns into exit status 2.

Every message a user sees names a file and a line, so errors are values carrying both,
not strings assembled at the point of failure.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, at one line (1-based; 0 when the whole file is at fault)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        # one problem, one line: a line break inside quoted input (a choice text, a key) is shown
        # as \n, and a control character (an escape sequence in a bank) as ?
        from quiz.neutralise import one_line

        return f"{one_line(self.file)}:{self.line}: {one_line(self.message)}"

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "message": self.message}


class InputError(Exception):
    """Input that cannot be read at all (binary, not UTF-8, not YAML…): exit status 2."""

    def __init__(self, file: str | Path, line: int, message: str):
        self.problem = Problem(str(file), line, message)
        super().__init__(str(self.problem))


def display_path(path: str | Path) -> str:
    """A path as the user should see it: relative to the working directory when inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a loop of symbolic links
        return str(p)
