"""`quiz history`."""
from __future__ import annotations

import click

from quiz.cli._common import fail_on_input_error


@click.command()
@click.argument("attempt", type=click.IntRange(min=1), required=False)
@click.option("--db", type=click.Path(dir_okay=False), envvar="QUIZ_DB", help="Attempts database (or $QUIZ_DB).")
@fail_on_input_error
def history(attempt, db):
    """Your past attempts; with ATTEMPT (a number from the list), that attempt again: each
    question with your answer, the key and the explanation."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from quiz.study.attempts import Store, existing_db
    from quiz.study.render import fmt_score, review_entry

    console = Console(highlight=False)
    path = existing_db(db)
    if path is None:
        console.print("No attempts yet. Start with `quiz take nbr-00`.")
        return
    store = Store(path)
    try:
        if attempt is None:
            rows = store.attempts()
            if not rows:
                console.print("No attempts yet. Start with `quiz take nbr-00`.")
                return
            scores = {}
            for a in store.answers():
                scores.setdefault(a["attempt_id"], []).append(a["score"])
            t = Table(title="Attempts (`quiz history N` shows one again)")
            for col in ("#", "started", "quiz", "mode", "score"):
                t.add_column(col)
            for r in rows:
                s = scores.get(r.id, [])
                total = len(r.plan.get("items", [])) if r.mode != "review" else len(s)
                t.add_row(str(r.id), r.started_at[:16].replace("T", " "), escape(r.title), r.mode,
                          f"{fmt_score(sum(s))} / {total}" + ("" if r.finished_at else " (unfinished)"))
            console.print(t)
            return
        from quiz.study.history import attempt_outcomes

        row, outcomes = attempt_outcomes(store, attempt)
    finally:
        store.close()
    score = sum(o.score for o in outcomes)
    console.rule(f"Attempt {row.id}: {escape(row.title)}")
    console.print(f"{row.mode}, started {row.started_at[:16].replace('T', ' ')} UTC"
                  + ("" if row.finished_at else " (unfinished)")
                  + f" · [bold]{fmt_score(score)} / {len(outcomes)}[/bold]")
    console.print()
    for k, o in enumerate(outcomes, 1):
        console.print(review_entry(k, o.item, o.score, o.response, o.answered))
        console.print()
