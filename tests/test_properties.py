"""Property-based tests (hypothesis) of the loader, the grader and item analysis.

- the loader: any text either loads or is refused with an InputError naming a line; any
  plain data written as YAML loads back equal, with a line for every value; the fast
  schema check never lets through what jsonschema refuses;
- grading: random responses of random shapes, for every question of every bank and in
  any shown order, never raise, score within [0, max], and grade the same twice; the
  documented correct response always gets full credit;
- item analysis: for random classes, facility in [0, 1], discrimination and the
  upper-lower difference in [-1, 1] or None, KR-20 and alpha finite or None.
"""
from __future__ import annotations

import copy
import math
import random
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from quiz import model
from quiz.course.bank import check_bank, load_bank
from quiz.errors import InputError
from quiz.course.selection import shuffled_order
from quiz.course.safeyaml import load_yaml
from quiz.course.schemas import is_valid_fast, validator
from quiz.course.sheets import KeyItem

ROOT = Path(__file__).resolve().parents[1]
BANK_FILES = sorted((ROOT / "quizzes").glob("*.yaml")) + sorted((ROOT / "quizzes" / "examples").glob("*.yaml"))
PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@lru_cache(maxsize=None)
def all_questions() -> tuple[model.Question, ...]:
    return tuple(q for f in BANK_FILES for q in load_bank(f).questions)


@lru_cache(maxsize=None)
def raw_questions() -> tuple[dict, ...]:
    return tuple(q for f in BANK_FILES for q in yaml.safe_load(f.read_text(encoding="utf-8"))["questions"])


def test_every_type_is_covered():
    assert {q.type for q in all_questions()} == set(model.TYPES)


# -- the loader -----------------------------------------------------------------------

YAML_BITS = st.sampled_from([
    "bank: x\n", "questions:\n", "  - id: q\n", "    type: single\n", "- ", ": ", "? ", "&a ", "*a ", "!!str ",
    "!!python/object:os.system ", "!x ", "<<: *a\n", "[", "]", "{", "}", ",", '"', "'", "\\", "|\n", ">-\n", "#",
    "---\n", "...\n", "%YAML 1.1\n", "\t", "\n", "  ", "~", "null", "true", "1e999", ".nan", "0x1F", "2020-01-01",
    "\u2028", "\x85", "\ufeff", "é", "\x07", "\x00",
])
YAMLISH = st.lists(st.one_of(YAML_BITS, st.text(max_size=8)), max_size=40).map("".join)


def _load(text: str):
    """load_yaml on a real file (read_text checks included) or InputError."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "b.yaml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            return load_yaml(path)
        except InputError as exc:
            assert exc.problem.line >= 0 and exc.problem.message and "\n" not in str(exc.problem)
            return exc


@PROPS
@given(YAMLISH)
def test_loader_loads_or_refuses_any_text(text):
    got = _load(text)
    if not isinstance(got, InputError):
        assert all(isinstance(v, int) and v >= 1 for v in got.lines.values())
        assert got.line_of(("no", "such", "path")) >= 1


@PROPS
@given(YAMLISH)
def test_bank_check_never_crashes_on_any_text(text):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "b.yaml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            checked = check_bank(path)
        except InputError:
            return
        assert checked.bank is None or isinstance(checked.bank, model.Bank)
        assert all(p.line >= 0 and "\n" not in str(p) for p in checked.problems)


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**12, max_value=10**12),
                    st.floats(allow_nan=False, allow_infinity=True), st.text(max_size=20))
KEYS = st.one_of(st.text(max_size=10), st.integers(min_value=-1000, max_value=1000))
DATA = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                     st.dictionaries(KEYS, inner, max_size=5)), max_leaves=30)


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, path + (i,))


@PROPS
@given(DATA, st.booleans(), st.booleans())
def test_plain_data_loads_as_pyyaml_loads_it_with_a_line_for_every_value(data, flow, unicode):
    """Same values as PyYAML's own safe loader (the reference; it does not round-trip a
    few control characters such as NEL either), and a line recorded for every value."""
    text = yaml.safe_dump(data, allow_unicode=unicode, default_flow_style=flow)
    got = _load(text)
    assume(not isinstance(got, InputError) or "is empty" not in got.problem.message)
    assert not isinstance(got, InputError), got
    expected = yaml.load(text, Loader=yaml.CSafeLoader)
    assert got.data == expected
    for path in _paths(expected):
        assert path in got.lines, path


MUTANT_VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3), st.dictionaries(KEYS, SCALARS, max_size=3),
                          st.sampled_from(["single", "multiple", "true_false", "numeric", "short", "cloze", "matching",
                                           "ordering", "", "A", [{"text": "x", "correct": True}], {"left": 1, "right": 2}]))


@st.composite
def mutated_bank(draw):
    questions = [copy.deepcopy(q) for q in draw(st.lists(st.sampled_from(raw_questions()), min_size=1, max_size=3))]
    bank = {"bank": "x", "title": "t", "source": "lawfare", "chapter": "lawfare-01", "questions": questions}
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(bank) if p]
        path = draw(st.sampled_from(paths))
        parent = bank
        for k in path[:-1]:
            parent = parent[k]
        action = draw(st.sampled_from(["set", "delete", "add"]))
        if action == "set":
            parent[path[-1]] = copy.deepcopy(draw(MUTANT_VALUES))  # a later mutation must not change the constant
        elif action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["answer", "answers", "choices", "pairs", "items", "unit", "tolerance",
                                         "points", "extra", 1]))] = copy.deepcopy(draw(MUTANT_VALUES))
    return bank


@PROPS
@given(mutated_bank())
def test_fast_schema_check_never_accepts_what_jsonschema_refuses(bank):
    if is_valid_fast(bank, "bank"):
        assert not list(validator("bank").iter_errors(bank))


# -- grading ----------------------------------------------------------------------------

ATOMS = st.one_of(st.none(), st.booleans(), st.integers(min_value=-5, max_value=3000),
                  st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
                  st.sampled_from(list("ABCDEFGHIZ") + ["a, c", "A C", "1", "0", "-1", "9", "true", "f", "yes", "1,000",
                                                        "802", "802 million", "12%", "1e400", "nan", "{{x}}", "|", ""]))
RESPONSES = st.recursive(ATOMS, lambda inner: st.one_of(st.lists(inner, max_size=6),
                                                        st.dictionaries(st.one_of(st.text(max_size=8), st.integers(0, 9)),
                                                                        inner, max_size=4)), max_leaves=12)


@st.composite
def question_and_response(draw):
    q = draw(st.sampled_from(all_questions()))
    texts = (q.texts if isinstance(q, model.ChoiceQuestion) else q.rights if isinstance(q, model.Matching)
             else list(q.items) if isinstance(q, model.Ordering) else [])
    lefts = q.lefts if isinstance(q, model.Matching) else []
    # responses built from the question's own texts reach deeper than random text alone
    own = st.sampled_from(texts + lefts) if texts or lefts else ATOMS
    response = draw(st.one_of(RESPONSES, own, st.lists(own, max_size=8),
                              st.dictionaries(st.sampled_from(lefts) if lefts else st.text(max_size=5),
                                              st.one_of(own, ATOMS), max_size=5)))
    order = shuffled_order(q, random.Random(draw(st.integers(0, 2**32))))
    return q, response, order


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(question_and_response())
def test_grading_any_response_never_raises_and_stays_in_range(qr):
    q, response, order = qr
    item = KeyItem(1, q, order)
    for grader in (q.grade, item.grade):
        grade = grader(response)
        assert isinstance(grade, model.Grade)
        assert 0.0 <= grade.score <= q.max_score and not math.isnan(grade.score)
        again = grader(copy.deepcopy(response))
        assert again == grade  # deterministic: same input, same grade and feedback
        assert isinstance(grade.feedback, str)
    # a remembered grade is the grade a fresh item gives
    assert item.grade(copy.deepcopy(response)) == KeyItem(1, q, order).grade(response)


@pytest.mark.parametrize("response", ["\u00b9", "\u00b2", ["\u00b3"], {"\u00b9": "1"}, "\u0663", "\uff11", "1\u00b2"])
def test_unicode_digits_are_read_or_refused_never_raised(response):
    """Found by the property above: "¹".isdigit() is true but int("¹") raises ValueError."""
    for q in all_questions():
        for grader in (q.grade, KeyItem(1, q, shuffled_order(q, random.Random(1))).grade):
            assert 0.0 <= grader(response).score <= q.max_score


@PROPS
@given(st.sampled_from(all_questions()), st.integers(0, 2**32))
def test_the_correct_response_gets_full_credit_in_any_shown_order(q, seed):
    assert q.grade(q.correct_response()).score == q.max_score
    item = KeyItem(1, q, shuffled_order(q, random.Random(seed)))
    assert item.grade(item.correct_shown()).score == q.max_score


@PROPS
@given(st.dictionaries(st.sampled_from([q.id for q in all_questions()[:40]] + ["1", "2", "99", "x"]), RESPONSES,
                       max_size=12))
def test_grading_a_whole_response_stays_within_zero_and_max(answers):
    from quiz.assess.grading import Response, grade_response

    key = _key()
    result = grade_response(Response("s", "", "s.yaml", answers), [key])
    assert not result.refused
    assert 0.0 <= result.score <= result.max == len(key.items)
    assert 0.0 <= result.percent <= 100.0
    again = grade_response(Response("s", "", "s.yaml", copy.deepcopy(answers)), [key])
    assert [i.score for i in again.items] == [i.score for i in result.items]


# -- item analysis -----------------------------------------------------------------------

@lru_cache(maxsize=None)
def _key():
    """A real answer key: 12 questions of the example banks, as `quiz generate` writes it."""
    from quiz.assess.generate import dump_yaml, generate
    from quiz.course.sheets import load_key

    variant = generate([str(ROOT / "quizzes/examples/example-lawfare.yaml"),
                        str(ROOT / "quizzes/examples/example-cpc.yaml")], 12, seed=11)[0]
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "key.yaml"
        path.write_text(dump_yaml(variant.key), encoding="utf-8")
        return load_key(path)


@st.composite
def a_class(draw):
    """Students who answer each question right, wrong, malformed, or not at all."""
    key = _key()
    students = []
    for s in range(draw(st.integers(0, 25))):
        answers = {}
        for item in key.items:
            how = draw(st.sampled_from(["right", "wrong", "junk", "blank", "partial"]))
            if how == "right":
                answers[item.question.id] = item.correct_shown()
            elif how == "wrong":
                answers[item.question.id] = draw(st.sampled_from(["A", "B", "C", "D", "false", "zzz", "0"]))
            elif how == "junk":
                answers[item.question.id] = draw(RESPONSES)
            elif how == "partial":
                good = item.correct_shown()
                answers[item.question.id] = good[:1] if isinstance(good, list) else good
        students.append(answers)
    return students


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a_class())
def test_item_analysis_figures_stay_in_their_ranges(students):
    from quiz.assess.grading import Response, grade_response
    from quiz.assess.item_analysis import analyse

    key = _key()
    results = [grade_response(Response(f"s{i}", "", f"s{i}", a), [key]) for i, a in enumerate(students)]
    analysis = analyse(results)
    assert analysis.students == len(students)
    assert len(analysis.items) == (len(key.items) if students else 0)
    assert 0.0 <= analysis.mean_percent <= 100.0 and analysis.sd_percent >= 0.0
    for stats in analysis.items:
        assert 0.0 <= stats.facility <= 1.0
        for r in (stats.discrimination, stats.upper_lower):
            assert r is None or (math.isfinite(r) and -1.0 - 1e-9 <= r <= 1.0 + 1e-9)
        for d in stats.distractors:
            assert 0 <= d["count"] <= len(students) and 0.0 <= d["proportion"] <= 1.0
    for coefficient in (analysis.kr20, analysis.alpha):
        assert coefficient is None or math.isfinite(coefficient)
    if analysis.kr20 is not None and analysis.alpha is not None and not analysis.kr20_note:
        assert analysis.kr20 == pytest.approx(analysis.alpha)  # for 0/1 items they are the same formula
    assert analysis == analyse(results)  # deterministic


# -- answer keys written by `quiz generate` --------------------------------------------

TEXTS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60) | st.sampled_from(
    ["- item", "a: b", "  leading", "trailing  ", "line\n\n  \nbreaks\n", "   ", "#x", "'q'", '"q"', "|", "> x",
     "yes", "1.5", "~", "", "\t", "x" * 150])


@st.composite
def key_data(draw):
    questions = []
    for n in range(1, draw(st.integers(1, 4)) + 1):
        question = {"id": f"q{n}", "type": "short", "prompt": draw(TEXTS), "answers": draw(st.lists(TEXTS, max_size=3)),
                    "explanation": draw(TEXTS), "passage": {"quote": draw(TEXTS), "chapter": "c"}}
        answer = draw(st.one_of(TEXTS, st.lists(TEXTS, max_size=3), st.booleans(), st.integers(),
                                st.dictionaries(TEXTS, TEXTS, max_size=2)))
        questions.append({"number": n, "bank": "b", "order": draw(st.lists(st.integers(0, 7), max_size=4)),
                          "answer": answer, "question": question})
    return {"key": "k", "title": draw(TEXTS), "questions": questions}


@PROPS
@given(key_data())
def test_key_yaml_reads_back_as_the_key(key):
    """Keys are written with each question's YAML made once and indented into place."""
    from quiz.assess.generate import dump_yaml, key_yaml

    fragments: dict = {}
    text = key_yaml(key, fragments)
    assert yaml.safe_load(text) == yaml.safe_load(dump_yaml(key))
    assert key_yaml(key, fragments) == text  # the remembered fragments give the same text


# -- the command list of `quiz --help` ----------------------------------------------------

@pytest.mark.parametrize("width", [30, 45, 60, 78, 100, 140, 200])
def test_help_summaries_agree_with_the_commands(width):
    """`quiz --help` lists commands from a table (so it need not import them): at any
    terminal width it must print what each command's own help would."""
    import click
    from click.testing import CliRunner

    from quiz.cli import COMMANDS, cli

    ctx = click.Context(cli)
    names = cli.list_commands(ctx)
    assert names == list(COMMANDS)
    for name in names:
        cmd = cli.get_command(ctx, name)
        assert not cmd.hidden and not cmd.short_help and not cmd.deprecated, name
        stand_in = click.Command(name, help=COMMANDS[name][1])
        assert stand_in.get_short_help_str(limit=width) == cmd.get_short_help_str(limit=width), name
    with_table = CliRunner().invoke(cli, ["--help"], terminal_width=width).output
    assert all(name in with_table for name in names)
