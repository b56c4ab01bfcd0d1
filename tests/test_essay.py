"""The essay type end to end: a bank (one essay written out, one set from a lesson exercise)
→ sheets with writing space → rubric CSV → grade → feedback, Moodle XML and Canvas QTI read
back, the printable key; and the terminal marking loop."""
from __future__ import annotations

import csv
import json
import shutil
import zipfile
from html import unescape

import pytest
import yaml
from lxml import etree

from tinybank import question, write_bank

RUBRIC = [{"criterion": "Argument", "levels": [
              {"label": "missing", "points": 0}, {"label": "partial", "points": 2, "description": "some steps"},
              {"label": "full", "points": 4, "description": "every step, in order"}]},
          {"criterion": "Evidence", "levels": [{"label": "none", "points": 0}, {"label": "cited", "points": 2}]}]


@pytest.fixture
def quiz_dir(quiz, root, tmp_path):
    (tmp_path / "lessons").mkdir()
    shutil.copy(root / "lessons" / "nbr-03.md", tmp_path / "lessons" / "nbr-03.md")
    from_exercise = question("t-e2", "essay", "t-lo2", 3, rubric=RUBRIC, exercise="nbr-03-e1", points=3)
    del from_exercise["prompt"], from_exercise["explanation"]
    bank = write_bank(tmp_path / "quizzes", [
        question("t-e1", "essay", "t-lo1", 3, rubric=RUBRIC, model_answer="Standards lock in roles.", lines=8,
                 prompt="Explain why standards matter."),
        from_exercise,
        question("t-q1", "single"),
    ], bank_id="nbr-03")
    checked = quiz("validate", bank, "--json")
    problems = [e["message"] for e in json.loads(checked.stdout)["errors"]]
    assert not [m for m in problems if "t-e" in m and "quote" not in m], problems  # only the borrowed quotes may fail
    out = tmp_path / "quiz"
    result = quiz("generate", bank, "-n", "3", "--seed", "5", "-o", out)
    assert result.exit_code == 0, result.output
    return out


def fill(out, tmp_path, name, essays: dict, single: str):
    sheet = yaml.safe_load((out / "sheet-v1.yaml").read_text())
    key = yaml.safe_load((out / "key-v1.yaml").read_text())
    answers = {q["question"]["id"]: q["answer"] for q in key["questions"]}
    sheet["student"] = name
    for q in sheet["questions"]:
        q["answer"] = essays.get(q["id"]) if q["type"] == "essay" else (answers[q["id"]] if single == "right" else "Z")
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(sheet, allow_unicode=True))
    return path


def test_essay_from_bank_to_grade_feedback_and_exports(quiz, quiz_dir, tmp_path):
    out = quiz_dir
    key = yaml.safe_load((out / "key-v1.yaml").read_text())
    by_id = {q["question"]["id"]: q["question"] for q in key["questions"]}
    # the exercise's text is the prompt, its solution the model answer (the grader's notes)
    assert by_id["t-e2"]["prompt"].startswith("De La Bruyère claims that")
    assert by_id["t-e2"]["model_answer"].startswith("A good answer traces these steps.")
    assert by_id["t-e1"]["points"] == 6 and by_id["t-e2"]["points"] == 3  # rubric total unless set
    # sheets: writing space and the criteria, never the model answer or the level descriptions
    md, html = (out / "sheet-v1.md").read_text(), (out / "sheet-v1.html").read_text()
    assert md.count("_" * 70) == 8 + 12 and "class='write'" in html and "Marked on: Argument (4); Evidence (2)" in md
    for secret in ("Standards lock in roles", "A good answer traces", "every step, in order"):
        assert secret not in md and secret not in html and secret not in (out / "sheet-v1.yaml").read_text()
    # the printable key has the model answers and rubrics
    key_md = (out / "key-v1.md").read_text()
    assert "Standards lock in roles." in key_md and "| Argument | full | 4 | every step, in order |" in key_md

    ann = fill(out, tmp_path, "ann", {"t-e1": "Standards <b>lock</b> in.", "t-e2": "Steps one to five."}, "right")
    bob = fill(out, tmp_path, "bob", {"t-e1": "Not sure.", "t-e2": None}, "wrong")
    result = quiz("grade", out / "key-v1.yaml", ann, bob, "--json", "--rubric-template", tmp_path / "marks.csv")
    assert result.exit_code == 1 and "essay not marked yet" in result.output
    rows = list(csv.DictReader(open(tmp_path / "marks.csv")))
    # one row per answered essay and criterion (bob left t-e2 blank)
    assert [(r["student"], r["question"], r["criterion"]) for r in rows] == [
        (s, q, c) for s, qs in (("ann", [i for i in by_id if i.startswith("t-e")]), ("bob", ["t-e1"]))
        for q in [i for i in [k["question"]["id"] for k in key["questions"]] if i in qs] for c in ("Argument", "Evidence")]
    assert rows[0]["levels"] == "missing=0 | partial=2 | full=4"
    # a level by label, or by number: a level's points when one has them ("2" = partial), else
    # its position ("1" = the first level, none, as no Evidence level is worth 1 point)
    levels = {("ann", "t-e1"): {"Argument": "full", "Evidence": "1"},
              ("ann", "t-e2"): {"Argument": "partial", "Evidence": "cited"},
              ("bob", "t-e1"): {"Argument": "2", "Evidence": "none"}}
    for r in rows:
        r["level"] = levels[(r["student"], r["question"])][r["criterion"]]
    r0 = rows[0]
    with open(tmp_path / "marks.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(r0))
        w.writeheader()
        w.writerows(rows)
    fb = tmp_path / "fb"
    result = quiz("grade", out / "key-v1.yaml", ann, bob, "--json", "--rubric", tmp_path / "marks.csv",
                  "--feedback", fb)
    data = json.loads(result.stdout)
    students = {s["student"]: {q["id"]: q["score"] for q in s["questions"]} for s in data["students"]}
    # ann: t-e1 (4 + 0) / 6 × 6 = 4; t-e2 (2 + 2) / 6 × 3 = 2; single right 1 → 7 of 10
    assert students["ann"] == {"t-e1": 4.0, "t-e2": 2.0, "t-q1": 1.0}
    # bob: t-e1 (2 + 0) / 6 × 6 = 2; t-e2 blank 0; "Z" unreadable 0 → 2 of 10
    assert students["bob"] == {"t-e1": 2.0, "t-e2": 0.0, "t-q1": 0.0}
    assert [s["percent"] for s in data["students"]] == [70.0, 20.0]
    items = {i["id"]: i for i in data["analysis"]["items"]}
    assert items["t-e1"]["facility"] == pytest.approx((4 / 6 + 2 / 6) / 2, abs=1e-4)  # polytomous: mean share
    assert items["t-e1"]["distractors"] == []
    page = unescape(sorted(fb.glob("*ann.html"))[0].read_text())
    assert "Argument: full (4 of 4) — every step, in order" in page and "Standards lock in roles." in page
    assert "<b>lock</b>" in page and "<b>lock</b>" not in sorted(fb.glob("*ann.html"))[0].read_text()

    # exports of the bank, read back
    bank = tmp_path / "quizzes" / "nbr-03.yaml"
    assert quiz("export", bank, "--format", "moodle", "-o", tmp_path / "m.xml").exit_code == 0
    root = etree.parse(str(tmp_path / "m.xml"))
    essays = root.xpath("//question[@type='essay']")
    assert [e.findtext("name/text") for e in essays] == ["t-e1", "t-e2"]
    e1 = essays[0]
    assert e1.findtext("defaultgrade") == "6" and e1.findtext("responseformat") == "editor"
    grader = e1.findtext("graderinfo/text")
    assert "Standards lock in roles." in grader and "every step, in order" in grader and "Evidence" in grader
    assert "Explain why standards matter." in e1.findtext("questiontext/text")
    result = quiz("export", bank, "--format", "qti", "-o", tmp_path / "c.zip")
    assert result.exit_code == 0
    with zipfile.ZipFile(tmp_path / "c.zip") as z:
        xml = next(z.read(n) for n in z.namelist() if n.endswith(".xml") and b"<item " in z.read(n))
    items = {i.get("title"): i for i in etree.fromstring(xml).xpath("//*[local-name()='item']")}
    meta = lambda i, label: i.xpath(f".//*[local-name()='fieldlabel'][text()='{label}']/../*[local-name()='fieldentry']/text()")[0]  # noqa: E731
    assert meta(items["t-e2"], "question_type") == "essay_question" and meta(items["t-e2"], "points_possible") == "3"
    assert items["t-e2"].xpath(".//*[local-name()='response_str']/*[local-name()='render_fib']")
    assert "De La Bruyère claims" in "".join(items["t-e2"].xpath(".//*[local-name()='mattext']/text()"))
    # the printable export: writing space on the quiz page, model answer and rubric on the key page
    assert quiz("export", bank, "--format", "markdown", "-o", tmp_path / "p.md").exit_code == 0
    printed = (tmp_path / "p.md").read_text()
    assert printed.count("_" * 70) == 8 + 12 and "Standards lock in roles." in printed and "full (4)" in printed


def test_bad_rubric_level_and_bad_essay_are_reported(quiz, quiz_dir, tmp_path, write):
    out = quiz_dir
    ann = fill(out, tmp_path, "ann", {"t-e1": "Text.", "t-e2": "More."}, "right")
    marks = tmp_path / "marks.csv"
    marks.write_text("student,question,criterion,level\nann,t-e1,Argument,brilliant\nann,t-e1,Evidence,none\n")
    result = quiz("grade", out / "key-v1.yaml", ann, "--rubric", marks)
    assert result.exit_code == 1 and "'brilliant' is not a level of 'Argument'" in result.output
    bad = write_bank(tmp_path / "bad" / "quizzes", [question("t-e9", "essay", rubric=RUBRIC)], bank_id="bad")
    result = quiz("validate", bad)
    assert result.exit_code == 1 and "an essay gives 'prompt' and 'model_answer', or 'exercise'" in result.output
    missing = question("t-e8", "essay", rubric=RUBRIC, exercise="nbr-03-e99")
    bad2 = write_bank(tmp_path / "quizzes", [missing], bank_id="nbr-03")
    result = quiz("validate", bad2)
    assert result.exit_code == 1 and "'nbr-03-e99' is not an exercise label" in result.output


def test_terminal_marking_loop_saves_levels(quiz, quiz_dir, tmp_path):
    out = quiz_dir
    ann = fill(out, tmp_path, "ann", {"t-e1": "Ann's \x1b[31mred\x1b[0m text.", "t-e2": "Ann again."}, "right")
    marks = tmp_path / "marks.csv"
    key = yaml.safe_load((out / "key-v1.yaml").read_text())
    order = [q["question"]["id"] for q in key["questions"] if q["question"]["type"] == "essay"]
    # the first essay: full (3rd level), cited (by label); the second: stop with q
    result = quiz("mark", out / "key-v1.yaml", ann, "--rubric", marks, input="3\ncited\nq\n")
    assert result.exit_code == 0, result.output
    assert "\x1b[31m" not in result.output and "Ann's ?[31mred?[0m text." in result.output
    assert "Standards lock in roles." in result.output or "A good answer" in result.output  # the model answer
    rows = [r for r in csv.DictReader(open(marks)) if r["level"]]
    assert [(r["question"], r["criterion"], r["level"]) for r in rows] == [(order[0], "Argument", "full"),
                                                                          (order[0], "Evidence", "cited")]
    # resuming asks only for the essay still unmarked
    result = quiz("mark", out / "key-v1.yaml", ann, "--rubric", marks, input="1\n1\n")
    assert "1 essay(s) to mark" in result.output
    result = quiz("grade", out / "key-v1.yaml", ann, "--rubric", marks, "--json")
    assert result.exit_code == 0, result.output


def test_marking_keeps_rows_and_comments_of_others(quiz, quiz_dir, tmp_path):
    out = quiz_dir
    ann = fill(out, tmp_path, "ann", {"t-e1": "Ann's text.", "t-e2": "Ann again."}, "right")
    marks = tmp_path / "marks.csv"
    marks.write_text("student,student_id,question,criterion,levels,level,comment\n"
                     "zed,,t-e1,Argument,,full,from last term\n"
                     "ann,,t-e1,Argument,,partial,steps 2 and 3 missing\n"
                     "ann,,t-e1,Evidence,,cited,\n")
    result = quiz("mark", out / "key-v1.yaml", ann, "--rubric", marks, input="1\n1\n")
    assert result.exit_code == 0, result.output
    rows = {(r["student"], r["question"], r["criterion"]): r for r in csv.DictReader(open(marks))}
    assert rows[("zed", "t-e1", "Argument")]["comment"] == "from last term"  # another student's row is kept
    assert rows[("ann", "t-e1", "Argument")]["comment"] == "steps 2 and 3 missing"
    assert rows[("ann", "t-e2", "Argument")]["level"] == "missing"
    result = quiz("grade", out / "key-v1.yaml", ann, "--rubric", marks, "--json")
    q = {i["id"]: i for i in json.loads(result.stdout)["students"][0]["questions"]}
    assert q["t-e1"]["rubric"][0].startswith("Argument: partial (2 of 4)")


def test_marking_loop_in_a_real_terminal_stops_on_ctrl_c_and_keeps_what_was_marked(quiz_dir, tmp_path):
    import sys
    from pathlib import Path

    import pexpect

    out = quiz_dir
    ann = fill(out, tmp_path, "ann", {"t-e1": "Ann's first essay.", "t-e2": "Ann's second essay."}, "right")
    marks = tmp_path / "marks.csv"
    quiz_bin = str(Path(sys.executable).with_name("quiz"))
    child = pexpect.spawn(quiz_bin, ["mark", str(out / "key-v1.yaml"), str(ann), "--rubric", str(marks)],
                          encoding="utf-8", timeout=30, dimensions=(40, 120))
    child.expect("2 essay\\(s\\) to mark")
    child.expect("Ann's (first|second) essay.")
    first = child.match.group(1)
    child.expect("Argument \\[1=missing / 2=partial / 3=full\\]")
    child.sendline("3")
    child.expect("Evidence \\[")
    child.sendline("cited")
    child.expect("Argument \\[")  # the second essay
    child.sendintr()
    child.expect("Stopped; the levels given so far are saved.")
    child.expect(pexpect.EOF)
    child.close()
    rows = [r for r in csv.DictReader(open(marks)) if r["level"]]
    assert [(r["criterion"], r["level"]) for r in rows] == [("Argument", "full"), ("Evidence", "cited")]
    assert rows[0]["question"] == ("t-e1" if first == "first" else "t-e2")
