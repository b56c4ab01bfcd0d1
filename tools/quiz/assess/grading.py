"""`quiz grade`: score a class's responses against answer keys.

Responses are filled-in sheets (YAML, one per student) or one CSV with a row per
student. A response is matched to its key by the sheet's fingerprint, so a response to
variant 2 is never graded with variant 1's key. One student's bad file never stops the
others from being graded.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quiz import model
from quiz.course.safeyaml import load_yaml
from quiz.course.sheets import Key
from quiz.errors import InputError, display_path
from quiz.files import atomic_write
from quiz.gcpause import gc_paused
from quiz.neutralise import csv_cell


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
    problems: list[str] = field(default_factory=list)


def read_responses(paths: list[str | Path]) -> tuple[list[Response], list[StudentResult]]:
    """Responses from YAML sheets and CSV files; unreadable files become refused results."""
    responses: list[Response] = []
    refused: list[StudentResult] = []
    for path in paths:
        shown = display_path(path)
        try:
            if str(path).lower().endswith(".csv"):
                for row in _read_csv(Path(path)):  # one bad row refuses that student only
                    (refused if isinstance(row, StudentResult) else responses).append(row)
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
    problems = []
    for i, q in enumerate(d["questions"]):
        if not isinstance(q, dict) or ("id" not in q and "number" not in q):
            raise InputError(shown, loaded.line_of(("questions", i)), "each question needs its 'id' (or 'number') and 'answer'")
        ident = str(q.get("id", q.get("number")))
        if ident in answers:  # never let a later entry overwrite an answer silently
            problems.append(f"line {loaded.line_of(('questions', i))}: question '{ident}' appears twice; "
                            "the first answer counts")
            continue
        answers[ident] = q.get("answer")
    student = d.get("student") or path.stem
    return Response(str(student), str(d.get("student_id") or ""), shown, answers,
                    str(d.get("fingerprint") or ""), str(d.get("sheet") or ""), problems)


META = {"student", "name", "student_id", "id", "sis user id", "email", "email address", "sheet", "fingerprint", "section"}


def _read_csv(path: Path) -> list[Response | StudentResult]:
    from quiz.course.safeyaml import read_text

    shown = display_path(path)
    text = read_text(path, "CSV file")
    # the csv module splits records itself (str.splitlines would also split a quoted name at
    # U+2028 or a form feed, making a phantom student)
    rows = list(csv.reader(io.StringIO(text, newline="")))
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
        cells = dict(zip(lower, row))
        if len(row) > len(header):
            problem = InputError(shown, n, f"row has {len(row)} cells but the header has {len(header)}; "
                                 "this student is not graded")
            out.append(StudentResult(cells.get("student") or cells.get("name", ""), "", f"{shown}:{n}", None,
                                     refused=str(problem)))
            continue
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
    result = StudentResult(response.student, response.student_id, response.source, key,
                           problems=list(response.problems))
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
        return once_per_student([grade_response(r, keys, marks) for r in responses]) + refused


def once_per_student(results: list[StudentResult]) -> list[StudentResult]:
    """Each student graded and counted once. The same answers handed in twice (a file given
    twice, a sheet copied) count once, with a warning; different answers from one student are
    all refused until the instructor keeps one, as either choice would be a guess."""
    by_student: dict[str, list[StudentResult]] = {}
    for r in results:
        ident = (r.student_id or r.student).strip().casefold()
        by_student.setdefault(ident, []).append(r)
    out = []
    for r in results:
        ident = (r.student_id or r.student).strip().casefold()
        same = by_student[ident]
        if len(same) == 1 or not ident:
            out.append(r)
            continue
        sources = ", ".join(sorted(x.source for x in same))
        answers = {repr([(i.id, i.response) for i in x.items]) + (x.key.sheet if x.key else x.refused) for x in same}
        if len(answers) == 1:
            if r is min(same, key=lambda x: x.source):
                r.problems.append(f"handed in {len(same)} times ({sources}) with the same answers; graded once")
                out.append(r)
        else:
            r.items = []
            r.refused = (f"student {r.student} ({r.student_id or 'no id'}) handed in {len(same)} different responses "
                         f"({sources}); keep one and grade again")
            out.append(r)
    return out


GRADEBOOK_COLUMNS = ["Student", "ID", "SIS User ID", "Email address", "Score", "Max", "Percentage"]


_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


def write_gradebook(results: list[StudentResult], path: str | Path, title: str) -> None:
    """A CSV for Canvas (Student, ID, SIS User ID + an assignment column) and Moodle
    (match on 'ID number' or 'Email address', map the points column). Names and ids come
    from students: a cell that would start a formula gets a leading `'` (SECURITY.md), and
    an id goes to the e-mail column only when it is an e-mail address."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["Student", "ID", "SIS User ID", "Email address", csv_cell(f"{title} Points"), "Max", "Percentage"])
    for r in results:
        if r.refused:
            continue
        email = r.student_id if _EMAIL.fullmatch(r.student_id) else ""
        w.writerow([csv_cell(r.student), "", csv_cell(r.student_id if not email else ""), email,
                    f"{r.score:g}", f"{r.max:g}", f"{r.percent:.1f}"])
    atomic_write(path, buf.getvalue(), "gradebook")
