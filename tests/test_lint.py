"""`quiz lint`: per-question rules, blind-strategy figures, silencing, exit codes and JSON.

Fixtures in tests/fixtures/lint/: rules.yaml has, per rule, a question that trips it
(`trip-<rule>`) and a near miss that must not (`near-<rule>`); blind.yaml is a small bank
whose figures are computed by hand below; clean.yaml passes every threshold with no warning.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from quiz.course.bank import load_bank
from quiz.course.lint import lint, lint_question
from quiz.course.lint_rules import RULES
from quiz.course.lint_variants import missing_variants
from quiz.course.schemas import schema
from quiz.course.serialize import question_from_dict, question_to_dict

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "lint"
RULES_BANK = FIXTURES / "rules.yaml"
BLIND = FIXTURES / "blind.yaml"
CLEAN = FIXTURES / "clean.yaml"


def _raised(question) -> set[str]:
    warnings, _silenced = lint_question(question)
    return {w.rule for w in warnings}


@pytest.fixture(scope="module")
def rule_questions():
    return {q.id: q for q in load_bank(RULES_BANK).questions}


def test_every_rule_has_a_trip_and_a_near_miss(rule_questions):
    assert {i.removeprefix("trip-") for i in rule_questions if i.startswith("trip-")} >= set(RULES)
    assert {i.removeprefix("near-") for i in rule_questions if i.startswith("near-")} >= set(RULES)


# (rule, fixture suffix): every rule's own pair, and the extra pairs of rules with several triggers
PAIRS = [(r, r) for r in RULES] + [("absolute-distractor", "absolute-distractor-true-false"),
                                   ("grammar-cue", "grammar-cue-number")]


@pytest.mark.parametrize("rule_id, name", PAIRS)
def test_rule_trips_on_its_fixture_and_not_on_the_near_miss(rule_questions, rule_id, name):
    assert rule_id in _raised(rule_questions[f"trip-{name}"])
    assert rule_id not in _raised(rule_questions[f"near-{name}"])


def test_longest_key_also_catches_a_key_more_detailed_than_every_distractor(rule_questions):
    warnings, _ = lint_question(rule_questions["trip-longest-key-detail"])
    messages = [w.message for w in warnings if w.rule == "longest-key"]
    assert messages and "most detailed" in messages[0]


def test_warning_lines_name_file_line_question_and_rule(quiz):
    result = quiz("lint", RULES_BANK)
    assert result.exit_code == 0
    line = next(x for x in result.output.splitlines() if "trip-negative-stem" in x)
    q = next(q for q in load_bank(RULES_BANK).questions if q.id == "trip-negative-stem")
    assert line.startswith(f"{q.file}:{q.line}: trip-negative-stem: negative-stem: ")


# -- blind-strategy figures against a hand computation ------------------------------------------
def test_blind_figures_match_a_hand_computation():
    # blind.yaml, by hand (lengths are characters after folding white space):
    # single  s1 [10,5,5,5] key A: longest alone -> 1;   ratio 10/5 = 2
    #         s2 [6,6,4,4]  key B: tied with A -> 1/2;     ratio 6/(14/3) = 9/7
    #         s3 [8,4,4,4]  key C: not the longest -> 0;   ratio 4/(16/3) = 3/4
    #         s4 [5,5,5]    key A: three-way tie -> 1/3;   ratio 5/5 = 1
    #   longest = (1 + 1/2 + 0 + 1/3) / 4 = 11/24 = 0.4583; chance = (3 * 1/4 + 1/3) / 4 = 13/48 = 0.2708
    #   11/24 > 13/48 + 0.10 = 0.3708: fails. Median ratio of [3/4, 1, 9/7, 2] = (1 + 9/7) / 2 = 8/7 = 1.1429: passes.
    # true/false 3 true, 1 false: 75 %, counts differ by 2: fails.
    # multiple m1 [10,8,3,2] correct A,C, median 5.5, ticks A,B: (1 - 1) / 2 = 0
    #          m2 [6,6,2,9] correct A,B, median 6, ticks A,B,D: (2 - 1) / 2 = 1/2;  mean 1/4: passes (not over 25 %).
    # difficulty 1: s3 t1 t4; 2: s2 s4 t2 m1 m2; 3: s1 t3 -> 2/10 = 20 %: fails.
    # keys: single A s1 s4, B s2, C s3; multiple A m1 m2, B m2, C m1.
    # key lengths [10,6,4,5] median 5.5; distractors [5,5,5,6,4,4,8,4,4,5,5] median 5; strictly longest: s1 only.
    report = lint([BLIND])
    (f,) = report.banks
    assert f.longest_choice == pytest.approx(11 / 24)
    assert f.chance == pytest.approx(13 / 48)
    assert f.length_ratio == pytest.approx(8 / 7)
    assert f.true_false == {"true": 3, "false": 1}
    assert f.multiple_long == pytest.approx(0.25)
    assert f.difficulty == {"1": 3, "2": 5, "3": 2} and f.difficulty3 == pytest.approx(0.2)
    assert f.key_positions == {"single": {"A": 2, "B": 1, "C": 1, "D": 0}, "multiple": {"A": 2, "B": 1, "C": 1, "D": 0}}
    assert f.key_length == {"key_median": 5.5, "distractor_median": 5, "key_longest": 1}
    assert f.failures == ["longest-choice", "true-false-balance", "difficulty-3"]


def test_true_false_balance_passes_when_counts_differ_by_one(write):
    # 2 true, 1 false is 67 % true, outside 40-60 %, but a bank of three cannot do better
    text = (FIXTURES / "clean.yaml").read_text(encoding="utf-8").replace("bank: clean", "bank: tf")
    text += text[text.index("  - id: c4"):text.index("  - id: c5")].replace("id: c4", "id: c6")
    path = write("tf.yaml", text)
    (f,) = lint([path]).banks
    assert f.true_false == {"true": 2, "false": 1}
    assert "true-false-balance" not in f.failures


# -- exit codes --------------------------------------------------------------------------------------
def test_course_lint_runs_and_exits_0_without_strict():
    quiz = Path(sys.executable).parent / "quiz"
    proc = subprocess.run([str(quiz), "lint"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    table = lines[next(i for i, x in enumerate(lines) if x.startswith("bank ")):]
    assert any(x.startswith("course ") for x in table)
    assert all(len(x) <= 100 for x in table)


def test_strict_exits_1_on_a_failed_threshold_and_0_without_strict(quiz):
    assert quiz("lint", BLIND).exit_code == 0
    assert quiz("lint", "--strict", BLIND).exit_code == 1


def test_strict_exits_0_on_a_clean_bank(quiz):
    result = quiz("lint", "--strict", CLEAN)
    assert result.exit_code == 0, result.output


def _clean_plus(write, lint_key: str = "") -> Path:
    """clean.yaml with the hedged-key trip question added, optionally with a `lint` key."""
    rules = RULES_BANK.read_text(encoding="utf-8")
    trip = rules[rules.index("  - id: trip-hedged-key"):rules.index("  - id: near-hedged-key")].rstrip() + "\n"
    text = CLEAN.read_text(encoding="utf-8").replace("bank: clean", "bank: silenced") + trip + lint_key
    return write("silenced.yaml", text)


def test_strict_exits_1_on_an_unsilenced_warning(quiz, write):
    result = quiz("lint", "--strict", _clean_plus(write))
    assert result.exit_code == 1
    assert "trip-hedged-key: hedged-key:" in result.output


def test_a_silenced_rule_with_a_reason_passes_strict(quiz, write):
    path = _clean_plus(write, '    lint: {ignore: [hedged-key], reason: "The report itself hedges here."}\n')
    result = quiz("lint", "--strict", path)
    assert result.exit_code == 0, result.output
    assert "hedged-key:" not in result.output
    report = json.loads(quiz("lint", "--json", path).output)
    assert report["silenced"] == [{"file": str(path), "line": report["silenced"][0]["line"],
                                   "question": "trip-hedged-key", "rule": "hedged-key",
                                   "reason": "The report itself hedges here."}]


@pytest.mark.parametrize("lint_key, complaint", [
    ("    lint: {ignore: [hedged-key]}\n", "'reason' is required"),
    ('    lint: {ignore: [hedged-key], reason: "  "}\n', "reason"),
    ('    lint: {ignore: [no-such-rule], reason: "x"}\n', "no-such-rule"),
])
def test_a_lint_key_without_a_reason_or_with_an_unknown_rule_is_invalid(quiz, write, lint_key, complaint):
    path = _clean_plus(write, lint_key)
    result = quiz("lint", path)
    assert result.exit_code == 2
    assert complaint in result.output and f"{path}:" in result.output
    validated = quiz("validate", path)
    assert validated.exit_code == 1 and complaint in validated.output


def test_unreadable_and_missing_banks_exit_2_with_one_line(quiz, write):
    bad = write("bad.yaml", "bank: [unclosed\n")
    result = quiz("lint", bad)
    assert result.exit_code == 2 and f"{bad}:" in result.output and "Traceback" not in result.output
    assert quiz("lint", bad.parent / "nope.yaml").exit_code == 2


# -- JSON --------------------------------------------------------------------------------------------
def test_json_shape(quiz):
    result = quiz("lint", "--json", BLIND, RULES_BANK)
    data = json.loads(result.output)
    assert set(data) == {"banks", "course", "thresholds", "failures", "warnings", "rule_counts", "silenced",
                         "unused_silences", "errors", "exit_code"}
    figure_keys = {"name", "questions", "single", "longest_choice", "chance", "length_ratio", "true_false",
                   "true_share", "multiple", "multiple_long", "difficulty", "difficulty3", "key_positions",
                   "key_length", "failures"}
    assert [b["name"] for b in data["banks"]] == ["blind", "rules"]
    assert all(set(b) == figure_keys | {"file", "warnings"} for b in data["banks"])
    assert set(data["course"]) == figure_keys
    assert data["course"]["questions"] == sum(b["questions"] for b in data["banks"])
    assert set(data["thresholds"]) == {"longest-choice", "length-ratio", "true-false-balance", "multiple-long",
                                       "difficulty-3"}
    assert "blind: longest-choice" in data["failures"]
    assert all(set(w) == {"file", "line", "question", "rule", "message"} for w in data["warnings"])
    assert set(data["rule_counts"]) == set(RULES)
    assert sum(data["rule_counts"].values()) == len(data["warnings"])
    assert data["exit_code"] == 0 and data["errors"] == []
    assert json.loads(quiz("lint", "--json", "--strict", BLIND).output)["exit_code"] == 1


# -- the lint key in the schema and the model -----------------------------------------------------
def test_schema_lists_exactly_the_rules():
    enum = schema("bank")["$defs"]["question"]["properties"]["lint"]["properties"]["ignore"]["items"]["enum"]
    assert enum == list(RULES)


def test_the_lint_key_round_trips_through_the_model(write):
    path = _clean_plus(write, '    lint: {ignore: [hedged-key, longest-key], reason: "Checked."}\n')
    q = next(q for q in load_bank(path).questions if q.id == "trip-hedged-key")
    assert q.lint_ignore == ("hedged-key", "longest-key") and q.lint_reason == "Checked."
    d = question_to_dict(q)
    assert d["lint"] == {"ignore": ["hedged-key", "longest-key"], "reason": "Checked."}
    again = question_from_dict(d, "silenced")
    assert (again.lint_ignore, again.lint_reason) == (q.lint_ignore, q.lint_reason)


def test_exports_ignore_the_lint_key(quiz, write, tmp_path):
    path = _clean_plus(write, '    lint: {ignore: [hedged-key], reason: "A reason no student sees."}\n')
    for fmt in ("gift", "markdown"):
        out = tmp_path / f"out.{fmt}"
        assert quiz("export", path, "--format", fmt, "-o", out).exit_code == 0
        text = out.read_text(encoding="utf-8")
        assert "may give a firm" in text and "A reason no student sees" not in text


# -- typed variants: suggested only when the grader would refuse them -----------------------------
@pytest.mark.parametrize("accepted, context, expected", [
    (["the Great Firewall"], "", "Great Firewall"),
    (["Cybersecurity Law"], "under the Cybersecurity Law of 2017", "the Cybersecurity Law"),
    (["Zhōngguó zhìzào"], "", "Zhongguo zhizao"),
    (["junmin ronghe"], "the jūnmín rónghé (military-civil fusion)", "jūnmín rónghé"),
    (["CAC"], "the Cyberspace Administration of China (CAC)", "Cyberspace Administration of China"),
    (["Cyberspace Administration of China"], "the Cyberspace Administration of China (CAC)", "CAC"),
    (["law"], "two laws", "laws"),
    (["research & development"], "", "research and development"),
])
def test_missing_variants_suggests_the_forms_the_grader_refuses(accepted, context, expected):
    assert expected in [v for v, _why in missing_variants(accepted, context)]


def test_no_variant_is_suggested_that_the_grader_already_accepts():
    """'U.S.' and 'US' fold to the same answer in the grader, so neither is suggested for the other."""
    for accepted in (["US"], ["U.S."]):
        assert not [v for v, _why in missing_variants(accepted, "") if v in ("U.S.", "US")]


@pytest.mark.parametrize("accepted, context", [
    (["dual-use"], ""),                        # "dual use", "dualuse": folded or a one-letter typo
    (["standard"], "standards"),               # "standards": within the typo allowance
    (["US", "U.S."], ""),
    (["Great Firewall"], "a great firewall"),  # "the" only for a name the text writes with "the"
    (["privacy"], ""),                         # no plural unless the text uses one
    (["junmin ronghe"], "junmin ronghe"),      # the text has no tone marks to suggest
])
def test_missing_variants_stays_quiet_when_the_grader_already_accepts(accepted, context):
    assert missing_variants(accepted, context) == []


def test_an_invalid_bank_among_many_is_reported_with_its_line(quiz, write):
    path = _clean_plus(write, "    lint: {ignore: [hedged-key]}\n")
    result = quiz("lint", CLEAN, path)
    assert result.exit_code == 2
    assert f"{path}:" in result.output and "'reason' is required" in result.output


def test_a_cloze_blank_is_not_offered_an_article_its_sentence_already_has():
    context = "released by the State Informatization Leading Group in 2003"
    assert missing_variants(["State Informatization Leading Group"], context, in_sentence=True) == []
    assert [v for v, _ in missing_variants(["State Informatization Leading Group"], context)] == \
        ["the State Informatization Leading Group"]


@pytest.mark.parametrize("text, vowel", [
    ("apple", True), ("hour", True), ("FBI", True), ("SOE", True), ("X-ray", True), ("uncle", True),
    ("union", False), ("one", False), ("useful", False), ("European", False), ("US firm", False),
    ("U.S. law", False), ("Huawei", False),
])
def test_the_article_check_hears_vowel_sounds(text, vowel):
    from quiz.course.lint_rules import _vowel_sound

    assert _vowel_sound(text) is vowel


def test_a_choice_of_only_white_space_does_not_crash_the_figures(quiz, write):
    text = CLEAN.read_text(encoding="utf-8").replace("bank: clean", "bank: blank")
    text = text.replace('{text: "The ISO", feedback', '{text: " ", feedback').replace(
        '{text: "The IEC", feedback', '{text: "  ", feedback').replace('{text: "The WTO", feedback', '{text: "   ", feedback')
    result = quiz("lint", "--json", write("blank.yaml", text))
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["banks"][0]["single"] == 2


def test_a_silenced_rule_that_does_not_fire_is_noted_but_does_not_fail(quiz, write):
    path = _clean_plus(write, '    lint: {ignore: [hedged-key, grammar-cue], reason: "Checked."}\n')
    result = quiz("lint", "--strict", path)
    assert result.exit_code == 0, result.output
    assert "trip-hedged-key: note: 'grammar-cue' is silenced but does not fire" in result.output
    data = json.loads(quiz("lint", "--json", path).output)
    assert [(u["question"], u["rule"]) for u in data["unused_silences"]] == [("trip-hedged-key", "grammar-cue")]


def test_linting_the_course_takes_well_under_a_second_of_cpu():
    # CPU time, not wall-clock: other work on the machine does not change it
    import time

    lint()  # imports and compiled validators, as in the command's own process
    start = time.process_time()
    report = lint()
    assert report.course.questions >= 400
    assert time.process_time() - start < 1.0


@pytest.mark.parametrize("prompt, fires", [
    ("Which of China's policies does Beijing's plan not include?", True),   # apostrophes are not quotes
    ("Which of China's policies does Beijing's plan NOT include?", False),
    ("Which of these does the chapter **not** list?", False),
    ("Cheung calls the industry 'big but not strong'. Which observation supports it?", False),
    ("Whether or not the claim is genuine, what case does Cory make?", False),
    ("All of the following are pillars EXCEPT which?", False),
    ("All of the following are pillars except which?", True),
])
def test_negative_stem_reads_the_asking_clause(rule_questions, prompt, fires):
    import dataclasses

    q = dataclasses.replace(rule_questions["near-negative-stem"], prompt=prompt)
    assert ("negative-stem" in _raised(q)) is fires
