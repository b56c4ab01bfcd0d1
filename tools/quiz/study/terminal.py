"""The terminal front end of a quiz session (rich): questions, answers, feedback, summary.

Input comes from the keyboard, or from an answers file with the same rendering, so a
scripted run shows what a student would see.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any, Callable

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from quiz import model
from quiz.course.cite import passage_citation
from quiz.course.corpus import load_corpus
from quiz.course.sheets import KeyItem
from quiz.model import LETTERS
from quiz.study.session import Summary

HINTS = {
    "single": "Type the letter (or number) of your choice.",
    "multiple": "Type every letter that applies, e.g. A C.",
    "true_false": "Type t (true) or f (false).",
    "short": "Type your answer.",
    "numeric": "Type a number.",
    "cloze": "Fill each blank in turn.",
    "matching": "For each item, type the letter of its match.",
    "ordering": "Type the letters in the right order, e.g. C A B.",
}


def citation(q: model.Question, passage: model.Passage | None = None) -> str:
    passage = passage or q.passage
    ch = load_corpus().chapters.get(passage.chapter)
    if ch is None:
        return passage.chapter
    return passage_citation(ch, passage.quote)


class TerminalUI:
    def __init__(self, console: Console | None = None, answers: dict | None = None,
                 read: Callable[[str], str] | None = None):
        self.console = console or Console(highlight=False)
        self.answers = answers  # question id or position -> answer, for --answers
        self.read = read or (lambda prompt: self.console.input(prompt))

    # -- asking -----------------------------------------------------------------------
    def ask(self, item: KeyItem, k: int, n: int, time_left: timedelta | None) -> Any:
        q = item.question
        header = f"Question {k} of {n}"
        if time_left is not None:
            secs = max(0, int(time_left.total_seconds()))
            header += f"  ·  time left {secs // 60}:{secs % 60:02d}"
        body = [Text(q.display_prompt if isinstance(q, model.Cloze) else q.prompt, style="bold")]
        shown = item.shown()
        if isinstance(q, (model.ChoiceQuestion, model.Ordering)):
            body += [Text(f"  {LETTERS[i]}. {t}") for i, t in enumerate(shown)]
        elif isinstance(q, model.Matching):
            table = Table(show_header=True, box=None, pad_edge=False)
            table.add_column("item")
            table.add_column("options")
            for i in range(max(len(q.lefts), len(shown))):
                table.add_row(f"{i + 1}. {q.lefts[i]}" if i < len(q.lefts) else "",
                              f"{LETTERS[i]}. {shown[i]}" if i < len(shown) else "")
            body.append(table)
        elif isinstance(q, model.Numeric) and q.unit:
            body.append(Text(f"(in {q.unit})", style="dim"))
        body.append(Text(HINTS[q.type], style="dim italic"))
        self.console.print(Panel(Group(*body), title=header, title_align="left", border_style="cyan"))
        if self.answers is not None:
            raw = self.answers.get(q.id, self.answers.get(str(k), self.answers.get(k)))
            self.console.print(f"[dim]answer from file:[/dim] {escape(_show(raw))}")
            return raw
        return self._read_answer(item)

    def _read_answer(self, item: KeyItem) -> Any:
        q = item.question
        while True:
            if isinstance(q, model.Cloze):
                raw: Any = [self.read(f"  blank [{i}]: ").strip() for i in range(1, len(q.blanks) + 1)]
            elif isinstance(q, model.Matching):
                raw = [self.read(f"  {i}. {q.lefts[i - 1]} → ").strip() for i in range(1, len(q.lefts) + 1)]
            else:
                text = self.read("> ").strip()
                raw = text.replace(" ", ",").split(",") if q.type in ("multiple", "ordering") else text
                if isinstance(raw, list):
                    raw = [r for r in raw if r]
            if raw in ("", []) or (isinstance(raw, list) and not any(raw)):
                if self.read("  No answer given. Press Enter to skip it, or type anything to answer: ").strip() == "":
                    return None
                continue
            try:
                q.parse(item.to_bank_order(raw))
                return raw
            except model.MalformedResponse as exc:
                self.console.print(f"[yellow]{escape(str(exc))}. Try again.[/yellow]")

    # -- after each answer (practice) -------------------------------------------------
    def feedback(self, item: KeyItem, grade: model.Grade, response: Any) -> None:
        q = item.question
        if grade.correct:
            verdict = Text("✔ Correct", style="bold green")
        elif grade.score > 0:
            verdict = Text(f"◐ Partly right ({grade.score:.0%})", style="bold yellow")
        else:
            verdict = Text("✘ Not right", style="bold red")
        parts: list[Any] = [verdict]
        if not grade.correct and grade.feedback:
            parts.append(Text(grade.feedback, style="yellow"))
        parts.append(Text.assemble(("Answer: ", "bold"), q.answer_text()))
        parts.append(Text(q.explanation))
        for p in q.passages:
            parts.append(Panel(Group(Text(f"“{p.quote}”", style="italic"), Text(f"— {citation(q, p)}", style="dim")),
                               title="From the source", title_align="left", border_style="dim"))
        self.console.print(Group(*parts))
        self.console.print()

    # -- at the end -------------------------------------------------------------------
    def summary(self, s: Summary) -> None:
        from quiz.course.index import objective_text

        c = self.console
        if s.timed_out:
            c.print("[bold yellow]Time is up.[/bold yellow]")
        answered = len(s.outcomes)
        c.print(Panel(f"[bold]{s.score:g} / {s.total}[/bold]  ({s.percent:.0f}%)  ·  {answered} of {s.total} answered",
                      title=f"Result: {escape(s.title)}", title_align="left", border_style="green"))
        table = Table(title="By objective (weakest first)")
        table.add_column("objective")
        table.add_column("score", justify="right")
        for bank, obj, score, n in s.by_objective():
            text = objective_text(bank, obj)
            table.add_row(f"{obj}" + (f"\n[dim]{escape(text)}[/dim]" if text else ""), f"{score:g} / {n}")
        c.print(table)
        reread = s.to_reread()
        if reread:
            c.print("[bold]Passages to re-read[/bold]")
            for q in reread:
                quote = q.passage.quote if len(q.passage.quote) < 220 else q.passage.quote[:219] + "…"
                c.print(f" • {escape(citation(q))}\n   [italic]“{escape(quote)}”[/italic]")
        c.print(f"[dim]Saved as attempt {s.attempt_id}. `quiz stats` shows your progress; `quiz review` brings "
                "back what you got wrong.[/dim]")


def _show(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return "; ".join(f"{k} → {v}" for k, v in value.items())
    return "(none)" if value is None else str(value)
