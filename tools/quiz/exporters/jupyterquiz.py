"""Questions as jupyterquiz JSON: the interactive self-check quiz of the online book.

jupyterquiz (2.9) renders four question types: `multiple_choice` (one right answer),
`many_choice` (several), `numeric` and `string`. Each of the eight bank types maps to
them as faithfully as the format allows:

| bank type    | jupyterquiz                                                          |
|--------------|----------------------------------------------------------------------|
| `single`     | `multiple_choice`; every wrong choice shows its own feedback          |
| `multiple`   | `many_choice` (`multiple_choice` when only one choice is right)       |
| `true_false` | `multiple_choice` with the choices True and False, in that order      |
| `short`      | `string`: each accepted form, case-folded, with the typo allowance of |
|              | the grader as jupyterquiz's `fuzzy_threshold`; the punctuation-free   |
|              | form of each answer is accepted too                                   |
| `numeric`    | `numeric` with the range answer ± tolerance; the unit in the prompt   |
| `cloze`      | one `string` question per blank, the prompt shown with numbered blanks|
| `matching`   | one `multiple_choice` per left item, choosing among the right items   |
| `ordering`   | one `multiple_choice` per item: "what comes right after X?", with     |
|              | "It comes last" as a choice, i.e. exactly the successor rule the      |
|              | grader scores ("relative to the next item")                           |

So a cloze, matching or ordering question becomes several jupyterquiz questions, each
carrying `"part": [k, n]`; `to_jupyterquiz` returns the flat list jupyterquiz expects.
Grading in the browser is jupyterquiz's own: it cannot give the partial credit of the
terminal (`quiz take`), but every part it marks right is right under the bank's rules.

The right choice's feedback is "Correct." followed by the question's explanation, so the
explanation appears once the student has answered; a wrong choice shows its own feedback
(or the question's). Texts are escaped for jupyterquiz, which inserts them as HTML and
reads `$…$` as LaTeX and `[text](url)` as a link: `<`, `&`, `$` and the `]` of `](` are
written as entities.

Choices are put in a fixed pseudo-random order derived from the question id (`seed`),
so the bank's order, which authors often start with the right answer, is not shown,
and the output is the same on every run. True/false keeps True before False.
"""
from __future__ import annotations

import html
import math
import random
from typing import Iterable

from quiz.model import (
    Cloze,
    Matching,
    Multiple,
    Numeric,
    Ordering,
    Question,
    Short,
    Single,
    TrueFalse,
    cloze_display,
    fold_answer,
    folded_forms,
    typo_allowance,
)

LAST = "It comes last"
DEFAULT_WRONG = "Not quite. Read the passage again and try another answer."


def to_jupyterquiz(questions: Iterable[Question], seed: str | None = "jupyterquiz",
                   numbered: bool = False) -> list[dict]:
    """The jupyterquiz question list for `questions`, in order (see the module docstring).

    `seed` fixes the order of choices (None keeps the bank's order for single, multiple and
    matching; ordering questions are always shuffled, since their bank order is the answer).
    `numbered` starts each question's text with its number in `questions` (the parts of a
    split question share their question's number).
    """
    out: list[dict] = []
    for n, q in enumerate(questions, 1):
        parts = convert(q, seed)
        if numbered:
            for part in parts:
                part["question"] = f'<span class="jq-num">{n}.</span> {part["question"]}'
        out += parts
    return out


def convert(q: Question, seed: str | None = "jupyterquiz") -> list[dict]:
    """One bank question as one or more jupyterquiz questions."""
    rng = random.Random(f"{seed}:{q.id}") if seed is not None else None
    if q.type == "essay":  # an open answer: nothing jupyterquiz can check
        return []
    if isinstance(q, TrueFalse):
        return [_choice_question(q, q.prompt, [("True", q.answer is True, ""), ("False", q.answer is False, "")],
                                 None)]
    if isinstance(q, (Single, Multiple)):
        prompt = q.prompt
        if isinstance(q, Multiple) and len(q.correct_indices) > 1 and "all that apply" not in prompt.casefold():
            prompt += " (Select all that apply.)"
        return [_choice_question(q, prompt, [(c.text, c.correct, c.feedback) for c in q.choices], rng)]
    if isinstance(q, Numeric):
        return [_numeric(q)]
    if isinstance(q, Short):
        return [_string(q, q.prompt, list(q.answers))]
    if isinstance(q, Cloze):
        n = len(q.blanks)
        if n == 1:
            return [_string(q, cloze_display(q.prompt), list(q.blanks[0]))]
        shown = cloze_display(q.prompt, "[{}] _____")
        return [_string(q, shown, list(b), part=(k, n), ask=f"Blank [{k}]:") for k, b in enumerate(q.blanks, 1)]
    if isinstance(q, Matching):
        n = len(q.pairs)
        parts = []
        for k, (left, right) in enumerate(q.pairs, 1):
            choices = [(r, r == right, "") for r in q.rights]
            parts.append(_choice_question(q, q.prompt, choices, rng, part=(k, n), ask=f"\u201c{left}\u201d matches:"))
        return parts
    if isinstance(q, Ordering):
        rng = rng or random.Random(f"ordering:{q.id}")
        items = list(q.items)
        n = len(items)
        order = list(range(n))
        rng.shuffle(order)  # the bank order is the answer: never ask in that order
        parts = []
        for k, i in enumerate(order, 1):
            successor = items[i + 1] if i + 1 < n else LAST
            options = [x for x in items if x != items[i]]
            rng.shuffle(options)
            choices = [(x, x == successor, "") for x in options + [LAST]]
            parts.append(_choice_question(q, q.prompt, choices, None, part=(k, n),
                                          ask=f"What comes right after \u201c{items[i]}\u201d?"))
        return parts
    raise TypeError(f"no jupyterquiz form for question type {q.type!r}")


def esc(text: str) -> str:
    """Plain text as jupyterquiz-safe HTML: no tags, no `$…$` math, no markdown links."""
    return html.escape(str(text), quote=False).replace("$", "&#36;").replace("](", "&#93;(")


def _right(q: Question) -> str:
    return esc(f"Correct. {q.explanation}".strip())


def _wrong(q: Question, own: str = "") -> str:
    return esc(own or q.feedback or DEFAULT_WRONG)


def _question_text(q: Question, prompt: str, part: tuple[int, int] | None, ask: str = "") -> str:
    """The question's HTML: the prompt, and for a part of a split question what this part
    asks and which part it is."""
    if not part and not ask:
        return esc(prompt)
    text = f'<span class="jq-stem">{esc(prompt)}</span>'
    if ask:
        text += f'<br><strong class="jq-ask">{esc(ask)}</strong>'
    if part:
        text += f' <span class="jq-part">(part {part[0]} of {part[1]})</span>'
    return text


def _choice_question(q: Question, prompt: str, choices: list[tuple[str, bool, str]], rng: random.Random | None,
                     part: tuple[int, int] | None = None, ask: str = "") -> dict:
    choices = list(choices)
    if rng is not None:
        rng.shuffle(choices)
    n_right = sum(1 for _, ok, _ in choices if ok)
    answers = [{"answer": esc(text), "correct": ok, "feedback": _right(q) if ok else _wrong(q, fb)}
               for text, ok, fb in choices]
    long = max(len(text) for text, _, _ in choices) > 32
    out = {"question": _question_text(q, prompt, part, ask),
           "type": "many_choice" if n_right > 1 else "multiple_choice",
           "answers": answers, "answer_cols": 1 if long else 2, "id": q.id}
    if part:
        out["part"] = list(part)
    return out


def _string(q: Question, prompt: str, accepted: list[str], part: tuple[int, int] | None = None, ask: str = "") -> dict:
    answers, seen = [], set()
    for a in accepted:
        for form in (a.strip(), *folded_forms(a)):
            if not form or form.casefold() in seen:
                continue
            seen.add(form.casefold())
            entry = {"answer": form, "correct": True, "match_case": False, "feedback": _right(q)}
            allowance = typo_allowance(fold_answer(form))
            if allowance:
                # jupyterquiz accepts when 1 - distance / longer length >= threshold: rounded down,
                # or a typo at exactly the allowance (1 - 1/9 = 0.88888…) falls short of 0.8889
                entry["fuzzy_threshold"] = math.floor((1 - allowance / max(1, len(form))) * 10_000) / 10_000
            answers.append(entry)
    answers.append({"type": "default", "feedback": _wrong(q)})
    out = {"question": _question_text(q, prompt, part, ask), "type": "string", "answers": answers, "id": q.id}
    if part:
        out["part"] = list(part)
    return out


def _numeric(q: Numeric) -> dict:
    slack = q.tolerance + 1e-9 * max(1.0, abs(q.answer))
    prompt = q.prompt + (f" (in {q.unit})" if q.unit and q.unit.casefold() not in q.prompt.casefold() else "")
    return {"question": esc(prompt), "type": "numeric", "id": q.id,
            "answers": [{"type": "range", "range": [q.answer - slack, q.answer + slack], "correct": True,
                         "feedback": _right(q)},
                        {"type": "default", "feedback": _wrong(q)}]}
