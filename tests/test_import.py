"""`quiz import` from GIFT and Moodle XML: round trips of every bank (bank → GIFT →
import, bank → Moodle XML → import) keep each question's type, prompt, choices and
answers; instructors' own files (tests/fixtures/export/) convert with warnings for what
changes; imported banks validate except for the `needs_passage` lines."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz import model
from quiz.course.bank import load_bank
from quiz.exporters import gift, moodle
from quiz.exporters.common import from_banks, from_questions
from quiz.importers import import_file
from quiz.course.serialize import question_to_dict

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "quizzes" / "examples").glob("*.yaml"))
FIXTURES = ROOT / "tests" / "fixtures" / "export"
NEEDS_PASSAGE = re.compile(r"^.+\.yaml:\d+: question \S+ needs a passage quote from its chapter")


@lru_cache(maxsize=None)
def loadable(path: Path):
    """Every shipped bank must load: a bank that does not is a failure, not a skip."""
    return load_bank(path)


def course_banks() -> list[Path]:
    return [p for p in sorted((ROOT / "quizzes").glob("*.yaml")) + EXAMPLES ]


def chapter_of(bank: model.Bank) -> str:
    return bank.chapter or bank.questions[0].passage.chapter


KEPT = ("id", "type", "prompt", "choices", "answer", "tolerance", "unit", "answers", "pairs", "items", "feedback",
        "explanation", "objective", "difficulty")


def assert_same_questions(bank: model.Bank, imported: dict, tags: bool) -> None:
    got = imported["questions"]
    assert [q["id"] for q in got] == [q.id for q in bank.questions]
    for q, d in zip(bank.questions, got):
        original = question_to_dict(q)
        for key in KEPT:
            assert d.get(key) == original.get(key), f"{q.id}: {key}"
        back = d["passage"] if isinstance(d["passage"], list) else [d["passage"]]
        assert [p["quote"] for p in back] == [p.quote for p in q.passages], f"{q.id}: the passages come back from the feedback"
        assert [p.get("chapter", imported.get("chapter")) for p in back] == [p.chapter for p in q.passages], \
            f"{q.id}: each quote's chapter"
        assert "needs_passage" not in d, f"{q.id}: its quote came back"
        if tags:
            assert d.get("tags") == original.get("tags"), q.id


def run_import(quiz, source: Path, out: Path, *extra) -> dict:
    result = quiz("import", source, "-o", out, *extra)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"wrote {out}: ")
    return yaml.safe_load(out.read_text(encoding="utf-8"))


PLACEHOLDER = re.compile(r"^.+\.yaml:\d+: \S+: '[\w.]+' is still a placeholder \(TODO:")


def validate_only_needs_passage(quiz, path: Path, n: int) -> None:
    """The validator lists every imported question as needing a quote, and every `TODO:`
    placeholder the import wrote where the source had nothing; nothing else."""
    result = quiz("validate", path)
    lines = result.stdout.splitlines()
    assert result.exit_code == (1 if lines else 0), result.output
    assert sum(1 for line in lines if NEEDS_PASSAGE.match(line)) == n
    for line in lines:
        assert NEEDS_PASSAGE.match(line) or PLACEHOLDER.match(line), line


@pytest.mark.parametrize("fmt,suffix,tags", [("gift", "gift", True), ("moodle", "xml", True)], ids=["gift", "moodle"])
@pytest.mark.parametrize("path", course_banks(), ids=lambda p: p.stem)
def test_round_trip(quiz, tmp_path, path, fmt, suffix, tags):
    """bank -> export -> import keeps every question, its tags, its quote and the quote's chapter."""
    bank = loadable(path)
    exported = tmp_path / f"{bank.id}.{suffix}"
    assert quiz("export", path, "--format", fmt, "-o", exported).exit_code == 0
    out = tmp_path / "rt.yaml"
    imported = run_import(quiz, exported, out, "--chapter", chapter_of(bank))
    assert_same_questions(bank, imported, tags=tags)
    assert imported["title"] == bank.title
    validate_only_needs_passage(quiz, out, 0)  # every quote came back: only TODO objectives are left


def test_round_trip_through_moodle_xml_with_ordering_as_matching(quiz, tmp_path):
    path = ROOT / "quizzes/examples/example-lawfare.yaml"
    exported = tmp_path / "x.xml"
    assert quiz("export", path, "--format", "moodle", "--ordering-as", "matching", "-o", exported).exit_code == 0
    imported = run_import(quiz, exported, tmp_path / "rt.yaml", "--chapter", "lawfare-01")
    assert_same_questions(loadable(path), imported, tags=True)


def _single(prompt, right, wrong, feedback, explanation) -> model.Single:
    return model.Single(id="esc-q1", prompt=prompt, explanation=explanation, passage=model.Passage("x", "lawfare-01"),
                        objective="esc-lo1", difficulty=2, choices=(model.Choice(right, True),
                                                                    model.Choice(wrong, False, feedback)))


texts = st.text(alphabet=st.sampled_from(list("~=#{}:\\<>&\"' |*/%") + list("abXY12")), min_size=1, max_size=20) \
    .map(str.strip).filter(lambda s: any(ch.isalnum() for ch in s))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(prompt=texts, right=texts, wrong=texts, feedback=texts, explanation=texts)
def test_special_characters_survive_both_round_trips(tmp_path, prompt, right, wrong, feedback, explanation):
    q = _single(prompt, "A " + right, "B " + wrong, feedback, explanation)
    src = from_questions([q], title="Escapes")
    for fmt, module in (("gift", gift), ("moodle", moodle)):
        path = tmp_path / f"x.{'gift' if fmt == 'gift' else 'xml'}"
        path.write_text(module.render(src)[0], encoding="utf-8")
        result = import_file(path, tmp_path / "esc.yaml", fmt, chapter="lawfare-01")
        [d] = result.bank["questions"]
        assert (d["prompt"], d["choices"], d["explanation"]) == (
            prompt, [{"text": "A " + right, "correct": True}, {"text": "B " + wrong, "feedback": feedback}],
            explanation), fmt


def test_cloze_short_and_numeric_round_trip_with_special_characters(tmp_path):
    p = model.Passage("x", "lawfare-01")
    common = dict(explanation="e", passage=p, objective="o", difficulty=1)
    questions = [
        model.Cloze(id="c1", prompt="A {{x}y|x:y}} b {{#1}} c.", blanks=(("x}y", "x:y"), ("#1",)), feedback="f~", **common),
        model.Cloze(id="c2", prompt="Ends with a blank {{U.S.|us}}", blanks=(("U.S.", "us"),), **common),
        model.Short(id="s1", prompt="Short = ?", answers=("a*b", "c~d", "e=f"), feedback="no {way}", **common),
        model.Numeric(id="n1", prompt="How many?", answer=-2.5, tolerance=0.25, unit="m/s", **common),
        model.Matching(id="m1", prompt="Match", pairs=(("l{1}", "r#1"), ("l=2", "r:2")), **common),
    ]
    src = from_questions(questions)
    for fmt, module in (("gift", gift), ("moodle", moodle)):
        path = tmp_path / f"x.{'gift' if fmt == 'gift' else 'xml'}"
        path.write_text(module.render(src)[0], encoding="utf-8")
        got = import_file(path, tmp_path / "rt.yaml", fmt, chapter="lawfare-01").bank["questions"]
        for q, d in zip(questions, got):
            original = question_to_dict(q)
            for key in ("type", "prompt", "answers", "answer", "tolerance", "unit", "pairs", "feedback"):
                assert d.get(key) == original.get(key), (fmt, q.id, key)


# -- an instructor's own files ------------------------------------------------------------

def test_an_instructors_gift_bank(quiz, tmp_path):
    out = tmp_path / "week.yaml"
    result = quiz("import", FIXTURES / "instructor.gift", "-o", out, "--chapter", "lawfare-01")
    assert result.exit_code == 0, result.output
    bank = yaml.safe_load(out.read_text(encoding="utf-8"))
    qs = {q["id"]: q for q in bank["questions"]}
    assert bank["bank"] == "week" and bank["source"] == "lawfare" and bank["chapter"] == "lawfare-01"
    assert bank["title"] == "Week 1: Basics"
    assert bank["objectives"] == {"week-lo1": "Imported from category: Week 1: Basics",
                                  "week-lo2": "Imported from category: Week 2"}
    assert qs["capital"]["type"] == "single" and qs["capital"]["objective"] == "week-lo1"
    assert qs["capital"]["choices"][0] == {"text": "Paris", "correct": True, "feedback": "Yes, Paris."}
    assert qs["capital"]["explanation"] == "Paris has been the capital since 987."
    untitled = qs["week-q02"]
    assert untitled["prompt"] == "Who's buried in Grant's tomb?"
    assert [c["text"] for c in untitled["choices"] if c.get("correct")] == ["no one"]
    assert qs["tf1"]["answer"] is False and qs["tf1"]["feedback"] == "No one is buried there."
    assert qs["tf2"]["answer"] is True
    assert qs["short1"] == {**qs["short1"], "type": "cloze", "prompt": "Two plus two equals {{four|4}}."}
    assert qs["short2"]["answers"] == ["Sun Tzu", "Sunzi"] and qs["short2"]["explanation"] == "A classic of strategy."
    assert (qs["num1"]["answer"], qs["num1"]["tolerance"]) == (1822, 5)
    assert (qs["num2"]["answer"], qs["num2"]["tolerance"]) == (3, 2)
    assert qs["num3"]["answer"] == 1822 and "tolerance" not in qs["num3"]
    assert qs["match1"]["pairs"][2] == {"left": "Japan", "right": "Tokyo"}
    assert [c.get("correct", False) for c in qs["multi1"]["choices"]] == [True, True, False]
    assert qs["mw1"]["type"] == "single" and qs["mw1"]["prompt"] == "Moodle costs _____ to download."
    assert qs["esc1"]["prompt"] == "Escapes: 1 = 1, a {brace} and a #hash." and qs["esc1"]["answers"] == ["yes ~ sure", "yes"]
    assert qs["order1"] == {**qs["order1"], "type": "ordering", "items": ["First", "Second", "Third"]}
    assert "essay1" not in qs and "desc1" not in qs
    warned = {line.split(":")[1].strip() for line in result.stderr.splitlines() if line.startswith("warning: ")}
    assert {"essay1", "desc1", "num3", "mw1", "week-q02"} <= warned
    assert "left out" in result.stderr
    validate_only_needs_passage(quiz, out, len(qs))


def test_an_instructors_moodle_xml_bank(quiz, tmp_path):
    out = tmp_path / "unit.yaml"
    result = quiz("import", FIXTURES / "instructor.xml", "-o", out, "--chapter", "nbr-03")
    assert result.exit_code == 0, result.output
    bank = yaml.safe_load(out.read_text(encoding="utf-8"))
    qs = {q["id"]: q for q in bank["questions"]}
    assert bank["title"] == "Unit A" and bank["source"] == "nbr"
    assert set(bank["objectives"]) == {"unit-lo1", "unit-lo2"}
    first = qs["unit-q01"]  # "Capital of France" is not an id: numbered instead
    assert first["prompt"] == "What is the capital of France?"
    assert [c["text"] for c in first["choices"]] == ["Paris", "Lyon", "Marseille & Nice"]
    assert first["choices"][1]["feedback"].startswith("TODO:") and first["choices"][2]["feedback"] == "Both are in the south."
    assert "feedback" not in first, "Moodle's default combined feedback is not the author's"
    assert qs["primary-colours"]["tags"] == ["colours"] and qs["primary-colours"]["type"] == "multiple"
    assert qs["tf-sun"]["answer"] is False and qs["tf-sun"]["feedback"] == "No: east."
    assert qs["sunzi"]["answers"] == ["Sun Tzu", "Sunzi"] and qs["sunzi"]["feedback"] == "Think of ancient China."
    assert qs["sunzi"]["prompt"] == "Who wrote The Art of War?"
    assert (qs["grant-born"]["answer"], qs["grant-born"]["tolerance"], qs["grant-born"]["unit"]) == (1822, 2, "AD")
    assert qs["capitals"]["pairs"] == [{"left": "Canada", "right": "Ottawa"}, {"left": "Italy", "right": "Rome"}]
    assert qs["cloze-mixed"]["prompt"] == ("Canberra is the capital of {{Australia|Commonwealth of Australia}}, "
                                           "founded in {{1913}}, and is {{planned}}.")
    assert qs["cloze-mixed"]["feedback"] == "Look south."
    assert qs["gaps"]["prompt"] == "The {{cat}} sat on the {{mat}}."
    assert qs["order-plan"]["items"] == ["Plan", "Do", "Check"]
    assert "essay" not in qs and "intro" not in qs
    for qid in ("sunzi", "grant-born", "capitals", "cloze-mixed", "gaps", "order-plan", "essay", "intro"):
        assert f"warning: {qid}: " in result.stderr
    validate_only_needs_passage(quiz, out, len(qs))


def test_the_chapter_defaults_to_the_one_with_the_banks_id(quiz, tmp_path):
    out = tmp_path / "lawfare-01.yaml"
    bank = run_import(quiz, FIXTURES / "instructor.gift", out)
    assert (bank["source"], bank["chapter"]) == ("lawfare", "lawfare-01")
    other = run_import(quiz, FIXTURES / "instructor.gift", tmp_path / "mine.yaml")
    assert other["source"] == "all" and "chapter" not in other
    assert "pass --chapter" in quiz("import", FIXTURES / "instructor.gift", "-o", tmp_path / "m2.yaml").stderr


def test_objectives_of_the_lesson_are_not_replaced(tmp_path):
    """Exported objective ids come back; a lesson beside the bank defines their text."""
    src = ROOT / "quizzes/examples/example-lawfare.yaml"
    gift_file = tmp_path / "x.gift"
    gift_file.write_text(gift.render(from_banks([loadable(src)]))[0], encoding="utf-8")
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    lesson = ROOT / "lessons" / "examples" / "example-lawfare.md"
    (lessons / "example-lawfare.md").write_text(lesson.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "quizzes").mkdir()
    result = import_file(gift_file, tmp_path / "quizzes" / "example-lawfare.yaml", "gift")
    assert "objectives" not in result.bank
    alone = import_file(gift_file, tmp_path / "other.yaml", "gift")
    assert set(alone.bank["objectives"]) == {q.objective for q in loadable(src).questions}


# -- bad input ------------------------------------------------------------------------------

@pytest.mark.parametrize("name, content, message", [
    ("bad.xml", b"<quiz><question type='truefalse'>", "not well-formed XML"),
    ("bad.xml", b"<?xml version='1.0'?><html><body/></html>", "the root element is <html>, not <quiz>"),
    ("empty.xml", b"<quiz></quiz>", "no questions found"),
    ("bad.gift", b"\x00\x01\x02binary", "binary"),
    ("latin.gift", "::t::Caf\u00e9 ? {T}".encode("latin-1"), "not UTF-8"),
    ("none.gift", b"// only a comment\n", "no questions found"),
    ("bank.csv", b"a,b\n", "pass --format gift"),
])
def test_unreadable_input_exits_2_with_a_message(quiz, write, tmp_path, name, content, message):
    path = write(name, content)
    result = quiz("import", path, "-o", tmp_path / "out.yaml")
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "out.yaml").exists()


def test_xml_entities_are_not_expanded(quiz, write, tmp_path):
    secret = write("secret.txt", "TOP-SECRET-CONTENT")
    path = write("xxe.xml", f"""<?xml version="1.0"?>
        <!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file://{secret}">]>
        <quiz><question type="truefalse"><name><text>t1</text></name>
        <questiontext format="html"><text>Read &xxe; now</text></questiontext>
        <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
        </question></quiz>""")
    result = quiz("import", path, "-o", tmp_path / "out.yaml")
    assert result.exit_code == 0, result.output
    assert "TOP-SECRET" not in (tmp_path / "out.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("out, message", [("Bad Name.yaml", "name the bank file"), ("bank.yml", "name the bank file")])
def test_the_output_must_be_named_as_a_bank(quiz, tmp_path, out, message):
    result = quiz("import", FIXTURES / "instructor.gift", "-o", tmp_path / out)
    assert result.exit_code == 2 and message in result.stderr


def test_an_existing_bank_is_not_overwritten_without_force(quiz, tmp_path):
    out = tmp_path / "mine.yaml"
    out.write_text("keep me", encoding="utf-8")
    result = quiz("import", FIXTURES / "instructor.gift", "-o", out)
    assert result.exit_code == 2 and "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    assert quiz("import", FIXTURES / "instructor.gift", "-o", out, "--force").exit_code == 0


def test_an_unknown_chapter_is_refused(quiz, tmp_path):
    result = quiz("import", FIXTURES / "instructor.gift", "-o", tmp_path / "x.yaml", "--chapter", "nope-9")
    assert result.exit_code == 2 and "no chapter 'nope-9'" in result.stderr


def test_a_choice_question_without_a_right_choice_is_left_out_with_a_warning(quiz, write, tmp_path):
    path = write("none.xml", """<quiz><question type="multichoice"><name><text>q1</text></name>
        <questiontext format="html"><text>Which?</text></questiontext><single>true</single>
        <answer fraction="0"><text>a</text></answer><answer fraction="0"><text>b</text></answer></question>
        <question type="truefalse"><name><text>q2</text></name><questiontext format="html"><text>Yes?</text></questiontext>
        <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question></quiz>""")
    result = quiz("import", path, "-o", tmp_path / "out.yaml")
    assert result.exit_code == 0
    assert "warning: q1: left out: a single-choice question has exactly one correct choice" in result.stderr
    assert [q["id"] for q in yaml.safe_load((tmp_path / "out.yaml").read_text(encoding="utf-8"))["questions"]] == ["q2"]
    assert "1 left out" in result.stdout
