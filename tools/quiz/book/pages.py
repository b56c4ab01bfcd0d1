"""The book's course-wide pages, generated from the corpus and the lessons.

Everything here returns MyST Markdown (or BibTeX, or the table of contents as a dict);
book.py decides where it is written. Generated pages never link with relative paths:
they use `{doc}` and `{ref}` roles with absolute document names, so that a broken link
is a Sphinx warning, and the warning-free build (`-W`) catches it.

- source texts: one page per chapter, every paragraph preceded by a target named
  `<chapter>-l<line>` (the source file's line number, 4 digits), the anchors that the
  lessons' "Read in context" links point to;
- the syllabus table of the home page, the glossary, the bibliography (.bib), the
  instructor guide's copies of the format READMEs and the `quiz` commands' help.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path

from quiz.course.cite import heading_text, human_date, paragraphs
from quiz.course.corpus import Chapter, Corpus, Source, short_authors  # noqa: F401 (re-exported for notebooks)
from quiz.course.lesson import Lesson
from quiz.files import atomic_write
from quiz.textnorm import fold, word_count

_PUNCT = set(string.punctuation)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


# -- small helpers shared with notebooks.py -----------------------------------------------

def md_escape(text: str) -> str:
    """Text shown literally by MyST: every ASCII punctuation character backslash-escaped
    (CommonMark allows it for all of them), so no `*`, `#`, `$`, `{role}` or `<tag>` in a
    source text is ever read as markup."""
    return "".join("\\" + ch if ch in _PUNCT else ch for ch in text)


_SUPERSCRIPTS = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"
_TO_DIGITS = str.maketrans(_SUPERSCRIPTS, "0123456789")
_TO_SUPERSCRIPT = str.maketrans("0123456789", _SUPERSCRIPTS)
_SOURCE_INLINE = re.compile(
    r"\\([!-/:-@\[-`{-~])"                                      # a backslash escape: its character
    r"|\*\*(?=\S)(.+?)(?<=\S)\*\*"                                  # **strong**
    r"|(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])"         # *emphasis*
    rf"|(?<=\S)([{_SUPERSCRIPTS}]+)"                               # a note marker: ³ after a word
    r"|(?<=[\w.,;:!?\u201d\"')\]])\[(\d{1,3})\](?!\()")              # or [3] after a word (not a link)
_NOTE_LINE = re.compile(rf"^(?:([{_SUPERSCRIPTS}]+)|\[(\d{{1,3}})\])\s")


@dataclass
class Notes:
    """A chapter's notes: a line that starts with a marker ('³ …' or '[3] …') is note 3."""

    chapter_id: str
    lines: dict[str, list[int]]  # note number -> the source lines of the notes so numbered

    def target(self, number: str, at: int) -> str | None:
        """The note a marker at source line `at` refers to: the next note of that number
        (reports restart their numbers), else the last one before; None when there is none."""
        found = self.lines.get(number)
        if not found:
            return None
        after = [n for n in found if n > at]
        return line_label(self.chapter_id, after[0] if after else found[-1])


def footnotes(chapter: Chapter) -> Notes:
    """The notes of a chapter (see Notes)."""
    lines: dict[str, list[int]] = {}
    for i, line in enumerate(chapter.lines):
        m = _NOTE_LINE.match(line.strip())
        if m:
            number = (m.group(1) or "").translate(_TO_DIGITS) or m.group(2)
            lines.setdefault(number, []).append(chapter.start + i)
    return Notes(chapter.id, lines)


def source_markdown(text: str, notes: Notes | None = None, line: int = 0) -> str:
    """A paragraph of a source text (at source line `line`) as MyST: its own emphasis
    (`*…*`, `**…**`) kept as emphasis, backslash escapes shown as their characters, note
    markers as superscripts linked to their notes; everything else shown literally."""
    out, pos = [], 0
    for m in _SOURCE_INLINE.finditer(text):
        out.append(md_escape(text[pos:m.start()]))
        escaped, strong, em, marker, bracketed = m.groups()
        if escaped:
            out.append(md_escape(escaped))
        elif strong or em:
            inner = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", strong or em).replace("*", "")
            mark = "**" if strong else "*"
            out.append(f"{mark}{md_escape(inner)}{mark}")
        else:
            number = marker.translate(_TO_DIGITS) if marker else bracketed
            target = notes.target(number, line) if notes else None
            shown = number.translate(_TO_SUPERSCRIPT)
            out.append(f"{{ref}}`{shown} <{target}>`" if target else (md_escape(marker) if marker else
                                                                      md_escape(m.group(0))))
        pos = m.end()
    out.append(md_escape(text[pos:]))
    return "".join(out)


_MARKUP = set("<>{}`[]!&*_\\|$")


def md_text(text: str) -> str:
    """A lesson field (objective, key term, definition) as one line of plain text: the
    characters that open HTML, roles, code, links and images are backslash-escaped, the
    rest (apostrophes, full stops) kept as written so the Markdown stays readable."""
    return "".join("\\" + ch if ch in _MARKUP else ch for ch in " ".join(text.split()))


def write_if_changed(path: Path, content: str | bytes) -> bool:
    """Write `content` unless the file already holds it; True when written.

    Keeping unchanged files untouched keeps their modification times, so Sphinx rebuilds
    only the pages whose sources changed."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.is_symlink():
        path.unlink()  # the link, never its target: a generated file is always our own
    elif path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, data, "generated page")
    return True


def line_label(chapter_id: str, line: int) -> str:
    """The target name (and HTML id) of a source line on its chapter's page."""
    return f"{chapter_id}-l{line:04d}"


def doc_link(docname: str, title: str) -> str:
    """A `{doc}` role with an explicit title; the title is escaped for the role syntax."""
    title = title.replace("`", "'").replace("<", "\u2039").replace(">", "\u203a")
    return f"{{doc}}`{title} </{docname}>`"


def short_title(source: Source) -> str:
    """The report's title up to its first colon: 'China's Digital Ambitions'."""
    return source.title.split(":")[0].strip()


def chapter_authors(chapter: Chapter) -> list[str]:
    return chapter.authors or chapter.source.authors


def reading_minutes(lesson: Lesson, corpus: Corpus) -> int:
    """The lesson's reading time: its own, else the chapter's words at 200 a minute."""
    if lesson.reading_time:
        return lesson.reading_time
    chapter = corpus.chapters.get(lesson.chapter or "")
    if chapter is None:
        return 30
    return max(5, round(word_count(chapter.text) / 200 / 5) * 5)


def lesson_docname(lesson_id: str) -> str:
    return f"lessons/{lesson_id}"


def source_docname(chapter_id: str) -> str:
    return f"sources/{chapter_id}"


# -- source texts -------------------------------------------------------------------------

def source_chapter_page(chapter: Chapter, lessons: list[Lesson]) -> str:
    """A chapter's full text, each paragraph (source line) with its line target."""
    src = chapter.source
    out = [f"# {md_escape(chapter.label)}: {md_escape(chapter.title)}", ""]
    meta = [f"{md_escape(chapter.citation)}. {{cite:p}}`{src.id}`",
            "The chapter's full text as the course ships it. Paragraphs are numbered (\u00b6) as the "
            "lessons cite them; a lesson's *Read in context* link lands on its excerpt's first paragraph."]
    readers = [les for les in lessons if les.chapter == chapter.id
               or any(r.chapter == chapter.id for r in les.excerpts)]
    if readers:
        meta.append("Read with: " + ", ".join(doc_link(lesson_docname(les.id), les.title) for les in readers) + ".")
    out += ["```{container} source-meta", *(m + "\n" for m in meta), "```", ""]
    places, notes = paragraphs(chapter), footnotes(chapter)
    for number, place in sorted(places.items()):
        text = chapter.lines[number - chapter.start].strip()
        if place.paragraph:
            body = f'<span class="para-num">\u00b6\u00a0{place.paragraph}</span> ' \
                + source_markdown(text, notes, number)
        else:
            body = f"**{md_escape(heading_text(text) or text)}**"
        out += [f"({line_label(chapter.id, number)})=", body, ""]
    return "\n".join(out)


def sources_index_page(corpus: Corpus, lessons: list[Lesson]) -> str:
    by_chapter = {}
    for les in lessons:
        if les.chapter:
            by_chapter.setdefault(les.chapter, []).append(les)
    out = ["# Source texts", "",
           "The full text of every chapter the course reads, as shipped in the course's `sources/` "
           "directory. The excerpts in the lessons are pulled from these texts when the book is "
           "built, and each excerpt's *Read in context* link lands on its first paragraph here.", ""]
    for src in corpus.sources.values():
        out += [f"## {md_escape(src.title)}", "",
                f"{md_escape(', '.join(src.authors))}; {md_escape(src.publisher)}, {md_escape(human_date(src.date))}. "
                f"{{cite:p}}`{src.id}`", ""]
        for ch in src.chapters:
            lesson_links = ", ".join(doc_link(lesson_docname(les.id), "lesson") for les in by_chapter.get(ch.id, []))
            out.append(f"- {doc_link(source_docname(ch.id), f'{ch.label}: {ch.title}')}"
                       + (f" ({lesson_links})" if lesson_links else ""))
        out.append("")
    return "\n".join(out)


# -- home page syllabus -------------------------------------------------------------------

@dataclass
class SyllabusRow:
    lesson: Lesson
    questions: int | None  # None: no bank yet


def syllabus_markdown(rows: list[SyllabusRow], corpus: Corpus) -> str:
    if not rows:
        return "No lessons have been written yet: the syllabus fills in as `lessons/` does.\n"
    out = ["| Lesson | Reads | Reading time | Self-check |", "|---|---|---|---|"]
    for row in rows:
        les = row.lesson
        chapter = corpus.chapters.get(les.chapter or "")
        if chapter is not None:
            reads = (f"{md_escape(short_title(chapter.source))}, {md_escape(chapter.label)} "
                     f"({md_escape(short_authors(chapter_authors(chapter)))})")
        else:
            reads = "Across the reports"
        quiz = f"{row.questions} questions" if row.questions else "\u2014"
        out.append(f"| {doc_link(lesson_docname(les.id), les.title)} | {reads} | "
                   f"{reading_minutes(les, corpus)} min | {quiz} |")
    return "\n".join(out) + "\n"


# -- glossary -----------------------------------------------------------------------------

_QUOTES = re.compile(r"[\"'\u2018\u2019\u201c\u201d]")


def glossary_key(term: str) -> str:
    """Terms that differ only in case, quotes or spacing are one glossary entry."""
    return " ".join(_QUOTES.sub("", fold(term)).casefold().split())


def glossary_entries(lessons: list[Lesson]) -> dict[str, tuple[str, list[tuple[str, Lesson]]]]:
    """key -> (the term as first written, in syllabus order; [(definition, lesson), …])."""
    entries: dict[str, tuple[str, list[tuple[str, Lesson]]]] = {}
    for les in lessons:
        for term, definition in les.key_terms:
            entries.setdefault(glossary_key(term), (glossary_term_text(term), []))[1].append((definition, les))
    return entries


def glossary_markdown(lessons: list[Lesson]) -> str:
    """A Sphinx glossary of every lesson's key terms, alphabetical (ignoring quotes); a
    term defined by several lessons gets one entry with each definition and its lesson."""
    entries = glossary_entries(lessons)
    if not entries:
        return "The glossary fills in as lessons are written.\n"
    out = ["```{glossary}", ""]
    for key in sorted(entries, key=lambda k: (k.lstrip(string.punctuation), k)):
        term, defs = entries[key]
        out.append(md_text(term))
        for j, (definition, les) in enumerate(defs):
            if j:
                out.append("")
            out.append(f"  {md_text(definition)} ({doc_link(lesson_docname(les.id), les.title)})")
        out.append("")
    out.append("```")
    return "\n".join(out) + "\n"


def glossary_term_text(term: str) -> str:
    """A term as written on a glossary line: one line, no ' : ' (the classifier syntax)."""
    return " ".join(term.split()).replace(" : ", ": ")


def term_role(term: str, canonical: str | None = None) -> str:
    """A link to the glossary entry of `term`, shown as written in the lesson; `canonical`
    is the entry's own spelling when the glossary merged several (a plain bold term when
    the role cannot carry the text)."""
    text = glossary_term_text(term)
    canonical = canonical or text
    if any(ch in text + canonical for ch in "`<>"):
        return f"**{md_escape(text)}**"
    if canonical == text:
        return f"{{term}}`{text}`"
    return f"{{term}}`{text} <{canonical}>`"


# -- bibliography -------------------------------------------------------------------------

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]


def _bib(value: str) -> str:
    value = " ".join(str(value).split())
    for ch in "&%#_$":
        value = value.replace(ch, "\\" + ch)
    return value


def bibtex(corpus: Corpus) -> str:
    """One BibTeX entry per report, keyed by the source id, from sources/manifest.yaml."""
    entries = []
    for src in corpus.sources.values():
        meta = src.meta
        year, _, month = str(src.date).partition("-")
        fields: dict[str, str] = {"title": "{" + _bib(src.title) + "}", "year": year}
        if month.isdigit() and 1 <= int(month) <= 12:
            fields["month"] = _MONTHS[int(month) - 1]
        editors = meta.get("editors") or []
        series = meta.get("series", "")
        if meta.get("container"):
            kind = "incollection"
            fields["author"] = " and ".join(src.authors)
            fields["booktitle"] = "{" + _bib(meta["container"]) + "}"
            if editors:
                fields["editor"] = " and ".join(editors)
            fields["publisher"] = _bib(src.publisher)
        elif "working paper" in series.casefold():
            kind = "techreport"
            fields["author"] = " and ".join(src.authors)
            fields["institution"] = _bib(src.publisher)
            fields["type"] = "Working Paper"
            fields["number"] = _bib(series.split()[-1])
        elif not editors:
            kind = "misc"
            fields["author"] = " and ".join(src.authors)
            fields["howpublished"] = _bib(src.publisher)
            if series:
                fields["note"] = _bib(series)
        else:
            kind = "book"
            # the report's authors wrote its chapters (carter): authors; else (nbr) the editors
            if any(c.authors == src.authors for c in src.chapters) or len(src.chapters) <= 1:
                fields["author"] = " and ".join(src.authors)
            else:
                fields["editor"] = " and ".join(editors)
            fields["publisher"] = _bib(src.publisher)
            if series:
                fields["series"] = _bib(series)
        body = ",\n".join(f"  {k} = {{{v}}}" if not v.startswith("{") else f"  {k} = {{{v}}}"
                          for k, v in fields.items())
        entries.append(f"@{kind}{{{src.id},\n{body}\n}}\n")
    return "\n".join(entries)


# -- instructor guide ---------------------------------------------------------------------

_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)")


def readme_for_book(text: str, repo_dir: str) -> str:
    """A format README made fit for the book: nested code fences repaired, links to files
    of the repository (which are not pages of the book) written as their paths.

    READMEs show MyST examples inside ```` ```markdown ```` blocks that contain fences of
    their own; GitHub tolerates a closing fence that is too short, MyST does not and would
    run the example's directives. The outer fence is lengthened to enclose them."""
    return _relink(_fix_nested_fences(text), repo_dir)


def _fix_nested_fences(text: str) -> str:
    lines = text.split("\n")
    out = list(lines)
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = m.groups()
        if info.strip().split()[:1] not in (["markdown"], ["md"], ["myst"]):
            # an ordinary block: skip to its end
            j = i + 1
            while j < len(lines) and not (lines[j].strip().startswith(fence) and not lines[j].strip().strip(fence[0])):
                j += 1
            i = j + 1
            continue
        stack: list[str] = []
        longest = len(fence)
        j = i + 1
        while j < len(lines):
            inner = _FENCE.match(lines[j])
            if inner:
                _, f2, info2 = inner.groups()
                if info2.strip():
                    stack.append(f2)
                    longest = max(longest, len(f2))
                elif stack and len(f2) >= len(stack[-1]) and f2[0] == stack[-1][0]:
                    stack.pop()
                elif not stack:
                    break
            j += 1
        if j >= len(lines):
            break
        new = fence[0] * (longest + 1)
        out[i] = f"{indent}{new}{info}"
        out[j] = _FENCE.match(lines[j]).group(1) + new
        i = j + 1
    return "\n".join(out)


def _relink(text: str, repo_dir: str) -> str:
    out, fence = [], None
    for line in text.split("\n"):
        m = _FENCE.match(line)
        if m and fence is None:
            fence = m.group(2)
        elif m and fence is not None and m.group(2).startswith(fence) and not m.group(3).strip():
            fence = None
        elif fence is None:
            line = _LINK.sub(lambda mm: _link_text(mm.group(1), mm.group(2), repo_dir), line)
        out.append(line)
    return "\n".join(out)


def _link_text(label: str, target: str, repo_dir: str) -> str:
    if re.match(r"^[a-z]+:", target) or target.startswith("#"):
        return f"[{label}]({target})"
    path = f"{repo_dir}/{target}".replace("/./", "/")
    shown = label.strip("`")
    if shown == target or shown == path:
        return f"`{path}`"
    return f"{label} (`{path}`)"


def toc(lessons: list[Lesson], corpus: Corpus) -> dict:
    """The Jupyter Book table of contents: lessons by report, then source texts, reference."""
    parts = []
    for src in corpus.sources.values():
        ids = [les.id for les in lessons if les.source == src.id]
        if ids:
            parts.append({"caption": f"Lessons: {short_title(src)}",
                          "chapters": [{"file": lesson_docname(i)} for i in ids]})
    others = [les.id for les in lessons if les.source not in corpus.sources]
    if others:
        parts.append({"caption": "Across the reports", "chapters": [{"file": lesson_docname(i)} for i in others]})
    parts.append({"caption": "Reference", "chapters": [
        {"file": "sources/index", "sections": [{"file": source_docname(c)} for c in corpus.chapters]},
        {"file": "glossary"}, {"file": "bibliography"}, {"file": "progress"}, {"file": "instructor"}]})
    return {"format": "jb-book", "root": "index", "parts": parts}


def lesson_order(lessons: list[Lesson], corpus: Corpus) -> list[Lesson]:
    """Lessons in syllabus order: by report and chapter as in the manifest, then the rest."""
    rank = {cid: i for i, cid in enumerate(corpus.chapters)}
    return sorted(lessons, key=lambda les: (rank.get(les.chapter or "", len(rank)), les.id))
