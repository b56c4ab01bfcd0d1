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

# Flag thresholds (documented in README.md and in every report's definitions)
NEAR_ZERO = 0.1  # discrimination below this (and not negative) is flagged "near-zero discrimination"
TOO_EASY = 0.9  # facility above this: "too easy" (nearly everyone earns full credit; it tells students apart little)
TOO_HARD = 0.3  # facility below this: "too hard" (check the key and the wording before blaming the class)
GROUP_SHARE = 0.27  # the upper and lower groups: the top and bottom 27% of students by total score


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
    facility: float  # mean of score / points over the students who took the item
    discrimination: float | None  # item-rest correlation (point-biserial for 0/1 items)
    upper_lower: float | None  # mean score / points of the top 27% minus the bottom 27%
    distractors: list[dict] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    objective: str = ""
    tags: tuple[str, ...] = ()
    points: float = 1.0
    partial: bool = False  # some student earned part of the points

    def as_dict(self) -> dict:
        r = lambda x: None if x is None else round(x, 4)  # noqa: E731
        return {"id": self.id, "type": self.type, "n": self.n, "facility": r(self.facility),
                "discrimination": r(self.discrimination), "upper_lower": r(self.upper_lower),
                "distractors": self.distractors, "flags": self.flags, "objective": self.objective,
                "tags": list(self.tags), "points": self.points, "prompt": self.prompt}


@dataclass
class Breakdown:
    """Scores on the items of one objective or tag: points earned over points possible."""

    name: str
    items: int
    earned: float
    possible: float

    @property
    def percent(self) -> float:
        return 100.0 * self.earned / self.possible if self.possible else 0.0

    def as_dict(self) -> dict:
        return {"name": self.name, "items": self.items, "percent": round(self.percent, 2)}


@dataclass
class Analysis:
    students: int
    items: list[ItemStats]
    mean_percent: float
    sd_percent: float
    kr20: float | None
    alpha: float | None
    kr20_note: str = ""  # why KR-20 differs from alpha (dichotomised items), or why it is missing
    objectives: list[Breakdown] = field(default_factory=list)
    tags: list[Breakdown] = field(default_factory=list)
    reliability_on: str = "questions"  # or "slots" for drawn variants

    def as_dict(self) -> dict:
        r = lambda x: None if x is None else round(x, 4)  # noqa: E731
        return {"students": self.students, "mean_percent": r(self.mean_percent), "sd_percent": r(self.sd_percent),
                "kr20": r(self.kr20), "cronbach_alpha": r(self.alpha), "kr20_note": self.kr20_note or None,
                "reliability_on": self.reliability_on,
                "objectives": [b.as_dict() for b in self.objectives], "tags": [b.as_dict() for b in self.tags],
                "items": [i.as_dict() for i in self.items]}


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
    # matrix of item points; a question a variant lacks is left out of that student's row
    rows = [{i.id: i.score for i in r.items} for r in graded]
    totals = [sum(row.values()) for row in rows]
    percents = [r.percent for r in graded]
    n = len(graded)
    group = max(1, round(GROUP_SHARE * n)) if n else 0
    lower, upper = cut_weights(totals, group, top=False), cut_weights(totals, group, top=True)
    items = []
    for qid in order:
        takers = [s for s in range(n) if qid in rows[s]]
        xs = [rows[s][qid] for s in takers]
        rest = [totals[s] - rows[s][qid] for s in takers]
        keyitem = info[qid]
        q = keyitem.question
        worth = q.points or 1.0  # facility and upper−lower as shares of the points
        up = [(rows[s][qid] / worth, upper[s]) for s in takers if s in upper]  # (share, weight at a tied cut)
        lo = [(rows[s][qid] / worth, lower[s]) for s in takers if s in lower]
        stats = ItemStats(qid, q.type, q.prompt, len(takers), mean(xs) / worth,
                          pearson(xs, rest) if len(takers) > 1 else None,
                          (weighted_mean(up) - weighted_mean(lo)) if up and lo else None,
                          objective=q.objective, tags=tuple(q.tags), points=q.points,
                          partial=any(1e-9 < x < worth - 1e-9 for x in xs))
        side = {s: "upper" if s in upper else "lower" if s in lower else "" for s in takers}
        stats.distractors = _distractors(keyitem, [graded[s] for s in takers], [side[s] for s in takers])
        if takers and stats.facility > TOO_EASY:
            stats.flags.append("too easy")
        elif takers and stats.facility < TOO_HARD:
            stats.flags.append("too hard")
        if stats.discrimination is not None and stats.discrimination < 0:
            stats.flags.append("negative discrimination")
        elif stats.discrimination is not None and stats.discrimination < NEAR_ZERO:
            stats.flags.append("near-zero discrimination")
        items.append(stats)
    kr20, alpha, note, on = _reliability(graded, info, rows)
    return Analysis(n, items, mean(percents), math.sqrt(pvariance(percents)), kr20, alpha, note,
                    _breakdown(graded, info, lambda q: [q.objective]), _breakdown(graded, info, lambda q: list(q.tags)),
                    on)


def _reliability(graded: list[StudentResult], info: dict, by_id: list[dict]) -> tuple:
    """KR-20 and Cronbach's alpha over the students who took every item, population variances.

    Alpha uses the item points as earned. KR-20 uses items dichotomised (full credit 1, else 0),
    so with partial credit or unequal points it differs from alpha, and the note says so. Drawn
    variants are compared slot by slot (each slot one objective, type and difficulty)."""
    slotted = bool(graded) and all(it.slot for r in graded for it in r.key.items) \
        and len({frozenset(it.question.id for it in r.key.items) for r in graded}) > 1
    if slotted:  # item points by slot instead of by question
        rows = [{r.key.item(qid).slot: x for qid, x in row.items()} for r, row in zip(graded, by_id)]
        worth = [{r.key.item(qid).slot: info[qid].question.points for qid in row} for r, row in zip(graded, by_id)]
    else:
        rows = by_id
        points = {qid: it.question.points for qid, it in info.items()}
        worth = [points] * len(rows)
    flat = [{c: 1.0 if x >= w[c] - 1e-9 else 0.0 for c, x in row.items()} for row, w in zip(rows, worth)]
    columns = list(dict.fromkeys(c for row in rows for c in row))
    k = len(columns)
    full = [s for s, row in enumerate(rows) if len(row) == k]
    on = "slots" if slotted else "questions"
    if k < 2 or len(full) < 2:
        return None, None, "needs at least two items and two students who took them all", on
    kr20 = alpha = None
    tot = [sum(rows[s].values()) for s in full]
    var_t = pvariance(tot)
    if var_t > 0:
        alpha = k / (k - 1) * (1 - sum(pvariance([rows[s][c] for s in full]) for c in columns) / var_t)
    dtot = [sum(flat[s].values()) for s in full]
    var_d = pvariance(dtot)
    if var_d > 0:
        pq = [mean([flat[s][c] for s in full]) * (1 - mean([flat[s][c] for s in full])) for c in columns]
        kr20 = k / (k - 1) * (1 - sum(pq) / var_d)
    partial = sum(1 for c in columns if any(rows[s][c] not in (0.0, 1.0) for s in full))
    note = ""
    if partial:
        note = (f"KR-20 on dichotomised items (full credit 1, anything less 0): {partial} of {k} items "
                "gave partial credit, penalties or other than 1 point; alpha uses the points as earned")
    if var_d <= 0 or var_t <= 0:
        note = (note + "; " if note else "") + "undefined where every student has the same total"
    return kr20, alpha, note, on


def _breakdown(graded: list[StudentResult], info: dict, names) -> list[Breakdown]:
    """Points earned over points possible on the items of each objective (or tag), all students."""
    earned: dict[str, float] = dict.fromkeys(info, 0.0)
    possible: dict[str, float] = dict.fromkeys(info, 0.0)
    for r in graded:
        for i in r.items:
            earned[i.id] += i.score
            possible[i.id] += i.max
    out: dict[str, Breakdown] = {}
    for qid, it in info.items():
        for name in names(it.question):
            b = out.setdefault(name, Breakdown(name, 0, 0.0, 0.0))
            b.items += 1
            b.earned += earned[qid]
            b.possible += possible[qid]
    return sorted(out.values(), key=lambda b: b.name)


NO_ANSWER = "(no answer)"
INVALID = "(invalid answer)"


def _distractors(keyitem, students: list[StudentResult], sides: list[str] | None = None) -> list[dict]:
    """How often each choice was picked (choice questions only), in the bank's choice order,
    overall and in the upper and lower groups; unreadable answers apart from blank ones."""
    q = keyitem.question
    if not isinstance(q, model.ChoiceQuestion):
        return []
    sides = sides or [""] * len(students)
    labels = [c.text for c in q.choices] + [INVALID, NO_ANSWER]
    counts = {label: [0, 0, 0] for label in range(len(labels))}  # all, upper, lower
    key_items: dict[int, tuple] = {}  # per key (variant): its item for this question, and where
    seen: dict[tuple, set | None] = {}  # (item, response) -> the choices it picks; None: unreadable
    for s, side in zip(students, sides):
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
        if raw in (None, "", []):
            picked = {len(labels) - 1}
        else:
            k = response_key(raw)
            picked = seen.get((id(item), k), False) if k is not None else False
            if picked is False:
                try:
                    translated = item.to_bank_order(raw)
                    picked = {q.parse(translated)} if isinstance(q, model.Single) else set(q.parse(translated))
                except (model.MalformedResponse, TypeError, ValueError):
                    picked = None
                if k is not None:
                    seen[(id(item), k)] = picked
            picked = picked or {len(labels) - 2}
        for i in picked:
            counts[i][0] += 1
            if side == "upper":
                counts[i][1] += 1
            elif side == "lower":
                counts[i][2] += 1
    total = len(students) or 1
    return [{"choice": label, "correct": i < len(q.choices) and q.choices[i].correct, "count": counts[i][0],
             "proportion": round(counts[i][0] / total, 4), "upper": counts[i][1], "lower": counts[i][2]}
            for i, label in enumerate(labels)]
