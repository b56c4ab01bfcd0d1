"""Where the course lives: the repository root holding sources/, lessons/ and quizzes/."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=None)
def course_root() -> Path:
    """The course directory: $QUIZ_COURSE_ROOT, else the nearest parent of the working
    directory with sources/manifest.yaml, else the checkout this package lives in."""
    env = os.environ.get("QUIZ_COURSE_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if (candidate / "sources" / "manifest.yaml").is_file():
            return candidate
    return Path(__file__).resolve().parents[2]


def sources_dir() -> Path:
    return course_root() / "sources"


def lessons_dir() -> Path:
    return course_root() / "lessons"


def quizzes_dir() -> Path:
    return course_root() / "quizzes"


def schema_path() -> Path:
    return quizzes_dir() / "schema.json"
