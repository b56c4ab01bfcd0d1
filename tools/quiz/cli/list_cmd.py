"""`quiz list`."""
from __future__ import annotations

import json

import click


@click.command("list")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of banks.")
def list_banks(paths, as_json):
    """List banks with their source, chapter, question count and counts by type.

    By default every bank in quizzes/.
    """
    from quiz.course.catalog import bank_summaries

    rows = bank_summaries(list(paths) or None)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    from quiz.neutralise import markup

    table = Table(title=None, show_lines=False)
    for col in ("bank", "source", "chapter", "questions", "by type"):
        table.add_column(col, justify="right" if col == "questions" else "left")
    for r in rows:
        by_type = ", ".join(f"{t} {n}" for t, n in r["types"].items()) if r["questions"] else r.get("error", "")
        table.add_row(*map(markup, (r["bank"], r["source"], r["chapter"] or "-", r["questions"], by_type)))
    Console(width=max(120, Console().width)).print(table)
    click.echo(f"{len(rows)} banks, {sum(r['questions'] for r in rows)} questions", err=True)
