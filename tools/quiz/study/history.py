"""A past attempt seen again: each question with the answer given, in the order it was asked."""
from __future__ import annotations

from quiz.course.index import find_question
from quiz.course.sheets import KeyItem
from quiz.errors import InputError
from quiz.study.attempts import AttemptRow, Store
from quiz.study.session import Outcome, Plan


def attempt_outcomes(store: Store, attempt_id: int) -> tuple[AttemptRow, list[Outcome]]:
    """The attempt and one outcome per question asked (or planned, for an attempt cut short)."""
    row = store.attempt(attempt_id)
    if row is None:
        raise InputError(store.path, 0, f"there is no attempt {attempt_id}; `quiz history` lists them")
    plan = Plan.from_json(row.plan) if row.plan.get("items") else None
    items = list(plan.items) if plan else []
    given = {p: (qid, response, score) for p, qid, response, score in store.attempt_answers(attempt_id)}
    outcomes = []
    for pos in sorted(set(range(len(items))) | set(given)):
        item = items[pos] if pos < len(items) else None
        if pos in given:
            qid, response, score = given[pos]
            if item is None or item.question.id != qid:  # asked again in a review session
                q = find_question(qid)
                if q is None:
                    continue
                item = KeyItem(pos + 1, q, [])
            outcomes.append(Outcome(item, score, response, response is not None))
        elif item is not None:
            outcomes.append(Outcome(item, 0.0, None, False))
    return row, outcomes
