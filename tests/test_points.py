"""Points per question, negative marking, and overrides at generation: scores, the gradebook
and the JSON in points and percent."""
from __future__ import annotations

import csv
import json

from tinybank import question, write_bank


def make_quiz(quiz, tmp_path, *extra):
    bank = write_bank(tmp_path / "banks", [
        question("t-q1", "single", points=2, penalty=0.5),
        question("t-q2", "multiple", points=3),
        question("t-q3", "true_false"),
    ])
    out = tmp_path / "quiz"
    result = quiz("generate", bank, "-n", "3", "--seed", "1", "-o", out, *extra)
    assert result.exit_code == 0, result.output
    return out


def grade(quiz, tmp_path, out, rows):
    responses = tmp_path / "responses.csv"
    with open(responses, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["student", "t-q1", "t-q2", "t-q3"])
        w.writerows(rows)
    book = tmp_path / "gradebook.csv"
    result = quiz("grade", out / "key-v1.yaml", responses, "--json", "--csv", book)
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    return {s["student"]: s for s in data["students"]}, list(csv.DictReader(open(book)))


def test_points_partial_credit_and_penalty(quiz, tmp_path):
    out = make_quiz(quiz, tmp_path)
    students, book = grade(quiz, tmp_path, out, [
        ["Ada", "Right", "Yes A", "true"],             # 2 + 3 × (1 right − 0 wrong)/2 + 1 = 4.5 of 6
        ["Ben", "Wrong one", "Yes A; No C", ""],      # −0.5 × 2 + 3 × max(0, (1 − 1)/2) + 0 = −1 → total floored at 0
        ["Cy", "", "Yes A; Yes B", "false"],           # blank: no penalty; 0 + 3 + 0 = 3 of 6
    ])
    ada = {q["id"]: q for q in students["Ada"]["questions"]}
    assert (ada["t-q1"]["score"], ada["t-q1"]["max"]) == (2, 2)
    assert (ada["t-q2"]["score"], ada["t-q2"]["max"]) == (1.5, 3)
    assert (students["Ada"]["score"], students["Ada"]["max"], students["Ada"]["percent"]) == (4.5, 6, 75.0)
    ben = {q["id"]: q for q in students["Ben"]["questions"]}
    assert ben["t-q1"]["score"] == -1.0  # a wrong choice loses penalty × points
    assert ben["t-q2"]["score"] == 0.0  # no penalty set on t-q2
    assert students["Ben"]["score"] == 0.0  # a total never goes below 0
    cy = {q["id"]: q for q in students["Cy"]["questions"]}
    assert cy["t-q1"]["score"] == 0.0  # no answer is not a wrong answer
    assert students["Cy"]["percent"] == 50.0
    rows = {r["Student"]: r for r in book}
    assert rows["Ada"]["Max"] == "6" and rows["Ada"]["Percentage"] == "75.0"
    assert [k for k in rows["Ada"] if k.endswith("Points")] and rows["Ada"][next(k for k in rows["Ada"] if k.endswith("Points"))] == "4.5"


def test_points_and_penalty_set_at_generation(quiz, tmp_path):
    out = make_quiz(quiz, tmp_path, "--points", "multiple=1,t-q3=4", "--penalty", "0.25")
    students, _ = grade(quiz, tmp_path, out, [["Ben", "Wrong one", "Yes A; Yes B", "false"]])
    ben = {q["id"]: q for q in students["Ben"]["questions"]}
    assert (ben["t-q1"]["score"], ben["t-q1"]["max"]) == (-0.5, 2)  # −0.25 × 2: the override replaces 0.5
    assert (ben["t-q2"]["score"], ben["t-q2"]["max"]) == (1, 1)
    assert (ben["t-q3"]["score"], ben["t-q3"]["max"]) == (-1, 4)  # −0.25 × 4
    assert students["Ben"]["max"] == 7


def test_bad_points_and_penalty_on_other_types_are_refused(quiz, tmp_path):
    bank = write_bank(tmp_path / "b", [question("t-q1", "short", penalty=0.5)])
    result = quiz("validate", bank)
    assert result.exit_code == 1 and "penalty applies to single, multiple, true_false" in result.output
    good = write_bank(tmp_path / "g", [question("t-q1", "single")])
    result = quiz("generate", good, "-n", "1", "--seed", "1", "--points", "single=0", "-o", tmp_path / "o")
    assert result.exit_code == 2 and "ID=POINTS" in result.output and "Traceback" not in result.output


def test_exports_carry_points_and_negative_marking(quiz, tmp_path):
    import zipfile

    from lxml import etree

    bank = write_bank(tmp_path / "b", [question("t-q1", "single", points=2, penalty=0.5), question("t-q3", "true_false")])
    assert quiz("export", bank, "--format", "moodle", "-o", tmp_path / "m.xml").exit_code == 0
    root = etree.parse(str(tmp_path / "m.xml"))
    q1 = root.xpath("//question[name/text='t-q1']")[0]
    assert q1.findtext("defaultgrade") == "2"
    assert sorted(a.get("fraction") for a in q1.findall("answer")) == ["-50", "-50", "100"]
    assert quiz("export", bank, "--format", "qti", "-o", tmp_path / "c.zip").exit_code == 0
    with zipfile.ZipFile(tmp_path / "c.zip") as z:
        xml = next(z.read(n) for n in z.namelist() if n.endswith(".xml") and b"<item " in z.read(n))
    items = etree.fromstring(xml).xpath("//*[local-name()='item']")
    worth = {i.get("title"): i.xpath(".//*[local-name()='fieldlabel'][text()='points_possible']/../*[local-name()='fieldentry']/text()")[0]
             for i in items}
    assert worth == {"t-q1": "2", "t-q3": "1"}
