"""Spaced review with FSRS (the `fsrs` package): every answered question gets a card.

Each answer, in `quiz take` or `quiz review`, rates the card: full credit is Good,
partial credit Hard, no credit Again. Intervals are whole days: there are no
minute-long learning steps, which suit flashcard apps but not readings.
"""
from __future__ import annotations

from datetime import datetime

from quiz import model
from quiz.study.attempts import Store, now


def scheduler():
    from fsrs import Scheduler

    return Scheduler(enable_fuzzing=False, learning_steps=(), relearning_steps=())


def rating_for(score: float):
    from fsrs import Rating

    if score >= 1.0 - 1e-9:
        return Rating.Good
    return Rating.Hard if score > 0 else Rating.Again


def schedule_answer(store: Store, q: model.Question, score: float, at: datetime | None = None) -> dict:
    """Update (or create) the question's card after an answer; returns the new card."""
    from fsrs import Card

    at = at or now()
    saved = store.card(q.id)
    card = Card.from_dict(saved) if saved else Card(due=at)
    card, _log = scheduler().review_card(card, rating_for(score), at)
    data = card.to_dict()
    store.save_card(q.id, q.bank, data)
    return data


def due(store: Store, at: datetime | None = None, limit: int | None = None) -> list[str]:
    """Ids of the questions due at `at`, most overdue first."""
    ids = [qid for qid, _bank, _card in store.due_cards(at or now())]
    return ids[:limit] if limit else ids
