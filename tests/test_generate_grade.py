"""`quiz generate` and `quiz grade`: determinism, sheets without answers, variants, grading
of every type, refusing the wrong key, and item analysis against a hand computation."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml

BANKS = ["quizzes/examples/example-lawfare.yaml", "quizzes/examples/example-cpc.yaml"]


@pytest.fixture
def banks(root):
    return [str(root / b) for b in BANKS]


def gen(quiz, banks, out, *extra):
    result = quiz("generate", *banks, "-o", out, *extra)
    assert result.exit_code == 0, result.output
    return out


def files(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


def test_same_seed_gives_byte_identical_output(quiz, banks, tmp_path):
    a = gen(quiz, banks, tmp_path / "a", "-n", "10", "--seed", "5", "--variants", "3")
    b = gen(quiz, banks, tmp_path / "b", "-n", "10", "--seed", "5", "--variants", "3")
    assert files(a) == files(b)
    assert len(files(a)) == 16  # 5 files per variant and the manifest (.quiz-generated)
    c = gen(quiz, banks, tmp_path / "c", "-n", "10", "--seed", "6", "--variants", "3")
    assert files(a) != files(c)


def test_seed_is_chosen_and_recorded_when_omitted(quiz, banks, tmp_path):
    out = tmp_path / "s"
    result = quiz("generate", *banks, "-n", "4", "-o", out)
    assert result.exit_code == 0
    seed = yaml.safe_load((out / "key-v1.yaml").read_text())["seed"]
    assert f"--seed {seed}" in result.output
    again = gen(quiz, banks, tmp_path / "t", "-n", "4", "--seed", str(seed))
    assert (again / "sheet-v1.yaml").read_bytes() == (out / "sheet-v1.yaml").read_bytes()


def answers_and_secrets(root) -> tuple[list[str], list[str]]:
    """Every correct answer text, correct flag and explanation in the example banks."""
    texts, explanations = [], []
    for b in BANKS:
        for q in yaml.safe_load((root / b).read_text())["questions"]:
            explanations.append(q["explanation"])
            if q["type"] == "short":
                texts += q["answers"]
            if q["type"] == "cloze":
                texts += ["{{"]
    return texts, explanations


def test_student_files_hold_no_answers(quiz, banks, root, tmp_path):
    out = gen(quiz, banks, tmp_path / "g", "-n", "12", "--seed", "3", "--variants", "2")
    texts, explanations = answers_and_secrets(root)
    student_files = [p for p in out.iterdir() if p.name.startswith("sheet-")]
    assert len(student_files) == 6
    for p in student_files:
        body = p.read_text(encoding="utf-8")
        for secret in texts + explanations + ["correct", "explanation", "feedback", "passage"]:
            assert secret.casefold() not in body.casefold(), (p.name, secret)
        if p.suffix == ".yaml":
            sheet = yaml.safe_load(body)
            assert all(q["answer"] is None for q in sheet["questions"])


def test_variants_shuffle_questions_and_choices_and_share_questions(quiz, banks, tmp_path):
    out = gen(quiz, banks, tmp_path / "v", "-n", "12", "--seed", "11", "--variants", "4")
    sheets = [yaml.safe_load((out / f"sheet-v{v}.yaml").read_text()) for v in range(1, 5)]
    ids = [[q["id"] for q in s["questions"]] for s in sheets]
    assert all(sorted(i) == sorted(ids[0]) for i in ids)
    assert len({tuple(i) for i in ids}) > 1
    orders = {}
    for s in sheets:
        for q in s["questions"]:
            shown = q.get("choices") or q.get("right") or q.get("items")
            if shown:
                orders.setdefault(q["id"], set()).add(tuple(shown.values()))
    assert any(len(o) > 1 for o in orders.values())
    assert len({s["fingerprint"] for s in sheets}) == 4
    for s in sheets:  # an ordering question is never shown already in order
        for q in s["questions"]:
            if q["type"] == "ordering":
                key = yaml.safe_load((out / f"key-v{s['variant']}.yaml").read_text())
                items = next(k["question"]["items"] for k in key["questions"] if k["question"]["id"] == q["id"])
                assert list(q["items"].values()) != items


def test_selection_covers_objectives(quiz, banks, tmp_path):
    out = gen(quiz, banks, tmp_path / "o", "-n", "4", "--seed", "1")
    key = yaml.safe_load((out / "key-v1.yaml").read_text())
    objectives = {q["question"]["objective"] for q in key["questions"]}
    assert len(objectives) == 4  # five objectives available; four questions, four different ones


def test_filters_and_too_few(quiz, banks, tmp_path):
    out = gen(quiz, banks, tmp_path / "f", "-n", "2", "--seed", "1", "--types", "numeric")
    key = yaml.safe_load((out / "key-v1.yaml").read_text())
    assert {q["question"]["type"] for q in key["questions"]} == {"numeric"}
    result = quiz("generate", *banks, "-n", "3", "--types", "numeric", "-o", tmp_path / "x")
    assert result.exit_code == 2
    assert "only 2 questions matching {'types': ['numeric']}" in result.output
    result = quiz("generate", *banks, "-n", "3", "--types", "poem", "-o", tmp_path / "x")
    assert result.exit_code == 2 and "unknown type poem" in result.output


def fill(sheet_path: Path, key_path: Path, student: str, wrong: set[int] = frozenset(), answers: dict | None = None) -> Path:
    sheet = yaml.safe_load(sheet_path.read_text())
    key = yaml.safe_load(key_path.read_text())
    sheet["student"] = student
    for q, k in zip(sheet["questions"], key["questions"]):
        q["answer"] = k["answer"]
        if q["number"] in wrong:
            q["answer"] = WRONG[q["type"]]
        if answers and q["number"] in answers:
            q["answer"] = answers[q["number"]]
    out = sheet_path.parent / f"{student}.yaml"
    out.write_text(yaml.safe_dump(sheet, allow_unicode=True))
    return out


WRONG = {"single": "Z", "multiple": [], "true_false": None, "short": "nothing like it", "numeric": -1,
         "cloze": ["x"], "matching": [], "ordering": []}


def test_grading_every_type_with_partial_credit(quiz, root, tmp_path):
    bank = str(root / BANKS[0])  # eight questions, one per type
    out = gen(quiz, [bank], tmp_path / "p", "-n", "8", "--seed", "2")
    key = yaml.safe_load((out / "key-v1.yaml").read_text())
    by_type = {q["question"]["type"]: q for q in key["questions"]}
    answers = {}
    m = by_type["multiple"]
    answers[m["number"]] = m["answer"][:1]  # one of two correct choices: 0.5
    c = by_type["cloze"]
    answers[c["number"]] = ["discovery", "wrong"]  # 0.5
    mt = by_type["matching"]
    answers[mt["number"]] = [mt["answer"][0], mt["answer"][2], mt["answer"][1]]  # 1 of 3 right
    o = by_type["ordering"]
    answers[o["number"]] = list(reversed(o["answer"]))  # two items reversed: 0
    s = by_type["short"]
    answers[s["number"]] = "Splinternett"  # a typo within the threshold
    n = by_type["numeric"]
    answers[n["number"]] = "802"
    path = fill(out / "sheet-v1.yaml", out / "key-v1.yaml", "ana", answers=answers)
    result = quiz("grade", out / "key-v1.yaml", path, "--json")
    assert result.exit_code == 0, result.output
    student = json.loads(result.stdout)["students"][0]
    scores = {q["id"]: q["score"] for q in student["questions"]}
    ids = {t: by_type[t]["question"]["id"] for t in by_type}
    assert scores[ids["multiple"]] == 0.5
    assert scores[ids["cloze"]] == 0.5
    assert scores[ids["matching"]] == pytest.approx(1 / 3, abs=1e-4)
    assert scores[ids["ordering"]] == 0
    assert scores[ids["short"]] == 1 and scores[ids["numeric"]] == 1
    assert scores[ids["single"]] == 1 and scores[ids["true_false"]] == 1
    assert student["score"] == pytest.approx(5 + 1 / 3, abs=1e-3)


def test_wrong_key_is_refused_and_others_still_graded(quiz, banks, tmp_path):
    out = gen(quiz, banks, tmp_path / "w", "-n", "6", "--seed", "9", "--variants", "2")
    a = fill(out / "sheet-v1.yaml", out / "key-v1.yaml", "ana")
    b = fill(out / "sheet-v2.yaml", out / "key-v2.yaml", "bo")
    result = quiz("grade", out / "key-v1.yaml", a, b, "--json")
    assert result.exit_code == 2
    students = {s["student"]: s for s in json.loads(result.stdout)["students"]}
    assert students["ana"]["percent"] == 100
    assert "grade it with the key written alongside its sheet" in students["bo"]["refused"]
    both = quiz("grade", out, a, b, "--json")  # the directory holds both keys
    assert both.exit_code == 0
    assert [s["percent"] for s in json.loads(both.stdout)["students"]] == [100, 100]


def test_unknown_ids_and_malformed_answers_are_reported_per_student(quiz, banks, tmp_path):
    out = gen(quiz, banks, tmp_path / "m", "-n", "6", "--seed", "4")
    key = yaml.safe_load((out / "key-v1.yaml").read_text())
    numeric = next(q["number"] for q in key["questions"] if q["question"]["type"] == "numeric")
    bad = fill(out / "sheet-v1.yaml", out / "key-v1.yaml", "cy", answers={numeric: "lots"})
    sheet = yaml.safe_load(bad.read_text())
    sheet["questions"].append({"id": "nope-q1", "answer": "A"})
    bad.write_text(yaml.safe_dump(sheet))
    good = fill(out / "sheet-v1.yaml", out / "key-v1.yaml", "di")
    broken = out / "eve.yaml"
    broken.write_bytes(b"\x00\x01binary")
    result = quiz("grade", out / "key-v1.yaml", bad, good, broken, "--json")
    assert result.exit_code == 2
    students = {s["student"]: s for s in json.loads(result.stdout)["students"]}
    assert students["di"]["percent"] == 100
    assert students["cy"]["score"] == 5
    assert any("'lots' is not a number" in p for p in students["cy"]["problems"])
    assert any("unknown question 'nope-q1'" in p for p in students["cy"]["problems"])
    assert "looks binary" in students["eve"]["refused"]


def test_csv_responses_and_gradebook(quiz, banks, tmp_path):
    out = gen(quiz, banks, tmp_path / "c", "-n", "4", "--seed", "8")
    key = yaml.safe_load((out / "key-v1.yaml").read_text())
    header = ["student", "student_id"] + [q["question"]["id"] for q in key["questions"]]

    def cell(a):
        return ", ".join(map(str, a)) if isinstance(a, list) else str(a)

    rows = [["ana", "a1"] + [cell(q["answer"]) for q in key["questions"]],
            ["bo", "bo@example.edu"] + [""] * len(key["questions"])]
    responses = tmp_path / "class.csv"
    with open(responses, "w", newline="") as fh:
        csv.writer(fh).writerows([header] + rows)
    gradebook = tmp_path / "gradebook.csv"
    result = quiz("grade", out / "key-v1.yaml", responses, "--csv", gradebook)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(gradebook.open()))
    assert [r["Student"] for r in rows] == ["ana", "bo"]
    assert rows[0]["Percentage"] == "100.0" and rows[1]["Percentage"] == "0.0"
    assert rows[0]["SIS User ID"] == "a1" and rows[1]["Email address"] == "bo@example.edu"


def test_item_analysis_matches_hand_computation(quiz, banks, tmp_path):
    """Five students, three dichotomous items; figures computed by hand in the docstring:
    totals 3,2,1,1,0 (mean 1.4, population variance 1.04); facilities .6,.6,.2;
    KR-20 = 3/2 (1 - .64/1.04) = .576923; item 1 item-rest r = .6/sqrt(1.2*2.8) = .327327;
    item 3 r = .8/sqrt(.8*2.8) = .534522; upper/lower 27% groups are one student each: D = 1."""
    out = gen(quiz, banks, tmp_path / "h", "-n", "3", "--seed", "1", "--types", "single,true_false,numeric")
    matrix = {"s1": (1, 1, 1), "s2": (1, 1, 0), "s3": (1, 0, 0), "s4": (0, 1, 0), "s5": (0, 0, 0)}
    paths = [fill(out / "sheet-v1.yaml", out / "key-v1.yaml", s, wrong={i + 1 for i, x in enumerate(row) if not x})
             for s, row in matrix.items()]
    result = quiz("grade", out / "key-v1.yaml", *paths, "--json")
    a = json.loads(result.stdout)["analysis"]
    key = yaml.safe_load((out / "key-v1.yaml").read_text())
    items = {i["id"]: i for i in a["items"]}
    i1, i2, i3 = (items[q["question"]["id"]] for q in key["questions"])
    assert [i1["facility"], i2["facility"], i3["facility"]] == [0.6, 0.6, 0.2]
    assert a["kr20"] == pytest.approx(0.576923, abs=1e-4)
    assert a["cronbach_alpha"] == pytest.approx(0.576923, abs=1e-4)
    assert i1["discrimination"] == pytest.approx(0.327327, abs=1e-4)
    assert i3["discrimination"] == pytest.approx(0.534522, abs=1e-4)
    assert i1["upper_lower"] == 1 and i3["upper_lower"] == 1
    assert a["mean_percent"] == pytest.approx(100 * 1.4 / 3, abs=1e-3)


def test_item_analysis_flags_and_distractors(quiz, banks, tmp_path):
    out = gen(quiz, banks, tmp_path / "d", "-n", "2", "--seed", "3", "--types", "single")
    key = yaml.safe_load((out / "key-v1.yaml").read_text())
    # item 1: the weakest students get it right, the strongest wrong -> negative discrimination
    matrix = {"s1": (0, 1), "s2": (0, 1), "s3": (1, 0), "s4": (1, 0)}
    paths = [fill(out / "sheet-v1.yaml", out / "key-v1.yaml", s, wrong={i + 1 for i, x in enumerate(row) if not x})
             for s, row in matrix.items()]
    wrong_letter = next(letter for letter in "ABC" if letter != key["questions"][0]["answer"])
    for p in paths[:2]:  # give the wrong students a real distractor rather than an invalid letter
        sheet = yaml.safe_load(p.read_text())
        sheet["questions"][0]["answer"] = wrong_letter
        p.write_text(yaml.safe_dump(sheet))
    result = quiz("grade", out / "key-v1.yaml", *paths, "--json", "--report", tmp_path / "report.html")
    a = json.loads(result.stdout)["analysis"]
    first = next(i for i in a["items"] if i["id"] == key["questions"][0]["question"]["id"])
    assert "negative discrimination" in first["flags"]
    picked = {d["choice"]: d["count"] for d in first["distractors"]}
    sheet = yaml.safe_load((out / "sheet-v1.yaml").read_text())
    assert picked[sheet["questions"][0]["choices"][wrong_letter]] == 2
    assert sum(d["count"] for d in first["distractors"] if d["correct"]) == 2
    html = (tmp_path / "report.html").read_text()
    assert "data:image/png;base64," in html and "negative discrimination" in html
