"""Spaced review with FSRS (the `fsrs` package): every answered question gets a card.

Each answer, in `quiz take` or `quiz review`, rates the card: full credit is Good,
partial credit Hard, no credit Again. As in Anki, a miss comes back the same day: a
new card answered wrongly, or a known one forgotten, waits one learning step of
ten minutes (fifteen after a partial answer), and `quiz review` looks that far ahead,
so a miss is asked again before the session ends. A right answer to a new card
goes straight to days: one step is enough for questions about readings.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from quiz import model
from quiz.study.attempts import Store, now

STEP = timedelta(minutes=10)
LEARN_AHEAD = timedelta(minutes=20)  # Anki's default: cards due this soon are shown now
MAX_ASKS = 3  # a card comes back at most this many times in one review session


def scheduler():
    from fsrs import Scheduler

    return Scheduler(enable_fuzzing=False, learning_steps=(STEP,), relearning_steps=(STEP,))


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
    """Ids of the questions due at `at` or within LEARN_AHEAD of it, most overdue first."""
    ids = [qid for qid, _bank, _card in store.due_cards((at or now()) + LEARN_AHEAD)]
    return ids[:limit] if limit else ids
