"""GIFT export, read back by an independent parser (pygiftparser, from PyPI).

Every bank of the course is exported and parsed: the same questions in the same order
(a cloze with several blanks is written as one question per blank and counted once),
each with the same answers, feedback and prompt. Escaping of `~ = # { } :` is checked
with generated texts.
"""
from __future__ import annotations

import html
import io
import re
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pygiftparser import parser as giftparser

from quiz import model
from quiz.course.bank import load_bank
from quiz.exporters import gift
from quiz.exporters.common import accepted_forms, cloze_parts, from_banks, from_questions, numeric_prompt

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "quizzes" / "examples").glob("*.yaml"))


@lru_cache(maxsize=None)
def loadable(path: Path):
    """The bank, or None while a content writer's bank does not load (`quiz validate`
    reports those; the export tests are about banks that load)."""
    """Every shipped bank must load: a bank that does not is a failure, not a skip."""
    return load_bank(path)


def course_banks() -> list[Path]:
    paths = sorted((ROOT / "quizzes").glob("*.yaml")) + EXAMPLES
    return paths


def test_the_bank_list_is_not_empty():
    banks = course_banks()
    assert set(EXAMPLES) <= set(banks), "the example banks must load"
    types = {q.type for p in banks for q in loadable(p).questions}
    assert types == set(model.TYPES)


def unescape(text: str) -> str:
    """A GIFT field as text: GIFT escapes undone, then HTML entities (the export's [html])."""
    return html.unescape(re.sub(r"\\(.)", r"\1", text.replace("\\n", "\n"))).strip()


def parse(text: str):
    questions = giftparser.parseFile(io.StringIO(text))
    assert questions, "pygiftparser found no question"
    for q in questions:
        assert q.valid, f"pygiftparser finds question {q.title!r} invalid:\n{q.full}"
    return questions


_PART = re.compile(r" \(blank (\d+) of (\d+)\)$")


def by_question(parsed) -> dict[str, list]:
    out: dict[str, list] = {}
    for p in parsed:
        out.setdefault(_PART.sub("", p.title), []).append(p)
    return out


def check(q: model.Question, parts: list) -> None:
    """The parsed GIFT question(s) say what the bank says."""
    p = parts[0]
    assert q.explanation in unescape(p.generalFeedback.replace("<p>", "").replace("</p>", " "))
    if isinstance(q, model.Single):
        assert type(p.answers).__name__ == "SelectSet"
        got = {unescape(a.answer): (a.fraction, unescape(a.feedback)) for a in p.answers.answers}
        assert got == {c.text: (100 if c.correct else 0, c.feedback) for c in q.choices}
        assert unescape(p.text) == q.prompt
    elif isinstance(q, model.Multiple):
        assert type(p.answers).__name__ == "MultipleChoicesSet"
        got = {unescape(a.answer): a.fraction for a in p.answers.answers}
        k = len(q.correct_indices)
        assert set(got) == {c.text for c in q.choices}
        for c in q.choices:
            assert got[c.text] == pytest.approx(100 / k if c.correct else -100 / k, abs=1e-4)
        assert sum(v for v in got.values() if v > 0) == pytest.approx(100, abs=1e-3)
        assert unescape(p.text) == q.prompt
    elif isinstance(q, model.TrueFalse):
        assert type(p.answers).__name__ == "TrueFalseSet"
        assert p.answers.answer is q.answer
        assert unescape(p.answers.feedbackWrong) == q.feedback
        assert unescape(p.text) == q.prompt
    elif isinstance(q, model.Short):
        assert type(p.answers).__name__ == "ShortSet"
        got = [unescape(a.answer) for a in p.answers.answers]
        assert got == accepted_forms(q.answers)
        assert set(q.answers) <= set(got)
        assert unescape(p.text) == q.prompt
    elif isinstance(q, model.Numeric):
        assert type(p.answers).__name__ == "NumericAnswerSet"
        [answer] = p.answers.answers
        assert answer.value == pytest.approx(q.answer) and answer.tolerance == pytest.approx(q.tolerance)
        assert unescape(p.text) == numeric_prompt(q)
    elif isinstance(q, model.Cloze):
        if len(parts) == 1 and not _PART.search(p.title):
            # one blank, not at the end: a "missing word" question
            assert type(p.answers).__name__ == "ShortSet"
            before, blank, after = cloze_parts(q.prompt)
            assert unescape(p.text) == before.strip() and unescape(p.tail) == after.strip()
            assert [unescape(a.answer) for a in p.answers.answers] == accepted_forms(blank)
        else:
            assert len(parts) == len(q.blanks)
            for k, (part, blank) in enumerate(zip(parts, q.blanks), 1):
                assert _PART.search(part.title).groups() == (str(k), str(len(q.blanks)))
                assert type(part.answers).__name__ == "ShortSet"
                assert [unescape(a.answer) for a in part.answers.answers] == accepted_forms(blank)
                assert unescape(part.text).endswith(f"Blank [{k}]:")
    elif isinstance(q, model.Matching):
        assert type(p.answers).__name__ == "MatchingSet"
        got = [(unescape(a.question), unescape(a.answer)) for a in p.answers.answers]
        assert got == list(q.pairs)
    elif isinstance(q, model.Ordering):
        assert type(p.answers).__name__ == "MatchingSet"
        got = [(unescape(a.question), unescape(a.answer)) for a in p.answers.answers]
        assert sorted(got, key=lambda pair: int(pair[1])) == [(item, str(i)) for i, item in enumerate(q.items, 1)]
        assert [left for left, _ in got] != list(q.items) or len(q.items) < 2, "items shown in the answer order"
    else:  # pragma: no cover
        raise AssertionError(q.type)


@pytest.mark.parametrize("path", course_banks(), ids=lambda p: p.stem)
def test_every_bank_parses_with_pygiftparser_into_the_same_questions_and_answers(path):
    bank = loadable(path)
    text, warnings = gift.render(from_banks([bank]))
    parsed = parse(text)
    grouped = by_question(parsed)
    assert list(grouped) == [q.id for q in bank.questions]
    for q in bank.questions:
        check(q, grouped[q.id])
    # the questions GIFT cannot express are named, once each; no other warnings
    expected = {q.id for q in bank.questions if isinstance(q, model.Ordering)
                or (isinstance(q, model.Cloze) and (len(q.blanks) > 1 or not str(cloze_parts(q.prompt)[-1]).strip()))}
    assert sorted(w.question for w in warnings) == sorted(expected)


def test_categories_one_per_bank_in_order():
    banks = [loadable(p) for p in EXAMPLES]
    text, _ = gift.render(from_banks(banks))
    assert re.findall(r"^\$CATEGORY: (.+)$", text, re.M) == [f"$course$/top/{b.id}" for b in banks]
    parsed = parse(text)
    assert list(by_question(parsed)) == [q.id for b in banks for q in b.questions]


def _question(prompt: str, right: str, wrong: str, feedback: str, explanation: str) -> model.Single:
    return model.Single(id="esc-q1", prompt=prompt, explanation=explanation,
                        passage=model.Passage("x", "lawfare-01"), objective="esc-lo1", difficulty=1,
                        choices=(model.Choice(right, True), model.Choice(wrong, False, feedback)))


SPECIAL = "~=#{}:\\<>&\"' "
text_with_specials = st.text(alphabet=st.sampled_from(list(SPECIAL) + list("abcXYZ12")), min_size=1, max_size=24) \
    .map(str.strip).filter(lambda s: bool(s))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prompt=text_with_specials, right=text_with_specials, wrong=text_with_specials, feedback=text_with_specials)
def test_escaping_survives_pygiftparser(prompt, right, wrong, feedback):
    """Every special character is escaped. pygiftparser ends an answer block at the first
    `}` even when escaped (its regular expression ignores the backslash), so closing
    braces are kept to the prompt here; the round trip through `quiz import` in
    test_import.py checks them in answers too."""
    right, wrong, feedback = (s.replace("}", ")") for s in (right, wrong, feedback))
    q = _question(prompt, "A " + right, "B " + wrong, feedback, "Because: {x} = ~y #z")
    text, warnings = gift.render(from_questions([q]))
    assert not warnings
    [p] = parse(text)
    assert p.title == "esc-q1"
    assert unescape(p.text) == prompt
    got = {unescape(a.answer): (a.fraction, unescape(a.feedback)) for a in p.answers.answers}
    assert got == {"A " + right: (100, ""), "B " + wrong: (0, feedback)}


def test_every_special_character_is_escaped_in_the_text():
    q = _question("a ~ b = c # d { e } f : g \\ h", "right ~=#{}:", "wrong ~=#{}:", "fb ~=#{}:", "ex ~=#{}:")
    text, _ = gift.render(from_questions([q]))
    assert "::esc-q1::[html]a \\~ b \\= c \\# d \\{ e \\} f \\: g \\\\ h {\n" in text
    assert "\n=right \\~\\=\\#\\{\\}\\:\n" in text
    assert "\n~wrong \\~\\=\\#\\{\\}\\:#fb \\~\\=\\#\\{\\}\\:\n" in text
    assert "\n####<p>ex \\~\\=\\#\\{\\}\\:</p>" in text


def test_arrow_in_a_matching_item_is_warned_and_replaced():
    q = model.Matching(id="m-q1", prompt="Match", explanation="e", passage=model.Passage("x", "lawfare-01"),
                       objective="o", difficulty=1, pairs=(("a -> b", "one"), ("c", "two")))
    text, warnings = gift.render(from_questions([q]))
    assert [w.question for w in warnings] == ["m-q1"] and "'->'" in warnings[0].message
    [p] = parse(text)
    assert [(unescape(a.question), unescape(a.answer)) for a in p.answers.answers] == [("a \u2192 b", "one"), ("c", "two")]
