"""`quiz book build` and `quiz book pdf`."""
from __future__ import annotations

from pathlib import Path

import click


@click.group()
def book():
    """Build the online book (every lesson a page, with its self-check quiz) and print the course reader."""


@book.command("build")
@click.option("--clean", is_flag=True, help="Remove the built site and generated pages first; rebuild everything.")
@click.option("-v", "--verbose", is_flag=True, help="Show Jupyter Book's output as it builds.")
def build_cmd(clean, verbose):
    """Validate the lessons and banks, assemble the lesson pages under book/ and build
    the HTML with Jupyter Book (warnings are errors).

    Prints the path of the home page to open. Only pages whose lesson, bank or source
    changed are rebuilt, unless --clean. Exit status: 0 built; 1 invalid lessons or banks,
    or a build warning (each printed).
    """
    from quiz.book.build import BookError, build

    try:
        result = build(clean=clean, echo=click.echo if verbose else None)
    except BookError as exc:
        for line in exc.problems:
            click.echo(line)
        click.echo(f"error: {exc.message}", err=True)
        raise SystemExit(1)
    a = result.assembly
    click.echo(f"Built {result.pages} pages ({len(a.lessons)} lessons, {len(a.written)} sources updated) "
               f"in {result.seconds:.1f} s. Open the home page:", err=True)
    click.echo(str(result.index))


@book.command("pdf")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The PDF to write (default: book/_build/course-reader.pdf, or "
                   "course-reader-instructor.pdf with --instructor).")
@click.option("--instructor", is_flag=True, help="The instructor edition: every exercise with its solution.")
@click.option("--no-build", is_flag=True, help="Print the book as last built, without rebuilding it first.")
def pdf_cmd(output, instructor, no_build):
    """Print the course reader: one PDF with a title page, the contents and every lesson
    (excerpts, commentary, exercises, discussion), printed from the built book by Debian's
    chromium. Solutions only in the --instructor edition.

    Builds the book first (incrementally) unless --no-build. Exit status: 0 written; 1 the
    book does not build (each problem printed); 2 chromium is missing.
    """
    from quiz.book.build import BookError, book_dir
    from quiz.book.pdf import course_reader

    name = "course-reader-instructor.pdf" if instructor else "course-reader.pdf"
    out = output or book_dir() / "_build" / name
    try:
        result = course_reader(out, instructor=instructor, rebuild=not no_build)
    except BookError as exc:
        for line in exc.problems:
            click.echo(line)
        click.echo(f"error: {exc.message}", err=True)
        raise SystemExit(2 if "chromium" in exc.message or "not built" in exc.message else 1)
    click.echo(f"Printed {len(result.lessons)} lessons ({'instructor' if instructor else 'student'} edition) "
               f"in {result.seconds:.1f} s:", err=True)
    click.echo(str(result.path))
