"""A printable quiz as one self-contained HTML page, the answer key on a separate page.

The same content as the Markdown export (see printed.py), with print styles: each
question kept on one page, the key starting on a new page. Every text from a bank is
escaped: a prompt is text, never markup.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from quiz.exporters.common import ExportSource, ExportWarning
from quiz.exporters.markdown import SEP
from quiz.exporters.printed import INSTRUCTIONS, Printed, printed

FORMAT = "html"
SUFFIX = ".html"
BINARY = False

CSS = """body{font-family:Georgia,serif;max-width:46rem;margin:2rem auto;line-height:1.5;color:#111}
h1{font-size:1.5rem}.q{margin:1.2rem 0;break-inside:avoid}.meta,.how{color:#555;font-size:.9rem}
ol.opts{list-style:upper-alpha}.line{border-bottom:1px solid #999;display:inline-block;min-width:14rem;height:1.2rem}
table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.2rem .5rem;text-align:left}
.key{break-before:page;page-break-before:always}.key .a{font-weight:bold}
blockquote{border-left:3px solid #999;margin:.4rem 0;padding-left:.8rem;color:#333}cite{font-size:.85rem;color:#555}
code{font-size:.8rem;color:#666}"""


def e(text) -> str:
    return escape(str(text), quote=True).replace("\n", "<br>")


def _question(p: Printed) -> str:
    out = [f"<div class='q' id='q{p.number}'><p><strong>{p.number}.</strong> {e(p.prompt)} "
           f"<span class='how'>({e(INSTRUCTIONS[p.type])})</span></p>"]
    if p.type in ("single", "multiple", "ordering"):
        out.append("<ol class='opts'>" + "".join(f"<li>{e(text)}</li>" for _, text in p.choices) + "</ol>")
        if p.type == "ordering":
            out.append("<p>Order: <span class='line'></span></p>")
    elif p.type == "true_false":
        out.append("<p>True / False</p>")
    elif p.type == "matching":
        out.append("<table><tr><th>Item</th><th>Letter</th><th>Options</th></tr>")
        for i in range(max(len(p.lefts), len(p.rights))):
            left = e(p.lefts[i]) if i < len(p.lefts) else ""
            right = f"{p.rights[i][0]}. {e(p.rights[i][1])}" if i < len(p.rights) else ""
            out.append(f"<tr><td>{left}</td><td><span class='line' style='min-width:3rem'></span></td><td>{right}</td></tr>")
        out.append("</table>")
    elif p.type == "cloze":
        out.append("".join(f"<p>[{k}] <span class='line'></span></p>" for k in range(1, p.blanks + 1)))
    elif p.type == "essay":  # writing space: one line per rule
        out.append("".join("<p><span class='line' style='min-width:100%'></span></p>" for _ in range(p.blanks or 12)))
    else:
        out.append(f"<p>Answer: <span class='line'></span> {e(p.unit)}</p>")
    out.append("</div>")
    return "\n".join(out)


def _key(p: Printed) -> str:
    spelled = f" \u2014 {e(SEP.join(p.answer_texts))}" if p.answer_texts else ""
    cite = f"<cite>{e(p.citation)}</cite>" if p.citation else ""
    return (f"<div class='q'><p><strong>{p.number}.</strong> <span class='a'>{e(p.answer)}</span>{spelled} "
            f"<code>{e(p.id)}</code></p><p>{e(p.explanation)}</p><blockquote>{e(p.quote)}</blockquote>{cite}</div>")


def render(source: ExportSource, **_options) -> tuple[str, list[ExportWarning]]:
    items = printed(source)
    sheet = f"<p class='meta'>Sheet <code>{e(source.id)}</code></p>" if source.kind == "sheet" else ""
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{e(source.title)}</title>"
             f"<style>{CSS}</style></head><body>",
             f"<section class='quiz'><h1>{e(source.title)}</h1>{sheet}",
             "<p>Name: <span class='line'></span> Student ID: <span class='line'></span></p>"]
    parts += [_question(p) for p in items]
    parts.append("</section>")
    parts.append(f"<section class='key'><h1>Answer key: {e(source.title)}</h1>")
    parts += [_key(p) for p in items]
    parts.append("</section></body></html>")
    return "\n".join(parts) + "\n", []


def export(source: ExportSource, out_path: str | Path, **options) -> list[ExportWarning]:
    text, warnings = render(source, **options)
    Path(out_path).write_text(text, encoding="utf-8")
    return warnings
