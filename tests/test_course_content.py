"""The course as shipped meets the syllabus and content standards of its own formats."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from quiz.course.bank import load_bank
from quiz.course.corpus import load_corpus
from quiz.course.lesson import load_lesson
from quiz.model import TYPES

SYLLABUS = [c for c in load_corpus().chapters] + ["synthesis"]
MINIMUM = {cid: 25 for cid in SYLLABUS if cid.startswith("nbr-")}
MINIMUM.update({cid: 20 for cid in ("carter-01", "carter-02", "carter-03", "carter-04", "cpc-01", "lawfare-01", "synthesis")})


@pytest.fixture(scope="module")
def banks(root=None):
    from quiz import paths

    return {cid: load_bank(paths.quizzes_dir() / f"{cid}.yaml") for cid in SYLLABUS}


def test_the_whole_course_validates(quiz):
    result = quiz("validate", "--json")
    report = json.loads(result.stdout)
    assert report["errors"] == [] and result.exit_code == 0
    assert report["banks"] == len(SYLLABUS) and report["lessons"] == len(SYLLABUS)


def test_no_blind_strategy_beats_chance_and_no_cue_is_left(quiz):
    """`quiz lint --strict` over the course: every bank at its thresholds, no unsilenced cue."""
    result = quiz("lint", "--strict", "--json")
    report = json.loads(result.stdout)
    assert result.exit_code == 0, result.stdout[-3000:]
    assert len(report["banks"]) == len(SYLLABUS)


def test_every_bank_asks_for_reasoning(banks):
    """At least a quarter of every bank is difficulty 3 (COURSE.md)."""
    for cid, bank in banks.items():
        share = sum(q.difficulty == 3 for q in bank.questions) / len(bank.questions)
        assert share >= 0.25, (cid, share)


def test_every_synthesis_question_needs_more_than_one_report(banks):
    from quiz.course.corpus import load_corpus

    chapters = load_corpus().chapters
    for q in banks["synthesis"].questions:
        reports = {chapters[p.chapter].source.id for p in q.passages}
        assert len(reports) >= 2, q.id


@pytest.mark.parametrize("cid", SYLLABUS)
def test_every_chapter_has_a_lesson_and_a_bank_at_its_minimum(cid, banks):
    from quiz import paths

    lesson, problems = load_lesson(paths.lessons_dir() / f"{cid}.md")
    assert lesson is not None and not problems
    bank = banks[cid]
    assert len(bank.questions) >= MINIMUM.get(cid, 15)
    assert len(bank.counts_by_type()) >= 4
    assert {q.objective for q in bank.questions} <= set(lesson.objectives)
    assert len({q.objective for q in bank.questions}) == len(lesson.objectives), "every objective is tested"
    assert {q.difficulty for q in bank.questions} >= {1, 2}


def test_course_totals_and_types(banks):
    counts = Counter(q.type for b in banks.values() for q in b.questions)
    assert sum(counts.values()) >= 400
    assert set(counts) == set(TYPES)


def test_wrong_choices_carry_feedback(banks):
    for bank in banks.values():
        for q in bank.questions:
            for c in getattr(q, "choices", ()):
                assert c.correct or c.feedback.strip(), q.id


def test_synthesis_quotes_at_least_four_texts(banks):
    from quiz import paths

    corpus = load_corpus()
    sources = {corpus.chapters[q.passage.chapter].source.id for q in banks["synthesis"].questions}
    assert len(sources) >= 4
    lesson, _ = load_lesson(paths.lessons_dir() / "synthesis.md")
    assert len({corpus.chapters[e.chapter].source.id for e in lesson.excerpts}) >= 4
