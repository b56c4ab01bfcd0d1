"""`quiz grade`: score a class's responses against answer keys.

Responses are filled-in sheets (YAML, one per student) or one CSV with a row per
student. A response is matched to its key by the sheet's fingerprint, so a response to
variant 2 is never graded with variant 1's key. One student's bad file never stops the
others from being graded.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quiz import model
from quiz.course.safeyaml import load_yaml
from quiz.course.sheets import Key
from quiz.errors import InputError, display_path
from quiz.gcpause import gc_paused


@dataclass
class ItemResult:
    number: int
    id: str
    score: float  # points earned: the question's score times its points (negative with a penalty)
    response: Any
    malformed: str = ""
    max: float = 1.0  # the question's points
    feedback: str = ""
    rubric: list[str] = field(default_factory=list)  # essays: "criterion: level (points)" per criterion marked

    @property
    def correct(self) -> bool:
        return self.score >= self.max - 1e-9

    @property
    def fraction(self) -> float:
        """The score as a share of the question's points (facility averages this)."""
        return self.score / self.max if self.max else 0.0


@dataclass
class StudentResult:
    student: str
    student_id: str
    source: str  # the file (and row) the response came from
    key: Key | None
    items: list[ItemResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    refused: str = ""

    @property
    def score(self) -> float:
        """Points earned; penalties can make a question's points negative, never the total."""
        return max(0.0, sum(i.score for i in self.items))

    @property
    def max(self) -> float:
        return self.key.points if self.key else 0.0

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max if self.max else 0.0

    def as_dict(self) -> dict:
        return {"student": self.student, "student_id": self.student_id, "source": self.source,
                "sheet": self.key.sheet if self.key else None, "variant": self.key.variant if self.key else None,
                "score": round(self.score, 4), "max": self.max, "percent": round(self.percent, 2),
                "refused": self.refused or None, "problems": self.problems,
                "questions": [{"number": i.number, "id": i.id, "score": round(i.score, 4), "max": i.max,
                               "correct": i.correct, "response": i.response, "malformed": i.malformed or None,
                               **({"rubric": i.rubric} if i.rubric else {})}
                              for i in self.items]}


@dataclass
class Response:
    """One student's answers, by question id or number, and which sheet they answered."""

    student: str
    student_id: str
    source: str
    answers: dict[str, Any]
    fingerprint: str = ""
    sheet: str = ""


def read_responses(paths: list[str | Path]) -> tuple[list[Response], list[StudentResult]]:
    """Responses from YAML sheets and CSV files; unreadable files become refused results."""
    responses: list[Response] = []
    refused: list[StudentResult] = []
    for path in paths:
        shown = display_path(path)
        try:
            if str(path).lower().endswith(".csv"):
                responses += _read_csv(Path(path))
            else:
                responses.append(_read_yaml(Path(path)))
        except InputError as exc:
            refused.append(StudentResult(Path(path).stem, "", shown, None, refused=str(exc)))
    return responses, refused


def _read_yaml(path: Path) -> Response:
    loaded = load_yaml(path)
    d = loaded.data
    shown = loaded.file
    if not isinstance(d, dict) or not isinstance(d.get("questions"), list):
        raise InputError(shown, 1, "not a filled-in quiz sheet: expected 'sheet', 'student' and 'questions'")
    answers: dict[str, Any] = {}
    for i, q in enumerate(d["questions"]):
        if not isinstance(q, dict) or ("id" not in q and "number" not in q):
            raise InputError(shown, loaded.line_of(("questions", i)), "each question needs its 'id' (or 'number') and 'answer'")
        answers[str(q.get("id", q.get("number")))] = q.get("answer")
    student = d.get("student") or path.stem
    return Response(str(student), str(d.get("student_id") or ""), shown, answers,
                    str(d.get("fingerprint") or ""), str(d.get("sheet") or ""))


META = {"student", "name", "student_id", "id", "sis user id", "email", "email address", "sheet", "fingerprint", "section"}


def _read_csv(path: Path) -> list[Response]:
    from quiz.course.safeyaml import read_text

    shown = display_path(path)
    text = read_text(path, "CSV file")
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        raise InputError(shown, 1, "the CSV file has no header row")
    header = [h.strip() for h in rows[0]]
    lower = [h.casefold() for h in header]
    if "student" not in lower and "name" not in lower:
        raise InputError(shown, 1, "the CSV header needs a 'student' column, then one column per question (id or number)")
    out = []
    for n, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise InputError(shown, n, f"row has {len(row)} cells but the header has {len(header)}")
        cells = dict(zip(lower, row))
        answers = {h: (c.strip() or None) for h, lh, c in zip(header, lower, row) if lh not in META}
        out.append(Response(cells.get("student") or cells.get("name", ""), cells.get("student_id", cells.get("id", "")),
                            f"{shown}:{n}", answers, cells.get("fingerprint", ""), cells.get("sheet", "")))
    return out


def pick_key(response: Response, keys: list[Key]) -> Key | str:
    """The key this response belongs to, or why none does."""
    if response.fingerprint:
        for k in keys:
            if k.fingerprint == response.fingerprint:
                return k
        sheets = ", ".join(f"{k.sheet} ({k.fingerprint})" for k in keys)
        return (f"answers sheet fingerprint {response.fingerprint}, but the key is for {sheets}; "
                "grade it with the key written alongside its sheet")
    if response.sheet:
        for k in keys:
            if k.sheet == response.sheet:
                return k
        return f"answers sheet '{response.sheet}', which no key given here belongs to; pass that sheet's key"
    if len(keys) == 1:
        return keys[0]
    return "the response does not say which sheet it answers (no 'sheet' or 'fingerprint'); add it, or pass one key"


_MISSING = object()


def grade_response(response: Response, keys: list[Key], marks=None) -> StudentResult:
    """Grade one response; essays take their score from `marks` (quiz.assess.rubric.Marks)."""
    key = pick_key(response, keys)
    if isinstance(key, str):
        return StudentResult(response.student, response.student_id, response.source, None, refused=key)
    result = StudentResult(response.student, response.student_id, response.source, key)
    matched: set[str] = set()
    for ident in response.answers:
        item = key.item(ident)
        if item is None:
            result.problems.append(f"unknown question '{ident}' (not on sheet {key.sheet}); ignored")
        elif item.question.id in matched:
            result.problems.append(f"question '{ident}' answered twice; the first answer counts")
        else:
            matched.add(item.question.id)
    answers = response.answers
    for item in key.items:
        raw = answers.get(item.question.id, _MISSING)
        if raw is _MISSING:
            raw = answers.get(str(item.number))
        q = item.question
        if isinstance(q, model.Essay):
            result.items.append(_mark_essay(item.number, q, raw, response, marks, result.problems))
            continue
        grade = item.grade(raw)
        malformed = grade.feedback.removeprefix("Could not read the answer: ") if grade.malformed else ""
        if malformed:
            result.problems.append(f"question {item.number} ({item.question.id}): {malformed}; scored 0")
        result.items.append(ItemResult(item.number, q.id, q.earned(grade, raw), raw, malformed, q.points, grade.feedback))
    return result


def _mark_essay(number: int, q: model.Essay, raw: Any, response: Response, marks, problems: list[str]) -> ItemResult:
    """An essay's result from the rubric levels a marker gave; unmarked essays score 0 and say so."""
    if raw in (None, "", []):
        return ItemResult(number, q.id, 0.0, raw, "", q.points)
    given, where, found = marks.for_student(response.student, response.student_id, q.id) if marks else (None, "", ())
    if given is None:
        problems.append(f"question {number} ({q.id}): essay not marked yet; give its rubric levels "
                        "(`quiz grade … --rubric-template FILE`, or `quiz mark`); scored 0")
        return ItemResult(number, q.id, 0.0, raw, "", q.points, "Not marked yet.")
    try:
        fraction, notes = q.mark(given)
    except model.MalformedResponse as exc:
        problems.append(f"question {number} ({q.id}): rubric marks at {where}: {exc}; scored 0")
        return ItemResult(number, q.id, 0.0, raw, "", q.points, "Not marked yet.")
    comments = marks.comments.get(found, [])
    return ItemResult(number, q.id, fraction * q.points, raw, "", q.points, " ".join(comments), notes)


def grade_all(keys: list[Key], paths: list[str | Path], marks=None) -> list[StudentResult]:
    responses, refused = read_responses(paths)
    with gc_paused():
        return [grade_response(r, keys, marks) for r in responses] + refused


GRADEBOOK_COLUMNS = ["Student", "ID", "SIS User ID", "Email address", "Score", "Max", "Percentage"]


def write_gradebook(results: list[StudentResult], path: str | Path, title: str) -> None:
    """A CSV for Canvas (Student, ID, SIS User ID + an assignment column) and Moodle
    (match on 'ID number' or 'Email address', map the points column)."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Student", "ID", "SIS User ID", "Email address", f"{title} Points", "Max", "Percentage"])
        for r in results:
            if r.refused:
                continue
            email = r.student_id if "@" in r.student_id else ""
            w.writerow([r.student, "", r.student_id if not email else "", email,
                        f"{r.score:g}", f"{r.max:g}", f"{r.percent:.1f}"])
