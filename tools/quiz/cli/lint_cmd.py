"""`quiz lint`."""
from __future__ import annotations

import json

import click


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True,
              help="Print {banks, course, thresholds, failures, warnings, rule_counts, silenced, unused_silences, errors, "
                   "exit_code} "
                   "as JSON (quizzes/README.md documents the shape).")
@click.option("--strict", is_flag=True,
              help="Exit 1 when a bank or the course fails a threshold, or any warning is not silenced.")
def lint(paths, as_json, strict):
    """Find item-writing flaws that let a student score without reading, and the scores
    blind strategies get per bank and for the course.

    PATHS are bank files or directories; by default every bank in quizzes/. Prints one
    `file:line: question: rule: message` per warning, then a table with one row per bank
    and a course row, '!' marking a figure past its threshold. A question silences a rule
    with `lint: {ignore: [rule], reason: "..."}`. Exit status: 0 (without --strict, even
    with warnings), 1 with --strict when a threshold fails or a warning is not silenced,
    2 a bank could not be loaded (run `quiz validate`).
    """
    from quiz.course.lint import lint as run
    from quiz.course.lint import render_table

    report = run(list(paths) or None)
    if as_json:
        click.echo(json.dumps(report.as_dict(strict), indent=2, ensure_ascii=False))
    else:
        for problem in report.errors:
            click.echo(str(problem), err=True)
        for warning in report.warnings:
            click.echo(str(warning))
        for u in report.unused:
            click.echo(f"{u['file']}:{u['line']}: {u['question']}: note: '{u['rule']}' is silenced but does not fire; "
                       "remove it from lint.ignore")
        if report.banks:
            click.echo(render_table(report))
        by_rule = ", ".join(f"{rule} {n}" for rule, n in report.rule_counts().items() if n)
        summary = (f"{len(report.banks)} banks, {report.course.questions if report.course else 0} questions: "
                   f"{len(report.warnings)} warnings{f' ({by_rule})' if by_rule else ''}, "
                   f"{len(report.silenced)} silenced; {len(report.failures)} thresholds failed")
        click.echo(summary, err=True)
    raise SystemExit(report.exit_code(strict))
