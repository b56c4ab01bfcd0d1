"""Where a passage is, in words a reader can follow: chapter, section heading, paragraph.

The source texts are plain text, one paragraph a line. A line is a section heading when
it is a Markdown heading, or short (at most 14 words), starts with a capital or digit and
ends without sentence punctuation ("China's Platform Objectives", "EXECUTIVE SUMMARY");
footnotes, list items and table rows are paragraphs. Paragraphs are numbered through the
chapter (¶ 1, ¶ 2, …), headings not counted, so "Chapter 2, “Convergence”, ¶ 41" names one
paragraph, and the book's source page shows the same numbers.

The book (excerpts), `quiz take` and `quiz review` all cite this way; nothing a student
reads names a file or a line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_MD_HEADING = re.compile(r"^#{1,6}\s+(\S.*?)\s*#*$")
_PLAIN_HEADING = re.compile(r"^[A-Z0-9\u201c\"'(][^.!?;:,\t]*[^\s.!?;:,\"\u201d]$")
_NOTE = re.compile(r"^[\u00b9\u00b2\u00b3\u2070-\u2079\d]")


def human_date(date: str) -> str:
    """'2022-03' -> 'March 2022'; '2018-12-05' -> '5 December 2018'; '2023' stays."""
    parts = str(date).split("-")
    if len(parts) >= 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        month = f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 3 and parts[2].isdigit():
            return f"{int(parts[2])} {month}"
        return month
    return str(date)


def heading_text(line: str) -> str | None:
    """The section heading a source line is, as a reader sees it, or None."""
    text = line.strip()
    m = _MD_HEADING.match(text)
    if m:
        return m.group(1).replace("*", "").strip()
    if not text or len(text.split()) > 14 or _NOTE.match(text) or not _PLAIN_HEADING.match(text):
        return None
    text = text.replace("*", "")
    return text.title() if text.isupper() and len(text) > 3 else text


@dataclass(frozen=True)
class Place:
    """A paragraph of a chapter: its source line, number and the section it is in."""

    line: int  # the source file's line (the book's anchor; never shown to students)
    paragraph: int  # ¶, counted through the chapter; 0 for a heading
    section: str | None  # the nearest heading above it in the chapter, if any


def paragraphs(chapter) -> dict[int, Place]:
    """Every non-empty line of `chapter` (a quiz.course.corpus.Chapter) by source line."""
    names = tuple(chapter.authors or chapter.source.authors)
    return dict(_paragraphs(chapter.start, tuple(chapter.lines), names))


@lru_cache(maxsize=64)
def _paragraphs(start: int, lines: tuple[str, ...], names: tuple[str, ...] = ()) -> tuple[tuple[int, Place], ...]:
    out: list[tuple[int, Place]] = []
    section, n = None, 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        number = start + i
        heading = heading_text(line)
        if heading is not None and line.strip() in names:  # a byline: a title line, not a section
            out.append((number, Place(number, 0, section)))
            continue
        if heading is not None:
            if n:  # headings before the first paragraph are the chapter's own title lines
                section = heading
            out.append((number, Place(number, 0, section if n else None)))
            continue
        n += 1
        out.append((number, Place(number, n, section)))
    return tuple(out)


def place_of(chapter, line: int) -> Place | None:
    """The paragraph at a source line of `chapter` (the next paragraph for a heading)."""
    places = paragraphs(chapter)
    for number in sorted(places):
        if number >= line and places[number].paragraph:
            return places[number]
    return None


def where(chapter, line: int) -> str:
    """'Chapter 2, “Convergence”, ¶ 41' for the paragraph at a source line."""
    at = place_of(chapter, line)
    if at is None:
        return chapter.label
    section = f", \u201c{at.section}\u201d" if at.section else ""
    return f"{chapter.label}{section}, \u00b6\u00a0{at.paragraph}"


def passage_citation(chapter, quote: str) -> str:
    """The chapter's reference and the quote's chapter, section and paragraph; the bare
    reference when the quote is not in the chapter."""
    span = chapter.find(quote)
    if span is None:
        return chapter.citation
    return f"{chapter.citation} \u2014 {where(chapter, chapter.line_of(span[0]))}"
