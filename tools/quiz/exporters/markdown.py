"""A printable quiz in Markdown, with the answer key on a separate page.

The quiz lists each question with its lettered choices (or blanks, items to match or to
order) and room to answer; after a page break (`<div style="page-break-before: always">`,
honoured when the Markdown is rendered and printed) comes the key: each answer in the
letters shown, spelled out, the explanation, and the source passage with its citation.
Every text is escaped, so a prompt containing Markdown or HTML prints as written.
"""
from __future__ import annotations

from pathlib import Path

from quiz.exporters.common import ExportSource, ExportWarning
from quiz.exporters.printed import INSTRUCTIONS, Printed, printed
from quiz.neutralise import markdown_text

FORMAT = "markdown"
SUFFIX = ".md"
BINARY = False

SEP = " \u00b7 "  # between the spelled-out answers of a key entry
PAGE_BREAK = '<div style="page-break-before: always"></div>'


def md(text: str) -> str:
    """Plain text as Markdown that renders as that text (see quiz.neutralise)."""
    return markdown_text(text)


def _question(p: Printed) -> list[str]:
    lines = [f"**{p.number}.** {md(p.prompt)} *({INSTRUCTIONS[p.type]})*", ""]
    if p.type in ("single", "multiple", "ordering"):
        lines += [f"- **{letter}.** {md(text)}" for letter, text in p.choices]
        if p.type == "ordering":
            lines += ["", "Order: ____________________"]
    elif p.type == "true_false":
        lines.append("True / False")
    elif p.type == "matching":
        lines += [f"{n}. {md(left)} \u2192 ____" for n, left in enumerate(p.lefts, 1)]
        lines += [""] + [f"- **{letter}.** {md(text)}" for letter, text in p.rights]
    elif p.type == "cloze":
        lines += [f"[{k}] ______________________  " for k in range(1, p.blanks + 1)]
    elif p.type == "numeric":
        lines.append(f"Answer: ____________ {md(p.unit)}".rstrip())
    elif p.type == "essay":  # writing space
        lines += ["_" * 70 + "  "] * (p.blanks or 12)
    else:
        lines.append("Answer: ______________________________")
    return lines + [""]


def _key(p: Printed) -> list[str]:
    lines = [f"**{p.number}.** {md(p.answer)}" + (f" \u2014 {md(SEP.join(p.answer_texts))}" if p.answer_texts else "")
             + f" `{p.id}`", "", md(p.explanation), ""]
    lines.append("> " + md(p.quote))
    if p.citation:
        lines += [">", "> \u2014 " + md(p.citation)]
    return lines + [""]


def render(source: ExportSource, **_options) -> tuple[str, list[ExportWarning]]:
    items = printed(source)
    lines = [f"# {md(source.title)}", ""]
    if source.kind == "sheet":
        lines += [f"Sheet `{source.id}`", ""]
    lines += ["Name: ______________________  Student ID: ____________", ""]
    for p in items:
        lines += _question(p)
    lines += [PAGE_BREAK, "", f"# Answer key: {md(source.title)}", ""]
    for p in items:
        lines += _key(p)
    return "\n".join(lines).rstrip() + "\n", []


def export(source: ExportSource, out_path: str | Path, **options) -> list[ExportWarning]:
    text, warnings = render(source, **options)
    Path(out_path).write_text(text, encoding="utf-8")
    return warnings
