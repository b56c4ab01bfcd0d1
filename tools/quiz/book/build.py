"""The online book: lessons assembled into notebooks, built to HTML with Jupyter Book 1.x.

`build()` is what `quiz book build` (and `make book`) runs:

1. validate every lesson and bank (quiz.validate); any problem stops the build with the
   validator's messages;
2. `assemble()`: write the generated sources under book/ (lessons/*.ipynb, sources/*.md,
   generated/ for the table of contents, syllabus, glossary, bibliography and the
   instructor guide's pieces), touching only files whose content changed, and deleting
   pages of lessons that no longer exist;
3. run `jupyter-book build` with warnings as errors (`-W --keep-going`); Sphinx rebuilds
   only the pages whose sources changed, so a rebuild after editing one bank is quick.

Committed under book/: `_config.yml`, the front pages that include the generated pieces
(index.md, glossary.md, bibliography.md, instructor.md) and `_static/`. The layout of a
lesson page is in notebooks.py, the course-wide pages in pages.py.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from quiz import paths
from quiz.book.notebooks import lesson_notebook, notebook_text
from quiz.book.pages import (
    SyllabusRow,
    bibtex,
    glossary_entries,
    glossary_markdown,
    lesson_order,
    readme_for_book,
    source_chapter_page,
    sources_index_page,
    syllabus_markdown,
    toc,
    write_if_changed,
)
from quiz.book.selfcheck import progress_markdown
from quiz.course.bank import load_bank
from quiz.course.corpus import Corpus, load_corpus
from quiz.course.lesson import Lesson, load_lesson
from quiz.course.markup import markup_problems
from quiz.course.safeyaml import read_text
from quiz.errors import InputError, Problem
from quiz.model import Bank

GENERATED_DIRS = ("lessons", "sources", "generated")


class BookError(Exception):
    """The book cannot be built: invalid lessons or banks, or a Sphinx warning.

    `problems` holds one line per problem, as the user should see them."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


@dataclass
class Assembly:
    """What `assemble` produced."""

    book: Path
    lessons: list[str]
    docs: list[str]  # every page of the book, as Sphinx document names
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)

    @property
    def toc_path(self) -> Path:
        return self.book / "generated" / "_toc.yml"


@dataclass
class BuildResult:
    assembly: Assembly
    index: Path  # the home page to open
    seconds: float
    output: str = ""  # what Jupyter Book printed

    @property
    def pages(self) -> int:
        return len(self.assembly.docs)


def book_dir() -> Path:
    return paths.course_root() / "book"


def lesson_paths() -> list[Path]:
    """The course's lessons: lessons/*.md (examples and the README are not lessons)."""
    return sorted(p for p in paths.lessons_dir().glob("*.md") if p.name != "README.md")


def load_course(corpus: Corpus) -> list[tuple[Lesson, Bank | None]]:
    """Every lesson in syllabus order, with its bank (quizzes/<id>.yaml) when it has one."""
    lessons = []
    for path in lesson_paths():
        lesson, problems = load_lesson(path)
        if lesson is None:
            raise BookError(f"{path.name} is not a valid lesson; run `quiz validate`", [str(p) for p in problems])
        unsafe = markup_problems(lesson.body, lesson.body_line)
        if unsafe:  # checked here too, so that no page is built from it even without validation
            raise BookError(f"{path.name} uses markup a lesson may not use (SECURITY.md)",
                            [f"{lesson.file}:{line}: {msg}" for line, msg in unsafe])
        lessons.append(lesson)
    out = []
    for lesson in lesson_order(lessons, corpus):
        bank_path = paths.quizzes_dir() / f"{lesson.id}.yaml"
        bank = load_bank(bank_path, corpus) if bank_path.is_file() else None
        out.append((lesson, bank))
    return out


def check_course(corpus: Corpus | None = None) -> list[Problem]:
    """The validator's problems with the course's lessons and banks (empty when valid)."""
    from quiz.course.validate import validate

    return validate(None, corpus).errors


def assemble(book: Path | None = None, corpus: Corpus | None = None) -> Assembly:
    """Write the book's generated sources; return what was written."""
    corpus = corpus or load_corpus()
    book = book or book_dir()
    try:
        course = load_course(corpus)
    except InputError as exc:
        raise BookError(str(exc)) from None
    lessons = [les for les, _ in course]
    written: list[Path] = []
    for sub in GENERATED_DIRS:
        _real_dir(book / sub)

    def put(rel: str, content: str) -> None:
        if write_if_changed(book / rel, content):
            written.append(book / rel)

    spelling = {key: term for key, (term, _) in glossary_entries(lessons).items()}
    for lesson, bank in course:
        put(f"lessons/{lesson.id}.ipynb", notebook_text(lesson_notebook(lesson, bank, corpus, spelling)))
    put("sources/index.md", sources_index_page(corpus, lessons))
    for chapter in corpus.chapters.values():
        put(f"sources/{chapter.id}.md", source_chapter_page(chapter, lessons))
    rows = [SyllabusRow(les, len(bank.questions) if bank else None) for les, bank in course]
    put("generated/syllabus.md", syllabus_markdown(rows, corpus))
    put("generated/progress.md", progress_markdown(course))
    put("generated/glossary.md", glossary_markdown(lessons))
    put("generated/references.bib", bibtex(corpus))
    for name, doc, page in (("lessons", "README.md", "lessons-format"), ("quizzes", "README.md", "quizzes-format"),
                            ("quizzes", "EXPORTS.md", "exports")):
        readme = paths.course_root() / name / doc
        text = read_text(readme, "format reference") if readme.is_file() else f"(`{name}/{doc}` is missing.)\n"
        put(f"generated/{page}.md", readme_for_book(text, name))
    contents = toc(lessons, corpus)
    put("generated/_toc.yml", "# Generated by `quiz book build`; do not edit.\n"
        + yaml.safe_dump(contents, sort_keys=False, allow_unicode=True))

    keep = {f"lessons/{les.id}.ipynb" for les in lessons} | {"sources/index.md"} \
        | {f"sources/{c}.md" for c in corpus.chapters}
    removed = []
    for sub in ("lessons", "sources"):
        for stale in sorted((book / sub).iterdir()):
            if (stale.is_symlink() or stale.is_file()) and f"{sub}/{stale.name}" not in keep:
                stale.unlink()
                removed.append(stale)
    docs = _toc_docs(contents)
    return Assembly(book, [les.id for les in lessons], docs, written, removed)


def _real_dir(path: Path) -> None:
    """`path` as a directory of our own: a symbolic link (or a file) in its place is removed
    (the link, never what it points to), so nothing generated is written or deleted through it."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        path.unlink()
    path.mkdir(parents=True, exist_ok=True)


def links_out_of_course(root: Path | None = None) -> list[Path]:
    """Symbolic links in the course's sources (book/, lessons/, quizzes/, sources/) that
    point outside the course directory: the build would read (or publish) what they name."""
    root = (root or paths.course_root()).resolve()
    found = []
    for top in ("book", "lessons", "quizzes", "sources"):
        for dirpath, dirnames, filenames in os.walk(root / top):
            here = Path(dirpath)
            if here == root / "book":
                dirnames[:] = [d for d in dirnames if d not in ("_build", *GENERATED_DIRS)]
            for name in dirnames + filenames:
                p = here / name
                if p.is_symlink() and not p.resolve().is_relative_to(root):
                    found.append(p)
    return sorted(found)


def _toc_docs(contents: dict) -> list[str]:
    docs = [contents["root"]]

    def walk(items):
        for item in items:
            docs.append(item["file"])
            walk(item.get("sections", []))

    for part in contents["parts"]:
        walk(part["chapters"])
    return docs


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_WARNING = re.compile(r"(WARNING|ERROR|CRITICAL|SEVERE)[:\]]")


def run_jupyter_book(book: Path, toc_path: Path, rebuild_all: bool = False, echo=None) -> str:
    """`jupyter-book build` with warnings as errors; its output. Raises BookError on failure."""
    cmd = [sys.executable, "-c",
           "import sys; from jupyter_book.cli.main import main; sys.argv[0] = 'jupyter-book'; sys.exit(main())",
           "build", str(book), "--toc", str(toc_path), "-W", "--keep-going"]
    if rebuild_all:
        cmd.append("--all")
    proc = subprocess.Popen(cmd, cwd=book.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            encoding="utf-8", errors="replace")
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        line = _ANSI.sub("", line)
        lines.append(line)
        if echo:
            echo(line.rstrip("\n"))
    code = proc.wait()
    output = "".join(lines)
    if code != 0:
        warnings = [ln.strip() for ln in lines if _WARNING.search(ln)]
        raise BookError(f"the book build failed (jupyter-book exit status {code})",
                        warnings or [ln.rstrip() for ln in lines[-25:]])
    return output


def build(clean: bool = False, check: bool = True, echo=None, corpus: Corpus | None = None) -> BuildResult:
    """Validate, assemble and build the book; the path of its home page is in the result.

    `clean` removes everything generated first (a full rebuild). `echo`, when given, is
    called with each line Jupyter Book prints."""
    start = time.perf_counter()
    corpus = corpus or load_corpus()
    if check:
        problems = check_course(corpus)
        if problems:
            raise BookError(f"{len(problems)} problems in lessons or banks; the book is not built",
                            [str(p) for p in problems])
    book = book_dir()
    if book.is_symlink():
        raise BookError(f"{book} is a symbolic link; the book is built only in the course's own book/ directory")
    outside = links_out_of_course()
    if outside:
        raise BookError(f"{outside[0]} is a symbolic link to a file outside the course; the book reads only "
                        "files inside the course (copy the file in, or remove the link)", [str(p) for p in outside])
    if clean:
        clean_book(book)
    assembly = assemble(book, corpus)
    output = run_jupyter_book(book, assembly.toc_path, rebuild_all=clean, echo=echo)
    index = book / "_build" / "html" / "index.html"
    if not index.is_file():
        raise BookError(f"the build finished but {index} is missing")
    return BuildResult(assembly, index, time.perf_counter() - start, output)


def clean_book(book: Path | None = None) -> None:
    """Remove the built site and every generated source."""
    book = book or book_dir()
    for sub in ("_build", *GENERATED_DIRS):
        path = book / sub
        if path.is_symlink() or path.is_file():
            path.unlink()  # the link itself: rmtree would follow nothing, but say nothing either
        else:
            shutil.rmtree(path, ignore_errors=True)
