"""The class report: every figure against a hand computation on a class of four, the formats
chosen by extension, the item CSV, invalid answers apart from blank ones, definitions."""
from __future__ import annotations

import csv
import json
from html import unescape

import pytest

from tinybank import question, write_bank

# Four questions; q2 is worth 2 points and gives partial credit (one of two right choices: 1 point).
#            q1 single   q2 multiple (2 pts)     q3 true_false   q4 true_false
# s1         Right  1    Yes A; Yes B  2         true   1        true 1     total 5 (100%)
# s2         Right  1    Yes A         1         false  0        true 1     total 3 (60%)
# s3         Wrong  0    Yes A         1         true   1        true 1     total 3 (60%)
# s4         Z (invalid) 0   blank     0         blank  0        true 1     total 1 (20%)
#
# mean % = (100 + 60 + 60 + 20) / 4 = 60; SD (over n) = sqrt((40² + 0 + 0 + 40²) / 4) = sqrt(800) = 28.2843
# facility: q1 (1+1+0+0)/4 = .5; q2 (2+1+1+0)/4/2 = .5; q3 .5; q4 1.0 ("too easy": above .9)
# discrimination (item-rest r): q1 x = 1,1,0,0, rest = 5-1, 3-1, 3-0, 1-0 = 4,2,3,1 (mean 2.5) → deviations
#   x ±.5, rest 1.5,-.5,.5,-1.5: sxy = .75 - .25 - .25 + .75 = 1, sxx = 1, syy = 2.25+.25+.25+2.25 = 5 → 1/sqrt(5) = .447214
#   q2 x = 2,1,1,0, rest = 3,2,2,1 → r = 1; q3 x = 1,0,1,0, rest = 4,3,2,1 → sxy = 1, sxx = 1, syy = 5 → .447214
#   q4 has no variance: None
# upper/lower: round(.27 × 4) = 1 student each: upper s1 (5), lower s4 (1): q1 1-0 = 1, q2 1-0 = 1, q3 1, q4 0
# alpha on points: item variances .25, .5, .25, 0 (sum 1); totals 5,3,3,1 variance 2 → 4/3 × (1 - 1/2) = .666667
# KR-20 dichotomised (full credit 1): q2 becomes 1,0,0,0; p = .5, .25, .5, 1 → Σpq = .25+.1875+.25+0 = .6875;
#   totals 4,2,2,1 (mean 2.25) variance (3.0625+.0625+.0625+1.5625)/4 = 1.1875 → 4/3 × (1 - .6875/1.1875) = .561404
# by objective: t-lo1 = q1+q2: (2 + 4) / (4 + 8) = 50%; t-lo2 = q3+q4: (2 + 4) / (4 + 4) = 75%
# by tag: a = q1+q2 = 50%; b = q2+q4: (4 + 4) / (8 + 4) = 66.67%
# distractors q1: Right 2 (upper 1, lower 0), Wrong one 1, Wrong two 0, invalid 1 (lower 1), no answer 0
ROWS = [["s1", "Right", "Yes A; Yes B", "true", "true"],
        ["s2", "Right", "Yes A", "false", "true"],
        ["s3", "Wrong one", "Yes A", "true", "true"],
        ["s4", "Z", "", "", "true"]]


@pytest.fixture
def graded(quiz, tmp_path):
    bank = write_bank(tmp_path / "banks", [
        question("t-q1", "single", "t-lo1", tags=["a"], prompt="Which route is transacting?"),
        question("t-q2", "multiple", "t-lo1", points=2, tags=["a", "b"]),
        question("t-q3", "true_false", "t-lo2"),
        question("t-q4", "true_false", "t-lo2", tags=["b"]),
    ])
    out = tmp_path / "quiz"
    assert quiz("generate", bank, "-n", "4", "--seed", "2", "-o", out).exit_code == 0
    responses = tmp_path / "class.csv"
    with open(responses, "w", newline="") as fh:
        csv.writer(fh).writerows([["student", "t-q1", "t-q2", "t-q3", "t-q4"]] + ROWS)

    def run(*extra):
        return quiz("grade", out / "key-v1.yaml", responses, *extra)

    return run


def test_every_figure_matches_the_hand_computation(graded):
    result = graded("--json")
    assert result.exit_code == 1  # s4's "Z" is reported as unreadable
    a = json.loads(result.stdout)["analysis"]
    assert a["mean_percent"] == pytest.approx(60.0) and a["sd_percent"] == pytest.approx(28.2843, abs=1e-4)
    items = {i["id"]: i for i in a["items"]}
    assert [items[q]["facility"] for q in ("t-q1", "t-q2", "t-q3", "t-q4")] == [0.5, 0.5, 0.5, 1.0]
    assert items["t-q1"]["discrimination"] == pytest.approx(0.447214, abs=1e-4)  # the JSON rounds to 4 places
    assert items["t-q2"]["discrimination"] == pytest.approx(1.0)
    assert items["t-q3"]["discrimination"] == pytest.approx(0.447214, abs=1e-4)  # the JSON rounds to 4 places
    assert items["t-q4"]["discrimination"] is None
    assert [items[q]["upper_lower"] for q in ("t-q1", "t-q2", "t-q3", "t-q4")] == [1, 1, 1, 0]
    assert items["t-q4"]["flags"] == ["too easy"] and items["t-q1"]["flags"] == []
    assert a["cronbach_alpha"] == pytest.approx(0.666667, abs=1e-4)  # the JSON rounds to 4 places
    assert a["kr20"] == pytest.approx(0.561404, abs=1e-4)  # the JSON rounds to 4 places
    assert "dichotomised" in a["kr20_note"] and "1 of 4 items" in a["kr20_note"]
    assert {b["name"]: b["percent"] for b in a["objectives"]} == {"t-lo1": 50.0, "t-lo2": 75.0}
    assert {b["name"]: b["percent"] for b in a["tags"]} == {"a": 50.0, "b": 66.67}
    d = {row["choice"]: (row["count"], row["upper"], row["lower"]) for row in items["t-q1"]["distractors"]}
    assert d == {"Right": (2, 1, 0), "Wrong one": (1, 0, 0), "Wrong two": (0, 0, 0),
                 "(invalid answer)": (1, 0, 1), "(no answer)": (0, 0, 0)}
    d2 = {row["choice"]: (row["count"], row["upper"], row["lower"]) for row in items["t-q2"]["distractors"]}
    assert d2["Yes A"] == (3, 1, 0) and d2["Yes B"] == (1, 1, 0) and d2["(no answer)"] == (1, 0, 1)


def test_report_formats_item_csv_and_definitions(graded, tmp_path):
    from quiz.assess.report import DEFINITIONS

    assert graded("--report", tmp_path / "r.html").exit_code == 1
    html = unescape((tmp_path / "r.html").read_text())
    assert "Which route is transacting?" in html  # the question text beside the item
    assert "(invalid answer)" in html and "too easy" in html and "By objective" in html and "By tag" in html
    assert all(term in html for term, _ in DEFINITIONS) and "dichotomised" in html
    rows = list(csv.DictReader(open(tmp_path / "r.items.csv")))
    assert [r["question"] for r in rows] == ["t-q1", "t-q2", "t-q3", "t-q4"] or sorted(r["question"] for r in rows) == [
        "t-q1", "t-q2", "t-q3", "t-q4"]
    assert {r["question"]: r["facility"] for r in rows}["t-q4"] == "1.00"
    assert graded("--report", tmp_path / "r.md").exit_code == 1
    md = (tmp_path / "r.md").read_text()
    assert md.startswith("# ") and "| t-q" in md and "(r.png)" in md and (tmp_path / "r.png").exists()
    assert "## Definitions" in md


def test_unknown_report_format_is_refused_before_grading(graded, tmp_path):
    result = graded("--report", tmp_path / "r.docx", "--csv", tmp_path / "g.csv")
    assert result.exit_code == 2 and "use .html, .md or .pdf" in result.output
    assert not (tmp_path / "g.csv").exists() and not (tmp_path / "r.docx").exists()


def test_pdf_report_is_a_pdf(graded, tmp_path):
    """Printed by Debian's chromium, which `make test` installs (sh .ci/install-chromium.sh)."""
    assert graded("--report", tmp_path / "r.pdf").exit_code == 1
    body = (tmp_path / "r.pdf").read_bytes()
    assert body.startswith(b"%PDF-") and len(body) > 5000


def test_terminal_item_table_keeps_long_ids_whole(quiz, tmp_path):
    long_id = "a-rather-long-question-identifier-from-a-combined-bank-q01"
    bank = write_bank(tmp_path / "b", [question(long_id, "true_false"), question("t-q2", "true_false")])
    out = tmp_path / "quiz"
    assert quiz("generate", bank, "-n", "2", "--seed", "1", "-o", out).exit_code == 0
    responses = tmp_path / "class.csv"
    responses.write_text(f"student,{long_id},t-q2\nann,true,true\nbob,false,true\n")
    result = quiz("grade", out / "key-v1.yaml", responses, env={"COLUMNS": "80"})
    assert result.exit_code == 0 and long_id in result.output


def test_readme_defines_every_figure_of_the_report(root):
    from quiz.assess.report import DEFINITIONS

    readme = (root / "README.md").read_text(encoding="utf-8")
    for term, text in DEFINITIONS:
        assert f"- **{term}**: {text}" in readme, term
