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
@click.option("--draw", is_flag=True,
              help="Give each variant its own questions, drawn from the banks so that every variant covers the "
                   "same objectives with the same mix of types and difficulties (like Moodle's random questions).")
@click.option("--types", help="Only these types, comma-separated (e.g. single,multiple).")
@click.option("--difficulty", help="Only these difficulties, comma-separated (e.g. 1,2).")
@click.option("--objectives", help="Only these objective ids, comma-separated.")
@click.option("--tags", help="Only questions with one of these tags, comma-separated.")
@click.option("--title", help="Title printed on the sheets.")
@click.option("--points", "points_spec", metavar="SPEC",
              help="Points per question, overriding the banks: TYPE=P or ID=P, comma-separated "
                   "(e.g. single=1,essay=5,nbr-03-q04=2; an id wins over its type).")
@click.option("--penalty", type=click.FloatRange(0, 1),
              help="Share of its points a wrong answer to a single, multiple or true/false question loses "
                   "(negative marking), overriding the banks; e.g. 0.25.")
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Directory to write to: new or empty.")
@click.option("--force", is_flag=True,
              help="Write into a non-empty directory, removing the files an earlier `quiz generate` wrote there "
                   "(and nothing else).")
@fail_on_input_error
def generate(banks, count, seed, variants, draw, types, difficulty, objectives, tags, title, points_spec, penalty,
             out_dir, force):
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
    from quiz.model import ALL_TYPES as TYPES

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
    from quiz.assess.generate import parse_points, prepare_out_dir

    points = parse_points(points_spec) if points_spec else None
    if not force:
        prepare_out_dir(Path(out_dir))  # refuse before any work, and before printing a seed
    if seed is None:
        import secrets  # here, not at the top: `quiz --help` stays as fast as Click
        seed = secrets.randbelow(1_000_000)
        click.echo(f"seed {seed} (pass --seed {seed} to generate the same quiz again)", err=True)
    filters = Filters(type_list, levels, csv_list(objectives), csv_list(tags))
    variants_ = run(list(banks), count, seed, variants, filters, title, points, penalty, draw)
    written = write_variants(variants_, Path(out_dir), force)
    click.echo(f"{len(variants_)} variant(s) of {count} questions, seed {seed}, written to {out_dir}/:")
    for p in written:
        click.echo(f"  {p.name}")
