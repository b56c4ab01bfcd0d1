"""The grading rule of every type, including partial credit, tolerance and typo matching."""
from __future__ import annotations

import pytest

from quiz.course.bank import load_bank

EXAMPLE = "quizzes/examples/example-lawfare.yaml"


@pytest.fixture(scope="module")
def q(root=None):
    from pathlib import Path

    bank = load_bank(Path(__file__).resolve().parents[1] / EXAMPLE)
    return {question.type: question for question in bank.questions}


def score(question, response):
    return question.grade(response).score


def test_every_type_gives_full_credit_for_its_correct_response(q):
    assert set(q) == {"single", "multiple", "true_false", "short", "numeric", "cloze", "matching", "ordering"}
    for question in q.values():
        assert question.grade(question.correct_response()).correct, question.type


def test_single(q):
    s = q["single"]
    assert score(s, "A") == 1 and score(s, "a") == 1 and score(s, 1) == 1 and score(s, "Transacting") == 1
    wrong = s.grade("B")
    assert wrong.score == 0 and "Made in China 2025" in wrong.feedback
    assert s.grade("Z").malformed and s.grade(["A", "B"]).malformed


def test_multiple_partial_credit(q):
    m = q["multiple"]  # A and B correct of four
    assert score(m, ["A", "B"]) == 1
    assert score(m, ["A"]) == 0.5
    assert score(m, "A, C") == 0  # one right, one wrong: (1 - 1) / 2
    assert score(m, ["A", "B", "C"]) == 0.5
    assert score(m, ["A", "B", "C", "D"]) == 0
    assert score(m, ["C"]) == 0  # floored at zero
    assert "defensive" in m.grade(["A", "C"]).feedback


def test_true_false(q):
    t = q["true_false"]  # answer: false
    assert score(t, False) == 1 and score(t, "false") == 1 and score(t, "F") == 1 and score(t, "no") == 1
    assert score(t, True) == 0 and "defensive rationale" in t.grade(True).feedback
    assert t.grade("maybe").malformed


def test_short_folds_case_punctuation_space_and_small_typos(q):
    s = q["short"]  # splinternet
    for ok in ["splinternet", "  SPLINTERNET. ", "Splinter-net", "splintrnet", "a splinternet", "the global splinternet"[4:]]:
        assert score(s, ok) == 1, ok
    for bad in ["internet", "splinter", "spltrnt", ""]:
        assert score(s, bad) == 0, bad


def test_short_typo_thresholds():
    from quiz.model import matches_text, typo_allowance

    assert typo_allowance("mlps") == 0 and typo_allowance("beidou") == 1 and typo_allowance("cybersecurity law") == 2
    assert not matches_text("mlpz", ["MLPS"])
    assert matches_text("beidoo", ["BeiDou"]) and not matches_text("bedoo", ["BeiDou"])
    assert matches_text("cybersecurty lw", ["Cybersecurity Law"])
    assert not matches_text("2016", ["2017"])  # digits must match exactly


def test_numeric_tolerance_and_formats(q):
    n = q["numeric"]  # 802, tolerance 0, unit million
    assert score(n, 802) == 1 and score(n, "802") == 1 and score(n, "802 million") == 1 and score(n, 802.0) == 1
    assert score(n, 801) == 0
    assert n.grade("eight hundred").malformed and n.grade("nan").malformed
    from dataclasses import replace

    loose = replace(n, tolerance=5)
    assert score(loose, 797) == 1 and score(loose, 807) == 1 and score(loose, 808) == 0
    assert score(replace(n, answer=1000000.0), "1,000,000") == 1


def test_cloze_partial_credit(q):
    c = q["cloze"]  # discovery, implementation
    assert score(c, ["discovery", "implementation"]) == 1
    assert score(c, ["Discovery", "deployment"]) == 0.5
    assert score(c, ["implementation", "discovery"]) == 0
    assert score(c, "discovery; implementation") == 1 and score(c, "discovery, implementation") == 1
    assert score(c, "discovery;") == 0.5  # blank 2 left empty
    assert c.grade("discovery").malformed  # one answer for two blanks: reported, not read as blank 1
    assert score(c, ["discovery"]) == 0.5  # a blank left empty scores zero
    assert c.grade(["a", "b", "c"]).malformed


def test_matching_partial_credit(q):
    m = q["matching"]
    assert score(m, {"Making": m.rights[0], "Transacting": m.rights[1], "Taking": m.rights[2]}) == 1
    assert score(m, ["A", "C", "B"]) == pytest.approx(1 / 3)
    assert score(m, ["B", "A", "C"]) == pytest.approx(1 / 3)
    assert score(m, ["C", "A", "B"]) == 0
    shown = [m.rights[2], m.rights[0], m.rights[1]]  # the order a student saw
    assert m.score(m.parse(["B", "C", "A"], shown)) == 1


def test_ordering_relative_to_next_item():
    from quiz.model import Ordering, Passage

    o = Ordering(id="o", prompt="p", explanation="e", passage=Passage("q", "c"), objective="o", difficulty=1,
                 items=("a", "b", "c", "d", "e"))
    assert o.grade(["a", "b", "c", "d", "e"]).score == 1
    assert o.grade(["e", "d", "c", "b", "a"]).score == 0
    assert o.grade(["b", "c", "d", "e", "a"]).score == pytest.approx(3 / 4)  # three correct successions
    assert o.grade(["a", "b", "d", "c", "e"]).score == pytest.approx(1 / 4)
    assert o.grade("A, B, C, D, E").score == 1
    assert o.grade(["a", "a", "b"]).malformed


def test_missing_answers_score_zero_everywhere(q):
    for question in q.values():
        for empty in (None, "", []):
            g = question.grade(empty)
            assert g.score == 0 and not g.malformed, question.type


def test_answer_text_names_the_right_answer(q):
    assert q["single"].answer_text() == "Transacting"
    assert q["numeric"].answer_text() == "802 million"
    assert "discovery" in q["cloze"].answer_text()
    assert q["ordering"].answer_text().startswith("70 percent")
