"""Summaries of the banks, for `quiz list` and the book's syllabus table."""
from __future__ import annotations

from pathlib import Path

from quiz.course.bank import check_bank, default_bank_paths
from quiz.course.corpus import load_corpus
from quiz.errors import InputError


def bank_summaries(bank_paths: list[str | Path] | None = None) -> list[dict]:
    """One row per bank: id, file, title, source, chapter, question count, counts by type."""
    corpus = load_corpus()
    rows = []
    for path in bank_paths or default_bank_paths():
        try:
            checked = check_bank(path, corpus, check_quotes=False)
        except InputError as exc:
            rows.append({"bank": Path(path).stem, "file": str(path), "title": "", "source": "", "chapter": None,
                         "questions": 0, "types": {}, "error": str(exc)})
            continue
        b = checked.bank
        if b is None:
            rows.append({"bank": Path(path).stem, "file": str(path), "title": "", "source": "", "chapter": None,
                         "questions": 0, "types": {}, "error": "invalid; run `quiz validate`"})
            continue
        rows.append({"bank": b.id, "file": b.file, "title": b.title, "source": b.source, "chapter": b.chapter,
                     "questions": len(b.questions), "types": b.counts_by_type()})
    return rows
