"""`quiz mark`."""
from __future__ import annotations

import click

from quiz.cli._common import fail_on_input_error


@click.command()
@click.argument("key", type=click.Path(exists=True))
@click.argument("responses", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--rubric", "rubric_path", required=True, type=click.Path(dir_okay=False),
              help="The rubric CSV to read and extend (created when missing); then pass it to `quiz grade --rubric`.")
@fail_on_input_error
def mark(key, responses, rubric_path):
    """Mark essay answers in the terminal: each student's text beside the question's rubric,
    one level per criterion, saved to the rubric CSV after every essay.

    Essays already marked in the CSV are skipped, so marking can stop and resume. Type a
    level's number or label; `s` skips an essay, `q` saves and stops.
    """
    from quiz.assess.marking import marking_loop

    marking_loop(key, list(responses), rubric_path)
