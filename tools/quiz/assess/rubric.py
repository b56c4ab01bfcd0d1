"""Rubric marks for essay questions: the CSV a grader fills (one row per student, essay and
criterion), the template `quiz grade --rubric-template` writes, and the terminal marking loop
of `quiz mark`.

A row names the student (by `student_id` when the responses give one, else by `student`), the
question id, the criterion and the level given: its label, or its points. Rows for one student
and essay together make that essay's score; an essay with no rows is reported as unmarked.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from quiz import model
from quiz.errors import InputError, display_path

COLUMNS = ["student", "student_id", "question", "criterion", "levels", "level", "comment"]
REQUIRED = ("question", "criterion", "level")


@dataclass
class Marks:
    """Levels given, by (student key, question id), then by criterion; where each came from."""

    given: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    comments: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    where: dict[tuple[str, str], str] = field(default_factory=dict)
    notes: dict[tuple[str, str, str], str] = field(default_factory=dict)  # comment per (student, question, criterion)
    other_rows: list[list[str]] = field(default_factory=list)  # rows with no level yet, kept as they were
    rows: list[list[str]] = field(default_factory=list)  # the marked rows as read, in COLUMNS order

    def for_student(self, student: str, student_id: str, qid: str) -> tuple[dict[str, str] | None, str, tuple]:
        """The levels given for one student's essay, where they were given, and their key."""
        for name in ([student_id] if student_id else []) + [student]:
            if (name, qid) in self.given:
                return self.given[(name, qid)], self.where[(name, qid)], (name, qid)
        return None, "", ()


def who(student: str, student_id: str) -> str:
    return student_id or student


def read_marks(path: str | Path) -> Marks:
    from quiz.course.safeyaml import read_text

    shown = display_path(path)
    rows = list(csv.reader(read_text(Path(path), "rubric CSV").splitlines()))
    if not rows:
        raise InputError(shown, 1, "the rubric CSV is empty; write one with `quiz grade … --rubric-template`")
    header = [h.strip().casefold() for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing or ("student" not in header and "student_id" not in header):
        raise InputError(shown, 1, f"the rubric CSV needs the columns student (or student_id), "
                                   f"{', '.join(REQUIRED)}; missing {', '.join(missing) or 'student'}")
    marks = Marks()
    for n, row in enumerate(rows[1:], 2):
        cells = {h: c.strip() for h, c in zip(header, row)}
        if not any(cells.values()):
            continue
        if not cells.get("level"):  # not marked yet
            marks.other_rows.append([cells.get(c, "") for c in COLUMNS])
            continue
        key = (who(cells.get("student", ""), cells.get("student_id", "")), cells["question"])
        marks.notes[key + (cells["criterion"],)] = cells.get("comment", "")
        criterion = cells["criterion"]
        given = marks.given.setdefault(key, {})
        if criterion in given:
            raise InputError(shown, n, f"{key[0]}, {key[1]}: criterion '{criterion}' is marked twice; keep one row")
        given[criterion] = cells["level"]
        marks.where.setdefault(key, f"{shown}:{n}")
        if cells.get("comment"):
            marks.comments.setdefault(key, []).append(cells["comment"])
        marks.rows.append([cells.get(c, "") for c in COLUMNS])
    return marks


def levels_text(c: model.Criterion) -> str:
    return " | ".join(f"{lv.label}={lv.points:g}" for lv in c.levels)


def template_rows(results, marks: Marks | None = None) -> list[list[str]]:
    """One row per graded student, answered essay and criterion, levels and comments already
    given kept; then the rows of `marks` for anyone else (other classes, other sittings)."""
    out = []
    for r in results:
        if r.refused or r.key is None:
            continue
        for it in r.items:
            q = r.key.item(it.id).question
            if not isinstance(q, model.Essay) or it.response in (None, "", []):
                continue
            given, _, found = marks.for_student(r.student, r.student_id, q.id) if marks else (None, "", ())
            for c in q.rubric:
                note = marks.notes.get(found + (c.name,), "") if found else ""
                out.append([r.student, r.student_id, q.id, c.name, levels_text(c), (given or {}).get(c.name, ""), note])
    if marks:
        covered = {(row[0], row[1], row[2], row[3]) for row in out}
        out += [row for row in marks.rows + marks.other_rows if (row[0], row[1], row[2], row[3]) not in covered]
    return out


def write_rows(path: str | Path, rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        w.writerows(rows)
