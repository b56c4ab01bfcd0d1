"""Bank figures for `quiz lint`: the scores of strategies that never read a source.

A question that a student can answer by looking at the shape of the choices measures
test-taking, not reading. These figures say how far such blind strategies get, per bank
and for the course, and whether each stays under its threshold (quizzes/README.md gives
the reasoning for every threshold). The definitions are fixed and documented; content
writers measure with the same ones:

- longest choice (`single`): pick the longest choice (length in characters after folding
  white space); a tie of k longest choices counts 1/k when the key is among them. Against
  chance, the mean of 1/(number of choices).
- length ratio (`single`): the median over questions of len(key) / mean len(distractors).
- true/false balance: the share of true keys; it passes between 40 % and 60 %, or when the
  counts of true and false keys differ by at most one (a bank of 3 cannot do better).
- long choices (`multiple`): tick every choice at least as long as the question's median
  choice, scored with the course's partial credit max(0, (right - wrong) / correct).
- difficulty 3: the share of questions labelled 3 (reasoning); COURSE.md asks for 25 %.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from quiz.model import LETTERS, Multiple, Question, Single, TrueFalse

LONGEST_MARGIN = 0.10     # longest-choice score may exceed chance by at most 10 points
MAX_LENGTH_RATIO = 1.15   # median key / mean distractor length
TF_TRUE_RANGE = (0.40, 0.60)
MAX_MULTIPLE_LONG = 0.25
MIN_DIFFICULTY3 = 0.25

THRESHOLDS = {
    "longest-choice": f"longest-choice score <= chance + {LONGEST_MARGIN:.2f}",
    "length-ratio": f"median key/distractor length ratio <= {MAX_LENGTH_RATIO}",
    "true-false-balance": "true keys 40-60 % (or true and false counts differ by at most 1)",
    "multiple-long": f"long-choices score in multiple <= {MAX_MULTIPLE_LONG:.2f}",
    "difficulty-3": f"share of difficulty 3 >= {MIN_DIFFICULTY3:.2f}",
}


def choice_length(text: str) -> int:
    """A choice's length as the blind strategies see it: characters after folding white space."""
    return len(" ".join(str(text).split()))


@dataclass
class Figures:
    """The blind-strategy figures and distributions of one bank (or of the whole course)."""

    name: str
    questions: int = 0
    single: int = 0
    longest_choice: float | None = None
    chance: float | None = None
    length_ratio: float | None = None
    true_false: dict = field(default_factory=lambda: {"true": 0, "false": 0})
    multiple: int = 0
    multiple_long: float | None = None
    difficulty: dict = field(default_factory=lambda: {"1": 0, "2": 0, "3": 0})
    key_positions: dict = field(default_factory=dict)
    key_length: dict = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @property
    def difficulty3(self) -> float | None:
        return self.difficulty["3"] / self.questions if self.questions else None

    @property
    def true_share(self) -> float | None:
        n = self.true_false["true"] + self.true_false["false"]
        return self.true_false["true"] / n if n else None

    def as_dict(self) -> dict:
        return {
            "name": self.name, "questions": self.questions,
            "single": self.single, "longest_choice": _r(self.longest_choice), "chance": _r(self.chance),
            "length_ratio": _r(self.length_ratio),
            "true_false": dict(self.true_false), "true_share": _r(self.true_share),
            "multiple": self.multiple, "multiple_long": _r(self.multiple_long),
            "difficulty": dict(self.difficulty), "difficulty3": _r(self.difficulty3),
            "key_positions": dict(self.key_positions), "key_length": dict(self.key_length),
            "failures": list(self.failures),
        }


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def figures(name: str, questions: list[Question]) -> Figures:
    """The figures of a list of questions (a bank's, or every bank's for the course row)."""
    f = Figures(name, questions=len(questions))
    longest = chance = 0.0
    ratios: list[float] = []
    key_lens: list[int] = []
    distractor_lens: list[int] = []
    positions = {"single": [0, 0, 0, 0], "multiple": [0, 0, 0, 0]}
    long_scores: list[float] = []
    for q in questions:
        f.difficulty[str(q.difficulty)] = f.difficulty.get(str(q.difficulty), 0) + 1
        if isinstance(q, Single):
            lens = [choice_length(c.text) for c in q.choices]
            top = max(lens)
            tied = [i for i, n in enumerate(lens) if n == top]
            key = q.correct_indices[0]
            longest += 1 / len(tied) if key in tied else 0.0
            chance += 1 / len(lens)
            others = [n for i, n in enumerate(lens) if i != key]
            if sum(others):  # distractors of only white space have no length to compare with
                ratios.append(lens[key] / (sum(others) / len(others)))
            key_lens.append(lens[key])
            distractor_lens += others
            _count(positions["single"], key)
            f.single += 1
        elif isinstance(q, Multiple):
            lens = [choice_length(c.text) for c in q.choices]
            median = statistics.median(lens)
            ticked = {i for i, n in enumerate(lens) if n >= median}
            correct = set(q.correct_indices)
            long_scores.append(max(0.0, (len(ticked & correct) - len(ticked - correct)) / len(correct)))
            for i in correct:
                _count(positions["multiple"], i)
            f.multiple += 1
        elif isinstance(q, TrueFalse):
            f.true_false["true" if q.answer else "false"] += 1
    if f.single:
        f.longest_choice, f.chance = longest / f.single, chance / f.single
        f.length_ratio = statistics.median(ratios) if ratios else None
        f.key_length = {"key_median": statistics.median(key_lens),
                        "distractor_median": statistics.median(distractor_lens),
                        "key_longest": sum(1 for q in questions if isinstance(q, Single) and _key_strictly_longest(q))}
    if f.multiple:
        f.multiple_long = sum(long_scores) / f.multiple
    f.key_positions = {kind: {LETTERS[i]: n for i, n in enumerate(counts) if n or i < 4}
                       for kind, counts in positions.items() if any(counts)}
    f.failures = failures(f)
    return f


def _count(counts: list[int], i: int) -> None:
    while len(counts) <= i:
        counts.append(0)
    counts[i] += 1


def _key_strictly_longest(q: Single) -> bool:
    lens = [choice_length(c.text) for c in q.choices]
    key = q.correct_indices[0]
    return all(lens[key] > n for i, n in enumerate(lens) if i != key)


def failures(f: Figures) -> list[str]:
    """The thresholds (names of THRESHOLDS) that the figures fail."""
    out = []
    if f.longest_choice is not None and f.longest_choice > f.chance + LONGEST_MARGIN:
        out.append("longest-choice")
    if f.length_ratio is not None and f.length_ratio > MAX_LENGTH_RATIO:
        out.append("length-ratio")
    nt, nf = f.true_false["true"], f.true_false["false"]
    if nt + nf and not (TF_TRUE_RANGE[0] <= nt / (nt + nf) <= TF_TRUE_RANGE[1] or abs(nt - nf) <= 1):
        out.append("true-false-balance")
    if f.multiple_long is not None and f.multiple_long > MAX_MULTIPLE_LONG:
        out.append("multiple-long")
    if f.questions and f.difficulty3 < MIN_DIFFICULTY3:
        out.append("difficulty-3")
    return out
