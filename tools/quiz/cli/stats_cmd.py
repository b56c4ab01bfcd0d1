"""`quiz stats`."""
from __future__ import annotations

import json

import click

from quiz.cli._common import fail_on_input_error


@click.command()
@click.option("--db", type=click.Path(dir_okay=False), envvar="QUIZ_DB", help="Attempts database (or $QUIZ_DB).")
@click.option("--plot", type=click.Path(dir_okay=False), help="Write a PNG chart of mastery per lesson.")
@click.option("--json", "as_json", is_flag=True, help="Print attempts, lessons and objectives as JSON.")
@fail_on_input_error
def stats(db, plot, as_json):
    """Your progress: attempts over time, score and mastery per lesson, weakest objectives first."""
    from quiz.study.attempts import Store
    from quiz.study.progress import compute, plot_mastery

    store = Store(db)
    result = compute(store)
    store.close()
    if plot:
        plot_mastery(result, plot)
    if as_json:
        from quiz.neutralise import finite_json

        click.echo(json.dumps(finite_json(result.as_dict()), indent=2, ensure_ascii=False, allow_nan=False))
        return
    from rich.console import Console
    from rich.table import Table

    from quiz.neutralise import markup

    console = Console()
    if not result.attempts:
        console.print("No attempts yet. Start with `quiz take nbr-00`.")
        return
    t = Table(title="Attempts")
    for col in ("#", "started", "quiz", "mode", "answered", "score"):
        t.add_column(col)
    for a in result.attempts:
        t.add_row(str(a["id"]), markup(a["started_at"][:16].replace("T", " ")), markup(a["title"]), markup(a["mode"]),
                  f"{a['answered']}/{a['questions']}" + ("" if a["finished"] else " (unfinished)"), f"{a['percent']:.0f}%")
    console.print(t)
    t = Table(title="Lessons")
    for col in ("lesson", "answers", "score", "mastery", "coverage"):
        t.add_column(col)
    for r in result.lessons:
        t.add_row(markup(r["bank"]), str(r["answered"]), f"{r['score']:.0f}%", f"{100 * r['mastery']:.0f}%",
                  f"{r['questions_seen']}/{r['bank_size']}")
    console.print(t)
    t = Table(title="Objectives, weakest first")
    for col in ("objective", "lesson", "seen", "score"):
        t.add_column(col)
    for r in result.objectives:
        t.add_row(markup(r["objective"]), markup(r["bank"]), str(r["questions_seen"]), f"{r['score']:.0f}%")
    console.print(t)
    if plot:
        console.print(f"Chart written to {plot}")
