"""Moodle XML export, parsed with lxml: categories per bank, every type mapped, each
question's right answer the bank's, grades from Moodle's list of allowed grades."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import lxml.html
import pytest

import moodle_reader
from lxml import etree

from quiz import model
from quiz.course.bank import load_bank
from quiz.exporters import moodle
from quiz.exporters.common import accepted_forms, from_banks, from_questions, numeric_prompt

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "quizzes" / "examples").glob("*.yaml"))
# Moodle's allowed grades (question/format.php, get_grade_options): a fraction must be one of these
MOODLE_GRADES = [1, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2, 0.1666667,
                 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0]
MOODLE_TYPES = {"single": "multichoice", "multiple": "multichoice", "true_false": "truefalse", "short": "shortanswer",
                "numeric": "numerical", "cloze": "cloze", "matching": "matching", "ordering": "ordering"}


@lru_cache(maxsize=None)
def loadable(path: Path):
    """Every shipped bank must load: a bank that does not is a failure, not a skip."""
    return load_bank(path)


def course_banks() -> list[Path]:
    return [p for p in sorted((ROOT / "quizzes").glob("*.yaml")) + EXAMPLES ]


def xml(source, **options):
    text, warnings = moodle.render(source, **options)
    root = etree.fromstring(text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    assert root.tag == "quiz"
    return root, warnings


def text_of(el) -> str:
    t = el.find("text") if el is not None else None
    return t.text or "" if t is not None else ""


def html_text(el) -> str:
    fragment = text_of(el) if el is not None else ""
    return lxml.html.fragment_fromstring(fragment, create_parent="div").text_content() if fragment else ""


def allowed(percent: float) -> bool:
    return any(abs(abs(percent) / 100 - g) < 5e-8 for g in MOODLE_GRADES)


def check(q: model.Question, el) -> None:
    assert el.get("type") == MOODLE_TYPES[q.type]
    read = moodle_reader.read(el)
    assert read.name == q.id and read.idnumber == (None if isinstance(q, model.Cloze) else q.id)
    general = html_text(el.find("generalfeedback"))
    assert q.explanation in general and q.passage.quote in general
    tags = [text_of(t) for t in el.iterfind("tags/tag")]
    assert tags == [*q.tags, f"objective:{q.objective}", f"difficulty:{q.difficulty}"]
    answers = el.findall("answer")
    if not isinstance(q, model.Ordering):  # an ordering answer's "fraction" is its position, as Moodle writes it
        for a in answers:
            assert allowed(float(a.get("fraction"))), a.get("fraction")
    if isinstance(q, (model.Single, model.Multiple)):
        assert el.findtext("single") == ("true" if isinstance(q, model.Single) else "false")
        got = {html_text(a): (float(a.get("fraction")), html_text(a.find("feedback"))) for a in answers}
        k = len(q.correct_indices)
        if isinstance(q, model.Single):
            assert got == {c.text: (100.0 if c.correct else 0.0, c.feedback) for c in q.choices}
        else:
            assert set(got) == set(q.texts)
            for c in q.choices:
                assert got[c.text][0] == pytest.approx(100 / k if c.correct else -100 / k, abs=1e-4)
                assert got[c.text][1] == c.feedback
            assert sum(f for f, _ in got.values() if f > 0) == pytest.approx(100, abs=1e-4)
        assert html_text(el.find("questiontext")) == q.prompt
    elif isinstance(q, model.TrueFalse):
        got = {text_of(a): (float(a.get("fraction")), html_text(a.find("feedback"))) for a in answers}
        right, wrong = ("true", "false") if q.answer else ("false", "true")
        assert got == {right: (100.0, ""), wrong: (0.0, q.feedback)}
    elif isinstance(q, model.Short):
        right = [text_of(a).replace("\\*", "*") for a in answers if float(a.get("fraction")) == 100]
        assert right == accepted_forms(q.answers)
        assert [a.get("fraction") for a in answers if float(a.get("fraction")) == 100][: len(q.answers)] == \
            ["100"] * len(q.answers)
        other = [a for a in answers if float(a.get("fraction")) != 100]
        assert [(text_of(a), html_text(a.find("feedback"))) for a in other] == ([("*", q.feedback)] if q.feedback else [])
        assert el.findtext("usecase") == "0"
    elif isinstance(q, model.Numeric):
        [right] = [a for a in answers if a.get("fraction") == "100"]
        assert float(text_of(right)) == q.answer and float(right.findtext("tolerance")) == q.tolerance
        assert html_text(el.find("questiontext")) == numeric_prompt(q)
        assert [u.findtext("unit_name") for u in el.iterfind("units/unit")] == ([q.unit] if q.unit else [])
    elif isinstance(q, model.Cloze):
        # as Moodle's embedded-answers reader stores each blank (tests/moodle_reader.py)
        assert len(read.blanks) == len(q.blanks)
        for got, blank in zip(read.blanks, q.blanks):
            right = [a.text.replace("\\*", "*") for a in got if a.fraction == 1]
            assert right == accepted_forms(blank)
            assert [(a.text, lxml.html.fragment_fromstring(a.feedback, create_parent="div").text_content())
                    for a in got if a.fraction == 0] == ([("*", q.feedback)] if q.feedback else [])
        text = lxml.html.fragment_fromstring(text_of(el.find("questiontext")), create_parent="div").text_content()
        assert re.sub(r"\{1:SHORTANSWER:(?:\\.|[^\\}])*\}", "_", text) == model.cloze_display(q.prompt, "_")
    elif isinstance(q, model.Matching):
        got = [(html_text(s), text_of(s.find("answer"))) for s in el.iterfind("subquestion")]
        assert got == list(q.pairs)
    elif isinstance(q, model.Ordering):
        assert el.findtext("gradingtype") == "RELATIVE_NEXT_EXCLUDE_LAST"
        assert el.findtext("selecttype") == "ALL" and el.findtext("selectcount") == str(len(q.items))
        assert [html_text(a) for a in answers] == list(q.items)
    if isinstance(q, (model.Multiple, model.Matching, model.Ordering, model.Single)) and q.feedback:
        assert html_text(el.find("incorrectfeedback")) == q.feedback


@pytest.mark.parametrize("path", course_banks(), ids=lambda p: p.stem)
def test_every_question_has_the_banks_answers(path):
    bank = loadable(path)
    root, warnings = xml(from_banks([bank]))
    assert warnings == []
    questions = root.findall("question")
    assert questions[0].get("type") == "category"
    assert text_of(questions[0].find("category")) == f"$course$/top/{bank.id}"
    assert [text_of(q.find("name")) for q in questions[1:]] == [q.id for q in bank.questions]
    for q, el in zip(bank.questions, questions[1:]):
        check(q, el)


def test_one_category_per_bank_before_its_questions():
    banks = [loadable(p) for p in EXAMPLES]
    root, _ = xml(from_banks(banks))
    seen, current = {}, None
    for el in root.findall("question"):
        if el.get("type") == "category":
            current = text_of(el.find("category"))
            assert html_text(el.find("info")) == next(b.title for b in banks if current.endswith("/" + b.id))
        else:
            seen.setdefault(current, []).append(text_of(el.find("name")))
    assert seen == {f"$course$/top/{b.id}": [q.id for q in b.questions] for b in banks}


def test_ordering_as_matching_when_asked():
    bank = loadable(ROOT / "quizzes/examples/example-lawfare.yaml")
    root, warnings = xml(from_banks([bank]), ordering="matching")
    ordering = [q for q in bank.questions if q.type == "ordering"]
    assert [w.question for w in warnings] == [q.id for q in ordering]
    el = next(e for e in root.findall("question") if text_of(e.find("name")) == ordering[0].id)
    assert el.get("type") == "matching"
    pairs = [(html_text(s), text_of(s.find("answer"))) for s in el.iterfind("subquestion")]
    assert sorted(pairs, key=lambda p: int(p[1])) == [(x, str(i)) for i, x in enumerate(ordering[0].items, 1)]
    with pytest.raises(ValueError):
        moodle.render(from_banks([bank]), ordering="sideways")


def test_texts_are_escaped():
    q = model.Single(id="x-q1", prompt="<script>alert(1)</script> & ]]> {1:SHORTANSWER:=x}", explanation="e",
                     passage=model.Passage("p", "lawfare-01"), objective="o", difficulty=1,
                     choices=(model.Choice("<b>a</b>", True), model.Choice("b", False, "<i>no</i>")))
    root, _ = xml(from_questions([q]))
    el = root.findall("question")[1]
    prompt = lxml.html.fragment_fromstring(text_of(el.find("questiontext")), create_parent="div")
    assert prompt.find(".//script") is None and prompt.text_content() == q.prompt
    assert [html_text(a) for a in el.findall("answer")] == ["<b>a</b>", "b"]
