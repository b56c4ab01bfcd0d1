"""Printable exports (Markdown and HTML) and the jupyterquiz JSON: every question printed,
the answer key on its own page with the letters the quiz shows, and texts escaped."""
from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest
from markdown_it import MarkdownIt

from quiz import model
from quiz.course.bank import load_bank
from quiz.exporters import html as html_export
from quiz.exporters import markdown as md_export
from quiz.exporters import registry
from quiz.exporters.common import from_banks, from_questions
from quiz.exporters.jupyterquiz import to_jupyterquiz
from quiz.exporters.source import load_source

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "quizzes" / "examples").glob("*.yaml"))
EVIL = "<script>alert(1)</script> *not emphasis* [a](http://x) & | ~~no~~ $x$ #"


def examples():
    return from_banks([load_bank(p) for p in EXAMPLES])


def page(text: str):
    return lxml.html.document_fromstring(text)


def test_html_has_every_question_then_a_key_on_its_own_page():
    src = examples()
    doc = page(html_export.render(src)[0])
    quiz, key = doc.xpath("//section[@class='quiz']"), doc.xpath("//section[@class='key']")
    assert len(quiz) == 1 and len(key) == 1
    assert "break-before:page" in doc.xpath("//style")[0].text
    assert len(quiz[0].xpath(".//div[@class='q']")) == len(src) == len(key[0].xpath(".//div[@class='q']"))
    quiz_text = quiz[0].text_content()
    for q in src.questions:
        assert q.id not in quiz_text and q.explanation not in quiz_text, "the quiz gives nothing away"
    key_text = key[0].text_content()
    for q in src.questions:
        assert q.id in key_text and q.explanation in key_text and q.passage.quote in key_text


def test_key_letters_are_those_the_quiz_shows():
    src = examples()
    doc = page(html_export.render(src)[0])
    questions = doc.xpath("//section[@class='quiz']//div[@class='q']")
    answers = doc.xpath("//section[@class='key']//div[@class='q']//span[@class='a']")
    for q, shown, answer in zip(src.questions, questions, answers):
        options = [li.text_content() for li in shown.xpath(".//ol[@class='opts']/li")]
        if isinstance(q, model.ChoiceQuestion):
            letters = [x.strip() for x in answer.text_content().split(",")]
            assert sorted(options[model.LETTERS.index(x)] for x in letters) == sorted(
                c.text for c in q.choices if c.correct)
        elif isinstance(q, model.Ordering):
            letters = [x.strip() for x in answer.text_content().split(",")]
            assert [options[model.LETTERS.index(x)] for x in letters] == list(q.items)
            assert options != list(q.items), "an ordering question is never shown solved"
        elif isinstance(q, model.Matching):
            rows = shown.xpath(".//table//tr")[1:]
            rights = {r.xpath("td")[2].text_content()[:1]: r.xpath("td")[2].text_content()[3:] for r in rows}
            for (left, right), pair in zip(q.pairs, answer.text_content().split(", ")):
                assert rights[pair.split("\u2192")[1].strip()] == right


def test_a_generated_sheet_prints_with_its_own_order_and_key(quiz, tmp_path):
    assert quiz("generate", *map(str, EXAMPLES), "-n", "10", "--seed", "11", "-o", tmp_path / "g").exit_code == 0
    key = __import__("yaml").safe_load((tmp_path / "g" / "key-v1.yaml").read_text(encoding="utf-8"))
    sheet = __import__("yaml").safe_load((tmp_path / "g" / "sheet-v1.yaml").read_text(encoding="utf-8"))
    src = load_source([str(tmp_path / "g" / "sheet-v1.yaml")])
    assert src.kind == "sheet" and src.id == key["key"]
    doc = page(html_export.render(src)[0])
    answers = [a.text_content() for a in doc.xpath("//section[@class='key']//div[@class='q']//span[@class='a']")]
    shown = doc.xpath("//section[@class='quiz']//div[@class='q']")
    for entry, sheet_q, answer, printed in zip(key["questions"], sheet["questions"], answers, shown):
        if sheet_q["type"] in ("single", "multiple"):
            assert [li.text_content() for li in printed.xpath(".//ol[@class='opts']/li")] == list(sheet_q["choices"].values())
            expected = entry["answer"] if isinstance(entry["answer"], list) else [entry["answer"]]
            assert answer == ", ".join(expected)
        elif sheet_q["type"] == "ordering":
            assert [li.text_content() for li in printed.xpath(".//ol[@class='opts']/li")] == list(sheet_q["items"].values())
            assert answer == ", ".join(entry["answer"])


def test_html_escapes_every_text():
    q = model.Single(id="x-q1", prompt=EVIL, explanation=EVIL, passage=model.Passage(EVIL, "lawfare-01"),
                     objective="o", difficulty=1, choices=(model.Choice(EVIL, True), model.Choice("b", False, "f")))
    text, _ = html_export.render(from_questions([q], title=EVIL))
    doc = page(text)
    assert doc.xpath("//script") == [] and doc.xpath("//a") == []
    assert doc.xpath("//title")[0].text == EVIL
    assert doc.xpath("//section[@class='quiz']//div[@class='q']/p")[0].text_content().startswith("1. " + EVIL)


def test_markdown_renders_texts_as_written():
    q = model.Single(id="x-q1", prompt=EVIL + "\n- not a list", explanation=EVIL, passage=model.Passage(EVIL, "lawfare-01"),
                     objective="o", difficulty=1, choices=(model.Choice(EVIL, True), model.Choice("b", False, "f")))
    text, _ = md_export.render(from_questions([q], title=EVIL))
    rendered = MarkdownIt("commonmark").enable("strikethrough").render(text)
    doc = page(f"<div>{rendered}</div>")
    assert doc.xpath("//script") == [] and doc.xpath("//a") == []
    assert [em.text_content() for em in doc.xpath("//em")] == ["(Circle one letter.)"]  # only the instruction
    assert doc.xpath("//s") == [] and len(doc.xpath("//ul")) == 1  # the choices; "- not a list" is text
    assert doc.xpath("//h1")[0].text_content() == EVIL
    assert EVIL + "\n- not a list" in doc.text_content()


def test_markdown_has_every_question_and_a_page_break_before_the_key():
    src = examples()
    text, _ = md_export.render(src)
    quiz_part, key_part = text.split(md_export.PAGE_BREAK)
    assert len(re.findall(r"^\*\*\d+\.\*\* ", quiz_part, re.M)) == len(src)
    assert key_part.lstrip().startswith("# Answer key")
    assert len(re.findall(r"^\*\*\d+\.\*\* ", key_part, re.M)) == len(src)
    for q in src.questions:
        assert f"`{q.id}`" in key_part and q.id not in quiz_part


def test_jupyterquiz_is_the_books_json_with_warnings_for_split_types():
    src = examples()
    text, warnings = registry.render("jupyterquiz", src)
    assert json.loads(text) == to_jupyterquiz(src.questions, seed="book")
    split = {q.id for q in src.questions if isinstance(q, (model.Matching, model.Ordering))
             or (isinstance(q, model.Cloze) and len(q.blanks) > 1)}
    assert {w.question for w in warnings} == split
    assert {d["id"] for d in json.loads(text)} == {q.id for q in src.questions}


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_printable_exports_never_warn(fmt):
    _, warnings = registry.render(fmt, examples())
    assert warnings == []


def test_matching_is_never_printed_with_its_pairs_side_by_side():
    src = examples()
    doc = page(html_export.render(src)[0])
    for q, shown in zip(src.questions, doc.xpath("//section[@class='quiz']//div[@class='q']")):
        if isinstance(q, model.Matching):
            rows = shown.xpath(".//table//tr")[1:]
            printed = [(r.xpath("td")[0].text_content(), r.xpath("td")[2].text_content()[3:]) for r in rows]
            assert printed != list(q.pairs)
