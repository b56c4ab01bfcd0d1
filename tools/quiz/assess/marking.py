"""The terminal marking loop of `quiz mark`: for each answered essay not yet marked, the
student's text beside the rubric, a level asked per criterion, and the rubric CSV rewritten
after every essay (so marking can stop at any point and resume where it stopped).

Student text is shown as plain text: control characters are replaced and Rich markup is
never interpreted."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import click

from quiz import model
from quiz.assess.grading import grade_all
from quiz.assess.rubric import Marks, levels_text, read_marks, template_rows, write_rows
from quiz.course.sheets import load_keys


def printable(text: str) -> str:
    """Text safe for a terminal: control characters (escape sequences included) become '?'."""
    return "".join(ch if ch in "\n\t" or unicodedata.category(ch) != "Cc" else "?" for ch in str(text))


def _ask_level(c: model.Criterion, prompt_text) -> str | None:
    """A level label for criterion `c`, or None to skip the essay; 'q' raises Abort."""
    while True:
        given = prompt_text(f"  {c.name} [{' / '.join(f'{i}={lv.label}' for i, lv in enumerate(c.levels, 1))}]")
        given = given.strip()
        if given.casefold() == "q":
            raise click.Abort()
        if given.casefold() == "s":
            return None
        if given.isdecimal() and 1 <= int(given) <= len(c.levels):
            return c.levels[int(given) - 1].label
        try:
            return c.level(given).label
        except model.MalformedResponse as exc:
            click.echo(f"  {exc}")


def marking_loop(key_path: str, responses: list[str], rubric_path: str) -> int:
    """Mark every unmarked essay; returns how many essays were marked in this session."""
    from rich.console import Console
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    keys = load_keys(key_path)
    path = Path(rubric_path)
    marks = read_marks(path) if path.exists() else Marks()
    results = grade_all(keys, responses, marks)
    rows = template_rows(results, marks)
    todo = [r for r in results if not r.refused and r.key is not None]
    console = Console()
    done = 0
    pending = [(r, it) for r in todo for it in r.items
               if isinstance(r.key.item(it.id).question, model.Essay) and it.response not in (None, "", [])
               and marks.for_student(r.student, r.student_id, it.id)[0] is None]
    plain = {"markup": False, "highlight": False}  # messages as written: no markup, no colouring of numbers
    console.print(f"{len(pending)} essay(s) to mark; levels are saved to {path} after each one.", **plain)
    try:
        for r, it in pending:
            q = r.key.item(it.id).question
            console.rule(Text(f"{printable(r.student)} · question {it.number} ({q.id})"))
            console.print(Text(printable(q.prompt), style="bold"))
            table = Table(show_header=True, expand=True)
            table.add_column("answer")
            table.add_column("rubric")
            rubric = Text("\n".join(f"{c.name}: {levels_text(c)}" for c in q.rubric))
            table.add_row(Text(printable(it.response)), rubric)
            console.print(table)
            console.print(Panel(Text(printable(q.model_answer)), title="model answer"))
            given = {}
            for c in q.rubric:
                level = _ask_level(c, lambda label: click.prompt(label, default="", show_default=False))
                if level is None:
                    given = None
                    break
                given[c.name] = level
            if given is None:
                continue
            for row in rows:
                if row[0] == r.student and row[1] == r.student_id and row[2] == q.id:
                    row[5] = given[row[3]]
            write_rows(path, rows)
            done += 1
    except click.Abort:
        console.print("Stopped; the levels given so far are saved.", **plain)
    write_rows(path, rows)
    console.print(f"{done} essay(s) marked. Grade with: quiz grade KEY RESPONSES… --rubric {path}", **plain)
    return done
