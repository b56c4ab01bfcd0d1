"""The self-check, by keyboard alone, and the progress the browser keeps.

For each of the eight question types, a question of the course is answered with the
keyboard only (the test's one pointer-free shortcut is putting the focus on the
self-check's summary, where a student arrives by Tab): Enter opens the self-check, Tab
reaches the question, the arrow keys move through a radio group without answering it,
Space ticks a checkbox, Enter (or the Check button) answers. Feedback appears in a
live region (role="status"), and the focused control shows a visible outline.
"""
from __future__ import annotations

import json
import re

import pytest

from quiz.book.selfcheck import bank_questions, part_keys
from quiz.model import Cloze, Matching, Multiple, Numeric, Ordering, Short, Single, TrueFalse
from test_site import lessons_with_banks

TYPES = {"single": Single, "multiple": Multiple, "true_false": TrueFalse, "short": Short, "numeric": Numeric,
         "cloze": Cloze, "matching": Matching, "ordering": Ordering}


def find_question(kind):
    """(lesson, bank, question, its first jupyterquiz part, the part's form index on the page)."""
    for lesson, bank in lessons_with_banks():
        questions = bank_questions(bank)
        for q in bank.questions:
            if not isinstance(q, kind) or (kind is Multiple and len(q.correct_indices) < 2):
                continue
            if kind is Single and isinstance(q, (Multiple, TrueFalse)):
                continue
            index = next(i for i, part in enumerate(questions) if part["id"] == q.id)
            return lesson, bank, q, questions[index], index
    pytest.fail(f"no bank of the course has a {kind.__name__} question")


def focused(page, form_id: str) -> bool:
    return page.evaluate("id => !!document.activeElement.closest('#' + CSS.escape(id))", form_id)


def tab_into(page, form_id: str, limit: int = 600) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page, form_id):
            return
    raise AssertionError(f"Tab never reached {form_id}")


def assert_focus_visible(page) -> None:
    style = page.evaluate("() => { const e = document.activeElement, s = getComputedStyle(e);"
                          " return [e.matches(':focus-visible'), s.outlineStyle, s.outlineWidth]; }")
    assert style[0] and style[1] != "none" and style[2] != "0px", style


def active_index(page) -> int:
    return int(page.evaluate("document.activeElement.value"))


def saved(page, bank_id: str) -> dict:
    return json.loads(page.evaluate("id => localStorage.getItem('selfcheck:' + id) || '{\"parts\": {}}'", bank_id))


@pytest.mark.parametrize("type_name", list(TYPES))
def test_a_question_of_every_type_is_answered_by_keyboard_alone(site, tab, type_name):
    lesson, bank, q, part, index = find_question(TYPES[type_name])
    page = tab.page
    page.goto(site.url(f"lessons/{lesson.id}.html"))
    page.locator("section.self-check summary").focus()
    page.keyboard.press("Enter")
    form_id = f"sc-{bank.id}-{index}"
    form = page.locator(f"[id='{form_id}']")
    form.wait_for()
    feedback = form.locator(".sc-feedback")
    assert feedback.get_attribute("role") == "status" and feedback.get_attribute("aria-live") == "polite"
    tab_into(page, form_id)
    assert_focus_visible(page)
    key = part_keys([part])[0]

    if part["type"] == "multiple_choice":
        assert form.get_by_role("group").count() == 1  # the fieldset, named by its legend
        n = len(part["answers"])
        right = next(i for i, a in enumerate(part["answers"]) if a["correct"])
        wrong = next(i for i, a in enumerate(part["answers"]) if not a["correct"])
        assert active_index(page) == 0
        page.keyboard.press("ArrowDown")  # moving through the group answers nothing
        assert active_index(page) == 1 % n
        assert feedback.inner_text() == "" and key not in saved(page, bank.id)["parts"]

        def move_to(target):
            for _ in range((target - active_index(page)) % n):
                page.keyboard.press("ArrowDown")
            assert active_index(page) == target

        move_to(wrong)
        page.keyboard.press("Enter")
        assert "incorrect" in feedback.get_attribute("class")
        assert feedback.inner_text().startswith("Not right.")
        move_to(right)
        page.keyboard.press("Enter")
    elif part["type"] == "many_choice":
        boxes = form.locator("input[type=checkbox]")
        for i, answer in enumerate(part["answers"]):
            assert active_index(page) == i
            if answer["correct"]:
                page.keyboard.press("Space")
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Check"
        assert_focus_visible(page)
        assert [boxes.nth(i).is_checked() for i in range(boxes.count())] == [a["correct"] for a in part["answers"]]
        page.keyboard.press("Enter")
    else:
        assert page.evaluate("document.activeElement.labels[0].textContent").startswith("Your answer")
        page.keyboard.type("zzz 0.000001")
        page.keyboard.press("Enter")
        assert "incorrect" in feedback.get_attribute("class") or "number" in feedback.inner_text()
        if isinstance(q, Numeric):
            right = f"{q.answer:g}"
        else:
            right = next(a["answer"] for a in part["answers"] if a.get("correct"))
        page.keyboard.press("Control+A")
        page.keyboard.type(right)
        page.keyboard.press("Enter")
    assert re.search(r"\bcorrect\b", feedback.get_attribute("class")), feedback.inner_text()
    assert feedback.inner_text().startswith("Correct.")
    assert saved(page, bank.id)["parts"][key]["correct"] is True
    assert tab.errors == [] and tab.outside == []


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_answers_survive_a_reload_and_show_on_the_progress_page(site, tab, scheme):
    lesson, bank, q, part, index = find_question(Single)
    page = tab.page
    base = site.url("") if scheme == "http" else site.root.as_uri() + "/"
    page.goto(base + f"lessons/{lesson.id}.html")
    page.locator("section.self-check summary").click()
    form = page.locator(f"[id='sc-{bank.id}-{index}']")
    right = next(i for i, a in enumerate(part["answers"]) if a["correct"])
    form.locator(f"input[value='{right}']").check()
    form.locator("button.sc-check").click()
    n = len(bank.questions)
    score = page.locator("section.self-check .sc-score")
    assert score.inner_text() == f"1 of {n} right, 1 answered"

    page.reload()
    assert score.inner_text() == f"1 of {n} right, 1 answered"
    page.locator("section.self-check summary").click()
    assert form.locator(f"input[value='{right}']").is_checked()
    assert form.locator(".sc-feedback").inner_text().startswith("Correct.")

    page.goto(base + "progress.html")
    cell = page.locator(f".progress-score[data-bank='{bank.id}']")
    assert cell.inner_text() == f"1 of {n} right (1 answered)"
    others = page.locator(".progress-score").all_inner_texts()
    assert others.count("not started") == len(others) - 1
    assert page.locator(f"article a[href='lessons/{lesson.id}.html']").count() == 1
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Reset my progress").click()
    assert cell.inner_text() == "not started"
    assert page.locator(".progress-status").inner_text() == "Your progress is cleared."
    page.goto(base + f"lessons/{lesson.id}.html")
    assert score.inner_text() == "not started"
    assert tab.errors == [] and tab.outside == []


def test_saved_answers_to_an_older_bank_version_are_not_shown(site, tab):
    lesson, bank, q, part, index = find_question(Single)
    page = tab.page
    page.goto(site.url(f"lessons/{lesson.id}.html"))
    page.evaluate("([id, key]) => localStorage.setItem('selfcheck:' + id, JSON.stringify("
                  "{version: 'older', parts: {[key]: {response: [0], correct: true}}}))", [bank.id, q.id])
    page.reload()
    assert page.locator("section.self-check .sc-score").inner_text() == "not started"
