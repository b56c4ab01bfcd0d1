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
    from quiz.study.attempts import Store, existing_db
    from quiz.study.progress import MASTERY_NOTE, Stats, compute, plot_mastery
    from quiz.study.render import fmt_score

    path = existing_db(db)
    if path is None:
        result = Stats([], [], [])
    else:
        store = Store(path)
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

    console = Console(highlight=False)
    if not result.attempts:
        console.print("No attempts yet. Start with `quiz take nbr-00`.")
        return
    t = Table(title="Attempts (`quiz history N` shows one again)")
    for col in ("#", "started", "quiz", "mode", "answered", "score"):
        t.add_column(col)
    for a in result.attempts:
        t.add_row(str(a["id"]), a["started_at"][:16].replace("T", " "), markup(a["title"]), a["mode"],
                  f"{a['answered']}/{a['questions']}" + ("" if a["finished"] else " (unfinished)"),
                  f"{fmt_score(a['score'])} ({a['percent']:.0f}%)")
    console.print(t)
    t = Table(title="Lessons", caption=MASTERY_NOTE, caption_justify="left")
    for col in ("lesson", "answers", "score", "mastery", "seen"):
        t.add_column(col)
    for r in result.lessons:
        t.add_row(f"{markup(r['title'])}\n[dim]{markup(r['bank'])}[/dim]", str(r["answered"]), f"{r['score']:.0f}%",
                  f"{100 * r['mastery']:.0f}%", f"{r['questions_seen']}/{r['bank_size']}")
    console.print(t)
    t = Table(title="Objectives, weakest first")
    for col in ("objective", "seen", "score"):
        t.add_column(col)
    for r in result.objectives:
        t.add_row(f"{markup(r['text'] or r['objective'])}\n[dim]{markup(r['objective'])}[/dim]", str(r["questions_seen"]),
                  f"{r['score']:.0f}%")
    console.print(t)
    if result.due:
        console.print(f"[bold]{result.due} question(s) due for review now[/bold]: `quiz review` asks them.")
    elif result.next_due:
        console.print(f"No reviews due now; the next at {result.next_due[:16].replace('T', ' ')} UTC.")
    if plot:
        console.print(f"Chart written to {plot}")
