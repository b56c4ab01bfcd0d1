"""Citations a student can follow, and source Markdown read as the page prints it.

Citations name the report, chapter, section heading and paragraph (¶), with dates in
words, in the book and in `take`/`review` alike (quiz.course.cite); quotes match a source
whatever its emphasis markers and escapes; excerpts render them as emphasis and text.
"""
from __future__ import annotations

import re

import pytest

from quiz.book.pages import Notes, footnotes, md_escape, source_markdown
from quiz.course.cite import heading_text, human_date, paragraphs, passage_citation, where
from quiz.course.corpus import load_corpus
from quiz.textnorm import fold


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_dates_are_written_in_words():
    assert human_date("2022-03") == "March 2022"
    assert human_date("2018-12-05") == "5 December 2018"
    assert human_date("2023") == "2023"


def test_headings_are_told_from_paragraphs():
    assert heading_text("EXECUTIVE SUMMARY") == "Executive Summary"
    assert heading_text("China's Platform Objectives") == "China's Platform Objectives"
    assert heading_text("### V. Internet of Things") == "V. Internet of Things"
    assert heading_text("This chapter examines how the Chinese government is seeking to create an order.") is None
    assert heading_text("\u00b9 Joshua Meltzer, Brookings") is None


def test_every_chapter_numbers_its_paragraphs_in_order(corpus):
    for chapter in corpus.chapters.values():
        numbers = [p.paragraph for p in paragraphs(chapter).values() if p.paragraph]
        assert numbers == list(range(1, len(numbers) + 1)), chapter.id
        assert numbers, chapter.id


def test_a_citation_names_chapter_section_and_paragraph_never_a_file_or_line(corpus):
    ch = corpus.chapters["nbr-02"]
    text = passage_citation(ch, "Digital platforms are the likely place where the full range")
    assert "March 2022" in text and "2022-03" not in text
    assert re.search(r"Chapter 2, \u201c[^\u201d]+\u201d, \u00b6\u00a0\d+$", text), text
    assert ".txt" not in text and "line" not in text
    # the ¶ is the paragraph's: the one that holds the quote
    line = next(n for n, p in paragraphs(ch).items()
                if "Digital platforms are the likely place" in ch.lines[n - ch.start])
    assert where(ch, line) == text.rsplit(" \u2014 ", 1)[1]


def test_every_question_of_the_course_cites_without_file_or_line(corpus):
    from quiz import paths
    from quiz.course.bank import load_bank

    for path in sorted(paths.quizzes_dir().glob("*.yaml")):
        for q in load_bank(path, corpus).questions:
            for p in q.passages:
                ch = corpus.chapters.get(p.chapter)
                if ch is None:
                    continue
                cite = passage_citation(ch, p.quote)
                assert "\u00b6" in cite and ".txt" not in cite, (q.id, cite)


def test_quotes_match_whatever_the_sources_emphasis_and_escapes(corpus):
    chapter = next(c for c in corpus.chapters.values() if "**national security system**" in c.text)
    assert chapter.contains("A fourth key player is the national security system, which is")
    assert chapter.contains("A fourth key player is the **national security system**, which is")
    dollars = next(c for c in corpus.chapters.values() if "US\\$" in c.text)
    line = next(x for x in dollars.lines if "US\\$" in x)
    words = line[line.index("US\\$") - 30: line.index("US\\$") + 12]
    assert dollars.contains(words.replace("\\$", "$"))
    assert fold("the *Physics Today* and US\\$46") == "the Physics Today and US$46"


def test_source_markdown_keeps_emphasis_shows_escapes_and_links_notes():
    notes = Notes("x", {"3": [9, 40]})
    md = source_markdown("the **national security system** costs US\\$46 in *Physics (Today)*.\u00b3", notes, 5)
    assert md.startswith("the **national security system** costs US\\$46 in *Physics \\(Today\\)*\\.")
    assert md.endswith("{ref}`\u00b3 <x-l0009>`")
    # numbers restart: a marker links to the next note so numbered; [3] shows as a superscript
    assert source_markdown("as reported.[3]", notes, 20) == "as reported\\.{ref}`\u00b3 <x-l0040>`"
    assert source_markdown("as reported.[3]", notes, 50).endswith("<x-l0040>`")
    assert source_markdown("\u00b3 A note", notes, 9) == "\u00b3 A note"  # the note itself
    assert source_markdown("see [3](http://x)", notes, 1) == md_escape("see [3](http://x)")
    assert source_markdown("as reported.[7]", notes, 1) == md_escape("as reported.[7]")  # no such note


def test_footnote_markers_of_a_chapter_point_at_its_notes(corpus):
    for cid, first in (("nbr-02", "\u00b9 "), ("carter-01", "[1] ")):
        ch = corpus.chapters[cid]
        notes = footnotes(ch)
        assert "1" in notes.lines, cid
        label = notes.target("1", ch.start)
        line = int(label.rsplit("-l", 1)[1])
        assert ch.lines[line - ch.start].startswith(first), cid


def test_every_excerpt_of_every_lesson_is_cited_by_section_and_paragraph(corpus):
    from quiz.book.build import lesson_paths
    from quiz.book.notebooks import excerpt_markdown
    from quiz.course.lesson import load_lesson, resolve_excerpt

    count = 0
    for path in lesson_paths():
        lesson, _ = load_lesson(path)
        for ref in lesson.excerpts:
            ex = resolve_excerpt(ref, corpus)
            md = excerpt_markdown(ex)
            cite = md.split("```{container} excerpt-source\n", 1)[1]
            assert "\u00b6" in cite and "line" not in cite and ".txt" not in cite, (lesson.id, cite)
            assert re.search(r"\{ref\}`Read in context \u2192 <[\w-]+-l\d{4}>`", cite), cite
            count += 1
    assert count > 50
