"""`quiz export`."""
from __future__ import annotations

import click

from quiz.cli._common import fail_on_input_error

_FORMATS = ("qti", "moodle", "gift", "anki", "jupyterquiz", "markdown", "html")


@click.command()
@click.argument("source", nargs=-1, required=True)
@click.option("-f", "--format", "fmt", type=click.Choice(_FORMATS), required=True,
              help="qti (Canvas), moodle (Moodle XML), gift, anki (.apkg), jupyterquiz (JSON), "
                   "markdown or html (printable, with an answer key).")
@click.option("-o", "--out", "out", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="File to write; '-' writes a text format to standard output.")
@click.option("--title", help="Title of the quiz, deck or package (default: the bank's title).")
@click.option("--ordering-as", type=click.Choice(["ordering", "matching"]), default="ordering", show_default=True,
              help="moodle: write ordering questions as Moodle's ordering type (Moodle 4.4+) or as matching.")
@click.option("--deck", help="anki: the name of the parent deck (default: the course's name).")
@click.option("--force", is_flag=True, help="Replace OUT if it exists (never a bank, lesson or source text).")
@fail_on_input_error
def export(source, fmt, out, title, ordering_as, deck, force):
    """Export SOURCE to an LMS, study or print format.

    SOURCE is one or more banks (files, or ids such as nbr-03), or one quiz sheet
    written by `quiz generate` (its key-vN.yaml, or the sheet beside its key), whose
    questions are exported in the sheet's order.

    Where a format cannot express a question's type, the closest faithful form is
    written and a line `warning: <question id>: <what was done>` goes to standard error;
    no question is ever left out. quizzes/EXPORTS.md describes what each format keeps.

    \b
    Examples:
      quiz export nbr-03 --format qti -o nbr-03-canvas.zip
      quiz export quizzes/nbr-0*.yaml --format moodle -o nbr.xml
      quiz export out/key-v1.yaml --format html -o sheet-v1-print.html
    """
    import sys

    from quiz.exporters import registry
    from quiz.exporters.source import load_source

    src = load_source(list(source), title)
    options = {}
    if fmt == "moodle":
        options["ordering"] = ordering_as
    if fmt == "anki" and deck:
        options["course"] = deck
    if out == "-":
        if registry.FORMATS[fmt].binary:
            raise click.BadParameter(f"{fmt} is a binary format; give a file name", param_hint="--out")
        text, warnings = registry.to_text(fmt, src, **options)
        sys.stdout.write(text)
    else:
        from pathlib import Path

        from quiz.errors import InputError
        from quiz.files import atomic_output, refuse_course_file

        refuse_course_file(out, "export")
        if Path(out).exists() and not force:
            raise InputError(out, 0, "already exists; pass --force to replace it")
        try:
            Path(out).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(out, 0, f"cannot write: {exc.strerror or exc}") from None
        with atomic_output(out, "export") as tmp:
            warnings = registry.export(fmt, src, tmp, **options)
    for w in warnings:
        click.echo(str(w), err=True)
    banks = f"{len(src.groups)} bank(s)" if src.kind == "banks" else f"sheet {src.id}"
    note = f", {len(warnings)} warning(s)" if warnings else ""
    if out != "-":
        click.echo(f"wrote {out}: {len(src)} questions from {banks} as {fmt}{note}")
