"""`quiz grade`."""
from __future__ import annotations

import json

import click

from quiz.cli._common import fail_on_input_error


@click.command()
@click.argument("key", type=click.Path(exists=True))
@click.argument("responses", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print students and item analysis as JSON.")
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False), help="Write a gradebook CSV (Canvas / Moodle).")
@click.option("--report", "report_out", type=click.Path(dir_okay=False),
              help="Write a class report in the format of its extension: .html, .md (with a PNG histogram) or "
                   ".pdf (printed by Chromium); the item table also goes to OUT.items.csv.")
@click.option("--feedback", "feedback_dir", type=click.Path(file_okay=False),
              help="Write one feedback page per student into this directory: each question, their answer, the "
                   "key, the explanation and passage, rubric levels, their score. Nothing of other students.")
@click.option("--feedback-pdf", is_flag=True, help="With --feedback: also print each page to PDF (Chromium).")
@click.option("--rubric", "rubric_in", type=click.Path(exists=True, dir_okay=False),
              help="Rubric levels for essay questions: the CSV a grader filled (see --rubric-template, `quiz mark`).")
@click.option("--rubric-template", "rubric_out", type=click.Path(dir_okay=False),
              help="Write the rubric CSV to fill: a row per student, answered essay and criterion, with the levels "
                   "to choose from (levels already given by --rubric are kept).")
@fail_on_input_error
def grade(key, responses, as_json, csv_out, report_out, feedback_dir, feedback_pdf, rubric_in, rubric_out):
    """Grade RESPONSES (filled-in sheets, or a CSV with a row per student) against KEY (a
    key file, or the directory `quiz generate` wrote, for several variants).

    Prints each student's score and an item analysis: facility, discrimination
    (item-rest correlation and upper/lower 27%), distractors, KR-20 and Cronbach's alpha.
    Scores are in points (each question's `points`, less any penalty) and percent. Essays
    take their rubric levels from --rubric (write the CSV to fill with --rubric-template, or
    use `quiz mark`). --feedback writes a page per student; --report a class report.
    Exit status 1 when some answers were malformed or unknown, or essays unmarked; 2 when a
    response was refused (unreadable, or for another sheet).
    """
    from quiz.assess.grading import grade_all, write_gradebook
    from quiz.assess.item_analysis import analyse
    from quiz.course.sheets import load_keys

    if feedback_pdf and not feedback_dir:
        raise click.UsageError("--feedback-pdf needs --feedback DIR")
    if report_out:
        from quiz.assess.report import check_format

        check_format(report_out)  # an unknown format is refused before any grading
    keys = load_keys(key)
    marks = None
    if rubric_in:
        from quiz.assess.rubric import read_marks

        marks = read_marks(rubric_in)
    results = grade_all(keys, list(responses), marks)
    if rubric_out:
        from quiz.assess.rubric import template_rows, write_rows

        write_rows(rubric_out, template_rows(results, marks))
    analysis = analyse(results)
    title = keys[0].title or keys[0].sheet
    if csv_out:
        write_gradebook(results, csv_out, title)
    if report_out:
        from quiz.assess.report import write_report

        write_report(report_out, results, analysis, title)
    if feedback_dir:
        from quiz.assess.feedback import write_feedback

        write_feedback(results, feedback_dir, feedback_pdf)
    if as_json:
        from quiz.neutralise import finite_json

        click.echo(json.dumps(finite_json({"students": [r.as_dict() for r in results], "analysis": analysis.as_dict()}),
                              allow_nan=False,
                              indent=2, ensure_ascii=False, default=str))
    else:
        _print(results, analysis)
    from quiz.neutralise import one_line

    for r in results:
        if r.refused:
            click.echo(one_line(f"refused {r.source}: {r.refused}"), err=True)
        for p in r.problems:
            click.echo(one_line(f"{r.source}: {r.student}: {p}"), err=True)
    if any(r.refused for r in results):
        raise SystemExit(2)
    if any(r.problems for r in results):
        raise SystemExit(1)


PLAIN_ABOVE = 500  # students; more are listed as plain aligned lines


def _print(results, analysis) -> None:
    from rich.console import Console
    from rich.table import Table

    from quiz.neutralise import markup, one_line

    console = Console()
    if len(results) > PLAIN_ABOVE:  # a drawn table of thousands of rows takes seconds to lay out
        width = max(len("student"), *(len(one_line(r.student)) for r in results))
        lines = [f"Students ({len(results)})", f"{'student':<{width}}  variant         score      %"]
        for r in results:
            if r.refused:
                lines.append(f"{one_line(r.student):<{width}}  {'-':>7}  {'refused':>12}  {'-':>5}")
            else:
                lines.append(f"{one_line(r.student):<{width}}  {r.key.variant:>7}  {f'{r.score:g} / {r.max:g}':>12}  {r.percent:5.1f}")
        click.echo("\n".join(lines))
    else:
        t = Table(title="Students")
        for col in ("student", "variant", "score", "%"):
            t.add_column(col, justify="left" if col == "student" else "right")
        for r in results:
            if r.refused:
                t.add_row(markup(r.student), "-", "refused", "-")
            else:
                t.add_row(markup(r.student), str(r.key.variant), f"{r.score:g} / {r.max:g}", f"{r.percent:.1f}")
        console.print(t)
    a = analysis
    fmt = lambda x: "–" if x is None else f"{x:.2f}"  # noqa: E731
    items = Table(title=f"Item analysis: {a.students} students, mean {a.mean_percent:.1f}%, "
                        f"KR-20 {fmt(a.kr20)}, alpha {fmt(a.alpha)}")
    width = max([len("question")] + [len(s.id) for s in a.items])
    items.add_column("question", no_wrap=True, min_width=width)  # ids whole, never cut at 80 columns
    for col in ("type", "facility", "discrim.", "upper−lower", "flags"):
        items.add_column(col)
    for s in a.items:
        items.add_row(markup(s.id), s.type, fmt(s.facility), fmt(s.discrimination), fmt(s.upper_lower),
                      markup(", ".join(s.flags)))
    console.print(items)
    if a.kr20_note:
        console.print(a.kr20_note + ".", markup=False, highlight=False)
