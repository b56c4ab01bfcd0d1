"""What every exporter shares: the questions to export, warnings, and small text helpers.

An export starts from an `ExportSource`: the questions of one or more banks (one group
per bank, which LMS formats turn into a category, a question group or a deck), or the
questions of one generated quiz sheet in the sheet's order, with the order its choices
were shown in. Exporters never drop a question: when a format cannot express a type,
they write the closest faithful form and return an `ExportWarning` naming the question.
"""
from __future__ import annotations

import hashlib
import html
import random
import re
from dataclasses import dataclass, field
from typing import Iterator

from quiz import model
from quiz.model import BLANK, Question
from quiz.neutralise import one_line


@dataclass(frozen=True)
class ExportWarning:
    """Something a format could not keep for one question, and what was done instead."""

    question: str
    message: str

    def __str__(self) -> str:
        return one_line(f"warning: {self.question}: {self.message}")


@dataclass
class Item:
    """One question to export; `order` is the order a generated sheet showed its choices,
    right-hand items or items in (bank indices), or None when exporting a bank."""

    number: int
    question: Question
    order: list[int] | None = None


@dataclass
class Group:
    """The questions of one bank (or of one generated sheet)."""

    id: str
    title: str
    items: list[Item] = field(default_factory=list)


@dataclass
class ExportSource:
    """What `quiz export` exports: banks (kind "banks") or one generated sheet (kind "sheet")."""

    title: str
    groups: list[Group]
    kind: str = "banks"
    id: str = ""

    @property
    def items(self) -> list[Item]:
        return [it for g in self.groups for it in g.items]

    @property
    def questions(self) -> list[Question]:
        return [it.question for it in self.items]

    def __len__(self) -> int:
        return len(self.items)

    def walk(self) -> Iterator[tuple[Group, Item]]:
        for g in self.groups:
            for it in g.items:
                yield g, it


def from_questions(questions: list[Question], title: str = "Quiz", group_id: str = "quiz") -> ExportSource:
    """An export source from plain model questions (one group), for library callers and tests."""
    return ExportSource(title, [Group(group_id, title, [Item(n, q) for n, q in enumerate(questions, 1)])],
                        id=group_id)


def from_banks(banks: list[model.Bank], title: str | None = None) -> ExportSource:
    groups = [Group(b.id, b.title, []) for b in banks]
    n = 0
    for g, b in zip(groups, banks):
        for q in b.questions:
            n += 1
            g.items.append(Item(n, q))
    title = title or (banks[0].title if len(banks) == 1 else "Quiz: " + ", ".join(b.title for b in banks))
    return ExportSource(title, groups, "banks", "-".join(b.id for b in banks)[:60])


# -- orders ---------------------------------------------------------------------------------

def shown_order(item: Item) -> list[int]:
    """The order to show a question's choices / right-hand items / items in: the sheet's
    order when exporting a sheet, else a fixed shuffle derived from the question id (so the
    bank's order, which often starts with the right answer, is not what students see, and
    every export of the same bank is identical). Ordering and matching questions are never
    shown solved."""
    if item.order:
        return list(item.order)
    from quiz.course.selection import shuffled_order

    order = shuffled_order(item.question, random.Random(f"export:{item.question.id}"))
    if isinstance(item.question, model.Matching) and len(order) > 1 and order == sorted(order):
        order = order[1:] + order[:1]  # printed beside the left items, the bank order would give the pairs away
    return order


def lms_order(item: Item) -> list[int]:
    """The order to write choices / pairs / items in for an LMS that shuffles them itself:
    the sheet's order when exporting a sheet, else the bank's order; ordering items are
    always shuffled (their bank order is the answer)."""
    q = item.question
    if item.order or isinstance(q, model.Ordering):
        return shown_order(item)
    n = (len(q.choices) if isinstance(q, model.ChoiceQuestion) else len(q.pairs) if isinstance(q, model.Matching)
         else 0)
    return list(range(n))


def stable_int(text: str, bits: int = 30) -> int:
    """A stable number in [2**bits, 2**(bits+1)) derived from `text` (deck and model ids)."""
    h = int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:16], 16)
    return (1 << bits) + h % (1 << bits)


def short_hash(text: str, n: int = 16) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


# -- texts ----------------------------------------------------------------------------------

def numeric_prompt(q: model.Numeric) -> str:
    """The prompt with the unit added when the prompt does not name it (as the book does):
    a target without units would otherwise not tell the student what to count in."""
    if q.unit and q.unit.casefold() not in q.prompt.casefold():
        return f"{q.prompt} (in {q.unit})"
    return q.prompt


_UNIT_SUFFIX = re.compile(r"\s\(in ([^()]+)\)\s*$")


def split_unit_suffix(prompt: str) -> tuple[str, str]:
    """Undo `numeric_prompt`: (prompt, unit) when the prompt ends with ' (in UNIT)'."""
    m = _UNIT_SUFFIX.search(prompt)
    if not m:
        return prompt, ""
    return prompt[: m.start()], m.group(1).strip()


def number_text(value: float) -> str:
    """A number as plain decimal text: no exponent, no trailing '.0'."""
    if float(value).is_integer():
        return str(int(value))
    text = f"{value:.12f}".rstrip("0").rstrip(".")
    return text or "0"


def accepted_forms(answers) -> list[str]:
    """The accepted answers of a typed blank for a target that compares exact text (after
    case folding): each answer, then its folded forms (`model.folded_forms`: punctuation as a
    space and punctuation dropped) that differ from every answer (the course folds
    punctuation; LMSs do not). Case-insensitive repeats are left out."""
    return [form for form, _added in accepted_forms_marked(answers)]


def accepted_forms_marked(answers) -> list[tuple[str, bool]]:
    """`accepted_forms` with a flag telling the forms added by the export (the importers
    leave those out again, so an export and import give back the bank's answers)."""
    out: list[tuple[str, bool]] = []
    seen: set[str] = set()
    for a in answers:
        if a.strip() and a.strip().casefold() not in seen:
            seen.add(a.strip().casefold())
            out.append((a.strip(), False))
    for a in answers:
        for f in model.folded_forms(a):
            if f and f.casefold() not in seen:
                seen.add(f.casefold())
                out.append((f, True))
    return out


def cloze_parts(prompt: str) -> list[str | list[str]]:
    """A cloze prompt as text pieces and blanks: ['text ', ['a', 'b'], ' more text']."""
    parts: list[str | list[str]] = []
    pos = 0
    for m in BLANK.finditer(prompt):
        parts.append(prompt[pos : m.start()])
        parts.append([alt.strip() for alt in m.group(1).split("|") if alt.strip()])
        pos = m.end()
    parts.append(prompt[pos:])
    return parts


def cloze_numbered(prompt: str) -> str:
    """The prompt with blanks shown as `[1] _____`, `[2] _____`, …"""
    return model.cloze_display(prompt, "[{}] _____")


def h(text: str) -> str:
    """Plain text as HTML: escaped, line breaks kept."""
    return html.escape(str(text), quote=False).replace("\r\n", "\n").replace("\n", "<br>")


def citation(q: Question, passage=None) -> str:
    """The citation of the chapter of the question's (first) passage ('' when the corpus cannot tell)."""
    try:
        from quiz.course.corpus import load_corpus

        chapter = load_corpus().chapters.get((passage or q.passage).chapter)
    except Exception:  # a missing or broken manifest must not stop an export
        return ""
    return chapter.citation if chapter is not None else ""


def source_html(q: Question) -> str:
    """The passages and citations as HTML blocks marked `quiz-source`, each chapter in
    `data-chapter` (the importers recognise them and take the quotes and chapters back)."""
    blocks = []
    for p in q.passages:
        cite = citation(q, p)
        chapter = html.escape(p.chapter, quote=True)
        out = f'<div class="quiz-source" data-chapter="{chapter}"><blockquote>{h(p.quote)}</blockquote>'
        if cite:
            out += f"<p><cite>{h(cite)}</cite></p>"
        blocks.append(out + "</div>")
    return "".join(blocks)


def general_feedback_html(q: Question, with_feedback: bool = False, with_source: bool = True) -> str:
    """The LMS general feedback: the explanation, the wrong-answer feedback when the target
    has no other place for it (marked `quiz-feedback`), and the source passage."""
    out = f"<p>{h(q.explanation)}</p>"
    if with_feedback and q.feedback:
        out += f'<p class="quiz-feedback">{h(q.feedback)}</p>'
    if with_source:
        out += source_html(q)
    return out


def prompt_text(q: Question) -> str:
    """The prompt as an LMS shows it for types whose prompt is plain text."""
    if isinstance(q, model.Numeric):
        return numeric_prompt(q)
    if isinstance(q, model.Cloze):
        return cloze_numbered(q.prompt)
    return q.prompt


def position_label(i: int) -> str:
    """The right-hand item standing for position i (0-based) when an ordering question is
    written as matching: '1', '2', …"""
    return str(i + 1)


def positions_to_order(pairs: list[tuple[str, str]]) -> list[str] | None:
    """The items in order when matching pairs are an ordering written as item → position
    (rights exactly '1'…'n'); None otherwise."""
    n = len(pairs)
    rights = [r.strip() for _, r in pairs]
    if n < 2 or sorted(rights, key=lambda r: (len(r), r)) != [position_label(i) for i in range(n)]:
        return None
    ordered = sorted(pairs, key=lambda p: int(p[1].strip()))
    return [left for left, _ in ordered]
