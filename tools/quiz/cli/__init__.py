"""The `quiz` command line: a thin layer over the library, one module per command.

Commands are imported only when run, so `quiz --help` starts about as fast as Click.

May import: everything in the package; nothing in the package imports it.
"""
from __future__ import annotations

import importlib
import sys

import click

# command name -> ("module:function" inside quiz.cli, the first paragraph of its help). The
# summaries let `quiz --help` list the commands without importing their modules (together a
# fifth of its start-up); tests/test_properties.py checks them against the commands' own help.
COMMANDS = {
    "validate": ("validate_cmd:validate",
                 "Check banks and lessons: schema, answers, objectives, unique ids, and that every quote is found "
                 "verbatim in its chapter."),
    "lint": ("lint_cmd:lint",
             "Find item-writing flaws that let a student score without reading, and the scores blind strategies "
             "get per bank and for the course."),
    "list": ("list_cmd:list_banks", "List banks with their source, chapter, question count and counts by type."),
    "passages": ("passages_cmd:passages", "Find passages of the source texts to quote, and read whole chapters."),
    "generate": ("generate_cmd:generate",
                 "Draw a quiz from BANKS (files or bank ids such as nbr-03) and write, per variant, a student sheet "
                 "(YAML, Markdown, HTML) with no answers and an answer key."),
    "take": ("take_cmd:take",
             "Take a quiz in the terminal from SOURCE: one or more banks (files or ids such as nbr-03) or a student "
             "sheet from `quiz generate`."),
    "grade": ("grade_cmd:grade",
              "Grade RESPONSES (filled-in sheets, or a CSV with a row per student) against KEY (a key file, or the "
              "directory `quiz generate` wrote, for several variants)."),
    "mark": ("mark_cmd:mark",
             "Mark essay answers in the terminal: each student's text beside the question's rubric, one level per "
             "criterion, saved to the rubric CSV after every essay."),
    "stats": ("stats_cmd:stats", "Your progress: attempts over time, score and mastery per lesson, weakest objectives first."),
    "history": ("history_cmd:history",
                "Your past attempts; with ATTEMPT (a number from the list), that attempt again: each question with "
                "your answer, the key and the explanation."),
    "review": ("review_cmd:review",
               "Spaced review (FSRS) of every question you have answered: the ones due come back, most overdue "
               "first; each answer reschedules its card and shows the source passage."),
    "export": ("export_cmd:export", "Export SOURCE to an LMS, study or print format."),
    "import": ("import_cmd:import_bank", "Convert an existing GIFT or Moodle XML question bank FILE into the YAML bank format."),
    "book": ("book_cmd:book", "Build the online book (every lesson a page, with its self-check quiz) and print the course reader."),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use (Click docs, 'Lazily loading')."""

    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module_name, attr = COMMANDS[name][0].split(":")
        return getattr(importlib.import_module(f"quiz.cli.{module_name}"), attr)

    def format_commands(self, ctx, formatter):
        # each summary shortened as Click shortens the command's own help, without importing it
        rows = [(name, click.Command(name, help=summary).get_short_help_str(limit=formatter.width - 20))
                for name, (_target, summary) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _set_today(ctx, param, value):
    """--today: fix the clock (as $QUIZ_NOW does) for demonstrations and tests."""
    if value is None:
        return None
    import os

    from quiz.errors import InputError
    from quiz.study.attempts import ENV_NOW, parse_now

    try:
        parse_now(value)
    except InputError as exc:
        raise click.BadParameter(exc.problem.message.replace("$QUIZ_NOW", "--today")) from None
    os.environ[ENV_NOW] = value
    return value


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="china-tech-course-quiz", prog_name="quiz")
@click.option("--today", metavar="DATE", callback=_set_today, expose_value=False, is_eager=True,
              help="Act as if it were DATE (2026-03-01 or 2026-03-01T09:00, UTC): which reviews are due, the "
                   "dates saved. For instructors' demonstrations and tests; $QUIZ_NOW does the same.")
def cli():
    """Author, check, take, grade and export the course's quizzes.

    Banks live in quizzes/, lessons in lessons/, the report texts in sources/.
    Run `quiz COMMAND --help` for the details of a command.
    """
    import os

    if os.environ.get("QUIZ_NOW"):  # a bad $QUIZ_NOW stops every command, not only those that read the clock
        from quiz.study.attempts import now

        now()


def main() -> None:
    """Console entry point: problems in input end with a message and status 2, not a traceback."""
    try:
        try:
            cli.main(prog_name="quiz", standalone_mode=True)
        finally:
            sys.stdout.flush()  # here, not at exit: a full disk or /dev/full is reported like any error
    except OSError as exc:
        _stdout_failed(exc)
    except Exception as exc:  # pragma: no cover - commands normally catch these themselves
        from quiz.errors import (
            InputError,  # imported only when needed: `quiz --help` stays fast
        )

        if not isinstance(exc, InputError):
            raise
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


def _stdout_failed(exc: OSError) -> None:
    """Standard output could not be written (a full disk, /dev/full, a closed pipe)."""
    import os

    try:  # what is still buffered goes nowhere, so the interpreter's own flush at exit succeeds
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    click.echo(f"error: cannot write the output: {exc.strerror or exc}", err=True)
    sys.exit(2)
