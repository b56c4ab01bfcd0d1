"""`quiz book build`."""
from __future__ import annotations

import click


@click.group()
def book():
    """Build the online book: every lesson a page, with its interactive self-check quiz."""


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
