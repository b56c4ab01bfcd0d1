"""`quiz review`."""
from __future__ import annotations

import click

from quiz.cli._common import fail_on_input_error


@click.command()
@click.option("-n", "--count", type=click.IntRange(min=1), default=20, show_default=True, help="At most this many cards.")
@click.option("--answers", "answers_file", type=click.Path(exists=True, dir_okay=False),
              help="Answer from this YAML file (question id: answer) instead of the keyboard.")
@click.option("--db", type=click.Path(dir_okay=False), envvar="QUIZ_DB", help="Attempts database (or $QUIZ_DB).")
@fail_on_input_error
def review(count, answers_file, db):
    """Spaced review (FSRS) of every question you have answered: the ones due come back,
    most overdue first; each answer reschedules its card and shows the source passage."""
    from quiz.cli.take_cmd import read_answers
    from quiz.course.index import find_question
    from quiz.study.attempts import Store, now
    from quiz.study.review import due
    from quiz.study.session import plan_from_questions, run
    from quiz.study.terminal import TerminalUI

    store = Store(db)
    ids = due(store, now(), count)
    if not ids:
        nxt = store.next_due()
        if nxt is None:
            click.echo("Nothing to review yet: answer some questions with `quiz take` first.")
        else:
            click.echo(f"Nothing due. Next review: {nxt[:16].replace('T', ' ')} UTC.")
        store.close()
        return
    import random

    asked_from = {it["id"]: it.get("file") for a in store.attempts() for it in a.plan.get("items", [])
                  if isinstance(it, dict) and it.get("id")}  # the bank file each question was last asked from
    questions = []
    for qid in ids:
        q = find_question(qid, asked_from.get(qid))
        if q is None:
            click.echo(f"(question {qid} is no longer in any bank; skipped)", err=True)
            continue
        questions.append(q)
    plan = plan_from_questions(f"Review: {len(questions)} due", questions, random.Random(),
                               {q.id: asked_from.get(q.id) or "" for q in questions})
    ui = TerminalUI(answers=read_answers(answers_file) if answers_file else None)
    try:
        run(store, plan, "review", ui)
    except (KeyboardInterrupt, EOFError):
        click.echo("\nStopped. Reviews so far are saved.", err=True)
        raise SystemExit(130) from None
    finally:
        store.close()
