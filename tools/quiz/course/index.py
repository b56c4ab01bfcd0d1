"""Find any question of the course by id, for sheets, resumed attempts and reviews."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from quiz import model, paths
from quiz.course.bank import load_bank
from quiz.errors import InputError


@lru_cache(maxsize=None)
def bank_at(path: str) -> model.Bank:
    return load_bank(Path(path))


def all_bank_paths() -> list[Path]:
    root = paths.quizzes_dir()
    return sorted(root.glob("*.yaml")) + sorted((root / "examples").glob("*.yaml"))


def find_question(question_id: str, hint: str | None = None) -> model.Question | None:
    """The question with this id, looking first in the bank file `hint`, then in every bank."""
    candidates = ([Path(hint)] if hint and Path(hint).exists() else []) + all_bank_paths()
    for path in candidates:
        try:
            bank = bank_at(str(path))
        except InputError:
            continue
        for q in bank.questions:
            if q.id == question_id:
                return q
    return None


def objective_text(bank_id: str, objective: str) -> str:
    for path in all_bank_paths():
        if path.stem == bank_id:
            try:
                return bank_at(str(path)).objectives.get(objective, "")
            except InputError:
                return ""
    return ""
