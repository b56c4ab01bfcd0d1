"""Lessons: MyST Markdown with a YAML front matter of objectives, key terms and excerpt
references. This module reads them and checks their structure; the book assembler
(book.py) turns them into pages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from quiz.course.corpus import Chapter, Corpus
from quiz.course.markup import markup_problems
from quiz.course.safeyaml import load_yaml, read_text
from quiz.course.schemas import schema_problems
from quiz.errors import InputError, Problem, display_path
from quiz.textnorm import fold, word_count

EXCERPT_WORDS = (40, 250)
EXCERPTS = (3, 8)
OBJECTIVES = (3, 5)
MIN_KEY_TERMS = 5
MIN_EXERCISES = 4
MIN_PROMPTS = 2
REQUIRED_SECTIONS = ("Excerpts and commentary", "Exercises", "Discussion", "Key points")
KEY_POINTS = (3, 5)

# References by id, which the book turns into links: {lesson}`basc-03`, {excerpt}`nbr-03-x2`,
# {term}`Cybersecurity Law` (a key term of some lesson, hence a glossary entry).
REFERENCE = re.compile(r"\{(lesson|excerpt|term)\}`([^`]+)`")

EXCERPT_BLOCK = re.compile(r"^(`{3,}|:{3,})\{excerpt\}\s*(\S*)\s*$")
_DIRECTIVE = re.compile(r"^(`{3,}|:{3,})\{(exercise|solution)\}\s*(.*?)\s*$")
_LABEL = re.compile(r"^:label:\s*(\S+)")
# A top-level list item; a wrapped line ("  2012) rest on …") is indented and does not count.
_LIST_ITEM = re.compile(r"^ ?(\d+[.)]|[-*+])\s+\S")


@dataclass
class ExcerptRef:
    id: str
    line: int
    chapter: str
    start: str = ""
    end: str = ""
    quote: str = ""


@dataclass
class Excerpt:
    """An excerpt resolved against its source: the words as printed, and where."""

    ref: ExcerptRef
    chapter: Chapter
    text: str
    first_line: int
    last_line: int


@dataclass
class Lesson:
    id: str
    title: str
    source: str
    chapter: str | None
    file: str
    path: Path
    reading_time: int | None
    objectives: dict[str, str]
    objective_lines: dict[str, int]
    key_terms: list[tuple[str, str]]
    excerpts: list[ExcerptRef]
    body: str
    body_line: int  # file line of the body's first line
    front_lines: dict = field(default_factory=dict)


def split_front_matter(text: str, shown: str) -> tuple[str, str, int]:
    """(front matter YAML, body, file line where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise InputError(shown, 1, "a lesson starts with a YAML front matter block between '---' lines")
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2
    raise InputError(shown, 1, "the front matter is not closed: add a '---' line after it")


def load_lesson(path: str | Path) -> tuple[Lesson | None, list[Problem]]:
    """Read a lesson. Raises InputError when unreadable; returns schema problems otherwise."""
    shown = display_path(path)
    text = read_text(path, "lesson")
    front, body, body_line = split_front_matter(text, shown)
    if not front.strip():
        raise InputError(shown, 2, "the front matter is empty")
    loaded = load_yaml(path, front, line_offset=1)
    problems = list(loaded.problems)
    if not isinstance(loaded.data, dict):
        return None, problems + [Problem(shown, 2, "the front matter must be a mapping of keys to values")]
    problems += schema_problems(loaded, "lesson")
    if problems:
        return None, problems
    d = loaded.data
    chapter = d.get("chapter")
    excerpts = [ExcerptRef(e["id"], loaded.line_of(("excerpts", i)), e.get("chapter", chapter or ""),
                           e.get("start", ""), e.get("end", ""), e.get("quote", ""))
                for i, e in enumerate(d["excerpts"])]
    lesson = Lesson(
        id=d["lesson"], title=d["title"], source=d["source"], chapter=chapter, file=shown, path=Path(path),
        reading_time=d.get("reading_time"),
        objectives={o["id"]: o["text"] for o in d["objectives"]},
        objective_lines={o["id"]: loaded.line_of(("objectives", i)) for i, o in enumerate(d["objectives"])},
        key_terms=[(k["term"], k["definition"]) for k in d["key_terms"]],
        excerpts=excerpts, body=body, body_line=body_line, front_lines=loaded.lines,
    )
    return lesson, problems


def resolve_excerpt(ref: ExcerptRef, corpus: Corpus) -> Excerpt | str:
    """The excerpt's text from the source, or a message saying why it cannot be found."""
    chapter = corpus.chapters.get(ref.chapter)
    if chapter is None:
        return f"excerpt {ref.id}: unknown chapter '{ref.chapter}' (see sources/manifest.yaml)"
    if ref.quote:
        span = chapter.find(ref.quote)
        if span is None:
            return _not_found(f"excerpt {ref.id}: the quote", ref.quote, chapter)
    else:
        n = chapter.count(ref.start)
        if n == 0:
            return _not_found(f"excerpt {ref.id}: the start words", ref.start, chapter)
        if n > 1:
            return (f"excerpt {ref.id}: the start words occur {n} times in {chapter.id}; "
                    "add words until they are unique")
        begin = chapter.find(ref.start)
        end = chapter.find(ref.end, after=begin[0])
        if end is None:
            return _not_found(f"excerpt {ref.id}: the end words (after the start)", ref.end, chapter)
        span = (begin[0], end[1])
    text = chapter.text[span[0] : span[1]]
    return Excerpt(ref, chapter, text, chapter.line_of(span[0]), chapter.line_of(span[1] - 1))


def _not_found(what: str, quote: str, chapter: Chapter) -> str:
    closest, line, score = chapter.closest(quote)
    hint = f"; closest ({score:.0f}%) at {chapter.source.file.name}:{line}: \"{_clip(closest)}\"" if closest else ""
    return f"{what} is not found verbatim in {chapter.id}{hint}"


def _clip(text: str, n: int = 160) -> str:
    text = fold(text)
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def check_lesson(lesson: Lesson, corpus: Corpus) -> list[Problem]:
    """Everything the schema cannot check: chapters, excerpts, counts, body structure."""
    f = lesson.file
    out: list[Problem] = []
    add = lambda line, msg: out.append(Problem(f, line, msg))  # noqa: E731
    stem = lesson.path.stem
    if lesson.id != stem:
        add(lesson.front_lines.get(("lesson",), 2), f"the lesson id '{lesson.id}' differs from the file name '{stem}'")
    if lesson.source != "all" and lesson.source not in corpus.sources:
        add(lesson.front_lines.get(("source",), 2), f"unknown source '{lesson.source}'; use one of {', '.join(corpus.sources)} or 'all'")
    if lesson.source != "all" and not lesson.chapter:
        add(2, "'chapter' is required unless source is 'all'")
    elif lesson.chapter and lesson.chapter not in corpus.chapters:
        add(lesson.front_lines.get(("chapter",), 2), f"unknown chapter '{lesson.chapter}'; see sources/manifest.yaml")
    n = len(lesson.objectives)
    if not OBJECTIVES[0] <= n <= OBJECTIVES[1]:
        add(lesson.front_lines.get(("objectives",), 2), f"{n} objectives; a lesson has {OBJECTIVES[0]}–{OBJECTIVES[1]}")
    seen: dict[str, int] = {}
    for key in ("objectives", "excerpts"):
        for i, item in enumerate(getattr(lesson, key) if key == "excerpts" else lesson.objectives):
            ident = item.id if key == "excerpts" else item
            line = lesson.front_lines.get((key, i), 2)
            if ident in seen:
                add(line, f"duplicate id '{ident}' (first at line {seen[ident]})")
            seen.setdefault(ident, line)
    if len(lesson.key_terms) < MIN_KEY_TERMS:
        add(lesson.front_lines.get(("key_terms",), 2), f"{len(lesson.key_terms)} key terms; a lesson has at least {MIN_KEY_TERMS}")
    terms = [fold(t).casefold() for t, _ in lesson.key_terms]
    for i, t in enumerate(terms):
        if t in terms[:i]:
            add(lesson.front_lines.get(("key_terms", i), 2), f"key term '{lesson.key_terms[i][0]}' is defined twice")
    n = len(lesson.excerpts)
    if not EXCERPTS[0] <= n <= EXCERPTS[1]:
        add(lesson.front_lines.get(("excerpts",), 2), f"{n} excerpts; a lesson has {EXCERPTS[0]}–{EXCERPTS[1]} (4–8 for a full chapter)")
    for ref in lesson.excerpts:
        if not ref.chapter:
            add(ref.line, f"excerpt {ref.id}: give its 'chapter' (the lesson has none)")
            continue
        if lesson.source != "all" and lesson.chapter and ref.chapter in corpus.chapters \
                and corpus.chapters[ref.chapter].source.id != lesson.source:
            add(ref.line, f"excerpt {ref.id}: chapter '{ref.chapter}' is not from source '{lesson.source}'")
        got = resolve_excerpt(ref, corpus)
        if isinstance(got, str):
            add(ref.line, got)
            continue
        words = word_count(got.text)
        if not EXCERPT_WORDS[0] <= words <= EXCERPT_WORDS[1]:
            add(ref.line, f"excerpt {ref.id} is {words} words; an excerpt has {EXCERPT_WORDS[0]}–{EXCERPT_WORDS[1]}")
    out += check_body(lesson)
    return out


def body_structure(lesson: Lesson) -> dict:
    """Sections, excerpt placements, exercises, solutions and discussion items, with lines."""
    info = {"sections": {}, "excerpts": [], "exercises": [], "solutions": [], "prompts": 0, "points": 0, "h1": []}
    section = None
    fence: str | None = None
    pending_label: list | None = None
    for i, line in enumerate(lesson.body.split("\n")):
        lineno = lesson.body_line + i
        stripped = line.strip()
        m = EXCERPT_BLOCK.match(stripped)
        d = _DIRECTIVE.match(stripped)
        if fence is None and m:
            info["excerpts"].append((m.group(2), lineno, section))
            fence = m.group(1)
            continue
        if fence is None and d:
            fence = d.group(1)
            if d.group(2) == "exercise":
                pending_label = [None, lineno]
                info["exercises"].append(pending_label)
            else:
                info["solutions"].append((d.group(3), lineno))
            continue
        if fence is not None:
            if pending_label is not None and (lm := _LABEL.match(stripped)):
                pending_label[0] = lm.group(1)
            if stripped == fence:
                fence, pending_label = None, None
            continue
        if stripped.startswith("## "):
            section = stripped[3:].strip()
            info["sections"][section] = lineno
        elif stripped.startswith("# "):
            info["h1"].append(lineno)
        elif section in ("Discussion", "Key points") and _LIST_ITEM.match(line):
            info["prompts" if section == "Discussion" else "points"] += 1
    return info


def check_body(lesson: Lesson) -> list[Problem]:
    f = lesson.file
    out = [Problem(f, line, msg) for line, msg in markup_problems(lesson.body, lesson.body_line)]
    info = body_structure(lesson)
    for name in REQUIRED_SECTIONS:
        if name not in info["sections"]:
            out.append(Problem(f, lesson.body_line, f"the body has no '## {name}' section"))
    for line in info["h1"]:
        out.append(Problem(f, line, "no '# ' heading in the body: the title comes from the front matter"))
    defined = {e.id for e in lesson.excerpts}
    placed: dict[str, int] = {}
    lines = lesson.body.split("\n")
    for ident, line, _section in info["excerpts"]:
        if ident not in defined:
            out.append(Problem(f, line, f"excerpt '{ident}' is not defined in the front matter"))
        elif ident in placed:
            out.append(Problem(f, line, f"excerpt '{ident}' is placed twice (first at line {placed[ident]})"))
        else:
            placed[ident] = line
            after = lines[line - lesson.body_line + 2 :]
            prose = []
            for nxt in after:
                if EXCERPT_BLOCK.match(nxt.strip()) or nxt.startswith("## "):
                    break
                prose.append(nxt)
            if word_count(" ".join(prose)) < 15:
                out.append(Problem(f, line, f"excerpt '{ident}' needs commentary after it (a paragraph or more)"))
    for e in lesson.excerpts:
        if e.id not in placed:
            out.append(Problem(f, e.line, f"excerpt '{e.id}' is never placed in the body; add a ```{{excerpt}} {e.id}``` block"))
    labels: dict[str, int] = {}
    for label, line in info["exercises"]:
        if not label:
            out.append(Problem(f, line, "an exercise needs a ':label:' so its solution can name it"))
        elif label in labels:
            out.append(Problem(f, line, f"exercise label '{label}' is used twice"))
        else:
            labels[label] = line
    solved: dict[str, int] = {}
    for target, line in info["solutions"]:
        if target not in labels:
            out.append(Problem(f, line, f"solution for '{target}', which is not an exercise label of this lesson"))
        elif target in solved:
            out.append(Problem(f, line, f"exercise '{target}' has two solutions"))
        solved[target] = line
    for label, line in labels.items():
        if label not in solved:
            out.append(Problem(f, line, f"exercise '{label}' has no solution"))
    if len(labels) < MIN_EXERCISES:
        out.append(Problem(f, info["sections"].get("Exercises", lesson.body_line),
                           f"{len(labels)} exercises; a lesson has at least {MIN_EXERCISES}"))
    if "Discussion" in info["sections"] and info["prompts"] < MIN_PROMPTS:
        out.append(Problem(f, info["sections"]["Discussion"],
                           f"{info['prompts']} discussion prompts; a lesson has at least {MIN_PROMPTS} (as list items)"))
    lo, hi = KEY_POINTS
    if "Key points" in info["sections"] and not lo <= info["points"] <= hi:
        out.append(Problem(f, info["sections"]["Key points"],
                           f"{info['points']} key points; a lesson closes with {lo}\u2013{hi} (as list items)"))
    return out


def references(lesson: Lesson) -> list[tuple[str, str, int]]:
    """(kind, target, file line) of every {lesson}, {excerpt} and {term} reference in the body."""
    out = []
    for i, line in enumerate(lesson.body.split("\n")):
        for m in REFERENCE.finditer(line):
            out.append((m.group(1), m.group(2).strip(), lesson.body_line + i))
    return out
