"""Quiz sheets (what students see and fill in) and answer keys (what instructors keep).

A sheet lists questions with their choices in the order one variant shows them and no
answers; its key records how that order maps back to the bank, the full questions, and
a fingerprint of the sheet so a response is never graded against another variant's key.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from quiz import model
from quiz.course.safeyaml import load_yaml
from quiz.course.serialize import question_from_dict
from quiz.errors import InputError, display_path
from quiz.model import LETTERS

SHEET_VERSION = 1


def fingerprint(sheet_questions: list[dict]) -> str:
    """A short hash of what a sheet shows: ids, prompts, and choice order."""
    blob = json.dumps(sheet_questions, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


@dataclass
class KeyItem:
    """One question of a key: the model question and the order the sheet shows it in."""

    number: int
    question: model.Question
    order: list[int] = field(default_factory=list)  # bank indices of choices / right items / items, as shown
    slot: int = 0  # drawn variants: the blueprint slot (the same across variants); 0 otherwise
    _grades: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def shown(self) -> list[str]:
        q = self.question
        if isinstance(q, model.ChoiceQuestion):
            return [q.choices[i].text for i in self.order]
        if isinstance(q, model.Matching):
            return [q.rights[i] for i in self.order]
        if isinstance(q, model.Ordering):
            return [q.items[i] for i in self.order]
        return []

    def to_bank_order(self, response: Any) -> Any:
        """Translate a response given against the sheet's order into the bank's order."""
        q = self.question
        if response is None or not self.order:
            return response
        shown = self.shown()
        if isinstance(q, model.Matching):
            return {q.lefts[li]: q.rights[ri] for li, ri in q.parse(response, shown).items()}
        if isinstance(q, model.Ordering):
            return [q.items[i] for i in q.parse(response, shown)]
        if isinstance(q, model.Single):
            values = response if isinstance(response, list) else [response]
            return [_unshuffle(v, shown) for v in values] if isinstance(response, list) else _unshuffle(response, shown)
        if isinstance(q, model.Multiple):
            return [_unshuffle(v, shown) for v in model._split_list(response)]
        return response

    def grade(self, response: Any) -> model.Grade:
        """Grade a response given in the sheet's terms. Grades are remembered per response:
        grading is deterministic, and most of a class gives one of a few answers."""
        k = response_key(response)
        if k is not None and k in self._grades:
            return self._grades[k]
        try:
            grade = self.question.grade(self.to_bank_order(response))
        except model.MalformedResponse as exc:
            grade = model.Grade(0.0, f"Could not read the answer: {exc}", malformed=True)
        if k is not None:
            self._grades[k] = grade
        return grade

    def correct_shown(self) -> Any:
        """The right answer in the sheet's terms (letters as shown)."""
        q = self.question
        if isinstance(q, model.Single):
            return LETTERS[self.order.index(q.correct_indices[0])]
        if isinstance(q, model.Multiple):
            return sorted(LETTERS[self.order.index(i)] for i in q.correct_indices)
        if isinstance(q, model.Matching):
            return [LETTERS[self.order.index(i)] for i in range(len(q.pairs))]
        if isinstance(q, model.Ordering):
            return [LETTERS[self.order.index(i)] for i in range(len(q.items))]
        return q.correct_response()


def response_key(raw: Any):
    """A hashable stand-in for a response, distinct for responses that could grade differently
    (1, 1.0, True and "1" are all different); None when there is none (nan, odd objects)."""
    if raw is None or isinstance(raw, (str, bool, int)):
        return (type(raw).__name__, raw)
    if isinstance(raw, float):
        return None if raw != raw else ("float", raw)
    if isinstance(raw, (list, dict)):
        try:
            return ("repr", repr(raw))  # exact for plain data: 1, '1', 1.0 and True differ
        except RecursionError:
            return None
    return None


def _unshuffle(value: Any, shown: list[str]) -> Any:
    """A letter or number refers to the sheet's order; give the choice's text instead."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and 1 <= value <= len(shown):
        return shown[value - 1]
    if isinstance(value, str) and len(value.strip()) == 1 and value.strip().upper() in LETTERS[: len(shown)]:
        return shown[LETTERS.index(value.strip().upper())]
    return value


@dataclass
class Key:
    sheet: str
    title: str
    seed: int
    variant: int
    fingerprint: str
    banks: list[dict]
    items: list[KeyItem]
    file: str = ""

    @cached_property
    def _by_ident(self) -> dict[str, KeyItem]:
        lookup = {str(it.number): it for it in self.items}
        lookup.update({it.question.id: it for it in self.items})
        return lookup

    @cached_property
    def points(self) -> float:
        """What the whole sheet is worth: the sum of its questions' points."""
        return float(sum(it.question.points for it in self.items))

    def item(self, ident: Any) -> KeyItem | None:
        """The item with this question id or sheet number."""
        return self._by_ident.get(str(ident))


def load_key(path: str | Path) -> Key:
    shown = display_path(path)
    loaded = load_yaml(path)
    d = loaded.data
    if not isinstance(d, dict) or "key" not in d or not isinstance(d.get("questions"), list):
        raise InputError(shown, 1, "not an answer key (written by `quiz generate`); expected 'key' and 'questions'")
    items = []
    try:
        for i, q in enumerate(d["questions"]):
            question = question_from_dict(q["question"], q.get("bank", ""), shown, loaded.line_of(("questions", i)))
            if any(it.question.id == question.id for it in items):
                raise InputError(shown, loaded.line_of(("questions", i)),
                                 f"question id '{question.id}' is in this key twice (its banks share ids); "
                                 "give the questions unique ids and generate the quiz again")
            items.append(KeyItem(int(q["number"]), question, list(q.get("order", [])), int(q.get("slot", 0))))
        return Key(d["key"], d.get("title", ""), int(d["seed"]), int(d["variant"]), str(d["fingerprint"]),
                   list(d.get("banks", [])), items, shown)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(shown, loaded.line_of(("questions",)), f"malformed answer key ({exc!r}); regenerate it") from None


def load_keys(path: str | Path) -> list[Key]:
    """One key file, or every key-*.yaml in a directory written by `quiz generate`."""
    p = Path(path)
    if p.is_dir():
        files = sorted(p.glob("key-*.yaml"))
        if not files:
            raise InputError(display_path(p), 0, "no key-*.yaml in this directory; pass a key written by `quiz generate`")
        return [load_key(f) for f in files]
    return [load_key(p)]


def load_sheet(path: str | Path) -> dict:
    """A student sheet (or a filled-in response), as data; checks it is one."""
    loaded = load_yaml(path)
    d = loaded.data
    if not isinstance(d, dict) or "sheet" not in d or not isinstance(d.get("questions"), list):
        raise InputError(display_path(path), 1, "not a quiz sheet (written by `quiz generate`); expected 'sheet' and 'questions'")
    return d
