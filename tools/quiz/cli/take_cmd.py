"""`quiz take`."""
from __future__ import annotations

import click

from quiz.cli._common import csv_list, fail_on_input_error


def read_answers(path: str) -> dict:
    """Answers by question id (or position): a mapping, a list in order, or a filled-in sheet."""
    from quiz.course.safeyaml import load_yaml
    from quiz.errors import InputError

    loaded = load_yaml(path)
    data = loaded.data
    if isinstance(data, dict) and isinstance(data.get("questions"), list):
        return {str(q.get("id", q.get("number"))): q.get("answer") for q in data["questions"] if isinstance(q, dict)}
    if isinstance(data, dict):
        return {str(k): v for k, v in data.items()}
    if isinstance(data, list):
        return {str(i): v for i, v in enumerate(data, 1)}
    raise InputError(loaded.file, 1, "an answers file maps question ids to answers, e.g. `nbr-03-q01: B`")



def _finite(ctx, param, value):
    """FloatRange lets NaN through (every comparison with it is false)."""
    import math

    if value is not None and not math.isfinite(value):
        raise click.BadParameter("give a number of minutes", ctx, param)
    return value

@click.command()
@click.argument("source", nargs=-1)
@click.option("-n", "--count", type=click.IntRange(min=1), help="How many questions (default: 10, or all on a sheet).")
@click.option("--seed", type=int, help="Seed for the choice of questions and their order.")
@click.option("--mode", type=click.Choice(["practice", "exam"]), default="practice", show_default=True,
              help="practice: feedback and the source passage after each answer, until you press Enter; exam: "
              "nothing until the end, then every question with your answer, the key and the explanation.")
@click.option("--types", help="Only these question types, comma-separated: single, multiple, true_false, short, "
              "numeric, cloze, matching, ordering.")
@click.option("--time-limit", type=click.FloatRange(min=0.1, max=7 * 24 * 60), callback=_finite,
              help="Minutes allowed (at most a week). The time left counts down on screen, the quiz is submitted "
              "at 0:00, and the clock keeps running if you stop and resume.")
@click.option("--answers", "answers_file", type=click.Path(exists=True, dir_okay=False),
              help="Answer from this YAML file (question id: answer) instead of the keyboard.")
@click.option("--resume", "resume", is_flag=False, flag_value="last", default=None, metavar="[ATTEMPT]",
              help="Continue the last unfinished attempt (or attempt number ATTEMPT) where it stopped.")
@click.option("--db", type=click.Path(dir_okay=False), envvar="QUIZ_DB",
              help="Attempts database (default: your data directory; or $QUIZ_DB).")
@fail_on_input_error
def take(source, count, seed, mode, types, time_limit, answers_file, resume, db):
    """Take a quiz in the terminal from SOURCE: one or more banks (files or ids such as
    nbr-03) or a student sheet from `quiz generate`.

    Every answer is saved the moment it is given, so Ctrl-C or a closed terminal loses
    nothing: `quiz take --resume` continues where you stopped.
    """
    from pathlib import Path

    from quiz.course.selection import Filters
    from quiz.study.attempts import Store
    from quiz.study.session import Plan, plan_from_banks, plan_from_sheet, run
    from quiz.study.terminal import TerminalUI

    if types:
        from quiz.model import TYPES

        unknown = [t for t in csv_list(types) if t not in TYPES]
        if unknown:
            raise click.BadParameter(f"{', '.join(unknown)} is not a question type; the types are "
                                     f"{', '.join(TYPES)}", param_hint="--types")
    store = Store(db)
    answers = read_answers(answers_file) if answers_file else None
    ui = TerminalUI(answers=answers)
    attempt_id = None
    if resume:
        row = store.last_unfinished() if resume == "last" else _numbered_attempt(store, resume)
        if row is None:
            click.echo("No unfinished attempt to resume.", err=True)
            raise SystemExit(1)
        plan = Plan.from_json(row.plan)
        mode, attempt_id = row.plan.get("mode", row.mode), row.id
        done = len(store.answered_positions(row.id))
        ui.notice(f"Resuming attempt {row.id} ({plan.title}): {done} of {len(plan.items)} answered.")
        if plan.time_limit:
            ui.notice("The time limit counts from the start of the attempt: the clock kept running while you were away.")
    else:
        if not source:
            raise click.UsageError("give a bank (file or id) or a sheet, or --resume")
        if seed is None:
            import secrets  # here, not at the top: `quiz --help` stays as fast as Click
            seed = secrets.randbelow(1_000_000)
        first = Path(source[0])
        if len(source) == 1 and first.suffix in (".yaml", ".yml") and first.exists() and _is_sheet(first):
            plan = plan_from_sheet(first)
            if count:
                plan.items = plan.items[:count]
        else:
            plan = plan_from_banks(list(source), count or 10, seed, Filters(types=csv_list(types)))
        plan.time_limit = time_limit
        waiting = store.last_unfinished()
        if waiting is not None:
            ui.notice(f"Note: attempt {waiting.id} ({waiting.title}) is unfinished; `quiz take --resume {waiting.id}"
                      + (f" --db {db}" if db else "") + "` continues it. Starting a new attempt.")
    try:
        run(store, plan, mode, ui, attempt_id)
    except (KeyboardInterrupt, EOFError):
        click.echo("\nStopped. Your answers so far are saved; continue with `quiz take --resume"
                   + (f" --db {db}" if db else "") + "`."
                   + (" The clock keeps running while you are away." if plan.time_limit else ""), err=True)
        raise SystemExit(130) from None
    finally:
        store.close()


def _numbered_attempt(store, number: str):
    """Attempt `number`, if it exists, is unfinished and is not a review session."""
    if not number.isdecimal():
        raise click.BadParameter(f"{number!r} is not an attempt number (see `quiz history`)", param_hint="--resume")
    row = store.attempt(int(number))
    if row is None or row.mode == "review":
        raise click.BadParameter(f"there is no attempt {number}; `quiz history` lists them", param_hint="--resume")
    if row.finished_at is not None:
        raise click.BadParameter(f"attempt {number} is finished; `quiz history {number}` shows it", param_hint="--resume")
    return row


def _is_sheet(path) -> bool:
    from quiz.course.safeyaml import read_bytes
    from quiz.errors import InputError

    try:
        head = read_bytes(path, "quiz").decode("utf-8", errors="replace")[:4000]
    except InputError:
        return False  # not a sheet: the bank loader says why it cannot be read
    return "\nsheet:" in "\n" + head and "\nbank:" not in "\n" + head
