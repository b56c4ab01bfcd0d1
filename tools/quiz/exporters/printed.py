"""What the printable exports (Markdown, HTML) show: the quiz, then a separate answer key.

Both formats print the same thing. Choices, right-hand items and items to order are
lettered in the order shown: the sheet's order for a generated sheet (so the key's
letters match the printed sheet), else a fixed shuffle derived from the question id.
Every type prints: a cloze prompt with numbered blanks, matching as a left column to
fill with letters, ordering as lettered items to put in order.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from quiz import model
from quiz.exporters.common import (
    ExportSource,
    Item,
    citation,
    cloze_numbered,
    numeric_prompt,
    shown_order,
)

LETTERS = model.LETTERS


@dataclass
class Printed:
    number: int
    id: str
    type: str
    prompt: str
    choices: list[tuple[str, str]] = field(default_factory=list)  # (letter, text) for single, multiple, ordering
    lefts: list[str] = field(default_factory=list)
    rights: list[tuple[str, str]] = field(default_factory=list)
    blanks: int = 0
    unit: str = ""
    answer: str = ""  # the key's answer, in the letters shown
    answer_texts: list[str] = field(default_factory=list)  # the same, spelled out
    explanation: str = ""
    quote: str = ""
    citation: str = ""


def printed(source: ExportSource) -> list[Printed]:
    return [printed_item(n, it) for n, it in enumerate(source.items, 1)]


def printed_item(number: int, item: Item) -> Printed:
    q = item.question
    p = Printed(number, q.id, q.type, q.prompt, explanation=q.explanation,
                quote="\n\n".join(ps.quote for ps in q.passages),
                citation="; ".join(dict.fromkeys(citation(q, ps) for ps in q.passages)))
    order = shown_order(item)
    if isinstance(q, (model.Single, model.Multiple)):
        p.choices = [(LETTERS[k], q.choices[i].text) for k, i in enumerate(order)]
        right = [k for k, i in enumerate(order) if q.choices[i].correct]
        p.answer = ", ".join(LETTERS[k] for k in right)
        p.answer_texts = [q.choices[order[k]].text for k in right]
    elif isinstance(q, model.TrueFalse):
        p.answer = "True" if q.answer else "False"
    elif isinstance(q, model.Short):
        p.answer = q.answers[0]
        p.answer_texts = [f"also accepted: {', '.join(q.answers[1:])}"] if len(q.answers) > 1 else []
    elif isinstance(q, model.Numeric):
        p.prompt = numeric_prompt(q) if q.unit and q.unit.casefold() not in q.prompt.casefold() else q.prompt
        p.unit = q.unit
        p.answer = q.answer_text()
    elif isinstance(q, model.Cloze):
        p.prompt = cloze_numbered(q.prompt)
        p.blanks = len(q.blanks)
        p.answer = "; ".join(f"[{k}] {b[0]}" for k, b in enumerate(q.blanks, 1))
        p.answer_texts = [f"[{k}] also accepted: {', '.join(b[1:])}" for k, b in enumerate(q.blanks, 1) if len(b) > 1]
    elif isinstance(q, model.Matching):
        p.lefts = list(q.lefts)
        p.rights = [(LETTERS[k], q.rights[i]) for k, i in enumerate(order)]
        p.answer = ", ".join(f"{n} \u2192 {LETTERS[order.index(i)]}" for n, i in enumerate(range(len(q.pairs)), 1))
        p.answer_texts = [f"{left} \u2192 {right}" for left, right in q.pairs]
    elif isinstance(q, model.Ordering):
        p.choices = [(LETTERS[k], q.items[i]) for k, i in enumerate(order)]
        p.answer = ", ".join(LETTERS[order.index(i)] for i in range(len(q.items)))
        p.answer_texts = list(q.items)
    elif isinstance(q, model.Essay):
        p.blanks = q.lines  # the lines of writing space
        p.answer = q.model_answer
        p.answer_texts = [line.strip() for line in q.rubric_text().splitlines()]
    return p


INSTRUCTIONS = {
    "single": "Circle one letter.",
    "multiple": "Circle every letter that applies.",
    "true_false": "Circle True or False.",
    "short": "Write a word or phrase.",
    "numeric": "Write a number.",
    "cloze": "Fill in each numbered blank.",
    "matching": "Write the letter of the matching item beside each item.",
    "ordering": "Write the letters in the right order.",
    "essay": "Write your answer in the space given.",
}

