"""A quiz session, independent of how questions are shown: plan, ask, grade, save, sum up.

The terminal front end (terminal.py) and answers read from a file both drive this one
loop, so `quiz take --answers` grades exactly as the interactive quiz does.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from quiz import model
from quiz.course.bank import load_bank
from quiz.course.index import find_question
from quiz.course.selection import Filters, resolve_bank_path, select, shuffled_order
from quiz.course.sheets import KeyItem, load_sheet
from quiz.errors import InputError, display_path
from quiz.study.attempts import Store, now


@dataclass
class Plan:
    title: str
    items: list[KeyItem]
    files: dict[str, str]  # question id -> bank file
    seed: int | None = None
    time_limit: float | None = None  # minutes
    sources: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"title": self.title, "seed": self.seed, "time_limit": self.time_limit, "sources": self.sources,
                "items": [{"id": it.question.id, "file": self.files.get(it.question.id, ""), "order": it.order}
                          for it in self.items]}

    @classmethod
    def from_json(cls, data: dict) -> "Plan":
        items, files = [], {}
        for n, entry in enumerate(data["items"], 1):
            q = find_question(entry["id"], entry.get("file"))
            if q is None:
                raise InputError(entry.get("file") or "quizzes/", 0,
                                 f"question {entry['id']} of the unfinished attempt is no longer in any bank")
            items.append(KeyItem(n, q, list(entry.get("order", []))))
            files[q.id] = entry.get("file", "")
        return cls(data["title"], items, files, data.get("seed"), data.get("time_limit"), data.get("sources", []))


def plan_from_banks(refs: list[str], count: int | None, seed: int, filters: Filters | None = None) -> Plan:
    paths_ = [resolve_bank_path(r) for r in refs]
    banks = [load_bank(p) for p in paths_]
    for b in banks:  # practice grades by rule: essays, which a person marks, are left out
        b.questions = [q for q in b.questions if q.type not in model.MARKED_TYPES]
    files = {q.id: str(p) for b, p in zip(banks, paths_) for q in b.questions}
    available = sum(1 for b in banks for q in b.questions if (filters or Filters()).keep(q))
    rng = random.Random(f"take:{seed}")
    chosen = select(banks, min(count or available, available) if available else 1, rng, filters or Filters())
    rng.shuffle(chosen)
    items = [KeyItem(n, q, shuffled_order(q, rng)) for n, q in enumerate(chosen, 1)]
    title = " + ".join(b.title for b in banks)
    return Plan(title, items, files, seed, None, [display_path(p) for p in paths_])


def plan_from_sheet(path: str | Path) -> Plan:
    """A student sheet from `quiz generate`: its questions, in its order and its choice order."""
    sheet = load_sheet(path)
    items, files = [], {}
    for entry in sheet["questions"]:
        q = find_question(str(entry.get("id")))
        if q is None:
            raise InputError(display_path(path), 0, f"question {entry.get('id')} of this sheet is in no bank under quizzes/")
        if q.type in model.MARKED_TYPES:  # an essay is marked by a person, not in the terminal
            continue
        shown = entry.get("choices") or entry.get("right") or entry.get("items") or {}
        texts = list(shown.values()) if isinstance(shown, dict) else list(shown)
        bank_texts = (q.texts if isinstance(q, model.ChoiceQuestion) else q.rights if isinstance(q, model.Matching)
                      else list(q.items) if isinstance(q, model.Ordering) else [])
        try:
            order = [bank_texts.index(t) for t in texts]
        except ValueError:
            raise InputError(display_path(path), 0, f"the sheet's choices for {q.id} differ from the bank; "
                             "regenerate the sheet") from None
        items.append(KeyItem(int(entry.get("number", len(items) + 1)), q, order))
    return Plan(str(sheet.get("title") or sheet["sheet"]), items, files, sheet.get("seed"), None, [display_path(path)])


class UI(Protocol):
    def ask(self, item: KeyItem, k: int, n: int, time_left: timedelta | None) -> Any: ...
    def feedback(self, item: KeyItem, grade: model.Grade, response: Any) -> None: ...
    def summary(self, summary: "Summary") -> None: ...


@dataclass
class Outcome:
    item: KeyItem
    score: float
    response: Any


@dataclass
class Summary:
    title: str
    outcomes: list[Outcome]
    total: int
    attempt_id: int
    timed_out: bool = False

    @property
    def score(self) -> float:
        return sum(o.score for o in self.outcomes)

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.total if self.total else 0.0

    def by_objective(self) -> list[tuple[str, str, float, int]]:
        """(bank, objective, score, questions) per objective, weakest first."""
        acc: dict[tuple[str, str], list[float]] = {}
        for o in self.outcomes:
            acc.setdefault((o.item.question.bank, o.item.question.objective), []).append(o.score)
        rows = [(b, obj, sum(s), len(s)) for (b, obj), s in acc.items()]
        return sorted(rows, key=lambda r: (r[2] / r[3], r[0], r[1]))

    def to_reread(self) -> list[model.Question]:
        return [o.item.question for o in self.outcomes if o.score < 1.0 - 1e-9]


def run(store: Store, plan: Plan, mode: str, ui: UI, attempt_id: int | None = None) -> Summary:
    """Ask every unanswered question of the plan, saving each answer as it is given."""
    from quiz.study.review import schedule_answer

    if attempt_id is None:
        attempt_id = store.start_attempt(mode, plan.title, {**plan.to_json(), "mode": mode})
        started = now()
    else:
        started = datetime.fromisoformat(store.attempt(attempt_id).started_at)
    answered = store.answered_positions(attempt_id)
    outcomes = [Outcome(plan.items[p], s, r) for p, (r, s) in sorted(answered.items()) if p < len(plan.items)]
    deadline = started + timedelta(minutes=plan.time_limit) if plan.time_limit else None
    timed_out = False
    for pos, item in enumerate(plan.items):
        if pos in answered:
            continue
        left = (deadline - now()) if deadline else None
        if left is not None and left.total_seconds() <= 0:
            timed_out = True
            break
        raw = ui.ask(item, pos + 1, len(plan.items), left)
        if deadline and now() > deadline:
            timed_out = True
            break
        grade = item.grade(raw)
        try:
            stored = item.to_bank_order(raw)
        except model.MalformedResponse:
            stored = raw
        q = item.question
        store.record_answer(attempt_id, pos, q.id, q.bank, q.objective, stored, grade.score)
        schedule_answer(store, q, grade.score)
        outcomes.append(Outcome(item, grade.score, raw))
        if mode in ("practice", "review"):
            ui.feedback(item, grade, raw)
    store.finish_attempt(attempt_id)
    summary = Summary(plan.title, outcomes, len(plan.items), attempt_id, timed_out)
    ui.summary(summary)
    return summary
