"""`quiz validate`: every check on banks and lessons, as a list of file:line problems."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from quiz import paths
from quiz.course.bank import check_bank
from quiz.course.corpus import Corpus, load_corpus
from quiz.course.lesson import REFERENCE, check_lesson, load_lesson, references
from quiz.course.safeyaml import read_bytes
from quiz.errors import InputError, Problem
from quiz.gcpause import gc_paused
from quiz.textnorm import fold


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


def check_references(lesson) -> list[Problem]:
    """Every {lesson}, {excerpt} and {term} reference names something the course has."""
    out = []
    plain = [(text, lesson.objective_lines.get(oid, 1)) for oid, text in lesson.objectives.items()]
    plain += [(f"{term} {definition}", lesson.front_lines.get(("key_terms", i), 1))
              for i, (term, definition) in enumerate(lesson.key_terms)]
    for text, line in plain:
        m = REFERENCE.search(text)
        if m:
            out.append(Problem(lesson.file, line, f"{m.group(0)} in the front matter: objectives and key terms are "
                                                  "plain text (shown in the terminal and the glossary); refer to "
                                                  "other lessons in the body"))
    refs = references(lesson)
    if not refs:
        return out
    course = _course_targets(paths.lessons_dir())
    for kind, target, line in refs:
        if kind == "lesson" and target not in course["lesson"]:
            out.append(Problem(lesson.file, line, f"{{lesson}}`{target}`: no lesson has this id; "
                                                  "use a file name of lessons/ without '.md'"))
        elif kind == "excerpt" and target not in course["excerpt"]:
            out.append(Problem(lesson.file, line, f"{{excerpt}}`{target}`: no lesson defines this excerpt id"))
        elif kind == "term" and _term_key(target) not in course["term"]:
            out.append(Problem(lesson.file, line, f"{{term}}`{target}`: not a key term of any lesson "
                                                  "(spell it as a lesson's key_terms do)"))
    return out


def _term_key(term: str) -> str:
    return " ".join(fold(term).casefold().split())


@lru_cache(maxsize=4)
def _course_targets(lessons_dir: Path) -> dict[str, set[str]]:
    """Lesson ids, excerpt ids and key terms (case-folded) of the lessons in `lessons_dir`."""
    found: dict[str, set[str]] = {"lesson": set(), "excerpt": set(), "term": set()}
    for path in sorted(lessons_dir.glob("*.md")):
        if path.name == "README.md":
            continue
        try:
            lesson, _ = load_lesson(path)
        except InputError:
            continue
        if lesson is None:
            continue
        found["lesson"].add(lesson.id)
        found["excerpt"].update(e.id for e in lesson.excerpts)
        found["term"].update(_term_key(term) for term, _ in lesson.key_terms)
    return found


def _in_course(path: Path) -> bool:
    return path.resolve().is_relative_to(paths.quizzes_dir().resolve())


def _course_ids(targets: list[Path]) -> dict[str, str]:
    """`file:line` of every question id in the course's banks other than `targets`, so that
    validating one bank of the course (a file under quizzes/) also catches an id another bank
    already uses. A bank outside the course stands alone until it is combined with others."""
    from quiz.course.index import all_bank_paths, bank_at

    chosen = {p.resolve() for p in targets}
    seen: dict[str, str] = {}
    for path in all_bank_paths():
        if path.resolve() in chosen:
            continue
        try:
            bank = bank_at(str(path))
        except InputError:
            continue  # validating that bank itself reports why
        for q in bank.questions:
            seen.setdefault(q.id, f"{q.file}:{q.line}")
    return seen


def validate(targets: list[str | Path] | None = None, corpus: Corpus | None = None) -> Report:
    with gc_paused():
        return _validate(targets, corpus)


def _validate(targets: list[str | Path] | None, corpus: Corpus | None) -> Report:
    corpus = corpus or load_corpus()
    banks, lessons, missing = collect(targets)
    report = Report(errors=list(missing), unreadable=bool(missing))
    first_seen = _course_ids(banks) if targets and any(_in_course(p) for p in banks) else {}
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
            report.errors += check_references(lesson)
    report.errors.sort(key=lambda p: (p.file, p.line))
    return report
