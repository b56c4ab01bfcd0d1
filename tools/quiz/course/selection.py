"""Choosing questions from banks: filters, the draw across objectives, and the order a
question's choices are shown in. Shared by the instructor's sheets, the student's quizzes
and the exporters, so a seed gives the same questions and order everywhere."""
from __future__ import annotations

import random
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from quiz import model, paths
from quiz.errors import InputError
from quiz.model import Bank


@dataclass
class Filters:
    types: list[str] = field(default_factory=list)
    difficulty: list[int] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    def keep(self, q: model.Question) -> bool:
        return ((not self.types or q.type in self.types)
                and (not self.difficulty or q.difficulty in self.difficulty)
                and (not self.objectives or q.objective in self.objectives)
                and (not self.tags or bool(set(self.tags) & set(q.tags))))

    def describe(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v}


def resolve_bank_path(ref: str) -> Path:
    """A bank path, or a bank id such as `nbr-03` meaning quizzes/nbr-03.yaml."""
    p = Path(ref)
    if p.exists():
        return p
    candidate = paths.quizzes_dir() / f"{ref}.yaml"
    if candidate.exists():
        return candidate
    folded = {f.stem.casefold(): f for f in paths.quizzes_dir().glob("*.yaml")}  # NBR-03 is nbr-03
    if ref.casefold() in folded:
        return folded[ref.casefold()]
    raise InputError(ref, 0, "no such bank file or bank id; `quiz list` shows the banks")


def select(banks: list[Bank], count: int, rng: random.Random, filters: Filters) -> list[model.Question]:
    """Draw `count` questions, taking in turn from each (bank, objective) group so that a quiz
    covers the objectives instead of clumping on the best-stocked one."""
    groups: OrderedDict[tuple[str, str], list[model.Question]] = OrderedDict()
    for bank in banks:
        for q in bank.questions:
            if filters.keep(q):
                groups.setdefault((bank.id, q.objective), []).append(q)
    available = sum(len(g) for g in groups.values())
    if available < count:
        what = f" matching {filters.describe()}" if filters.describe() else ""
        if available == 0:
            types = sorted({q.type for b in banks for q in b.questions})
            raise InputError(", ".join(b.file for b in banks), 0,
                             f"no questions{what}; loosen the filters (the types here: {', '.join(types)})")
        raise InputError(", ".join(b.file for b in banks), 0,
                         f"only {available} questions{what}; ask for --count {available} or fewer, or loosen the filters")
    pools = []
    for key in groups:
        pool = list(groups[key])
        rng.shuffle(pool)
        pools.append(pool)
    rng.shuffle(pools)
    picked: list[model.Question] = []
    while len(picked) < count:
        for pool in pools:
            if pool and len(picked) < count:
                picked.append(pool.pop())
    return picked


def shuffled_order(q: model.Question, rng: random.Random) -> list[int]:
    """The order a variant shows the choices / right-hand items / items in (bank indices)."""
    n = (len(q.choices) if isinstance(q, model.ChoiceQuestion) else len(q.pairs) if isinstance(q, model.Matching)
         else len(q.items) if isinstance(q, model.Ordering) else 0)
    order = list(range(n))
    if n:
        rng.shuffle(order)
        if isinstance(q, model.Ordering) and n > 1 and order == sorted(order):
            order = order[1:] + order[:1]  # never show an ordering question already solved
    return order
