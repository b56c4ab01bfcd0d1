"""Printable quiz sheets and answer keys (Markdown and self-contained HTML).

Every string from a bank is escaped before it reaches HTML or Markdown: a prompt is text,
never markup.
"""
from __future__ import annotations

from html import escape

from quiz.neutralise import markdown_cell
from quiz.neutralise import markdown_text as m

_CSS = """body{font-family:Georgia,serif;max-width:46rem;margin:2rem auto;line-height:1.5;color:#111}
h1{font-size:1.5rem}.q{margin:1.2rem 0;break-inside:avoid}.meta{color:#555;font-size:.9rem}
ol.opts{list-style:upper-alpha}.line{border-bottom:1px solid #999;display:inline-block;min-width:14rem;height:1.2rem}
table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.2rem .5rem;text-align:left}
.write{border:1px solid #999;background:repeating-linear-gradient(#fff 0 1.95rem,#ccc 1.95rem 2rem)}
@media print{.noprint{display:none}}"""


def _answer_space_md(q: dict) -> list[str]:
    t = q["type"]
    if t in ("single", "multiple"):
        return [f"- **{k}.** {m(v)}" for k, v in q["choices"].items()] + ([""] + ["_Select all that apply._"] if t == "multiple" else [])
    if t == "true_false":
        return ["True / False"]
    if t == "matching":
        rows = [f"{i}. {m(left)} → ____" for i, left in enumerate(q["left"], 1)]
        return rows + [""] + [f"- **{k}.** {m(v)}" for k, v in q["right"].items()]
    if t == "ordering":
        return [f"- **{k}.** {m(v)}" for k, v in q["items"].items()] + ["", "Order: ____________"]
    if t == "numeric":
        return ["Answer: ____________ " + m(q.get("unit", ""))]
    if t == "cloze":
        return [f"[{i}] ____________" for i in range(1, q["blanks"] + 1)]
    if t == "essay":
        marked = "; ".join(f"{name} ({worth:g})" for name, worth in q.get("criteria", {}).items())
        return ([f"_Marked on: {marked}._", ""] if marked else []) + ["_" * 70 + "  " for _ in range(q.get("lines", 12))]
    return ["Answer: ______________________________"]


def _marking(q: dict) -> str:
    """What a question is worth, when it is not the default 1 point or a wrong answer costs."""
    notes = [f"{q['points']:g} points"] if "points" in q else []
    if q.get("penalty"):
        notes.append(q["penalty"])
    return f" ({'; '.join(notes)})" if notes else ""


def sheet_markdown(sheet: dict) -> str:
    lines = [f"# {markdown_cell(sheet['title'])}", "", f"Sheet {m(sheet['sheet'])} · variant {sheet['variant']}", "",
             "Name: ______________________  Student ID: ____________", ""]
    for q in sheet["questions"]:
        lines += [f"**{q['number']}.** {m(q['prompt'])}{_marking(q)}", ""] + _answer_space_md(q) + [""]
    return "\n".join(lines).rstrip() + "\n"


def sheet_html(sheet: dict) -> str:
    e = escape
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{e(sheet['title'])}</title>"
             f"<style>{_CSS}</style></head><body>",
             f"<h1>{e(sheet['title'])}</h1><p class='meta'>Sheet <code>{e(sheet['sheet'])}</code> · variant {sheet['variant']}</p>",
             "<p>Name: <span class='line'></span> Student ID: <span class='line'></span></p>"]
    for q in sheet["questions"]:
        parts.append(f"<div class='q'><p><strong>{q['number']}.</strong> {e(q['prompt'])}{e(_marking(q))}</p>")
        t = q["type"]
        if t in ("single", "multiple"):
            parts.append("<ol class='opts'>" + "".join(f"<li>{e(v)}</li>" for v in q["choices"].values()) + "</ol>")
            if t == "multiple":
                parts.append("<p class='meta'>Select all that apply.</p>")
        elif t == "true_false":
            parts.append("<p>True / False</p>")
        elif t == "matching":
            parts.append("<table><tr><th>Item</th><th>Letter</th><th></th><th>Options</th></tr>")
            rights = list(q["right"].items())
            for i in range(max(len(q["left"]), len(rights))):
                left = e(q["left"][i]) if i < len(q["left"]) else ""
                right = f"{rights[i][0]}. {e(rights[i][1])}" if i < len(rights) else ""
                parts.append(f"<tr><td>{left}</td><td><span class='line' style='min-width:3rem'></span></td><td></td><td>{right}</td></tr>")
            parts.append("</table>")
        elif t == "ordering":
            parts.append("<ol class='opts'>" + "".join(f"<li>{e(v)}</li>" for v in q["items"].values()) + "</ol>")
            parts.append("<p>Order: <span class='line'></span></p>")
        elif t == "cloze":
            parts.append("".join(f"<p>[{i}] <span class='line'></span></p>" for i in range(1, q["blanks"] + 1)))
        elif t == "essay":
            marked = "; ".join(f"{e(name)} ({worth:g})" for name, worth in q.get("criteria", {}).items())
            if marked:
                parts.append(f"<p class='meta'>Marked on: {marked}.</p>")
            parts.append(f"<div class='write' style='height:{q.get('lines', 12) * 2}rem'></div>")
        else:
            unit = e(q.get("unit", ""))
            parts.append(f"<p>Answer: <span class='line'></span> {unit}</p>")
        parts.append("</div>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def key_markdown(key: dict) -> str:
    lines = [f"# Answer key: {markdown_cell(key['title'])}", "",
             f"Sheet {m(key['key'])} · variant {key['variant']} · seed {key['seed']} · fingerprint {m(key['fingerprint'])}", "",
             "| # | question | answer |", "|---|---|---|"]
    for q in key["questions"]:
        answer = q["answer"] if q["question"]["type"] != "essay" else "see the model answer and rubric below"
        if isinstance(answer, list):
            answer = ", ".join(str(a) for a in answer)
        elif isinstance(answer, dict):
            answer = "; ".join(f"{k} → {v}" for k, v in answer.items())
        lines.append(f"| {q['number']} | {markdown_cell(q['question']['id'])} | {markdown_cell(answer)} |")
    essays = [q for q in key["questions"] if q["question"]["type"] == "essay"]
    for q in essays:
        d = q["question"]
        lines += ["", f"## Question {q['number']} ({markdown_cell(d['id'])}): model answer and rubric", "",
                  m(d["model_answer"]), "", "| criterion | level | points | description |", "|---|---|---|---|"]
        for c in d["rubric"]:
            for lv in c["levels"]:
                lines.append(f"| {markdown_cell(c['criterion'])} | {markdown_cell(lv['label'])} | {lv['points']:g} | "
                             f"{markdown_cell(lv.get('description', ''))} |")
    lines += ["", "Banks: " + ", ".join(m(f"{b['id']} ({b['file']}, sha256 {b['sha256']})") for b in key["banks"])]
    return "\n".join(lines) + "\n"
