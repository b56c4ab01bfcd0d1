"""Item analysis of a graded class: facility, discrimination, distractors, reliability.

The statistics are those of classical test theory as the Moodle quiz report presents
them; population variances throughout, so figures can be checked by hand.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from quiz import model
from quiz.assess.grading import StudentResult
from quiz.course.sheets import response_key
from quiz.gcpause import gc_paused

NEAR_ZERO = 0.1  # discrimination below this is flagged


def mean(xs: list[float]) -> float:
    return sum(xs) / len(xs) if xs else 0.0


def pvariance(xs: list[float]) -> float:
    m = mean(xs)
    return sum((x - m) ** 2 for x in xs) / len(xs) if xs else 0.0


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """Pearson correlation; with a 0/1 item this is the point-biserial. None when undefined."""
    mx, my = mean(xs), mean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def cut_weights(totals: list[float], group: int, top: bool) -> dict[int, float]:
    """The students of the upper (top) or lower 27 % group, each with a weight: 1 for those
    clearly inside, and for the students tied at the cut an equal share of the places left,
    so the group does not depend on the order the responses were given in."""
    if not group:
        return {}
    score = {s: round(t, 9) for s, t in enumerate(totals)}  # sums of floats: ties within rounding
    ranked = sorted(score.values(), reverse=top)
    cut = ranked[group - 1]
    inside = [s for s, t in score.items() if (t > cut if top else t < cut)]
    tied = [s for s, t in score.items() if t == cut]
    share = (group - len(inside)) / len(tied)
    return {**{s: 1.0 for s in inside}, **{s: share for s in tied}}


def weighted_mean(pairs: list[tuple[float, float]]) -> float:
    total = sum(w for _, w in pairs)
    return sum(x * w for x, w in pairs) / total if total else 0.0


@dataclass
class ItemStats:
    id: str
    type: str
    prompt: str
    n: int
    facility: float
    discrimination: float | None  # item-rest correlation (point-biserial for 0/1 items)
    upper_lower: float | None  # mean score of the top 27% minus the bottom 27%
    distractors: list[dict] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        r = lambda x: None if x is None else round(x, 4)  # noqa: E731
        return {"id": self.id, "type": self.type, "n": self.n, "facility": r(self.facility),
                "discrimination": r(self.discrimination), "upper_lower": r(self.upper_lower),
                "distractors": self.distractors, "flags": self.flags}


@dataclass
class Analysis:
    students: int
    items: list[ItemStats]
    mean_percent: float
    sd_percent: float
    kr20: float | None
    alpha: float | None

    def as_dict(self) -> dict:
        r = lambda x: None if x is None else round(x, 4)  # noqa: E731
        return {"students": self.students, "mean_percent": r(self.mean_percent), "sd_percent": r(self.sd_percent),
                "kr20": r(self.kr20), "cronbach_alpha": r(self.alpha), "items": [i.as_dict() for i in self.items]}


def analyse(results: list[StudentResult]) -> Analysis:
    with gc_paused():
        return _analyse(results)


def _analyse(results: list[StudentResult]) -> Analysis:
    graded = [r for r in results if not r.refused and r.key is not None]
    order: list[str] = []
    info: dict[str, tuple] = {}
    for r in graded:
        for it in r.key.items:
            if it.question.id not in info:
                order.append(it.question.id)
                info[it.question.id] = it
    # matrix of item scores; a question a variant lacks is left out of that student's row
    rows = [{i.id: i.score for i in r.items} for r in graded]
    totals = [sum(row.values()) for row in rows]
    maxes = [r.max for r in graded]
    percents = [100 * t / m if m else 0.0 for t, m in zip(totals, maxes)]
    n = len(graded)
    group = max(1, round(0.27 * n)) if n else 0
    lower, upper = cut_weights(totals, group, top=False), cut_weights(totals, group, top=True)
    items = []
    for qid in order:
        takers = [s for s in range(n) if qid in rows[s]]
        xs = [rows[s][qid] for s in takers]
        rest = [totals[s] - rows[s][qid] for s in takers]
        up = [(rows[s][qid], upper[s]) for s in takers if s in upper]
        lo = [(rows[s][qid], lower[s]) for s in takers if s in lower]
        keyitem = info[qid]
        stats = ItemStats(qid, keyitem.question.type, keyitem.question.prompt, len(takers), mean(xs),
                          pearson(xs, rest) if len(takers) > 1 else None,
                          (weighted_mean(up) - weighted_mean(lo)) if up and lo else None)
        stats.distractors = _distractors(keyitem, [graded[s] for s in takers])
        if stats.discrimination is not None and stats.discrimination < 0:
            stats.flags.append("negative discrimination")
        elif stats.discrimination is not None and stats.discrimination < NEAR_ZERO:
            stats.flags.append("near-zero discrimination")
        items.append(stats)
    kr20 = alpha = None
    k = len(order)
    full = [row for row in rows if len(row) == k]
    if k > 1 and len(full) > 1:
        tot = [sum(row.values()) for row in full]
        var_t = pvariance(tot)
        if var_t > 0:
            item_vars = [pvariance([row[q] for row in full]) for q in order]
            alpha = k / (k - 1) * (1 - sum(item_vars) / var_t)
            if all(row[q] in (0.0, 1.0) for row in full for q in order):
                pq = [mean([row[q] for row in full]) * (1 - mean([row[q] for row in full])) for q in order]
                kr20 = k / (k - 1) * (1 - sum(pq) / var_t)
    return Analysis(n, items, mean(percents), math.sqrt(pvariance(percents)), kr20, alpha)


def _distractors(keyitem, students: list[StudentResult]) -> list[dict]:
    """How often each choice was picked (choice questions only), in the bank's choice order."""
    q = keyitem.question
    if not isinstance(q, model.ChoiceQuestion):
        return []
    counts = [0] * len(q.choices)
    blank = 0
    key_items: dict[int, tuple] = {}  # per key (variant): its item for this question, and where
    seen: dict[tuple, set] = {}  # (item, response) -> the choices it picks
    for s in students:
        found = key_items.get(id(s.key))
        if found is None:
            item = s.key.item(q.id)
            found = key_items[id(s.key)] = (item, s.key.items.index(item))
        item, at = found
        # a student's results follow the key's order; look further only if they do not
        if at < len(s.items) and s.items[at].id == q.id:
            raw = s.items[at].response
        else:
            raw = next((i.response for i in s.items if i.id == q.id), None)
        k = response_key(raw)
        picked = seen.get((id(item), k)) if k is not None else None
        if picked is None:
            try:
                translated = item.to_bank_order(raw)
                picked = {q.parse(translated)} if isinstance(q, model.Single) else set(q.parse(translated))
            except (model.MalformedResponse, TypeError):
                picked = set()
            if k is not None:
                seen[(id(item), k)] = picked
        if raw in (None, "", []) or not picked:
            blank += 1
        for i in picked:
            counts[i] += 1
    total = len(students) or 1
    rows = [{"choice": c.text, "correct": c.correct, "count": counts[i], "proportion": round(counts[i] / total, 4)}
            for i, c in enumerate(q.choices)]
    rows.append({"choice": "(no answer)", "correct": False, "count": blank, "proportion": round(blank / total, 4)})
    return rows
