"""`quiz generate`."""
from __future__ import annotations

import click

from quiz.cli._common import csv_list, fail_on_input_error


@click.command()
@click.argument("banks", nargs=-1, required=True)
@click.option("-n", "--count", type=click.IntRange(min=1), default=10, show_default=True, help="Questions per quiz.")
@click.option("--seed", type=int, help="Seed for a reproducible quiz; chosen and recorded when omitted.")
@click.option("--variants", type=click.IntRange(1, 1000), default=1, show_default=True,
              help="Versions with questions and choices shuffled, for different students.")
@click.option("--types", help="Only these types, comma-separated (e.g. single,multiple).")
@click.option("--difficulty", help="Only these difficulties, comma-separated (e.g. 1,2).")
@click.option("--objectives", help="Only these objective ids, comma-separated.")
@click.option("--tags", help="Only questions with one of these tags, comma-separated.")
@click.option("--title", help="Title printed on the sheets.")
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Directory to write to.")
@fail_on_input_error
def generate(banks, count, seed, variants, types, difficulty, objectives, tags, title, out_dir):
    """Draw a quiz from BANKS (files or bank ids such as nbr-03) and write, per variant, a
    student sheet (YAML, Markdown, HTML) with no answers and an answer key.

    Questions are drawn in turn from each objective so the quiz covers the lesson. The
    same banks, options and seed give byte-identical files.
    """
    from pathlib import Path

    from quiz.assess.generate import Filters, write_variants
    from quiz.assess.generate import generate as run
    from quiz.errors import InputError
    from quiz.files import in_course_dirs
    from quiz.model import TYPES

    if in_course_dirs(out_dir):
        raise InputError(out_dir, 0, f"sheets and keys are not course files: write them outside {in_course_dirs(out_dir)}/ "
                         "(e.g. -o out/)")
    type_list = csv_list(types)
    unknown = [t for t in type_list if t not in TYPES]
    if unknown:
        raise click.BadParameter(f"unknown type {', '.join(unknown)}; use {', '.join(TYPES)}", param_hint="--types")
    try:
        levels = [int(d) for d in csv_list(difficulty)]
    except ValueError:
        raise click.BadParameter("give difficulties as numbers, e.g. 1,2", param_hint="--difficulty") from None
    if seed is None:
        import secrets  # here, not at the top: `quiz --help` stays as fast as Click
        seed = secrets.randbelow(1_000_000)
        click.echo(f"seed {seed} (pass --seed {seed} to generate the same quiz again)", err=True)
    filters = Filters(type_list, levels, csv_list(objectives), csv_list(tags))
    variants_ = run(list(banks), count, seed, variants, filters, title)
    written = write_variants(variants_, Path(out_dir))
    click.echo(f"{len(variants_)} variant(s) of {count} questions, seed {seed}, written to {out_dir}/:")
    for p in written:
        click.echo(f"  {p.name}")
