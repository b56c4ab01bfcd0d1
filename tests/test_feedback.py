"""Feedback pages: one per student, with their answers, the key, explanation, passage and
score, and nothing of any other student."""
from __future__ import annotations

import csv
from html import unescape

from tinybank import QUOTE, question, write_bank


def test_each_page_holds_one_student_only(quiz, tmp_path):
    bank = write_bank(tmp_path / "b", [
        question("t-q1", "single", points=2),
        question("t-q2", "short", answers=["transacting"]),
    ])
    out = tmp_path / "quiz"
    assert quiz("generate", bank, "-n", "2", "--seed", "3", "-o", out).exit_code == 0
    responses = tmp_path / "class.csv"
    with open(responses, "w", newline="") as fh:
        csv.writer(fh).writerows([["student", "student_id", "t-q1", "t-q2"],
                                  ["Zelda Quartz", "z-771", "Right", "zebrafish<script>"],
                                  ["Yannick Umber", "y-552", "Wrong two", "yakety"],
                                  ["Xavi Teal", "x-333", "", "transacting"]])
    fb = tmp_path / "fb"
    result = quiz("grade", out / "key-v1.yaml", responses, "--feedback", fb)
    assert result.exit_code == 0, result.output
    pages = sorted(fb.glob("*.html"))
    assert [p.name for p in pages] == ["001-Zelda-Quartz.html", "002-Yannick-Umber.html", "003-Xavi-Teal.html"]
    others = {"Zelda Quartz": ["Zelda", "z-771", "zebrafish"], "Yannick Umber": ["Yannick", "y-552", "yakety"],
              "Xavi Teal": ["Xavi", "x-333"]}
    for page, (name, mine) in zip(pages, others.items()):
        raw = page.read_text()
        text = unescape(raw)
        assert all(m in text for m in mine)
        for other, theirs in others.items():
            if other != name:
                assert not any(t in text for t in theirs), (page.name, other)
        assert "<script>" not in raw  # a typed answer is text, never markup
        assert "Explanation of t-q1." in text and QUOTE in text  # explanation and passage
    zelda = unescape(pages[0].read_text())
    assert "Score: 2 of 3 points (66.7%)" in zelda  # 2 for the single, 0 for the misspelt short answer
    assert "Right" in zelda and "transacting" in zelda  # the key beside the answer
    yannick = unescape(pages[1].read_text())
    assert "Wrong two" in yannick and "No." in yannick  # their choice and its feedback


def test_feedback_pdf(quiz, tmp_path):
    bank = write_bank(tmp_path / "b", [question("t-q1", "true_false")])
    out = tmp_path / "quiz"
    assert quiz("generate", bank, "-n", "1", "--seed", "3", "-o", out).exit_code == 0
    responses = tmp_path / "class.csv"
    responses.write_text("student,t-q1\nann,true\nbob,false\n")
    fb = tmp_path / "fb"
    assert quiz("grade", out / "key-v1.yaml", responses, "--feedback", fb, "--feedback-pdf").exit_code == 0
    pdfs = sorted(fb.glob("*.pdf"))
    assert [p.name for p in pdfs] == ["001-ann.pdf", "002-bob.pdf"]
    assert all(p.read_bytes().startswith(b"%PDF-") for p in pdfs)
    assert quiz("grade", out / "key-v1.yaml", responses, "--feedback-pdf").exit_code == 2
