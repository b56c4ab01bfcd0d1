"""A lesson's exercises and their solutions by label, so that a bank can set an exercise as an
essay question (`exercise: nbr-03-e2`): the exercise's text becomes the prompt and its
solution the model answer, the grader's notes."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from quiz.course.safeyaml import read_text

_OPEN = re.compile(r"^(`{3,}|:{3,})\{(exercise|solution)\}\s*(.*?)\s*$")
_OPTION = re.compile(r"^:([\w-]+):\s*(.*)$")


@dataclass(frozen=True)
class Exercise:
    label: str
    title: str
    text: str
    solution: str
    line: int


def _blocks(text: str):
    """(kind, argument, options, body, line) of each exercise or solution directive."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = _OPEN.match(lines[i].strip())
        if not m:
            i += 1
            continue
        fence, kind, arg, start = m.group(1), m.group(2), m.group(3), i + 1
        options: dict[str, str] = {}
        i += 1
        while i < len(lines) and (om := _OPTION.match(lines[i].strip())):
            options[om.group(1)] = om.group(2)
            i += 1
        body = []
        while i < len(lines) and lines[i].strip() != fence:
            body.append(lines[i])
            i += 1
        i += 1
        yield kind, arg, options, _unwrap("\n".join(body).strip()), start


def _unwrap(text: str) -> str:
    """Paragraphs on one line each (the Markdown source wraps them at ~90 columns)."""
    return "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip())


def lesson_exercises(path: str | Path) -> dict[str, Exercise]:
    found: dict[str, list] = {}
    solutions: dict[str, str] = {}
    for kind, arg, options, body, line in _blocks(read_text(Path(path), "lesson")):
        if kind == "exercise" and options.get("label"):
            found[options["label"]] = [arg, body, line]
        elif kind == "solution" and arg:
            solutions[arg] = body
    return {label: Exercise(label, title, body, solutions.get(label, ""), line)
            for label, (title, body, line) in found.items()}
