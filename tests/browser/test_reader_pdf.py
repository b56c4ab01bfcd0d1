"""The printable course reader (`quiz book pdf`): its text, read back with pypdf.

The student edition has a title page, the contents, every lesson in syllabus order with its
excerpts and exercises, no solutions and no self-check; the instructor edition adds the
solutions. Fonts are embedded, and the Chinese terms of the lessons are in the text.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from quiz.book.build import load_course
from quiz.book.pdf import course_reader
from quiz.course.corpus import load_corpus
from quiz.course.lesson import resolve_excerpt
from quiz.textnorm import fold

CJK = re.compile(r"[\u4e00-\u9fff]")


def pdf_text(path) -> tuple[list[str], object]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return [page.extract_text() or "" for page in reader.pages], reader


def squash(text: str) -> str:
    """Text compared across line breaks and ligatures (pypdf gives 'ﬁ' for 'fi')."""
    return re.sub(r"\s+", "", fold(text.replace("\ufb01", "fi").replace("\ufb02", "fl").replace("\ufb00", "ff")))


@pytest.fixture(scope="module")
def student(site, tmp_path_factory):
    """The student edition, printed by the command (`quiz book pdf`) in its own process."""
    out = tmp_path_factory.mktemp("reader") / "reader.pdf"
    quiz = str(Path(sys.executable).with_name("quiz"))
    result = subprocess.run([quiz, "book", "pdf", "--no-build", "-o", str(out)], capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == str(out)
    return pdf_text(out)


def test_the_student_reader_has_title_contents_and_every_lesson(site, student):
    pages, reader = student
    corpus = load_corpus()
    course = load_course(corpus)
    assert "Course reader" in pages[0] and "Student edition" in pages[0]
    assert "Contents" in pages[1]
    text = squash("\n".join(pages))
    contents = squash("\n".join(pages[1:4]))
    at = -1
    for lesson, _ in course:
        assert squash(lesson.title) in contents, lesson.id
        # each lesson in syllabus order, with the opening words of every excerpt
        found = text.find(squash("Learning objectives"), text.find(squash(lesson.title), at + 1))
        assert found > at, lesson.id
        at = found
        for ref in lesson.excerpts:
            ex = resolve_excerpt(ref, corpus)
            assert squash(ex.text.split("\n")[0][:80]) in text, (lesson.id, ref.id)
    assert "Exercise" in text and "SolutiontoExercise" not in text
    assert "Self-check" not in text  # the interactive quiz is the book's, not the reader's
    assert len(pages) > 2 * len(course)


def test_the_reader_embeds_its_fonts_and_shows_chinese_terms(site, student):
    pages, reader = student
    corpus = load_corpus()
    shown = "".join(les.body + " ".join(t + d for t, d in les.key_terms)
                    + "".join(resolve_excerpt(r, corpus).text for r in les.excerpts)
                    for les, _ in load_course(corpus))
    assert CJK.search(shown), "no lesson shows a Chinese character"
    text = "\n".join(pages)
    assert set(CJK.findall(shown)) <= set(CJK.findall(text)), "Chinese characters missing from the PDF"
    fonts = {}
    for page in reader.pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor") or \
                font.get("/DescendantFonts", [{}])[0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            fonts[font["/BaseFont"]] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    assert any("WenQuanYi" in name or "Zen" in name or "CJK" in name for name in fonts), fonts


def test_the_instructor_reader_adds_the_solutions(site, browser, tmp_path):
    result = course_reader(tmp_path / "instructor.pdf", instructor=True, rebuild=False, browser=browser)
    pages, _ = pdf_text(result.path)
    assert "Instructor edition" in pages[0]
    text = squash("\n".join(pages))
    course = load_course(load_corpus())
    assert text.count("SolutiontoExercise") >= len(course)
    first = course[0][0].body.split("{solution}", 1)[1].split("\n\n", 1)[1].split("\n", 1)[0]
    assert squash(first[:60]) in text
