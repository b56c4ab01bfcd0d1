"""The seams between channels (issue 16): each numbered defect, with the test that failed
before its fix. The conformance suite (test_conformance.py) then checks every channel
against one table of probe responses."""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import yaml

QUIZ = str(Path(sys.executable).with_name("quiz"))
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
EXAMPLE = "quizzes/examples/example-lawfare.yaml"


def _env(tmp_path, root, **extra):
    env = dict(os.environ, QUIZ_DB=str(tmp_path / "attempts.db"), QUIZ_COURSE_ROOT=str(root), TERM="xterm",
               PYTHONUNBUFFERED="1", **extra)
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    return env


# -- 1. review shows each card as take does ---------------------------------------------------

def test_1_review_shows_the_options_and_letters_refer_to_them(quiz, tmp_path, root, monkeypatch):
    """A matching and an ordering card come back in `quiz review` with their options listed;
    typing A B C no longer means the answer order the student never saw."""
    wrong = {"example-lawfare-q07": {"Making": "Acquiring existing technology from foreign states and companies "
                                              "without paying for it"},
             "example-lawfare-q08": ["A dominant position in global markets",
                                     "70 percent self-sufficiency in high-tech industries"]}
    answers = tmp_path / "wrong.yaml"
    answers.write_text(yaml.safe_dump(wrong))
    monkeypatch.setenv("QUIZ_NOW", "2026-03-01T09:00:00+00:00")
    result = quiz("take", root / EXAMPLE, "--types", "matching,ordering", "-n", "2", "--answers", answers,
                  "--db", tmp_path / "attempts.db")
    assert result.exit_code == 0, result.output
    env = _env(tmp_path, root, QUIZ_NOW="2026-03-02T10:00:00+00:00")
    child = pexpect.spawn(QUIZ, ["review"], env=env, encoding="utf-8", timeout=30, dimensions=(24, 80))
    seen = {}
    while True:  # a missed card comes back in the same session: answer until the session ends
        if child.expect(["\r\n> ", "  1\\. [^\r\n]* → ", pexpect.EOF]) == 2:
            break
        screen = ANSI.sub("", child.before + child.after)
        if "in the right order" in screen or "Put the" in screen:
            assert "A. " in screen and "B. " in screen  # the items to order are listed
            child.sendline("A B")  # the letters as shown: never the answer order
            child.expect("(✔ Correct|✘ Not right|◐ Partly right)")
            seen.setdefault("ordering", child.after)
        else:
            assert "A. Supporting" in screen or "A. Concluding" in screen or "A. Acquiring" in screen
            child.sendline("A")
            child.expect("  2\\. [^\r\n]* → ")
            child.sendline("B")
            child.expect("  3\\. [^\r\n]* → ")
            child.sendline("C")
            child.expect("(✔ Correct|✘ Not right|◐ Partly right)")
            seen.setdefault("matching", child.after)
        child.expect("Press Enter to continue")
        child.sendline("")
    child.close()
    assert child.exitstatus == 0
    assert seen["ordering"] == "✘ Not right"  # a two-item ordering is shown reversed: A B is wrong
    assert set(seen) == {"ordering", "matching"}


# -- 3. lists and cloze blanks in a CSV response ----------------------------------------------

def _key(quiz, root, tmp_path, *extra):
    out = tmp_path / "gen"
    result = quiz("generate", root / EXAMPLE, "-n", "8", "--seed", "2", "-o", out, *extra)
    assert result.exit_code == 0, result.output
    return out / "key-v1.yaml"


def test_3_cloze_in_a_csv_takes_the_documented_list_syntax_and_reports_a_malformed_one(quiz, root, tmp_path):
    import json

    key = _key(quiz, root, tmp_path)
    csv_path = tmp_path / "responses.csv"
    csv_path.write_text("student,student_id,example-lawfare-q06,example-lawfare-q02\n"
                        "ann,1,\"discovery, implementation\",\"A, B\"\n"
                        "bob,2,discovery; implementation,A; B\n"
                        "cid,3,discovery,A\n"
                        "dee,4,\"discovery, \",\n", encoding="utf-8")
    result = quiz("grade", key, csv_path, "--json")
    scores = {s["student"]: {q["id"]: q["score"] for q in s["questions"]}
              for s in json.loads(result.stdout)["students"]}
    assert scores["ann"]["example-lawfare-q06"] == 1
    assert scores["bob"]["example-lawfare-q06"] == 1
    assert scores["dee"]["example-lawfare-q06"] == 0.5  # the second blank left empty
    # one answer for two blanks is not read as blank 1 silently: it is reported with its line
    assert result.exit_code == 1
    assert "responses.csv:4: cid: question" in result.stderr and "2 blanks" in result.stderr


# -- 5. "U.S." is also accepted as "US", in the course and in every export --------------------

def test_5_punctuation_inside_a_word_is_folded_the_same_in_the_grader_and_the_exports():
    from quiz import model
    from quiz.exporters.common import accepted_forms

    q = model.Short(id="x", prompt="?", explanation="", passage=model.Passage("q", "c"), objective="o",
                    difficulty=1, answers=("U.S.", "TCP/IP"))
    for typed in ("US", "us", "U.S.", "u.s", "U S", "TCP/IP", "tcpip", "TCP IP"):
        assert q.grade(typed).score == 1, typed
    assert q.grade("UK").score == 0
    forms = [f.casefold() for f in accepted_forms(q.answers)]
    assert "us" in forms and "tcpip" in forms  # what EXPORTS.md promises an LMS accepts


# -- 2. QTI identifiers stay distinct under Canvas's rule -------------------------------------

def canvas_match_id(ident: str) -> int | None:
    """Canvas's QTI converter takes the first run of digits in a response label's identifier
    as its id (documented for its matching questions); None when there is no digit."""
    m = re.search(r"\d+", ident)
    return int(m.group()) if m else None


def test_2_qti_response_labels_get_distinct_ids_under_canvas_rule(root):
    import zipfile
    from io import BytesIO

    from lxml import etree

    from quiz.course.bank import load_bank
    from quiz.exporters import qti
    from quiz.exporters.common import from_banks

    banks = [load_bank(p) for p in sorted((root / "quizzes").glob("*.yaml"))]
    files, _ = qti.render(from_banks(banks))
    data = zipfile.ZipFile(BytesIO(qti.zip_bytes(files)))
    name = next(n for n in data.namelist() if n.endswith(".xml") and "/" in n and "meta" not in n)
    root_el = etree.fromstring(data.read(name))
    ns = {"q": qti.QTI_NS}
    clashes = []
    for item in root_el.iterfind(".//q:item", ns):
        labels = [lab.get("ident") for lab in item.iterfind(".//q:response_label", ns)]
        distinct_labels = sorted(set(labels))
        ids = [canvas_match_id(x) for x in distinct_labels]
        if None in ids or len(set(ids)) != len(ids):
            clashes.append(item.get("title"))
        lids = [lid.get("ident") for lid in item.iterfind(".//q:response_lid", ns)]
        lid_ids = [canvas_match_id(x.removeprefix("response_")) for x in lids]
        if len(lids) > 1 and (None in lid_ids or len(set(lid_ids)) != len(lid_ids)):
            clashes.append(item.get("title") + " (responses)")
    assert not clashes, clashes


# -- 12. a student sheet does not tell how to regenerate its key ------------------------------

def test_12_sheets_carry_no_seed_and_the_key_keeps_it(quiz, root, tmp_path):
    out = tmp_path / "gen"
    result = quiz("generate", root / EXAMPLE, "-n", "8", "--seed", "424242", "--variants", "2", "-o", out)
    assert result.exit_code == 0, result.output
    for name in ("sheet-v1.yaml", "sheet-v1.md", "sheet-v1.html", "sheet-v2.yaml"):
        text = (out / name).read_text(encoding="utf-8")
        assert "424242" not in text and "seed" not in text.casefold(), name
    sheet = yaml.safe_load((out / "sheet-v1.yaml").read_text())
    key = yaml.safe_load((out / "key-v1.yaml").read_text())
    assert key["seed"] == 424242 and key["key"] == sheet["sheet"]  # the key still says how it was made
    # and the filled-in sheet is still graded against its key
    for q in sheet["questions"]:
        q["answer"] = "A"
    sheet["student"] = "ann"
    filled = tmp_path / "ann.yaml"
    filled.write_text(yaml.safe_dump(sheet, allow_unicode=True))
    graded = quiz("grade", out, filled, "--json")
    assert '"refused": null' in graded.stdout


# -- 8. the upper-lower index does not depend on file order; a student counts once ----------

def _filled(out: Path, name: str, student_id: str, right: set[int], tmp_path: Path) -> Path:
    sheet = yaml.safe_load((out / "sheet-v1.yaml").read_text())
    key = yaml.safe_load((out / "key-v1.yaml").read_text())
    answers = {q["number"]: q["answer"] for q in key["questions"]}
    sheet["student"], sheet["student_id"] = name, student_id
    for q in sheet["questions"]:
        q["answer"] = answers[q["number"]] if q["number"] in right else None
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(sheet, allow_unicode=True))
    return path


def test_8_upper_lower_is_the_same_in_any_order_and_duplicates_are_caught(quiz, root, tmp_path):
    import json

    out = _key(quiz, root, tmp_path).parent
    files = [_filled(out, "ann", "1", {1, 2, 3, 4}, tmp_path),  # ann and bob tie at the lower cut
             _filled(out, "bob", "2", {5, 6, 7, 8}, tmp_path),
             _filled(out, "cid", "3", set(range(1, 9)), tmp_path),
             _filled(out, "dee", "4", set(range(1, 9)), tmp_path)]
    analyses = []
    for order in (files, files[::-1], [files[1], files[0], files[3], files[2]]):
        result = quiz("grade", out / "key-v1.yaml", *order, "--json")
        assert result.exit_code == 0, result.output
        analyses.append(json.loads(result.stdout)["analysis"])
    assert analyses[0] == analyses[1] == analyses[2]
    first = analyses[0]["items"][0]
    assert first["upper_lower"] == 0.5  # the tied students share the lower group's one place
    # the same student twice: graded once, with a warning
    again = tmp_path / "ann-again.yaml"
    again.write_text(files[0].read_text())
    result = quiz("grade", out / "key-v1.yaml", *files, again, "--json")
    data = json.loads(result.stdout)
    assert data["analysis"]["students"] == 4
    assert "ann" in result.stderr and "2 times" in result.stderr
    # twice with different answers: neither is graded until the instructor keeps one
    other = _filled(out, "ann", "1", {1}, tmp_path / "x") if (tmp_path / "x").mkdir() is None else None
    result = quiz("grade", out / "key-v1.yaml", *files, other, "--json")
    assert result.exit_code == 2 and "different responses" in result.stderr
    assert json.loads(result.stdout)["analysis"]["students"] == 3


# -- 4. question ids are unique wherever banks are combined -----------------------------------

def _dupe_bank(root: Path, tmp_path: Path) -> Path:
    """A bank of its own (with objectives) whose question ids are the example bank's."""
    data = yaml.safe_load((root / EXAMPLE).read_text())
    data["bank"] = "dupe"
    data["title"] = "A copy"
    data["objectives"] = {q["objective"]: "An objective." for q in data["questions"]}
    data["questions"] = data["questions"][:3]
    path = tmp_path / "dupe.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return path


def _course_copy(root: Path, tmp_path: Path) -> Path:
    import shutil

    course = tmp_path / "course"
    shutil.copytree(root / "sources", course / "sources")
    (course / "quizzes").mkdir(parents=True)
    shutil.copy(root / "quizzes/schema.json", course / "quizzes/schema.json")
    shutil.copytree(root / "quizzes/examples", course / "quizzes/examples")
    shutil.copytree(root / "lessons", course / "lessons")
    return course


def test_4_an_id_used_in_two_banks_is_refused_wherever_they_meet(quiz, root, tmp_path):
    import subprocess

    course = _course_copy(root, tmp_path)
    added = _dupe_bank(root, course / "quizzes")  # a new bank of the course reusing an example's ids
    alone = subprocess.run([QUIZ, "validate", str(added)], capture_output=True, text=True, cwd=course,
                           env=_env(tmp_path, course))
    assert alone.returncode == 1, alone.stdout + alone.stderr
    assert "dupe.yaml:" in alone.stdout and "example-lawfare-q01" in alone.stdout
    assert "example-lawfare.yaml:" in alone.stdout  # where the other one is
    dupe = _dupe_bank(root, tmp_path)
    for args in (["generate", root / EXAMPLE, dupe, "-n", "8", "--seed", "1", "-o", tmp_path / "g"],
                 ["export", root / EXAMPLE, dupe, "--format", "gift", "-o", tmp_path / "e.gift"],
                 ["take", root / EXAMPLE, dupe, "-n", "3", "--seed", "1", "--db", tmp_path / "t.db"]):
        result = quiz(*args)
        assert result.exit_code == 2, (args[0], result.output)
        assert "example-lawfare-q01" in result.output and "unique" in result.output, args[0]
    assert not (tmp_path / "g").exists() and not (tmp_path / "e.gift").exists()


def test_4_a_key_or_response_holding_an_id_twice_is_caught(quiz, root, tmp_path):
    key_path = _key(quiz, root, tmp_path)
    key = yaml.safe_load(key_path.read_text())
    key["questions"][1]["question"] = dict(key["questions"][1]["question"], id=key["questions"][0]["question"]["id"])
    bad_key = tmp_path / "key-bad.yaml"
    bad_key.write_text(yaml.safe_dump(key, allow_unicode=True, sort_keys=False))
    sheet = yaml.safe_load((key_path.parent / "sheet-v1.yaml").read_text())
    result = quiz("grade", bad_key, key_path.parent / "sheet-v1.yaml")
    assert result.exit_code == 2 and "key-bad.yaml:" in result.output and "twice" in result.output
    first = sheet["questions"][0]
    sheet["questions"].append(dict(first, answer="A"))
    sheet["student"] = "ann"
    resp = tmp_path / "ann.yaml"
    resp.write_text(yaml.safe_dump(sheet, allow_unicode=True, sort_keys=False))
    result = quiz("grade", key_path, resp)
    assert result.exit_code == 1 and "appears twice" in result.stderr


# -- 6. Moodle cloze: what Moodle's embedded-answers reader keeps -----------------------------

def _q(cls, **kw):
    from quiz import model

    base = dict(id="seam-q1", prompt="?", explanation="Because.", passage=model.Passage("a quote", "lawfare-01"),
                objective="seam-lo1", difficulty=1)
    return cls(**{**base, **kw})


def test_6_moodle_cloze_blanks_read_back_as_written_with_their_feedback():
    from lxml import etree

    import moodle_reader
    from quiz import model
    from quiz.exporters import moodle
    from quiz.exporters.common import from_questions

    q = _q(model.Cloze, prompt="The stack is {{TCP/IP}}; a set is {{a~b#c}d}}.",
           feedback="Re-read <the> section ~ on {protocols}.", blanks=(("TCP/IP",), ("a~b#c}d",)))
    root = etree.fromstring(moodle.render(from_questions([q]))[0].encode())
    el = root.findall("question")[-1]
    read = moodle_reader.read(el)
    assert read.idnumber is None and el.find("idnumber") is None  # the cloze reader reads none: not written
    first, second = read.blanks
    right = [a for a in first if a.fraction == 1]
    assert right[0].text == "TCP/IP"
    assert moodle_reader.shortanswer_grade("tcp/ip", first).fraction == 1
    assert moodle_reader.shortanswer_grade("a~b#c}d", second).fraction == 1
    catch_all = moodle_reader.shortanswer_grade("something else", first)
    assert catch_all.text == "*" and catch_all.fraction == 0
    assert etree.fromstring(f"<div>{catch_all.feedback}</div>").xpath("string()") == q.feedback


# -- 7. GIFT: a literal * stays literal; ids and tags where Moodle reads them -----------------

# Moodle's GIFT reader (question/format/gift/format.php): escapedchar_pre swaps `\\: \\# \\= \\{
# \\} \\~ \\n` for placeholders, leaving any other backslash in the text; the comment lines
# before a question give its ID number from `[id:…]` and its tags from `[tag:…]`
# (extract_idnumber_and_tags_from_comment: `]` and backslash escaped by a backslash).
GIFT_ID = re.compile(r"\[id:((?:\\.|[^\]\\])+)]")
GIFT_TAG = re.compile(r"\[tag:((?:\\.|[^\]\\])+)]")


def test_7_gift_escapes_the_wildcard_and_writes_moodles_id_and_tag_comments():
    import moodle_reader
    from quiz import model
    from quiz.exporters import gift
    from quiz.exporters.common import from_questions

    q = _q(model.Short, answers=("A*B",), tags=("stars",))
    text = gift.render(from_questions([q]))[0]
    block = text[text.index("// [id:"):]
    comments = "\n".join(line for line in block.splitlines() if line.startswith("//"))
    assert [m.replace("\\]", "]") for m in GIFT_ID.findall(comments)] == ["seam-q1"]
    assert GIFT_TAG.findall(comments) == ["stars", "objective:seam-lo1", "difficulty:1"]
    body = block[block.index("{") + 1 : block.index("####")]
    answers = [line.strip()[1:] for line in body.splitlines() if line.strip().startswith("=")]
    stored = [a.removeprefix("%100%") for a in answers]  # what the GIFT reader leaves of each answer
    assert moodle_reader.shortanswer_grade("A*B", [moodle_reader.Answer(a, 1) for a in stored])
    assert not moodle_reader.shortanswer_grade("AxyzB", [moodle_reader.Answer(a, 1) for a in stored])


# -- 9. a bank passed through Moodle comes back whole -----------------------------------------

def test_9_a_moodle_re_export_of_our_short_answers_imports_every_question(quiz, root, tmp_path):
    """Moodle writes every full-credit answer with fraction="100" and its own header, so the
    punctuation-free forms the export added look like the author's; folding repeats merge."""
    from quiz.course.bank import load_bank

    banks = [p for p in sorted((root / "quizzes").glob("*.yaml"))]
    total = 0
    for path in banks:
        bank = load_bank(path)
        shorts = [q for q in bank.questions if q.type == "short"]
        if not shorts:
            continue
        exported = tmp_path / f"{bank.id}.xml"
        assert quiz("export", path, "--format", "moodle", "-o", exported).exit_code == 0
        text = exported.read_text(encoding="utf-8")
        text = re.sub(r"<!--.*?-->", "", text).replace('fraction="100.0000000"', 'fraction="100"')
        exported.write_text(text, encoding="utf-8")
        out = tmp_path / "back" / f"{bank.id}.yaml"
        out.parent.mkdir(exist_ok=True)
        result = quiz("import", exported, "-o", out, "--chapter", bank.chapter or bank.questions[0].passage.chapter)
        assert result.exit_code == 0, result.output
        back = yaml.safe_load(out.read_text(encoding="utf-8"))
        assert [q["id"] for q in back["questions"]] == [q.id for q in bank.questions], bank.id
        for q in shorts:
            [d] = [d for d in back["questions"] if d["id"] == q.id]
            from quiz import model

            again = model.Short(id=q.id, prompt="", explanation="", passage=q.passage, objective="", difficulty=1,
                                answers=tuple(d["answers"]))
            for a in q.answers:  # every form still scores, and nothing new does
                assert again.grade(a).score == 1
        total += len(shorts)
    assert total > 11


# -- 10. round trips keep the quote's chapter, the bank's title, and trust a returned quote ---

def test_10_round_trip_keeps_cross_chapter_quotes_and_titles(quiz, root, tmp_path):
    from quiz.course.bank import load_bank

    path = root / "quizzes/synthesis.yaml"
    bank = load_bank(path)
    assert len({q.passage.chapter for q in bank.questions}) > 3  # quotes from many chapters
    for fmt, suffix in (("gift", "gift"), ("moodle", "xml")):
        exported = tmp_path / f"synthesis.{suffix}"
        assert quiz("export", path, "--format", fmt, "-o", exported).exit_code == 0
        out = tmp_path / fmt / "synthesis.yaml"
        out.parent.mkdir()
        result = quiz("import", exported, "-o", out)
        assert result.exit_code == 0, result.output
        back = yaml.safe_load(out.read_text(encoding="utf-8"))
        assert back["title"] == bank.title, fmt
        for q, d in zip(bank.questions, back["questions"]):
            listed = d["passage"] if isinstance(d["passage"], list) else [d["passage"]]
            assert [p["quote"] for p in listed] == [p.quote for p in q.passages]
            assert [p.get("chapter", back.get("chapter")) for p in listed] == [p.chapter for p in q.passages], (fmt, q.id)
            assert "needs_passage" not in d
        check = quiz("validate", out)
        problems = [line for line in check.output.splitlines() if ".yaml:" in line and "TODO" not in line]
        assert problems == [], (fmt, problems)


# -- 11. every loss of a Moodle import is a warning; wildcards are refused with a message ------

MOODLE_LOSSES = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="shortanswer">
    <name><text>wall</text></name>
    <questiontext format="html"><text><![CDATA[<p>What is it called? <img src="@@PLUGINFILE@@/wall.png"></p>]]></text></questiontext>
    <generalfeedback format="html"><text>It filters.</text></generalfeedback>
    <defaultgrade>2.0000000</defaultgrade>
    <penalty>0.5000000</penalty>
    <usecase>0</usecase>
    <answer fraction="100" format="moodle_auto_format"><text>Great Firewall</text>
      <feedback format="html"><text>Well done.</text></feedback></answer>
    <answer fraction="100" format="moodle_auto_format"><text>*Great Firewall*</text>
      <feedback format="html"><text></text></feedback></answer>
  </question>
  <question type="shortanswer">
    <name><text>wall2</text></name>
    <questiontext format="html"><text>Name the Great Firewall of what?</text></questiontext>
    <generalfeedback format="html"><text>China.</text></generalfeedback>
    <answer fraction="100" format="moodle_auto_format"><text>Great Firewall of *</text>
      <feedback format="html"><text></text></feedback></answer>
  </question>
</quiz>
"""


def test_11_moodle_import_warns_for_every_loss_and_refuses_wildcards(quiz, tmp_path):
    src = tmp_path / "losses.xml"
    src.write_text(MOODLE_LOSSES, encoding="utf-8")
    out = tmp_path / "losses.yaml"
    result = quiz("import", src, "-o", out, "--chapter", "lawfare-01")
    assert result.exit_code == 0, result.output
    text = result.output
    assert "wall: 1 image(s) dropped" in text
    assert "wall: the question's weight 2 is dropped" in text
    assert "wall: the penalty of 0.5 per wrong try is dropped" in text
    assert "wall: the feedback on the right answer 'Great Firewall' is dropped" in text
    assert "wall: the answer '*Great Firewall*' uses Moodle's wildcard" in text
    assert "wall2: the answer 'Great Firewall of *' uses Moodle's wildcard" in text
    assert "wall2: left out" in text
    back = yaml.safe_load(out.read_text(encoding="utf-8"))
    [wall] = back["questions"]
    assert wall["answers"] == ["Great Firewall"] and "*" not in str(wall)
