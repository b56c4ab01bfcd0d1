"""The jupyterquiz exporter: each of the eight types, checked against the model's grading.

`js_*` below re-implement, line for line, how jupyterquiz 2.9's JavaScript decides that
an answer is right (js/multiple_choice.js, js/string.js, js/numeric.js), so the tests
show that the browser accepts what the grader accepts.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein

from quiz.course.bank import load_bank
from quiz.exporters.jupyterquiz import LAST, convert, esc, to_jupyterquiz
from quiz.model import (Choice, Cloze, Matching, Multiple, Numeric, Ordering, Passage, Short, Single,
                        TrueFalse, cloze_blanks)

FIXTURE_BANK = Path(__file__).parent / "fixtures" / "book" / "quizzes" / "lawfare-01.yaml"
COMMON = dict(explanation="Because the chapter says so.", passage=Passage("q", "lawfare-01"),
              objective="lo1", difficulty=1)


def js_string_correct(jq: dict, submission: str) -> bool:
    submission = submission.strip()
    for a in jq["answers"]:
        if a.get("type") == "default":
            continue
        if submission.lower() == a["answer"].lower():
            return a["correct"]
        if a.get("fuzzy_threshold"):
            longer = max(len(submission), len(a["answer"]))
            ratio = 1 - Levenshtein.distance(submission.lower(), a["answer"].lower()) / longer
            if ratio >= a["fuzzy_threshold"]:
                return a["correct"]
    return False


def js_numeric_correct(jq: dict, submission: float) -> bool:
    for a in jq["answers"]:
        if "range" in a and a["range"][0] <= submission < a["range"][1]:
            return a["correct"]
        if "value" in a and submission == a["value"]:
            return a["correct"]
    return False


def right_choices(jq: dict) -> list[str]:
    return [a["answer"] for a in jq["answers"] if a["correct"]]


def test_single_keeps_per_choice_feedback_and_puts_the_explanation_on_the_right_choice():
    q = Single(id="s1", prompt="Which?", choices=(Choice("Right", True), Choice("Wrong", False, "Not this: why.")),
               **COMMON)
    [jq] = convert(q)
    assert jq["type"] == "multiple_choice"
    by_text = {a["answer"]: a for a in jq["answers"]}
    assert by_text["Right"] == {"answer": "Right", "correct": True,
                                "feedback": "Correct. Because the chapter says so."}
    assert by_text["Wrong"]["correct"] is False and by_text["Wrong"]["feedback"] == "Not this: why."


def test_multiple_is_many_choice_with_every_right_answer():
    q = Multiple(id="m1", prompt="Which ones?", choices=(Choice("A", True), Choice("B", True),
                                                       Choice("C", False, "No.")), **COMMON)
    [jq] = convert(q)
    assert jq["type"] == "many_choice"
    assert sorted(right_choices(jq)) == ["A", "B"]
    assert "all that apply" in jq["question"]


def test_true_false_keeps_true_first_and_uses_the_question_feedback():
    q = TrueFalse(id="t1", prompt="Is it?", answer=False, feedback="It is not, see the passage.", **COMMON)
    [jq] = convert(q)
    assert [a["answer"] for a in jq["answers"]] == ["True", "False"]
    assert right_choices(jq) == ["False"]
    assert jq["answers"][0]["feedback"] == "It is not, see the passage."


def test_short_answers_are_accepted_in_the_browser_as_the_grader_accepts_them():
    q = Short(id="sh1", prompt="Term?", answers=("splinternet", "Great Firewall"), **COMMON)
    [jq] = convert(q)
    assert jq["type"] == "string"
    for response in ["splinternet", "Splinternet ", "splintrnet", "SPLINTERNETT", "great firewall",
                     "Great Firewal", "Great-Firewall", "splinter", "firewall", "splxxxrnet", "grate fyrewol"]:
        assert js_string_correct(jq, response) == q.grade(response).correct, response


def test_short_answers_with_digits_need_an_exact_match():
    q = Short(id="sh2", prompt="Which law?", answers=("Article 37",), **COMMON)
    [jq] = convert(q)
    assert js_string_correct(jq, "article 37")
    assert not js_string_correct(jq, "Article 38")
    assert not q.grade("Article 38").correct


@pytest.mark.parametrize("answer,tolerance,unit", [(802, 0, "million"), (58.5, 0.5, ""), (-3, 1, "")])
def test_numeric_range_is_the_answer_plus_or_minus_the_tolerance(answer, tolerance, unit):
    q = Numeric(id="n1", prompt="How many?", answer=answer, tolerance=tolerance, unit=unit, **COMMON)
    [jq] = convert(q)
    assert jq["type"] == "numeric"
    if unit:
        assert f"(in {unit})" in jq["question"]
    for response in (answer, answer - tolerance, answer + tolerance, answer + tolerance + 0.01,
                     answer - tolerance - 0.01, answer + 1.5):
        assert js_numeric_correct(jq, response) == q.grade(response).correct, response


def test_cloze_becomes_one_typed_question_per_blank():
    prompt = "The {{2017}} law names {{critical information infrastructure|CII}} operators."
    q = Cloze(id="c1", prompt=prompt, blanks=tuple(tuple(b) for b in cloze_blanks(prompt)), **COMMON)
    parts = convert(q)
    assert [p["part"] for p in parts] == [[1, 2], [2, 2]]
    assert all("{{" not in p["question"] and "[1] _____" in p["question"] for p in parts)
    assert js_string_correct(parts[0], "2017") and not js_string_correct(parts[0], "2016")
    assert js_string_correct(parts[1], "CII") and js_string_correct(parts[1], "critical information infrastructure")


def test_matching_asks_for_each_left_item_among_all_right_items():
    pairs = (("Making", "Own capacity"), ("Taking", "Without paying"), ("Transacting", "Deals"))
    q = Matching(id="mt1", prompt="Match.", pairs=pairs, **COMMON)
    parts = convert(q)
    assert len(parts) == 3
    for (left, right), part in zip(pairs, parts):
        assert f"\u201c{left}\u201d" in part["question"]
        assert sorted(a["answer"] for a in part["answers"]) == sorted(r for _, r in pairs)
        assert right_choices(part) == [right]


def test_ordering_asks_for_each_items_successor_which_is_the_graders_rule():
    items = ("first", "second", "third", "fourth")
    q = Ordering(id="o1", prompt="Order them.", items=items, **COMMON)
    parts = convert(q)
    assert len(parts) == len(items)
    asked = {}
    for part in parts:
        item = next(i for i in items if f"\u201c{i}\u201d?" in part["question"])
        [successor] = right_choices(part)
        asked[item] = successor
        assert item not in [a["answer"] for a in part["answers"]]
        assert LAST in [a["answer"] for a in part["answers"]]
    assert asked == {"first": "second", "second": "third", "third": "fourth", "fourth": LAST}
    # the parts are not asked in the right order, which would give the answer away
    assert [next(i for i in items if f"\u201c{i}\u201d?" in p["question"]) for p in parts] != list(items)
    # answering every part right is the grader's full-credit order
    chain = ["first"]
    while asked[chain[-1]] != LAST:
        chain.append(asked[chain[-1]])
    assert q.grade(chain).score == 1.0


def test_texts_are_escaped_for_jupyterquiz_html_and_math():
    q = Single(id="e1", prompt="Is $5 < $10 & [x](y)?", choices=(Choice("<b>yes</b>", True), Choice("no", False, "$")),
               **COMMON)
    [jq] = convert(q)
    assert "$" not in json.dumps(jq) and "<b>" not in json.dumps(jq)
    assert esc("$5 < $10 & [x](y)") == "&#36;5 &lt; &#36;10 &amp; [x&#93;(y)"


def test_the_output_is_deterministic_and_shuffles_choices_away_from_the_bank_order():
    bank = load_bank(FIXTURE_BANK)
    first, second = to_jupyterquiz(bank.questions), to_jupyterquiz(bank.questions)
    assert first == second
    assert json.dumps(first)  # plain JSON data
    orders = [[a["answer"] for a in jq["answers"]] for jq in first if jq["type"] in ("multiple_choice", "many_choice")
              and jq["id"] in {"lawfare-01-q01", "lawfare-01-q02"}]
    banked = [[esc(c.text) for c in q.choices] for q in bank.questions[:2]]
    assert orders != banked
    assert [sorted(o) for o in orders] == [sorted(b) for b in banked]
    assert [jq["answers"][0]["answer"] for jq in first if jq["id"] == "lawfare-01-q03"] == ["True"]


def test_every_question_of_the_fixture_bank_converts_and_numbering_is_per_bank_question():
    bank = load_bank(FIXTURE_BANK)
    out = to_jupyterquiz(bank.questions, numbered=True)
    assert {jq["id"] for jq in out} == {q.id for q in bank.questions}
    assert {jq["type"] for jq in out} == {"multiple_choice", "many_choice", "string", "numeric"}
    numbers = [jq["question"].split("</span>")[0].rsplit(">", 1)[1] for jq in out]
    assert numbers[0] == "1." and numbers[-1] == f"{len(bank.questions)}."
    for jq in out:
        if jq["type"] in ("multiple_choice", "many_choice"):
            assert right_choices(jq), jq["id"]
            assert all(a["feedback"] for a in jq["answers"])
