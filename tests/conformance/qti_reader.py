"""QTI 1.2 as an LMS reads it, emulated for the conformance suite.

`check_structure` checks each element of an item against the content model of the IMS
Question & Test Interoperability ASI XML binding, version 1.2 (the elements this export
uses: which children each may hold, and the attributes the binding requires). `score`
runs an item's response processing the way QTI 1.2 defines it (`respcondition`s in order,
`setvar` Set/Add on SCORE, `continue="No"` stopping), on a response given as selected
response-label identifiers or typed text; `varequal` compares case-insensitively, QTI's
default (`case="No"`), which is what Canvas does for typed answers; the `Add` conditions of
blanks and pairs are summed, as Canvas reads them (one answer per part). `canvas_id` is Canvas's
documented rule for a response label: the first run of digits of its identifier.
"""
from __future__ import annotations

import re

QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"

# element -> the children the QTI 1.2 ASI binding allows (only those this project writes)
CONTENT = {
    "questestinterop": {"assessment", "item", "section", "qticomment"},
    "assessment": {"qtimetadata", "section", "qticomment", "assessmentcontrol", "rubric", "presentation_material",
                   "outcomes_processing", "assessfeedback"},
    "section": {"qtimetadata", "section", "item", "selection_ordering", "qticomment", "sectioncontrol",
                "presentation_material", "outcomes_processing", "sectionfeedback"},
    "selection_ordering": {"selection", "order", "sequence_parameter"},
    "selection": {"selection_number", "selection_extension", "sourcebank_ref", "and_selection", "or_selection",
                  "not_selection", "selection_metadata"},
    "selection_extension": {"points_per_item"},  # extension point: any content
    "item": {"itemmetadata", "presentation", "resprocessing", "itemfeedback", "qticomment", "duration",
             "itemcontrol", "itemprecondition", "itempostcondition", "rubric", "itemproc_extension"},
    "itemmetadata": {"qtimetadata"},
    "qtimetadata": {"qtimetadatafield", "vocabulary"},
    "qtimetadatafield": {"fieldlabel", "fieldentry"},
    "presentation": {"material", "response_lid", "response_str", "response_num", "flow", "response_xy",
                     "response_grp", "response_extension"},
    "material": {"mattext", "matemtext", "matimage", "mataudio", "matvideo", "matapplet", "matapplication",
                 "matref", "matbreak", "mat_extension", "altmaterial"},
    "response_lid": {"material", "render_choice", "render_fib", "render_hotspot", "render_slider",
                     "render_extension", "response_na"},
    "response_str": {"material", "render_choice", "render_fib", "render_hotspot", "render_slider",
                     "render_extension", "response_na"},
    "render_choice": {"material", "response_label", "flow_label"},
    "render_fib": {"material", "response_label", "flow_label"},
    "response_label": {"material", "mattext", "matimage", "flow_mat", "material_ref"},
    "resprocessing": {"outcomes", "respcondition", "qticomment", "itemproc_extension"},
    "outcomes": {"decvar", "interpretvar", "qticomment"},
    "respcondition": {"conditionvar", "setvar", "displayfeedback", "respcond_extension", "qticomment"},
    "conditionvar": {"not", "and", "or", "unanswered", "other", "varequal", "varlt", "varlte", "vargt", "vargte",
                     "varsubset", "varinside", "varsubstring", "durequal", "durlt", "durlte", "durgt", "durgte",
                     "var_extension"},
    "and": {"not", "and", "or", "unanswered", "other", "varequal", "varlt", "varlte", "vargt", "vargte",
            "varsubset", "varinside", "varsubstring"},
    "or": {"not", "and", "or", "unanswered", "other", "varequal", "varlt", "varlte", "vargt", "vargte",
           "varsubset", "varinside", "varsubstring"},
    "not": {"and", "or", "unanswered", "other", "varequal", "varlt", "varlte", "vargt", "vargte", "varsubset",
            "varinside", "varsubstring"},
    "itemfeedback": {"flow_mat", "material", "solution", "hint"},
    "flow_mat": {"flow_mat", "material", "material_ref"},
}
TEXT_ONLY = {"fieldlabel", "fieldentry", "mattext", "varequal", "varlte", "vargte", "varlt", "vargt", "setvar",
             "selection_number", "points_per_item", "other", "decvar", "displayfeedback"}
REQUIRED = {"item": {"ident"}, "response_lid": {"ident"}, "response_str": {"ident"}, "response_label": {"ident"},
            "varequal": {"respident"}, "varlte": {"respident"}, "vargte": {"respident"},
            "itemfeedback": {"ident"}, "displayfeedback": {"linkrefid"}, "section": {"ident"},
            "assessment": {"ident", "title"}}


def local(el) -> str:
    return el.tag.replace(QTI, "") if isinstance(el.tag, str) else ""


def check_structure(root) -> list[str]:
    """Where the document breaks the QTI 1.2 content model (empty when it does not)."""
    problems = []
    for el in root.iter():
        name = local(el)
        if not name:
            continue
        if not el.tag.startswith(QTI):
            problems.append(f"line {el.sourceline}: <{el.tag}> is not in the QTI 1.2 namespace")
            continue
        allowed = CONTENT.get(name)
        children = [local(c) for c in el if local(c)]
        if allowed is None and name not in TEXT_ONLY:
            problems.append(f"line {el.sourceline}: <{name}> is not an element of QTI 1.2 ASI")
        elif name in TEXT_ONLY and children:
            problems.append(f"line {el.sourceline}: <{name}> holds elements: {children}")
        elif allowed is not None and name != "selection_extension":
            problems += [f"line {el.sourceline}: <{c}> may not be inside <{name}>" for c in children if c not in allowed]
        missing = REQUIRED.get(name, set()) - set(el.attrib)
        if missing:
            problems.append(f"line {el.sourceline}: <{name}> lacks {sorted(missing)}")
    return problems


def canvas_id(ident: str) -> int | None:
    m = re.search(r"\d+", ident)
    return int(m.group()) if m else None


def labels(item) -> dict[str, dict[str, str]]:
    """For each response (its ident), the text of each response label by identifier."""
    out: dict[str, dict[str, str]] = {}
    for resp in item.iter(f"{QTI}response_lid", f"{QTI}response_str"):
        out[resp.get("ident")] = {lab.get("ident"): "".join(lab.itertext()).strip()
                                  for lab in resp.iter(f"{QTI}response_label")}
    return out


def question_type(item) -> str:
    for f in item.iter(f"{QTI}qtimetadatafield"):
        if f.findtext(f"{QTI}fieldlabel") == "question_type":
            return f.findtext(f"{QTI}fieldentry")
    return ""


def _number(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _holds(cond, response: dict[str, set[str] | str]) -> bool:
    name = local(cond)
    if name == "and":
        return all(_holds(c, response) for c in cond if local(c))
    if name in ("or", "conditionvar"):  # Canvas reads several tests in one conditionvar as alternatives
        return any(_holds(c, response) for c in cond if local(c))
    if name == "not":
        return not any(_holds(c, response) for c in cond if local(c))
    if name == "other":
        return True
    given = response.get(cond.get("respident"))
    value = (cond.text or "").strip()
    if name == "varequal":
        if isinstance(given, set):
            return value in given
        if given is None:
            return False
        a, b = _number(given), _number(value)
        if a is not None and b is not None:
            return a == b
        return given.strip().casefold() == value.casefold()
    if name in ("vargte", "varlte"):
        a, b = _number(given if isinstance(given, str) else None), _number(value)
        return a is not None and b is not None and (a >= b if name == "vargte" else a <= b)
    raise ValueError(f"condition <{name}> not emulated")


def score(item, response: dict[str, set[str] | str]) -> float:
    """The SCORE the item's response processing gives, as a fraction of its maximum."""
    total = 0.0
    for rc in item.iter(f"{QTI}respcondition"):
        cond = rc.find(f"{QTI}conditionvar")
        if cond is None or not _holds(cond, response):
            continue
        sets = False
        for sv in rc.iter(f"{QTI}setvar"):
            value = float(sv.text or 0)
            sets = sets or sv.get("action") == "Set"
            total = value if sv.get("action") == "Set" else total + value
        # Canvas keys each blank's or pair's Add condition as that part's answer and sums
        # them; a Set with continue="No" ends the processing, as QTI 1.2 says
        if sets and rc.get("continue", "No") == "No":
            break
    return min(1.0, max(0.0, total / 100))
