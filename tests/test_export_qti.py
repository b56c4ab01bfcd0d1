"""QTI (Canvas) export: the package opens, every item's correct response is the bank's,
and items have the structure text2qti (from PyPI) produces for the same questions."""
from __future__ import annotations

import html
import io
import re
import zipfile
from functools import lru_cache
from pathlib import Path

import pytest
from lxml import etree

from quiz import model
from quiz.course.bank import load_bank
from quiz.exporters import qti
from quiz.exporters.common import accepted_forms, cloze_parts, from_banks, from_questions, numeric_prompt

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "quizzes" / "examples").glob("*.yaml"))
NS = {"q": qti.QTI_NS}


@lru_cache(maxsize=None)
def loadable(path: Path):
    """Every shipped bank must load: a bank that does not is a failure, not a skip."""
    return load_bank(path)


def course_banks() -> list[Path]:
    return [p for p in sorted((ROOT / "quizzes").glob("*.yaml")) + EXAMPLES ]


def package(source) -> tuple[zipfile.ZipFile, str]:
    files, _ = qti.render(source, date="2024-01-01")
    zf = zipfile.ZipFile(io.BytesIO(qti.zip_bytes(files)))
    [aid] = {n.split("/")[0] for n in zf.namelist() if n.endswith("/assessment_meta.xml")}
    return zf, aid


def parse(data: bytes):
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def mattext(el) -> str:
    return el.find("q:material/q:mattext", NS).text or ""


def plain(fragment: str) -> str:
    """The text of an HTML mattext (the prompt, a choice, a feedback)."""
    import lxml.html

    return lxml.html.fragment_fromstring(fragment, create_parent="div").text_content() if fragment else ""


def feedbacks(item) -> dict[str, str]:
    return {fb.get("ident"): fb.find("q:flow_mat/q:material/q:mattext", NS).text for fb in item.iterfind("q:itemfeedback", NS)}


def qtype(item) -> str:
    for f in item.iterfind(".//q:qtimetadatafield", NS):
        if f.findtext("q:fieldlabel", namespaces=NS) == "question_type":
            return f.findtext("q:fieldentry", namespaces=NS)
    raise AssertionError("no question_type")


def read_item(item) -> dict:
    """What a QTI consumer reads from an item: its type, prompt, choices and correct response."""
    t = qtype(item)
    pres = item.find("q:presentation", NS)
    out = {"type": t, "prompt": plain(mattext(pres))}
    rp = item.find("q:resprocessing", NS)
    if t in ("multiple_choice_question", "true_false_question", "multiple_answers_question"):
        labels = {lab.get("ident"): plain(mattext(lab)) for lab in pres.iterfind(".//q:response_label", NS)}
        out["choices"] = list(labels.values())
        [setter] = [rc for rc in rp.iterfind("q:respcondition", NS)
                    if rc.find("q:setvar", NS) is not None and rc.find("q:setvar", NS).text == "100"]
        if t == "multiple_answers_question":
            both = setter.find("q:conditionvar/q:and", NS)
            out["correct"] = {labels[v.text] for v in both.iterfind("q:varequal", NS)}
            out["excluded"] = {labels[v.text] for v in both.iterfind("q:not/q:varequal", NS)}
        else:
            [v] = setter.findall("q:conditionvar/q:varequal", NS)
            out["correct"] = labels[v.text]
        fbs = feedbacks(item)
        out["choice_feedback"] = {labels[k[:-3]]: plain(v) for k, v in fbs.items() if k[:-3] in labels}
    elif t == "short_answer_question":
        out["correct"] = [v.text for v in rp.iterfind(".//q:varequal", NS)]
    elif t == "numerical_question":
        cond = rp.find(".//q:or", NS)
        out["exact"] = float(cond.findtext("q:varequal", namespaces=NS))
        out["range"] = (float(cond.findtext("q:and/q:vargte", namespaces=NS)),
                        float(cond.findtext("q:and/q:varlte", namespaces=NS)))
    elif t == "fill_in_multiple_blanks_question":
        blanks = {}
        for lid in pres.iterfind("q:response_lid", NS):
            name = lid.findtext("q:material/q:mattext", namespaces=NS)
            assert lid.get("ident") == f"response_{name}"
            blanks[name] = [mattext(lab) for lab in lid.iterfind(".//q:response_label", NS)]
        out["blanks"] = blanks
        out["scores"] = [float(s.text) for s in rp.iterfind("q:respcondition/q:setvar[@action='Add']", NS)]
    elif t == "matching_question":
        pairs = []
        for lid in pres.iterfind("q:response_lid", NS):
            left = mattext(lid)
            labels = {lab.get("ident"): mattext(lab) for lab in lid.iterfind(".//q:response_label", NS)}
            [v] = [v for v in rp.iterfind(".//q:varequal", NS) if v.get("respident") == lid.get("ident")]
            pairs.append((html.unescape(left), labels[v.text]))
        out["pairs"] = pairs
        out["scores"] = [float(s.text) for s in rp.iterfind("q:respcondition/q:setvar[@action='Add']", NS)]
    fbs = feedbacks(item)
    out["general"] = plain(fbs.get("general_fb", ""))
    out["incorrect"] = plain(fbs.get("general_incorrect_fb", ""))
    return out


def check(q: model.Question, got: dict) -> None:
    assert q.explanation in got["general"] and q.passage.quote in got["general"]
    assert got["incorrect"] == q.feedback
    if isinstance(q, model.Single):
        assert got["type"] == "multiple_choice_question"
        assert got["choices"] == q.texts and got["correct"] == q.answer_text()
        assert got["choice_feedback"] == {c.text: c.feedback for c in q.choices if c.feedback}
    elif isinstance(q, model.Multiple):
        assert got["type"] == "multiple_answers_question"
        assert got["correct"] == {c.text for c in q.choices if c.correct}
        assert got["excluded"] == {c.text for c in q.choices if not c.correct}
    elif isinstance(q, model.TrueFalse):
        assert got["type"] == "true_false_question"
        assert got["choices"] == ["True", "False"] and got["correct"] == ("True" if q.answer else "False")
    elif isinstance(q, model.Short):
        assert got["type"] == "short_answer_question"
        assert got["correct"] == accepted_forms(q.answers) and set(q.answers) <= set(got["correct"])
    elif isinstance(q, model.Numeric):
        assert got["type"] == "numerical_question"
        assert got["exact"] == q.answer and got["range"] == (q.answer - q.tolerance, q.answer + q.tolerance)
        assert got["prompt"] == numeric_prompt(q)
    elif isinstance(q, model.Cloze):
        assert got["type"] == "fill_in_multiple_blanks_question"
        names = [f"blank{k}" for k in range(1, len(q.blanks) + 1)]
        assert got["blanks"] == {n: accepted_forms(b) for n, b in zip(names, q.blanks)}
        expected = "".join(p if isinstance(p, str) else f"[{names.pop(0)}]" for p in cloze_parts(q.prompt))
        assert got["prompt"] == expected
        assert sum(got["scores"]) == pytest.approx(100, abs=0.05)
    elif isinstance(q, model.Matching):
        assert got["type"] == "matching_question"
        assert sorted(got["pairs"]) == sorted(q.pairs)
        assert sum(got["scores"]) == pytest.approx(100, abs=0.05)
    elif isinstance(q, model.Ordering):
        assert got["type"] == "matching_question"
        assert sorted(got["pairs"], key=lambda p: int(p[1])) == [(x, str(i)) for i, x in enumerate(q.items, 1)]
    if not isinstance(q, (model.Numeric, model.Cloze)):
        assert got["prompt"] == q.prompt


@pytest.mark.parametrize("path", course_banks(), ids=lambda p: p.stem)
def test_every_item_has_the_banks_correct_response(path):
    bank = loadable(path)
    zf, aid = package(from_banks([bank]))
    root = parse(zf.read(f"{aid}/{aid}.xml"))
    [group] = root.findall("q:assessment/q:section/q:section", NS)
    assert group.get("title") == bank.title
    assert group.findtext("q:selection_ordering/q:selection/q:selection_number", namespaces=NS) == str(len(bank.questions))
    items = group.findall("q:item", NS)
    assert [i.get("title") for i in items] == [q.id for q in bank.questions]
    assert len({i.get("ident") for i in items}) == len(items)
    for q, item in zip(bank.questions, items):
        check(q, read_item(item))


def test_package_layout_and_manifest_references():
    zf, aid = package(from_banks([loadable(p) for p in EXAMPLES]))
    assert sorted(zf.namelist()) == sorted(["imsmanifest.xml", "non_cc_assessments/", f"{aid}/assessment_meta.xml",
                                            f"{aid}/{aid}.xml"])
    manifest = parse(zf.read("imsmanifest.xml"))
    hrefs = [f.get("href") for f in manifest.iter("{%s}file" % qti.MANIFEST_NS)]
    assert hrefs and all(h in zf.namelist() for h in hrefs)
    meta = parse(zf.read(f"{aid}/assessment_meta.xml"))
    assert meta.findtext("{%s}shuffle_answers" % qti.CC_NS) == "true"
    assert meta.findtext("{%s}points_possible" % qti.CC_NS) == f"{sum(len(loadable(p).questions) for p in EXAMPLES):.1f}"
    groups = parse(zf.read(f"{aid}/{aid}.xml")).findall("q:assessment/q:section/q:section", NS)
    assert [g.get("title") for g in groups] == [loadable(p).title for p in EXAMPLES]


def test_the_package_is_the_same_on_every_run():
    src = from_banks([loadable(p) for p in EXAMPLES])
    a, _ = qti.render(src, date="2024-01-01")
    b, _ = qti.render(src, date="2024-01-01")
    assert qti.zip_bytes(a) == qti.zip_bytes(b)


def test_ordering_is_warned_and_written_as_matching():
    bank = loadable(ROOT / "quizzes/examples/example-lawfare.yaml")
    _, warnings = qti.render(from_banks([bank]))
    assert [w.question for w in warnings] == [q.id for q in bank.questions if q.type == "ordering"]
    assert "matching" in warnings[0].message


def test_prompts_are_escaped_text():
    q = model.Short(id="x-q1", prompt="Is <b>this</b> & <script>alert(1)</script> bold?", explanation="<i>e</i>",
                    passage=model.Passage("x", "lawfare-01"), objective="o", difficulty=1, answers=("a<b",))
    zf, aid = package(from_questions([q]))
    item = parse(zf.read(f"{aid}/{aid}.xml")).find(".//q:item", NS)
    import lxml.html

    prompt = lxml.html.fragment_fromstring(mattext(item.find("q:presentation", NS)), create_parent="div")
    assert prompt.find(".//script") is None and prompt.find(".//b") is None
    assert prompt.text_content() == q.prompt
    assert read_item(item)["correct"][0] == "a<b"


# -- the structure text2qti produces for the same questions --------------------------------

STRUCTURAL = {"rcardinality", "texttype", "fibtype", "continue", "action", "varname", "feedbacktype", "vartype",
              "maxvalue", "minvalue", "rshuffle"}
KNOWN_FEEDBACK = {"general_fb", "correct_fb", "general_incorrect_fb"}


def skeleton(el) -> tuple:
    """An element's structure: tags, attribute names (values where they carry meaning),
    the metadata labels and question type, and the children in order."""
    tag = etree.QName(el).localname
    attrs = []
    for k, v in sorted(el.attrib.items()):
        if k in STRUCTURAL:
            attrs.append((k, v))
        elif k in ("linkrefid", "ident") and (v in KNOWN_FEEDBACK or v.endswith("_fb")):
            attrs.append((k, v if v in KNOWN_FEEDBACK else "<choice>_fb"))
        else:
            attrs.append((k, "*"))
    text = None
    if tag == "fieldlabel" or (tag == "fieldentry" and el.getprevious().text == "question_type"):
        text = el.text
    if tag == "setvar":
        text = el.text
    return tag, tuple(attrs), text, tuple(skeleton(c) for c in el if isinstance(c.tag, str))


def text2qti_source(title: str, questions: list[model.Question]) -> str:
    """The same questions written in text2qti's plain-text format, in one group."""
    out = [f"Quiz title: {title}", "Quiz description: d", "", "GROUP", f"pick: {len(questions)}",
           "points per question: 1", ""]
    for n, q in enumerate(questions, 1):
        out += [f"Title: {q.id}", f"{n}.  {q.prompt if not isinstance(q, model.Numeric) else numeric_prompt(q)}",
                f"... {q.explanation}"]
        if q.feedback:
            out.append(f"-   {q.feedback}")
        if isinstance(q, model.Single):
            for i, c in enumerate(q.choices):
                out.append(f"{'*' if c.correct else ''}{'abcdefgh'[i]}) {' ' if not c.correct else ''}{c.text}")
                if c.feedback:
                    out.append(f"... {c.feedback}")
        elif isinstance(q, model.Multiple):
            for c in q.choices:
                out.append(f"[{'*' if c.correct else ' '}] {c.text}")
                if c.feedback:
                    out.append(f"... {c.feedback}")
        elif isinstance(q, model.TrueFalse):
            out += [f"{'*' if q.answer else ''}a) {'' if q.answer else ' '}True",
                    f"{'' if q.answer else '*'}b) {' ' if q.answer else ''}False"]
        elif isinstance(q, model.Short):
            out += [f"*   {a}" for a in accepted_forms(q.answers)]
        elif isinstance(q, model.Numeric):
            out.append(f"=   {q.answer:g} +- {q.tolerance:g}")
        out.append("")
    out.append("END_GROUP")
    return "\n".join(out) + "\n"


def smart(value):
    table = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
    if isinstance(value, str):
        return value.translate(table)
    if isinstance(value, (set, list)):
        return type(value)(smart(v) for v in value)
    return value


def text2qti_package(title: str, questions) -> zipfile.ZipFile:
    from text2qti.config import Config
    from text2qti.qti import QTI
    from text2qti.quiz import Quiz

    quiz = Quiz(text2qti_source(title, questions), config=Config())
    return zipfile.ZipFile(io.BytesIO(QTI(quiz).zip_bytes()))


def test_items_have_the_structure_text2qti_gives_the_same_questions():
    bank = loadable(ROOT / "quizzes/examples/example-lawfare.yaml")
    other = loadable(ROOT / "quizzes/examples/example-cpc.yaml")
    kinds = (model.Single, model.Multiple, model.TrueFalse, model.Short, model.Numeric)
    questions = [q for q in bank.questions + other.questions if isinstance(q, kinds)]
    assert {q.type for q in questions} == {"single", "multiple", "true_false", "short", "numeric"}
    theirs = text2qti_package(bank.title, questions)
    ours, aid = package(from_questions(questions, bank.title))
    # the same files, named the same way
    shape = lambda names: sorted(re.sub(r"[0-9a-f]{16,}", "H", re.sub(r"(^|/)(text2qti|quiz)_", r"\1", n)) for n in names)  # noqa: E731
    assert shape(ours.namelist()) == shape(theirs.namelist())
    their_aid = next(n.split("/")[0] for n in theirs.namelist() if n.endswith("/assessment_meta.xml"))
    t_root = parse(theirs.read(f"{their_aid}/{their_aid}.xml"))
    o_root = parse(ours.read(f"{aid}/{aid}.xml"))
    t_items = t_root.findall(".//q:item", NS)
    o_items = o_root.findall(".//q:item", NS)
    assert [i.get("title") for i in t_items] == [i.get("title") for i in o_items] == [q.id for q in questions]
    for q, t, o in zip(questions, t_items, o_items):
        assert skeleton(o) == skeleton(t), f"{q.id} ({q.type}) differs from text2qti's item"
        # and the same correct response
        t_read, o_read = read_item(t), read_item(o)
        for key in ("correct", "exact", "range", "excluded"):
            # text2qti renders Markdown, which curls quotes: compare with straight ones
            assert smart(t_read.get(key)) == smart(o_read.get(key)), (q.id, key)
    # the manifest and Canvas's quiz settings use the same elements
    names = lambda data: sorted({etree.QName(e).localname for e in parse(data).iter() if isinstance(e.tag, str)})  # noqa: E731
    assert names(ours.read("imsmanifest.xml")) == names(theirs.read("imsmanifest.xml"))
    assert names(ours.read(f"{aid}/assessment_meta.xml")) == names(theirs.read(f"{their_aid}/assessment_meta.xml"))


def test_bank_groups_have_text2qtis_group_structure():
    bank = loadable(ROOT / "quizzes/examples/example-cpc.yaml")
    theirs = text2qti_package(bank.title, bank.questions)
    ours, aid = package(from_banks([bank]))
    their_aid = next(n.split("/")[0] for n in theirs.namelist() if n.endswith("/assessment_meta.xml"))

    def group_shape(root):
        [g] = root.findall("q:assessment/q:section/q:section", NS)
        for item in g.findall("q:item", NS):
            g.remove(item)
        return skeleton(g)

    assert group_shape(parse(ours.read(f"{aid}/{aid}.xml"))) == \
        group_shape(parse(theirs.read(f"{their_aid}/{their_aid}.xml")))


def test_a_sheet_keeps_its_order_and_does_not_shuffle(quiz, tmp_path):
    examples = [str(p) for p in EXAMPLES]
    assert quiz("generate", *examples, "-n", "8", "--seed", "3", "-o", tmp_path / "g").exit_code == 0
    from quiz.exporters.source import load_source
    from quiz.course.sheets import load_key

    key = load_key(tmp_path / "g" / "key-v1.yaml")
    zf, aid = package(load_source([str(tmp_path / "g" / "key-v1.yaml")]))
    root = parse(zf.read(f"{aid}/{aid}.xml"))
    assert root.findall("q:assessment/q:section/q:section", NS) == []
    items = root.findall(".//q:item", NS)
    assert [i.get("title") for i in items] == [it.question.id for it in key.items]
    for it, item in zip(key.items, items):
        if isinstance(it.question, model.ChoiceQuestion):
            assert read_item(item)["choices"] == it.shown()
    meta = parse(zf.read(f"{aid}/assessment_meta.xml"))
    assert meta.findtext("{%s}shuffle_answers" % qti.CC_NS) == "false"
