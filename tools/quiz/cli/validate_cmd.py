"""`quiz validate`."""
from __future__ import annotations

import json

import click


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print {banks, lessons, questions, errors[]} as JSON.")
def validate(paths, as_json):
    """Check banks and lessons: schema, answers, objectives, unique ids, and that every
    quote is found verbatim in its chapter.

    PATHS are bank (.yaml) or lesson (.md) files, or directories; by default every bank
    in quizzes/ and every lesson in lessons/. Prints one `file:line: message` per problem.
    Exit status: 0 clean, 1 problems found, 2 a file could not be read.
    """
    from quiz.course.validate import validate as run

    report = run(list(paths) or None)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        for problem in report.errors:
            click.echo(str(problem), err=False)
        summary = (f"{report.banks} banks, {report.lessons} lessons, {report.questions} questions: "
                   + (f"{len(report.errors)} problems" if report.errors else "all valid"))
        click.echo(summary, err=True)
    raise SystemExit(report.exit_code)
