"""`quiz validate`: every check on banks and lessons, as a list of file:line problems."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from quiz import paths
from quiz.course.bank import check_bank
from quiz.course.corpus import Corpus, load_corpus
from quiz.course.lesson import check_lesson, load_lesson
from quiz.course.safeyaml import read_bytes
from quiz.errors import InputError, Problem
from quiz.gcpause import gc_paused


@dataclass
class Report:
    banks: int = 0
    lessons: int = 0
    questions: int = 0
    errors: list[Problem] = field(default_factory=list)
    unreadable: bool = False  # some input could not be read at all: exit status 2

    def as_dict(self) -> dict:
        return {"banks": self.banks, "lessons": self.lessons, "questions": self.questions,
                "errors": [p.as_dict() for p in self.errors]}

    @property
    def exit_code(self) -> int:
        return 2 if self.unreadable else 1 if self.errors else 0


def collect(targets: list[str | Path] | None) -> tuple[list[Path], list[Path], list[Problem]]:
    """Banks and lessons named by `targets` (files or directories); default: the course's."""
    if not targets:
        return (sorted(paths.quizzes_dir().glob("*.yaml")),
                sorted(p for p in paths.lessons_dir().glob("*.md") if p.name != "README.md"), [])
    banks, lessons, missing = [], [], []
    for t in map(Path, targets):
        if t.is_dir():
            banks += sorted(t.rglob("*.yaml")) + sorted(t.rglob("*.yml"))
            lessons += sorted(p for p in t.rglob("*.md") if _is_lesson(p))
        elif t.suffix in (".md", ".ipynb"):
            if t.name != "README.md":  # the format references beside the lessons and banks
                lessons.append(t)
        elif t.exists():
            banks.append(t)
        else:
            missing.append(Problem(str(t), 0, "no such file or directory"))
    return banks, lessons, missing


def _is_lesson(path: Path) -> bool:
    """In a directory, Markdown is a lesson when it sits under `lessons/` or opens with front
    matter; other Markdown (README.md, EXPORTS.md beside the banks) is documentation."""
    if path.name == "README.md":
        return False
    if "lessons" in path.parts:
        return True
    try:
        return read_bytes(path, "lesson")[:4].rstrip(b"\r\n") == b"---"
    except InputError:
        return True  # let the lesson loader report why it cannot be read


def validate(targets: list[str | Path] | None = None, corpus: Corpus | None = None) -> Report:
    with gc_paused():
        return _validate(targets, corpus)


def _validate(targets: list[str | Path] | None, corpus: Corpus | None) -> Report:
    corpus = corpus or load_corpus()
    banks, lessons, missing = collect(targets)
    report = Report(errors=list(missing), unreadable=bool(missing))
    first_seen: dict[str, str] = {}
    for path in banks:
        try:
            checked = check_bank(path, corpus)
        except InputError as exc:
            report.errors.append(exc.problem)
            report.unreadable = True
            continue
        report.banks += 1
        report.errors += checked.problems
        if checked.bank is None:
            continue
        report.questions += len(checked.bank.questions)
        for q in checked.bank.questions:
            where = f"{q.file}:{q.line}"
            if q.id in first_seen and not first_seen[q.id].startswith(q.file + ":"):
                report.errors.append(Problem(q.file, q.line, f"question id '{q.id}' is also used at {first_seen[q.id]}; "
                                             "ids are unique across the course"))
            first_seen.setdefault(q.id, where)
    for path in lessons:
        try:
            lesson, problems = load_lesson(path)
        except InputError as exc:
            report.errors.append(exc.problem)
            report.unreadable = True
            continue
        report.lessons += 1
        report.errors += problems
        if lesson is not None:
            report.errors += check_lesson(lesson, corpus)
    report.errors.sort(key=lambda p: (p.file, p.line))
    return report
