"""`quiz import`."""
from __future__ import annotations

import click

from quiz.cli._common import fail_on_input_error


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-f", "--format", "fmt", type=click.Choice(["gift", "moodle"]),
              help="The file's format (default: from its extension: .gift/.txt GIFT, .xml Moodle XML).")
@click.option("-o", "--out", "out", required=True, type=click.Path(dir_okay=False),
              help="The bank to write, e.g. quizzes/nbr-03.yaml; its name is the bank id.")
@click.option("--chapter", help="The chapter the questions' passages come from (default: the chapter with "
                                "the bank's id, if there is one).")
@click.option("--title", help="The bank's title (default: the first category's name).")
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
@fail_on_input_error
def import_bank(file, fmt, out, chapter, title, force):
    """Convert an existing GIFT or Moodle XML question bank FILE into the YAML bank format.

    A question without a passage quote is marked `needs_passage: true`: `quiz validate`
    lists them until each has a verbatim passage quote from its chapter (find one with
    `quiz passages search`) and the mark is removed; a question exported by `quiz export`
    brings its quote and chapter back. What the source lacks and the format asks for (an
    explanation, feedback on a wrong choice) is written as a `TODO:` placeholder, and
    every question that changed or could not be converted is reported on standard error.
    """
    from pathlib import Path

    from quiz.assess.generate import dump_yaml
    from quiz.errors import InputError
    from quiz.importers import import_file

    src, dst = Path(file), Path(out)
    if not src.is_file():
        raise InputError(file, 0, "no such file")
    from quiz.files import in_course_dirs

    if in_course_dirs(dst) in ("lessons", "sources"):
        raise InputError(out, 0, f"an imported bank goes in quizzes/ (or anywhere outside the course), not in "
                         f"{in_course_dirs(dst)}/")
    if dst.exists() and not force:
        raise InputError(out, 0, "already exists; pass --force to overwrite it")
    result = import_file(src, dst, fmt, chapter=chapter, title=title)
    for w in result.warnings:
        click.echo(str(w), err=True)
    from quiz.neutralise import one_line

    header = (f"# Imported by `quiz import` from {one_line(src.name)}. A question marked needs_passage needs a passage:\n"
              "# put the chapter's verbatim words in passage.quote (`quiz passages search WORDS`), replace\n"
              "# each TODO, then delete the question's `needs_passage: true` line. `quiz validate` lists them.\n")
    from quiz.files import atomic_write

    try:
        dst.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(out, 0, f"cannot write: {exc.strerror or exc}") from None
    atomic_write(dst, header + dump_yaml(result.bank), "bank")
    n = len(result.bank["questions"])
    skipped = f", {result.skipped} left out (see the warnings)" if result.skipped else ""
    if "chapter" not in result.bank:
        click.echo("note: no chapter given and none has the bank's id; pass --chapter (or add `chapter:` and "
                   "`source:` to the bank) so that passage quotes can be checked", err=True)
    click.echo(f"wrote {out}: {n} questions{skipped}; each needs a passage quote (quiz validate {out})")
