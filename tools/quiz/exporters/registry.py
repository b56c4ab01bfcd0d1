"""The export formats by name: `quiz export --format NAME` and `export(NAME, …)`.

Each format is a module over the one question model with `render(source, **options)`
returning the format's data and a list of ExportWarning, and `export(source, path,
**options)` writing it. `jupyterquiz` reuses the book's converter (exporters/jupyterquiz.py).
"""
from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from quiz.exporters.common import ExportSource, ExportWarning


@dataclass(frozen=True)
class Format:
    name: str
    module: str
    suffix: str
    binary: bool
    help: str


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("qti", "quiz.exporters.qti", ".zip", True, "IMS QTI 1.2 package for Canvas (classic and New Quizzes)"),
    Format("moodle", "quiz.exporters.moodle", ".xml", False, "Moodle XML, one category per bank"),
    Format("gift", "quiz.exporters.gift", ".gift", False, "Moodle GIFT text"),
    Format("anki", "quiz.exporters.anki", ".apkg", True, "Anki deck package, one note per question"),
    Format("jupyterquiz", "quiz.exporters.registry", ".json", False, "the JSON of jupyterquiz, as in the book"),
    Format("markdown", "quiz.exporters.markdown", ".md", False, "printable quiz with an answer key page"),
    Format("html", "quiz.exporters.html", ".html", False, "printable quiz page with an answer key page"),
)}


def module(name: str) -> ModuleType:
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}; use one of {', '.join(FORMATS)}")
    return importlib.import_module(FORMATS[name].module)


def render(name: str, source: ExportSource, **options):
    """The format's data (str, bytes, a file map or a package) and the warnings."""
    if name == "jupyterquiz":
        return render_jupyterquiz(source)
    return module(name).render(source, **options)


def export(name: str, source: ExportSource, out_path: str | Path, **options) -> list[ExportWarning]:
    """Write `source` in format `name` to `out_path`; the warnings say what the format could not keep."""
    if name == "jupyterquiz":
        text, warnings = render_jupyterquiz(source)
        Path(out_path).write_text(text, encoding="utf-8")
        return warnings
    return module(name).export(source, out_path, **options)


def to_text(name: str, source: ExportSource, **options) -> tuple[str, list[ExportWarning]]:
    """A text format's output as a string (for `-o -`)."""
    if FORMATS[name].binary:
        raise ValueError(f"{name} is a binary format; write it to a file")
    return render(name, source, **options)


# -- jupyterquiz: the book's converter, with warnings for the split types --------------------

def render_jupyterquiz(source: ExportSource) -> tuple[str, list[ExportWarning]]:
    from quiz import model
    from quiz.exporters.jupyterquiz import to_jupyterquiz

    warnings = []
    for q in source.questions:
        if isinstance(q, model.Cloze) and len(q.blanks) > 1:
            warnings.append(ExportWarning(q.id, f"cloze written as {len(q.blanks)} string questions, one per blank "
                                                "(jupyterquiz has one answer per question); no partial credit"))
        elif isinstance(q, model.Matching):
            warnings.append(ExportWarning(q.id, f"matching written as {len(q.pairs)} multiple-choice parts, one per "
                                                "left item (jupyterquiz has no matching type)"))
        elif isinstance(q, model.Ordering):
            warnings.append(ExportWarning(q.id, f"ordering written as {len(q.items)} multiple-choice parts asking "
                                                "what comes right after each item (jupyterquiz has no ordering type)"))
    essays = [q for q in source.questions if isinstance(q, model.Essay)]
    warnings += [ExportWarning(q.id, "essay left out: jupyterquiz cannot take an open answer") for q in essays]
    data = to_jupyterquiz([q for q in source.questions if not isinstance(q, model.Essay)], seed="book")
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n", warnings
