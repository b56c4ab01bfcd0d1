"""The one question model: every channel (terminal, book, grading, exports) uses it.

Each question type is a class that knows its answer data, how to read a response in
the forms documented in quizzes/README.md, and how to grade it. Keeping the grading
rule beside the data means a question scores the same everywhere.
"""
from __future__ import annotations

import itertools
import math
import re
import string
from dataclasses import dataclass, field
from typing import Any, ClassVar

TYPES = ("single", "multiple", "true_false", "short", "numeric", "cloze", "matching", "ordering")  # graded by rule
LETTERS = string.ascii_uppercase
PENALTY_TYPES = ("single", "multiple", "true_false")  # where a wrong choice can cost points


class MalformedResponse(ValueError):
    """A response that cannot be read for its question's type; it scores 0."""


@dataclass(frozen=True)
class Grade:
    """The result of grading one response: a score in [0, 1] and what to tell the student."""

    score: float
    feedback: str = ""
    malformed: bool = False

    @property
    def correct(self) -> bool:
        return self.score >= 1.0 - 1e-9


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool = False
    feedback: str = ""


@dataclass(frozen=True)
class Passage:
    quote: str
    chapter: str  # resolved: the question's own chapter or the bank's


@dataclass
class Question:
    """Fields common to every type. Subclasses add answer data and `grade`."""

    type: ClassVar[str] = ""
    id: str
    prompt: str
    explanation: str
    passage: Passage
    objective: str
    difficulty: int
    tags: tuple[str, ...] = ()
    feedback: str = ""
    bank: str = ""
    file: str = ""
    line: int = 0
    more_passages: tuple[Passage, ...] = ()  # a question that compares passages quotes each
    # `quiz lint` rules this question silences, and why (bank key `lint`); no channel shows them
    lint_ignore: tuple[str, ...] = ()
    lint_reason: str = ""
    points: float = 1.0  # what full credit is worth; partial credit scales with it
    penalty: float = 0.0  # choice types: the share of `points` a wrong answer loses (negative marking)

    @property
    def passages(self) -> tuple[Passage, ...]:
        """Every passage the answer follows from: `passage` first, then any others."""
        return (self.passage, *self.more_passages)

    # -- reading and grading responses -------------------------------------------------
    def parse(self, response: Any) -> Any:
        """Turn a response in any documented form into this type's canonical form."""
        raise NotImplementedError

    def score(self, canonical: Any) -> float:
        raise NotImplementedError

    def grade(self, response: Any) -> Grade:
        """Grade a raw response; never raises. None (no answer) scores 0."""
        if response is None or response == "" or response == []:
            return Grade(0.0, self.feedback)
        try:
            canonical = self.parse(response)
        except MalformedResponse as exc:
            return Grade(0.0, f"Could not read the answer: {exc}", malformed=True)
        s = min(1.0, max(0.0, float(self.score(canonical))))
        return Grade(s, "" if s >= 1.0 - 1e-9 else self.wrong_feedback(canonical))

    def wrong_feedback(self, canonical: Any) -> str:
        return self.feedback

    def correct_response(self) -> Any:
        """A full-credit response, in the documented response form (quizzes/README.md)."""
        raise NotImplementedError

    def answer_text(self) -> str:
        """The right answer, as a sentence fragment to show a student."""
        raise NotImplementedError

    @property
    def max_score(self) -> float:
        return 1.0

    def earned(self, grade: Grade, response: Any) -> float:
        """Points earned for a graded response: the score scaled by `points`; with a penalty, a
        readable answer to a choice question that scores nothing loses `penalty × points`. No
        answer and an unreadable one earn 0 (negative marking discourages guessing, not blanks)."""
        if (self.penalty and self.type in PENALTY_TYPES and grade.score <= 1e-9 and not grade.malformed
                and response not in (None, "", [])):
            return -self.penalty * self.points
        return grade.score * self.points


def _as_text(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        raise MalformedResponse(f"expected text, got {value!r}")
    if isinstance(value, (int, float, str)):
        return str(value)
    raise MalformedResponse(f"expected text, got a {type(value).__name__}")


def _split_list(value: Any) -> list:
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[,;]", value) if part.strip()]
    if isinstance(value, (list, tuple)):
        return list(value)
    raise MalformedResponse(f"expected a list, got {value!r}")


def _pick(value: Any, options: list[str], what: str = "choice") -> int:
    """An index into `options` from a letter, a 1-based number or the exact text."""
    if isinstance(value, bool):
        raise MalformedResponse(f"expected a {what}, got {value!r}")
    if isinstance(value, int):
        if 1 <= value <= len(options):
            return value - 1
        raise MalformedResponse(f"there is no {what} {value}")
    text = _as_text(value).strip()
    if len(text) > 1 and not text.isdecimal() and text in options:  # exact text (what sheets translate letters to): no folding
        return options.index(text)
    if len(text) == 1 and text.upper() in LETTERS[: len(options)]:
        return LETTERS.index(text.upper())
    if text.isdecimal() and 1 <= int(text) <= len(options):  # not isdigit: "²" is a digit int() refuses
        return int(text) - 1
    folded = [fold_answer(o) for o in options]
    if fold_answer(text) in folded:
        return folded.index(fold_answer(text))
    raise MalformedResponse(f"{text!r} is not one of the {what}s")


@dataclass
class ChoiceQuestion(Question):
    choices: tuple[Choice, ...] = ()

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.choices]

    @property
    def correct_indices(self) -> list[int]:
        return [i for i, c in enumerate(self.choices) if c.correct]


@dataclass
class Single(ChoiceQuestion):
    type: ClassVar[str] = "single"

    def parse(self, response: Any) -> int:
        if isinstance(response, (list, tuple)):
            if len(response) != 1:
                raise MalformedResponse("pick exactly one choice")
            response = response[0]
        return _pick(response, self.texts)

    def score(self, canonical: int) -> float:
        return 1.0 if self.choices[canonical].correct else 0.0

    def wrong_feedback(self, canonical: int) -> str:
        return self.choices[canonical].feedback or self.feedback

    def correct_response(self) -> str:
        return LETTERS[self.correct_indices[0]]

    def answer_text(self) -> str:
        return self.choices[self.correct_indices[0]].text


@dataclass
class Multiple(ChoiceQuestion):
    type: ClassVar[str] = "multiple"

    def parse(self, response: Any) -> frozenset[int]:
        if isinstance(response, (int,)) and not isinstance(response, bool):
            response = [response]
        return frozenset(_pick(v, self.texts) for v in _split_list(response))

    def score(self, canonical: frozenset[int]) -> float:
        right = sum(1 for i in canonical if self.choices[i].correct)
        wrong = len(canonical) - right
        return max(0.0, (right - wrong) / len(self.correct_indices))

    def wrong_feedback(self, canonical: frozenset[int]) -> str:
        notes = [self.choices[i].feedback for i in sorted(canonical) if not self.choices[i].correct and self.choices[i].feedback]
        return " ".join(notes) or self.feedback

    def correct_response(self) -> list[str]:
        return [LETTERS[i] for i in self.correct_indices]

    def answer_text(self) -> str:
        return "; ".join(self.choices[i].text for i in self.correct_indices)


_TRUE = {"true", "t", "yes", "y", "1", "vrai", "wahr"}
_FALSE = {"false", "f", "no", "n", "0"}


@dataclass
class TrueFalse(Question):
    type: ClassVar[str] = "true_false"
    answer: bool = True

    def parse(self, response: Any) -> bool:
        if isinstance(response, bool):
            return response
        text = _as_text(response).strip().casefold()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise MalformedResponse(f"{response!r} is neither true nor false")

    def score(self, canonical: bool) -> float:
        return 1.0 if canonical == self.answer else 0.0

    def correct_response(self) -> bool:
        return self.answer

    def answer_text(self) -> str:
        return "True" if self.answer else "False"


_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_WS = re.compile(r"\s+")


def fold_answer(text: str) -> str:
    """Fold case, punctuation and white space: the comparison form of typed answers."""
    return " ".join(_PUNCT.sub(" ", text.casefold()).split())  # split() folds exactly what \\s+ matches


def folded_forms(text: str) -> tuple[str, ...]:
    """The forms a typed answer is compared in: punctuation read as a space ("TCP/IP" → "tcp ip")
    and punctuation dropped ("U.S." → "us"), so "US", "U.S." and "u s" are one answer. The
    exporters write the same forms for targets that compare exact text."""
    spaced = fold_answer(text)
    joined = " ".join(_PUNCT.sub("", text.casefold()).split())
    return (spaced,) if joined == spaced else (spaced, joined)


def typo_allowance(folded_answer: str) -> int:
    """Edits tolerated for an accepted answer (documented in quizzes/README.md)."""
    if any(ch.isdigit() for ch in folded_answer):
        return 0
    n = len(folded_answer)
    return 0 if n <= 4 else 1 if n <= 10 else 2


def matches_text(response: str, accepted: list[str]) -> bool:
    """True when `response` equals an accepted answer after folding, or is a small typo away."""
    from rapidfuzz.distance import Levenshtein

    r = fold_answer(response)
    if not r:
        return False
    forms = set(folded_forms(response))
    for a in accepted:
        fa = fold_answer(a)
        if forms & set(folded_forms(a)):
            return True
        allowance = typo_allowance(fa)
        if allowance and Levenshtein.distance(r, fa, score_cutoff=allowance) <= allowance:
            return True
    return False


@dataclass
class Short(Question):
    type: ClassVar[str] = "short"
    answers: tuple[str, ...] = ()

    def parse(self, response: Any) -> str:
        return _as_text(response)

    def score(self, canonical: str) -> float:
        return 1.0 if matches_text(canonical, list(self.answers)) else 0.0

    def correct_response(self) -> str:
        return self.answers[0]

    def answer_text(self) -> str:
        return self.answers[0]


_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?$")


@dataclass
class Numeric(Question):
    type: ClassVar[str] = "numeric"
    answer: float = 0.0
    tolerance: float = 0.0
    unit: str = ""

    def parse(self, response: Any) -> float:
        if isinstance(response, bool):
            raise MalformedResponse(f"expected a number, got {response!r}")
        if isinstance(response, (int, float)):
            try:
                value = float(response)
            except OverflowError:
                raise MalformedResponse("the number is too large") from None
        else:
            text = _as_text(response).strip().rstrip("%").strip()
            if self.unit and text.casefold().endswith(self.unit.casefold()):
                text = text[: -len(self.unit)].strip()
            if not text or not _NUMBER.match(text) or text in {"+", "-", "."}:
                raise MalformedResponse(f"{response!r} is not a number")
            value = float(text.replace(",", ""))
        if not math.isfinite(value):
            raise MalformedResponse(f"{response!r} is not a finite number")
        return value

    def score(self, canonical: float) -> float:
        return 1.0 if abs(canonical - self.answer) <= self.tolerance + 1e-9 * max(1.0, abs(self.answer)) else 0.0

    def correct_response(self) -> float:
        return self.answer

    def answer_text(self) -> str:
        value = f"{self.answer:g}" if not float(self.answer).is_integer() else str(int(self.answer))
        if self.tolerance:
            value += f" (± {self.tolerance:g})"
        return f"{value} {self.unit}".strip()


def split_blanks(text: str) -> list[str]:
    """The answers to the blanks of a cloze given as one line of text (a CSV cell, a sheet's
    `answer: "a; b"`): separated by `;`, or by `,` when there is no `;` (so an answer holding
    a comma is written with `;` between blanks). Empty answers are kept: `a;;c` leaves blank 2
    empty. A line whose count of answers differs from the blanks is malformed, never guessed."""
    sep = ";" if ";" in text else ","
    return [part.strip() for part in text.split(sep)]


BLANK = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


def cloze_blanks(prompt: str) -> list[list[str]]:
    """The accepted answers of each `{{a|b}}` blank of a cloze prompt, in order."""
    return [[alt.strip() for alt in m.group(1).split("|") if alt.strip()] for m in BLANK.finditer(prompt)]


def cloze_display(prompt: str, mark: str = "_____") -> str:
    """The prompt with every blank replaced by `mark` (or `mark.format(n)` with a number)."""
    counter = itertools.count(1)
    return BLANK.sub(lambda _m: mark.format(next(counter)), prompt)


@dataclass
class Cloze(Question):
    type: ClassVar[str] = "cloze"
    blanks: tuple[tuple[str, ...], ...] = ()

    @property
    def display_prompt(self) -> str:
        return cloze_display(self.prompt, "[{}] _____")

    def parse(self, response: Any) -> list[str]:
        if isinstance(response, str) and len(self.blanks) == 1:
            response = [response]
        elif isinstance(response, str):
            text, response = response, split_blanks(response)
            if len(response) != len(self.blanks):
                raise MalformedResponse(
                    f"{len(self.blanks)} blanks, but {len(response)} answer{'s' if len(response) != 1 else ''} in "
                    f"{text!r}: give one answer per blank, separated by ';' (or ',')")
        if isinstance(response, dict):
            try:
                response = [response.get(i + 1, response.get(str(i + 1), "")) for i in range(len(self.blanks))]
            except TypeError:
                raise MalformedResponse("expected one answer per blank") from None
        if not isinstance(response, (list, tuple)):
            raise MalformedResponse("expected a list with one answer per blank")
        if len(response) > len(self.blanks):
            raise MalformedResponse(f"{len(response)} answers for {len(self.blanks)} blanks")
        out = ["" if v is None else _as_text(v) for v in response]
        return out + [""] * (len(self.blanks) - len(out))

    def score(self, canonical: list[str]) -> float:
        right = sum(1 for given, accepted in zip(canonical, self.blanks) if given and matches_text(given, list(accepted)))
        return right / len(self.blanks)

    def correct_response(self) -> list[str]:
        return [b[0] for b in self.blanks]

    def answer_text(self) -> str:
        return "; ".join(f"[{i}] {b[0]}" for i, b in enumerate(self.blanks, 1))


@dataclass
class Matching(Question):
    type: ClassVar[str] = "matching"
    pairs: tuple[tuple[str, str], ...] = ()

    @property
    def lefts(self) -> list[str]:
        return [p[0] for p in self.pairs]

    @property
    def rights(self) -> list[str]:
        return [p[1] for p in self.pairs]

    def parse(self, response: Any, rights_shown: list[str] | None = None) -> dict[int, int]:
        """A mapping left index → right index. Letters refer to `rights_shown` (the order the
        student saw), by default the bank's order."""
        shown = rights_shown or self.rights
        out: dict[int, int] = {}
        if isinstance(response, dict):
            for left, right in response.items():
                li = _pick(left, self.lefts, "left item")
                ri = self.rights.index(shown[_pick(right, shown, "right item")])
                out[li] = ri
        else:
            values = _split_list(response)
            if len(values) > len(self.lefts):
                raise MalformedResponse(f"{len(values)} answers for {len(self.lefts)} items")
            for li, right in enumerate(values):
                if right in (None, ""):
                    continue
                out[li] = self.rights.index(shown[_pick(right, shown, "right item")])
        return out

    def score(self, canonical: dict[int, int]) -> float:
        return sum(1 for li, ri in canonical.items() if li == ri) / len(self.pairs)

    def correct_response(self) -> dict[str, str]:
        return {left: right for left, right in self.pairs}

    def answer_text(self) -> str:
        return "; ".join(f"{a} \u2192 {b}" for a, b in self.pairs)


@dataclass
class Ordering(Question):
    type: ClassVar[str] = "ordering"
    items: tuple[str, ...] = ()

    def parse(self, response: Any, shown: list[str] | None = None) -> list[int]:
        """Item indices (in the correct order's numbering) in the order the student chose.
        Letters refer to `shown`, the order the student saw, by default the bank's order."""
        shown = shown or list(self.items)
        order = [list(self.items).index(shown[_pick(v, shown, "item")]) for v in _split_list(response)]
        if len(set(order)) != len(order):
            raise MalformedResponse("an item is used twice")
        return order

    def score(self, canonical: list[int]) -> float:
        n = len(self.items)
        followed = sum(1 for a, b in zip(canonical, canonical[1:]) if b == a + 1)
        return followed / (n - 1)

    def correct_response(self) -> list[str]:
        return list(self.items)

    def answer_text(self) -> str:
        return " \u2192 ".join(self.items)


@dataclass(frozen=True)
class Level:
    label: str
    points: float
    description: str = ""


@dataclass(frozen=True)
class Criterion:
    name: str
    levels: tuple[Level, ...]

    @property
    def max_points(self) -> float:
        return max(level.points for level in self.levels)

    def level(self, given: Any) -> Level:
        """The level a marker gave: its label (folded), its number (1 = first listed) or its points."""
        text = str(given).strip()
        for lv in self.levels:
            if fold_answer(lv.label) == fold_answer(text) and fold_answer(text):
                return lv
        try:
            value = float(text)
        except ValueError:
            value = None
        if value is not None:
            matching = [lv for lv in self.levels if abs(lv.points - value) < 1e-9]
            if len(matching) == 1:
                return matching[0]
            if value.is_integer() and 1 <= value <= len(self.levels) and not matching:
                return self.levels[int(value) - 1]
        names = ", ".join(f"{lv.label} ({lv.points:g})" for lv in self.levels)
        raise MalformedResponse(f"'{text}' is not a level of '{self.name}'; use one of {names}")


class Unmarked(MalformedResponse):
    """An essay response no marker has scored yet."""


@dataclass
class Essay(Question):
    """An open answer a person marks with a rubric: each criterion scored at one of its levels.
    The score is the rubric points earned over the rubric's maximum; `points` scales it as for
    any question. Its polytomous scores enter the item analysis as they are."""

    type: ClassVar[str] = "essay"
    model_answer: str = ""
    rubric: tuple[Criterion, ...] = ()
    lines: int = 12  # writing space on printed sheets
    exercise: str = ""  # the lesson exercise it was taken from, if any

    @property
    def rubric_max(self) -> float:
        return sum(c.max_points for c in self.rubric)

    def parse(self, response: Any) -> str:
        return _as_text(response)

    def score(self, canonical: Any) -> float:
        raise Unmarked("an essay is scored with its rubric")

    def grade(self, response: Any) -> Grade:
        if response is None or response == "" or response == []:
            return Grade(0.0, self.feedback)
        return Grade(0.0, "Not marked yet: a marker scores an essay with its rubric.", malformed=False)

    def mark(self, given: dict[str, Any]) -> tuple[float, list[str]]:
        """The score (0 to 1) for a marker's level per criterion, and one line per criterion.
        Raises MalformedResponse for a missing criterion or a level that is not in the rubric."""
        earned, notes = 0.0, []
        folded = {fold_answer(str(k)): v for k, v in given.items()}
        for c in self.rubric:
            value = folded.get(fold_answer(c.name))
            if value is None or str(value).strip() == "":
                raise Unmarked(f"criterion '{c.name}' has no level")
            lv = c.level(value)
            earned += lv.points
            notes.append(f"{c.name}: {lv.label} ({lv.points:g} of {c.max_points:g})"
                         + (f" — {lv.description}" if lv.description else ""))
        return (earned / self.rubric_max if self.rubric_max else 0.0), notes

    def correct_response(self) -> str:
        return self.model_answer

    def answer_text(self) -> str:
        return self.model_answer

    def rubric_text(self) -> str:
        """The rubric as plain lines, for keys, grader notes and exports."""
        lines = []
        for c in self.rubric:
            lines.append(f"{c.name} (up to {c.max_points:g}):")
            lines += [f"  - {lv.label} ({lv.points:g})" + (f": {lv.description}" if lv.description else "")
                      for lv in c.levels]
        return "\n".join(lines)


CLASSES: dict[str, type[Question]] = {
    cls.type: cls for cls in (Single, Multiple, TrueFalse, Short, Numeric, Cloze, Matching, Ordering, Essay)
}
ALL_TYPES = TYPES + ("essay",)
MARKED_TYPES = ("essay",)  # scored by a person with a rubric, not by a rule


@dataclass
class Objective:
    id: str
    text: str


@dataclass
class Bank:
    """One question bank, as loaded from one YAML file."""

    id: str
    title: str
    source: str
    chapter: str | None
    file: str
    questions: list[Question] = field(default_factory=list)
    objectives: dict[str, str] = field(default_factory=dict)

    def counts_by_type(self) -> dict[str, int]:
        counts = {t: 0 for t in ALL_TYPES}
        for q in self.questions:
            counts[q.type] += 1
        return {t: n for t, n in counts.items() if n}
