"""Questions to and from plain data in the bank format: for answer keys, imports and exports.

Reading goes through the bank loader's own builder, so a question rebuilt from a key
or an import is checked by exactly the rules that check a bank.
"""
from __future__ import annotations

from typing import Any

from quiz import model
from quiz.course.safeyaml import Loaded
from quiz.errors import InputError, Problem


def question_to_dict(q: model.Question) -> dict[str, Any]:
    """The bank-format mapping of a question (keys in the documented order)."""
    d: dict[str, Any] = {"id": q.id, "type": q.type, "prompt": q.prompt}
    if isinstance(q, model.ChoiceQuestion):
        d["choices"] = []
        for c in q.choices:
            choice: dict[str, Any] = {"text": c.text}
            if c.correct:
                choice["correct"] = True
            if c.feedback:
                choice["feedback"] = c.feedback
            d["choices"].append(choice)
    elif isinstance(q, model.TrueFalse):
        d["answer"] = q.answer
    elif isinstance(q, model.Short):
        d["answers"] = list(q.answers)
    elif isinstance(q, model.Numeric):
        d["answer"] = int(q.answer) if float(q.answer).is_integer() else q.answer
        if q.tolerance:
            d["tolerance"] = q.tolerance
        if q.unit:
            d["unit"] = q.unit
    elif isinstance(q, model.Matching):
        d["pairs"] = [{"left": a, "right": b} for a, b in q.pairs]
    elif isinstance(q, model.Ordering):
        d["items"] = list(q.items)
    elif isinstance(q, model.Essay):
        d["model_answer"] = q.model_answer
        d["rubric"] = [{"criterion": c.name, "levels": [
            {"label": lv.label, "points": int(lv.points) if float(lv.points).is_integer() else lv.points,
             **({"description": lv.description} if lv.description else {})} for lv in c.levels]} for c in q.rubric]
        if q.lines != 12:
            d["lines"] = q.lines
        if q.exercise:
            d["exercise"] = q.exercise
    if q.feedback:
        d["feedback"] = q.feedback
    if q.explanation or not isinstance(q, model.Essay):
        d["explanation"] = q.explanation
    listed = [{"quote": p.quote, "chapter": p.chapter} for p in q.passages]
    d["passage"] = listed[0] if len(listed) == 1 else listed
    d["objective"] = q.objective
    d["difficulty"] = q.difficulty
    if q.tags:
        d["tags"] = list(q.tags)
    if q.lint_ignore:
        d["lint"] = {"ignore": list(q.lint_ignore), "reason": q.lint_reason}
    if q.points != 1 or isinstance(q, model.Essay):  # an essay's default is its rubric's total
        d["points"] = int(q.points) if float(q.points).is_integer() else q.points
    if q.penalty:
        d["penalty"] = q.penalty
    return d


def question_from_dict(d: dict, bank_id: str, file: str = "<key>", line: int = 1) -> model.Question:
    """Rebuild a model question from its bank-format mapping (as written by question_to_dict)."""
    from quiz.course.bank import _build
    from quiz.course.schemas import schema_errors

    shell = {"bank": bank_id or "x", "title": "x", "source": "all", "questions": [d]}
    loaded = Loaded(shell, file, {(): line})
    errors = schema_errors(loaded, "bank")
    if errors:
        raise InputError(file, line, f"question {d.get('id', '?')}: {errors[0][0].message}")
    bank = model.Bank(bank_id, "", "all", None, file)
    problems: list[Problem] = []
    q = _build(d, bank, file, line, loaded, 0, problems)
    if q is None:
        raise InputError(file, line, f"question {d.get('id', '?')}: {problems[0].message}")
    return q
