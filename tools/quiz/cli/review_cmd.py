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
    most overdue first; each answer reschedules its card and shows the source passage. A miss
    comes back in ten minutes, so it is asked again before the session ends."""
    from quiz.cli.take_cmd import read_answers
    from quiz.course.index import find_question
    from quiz.course.selection import shuffled_order
    from quiz.course.sheets import KeyItem
    from quiz.study.attempts import Store, existing_db, now
    from quiz.study.review import MAX_ASKS, due
    from quiz.study.session import Plan, run
    from quiz.study.terminal import TerminalUI

    path = existing_db(db)
    if path is None:
        click.echo("Nothing to review yet: answer some questions with `quiz take` first.")
        return
    store = Store(path)
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

    rng = random.Random()
    asked_from = {it["id"]: it.get("file") for a in store.attempts() for it in a.plan.get("items", [])
                  if isinstance(it, dict) and it.get("id")}  # the bank file each question was last asked from
    asked: dict[str, int] = {}

    def items_for(question_ids: list[str], first: int) -> list[KeyItem]:
        """Cards shown as `take` shows them: choices, right-hand items and items shuffled."""
        items = []
        for qid in question_ids:
            q = find_question(qid, asked_from.get(qid))
            if q is None:
                click.echo(f"(question {qid} is no longer in any bank; skipped)", err=True)
                continue
            asked[qid] = asked.get(qid, 0) + 1
            items.append(KeyItem(first + len(items), q, shuffled_order(q, rng)))
        return items

    def missed_again(outcomes) -> list[KeyItem]:
        """Cards of this session that are due again within the learning step: the misses."""
        again = [qid for qid in due(store, now()) if 0 < asked.get(qid, 0) < MAX_ASKS]
        return items_for(again, len(outcomes) + 1)

    items = items_for(ids, 1)
    plan = Plan(f"Review: {len(items)} due", items, {it.question.id: asked_from.get(it.question.id) or "" for it in items})
    ui = TerminalUI(answers=read_answers(answers_file) if answers_file else None)
    try:
        run(store, plan, "review", ui, more=missed_again)
    except (KeyboardInterrupt, EOFError):
        click.echo("\nStopped. Reviews so far are saved.", err=True)
        raise SystemExit(130) from None
    finally:
        store.close()
