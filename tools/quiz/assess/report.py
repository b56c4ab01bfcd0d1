"""The class report of `quiz grade --report`: a score histogram and the item table."""
from __future__ import annotations

import base64
import io
from html import escape
from pathlib import Path

from quiz.assess.grading import StudentResult
from quiz.assess.item_analysis import Analysis
from quiz.files import atomic_write, check_writable
from quiz.neutralise import markdown_cell


def histogram_png(percents: list[float], title: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.5), dpi=110)
    ax.hist(percents, bins=[i * 10 for i in range(11)], color="#3b6ea5", edgecolor="white")
    ax.set_xlabel("score (%)")
    ax.set_ylabel("students")
    ax.set_title(title)
    ax.set_xlim(0, 100)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def _fmt(x) -> str:
    return "–" if x is None else f"{x:.2f}"


def write_report(path: str | Path, results: list[StudentResult], analysis: Analysis, title: str) -> list[Path]:
    """Write OUT.md (with OUT.png beside it) or a self-contained OUT.html."""
    path = Path(path)
    graded = [r for r in results if not r.refused]
    png = histogram_png([r.percent for r in graded], f"{title}: {len(graded)} students")
    summary = (f"{analysis.students} students · mean {analysis.mean_percent:.1f}% · SD {analysis.sd_percent:.1f} · "
               f"KR-20 {_fmt(analysis.kr20)} · Cronbach's alpha {_fmt(analysis.alpha)}")
    header = ["#", "question", "type", "n", "facility", "discrimination", "upper−lower", "flags"]
    rows = [[str(i), s.id, s.type, str(s.n), _fmt(s.facility), _fmt(s.discrimination), _fmt(s.upper_lower),
             ", ".join(s.flags)] for i, s in enumerate(analysis.items, 1)]
    if path.suffix.lower() in (".html", ".htm"):
        data = base64.b64encode(png).decode()
        table = "<table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr>" + "".join(
            "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows) + "</table>"
        distract = "".join(
            f"<h3>{escape(s.id)}</h3><ul>" + "".join(
                f"<li>{'✔ ' if d['correct'] else ''}{escape(d['choice'])}: {d['count']} ({d['proportion']:.0%})</li>"
                for d in s.distractors) + "</ul>" for s in analysis.items if s.distractors)
        html = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title>"
                "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto}table{border-collapse:collapse}"
                "td,th{border:1px solid #ccc;padding:.2rem .5rem}</style></head><body>"
                f"<h1>{escape(title)}</h1><p>{escape(summary)}</p>"
                f"<img alt='Histogram of scores' src='data:image/png;base64,{data}'>"
                f"<h2>Items</h2>{table}<h2>Distractors</h2>{distract}</body></html>\n")
        atomic_write(path, html, "report")
        return [path]
    check_writable(path, "report")  # before the chart beside it: /dev/full must not get a /dev/full.png
    png_path = path.with_suffix(".png")
    atomic_write(png_path, png, "report's chart")
    lines = [f"# {markdown_cell(title)}", "", summary, "", f"![Histogram of scores]({png_path.name})", "", "## Items", "",
             "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(markdown_cell(c) for c in row) + " |" for row in rows]
    lines += ["", "## Distractors", ""]
    for s in analysis.items:
        if s.distractors:
            lines.append(f"- **{markdown_cell(s.id)}**: " + "; ".join(
                f"{'✔ ' if d['correct'] else ''}{markdown_cell(d['choice'])} {d['count']}" for d in s.distractors))
    try:
        atomic_write(path, "\n".join(lines) + "\n", "report")
    except Exception:
        png_path.unlink(missing_ok=True)  # no chart without its report
        raise
    return [path, png_path]
