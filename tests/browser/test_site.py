"""The built course book in a real browser (see conftest.py for the set-up)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from quiz import paths
from quiz.course.bank import load_bank
from quiz.book.build import lesson_paths
from quiz.course.corpus import load_corpus
from quiz.course.lesson import load_lesson, resolve_excerpt
from quiz.model import Short, Single
from quiz.textnorm import fold

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"  # gitignored


def lessons_with_banks():
    """(lesson, bank) for every lesson of the course that has a bank, in file order."""
    out = []
    for path in lesson_paths():
        lesson, _ = load_lesson(path)
        bank_path = paths.quizzes_dir() / f"{lesson.id}.yaml"
        if lesson is not None and bank_path.is_file():
            out.append((lesson, load_bank(bank_path)))
    return out


def pick(kind):
    """The first lesson whose bank has a question of model class `kind`, with that question."""
    for lesson, bank in lessons_with_banks():
        for q in bank.questions:
            if isinstance(q, kind):
                return lesson, q
    pytest.fail(f"no lesson of the course has a {kind.__name__} question in its bank")


def quiz_item(page, prompt: str):
    """The self-check question (opened) whose text shows `prompt`."""
    summary = page.locator("section.self-check summary")
    if page.locator("section.self-check details[open]").count() == 0:
        summary.click()
    items = page.locator("section.self-check li.sc-question")
    items.first.wait_for()
    for i in range(items.count()):
        item = items.nth(i)
        if fold(prompt) in fold(item.locator(".sc-text").first.inner_text()):
            return item
    raise AssertionError(f"no quiz question shows {prompt!r}")


def test_every_page_loads_without_errors_or_outside_requests(site, tab):
    pages = site.pages()
    assert len(pages) >= len(site.build.assembly.docs) and "index.html" in pages
    assert len([p for p in pages if p.startswith("lessons/")]) == len(lesson_paths())
    for path in pages:
        response = tab.page.goto(site.url(path), wait_until="load")
        assert response is not None and response.status == 200, path
        if path.startswith("lessons/") and tab.page.locator(".self-check").count():
            tab.page.locator(".self-check li.sc-question").first.wait_for(state="attached")  # the quiz script ran
        tab.page.wait_for_timeout(50)
    assert tab.errors == []
    assert tab.outside == []


def test_home_page_links_every_lesson(site, tab):
    tab.page.goto(site.url("index.html"))
    hrefs = set(tab.page.locator("article table a").evaluate_all("els => els.map(e => e.getAttribute('href'))"))
    for path in lesson_paths():
        lesson, _ = load_lesson(path)
        assert f"lessons/{lesson.id}.html" in hrefs


def test_choosing_a_wrong_then_the_right_answer_shows_the_right_feedback(site, tab):
    lesson, q = pick(Single)
    page = tab.page
    page.goto(site.url(f"lessons/{lesson.id}.html"))
    item = quiz_item(page, q.prompt)
    labels = item.locator("label.sc-choice")
    texts = [fold(t) for t in labels.all_inner_texts()]
    assert sorted(texts) == sorted(fold(c.text) for c in q.choices)
    feedback = item.locator(".sc-feedback")
    check = item.locator("button.sc-check")
    wrong = next(c for c in q.choices if not c.correct)
    labels.nth(texts.index(fold(wrong.text))).click()
    assert feedback.inner_text() == ""  # choosing is not answering
    check.click()
    assert fold(feedback.inner_text()) == fold(f"Not right. {wrong.feedback}")
    assert "incorrect" in feedback.get_attribute("class")
    right = next(c for c in q.choices if c.correct)
    labels.nth(texts.index(fold(right.text))).click()
    check.click()
    assert fold(feedback.inner_text()) == fold(f"Correct. {q.explanation}")
    assert re.search(r"\bcorrect\b", feedback.get_attribute("class"))
    item.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "quiz-feedback.png"))
    assert tab.errors == [] and tab.outside == []


def test_a_typed_answer_is_marked_like_the_grader_marks_it(site, tab):
    lesson, q = pick(Short)
    page = tab.page
    page.goto(site.url(f"lessons/{lesson.id}.html"))
    item = quiz_item(page, q.prompt)
    box = item.get_by_label("Your answer")
    feedback = item.locator(".sc-feedback")
    box.fill("certainly not this")
    box.press("Enter")
    assert "incorrect" in feedback.get_attribute("class")
    assert not q.grade("certainly not this").correct
    answer = q.answers[0]
    box.fill(answer.upper())
    box.press("Enter")
    assert re.search(r"\bcorrect\b", feedback.get_attribute("class"))
    assert fold(feedback.inner_text()) == fold(f"Correct. {q.explanation}")


def test_a_solution_is_hidden_until_opened(site, tab):
    lesson, _ = lessons_with_banks()[0]
    page = tab.page
    page.goto(site.url(f"lessons/{lesson.id}.html"))
    solution = page.locator("div.solution").first
    content = solution.locator("section")
    solution.wait_for()
    assert "toggle-hidden" in solution.get_attribute("class")
    assert not content.is_visible()
    solution.locator("button.toggle-button").click()
    content.wait_for(state="visible")
    assert content.inner_text().strip()
    body = lesson.body
    first_solution = body.split("{solution}", 1)[1].split("\n\n", 1)[1].split("\n````", 1)[0]
    assert fold(first_solution.split("\n")[0])[:40] in fold(content.inner_text())


def unique_term():
    """A key-term word that only one lesson's page uses (no other lesson has its stem)."""
    texts = {}
    for path in lesson_paths():
        lesson, _ = load_lesson(path)
        texts[lesson.id] = (lesson, (lesson.body + " " + " ".join(t + " " + d for t, d in lesson.key_terms)).casefold())
    for lesson_id, (lesson, _) in texts.items():
        for term, _ in lesson.key_terms:
            for word in re.findall(r"[A-Za-z]{8,}", term):
                stem = word.casefold()[: max(6, len(word) - 3)]
                if [i for i, (_, t) in texts.items() if stem in t] == [lesson_id]:
                    return word, lesson_id
    pytest.fail("no key-term word is used by exactly one lesson")


def test_search_finds_a_term_used_by_one_lesson(site, tab):
    word, lesson_id = unique_term()
    page = tab.page
    page.goto(site.url(f"search.html?q={word}"))
    page.locator("#search-results .search-summary").wait_for()
    page.wait_for_function("() => document.querySelector('#search-results .search-summary')"
                           ".textContent.includes('finished')")
    hrefs = page.locator("#search-results ul.search li a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    lessons = [h.split("?")[0].split("#")[0] for h in hrefs if h.startswith("lessons/")]
    assert lessons == [f"lessons/{lesson_id}.html"], (word, hrefs)
    assert tab.errors == []


def test_read_in_context_lands_on_the_excerpt_in_the_source_text(site, tab):
    lesson, _ = lessons_with_banks()[0]
    corpus = load_corpus()
    ref = lesson.excerpts[0]
    excerpt = resolve_excerpt(ref, corpus)
    page = tab.page
    page.goto(site.url(f"lessons/{lesson.id}.html"))
    block = page.locator(f"div.excerpt[id='{ref.id}']")
    # the quotation is the source's own words
    assert fold(block.locator("blockquote").inner_text()) == fold(excerpt.text)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"lesson-{lesson.id}.png"), full_page=True)
    block.get_by_role("link", name=re.compile("Read in context")).click()
    anchor = f"{excerpt.chapter.id}-l{excerpt.first_line:04d}"
    page.wait_for_url(re.compile(rf"/sources/{re.escape(excerpt.chapter.id)}\.html#{anchor}$"))
    target = page.locator(f"[id='{anchor}']")
    assert page.evaluate("() => document.querySelector(':target') && document.querySelector(':target').id") == anchor
    first_words = fold(excerpt.text.split("\n")[0])[:60]
    assert first_words in fold(target.inner_text())
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < 900, box  # scrolled into view
    page.screenshot(path=str(ARTIFACTS / "read-in-context.png"))
    assert tab.errors == [] and tab.outside == []
