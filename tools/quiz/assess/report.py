"""The class report of `quiz grade --report`: what each figure says about the class and the
items, with the question text beside each item and the definitions of every figure.

The format follows the file's extension: `.html` (self-contained), `.md` (with the histogram
as a PNG beside it) or `.pdf` (the HTML printed by Chromium). The item table is also written
as CSV beside the report (`OUT.items.csv`), for a spreadsheet.
"""
from __future__ import annotations

import base64
import csv
import io
from html import escape
from pathlib import Path

from quiz.assess import item_analysis as ia
from quiz.assess.grading import StudentResult
from quiz.assess.item_analysis import Analysis
from quiz.files import atomic_write, check_writable
from quiz.neutralise import csv_cell, markdown_cell
from quiz.errors import InputError, display_path

FORMATS = (".html", ".htm", ".md", ".pdf")

DEFINITIONS = [
    ("score", "points earned: each question's score (0 to 1, partial credit included) times its points, less "
              "any penalty for a wrong choice; a student's total never goes below 0. Percent = total / points possible."),
    ("mean, SD", "mean and standard deviation of the students' percentages; the SD divides by n (the class is "
                 "the population), so it can be checked by hand."),
    ("n", "students who were given the item (with drawn variants, those whose variant had it)."),
    ("facility", f"the item's mean score as a share of its points, over those n students: 1 = everyone earned "
                 f"full credit. Flagged 'too easy' above {ia.TOO_EASY:g} and 'too hard' below {ia.TOO_HARD:g}."),
    ("discrimination", "the Pearson correlation between the item's points and the rest of the total (the total "
                       "without this item), over those n students; partial scores enter as they are, so for a 0/1 "
                       "item it is the point-biserial. Flagged 'negative discrimination' below 0 (stronger students "
                       f"did worse: check the key) and 'near-zero discrimination' below {ia.NEAR_ZERO:g}."),
    ("upper−lower", f"the item's mean share of its points in the upper group minus in the lower group: the top "
                    f"and bottom {ia.GROUP_SHARE:.0%} of students by total (at least one student each); students "
                    "tied at a cut share its places, each counted with an equal fraction, so the figure does not "
                    "depend on the order the responses were given in."),
    ("distractors", "for choice items, how many students picked each choice, overall and in the upper and lower "
                    "groups (a wrong choice the upper group favours is a trap worth reading). An answer that names "
                    "no choice is counted as '(invalid answer)', a blank one as '(no answer)'."),
    ("Cronbach's alpha", "k/(k−1) × (1 − Σ item variances / variance of totals), on the points as earned, over "
                         "the students who took every item (population variances). With drawn variants, items are "
                         "compared slot by slot: each slot is one objective, type and difficulty."),
    ("KR-20", "the same formula on items dichotomised (full credit 1, anything less 0): Σ p(1−p) over the "
              "variance of the dichotomised totals. Equal to alpha when every item is worth 1 point and scored "
              "0 or 1; otherwise a note says how many items were dichotomised."),
    ("by objective, by tag", "points earned over points possible, all students, on the items of each objective "
                             "(or tag)."),
]


def check_format(path: str | Path) -> None:
    """Refuse an extension the report cannot be written as, before any grading."""
    if Path(path).suffix.lower() not in FORMATS:
        raise InputError(display_path(path), 0, "the report format follows the extension: use .html, .md or .pdf")


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


ITEM_HEADER = ["#", "question", "text", "type", "objective", "points", "n", "facility", "discrimination",
               "upper−lower", "flags"]


def item_rows(analysis: Analysis) -> list[list[str]]:
    return [[str(i), s.id, s.prompt, s.type, s.objective, f"{s.points:g}", str(s.n), _fmt(s.facility),
             _fmt(s.discrimination), _fmt(s.upper_lower), ", ".join(s.flags)] for i, s in enumerate(analysis.items, 1)]


def summary(analysis: Analysis) -> str:
    a = analysis
    text = (f"{a.students} students · mean {a.mean_percent:.1f}% · SD {a.sd_percent:.1f} · "
            f"KR-20 {_fmt(a.kr20)} · Cronbach's alpha {_fmt(a.alpha)}")
    if a.reliability_on == "slots":
        text += " (drawn variants: reliability by slot)"
    return text


def write_item_csv(path: Path, analysis: Analysis) -> Path:
    """The item table for a spreadsheet: bank text cannot start a formula; written atomically."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(ITEM_HEADER + ["tags"])
    for row, s in zip(item_rows(analysis), analysis.items):
        w.writerow([csv_cell(str(c)) for c in row + [" ".join(s.tags)]])
    atomic_write(path, out.getvalue(), "item table")
    return path


def report_html(results: list[StudentResult], analysis: Analysis, title: str) -> str:
    graded = [r for r in results if not r.refused]
    png = histogram_png([r.percent for r in graded], f"{title}: {len(graded)} students")
    e = escape
    data = base64.b64encode(png).decode()

    def table(header, rows):
        return ("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in header) + "</tr>" + "".join(
            "<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows) + "</table>")

    a = analysis
    note = f"<p class='note'>{e(a.kr20_note)}.</p>" if a.kr20_note else ""
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{e(title)}</title>",
             "<style>body{font-family:sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}"
             "table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.2rem .5rem;"
             "vertical-align:top;text-align:left}td:nth-child(3){max-width:28rem}.note{color:#444}"
             "dt{font-weight:bold}</style></head><body>",
             f"<h1>{e(title)}</h1><p>{e(summary(a))}</p>{note}",
             f"<img alt='Histogram of scores' src='data:image/png;base64,{data}'>",
             "<h2>By objective</h2>" + table(["objective", "items", "score %"],
                                            [[b.name, str(b.items), f"{b.percent:.1f}"] for b in a.objectives])]
    if a.tags:
        parts.append("<h2>By tag</h2>" + table(["tag", "items", "score %"],
                                              [[b.name, str(b.items), f"{b.percent:.1f}"] for b in a.tags]))
    parts.append("<h2>Items</h2>" + table(ITEM_HEADER, item_rows(a)))
    parts.append("<h2>Distractors</h2><p>Choices picked, overall and in the upper and lower groups "
                 "(✔ marks a correct choice).</p>")
    for s in a.items:
        if s.distractors:
            parts.append(f"<h3>{e(s.id)}</h3><p>{e(s.prompt)}</p>" + table(
                ["choice", "all", "%", "upper", "lower"],
                [[("✔ " if d["correct"] else "") + d["choice"], str(d["count"]), f"{d['proportion']:.0%}",
                  str(d["upper"]), str(d["lower"])] for d in s.distractors]))
    parts.append("<h2>Definitions</h2><dl>" + "".join(f"<dt>{e(t)}</dt><dd>{e(d)}</dd>" for t, d in DEFINITIONS)
                 + "</dl></body></html>\n")
    return "".join(parts)


def report_markdown(results: list[StudentResult], analysis: Analysis, title: str, png_name: str) -> str:
    a = analysis
    cell = lambda c: markdown_cell(str(c))  # noqa: E731 (bank text: no HTML, links or emphasis)

    def table(header, rows):
        return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + [
            "| " + " | ".join(cell(c) for c in row) + " |" for row in rows]

    lines = [f"# {markdown_cell(title)}", "", summary(a), ""]
    if a.kr20_note:
        lines += [f"_{a.kr20_note}._", ""]
    lines += [f"![Histogram of scores]({png_name})", "", "## By objective", ""]
    lines += table(["objective", "items", "score %"], [[b.name, b.items, f"{b.percent:.1f}"] for b in a.objectives])
    if a.tags:
        lines += ["", "## By tag", ""] + table(["tag", "items", "score %"],
                                               [[b.name, b.items, f"{b.percent:.1f}"] for b in a.tags])
    lines += ["", "## Items", ""] + table(ITEM_HEADER, item_rows(a)) + ["", "## Distractors", ""]
    for s in a.items:
        if s.distractors:
            lines += [f"### {markdown_cell(s.id)}", "", cell(s.prompt), ""]
            lines += table(["choice", "all", "%", "upper", "lower"],
                           [[("✔ " if d["correct"] else "") + d["choice"], d["count"], f"{d['proportion']:.0%}",
                             d["upper"], d["lower"]] for d in s.distractors]) + [""]
    lines += ["## Definitions", ""] + [f"- **{t}**: {d}" for t, d in DEFINITIONS]
    return "\n".join(lines) + "\n"


def write_report(path: str | Path, results: list[StudentResult], analysis: Analysis, title: str) -> list[Path]:
    """Write the report in the format of its extension, and the item table as OUT.items.csv."""
    path = Path(path)
    check_format(path)
    suffix = path.suffix.lower()
    items_csv = write_item_csv(path.with_name(path.stem + ".items.csv"), analysis)
    if suffix in (".html", ".htm"):
        atomic_write(path, report_html(results, analysis, title), "report")
        return [path, items_csv]
    if suffix == ".pdf":
        from quiz.assess.pdf import html_to_pdf

        html_to_pdf([(report_html(results, analysis, title), path)])
        return [path, items_csv]
    check_writable(path, "report")  # before the chart beside it: /dev/full must not get a /dev/full.png
    png_path = path.with_suffix(".png")
    graded = [r for r in results if not r.refused]
    atomic_write(png_path, histogram_png([r.percent for r in graded], f"{title}: {len(graded)} students"), "report's chart")
    try:
        atomic_write(path, report_markdown(results, analysis, title, png_path.name), "report")
    except Exception:
        png_path.unlink(missing_ok=True)  # no chart without its report
        raise
    return [path, png_path, items_csv]
