"""`quiz lint`: item-writing flaws per question, and blind-strategy figures per bank and course.

`quiz validate` proves a bank is correct; `lint` asks whether it is a fair test: whether a
student who never read the chapter could pass by the shape of the choices. Rules live in
`lint_rules`, the figures in `lint_figures`; this module runs them over banks, applies a
question's `lint: {ignore: [...], reason: ...}`, and renders the report (text or JSON).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from quiz.course.bank import load_bank
from quiz.course.corpus import Corpus, load_corpus
from quiz.course.lint_figures import THRESHOLDS, Figures, figures
from quiz.course.lint_rules import RULES
from quiz.course.schemas import prefer_compiled
from quiz.course.validate import collect
from quiz.errors import InputError, Problem
from quiz.gcpause import gc_paused
from quiz.model import Question


@dataclass(frozen=True)
class LintWarning:
    """One rule raised on one question: `file:line: question: rule: message`."""

    file: str
    line: int
    question: str
    rule: str
    message: str

    def __str__(self) -> str:
        return str(Problem(self.file, self.line, f"{self.question}: {self.rule}: {self.message}"))

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "question": self.question, "rule": self.rule,
                "message": self.message}


@dataclass
class LintReport:
    banks: list[Figures] = field(default_factory=list)
    course: Figures | None = None
    warnings: list[LintWarning] = field(default_factory=list)
    silenced: list[dict] = field(default_factory=list)
    unused: list[dict] = field(default_factory=list)  # silenced rules that no longer fire
    errors: list[Problem] = field(default_factory=list)
    bank_files: list[str] = field(default_factory=list)  # the file of each of `banks`

    @property
    def failures(self) -> list[str]:
        """'bank: threshold' for every failed threshold, banks first, then the course row."""
        rows = self.banks + ([self.course] if self.course else [])
        return [f"{f.name}: {name}" for f in rows for name in f.failures]

    def exit_code(self, strict: bool) -> int:
        if self.errors:
            return 2
        return 1 if strict and (self.failures or self.warnings) else 0

    def rule_counts(self) -> dict[str, int]:
        counts = {r: 0 for r in RULES}
        for w in self.warnings:
            counts[w.rule] += 1
        return counts

    def warnings_in(self, file: str) -> int:
        return sum(1 for w in self.warnings if w.file == file)

    def as_dict(self, strict: bool = False) -> dict:
        return {
            "banks": [{**f.as_dict(), "file": file, "warnings": self.warnings_in(file)}
                      for f, file in zip(self.banks, self.bank_files)],
            "course": self.course.as_dict() if self.course else None,
            "thresholds": dict(THRESHOLDS),
            "failures": self.failures,
            "warnings": [w.as_dict() for w in self.warnings],
            "rule_counts": self.rule_counts(),
            "silenced": list(self.silenced),
            "unused_silences": list(self.unused),
            "errors": [p.as_dict() for p in self.errors],
            "exit_code": self.exit_code(strict),
        }


def lint_question(q: Question) -> tuple[list[LintWarning], list[dict]]:
    """The warnings a question raises, and the ones it silences (with its reason)."""
    raised, silenced = [], []
    for rule_id, (check, _summary) in RULES.items():
        for message in check(q):
            if rule_id in q.lint_ignore:
                silenced.append({"file": q.file, "line": q.line, "question": q.id, "rule": rule_id,
                                 "reason": q.lint_reason})
            else:
                raised.append(LintWarning(q.file, q.line, q.id, rule_id, message))
    return raised, silenced


def unused_silences(q: Question, silenced: list[dict]) -> list[dict]:
    """The rules a question silences that do not fire on it (any more): the reason is stale."""
    fired = {s["rule"] for s in silenced}
    return [{"file": q.file, "line": q.line, "question": q.id, "rule": r} for r in q.lint_ignore if r not in fired]


def lint(targets: list[str | Path] | None = None, corpus: Corpus | None = None) -> LintReport:
    """Lint the banks named by `targets` (files or directories; default every bank in quizzes/)."""
    with gc_paused():
        corpus = corpus or load_corpus()
        banks, _lessons, missing = collect(targets)
        report = LintReport(errors=list(missing))
        if len(banks) > 1:
            prefer_compiled()
        everything: list[Question] = []
        for path in banks:
            try:
                bank = load_bank(path, corpus)
            except InputError as exc:
                report.errors.append(exc.problem)
                continue
            report.bank_files.append(bank.file)
            report.banks.append(figures(bank.id, bank.questions))
            everything += bank.questions
            for q in bank.questions:
                raised, silenced = lint_question(q)
                report.warnings += raised
                report.silenced += silenced
                report.unused += unused_silences(q, silenced)
        if report.banks:
            report.course = figures("course", everything)
        return report


# -- the table -----------------------------------------------------------------------------------
_COLUMNS = (("bank", 12), ("qs", 4), ("longest", 7), ("chance", 6), ("ratio", 6), ("t/f true", 8),
            ("multi", 6), ("diff3", 6), ("keys A/B/C/D", 13), ("d1/d2/d3", 11), ("warn", 5))
MARK = "!"


def _fmt(value, fail: bool, pct: bool = False) -> str:
    if value is None:
        return "-"
    text = f"{value:.0%}" if pct else f"{value:.2f}"
    return text + (MARK if fail else "")


def table_rows(report: LintReport) -> list[list[str]]:
    rows = []
    counts = [report.warnings_in(file) for file in report.bank_files] + [len(report.warnings)]
    for f, warn in zip(report.banks + ([report.course] if report.course else []), counts):
        fails = set(f.failures)
        nt, nf = f.true_false["true"], f.true_false["false"]
        keys = f.key_positions.get("single", {})
        rows.append([
            f.name, str(f.questions),
            _fmt(f.longest_choice, "longest-choice" in fails, pct=True),
            _fmt(f.chance, False, pct=True),
            _fmt(f.length_ratio, "length-ratio" in fails),
            f"{nt}/{nt + nf}" + (MARK if "true-false-balance" in fails else "") if nt + nf else "-",
            _fmt(f.multiple_long, "multiple-long" in fails, pct=True),
            _fmt(f.difficulty3, "difficulty-3" in fails, pct=True),
            "/".join(str(keys.get(k, 0)) for k in "ABCD") if keys else "-",
            "/".join(str(f.difficulty.get(k, 0)) for k in "123"),
            str(warn),
        ])
    return rows


def _line(cells: list[str]) -> str:
    return " ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, (_, w)) in enumerate(zip(cells, _COLUMNS)))


LEGEND = (f"{MARK} past its threshold (quizzes/README.md, 'Lint'). longest: score of picking the longest",
          "single choice, over chance + 10 points; ratio: median key/distractor length, over 1.15;",
          "t/f true: true keys, outside 40-60 %; multi: score of ticking the long choices, over 25 %;",
          "diff3: share of difficulty 3, under 25 %; keys A/B/C/D: where single keys are written",
          "(choices are shuffled when shown).")


def render_table(report: LintReport) -> str:
    """One row per bank and a course row; '!' marks a figure past its threshold."""
    lines = [_line([h for h, _ in _COLUMNS])]
    rows = table_rows(report)
    for n, row in enumerate(rows):
        if n == len(rows) - 1 and report.course is not None:
            lines.append("-" * len(lines[0]))
        lines.append(_line(row))
    return "\n".join(lines + list(LEGEND))
