"""The terminal front end of a quiz session (rich): questions, answers, feedback, summary.

Input comes from the keyboard, or from an answers file with the same rendering, so a
scripted run shows what a student would see.
"""
from __future__ import annotations

import signal
import time
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, Callable

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from quiz import model
from quiz.course.sheets import KeyItem
from quiz.model import LETTERS
from quiz.neutralise import markup, terminal
from quiz.study import render
from quiz.study.render import citation, fmt_score
from quiz.study.session import Summary, TimeUp

HINTS = {
    "single": "Type the letter (or number) of your choice.",
    "multiple": "Type every letter that applies, e.g. A C (or AC).",
    "true_false": "Type t (true) or f (false).",
    "short": "Type your answer.",
    "numeric": "Type a number.",
    "cloze": "Fill each blank in turn.",
    "matching": "For each item, type the letter of its match; or all at once, e.g. C A B.",
    "ordering": "Type every letter, in the right order, e.g. C A B.",
}


class TerminalUI:
    """Questions and feedback in a terminal; in practice and review the feedback stays on screen
    until the student presses Enter, and a time limit counts down live on the top line."""

    def __init__(self, console: Console | None = None, answers: dict | None = None,
                 read: Callable[[str], str] | None = None):
        self.console = console or Console(highlight=False)
        self.answers = answers  # question id or position -> answer, for --answers
        self.read = read or (lambda prompt: self.console.input(prompt))
        self.interactive = answers is None and self.console.is_terminal
        self._end: float | None = None  # time.monotonic() at which the time limit runs out
        self.draft = None  # the session's Draft of the current question, when it keeps one
        self._notices: list[str] = []

    def notice(self, message: str) -> None:
        """A word before the quiz starts (resuming, an unfinished attempt): shown on the first
        question's screen in a terminal, where clearing the screen would otherwise hide it; on
        stderr otherwise."""
        if self.interactive:
            self._notices.append(message)
        else:
            import sys

            print(message, file=sys.stderr, flush=True)

    # -- the clock --------------------------------------------------------------------
    def _clock_line(self, seconds: float) -> str:
        secs = max(0, int(seconds + 0.999))
        return f"Time left {secs // 60}:{secs % 60:02d} · submitted at 0:00 · the clock runs even if you stop"

    @contextmanager
    def _clock(self):
        """While waiting for the student: redraw the time left every second on the top line,
        and raise TimeUp at zero (SIGALRM interrupts the pending read)."""
        if self._end is None or not hasattr(signal, "setitimer"):
            yield
            return

        def tick(_signum, _frame):
            left = self._end - time.monotonic()
            if left <= 0:
                raise TimeUp()
            if self.interactive:
                self.console.file.write(f"\x1b7\x1b[1;1H\x1b[2K{self._clock_line(left)}\x1b8")
                self.console.file.flush()

        previous = signal.signal(signal.SIGALRM, tick)
        left = self._end - time.monotonic()
        if left <= 0:
            signal.signal(signal.SIGALRM, previous)
            raise TimeUp()
        signal.setitimer(signal.ITIMER_REAL, min(left, (left % 1.0) or 1.0), 1.0)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    # -- asking -----------------------------------------------------------------------
    def ask(self, item: KeyItem, k: int, n: int, time_left: timedelta | None) -> Any:
        q = item.question
        header = f"Question {k} of {n}"
        if self.interactive:
            self.console.clear()
        if time_left is not None:
            self._end = time.monotonic() + time_left.total_seconds()
            if self.interactive:
                self.console.print(Text(self._clock_line(time_left.total_seconds()), style="bold"), overflow="crop")
            else:
                secs = max(0, int(time_left.total_seconds()))
                header += f"  ·  time left {secs // 60}:{secs % 60:02d}"
        for message in self._notices:
            self.console.print(Text(terminal(message), style="yellow"))
        self._notices = []
        body = [Text(terminal(q.display_prompt if isinstance(q, model.Cloze) else q.prompt), style="bold")]
        shown = item.shown()
        if isinstance(q, (model.ChoiceQuestion, model.Ordering)):
            options = Table.grid(padding=(0, 1))  # wrapped option text hangs under its first line
            options.add_column(no_wrap=True)
            options.add_column()
            for i, t in enumerate(shown):
                options.add_row(f" {LETTERS[i]}.", Text(terminal(t)))  # Text: a bracket in a choice is not markup
            body.append(options)
        elif isinstance(q, model.Matching):
            table = Table(show_header=True, box=None, pad_edge=False)
            table.add_column("item")
            table.add_column("options")
            for i in range(max(len(q.lefts), len(shown))):
                table.add_row(markup(f"{i + 1}. {q.lefts[i]}") if i < len(q.lefts) else "",
                              markup(f"{LETTERS[i]}. {shown[i]}") if i < len(shown) else "")
            body.append(table)
        elif isinstance(q, model.Numeric) and q.unit:
            body.append(Text(terminal(f"(in {q.unit})"), style="dim"))
        body.append(Text(HINTS[q.type], style="dim italic"))
        self.console.print(Panel(Group(*body), title=header, title_align="left", border_style="cyan"))
        if self.answers is not None:
            raw = self.answers.get(q.id, self.answers.get(str(k), self.answers.get(k)))
            self.console.print(f"[dim]answer from file:[/dim] {markup(_show(raw))}")
            return raw
        with self._clock():
            return self._read_answer(item)

    def _say(self, message: str) -> None:
        self.console.print(f"[yellow]{markup(message)}[/yellow]")

    def _read_answer(self, item: KeyItem) -> Any:
        """Read until the whole answer is readable: a message says what is expected, and the
        text typed at the skip prompt is taken as the answer."""
        q = item.question
        if isinstance(q, model.Matching):
            return self._read_matching(item)
        if isinstance(q, model.Cloze):
            return self._read_cloze(item)
        text = self.read("> ").strip()
        while True:
            if not text:
                text = self.read("  No answer given. Press Enter to skip this question, or type your answer: ").strip()
                if not text:
                    return None
            try:
                return interpret(item, text)
            except model.MalformedResponse as exc:
                self._say(f"{exc}. Try again.")
                text = self.read("> ").strip()

    def _kept(self) -> list:
        """The parts typed before a stop."""
        return self.draft.parts() if self.draft is not None else []

    def _keep(self, parts: list) -> None:
        if self.draft is not None:
            self.draft.keep(parts)

    def _read_cloze(self, item: KeyItem) -> Any:
        q = item.question
        raw = self._kept()[: len(q.blanks)]
        for i, text in enumerate(raw, 1):
            self.console.print(f"  blank [{i}]: {markup(text)}  [dim](typed before you stopped)[/dim]")
        while len(raw) < len(q.blanks):
            raw.append(self.read(f"  blank [{len(raw) + 1}]: ").strip())
            self._keep(raw)
        if any(raw):
            return raw
        text = self.read("  No answer given. Press Enter to skip this question, or type the blanks "
                         "separated by | : ").strip()
        return interpret(item, text) if text else None

    def _read_matching(self, item: KeyItem) -> Any:
        q = item.question
        n, letters = len(q.lefts), LETTERS[: len(q.lefts)]
        chosen: list[str] = [x for x in self._kept() if x in letters][:n]
        for i, x in enumerate(chosen):
            self.console.print(f"  {i + 1}. {markup(q.lefts[i])} → {x}  [dim](typed before you stopped)[/dim]")
        while len(chosen) < n:
            i = len(chosen)
            text = self.read(f"  {i + 1}. {q.lefts[i]} → ").strip()
            if not chosen and not text:
                text = self.read("  No answer given. Press Enter to skip this question, or type your answer: ").strip()
                if not text:
                    return None
            if not chosen and len(_tokens(text)) > 1:  # every row at once: C B A
                try:
                    return interpret(item, text)
                except model.MalformedResponse as exc:
                    self._say(f"{exc}. Try again.")
                    continue
            letter = text.upper()
            if len(letter) != 1 or letter not in letters:
                self._say(f"Type one letter, {letters[0]} to {letters[-1]}, for “{q.lefts[i]}”.")
            elif letter in chosen:
                self._say(f"{letter} is already matched to item {chosen.index(letter) + 1}; each letter is used once.")
            else:
                chosen.append(letter)
                self._keep(chosen)
        return chosen

    # -- after each answer (practice, review) -----------------------------------------
    def feedback(self, item: KeyItem, grade: model.Grade, response: Any) -> None:
        timed = self.interactive and self._end is not None
        if timed:  # the clock redraws the top line: give the feedback a screen of its own below it
            self.console.clear()
            self.console.print(Text(self._clock_line(self._end - time.monotonic()), style="bold"), overflow="crop")
        self.console.print(self._fit(lambda limit: render.feedback(item, grade, response, limit), 1 + timed))
        if self.interactive:
            with self._clock():
                self.read("[dim]Press Enter to continue.[/dim] ")
        else:
            self.console.print()

    def _fit(self, make: Callable[[int | None], Any], reserved: int = 1) -> Any:
        """The renderable, with its passage shortened until it fits the screen but for `reserved`
        lines (the prompt, the clock)."""
        if not self.interactive:
            return make(None)
        room = self.console.size.height - reserved
        limit: int | None = None
        for limit in (None, 600, 400, 250, 160, 100, 60):
            rendered = make(limit)
            if len(self.console.render_lines(rendered, self.console.options, pad=False)) <= room:
                return rendered
        return make(limit)

    # -- at the end -------------------------------------------------------------------
    def summary(self, s: Summary) -> None:
        from quiz.course.index import objective_text

        self._end = None
        c = self.console
        if s.timed_out:
            if self.interactive:
                c.print()  # end the line the student was typing on
            c.print("[bold yellow]Time is up.[/bold yellow]" + (
                " Your last answer came after the limit and is not counted." if s.late else "")
                + " Questions not answered count as wrong.")
        if s.mode == "exam":
            c.rule("Your answers")
            for k, o in enumerate(s.outcomes, 1):
                c.print(render.review_entry(k, o.item, o.score, o.response, o.answered))
                c.print()
        c.print(Panel(f"[bold]{fmt_score(s.score)} / {s.total}[/bold]  ({s.percent:.0f}%)  ·  "
                      f"{s.answered} of {s.total} answered",
                      title=f"Result: {markup(s.title)}", title_align="left", border_style="green"))
        table = Table(title="By objective (weakest first)")
        table.add_column("objective")
        table.add_column("score", justify="right")
        for bank, obj, score, n in s.by_objective():
            text = objective_text(bank, obj)
            table.add_row(markup(obj) + (f"\n[dim]{markup(text)}[/dim]" if text else ""), f"{fmt_score(score)} / {n}")
        c.print(table)
        reread = s.to_reread()
        if reread and s.mode != "exam":
            c.print("[bold]Passages to re-read[/bold]")
            for q in reread:
                quote = q.passage.quote if len(q.passage.quote) < 220 else q.passage.quote[:219] + "…"
                c.print(f" • {markup(citation(q))}\n   [italic]“{markup(quote)}”[/italic]")
        c.print(f"[dim]Saved as attempt {s.attempt_id}: `quiz history {s.attempt_id}` shows it again; `quiz stats` "
                "shows your progress; `quiz review` brings back what you got wrong.[/dim]")


def _tokens(text: str) -> list[str]:
    return [t for t in text.replace(",", " ").replace(";", " ").split() if t]


def interpret(item: KeyItem, text: str) -> Any:
    """A typed line as a response in the shown order, checked whole before grading: raises
    MalformedResponse saying what is expected."""
    q = item.question
    n = len(item.shown()) or _option_count(q)  # an item built without a shown order lists the bank's
    if isinstance(q, (model.Multiple, model.Ordering, model.Matching)):
        tokens = _tokens(text)
        if len(tokens) == 1 and len(tokens[0]) > 1 and all(ch.upper() in LETTERS[:n] for ch in tokens[0]) \
                and not _names_an_option(tokens[0], item.shown()):
            tokens = list(tokens[0])  # "bc" is B and C
        if not tokens or not n:
            raise model.MalformedResponse("Type letters, e.g. A C")
        bad = [t for t in tokens if not (len(t) == 1 and t.upper() in LETTERS[:n])]
        if bad:
            raise model.MalformedResponse(f"{bad[0]!r} is not a letter from A to {LETTERS[n - 1]}")
        letters = [t.upper() for t in tokens]
        twice = next((x for x in letters if letters.count(x) > 1), None)
        if twice:
            raise model.MalformedResponse(f"{twice} is given twice; each letter is used once")
        if isinstance(q, (model.Ordering, model.Matching)) and len(letters) != n:
            what = "in the right order" if isinstance(q, model.Ordering) else "one per item, in the items' order"
            raise model.MalformedResponse(f"Give all {n} letters {what} (you gave {len(letters)})")
        raw: Any = letters
    elif isinstance(q, model.Cloze):
        raw = [part.strip() for part in text.split("|")] if len(q.blanks) > 1 else [text]
    else:
        raw = text
    q.parse(item.to_bank_order(raw))  # the type's own reading: a number, true or false, a choice
    return raw


def _option_count(q: model.Question) -> int:
    if isinstance(q, model.ChoiceQuestion):
        return len(q.choices)
    if isinstance(q, model.Matching):
        return len(q.rights)
    return len(q.items) if isinstance(q, model.Ordering) else 0


def _names_an_option(token: str, shown: list[str]) -> bool:
    folded = model.fold_answer(token)
    return any(model.fold_answer(t) == folded for t in shown)


def _show(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return "; ".join(f"{k} → {v}" for k, v in value.items())
    return "(none)" if value is None else str(value)
