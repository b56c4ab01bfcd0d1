"""The lesson rules of `quiz validate`, each failing case beside the passing example."""
from __future__ import annotations

import json

import pytest

BASE_PATH = "lessons/examples/example-lawfare.md"


@pytest.fixture
def base(root) -> str:
    return (root / BASE_PATH).read_text(encoding="utf-8")


def run(quiz, write, text):
    path = write("lessons/example-lawfare.md", text)
    result = quiz("validate", path, "--json")
    return result.exit_code, json.loads(result.stdout)["errors"]


def test_the_example_lesson_is_valid(quiz, write, base):
    assert run(quiz, write, base) == (0, [])


CASES = [
    ("excerpt start not found",
     lambda t: t.replace('start: "Technological innovation plays a key role"', 'start: "Technological innovation plays the key role"'),
     "the start words is not found verbatim in lawfare-01; closest", 26),
    ("excerpt end not found",
     lambda t: t.replace('end: "a combination of making, transacting and taking."', 'end: "making, taking and transacting."'),
     "the end words (after the start) is not found verbatim", 26),
    ("excerpt start not unique",
     lambda t: t.replace('start: "Technological innovation plays a key role"', 'start: "China"'),
     "the start words occur", 26),
    ("excerpt too long",
     lambda t: t.replace('end: "a combination of making, transacting and taking."', 'end: "intellectual property from foreign governments and competitors."'),
     "words; an excerpt has 40–250", 26),
    ("exact quote not found",
     lambda t: t.replace('start: "Technological innovation plays a key role"\n    end: "a combination of making, transacting and taking."',
                         'quote: "Technological innovation plays no role at all."'),
     "the quote is not found verbatim", 26),
    ("too few objectives",
     lambda t: t.split("  - id: example-lawfare-lo2")[0] + "key_terms:" + t.split("key_terms:")[1],
     "1 objectives; a lesson has 3–5", 7),
    ("too few key terms",
     lambda t: t.replace('  - term: "Data localization"', '  - term: "Data localization"\n    definition: x\n  - term: "Data localization"'),
     "is defined twice", 21),
    ("unknown chapter",
     lambda t: t.replace("chapter: lawfare-01", "chapter: lawfare-02"),
     "unknown chapter 'lawfare-02'", 5),
    ("excerpt never placed",
     lambda t: t.replace("```{excerpt} example-lawfare-x4\n```\n", ""),
     "excerpt 'example-lawfare-x4' is never placed", 35),
    ("excerpt placed but undefined",
     lambda t: t.replace("```{excerpt} example-lawfare-x4", "```{excerpt} example-lawfare-x9"),
     "excerpt 'example-lawfare-x9' is not defined", 70),
    ("excerpt without commentary",
     lambda t: t.replace("The final section ties the technology story back to security. The authors present\n"
                         "military-civilian fusion as continuous with China's long practice of industrial policy,\n"
                         "while stressing that its consequences are now both economic and military.\n", ""),
     "needs commentary", 70),
    ("exercise without solution",
     lambda t: t.replace("````{solution} example-lawfare-e4", "````{solution} example-lawfare-e9"),
     "solution for 'example-lawfare-e9'", 134),
    ("missing discussion section",
     lambda t: t.split("## Discussion")[0],
     "no '## Discussion' section", 39),
    ("an H1 in the body",
     lambda t: t.replace("## Overview", "# Overview"),
     "no '# ' heading in the body", 40),
    ("too few discussion prompts",
     lambda t: t.split("2. Is \"cyber")[0],
     "1 discussion prompts", 142),
    ("missing key points",
     lambda t: t.split("## Key points")[0],
     "no '## Key points' section", 39),
    ("too many key points",
     lambda t: t + "- A fourth point.\n- A fifth point.\n- A sixth point.\n",
     "6 key points; a lesson closes with 3", 148),
    ("a link to a lesson that does not exist",
     lambda t: t.replace("{lesson}`basc-01`", "{lesson}`basc-09`"),
     "{lesson}`basc-09`: no lesson has this id", 151),
    ("a link to an excerpt that does not exist",
     lambda t: t.replace("{lesson}`basc-01`", "{excerpt}`nbr-03-x99`"),
     "{excerpt}`nbr-03-x99`: no lesson defines this excerpt id", 151),
    ("a reference in a key term's definition",
     lambda t: t.replace('    definition: "', '    definition: "See {lesson}`basc-01`. ', 1),
     "{lesson}`basc-01` in the front matter", 15),
    ("a link to a term that no lesson defines",
     lambda t: t.replace("{lesson}`basc-01`", "{term}`Flux capacitor`"),
     "{term}`Flux capacitor`: not a key term of any lesson", 151),
]


@pytest.mark.parametrize("name,mutate,words,line", CASES, ids=[c[0] for c in CASES])
def test_lesson_rule(quiz, write, base, name, mutate, words, line):
    text = mutate(base)
    assert text != base
    code, errors = run(quiz, write, text)
    assert code == 1
    hits = [e for e in errors if words in e["message"]]
    assert hits, errors
    assert hits[0]["line"] == line, hits


def test_a_wrapped_line_that_starts_with_a_number_is_not_another_point(quiz, write, base):
    """'  2012) rest on …' continues a key point; counted as a seventh item it was refused."""
    text = base.replace("- The same policy can serve more than one of the four strategies.",
                        "- The same policy can serve more than one of the four strategies (the essay's\n"
                        "  2012) dating is its own.\n- A fourth point.\n- A fifth point.")
    assert text != base
    code, errors = run(quiz, write, text)
    assert code == 0, errors
