"""Importers: an instructor's existing GIFT or Moodle XML bank into the YAML bank format.

`quiz import FILE --format gift|moodle -o BANK.yaml` runs `import_file`; an imported
question without a passage quote is marked `needs_passage: true`, which `quiz validate`
lists until a quote from the chapter is added.

May import: quiz.course, quiz.assess, the ground, and quiz.exporters.common (an importer
undoes what an exporter writes, such as a numeric question's unit suffix).
"""
from __future__ import annotations

from pathlib import Path

from quiz.errors import InputError, display_path
from quiz.importers.common import BANK_ID, Imported, existing_objectives

FORMATS = ("gift", "moodle")


def guess_format(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in (".gift", ".txt"):
        return "gift"
    if suffix == ".xml":
        return "moodle"
    return None


def import_file(path: str | Path, out_path: str | Path, fmt: str | None = None, chapter: str | None = None,
                title: str | None = None) -> Imported:
    """Read a GIFT or Moodle XML file into the bank mapping to be written to `out_path`
    (whose file name is the bank id)."""
    path, out_path = Path(path), Path(out_path)
    fmt = fmt or guess_format(path)
    if fmt not in FORMATS:
        raise InputError(display_path(path), 0, "cannot tell the format from the file name; pass --format gift "
                                                "or --format moodle")
    bank_id = out_path.stem
    if not BANK_ID.match(bank_id) or out_path.suffix != ".yaml":
        raise InputError(str(out_path), 0, "name the bank file <id>.yaml with an id of lower-case letters, digits "
                                           "and hyphens, e.g. quizzes/nbr-03.yaml")
    from quiz.course.corpus import load_corpus

    corpus = load_corpus()
    source = "all"
    if chapter is not None and chapter not in corpus.chapters:
        raise InputError("--chapter", 0, f"no chapter '{chapter}' in sources/manifest.yaml; "
                                         "`quiz passages search` shows chapter ids")
    if chapter is None and bank_id in corpus.chapters:
        chapter = bank_id
    if chapter is not None:
        source = corpus.chapters[chapter].source.id
    objective_texts = existing_objectives(out_path, bank_id)
    if fmt == "gift":
        from quiz.importers.gift import import_gift

        return import_gift(path, bank_id, title, chapter, source, objective_texts)
    from quiz.importers.moodle import import_moodle

    return import_moodle(path, bank_id, title, chapter, source, objective_texts)
