"""A quiz session, independent of how questions are shown: plan, ask, grade, save, sum up.

The terminal front end (terminal.py) and answers read from a file both drive this one
loop, so `quiz take --answers` grades exactly as the interactive quiz does.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Protocol

from quiz import model
from quiz.course.bank import load_bank, require_unique_ids
from quiz.course.index import find_question
from quiz.course.selection import Filters, resolve_bank_path, select, shuffled_order
from quiz.course.sheets import KeyItem, load_sheet
from quiz.errors import InputError, display_path
from quiz.study.attempts import Store, now

MAX_MINUTES = 7 * 24 * 60  # the longest time limit: a week

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
        """The plan of a stored attempt. Raises InputError when the stored row is damaged."""
        try:
            return cls._from_json(data)
        except (KeyError, TypeError, ValueError, AttributeError):
            raise InputError("attempts database", 0, "the unfinished attempt's plan is damaged and cannot be "
                             "resumed; start a new quiz (`quiz take BANK`)") from None

    @classmethod
    def _from_json(cls, data: dict) -> "Plan":
        items, files = [], {}
        for n, entry in enumerate(data["items"], 1):
            q = find_question(entry["id"], entry.get("file"))
            if q is None:
                raise InputError(entry.get("file") or "quizzes/", 0,
                                 f"question {entry['id']} of the unfinished attempt is no longer in any bank")
            items.append(KeyItem(n, q, list(entry.get("order", []))))
            files[q.id] = entry.get("file", "")
        limit = data.get("time_limit")
        limit = float(limit) if isinstance(limit, (int, float)) and 0 < limit <= MAX_MINUTES else None
        return cls(str(data["title"]), items, files, data.get("seed"), limit, list(data.get("sources", [])))


def plan_from_banks(refs: list[str], count: int | None, seed: int, filters: Filters | None = None) -> Plan:
    paths_ = [resolve_bank_path(r) for r in refs]
    banks = [load_bank(p) for p in paths_]
    require_unique_ids(banks)
    for b in banks:  # practice grades by rule: essays, which a person marks, are left out
        b.questions = [q for q in b.questions if q.type not in model.MARKED_TYPES]
    files = {q.id: str(p) for b, p in zip(banks, paths_) for q in b.questions}
    available = sum(1 for b in banks for q in b.questions if (filters or Filters()).keep(q))
    rng = random.Random(f"take:{seed}")
    chosen = select(banks, min(count or available, available) if available else 1, rng, filters or Filters())
    rng.shuffle(chosen)
    title = " + ".join(b.title for b in banks)
    return plan_from_questions(title, chosen, rng, files, seed, [display_path(p) for p in paths_])


def plan_from_questions(title: str, questions: list[model.Question], rng: random.Random,
                        files: dict[str, str] | None = None, seed: int | None = None,
                        sources: list[str] | None = None) -> Plan:
    """A plan asking `questions` in turn, each with its choices, right-hand items or items
    shuffled as a sheet would show them: `take` and `review` build their cards here, so a
    card looks the same and letters mean the same in both (an ordering is never shown solved)."""
    items = [KeyItem(n, q, shuffled_order(q, rng)) for n, q in enumerate(questions, 1)]
    return Plan(title, items, files or {}, seed, None, sources or [])


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


class TimeUp(Exception):
    """Raised by a front end when the time limit runs out while it waits for the student."""


@dataclass
class Draft:
    """The parts of the current answer typed so far (cloze blanks, matching rows), saved as they
    are typed so that `--resume` after Ctrl-C or a closed terminal brings them back."""

    store: Store
    attempt_id: int
    position: int

    def parts(self) -> list:
        return self.store.draft(self.attempt_id, self.position)

    def keep(self, parts: list) -> None:
        self.store.save_draft(self.attempt_id, self.position, parts)


class UI(Protocol):
    """A front end. One that has a `draft` attribute is given the current question's Draft."""

    def ask(self, item: KeyItem, k: int, n: int, time_left: timedelta | None) -> Any: ...
    def feedback(self, item: KeyItem, grade: model.Grade, response: Any) -> None: ...
    def summary(self, summary: "Summary") -> None: ...


@dataclass
class Outcome:
    item: KeyItem
    score: float
    response: Any  # in the bank's order, as saved; None when there is no answer
    answered: bool = True  # False: skipped, or not reached before the time ran out


@dataclass
class Summary:
    title: str
    outcomes: list[Outcome]  # every question of the plan once time is up, in the plan's order
    total: int
    attempt_id: int
    timed_out: bool = False
    mode: str = "practice"
    late: bool = False  # an answer came after the time limit and was not counted

    @property
    def score(self) -> float:
        return sum(o.score for o in self.outcomes)

    @property
    def answered(self) -> int:
        return sum(1 for o in self.outcomes if o.answered)

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.total if self.total else 0.0

    def by_objective(self) -> list[tuple[str, str, float, int]]:
        """(bank, objective, score, questions) per objective, weakest first; a question left
        unanswered counts as wrong."""
        acc: dict[tuple[str, str], list[float]] = {}
        for o in self.outcomes:
            acc.setdefault((o.item.question.bank, o.item.question.objective), []).append(o.score)
        rows = [(b, obj, sum(s), len(s)) for (b, obj), s in acc.items()]
        return sorted(rows, key=lambda r: (r[2] / r[3], r[0], r[1]))

    def to_reread(self) -> list[model.Question]:
        return [o.item.question for o in self.outcomes if o.score < 1.0 - 1e-9]


def bank_order(item: KeyItem, raw: Any) -> Any:
    """A response given against the shown order, in the bank's order (the form that is saved)."""
    try:
        return item.to_bank_order(raw)
    except model.MalformedResponse:
        return raw


def run(store: Store, plan: Plan, mode: str, ui: UI, attempt_id: int | None = None,
        more: Callable[[list[Outcome]], list[KeyItem]] | None = None) -> Summary:
    """Ask every unanswered question of the plan, saving each answer as it is given.

    `more`, when given, is asked for further questions once the plan is done (a review
    session brings back the cards missed in it); it returns [] to end the session.
    """
    from quiz.study.review import schedule_answer

    if attempt_id is None:
        attempt_id = store.start_attempt(mode, plan.title, {**plan.to_json(), "mode": mode})
        started = now()
    else:
        try:
            started = datetime.fromisoformat(store.attempt(attempt_id).started_at)
        except (TypeError, ValueError):
            started = now()  # a damaged start time: the time limit counts from now
    answered = store.answered_positions(attempt_id)
    outcomes = {p: Outcome(plan.items[p], s, r, r is not None) for p, (r, s) in answered.items() if p < len(plan.items)}
    limited = plan.time_limit and math.isfinite(plan.time_limit) and 0 < plan.time_limit <= MAX_MINUTES
    deadline = started + timedelta(minutes=plan.time_limit) if limited else None
    timed_out = late = False
    pos = 0
    while pos < len(plan.items):
        item = plan.items[pos]
        if pos not in answered:
            left = (deadline - now()) if deadline else None
            if left is not None and left.total_seconds() <= 0:
                timed_out = True
                break
            if hasattr(ui, "draft"):
                ui.draft = Draft(store, attempt_id, pos)
            try:
                raw = ui.ask(item, pos + 1, len(plan.items), left)
            except TimeUp:
                timed_out = True
                break
            if deadline and now() > deadline:
                timed_out = late = True
                break
            grade = item.grade(raw)
            stored = bank_order(item, raw)
            q = item.question
            store.record_answer(attempt_id, pos, q.id, q.bank, q.objective, stored, grade.score)
            store.save_draft(attempt_id, pos, [])
            schedule_answer(store, q, grade.score)
            outcomes[pos] = Outcome(item, grade.score, stored, raw is not None)
            if mode in ("practice", "review"):
                try:
                    ui.feedback(item, grade, stored)
                except TimeUp:
                    timed_out = True
                    break
        pos += 1
        if pos == len(plan.items) and more is not None:
            plan.items.extend(more([outcomes[p] for p in sorted(outcomes)]))
    if timed_out:  # what was not answered in time counts as wrong, everywhere it is summed up
        for p, item in enumerate(plan.items):
            if p not in outcomes:
                q = item.question
                store.record_answer(attempt_id, p, q.id, q.bank, q.objective, None, 0.0)
                outcomes[p] = Outcome(item, 0.0, None, False)
    store.finish_attempt(attempt_id)
    summary = Summary(plan.title, [outcomes[p] for p in sorted(outcomes)], len(plan.items), attempt_id, timed_out,
                      mode, late)
    ui.summary(summary)
    return summary
