"""Drawn variants (`quiz generate --draw`): each variant its own questions, all variants alike.

The quiz is first laid out as a blueprint: `count` slots, each a stratum of the banks (one
objective of one bank, one type, one difficulty), taken in turn from each objective so the
quiz covers the lesson, preferring the stratum with the most questions per slot already
given to it, so that variants can differ.
Each variant then fills every slot from its stratum, walking the stratum's shuffled pool so
that the questions are used as evenly as the pool allows: two variants share a question only
when a stratum holds fewer questions than the variants need. Every variant therefore covers
the same objectives with the same mix of types and difficulties.
"""
from __future__ import annotations

import random
from collections import OrderedDict

from quiz import model
from quiz.course.selection import Filters
from quiz.errors import InputError

Stratum = tuple[str, str, str, int]  # bank, objective, type, difficulty


def strata(banks: list[model.Bank], filters: Filters) -> OrderedDict[Stratum, list[model.Question]]:
    groups: OrderedDict[Stratum, list[model.Question]] = OrderedDict()
    for bank in banks:
        for q in bank.questions:
            if filters.keep(q):
                groups.setdefault((bank.id, q.objective, q.type, q.difficulty), []).append(q)
    return groups


def blueprint(groups: OrderedDict[Stratum, list[model.Question]], count: int, rng: random.Random) -> list[Stratum]:
    """`count` slots, each naming a stratum; a stratum is used at most once per question it holds."""
    available = sum(len(g) for g in groups.values())
    if available < count:
        raise InputError("--count", 0, f"only {available} questions match; ask for --count {available} or fewer")
    by_objective: OrderedDict[tuple[str, str], list[Stratum]] = OrderedDict()
    for s in groups:
        by_objective.setdefault(s[:2], []).append(s)
    queues = []
    for objective in by_objective:
        listed = list(by_objective[objective])
        rng.shuffle(listed)  # ties are broken in this (seeded) order
        queues.append(listed)
    rng.shuffle(queues)
    used = {s: 0 for s in groups}
    slots: list[Stratum] = []
    while len(slots) < count:
        for queue in queues:
            open_ = [s for s in queue if used[s] < len(groups[s])]
            if len(slots) == count or not open_:
                continue
            # the stratum that can still give the most variants a question of their own
            s = max(open_, key=lambda s: len(groups[s]) / (used[s] + 1))
            used[s] += 1
            slots.append(s)
    return slots


def draw(banks: list[model.Bank], count: int, variants: int, seed: int,
         filters: Filters) -> list[list[tuple[int, model.Question]]]:
    """Per variant, its (slot, question) pairs in the order the slots were laid out."""
    rng = random.Random(f"draw:{seed}")
    groups = strata(banks, filters)
    pools = {}
    for s, qs in groups.items():
        pool = sorted(qs, key=lambda q: q.id)
        rng.shuffle(pool)
        pools[s] = pool
    slots = blueprint(groups, count, rng)
    per_stratum: dict[Stratum, list[int]] = {}
    for i, s in enumerate(slots):
        per_stratum.setdefault(s, []).append(i)
    out = []
    for v in range(variants):
        picked: dict[int, model.Question] = {}
        for s, where in per_stratum.items():
            pool, m = pools[s], len(where)
            for j, slot in enumerate(where):
                picked[slot] = pool[(v * m + j) % len(pool)]
        out.append([(slot, picked[slot]) for slot in range(len(slots))])
    return out
