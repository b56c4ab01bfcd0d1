"""Every rule of `quiz validate`, each with a failing case and the passing case next to it.

Each failing case asserts the exact line the message points at, so a message that names
the wrong line fails the test.
"""
from __future__ import annotations

import json

import pytest

QUOTE = "Technological innovation plays a key role in power transitions on the geopolitical stage."
HEAD = """\
bank: {name}
title: Rules
source: lawfare
chapter: {chapter}
objectives:
  lo1: An objective.
questions:
"""
COMMON = f"""\
    explanation: Because the essay says so.
    passage:
      quote: "{QUOTE}"
    objective: lo1
    difficulty: 2
"""


def bank(name: str, question: str, chapter: str = "lawfare-01") -> str:
    return HEAD.format(name=name, chapter=chapter) + question + COMMON


SINGLE = """\
  - id: r-q1
    type: single
    prompt: Which?
    choices:
      - {text: Alpha, correct: true}
      - {text: Beta, feedback: Not beta.}
"""

# (rule, failing question, line of the message, words of the message, passing question)
CASES = [
    ("single with no correct choice",
     SINGLE.replace("correct: true", "correct: false"), 11, "exactly one correct choice", SINGLE),
    ("single with two correct choices",
     SINGLE.replace("{text: Beta, feedback: Not beta.}", "{text: Beta, correct: true}"), 11, "exactly one correct choice", SINGLE),
    ("duplicate choices",
     SINGLE + "      - {text: alpha, feedback: Again.}\n", 14, "duplicate choice", SINGLE),
    ("wrong choice without feedback",
     SINGLE.replace("{text: Beta, feedback: Not beta.}", "{text: Beta}"), 13, "needs 'feedback'", SINGLE),
    ("unknown type",
     SINGLE.replace("type: single", "type: poem"), 9, "'poem' is not one of", SINGLE),
    ("true_false answer not a boolean",
     "  - id: r-q1\n    type: true_false\n    prompt: P\n    answer: \"yes\"\n    feedback: F\n", 11, "not of type 'boolean'",
     "  - id: r-q1\n    type: true_false\n    prompt: P\n    answer: true\n    feedback: F\n"),
    ("numeric answer not a number",
     "  - id: r-q1\n    type: numeric\n    prompt: P\n    answer: twelve\n", 11, "not of type 'number'",
     "  - id: r-q1\n    type: numeric\n    prompt: P\n    answer: 12\n"),
    ("negative tolerance",
     "  - id: r-q1\n    type: numeric\n    prompt: P\n    answer: 12\n    tolerance: -1\n", 12, "less than the minimum of 0",
     "  - id: r-q1\n    type: numeric\n    prompt: P\n    answer: 12\n    tolerance: 1\n"),
    ("cloze without blanks",
     "  - id: r-q1\n    type: cloze\n    prompt: No blanks here.\n", 10, "at least one blank",
     "  - id: r-q1\n    type: cloze\n    prompt: A {{blank}} here.\n"),
    ("duplicate matching items",
     "  - id: r-q1\n    type: matching\n    prompt: P\n    pairs:\n      - {left: A, right: x}\n      - {left: A, right: y}\n",
     13, "duplicate left item",
     "  - id: r-q1\n    type: matching\n    prompt: P\n    pairs:\n      - {left: A, right: x}\n      - {left: B, right: y}\n"),
    ("fewer than two items to order",
     "  - id: r-q1\n    type: ordering\n    prompt: P\n    items: [only]\n", 11, "at least 2 items",
     "  - id: r-q1\n    type: ordering\n    prompt: P\n    items: [first, second]\n"),
    ("duplicate ordering items",
     "  - id: r-q1\n    type: ordering\n    prompt: P\n    items: [same, same]\n", 11, "duplicate item",
     "  - id: r-q1\n    type: ordering\n    prompt: P\n    items: [same, other]\n"),
    ("answer data of another type",
     SINGLE + "    answer: true\n", 14, "'answer' does not belong", SINGLE),
    ("missing required field",
     SINGLE.replace("    prompt: Which?\n", ""), 8, "'prompt' is required", SINGLE),
    ("duplicate key in a mapping",
     SINGLE + "    difficulty: 5\n", 19, "duplicate key 'difficulty'", SINGLE),
    ("duplicate question ids in one bank",
     SINGLE + COMMON + SINGLE.replace("Alpha", "Gamma"), 19, "duplicate question id 'r-q1'", SINGLE + COMMON + SINGLE.replace("r-q1", "r-q2")),
]


@pytest.mark.parametrize("rule,bad,line,words,good", CASES, ids=[c[0] for c in CASES])
def test_rule(quiz, write, rule, bad, line, words, good):
    path = write("quizzes/r.yaml", bank("r", bad))
    result = quiz("validate", path, "--json")
    assert result.exit_code == 1, result.output
    errors = json.loads(result.stdout)["errors"]
    hits = [e for e in errors if words in e["message"]]
    assert hits, errors
    assert hits[0]["line"] == line and hits[0]["file"].endswith("r.yaml"), hits
    fixed = write("quizzes/r.yaml", bank("r", good))
    result = quiz("validate", fixed)
    assert result.exit_code == 0, result.output


def test_difficulty_range(quiz, write):
    bad = bank("r", SINGLE).replace("difficulty: 2", "difficulty: 4")
    result = quiz("validate", write("quizzes/r.yaml", bad))
    assert result.exit_code == 1
    assert "r.yaml:18: questions[1].difficulty: 4 is greater than the maximum of 3" in result.output


def test_quote_not_found_prints_the_closest_passage(quiz, write):
    bad = bank("r", SINGLE).replace("power transitions", "power transition")
    result = quiz("validate", write("quizzes/r.yaml", bad))
    assert result.exit_code == 1
    line = next(li for li in result.output.splitlines() if "not found verbatim" in li)
    assert ":16: r-q1: quote not found verbatim in lawfare-01" in line
    assert "lawfare.txt:9" in line and "Technological innovation plays a key role" in line
    good = bank("r", SINGLE).replace("power transitions on", "power  transitions\n        on")
    assert quiz("validate", write("quizzes/r.yaml", good)).exit_code == 0  # white space folds


def test_quote_with_curly_quotes_and_dashes_folds(quiz, write):
    q = 'the possible emergence of a global \\"splinternet\\"-that is, the fragmentation'
    text = bank("r", SINGLE).replace(QUOTE, q)
    assert quiz("validate", write("quizzes/r.yaml", text)).exit_code == 0


def test_chapter_not_in_manifest(quiz, write):
    result = quiz("validate", write("quizzes/r.yaml", bank("r", SINGLE, chapter="lawfare-09")))
    assert result.exit_code == 1
    assert "r.yaml:4: chapter 'lawfare-09' is not in sources/manifest.yaml" in result.output
    assert quiz("validate", write("quizzes/r.yaml", bank("r", SINGLE))).exit_code == 0


def test_passage_chapter_override_must_exist(quiz, write):
    text = bank("r", SINGLE).replace(f'      quote: "{QUOTE}"', f'      quote: "{QUOTE}"\n      chapter: cpc-07')
    result = quiz("validate", write("quizzes/r.yaml", text))
    assert "passage chapter 'cpc-07' is not in sources/manifest.yaml" in result.output


def test_objective_not_defined(quiz, write):
    text = bank("r", SINGLE).replace("objective: lo1", "objective: lo9")
    result = quiz("validate", write("quizzes/r.yaml", text))
    assert result.exit_code == 1
    assert "r.yaml:17: objective 'lo9' is not defined" in result.output


def test_objectives_come_from_the_lesson(quiz, write, root):
    """A bank beside a lessons/ directory takes its objectives from the lesson of the same id."""
    lesson = (root / "lessons/examples/example-lawfare.md").read_text(encoding="utf-8")
    write("course/lessons/r.md", lesson.replace("lesson: example-lawfare", "lesson: r"))
    text = bank("r", SINGLE).replace("objectives:\n  lo1: An objective.\n", "")
    good = write("course/quizzes/r.yaml", text.replace("objective: lo1", "objective: example-lawfare-lo2"))
    assert quiz("validate", good).exit_code == 0
    bad = write("course/quizzes/r.yaml", text)
    result = quiz("validate", bad)
    assert "objective 'lo1' is not defined by lesson" in result.output and "r.md" in result.output


def test_duplicate_ids_across_banks(quiz, write):
    a = write("quizzes/a.yaml", bank("a", SINGLE))
    b = write("quizzes/b.yaml", bank("b", SINGLE))
    result = quiz("validate", a, b)
    assert result.exit_code == 1
    assert "b.yaml:8: question id 'r-q1' is also used at" in result.output and "a.yaml:8" in result.output
    b = write("quizzes/b.yaml", bank("b", SINGLE.replace("r-q1", "r-q2")))
    assert quiz("validate", a, b).exit_code == 0


def test_bank_id_must_match_file_name(quiz, write):
    result = quiz("validate", write("quizzes/other.yaml", bank("r", SINGLE)))
    assert "other.yaml:1: the bank id 'r' differs from the file name 'other'" in result.output


def test_yaml_syntax_error_points_at_the_line(quiz, write):
    text = bank("r", SINGLE).replace("    prompt: Which?", "    prompt: [Which?")
    result = quiz("validate", write("quizzes/r.yaml", text))
    assert result.exit_code == 2
    assert "r.yaml:" in result.output and "not valid YAML" in result.output
    line = int(result.output.split("r.yaml:")[1].split(":")[0])
    assert 10 <= line <= 12


def test_json_output_shape(quiz, write):
    result = quiz("validate", write("quizzes/r.yaml", bank("r", SINGLE)), "--json")
    data = json.loads(result.stdout)
    assert data == {"banks": 1, "lessons": 0, "questions": 1, "errors": []}


def test_missing_path_is_exit_2(quiz, tmp_path):
    result = quiz("validate", tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert "nope.yaml:0: no such file or directory" in result.output


def test_documented_examples_validate_and_use_all_eight_types(quiz, root):
    result = quiz("validate", root / "quizzes/examples", root / "lessons/examples", "--json")
    report = json.loads(result.stdout)
    assert result.exit_code == 0 and report["errors"] == []
    assert report["banks"] == 2 and report["lessons"] == 1
    listed = json.loads(quiz("list", *sorted((root / "quizzes/examples").glob("*.yaml")), "--json").stdout)
    types = set().union(*(row["types"] for row in listed))
    assert types == {"single", "multiple", "true_false", "short", "numeric", "cloze", "matching", "ordering"}


def test_import_placeholders_are_reported(quiz, write):
    text = bank("r", SINGLE).replace("explanation: Because the essay says so.", "explanation: \"TODO: explain why\"")
    result = quiz("validate", write("quizzes/r.yaml", text))
    assert result.exit_code == 1
    assert "r.yaml:14: r-q1: 'explanation' is still a placeholder (TODO: explain why…); write it" in result.output


def test_a_directory_of_banks_leaves_its_documentation_alone(quiz, root):
    """`quiz validate quizzes/` takes the banks there, not EXPORTS.md or README.md as lessons."""
    result = quiz("validate", root / "quizzes")
    assert result.exit_code == 0, result.output
    assert "EXPORTS.md" not in result.output


def test_markdown_with_front_matter_in_a_directory_is_still_a_lesson(quiz, write, tmp_path):
    write("mixed/notes.md", "# Notes\n\nNot a lesson.\n")
    bad = write("mixed/x.md", "---\nlesson: x\n---\nbody\n")
    result = quiz("validate", tmp_path / "mixed")
    assert result.exit_code in (1, 2)
    assert str(bad) in result.output and "notes.md" not in result.output


NBR_QUOTE = "Standards have not historically been considered sites for nation-state competition."
BASC_QUOTE = "Another key point in Xi’s speech was that China wanted the global Internet governance system"
TWO_PASSAGES = """\
bank: two
title: Two passages
source: all
objectives:
  lo1: Compare two reports.
questions:
  - id: two-q1
    type: true_false
    prompt: Both passages concern who sets the rules.
    answer: true
    feedback: Read both passages.
    explanation: Both do.
    passage:
      - quote: "{first}"
        chapter: nbr-03
      - quote: "{second}"
        chapter: basc-02
    objective: lo1
    difficulty: 3
"""


def test_a_question_may_quote_several_passages_and_each_is_checked(quiz, write):
    good = write("two.yaml", TWO_PASSAGES.format(first=NBR_QUOTE, second=BASC_QUOTE))
    assert quiz("validate", good).exit_code == 0
    bad = write("bad/two.yaml", TWO_PASSAGES.format(first=NBR_QUOTE, second="Words that basc-02 never uses"))
    result = quiz("validate", bad)
    assert result.exit_code == 1
    assert f"{bad}:16: two-q1: quote not found verbatim in basc-02" in result.output  # the second quote's line


def test_several_passages_reach_the_model_and_round_trip(write):
    from quiz.course.bank import load_bank
    from quiz.course.serialize import question_from_dict, question_to_dict

    q = load_bank(write("two.yaml", TWO_PASSAGES.format(first=NBR_QUOTE, second=BASC_QUOTE))).questions[0]
    assert [p.chapter for p in q.passages] == ["nbr-03", "basc-02"]
    assert q.passage.chapter == "nbr-03"
    d = question_to_dict(q)
    assert [p["chapter"] for p in d["passage"]] == ["nbr-03", "basc-02"]
    again = question_from_dict(d, q.bank)
    assert again.passages == q.passages
