"""What a student reads about an answer: the verdict, which parts were right, the key with its
letters, the explanation and the passage. Shared by practice feedback, the end-of-exam review
and `quiz history`, so an answer reads the same wherever it is shown again.

Responses arrive in the bank's order (as the attempts store keeps them); letters are given as
the student saw them, through the item's shown order.
"""
from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from quiz import model
from quiz.course.cite import passage_citation
from quiz.course.cite import where as cite_where
from quiz.course.corpus import load_corpus, short_authors
from quiz.course.sheets import KeyItem
from quiz.model import LETTERS
from quiz.neutralise import terminal


def fmt_score(x: float) -> str:
    """A score for people: at most two decimals, no trailing zeros (4.33, 6.5, 7)."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def citation(q: model.Question, passage: model.Passage | None = None, short: bool = True) -> str:
    """Who wrote the passage and where it is: chapter, section and paragraph (¶, numbered as
    the book's source pages number them; quiz.course.cite). Short: the authors' surnames and
    the year, as the book cites an excerpt."""
    passage = passage or q.passage
    ch = load_corpus().chapters.get(passage.chapter)
    if ch is None:
        return passage.chapter
    if not short:
        return passage_citation(ch, passage.quote)
    span = ch.find(passage.quote)
    where = cite_where(ch, ch.line_of(span[0])) if span else ch.label
    return f"{short_authors(ch.authors or ch.source.authors)} ({ch.source.date[:4]}), {where}"


def letter(item: KeyItem, index: int) -> str:
    """The letter the student saw for bank index `index` (choices, right items, items)."""
    return LETTERS[item.order.index(index)] if item.order and index in item.order else LETTERS[index]


def canonical(item: KeyItem, response: Any) -> Any:
    """The response (bank order) in its type's canonical form, or None when absent or unreadable."""
    if response is None or response == "" or response == []:
        return None
    try:
        return item.question.parse(response)
    except model.MalformedResponse:
        return None


def key_text(item: KeyItem) -> str:
    """The right answer with the letters the student saw: 'B. Transacting'."""
    q = item.question
    if isinstance(q, model.Single):
        i = q.correct_indices[0]
        return f"{letter(item, i)}. {q.choices[i].text}"
    if isinstance(q, model.Multiple):
        return "; ".join(f"{letter(item, i)}. {q.choices[i].text}" for i in sorted(q.correct_indices, key=lambda i: letter(item, i)))
    if isinstance(q, model.Matching):
        return "; ".join(f"{left} → {letter(item, i)}. {q.rights[i]}" for i, left in enumerate(q.lefts))
    if isinstance(q, model.Ordering):
        return " → ".join(f"{letter(item, i)}. {t}" for i, t in enumerate(q.items))
    return q.answer_text()


def response_text(item: KeyItem, response: Any) -> str:
    """The student's answer, with letters as shown: 'A. Making'."""
    q = item.question
    c = canonical(item, response)
    if response is None or response == "" or response == []:
        return "(no answer)"
    if c is None:
        return _plain(response)
    if isinstance(q, model.Single):
        return f"{letter(item, c)}. {q.choices[c].text}"
    if isinstance(q, model.Multiple):
        return "; ".join(f"{letter(item, i)}. {q.choices[i].text}" for i in sorted(c, key=lambda i: letter(item, i)))
    if isinstance(q, model.Matching):
        return "; ".join(f"{q.lefts[li]} → {letter(item, ri)}. {q.rights[ri]}" for li, ri in sorted(c.items()))
    if isinstance(q, model.Ordering):
        return " → ".join(f"{letter(item, i)}. {q.items[i]}" for i in c)
    if isinstance(q, model.TrueFalse):
        return "True" if c else "False"
    if isinstance(q, model.Cloze):
        return "; ".join(f"[{i}] {v or '(blank)'}" for i, v in enumerate(c, 1))
    if isinstance(q, model.Numeric):
        return f"{c:g}"
    return str(c)


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return "; ".join(f"{k} → {v}" for k, v in value.items())
    return str(value)


def _mark(ok: bool) -> tuple[str, str]:
    return ("✔ ", "green") if ok else ("✘ ", "red")


def _spelling(given: str, accepted: list[str]) -> str | None:
    """The accepted spelling when `given` was accepted only as a near miss."""
    folded = model.fold_answer(given)
    if any(model.fold_answer(a) == folded for a in accepted):
        return None
    return accepted[0] if model.matches_text(given, accepted) else None


def parts(item: KeyItem, response: Any) -> list[Any]:
    """Which parts were right: each blank, pair, position or choice marked ✔ or ✘, and the
    right spelling of a typed answer accepted despite a typo."""
    q = item.question
    c = canonical(item, response)
    if c is None:
        return []
    lines: list[Text] = []
    if isinstance(q, model.Cloze):
        for i, (given, accepted) in enumerate(zip(c, q.blanks), 1):
            ok = bool(given) and model.matches_text(given, list(accepted))
            fix = _spelling(given, list(accepted)) if ok else accepted[0]
            lines.append(Text.assemble(_mark(ok), f"blank [{i}]: {given or '(blank)'}",
                                       (f"  (spelled: {fix})" if ok and fix else f"  → {fix}" if not ok else "", "dim")))
    elif isinstance(q, model.Matching):
        for li, left in enumerate(q.lefts):
            ri = c.get(li)
            ok = ri == li
            given = f"{letter(item, ri)}. {q.rights[ri]}" if ri is not None else "(none)"
            lines.append(Text.assemble(_mark(ok), f"{left} → {given}",
                                       ("" if ok else f"  (right: {letter(item, li)})", "dim")))
    elif isinstance(q, model.Ordering):
        for pos, i in enumerate(c, 1):
            ok = i == pos - 1
            lines.append(Text.assemble(_mark(ok), f"{pos}. {letter(item, i)}. {q.items[i]}",
                                       ("" if ok else f"  (belongs at {i + 1})", "dim")))
    elif isinstance(q, model.Multiple):
        for i in sorted(set(c) | set(q.correct_indices), key=lambda i: letter(item, i)):
            chosen, right = i in c, q.choices[i].correct
            note = "" if chosen == right else "  (missed)" if right else "  (not one of them)"
            lines.append(Text.assemble(_mark(chosen == right), f"{letter(item, i)}. {q.choices[i].text}", (note, "dim")))
    elif isinstance(q, model.Short):
        fix = _spelling(c, list(q.answers))
        if fix:
            return [Text(terminal(f"Accepted; the spelling is “{fix}”."), style="dim")]
    if not lines:
        return []
    grid = Table.grid()  # the mark in a column of its own: wrapped text hangs under the text
    grid.add_column(no_wrap=True)
    grid.add_column()
    for line in lines:
        mark, rest = line[:2], line[2:]
        grid.add_row(mark, rest)
    return [grid]


def verdict(grade: model.Grade, answered: bool = True) -> Text:
    if not answered:
        return Text("– No answer", style="bold yellow")
    if grade.correct:
        return Text("✔ Correct", style="bold green")
    if grade.score > 0:
        return Text(f"◐ Partly right ({grade.score:.0%})", style="bold yellow")
    return Text("✘ Not right", style="bold red")


def feedback(item: KeyItem, grade: model.Grade, response: Any, quote_limit: int | None = None) -> Group:
    """Everything about one answer, as practice mode shows it after the answer."""
    q = item.question
    answered = response is not None
    out: list[Any] = [verdict(grade, answered)]
    if not grade.correct and grade.feedback and answered:
        out.append(Text(terminal(grade.feedback), style="yellow"))
    detail = parts(item, response)
    if detail and (not grade.correct or isinstance(q, (model.Short, model.Cloze))):
        out += detail
    if not grade.correct and not detail:  # the parts above already show the answer given
        out.append(_labelled("Your answer: ", response_text(item, response)))
    out.append(_labelled("Answer: ", key_text(item)))
    out.append(Text(terminal(q.explanation)))
    for p in q.passages:
        quote = p.quote if quote_limit is None or len(p.quote) <= quote_limit else p.quote[: max(quote_limit - 1, 20)].rstrip() + "…"
        out.append(Panel(Group(Text(terminal(f"“{quote}”"), style="italic"), Text(terminal(f"— {citation(q, p)}"), style="dim")),
                         title="From the source", title_align="left", border_style="dim"))
    return Group(*out)


def _labelled(label: str, text: str) -> Table:
    """`label` then `text`, wrapped lines indented under the text (a hanging indent)."""
    grid = Table.grid()
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_row(Text(label, style="bold"), Text(terminal(text)))  # Text, not markup: bank text may hold brackets
    return grid


def review_entry(k: int, item: KeyItem, score: float, response: Any, answered: bool) -> Group:
    """One question of an attempt seen again: the question, the answer given, the key, why."""
    q = item.question
    grade = model.Grade(score)
    prompt = q.display_prompt if isinstance(q, model.Cloze) else q.prompt
    out: list[Any] = [_labelled(f"{k}. ", prompt)]
    head = verdict(grade, answered)
    if answered and 0 < score < 1:
        head = Text(f"◐ Partly right ({fmt_score(score)} of 1)", style="bold yellow")
    out.append(head)
    detail = parts(item, response)
    if not detail or grade.correct or isinstance(q, model.Short):
        out.append(_labelled("Your answer: ", response_text(item, response)))
    if detail and (not grade.correct or isinstance(q, (model.Short, model.Cloze))):
        out += detail
    out.append(_labelled("Key: ", key_text(item)))
    out.append(_labelled("Why: ", q.explanation))
    out.append(Text(terminal(f"Source: {citation(q)}"), style="dim"))
    return Group(*out)
