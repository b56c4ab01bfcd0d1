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
