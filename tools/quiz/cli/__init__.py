"""The `quiz` command line: a thin layer over the library, one module per command.

Commands are imported only when run, so `quiz --help` starts about as fast as Click.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys

import click

# command name -> "module:function" inside quiz.cli; a command appears once its module exists
COMMANDS = {
    "validate": "validate_cmd:validate",
    "list": "list_cmd:list_banks",
    "passages": "passages_cmd:passages",
    "generate": "generate_cmd:generate",
    "take": "take_cmd:take",
    "grade": "grade_cmd:grade",
    "stats": "stats_cmd:stats",
    "review": "review_cmd:review",
    "export": "export_cmd:export",
    "import": "import_cmd:import_bank",
    "book": "book_cmd:book",
}

# The first paragraph of each command's help, so `quiz --help` can list the commands without
# importing their modules (together a fifth of its start-up). A command missing here is
# imported for its help as before; tests/test_properties.py checks this table against the
# commands' own help texts.
SUMMARIES = {
    "validate": "Check banks and lessons: schema, answers, objectives, unique ids, and that every quote is found "
                "verbatim in its chapter.",
    "list": "List banks with their source, chapter, question count and counts by type.",
    "passages": "Find passages of the source texts to quote, and read whole chapters.",
    "generate": "Draw a quiz from BANKS (files or bank ids such as nbr-03) and write, per variant, a student sheet "
                "(YAML, Markdown, HTML) with no answers and an answer key.",
    "take": "Take a quiz in the terminal from SOURCE: one or more banks (files or ids such as nbr-03) or a student "
            "sheet from `quiz generate`.",
    "grade": "Grade RESPONSES (filled-in sheets, or a CSV with a row per student) against KEY (a key file, or the "
             "directory `quiz generate` wrote, for several variants).",
    "stats": "Your progress: attempts over time, score and mastery per lesson, weakest objectives first.",
    "review": "Spaced review (FSRS) of every question you have answered: the ones due come back, most overdue first; "
              "each answer reschedules its card and shows the source passage.",
    "export": "Export SOURCE to an LMS, study or print format.",
    "import": "Convert an existing GIFT or Moodle XML question bank FILE into the YAML bank format.",
    "book": "Build the online book: every lesson a page, with its interactive self-check quiz.",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use (Click docs, 'Lazily loading')."""

    def list_commands(self, ctx):
        return [name for name, target in COMMANDS.items()
                if importlib.util.find_spec(f"quiz.cli.{target.split(':')[0]}") is not None]

    def get_command(self, ctx, name):
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(f"quiz.cli.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"quiz.cli.{module_name}":
                return None
            raise
        return getattr(module, attr)

    def format_commands(self, ctx, formatter):
        rows = []
        for name in self.list_commands(ctx):
            if name in SUMMARIES:  # shortened as Click shortens the command's help, without importing it
                stand_in = click.Command(name, help=SUMMARIES[name])
                rows.append((name, stand_in.get_short_help_str(limit=formatter.width - 20)))
                continue
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(limit=formatter.width - 20)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="china-tech-course-quiz", prog_name="quiz")
def cli():
    """Author, check, take, grade and export the course's quizzes.

    Banks live in quizzes/, lessons in lessons/, the report texts in sources/.
    Run `quiz COMMAND --help` for the details of a command.
    """


def main() -> None:
    """Console entry point: problems in input end with a message and status 2, not a traceback."""
    try:
        cli.main(prog_name="quiz", standalone_mode=True)
    except Exception as exc:  # pragma: no cover - commands normally catch these themselves
        from ..errors import InputError  # imported only when needed: `quiz --help` stays fast

        if not isinstance(exc, InputError):
            raise
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
