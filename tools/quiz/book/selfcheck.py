"""The self-check quiz of a lesson page, and the course progress page, as HTML.

The questions are the jupyterquiz JSON of the lesson's bank (quiz.exporters.jupyterquiz),
embedded in the page as data; `book/_static/selfcheck.js` draws them as accessible forms
(radio groups, labelled text boxes, a Check button, feedback in a live region) and keeps
the student's answers in the browser's localStorage under the bank's id and `version`.
The self-check sits in a collapsed <details> at the end of the lesson, so the page reads
as a lesson first.
"""
from __future__ import annotations

import hashlib
import html
import json

from quiz.book.pages import doc_link, lesson_docname
from quiz.course.lesson import Lesson
from quiz.exporters.jupyterquiz import to_jupyterquiz
from quiz.model import Bank


def bank_questions(bank: Bank) -> list[dict]:
    """The bank as the book shows it: jupyterquiz JSON, choices in a fixed order, numbered."""
    return to_jupyterquiz(bank.questions, seed="book", numbered=True)


def bank_version(questions: list[dict]) -> str:
    """A short digest of what the student answers: saved answers to another version of a
    bank are not shown against questions that changed."""
    data = json.dumps(questions, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:12]


def part_keys(questions: list[dict]) -> list[str]:
    """The keys under which answers are saved: the question id, with '#k' for part k of a
    question asked in parts (cloze, matching, ordering)."""
    return [f"{q['id']}#{q['part'][0]}" if q.get("part") else q["id"] for q in questions]


def script_json(data) -> str:
    """JSON that cannot end its <script> element (every '<' written as an escape)."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def selfcheck_html(bank_id: str, questions: list[dict]) -> str:
    """The self-check's container; selfcheck.js fills in the questions."""
    n = len({q["id"] for q in questions})
    attr = html.escape
    return (
        f'<section class="self-check" data-bank="{attr(bank_id)}" data-version="{bank_version(questions)}" '
        f'aria-label="Self-check quiz">\n'
        f'<details class="sc-panel">\n'
        f'<summary><span class="sc-title">Self-check: {n} questions</span> '
        f'<span class="sc-score">not started</span></summary>\n'
        f'<p class="sc-loading">The self-check needs JavaScript, which is off in this browser. '
        f'The same questions run in a terminal with <code>quiz take quizzes/{attr(bank_id)}.yaml</code>.</p>\n'
        f'<ol class="sc-questions"></ol>\n'
        f'<p class="sc-actions"><button type="button" class="sc-reset" hidden>Clear my answers</button> '
        f'<span class="sc-status" role="status"></span></p>\n'
        f'<script type="application/json" class="sc-data">{script_json(questions)}</script>\n'
        f'</details>\n</section>'
    )


def progress_cell(bank_id: str, questions: list[dict]) -> str:
    """A table cell of the progress page that selfcheck.js fills with the lesson's score."""
    n = len({q["id"] for q in questions})
    keys = html.escape(json.dumps(part_keys(questions)))
    return (f'<span class="progress-score" data-bank="{html.escape(bank_id)}" '
            f'data-version="{bank_version(questions)}" data-questions="{n}" data-parts="{keys}">\u2014</span>')


def progress_html() -> str:
    """The progress page's total, status line and reset button (the table is Markdown)."""
    return ('<div class="progress-summary">\n'
            '<p class="progress-total" role="status">Your progress shows here when JavaScript is on.</p>\n'
            '<p><button type="button" class="progress-reset" hidden>Reset my progress</button> '
            '<span class="progress-status" role="status"></span></p>\n</div>')


def progress_markdown(course: list[tuple[Lesson, Bank | None]]) -> str:
    """The progress page's table (one row per lesson with a bank) and its controls."""
    rows = [(les, bank_questions(bank)) for les, bank in course if bank is not None and bank.questions]
    if not rows:
        return "No lesson has a self-check yet.\n"
    out = ["| Lesson | Questions | Your score |", "|---|---|---|"]
    for les, questions in rows:
        n = len({q["id"] for q in questions})
        out.append(f"| {doc_link(lesson_docname(les.id), les.title)} | {n} | {progress_cell(les.id, questions)} |")
    return progress_html() + "\n\n" + "\n".join(out) + "\n"
