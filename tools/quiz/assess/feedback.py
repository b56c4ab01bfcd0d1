"""Feedback pages for students (`quiz grade --feedback DIR`): one self-contained page per
student with each question, their answer, the key, the explanation and the passage, their
rubric levels and their score. A page is built from that student's result and the key alone,
so it can hold nothing of another student.

Everything a student typed is escaped: a page shows their answer as text, never as markup.
"""
from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import Any

from quiz import model
from quiz.assess.grading import StudentResult
from quiz.course.sheets import KeyItem
from quiz.model import LETTERS

_CSS = """body{font-family:Georgia,serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#111}
h1{font-size:1.5rem}.q{margin:1.4rem 0;padding-top:.6rem;border-top:1px solid #ccc;break-inside:avoid}
.meta{color:#444;font-size:.95rem}.score{font-weight:bold}blockquote{margin:.4rem 0 .4rem 1rem;color:#333;
border-left:3px solid #bbb;padding-left:.6rem}dt{font-weight:bold}table{border-collapse:collapse}
td,th{border:1px solid #bbb;padding:.2rem .5rem;text-align:left;vertical-align:top}"""


def show_value(value: Any) -> str:
    """A response or key as one line of plain text."""
    if value is None or value == "" or value == []:
        return "(no answer)"
    if isinstance(value, dict):
        return "; ".join(f"{k} → {v}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _with_choices(item: KeyItem, value: Any) -> str:
    """Letters of a choice question followed by the choice texts the sheet showed."""
    text = show_value(value)
    if not isinstance(item.question, model.ChoiceQuestion) or value in (None, "", []):
        return text
    shown = item.shown()
    letters = value if isinstance(value, list) else model._split_list(value) if isinstance(value, str) else [value]
    named = []
    for v in letters:
        v = str(v).strip()
        if len(v) == 1 and v.upper() in LETTERS[: len(shown)]:
            named.append(f"{v.upper()}. {shown[LETTERS.index(v.upper())]}")
        else:
            named.append(v)
    return "; ".join(named)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")[:40] or "student"


def student_page(result: StudentResult) -> str:
    """One student's feedback page (HTML)."""
    e = escape
    key = result.key
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{e(key.title)}: "
             f"{e(result.student)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{e(key.title)}</h1>",
             f"<p class='meta'>{e(result.student)}{' · ' + e(result.student_id) if result.student_id else ''}"
             f" · sheet <code>{e(key.sheet)}</code></p>",
             f"<p class='score'>Score: {result.score:g} of {result.max:g} points ({result.percent:.1f}%)</p>"]
    for it in result.items:
        item = key.item(it.id)
        q = item.question
        prompt = model.cloze_display(q.prompt, "[{}] _____") if isinstance(q, model.Cloze) else q.prompt
        parts.append(f"<div class='q'><p><strong>{item.number}.</strong> {e(prompt)}</p><dl>")
        parts.append(f"<dt>Your answer</dt><dd>{e(_with_choices(item, it.response))}</dd>")
        if it.malformed:
            parts.append(f"<dd>Could not be read: {e(it.malformed)}</dd>")
        if q.type == "essay":
            parts.append(f"<dt>Model answer</dt><dd>{e(getattr(q, 'model_answer', ''))}</dd>")
        else:
            parts.append(f"<dt>Answer</dt><dd>{e(_with_choices(item, item.correct_shown()))}</dd>")
        if it.rubric:
            parts.append("<dt>Rubric</dt><dd><ul>" + "".join(f"<li>{e(n)}</li>" for n in it.rubric) + "</ul></dd>")
        parts.append(f"<dt>Score</dt><dd class='score'>{it.score:g} of {it.max:g}</dd>")
        if it.feedback and not it.malformed and not it.correct:
            parts.append(f"<dt>Feedback</dt><dd>{e(it.feedback)}</dd>")
        parts.append(f"<dt>Why</dt><dd>{e(q.explanation)}</dd>")
        parts.append("<dt>From the reading</dt><dd>" + "".join(
            f"<blockquote>{e(p.quote)} <span class='meta'>({e(p.chapter)})</span></blockquote>" for p in q.passages)
            + "</dd></dl></div>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def write_feedback(results: list[StudentResult], out_dir: str | Path, pdf: bool = False) -> list[Path]:
    """One page per graded student in `out_dir` (NNN-name.html, and .pdf with `pdf`)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pages: list[tuple[str, Path]] = []
    written = []
    for n, r in enumerate(results, 1):
        if r.refused or r.key is None:
            continue
        html = student_page(r)
        path = out / f"{n:03d}-{_slug(r.student)}.html"
        path.write_text(html, encoding="utf-8")
        written.append(path)
        pages.append((html, path.with_suffix(".pdf")))
    if pdf:
        from quiz.assess.pdf import html_to_pdf

        written += html_to_pdf(pages)
    return written
