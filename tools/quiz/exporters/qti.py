"""Questions as an IMS QTI 1.2 package in Canvas's dialect, the zip Canvas imports
(Settings → Import course content → "QTI .zip file"; New Quizzes converts it on import).

The package has the layout text2qti writes: `imsmanifest.xml`, `<id>/<id>.xml` (the
assessment), `<id>/assessment_meta.xml` (Canvas's quiz settings) and an empty
`non_cc_assessments/`. Items follow the structure text2qti produces for the types it
has and Canvas's own export for the others; each bank becomes a question group holding
all its questions (Canvas files the imported questions in a question bank named after
the quiz). A generated sheet becomes one quiz with its questions and choices in the
sheet's order (answers not shuffled).

| bank type    | Canvas question type                                                  |
|--------------|-----------------------------------------------------------------------|
| `single`     | `multiple_choice_question`; each choice's feedback kept               |
| `multiple`   | `multiple_answers_question` (Canvas applies its own partial credit)    |
| `true_false` | `true_false_question`                                                 |
| `short`      | `short_answer_question`: each answer, and its punctuation-free form   |
| `numeric`    | `numerical_question`, exact answer with a ± tolerance range            |
| `cloze`      | `fill_in_multiple_blanks_question`, blanks `[blank1]`, `[blank2]`, …   |
| `matching`   | `matching_question`                                                   |
| `ordering`   | `matching_question` of each item to its position 1…n — warned          |

The explanation (with the source passage and citation) is the general feedback, the
question's feedback the incorrect-answer feedback.
"""
from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

from lxml import etree

from quiz import model
from quiz.exporters.common import (
    ExportSource,
    ExportWarning,
    Item,
    accepted_forms,
    cloze_parts,
    general_feedback_html,
    h,
    lms_order,
    numeric_prompt,
    position_label,
    short_hash,
)
from quiz.neutralise import xml_text

FORMAT = "qti"
SUFFIX = ".zip"
BINARY = True

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CC_NS = "http://canvas.instructure.com/xsd/cccv1p0"
MANIFEST_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_v1p2"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _id(kind: str, text: str) -> str:
    return f"quiz_{kind}_{short_hash(text, 32)}"


def _label_id(kind: str, text: str, taken: set[int]) -> str:
    """A response's identifier, `quiz_<kind>_<number>`. Canvas's converter takes the first run
    of digits in a response label's identifier as its id (answers and matches are keyed by
    it), so the only digits are the number, nine of them derived from `text`, and `taken`
    (the numbers already used in one item) keeps two labels of an item from sharing it."""
    salt = 0
    while True:
        n = 100_000_000 + int(short_hash(f"{kind}:{text}:{salt}" if salt else f"{kind}:{text}", 16), 16) % 900_000_000
        if n not in taken:
            taken.add(n)
            return f"quiz_{kind}_{n}"
        salt += 1


class _Builder:
    """Elements in the QTI namespace."""

    def __init__(self, ns: str):
        self.ns = ns

    def el(self, parent, tag: str, text: str | None = None, **attrs):
        e = etree.SubElement(parent, f"{{{self.ns}}}{tag}", {k.rstrip("_"): xml_text(v) for k, v in attrs.items()})
        if text is not None:
            e.text = xml_text(text)
        return e


Q = _Builder(QTI_NS)


def render(source: ExportSource, date: str | None = None, **_options) -> tuple[dict[str, bytes], list[ExportWarning]]:
    """The package's files (path -> bytes) and the warnings."""
    warnings: list[ExportWarning] = []
    aid = _id("assessment", f"{source.kind}:{source.id}:" + ",".join(q.id for q in source.questions))
    files = {
        "imsmanifest.xml": manifest(aid, date),
        f"{aid}/assessment_meta.xml": assessment_meta(aid, source),
        f"{aid}/{aid}.xml": assessment(aid, source, warnings),
    }
    return files, warnings


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for n, (name, data) in enumerate(files.items()):
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
            if n == 0:  # after the manifest, as text2qti writes it
                zf.writestr(zipfile.ZipInfo("non_cc_assessments/", ZIP_TIME), b"")
    return buf.getvalue()


def export(source: ExportSource, out_path: str | Path, **options) -> list[ExportWarning]:
    files, warnings = render(source, **options)
    Path(out_path).write_bytes(zip_bytes(files))
    return warnings


def _xml(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# -- the assessment -------------------------------------------------------------------------

def assessment(aid: str, source: ExportSource, warnings: list[ExportWarning]) -> bytes:
    root = etree.Element(f"{{{QTI_NS}}}questestinterop", nsmap={None: QTI_NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{QTI_NS} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd")
    a = Q.el(root, "assessment", ident=aid, title=source.title)
    meta = Q.el(a, "qtimetadata")
    field = Q.el(meta, "qtimetadatafield")
    Q.el(field, "fieldlabel", "cc_maxattempts")
    Q.el(field, "fieldentry", "1")
    section = Q.el(a, "section", ident="root_section")
    for group in source.groups:
        parent = section
        if source.kind == "banks":
            parent = Q.el(section, "section", ident=_id("group", group.id), title=group.title)
            sel = Q.el(Q.el(parent, "selection_ordering"), "selection")
            Q.el(sel, "selection_number", str(len(group.items)))
            Q.el(Q.el(sel, "selection_extension"), "points_per_item", "1")
        for item in group.items:
            parent.append(item_element(item, warnings))
    return _xml(root)


def _metadata(item, qtype: str, answer_ids: str, ref: str) -> None:
    meta = Q.el(Q.el(item, "itemmetadata"), "qtimetadata")
    for label, entry in (("question_type", qtype), ("points_possible", "1"), ("original_answer_ids", answer_ids),
                         ("assessment_question_identifierref", ref)):
        f = Q.el(meta, "qtimetadatafield")
        Q.el(f, "fieldlabel", label)
        Q.el(f, "fieldentry", entry)


def _material(parent, html: str, texttype: str | None = "text/html"):
    m = Q.el(parent, "material")
    if texttype:
        Q.el(m, "mattext", html, texttype=texttype)
    else:
        Q.el(m, "mattext", html)
    return m


def _other_feedback(rp, linkrefid: str) -> None:
    rc = Q.el(rp, "respcondition", continue_="Yes")
    Q.el(Q.el(rc, "conditionvar"), "other")
    Q.el(rc, "displayfeedback", feedbacktype="Response", linkrefid=linkrefid)


def _choice_feedback(rp, respident: str, value: str, linkrefid: str) -> None:
    rc = Q.el(rp, "respcondition", continue_="Yes")
    Q.el(Q.el(rc, "conditionvar"), "varequal", value, respident=respident)
    Q.el(rc, "displayfeedback", feedbacktype="Response", linkrefid=linkrefid)


def _set_score(rp):
    rc = Q.el(rp, "respcondition", continue_="No")
    cond = Q.el(rc, "conditionvar")
    Q.el(rc, "setvar", "100", action="Set", varname="SCORE")
    return cond


def _resprocessing(item):
    rp = Q.el(item, "resprocessing")
    Q.el(Q.el(rp, "outcomes"), "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    return rp


def _itemfeedback(item, ident: str, html: str) -> None:
    fb = Q.el(item, "itemfeedback", ident=ident)
    _material(Q.el(fb, "flow_mat"), html)


def item_element(it: Item, warnings: list[ExportWarning]):
    q = it.question
    qid = _id("question", q.id)
    item = etree.Element(f"{{{QTI_NS}}}item", ident=qid, title=q.id)
    ref = _id("question_ref", q.id)
    general = general_feedback_html(q)
    incorrect = f"<p>{h(q.feedback)}</p>" if q.feedback else ""
    order = lms_order(it)
    prompt = f"<p>{h(q.prompt)}</p>"
    choice_feedback: list[tuple[str, str]] = []
    taken: set[int] = set()  # the numbers of this item's response identifiers (`_label_id`)

    if isinstance(q, (model.Single, model.Multiple, model.TrueFalse)):
        if isinstance(q, model.TrueFalse):
            qtype, choices = "true_false_question", [("True", q.answer is True, ""), ("False", q.answer is False, "")]
        else:
            qtype = "multiple_choice_question" if isinstance(q, model.Single) else "multiple_answers_question"
            choices = [(q.choices[i].text, q.choices[i].correct, q.choices[i].feedback) for i in order]
        idents = [_label_id("choice", f"{q.id}:{text}", taken) for text, _, _ in choices]
        _metadata(item, qtype, ",".join(idents), ref)
        pres = Q.el(item, "presentation")
        _material(pres, prompt)
        lid = Q.el(pres, "response_lid", ident="response1",
                   rcardinality="Multiple" if qtype == "multiple_answers_question" else "Single")
        rc = Q.el(lid, "render_choice")
        for ident, (text, _, _) in zip(idents, choices):
            _material(Q.el(rc, "response_label", ident=ident), h(text))
        rp = _resprocessing(item)
        _other_feedback(rp, "general_fb")
        for ident, (_, _, fb) in zip(idents, choices):
            if fb:
                _choice_feedback(rp, "response1", ident, f"{ident}_fb")
                choice_feedback.append((ident, fb))
        cond = _set_score(rp)
        if qtype == "multiple_answers_question":
            both = Q.el(cond, "and")
            for ident, (_, ok, _) in zip(idents, choices):
                Q.el(both if ok else Q.el(both, "not"), "varequal", ident, respident="response1")
        else:
            right = next(ident for ident, (_, ok, _) in zip(idents, choices) if ok)
            Q.el(cond, "varequal", right, respident="response1")
    elif isinstance(q, model.Short):
        rp = _text_response(item, "short_answer_question", prompt, ref)
        _other_feedback(rp, "general_fb")
        cond = _set_score(rp)
        for a in accepted_forms(q.answers):
            Q.el(cond, "varequal", a, respident="response1")
    elif isinstance(q, model.Numeric):
        _metadata(item, "numerical_question", _id("numerical", q.id), ref)
        pres = Q.el(item, "presentation")
        _material(pres, f"<p>{h(numeric_prompt(q))}</p>")
        fib = Q.el(Q.el(pres, "response_str", ident="response1", rcardinality="Single"), "render_fib",
                   fibtype="Decimal")
        Q.el(fib, "response_label", ident="answer1")
        rp = _resprocessing(item)
        _other_feedback(rp, "general_fb")
        either = Q.el(_set_score(rp), "or")
        Q.el(either, "varequal", _num(q.answer), respident="response1")
        both = Q.el(either, "and")
        Q.el(both, "vargte", _num(q.answer - q.tolerance), respident="response1")
        Q.el(both, "varlte", _num(q.answer + q.tolerance), respident="response1")
    elif isinstance(q, model.Cloze):
        parts = cloze_parts(q.prompt)
        names, text = [], []
        for part in parts:
            if isinstance(part, str):
                text.append(h(part))
            else:
                names.append(f"blank{len(names) + 1}")
                text.append(f"[{names[-1]}]")
        blanks = [p for p in parts if isinstance(p, list)]
        answer_ids = [[_label_id("answer", f"{q.id}:{name}:{a}", taken) for a in accepted_forms(b)]
                      for name, b in zip(names, blanks)]
        _metadata(item, "fill_in_multiple_blanks_question", ",".join(x for ids in answer_ids for x in ids), ref)
        pres = Q.el(item, "presentation")
        _material(pres, f"<p>{''.join(text)}</p>")
        for name, blank, ids in zip(names, blanks, answer_ids):
            lid = Q.el(pres, "response_lid", ident=f"response_{name}")
            _material(lid, name, texttype=None)
            rc = Q.el(lid, "render_choice")
            for ident, a in zip(ids, accepted_forms(blank)):
                _material(Q.el(rc, "response_label", ident=ident), a, texttype="text/plain")
        rp = _resprocessing(item)
        _other_feedback(rp, "general_fb")
        for k, (name, ids) in enumerate(zip(names, answer_ids)):
            _add_score(rp, f"response_{name}", ids[0], len(names), k)
    elif isinstance(q, (model.Matching, model.Ordering)):
        if isinstance(q, model.Ordering):
            warnings.append(ExportWarning(q.id, "ordering written as a matching question of each item to its "
                                                f"position 1…{len(q.items)} (Canvas has no ordering type in QTI); "
                                                "Canvas then scores each item in its right position, not each "
                                                "right successor"))
            pairs = [(q.items[i], position_label(i)) for i in order]
            rights = [position_label(i) for i in range(len(q.items))]
        else:
            pairs = [q.pairs[i] for i in order]
            rights = list(q.rights)
        left_ids = [_label_id("left", f"{q.id}:{left}", taken) for left, _ in pairs]
        right_ids = {r: _label_id("right", f"{q.id}:{r}", taken) for r in rights}
        _metadata(item, "matching_question", ",".join(left_ids), ref)
        pres = Q.el(item, "presentation")
        _material(pres, prompt)
        for lid_ident, (left, _) in zip(left_ids, pairs):
            lid = Q.el(pres, "response_lid", ident=f"response_{lid_ident}")
            _material(lid, h(left), texttype="text/plain")
            rc = Q.el(lid, "render_choice")
            for r in rights:
                _material(Q.el(rc, "response_label", ident=right_ids[r]), r, texttype=None)
        rp = _resprocessing(item)
        _other_feedback(rp, "general_fb")
        for k, (lid_ident, (_, right)) in enumerate(zip(left_ids, pairs)):
            _add_score(rp, f"response_{lid_ident}", right_ids[right], len(pairs), k)
    elif isinstance(q, model.Essay):
        rp = _text_response(item, "essay_question", prompt, ref)
        rc = Q.el(rp, "respcondition", continue_="No")
        Q.el(Q.el(rc, "conditionvar"), "other")
        warnings.append(ExportWarning(q.id, "essay: Canvas imports the question without its model answer and "
                                            "rubric (a Canvas rubric is made in Canvas); they are in the printable key"))
    else:
        raise TypeError(f"no QTI form for question type {q.type!r}")

    if incorrect:
        _other_feedback(rp, "general_incorrect_fb")
    _itemfeedback(item, "general_fb", general)
    if incorrect:
        _itemfeedback(item, "general_incorrect_fb", incorrect)
    for ident, fb in choice_feedback:
        _itemfeedback(item, f"{ident}_fb", f"<p>{h(fb)}</p>")
    _set_points(item, q.points)
    return item


def _set_points(item, points: float) -> None:
    """Canvas's points_possible of an item: the question's points (SCORE stays a percentage)."""
    for f in item.iter(f"{{{QTI_NS}}}qtimetadatafield"):
        label = f.find(f"{{{QTI_NS}}}fieldlabel")
        if label is not None and label.text == "points_possible":
            f.find(f"{{{QTI_NS}}}fieldentry").text = f"{float(points):g}"


def _text_response(item, question_type: str, prompt: str, ref: str):
    """A typed-answer item (short answer, essay): its metadata, prompt and one text box;
    returns the response processing to add the scoring to."""
    _metadata(item, question_type, "", ref)
    pres = Q.el(item, "presentation")
    _material(pres, prompt)
    fib = Q.el(Q.el(pres, "response_str", ident="response1", rcardinality="Single"), "render_fib")
    Q.el(fib, "response_label", ident="answer1", rshuffle="No")
    return _resprocessing(item)


def _add_score(rp, respident: str, value: str, n: int, k: int) -> None:
    """Part k (0-based) of n: 100/n to two decimals, the last part taking the rest, so that
    all parts right add up to exactly 100 (three parts: 33.33 + 33.33 + 33.34)."""
    rc = Q.el(rp, "respcondition")
    Q.el(Q.el(rc, "conditionvar"), "varequal", value, respident=respident)
    share = round(100 / n, 2) if k < n - 1 else round(100 - round(100 / n, 2) * (n - 1), 2)
    Q.el(rc, "setvar", f"{share:.2f}", varname="SCORE", action="Add")


def _num(value: float) -> str:
    return repr(float(value))


# -- the package around it ------------------------------------------------------------------

def manifest(aid: str, date: str | None = None) -> bytes:
    date = date or datetime.date.today().isoformat()
    dep = aid.replace("assessment", "dependency", 1)
    root = etree.Element(f"{{{MANIFEST_NS}}}manifest", identifier=aid.replace("assessment", "manifest", 1),
                         nsmap={None: MANIFEST_NS, "lom": "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource",
                                "imsmd": IMSMD, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation",
             f"{MANIFEST_NS} http://www.imsglobal.org/xsd/imscp_v1p1.xsd "
             "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource "
             "http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lomresource_v1p0.xsd "
             f"{IMSMD} http://www.imsglobal.org/xsd/imsmd_v1p2p2.xsd")
    M = _Builder(MANIFEST_NS)
    D = _Builder(IMSMD)
    meta = M.el(root, "metadata")
    M.el(meta, "schema", "IMS Content")
    M.el(meta, "schemaversion", "1.1.3")
    lom = D.el(meta, "lom")
    D.el(D.el(D.el(lom, "general"), "title"), "string", "QTI assessment written by quiz export")
    D.el(D.el(D.el(D.el(lom, "lifeCycle"), "contribute"), "date"), "dateTime", date)
    rights = D.el(lom, "rights")
    D.el(D.el(rights, "copyrightAndOtherRestrictions"), "value", "yes")
    D.el(D.el(rights, "description"), "string", "Private (Copyrighted) - http://en.wikipedia.org/wiki/Copyright")
    M.el(root, "organizations")
    res = M.el(root, "resources")
    r1 = M.el(res, "resource", identifier=aid, type="imsqti_xmlv1p2")
    M.el(r1, "file", href=f"{aid}/{aid}.xml")
    M.el(r1, "dependency", identifierref=dep)
    r2 = M.el(res, "resource", identifier=dep, type="associatedcontent/imscc_xmlv1p1/learning-application-resource",
              href=f"{aid}/assessment_meta.xml")
    M.el(r2, "file", href=f"{aid}/assessment_meta.xml")
    return _xml(root)


def assessment_meta(aid: str, source: ExportSource) -> bytes:
    C = _Builder(CC_NS)
    root = etree.Element(f"{{{CC_NS}}}quiz", identifier=aid, nsmap={None: CC_NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{CC_NS} https://canvas.instructure.com/xsd/cccv1p0.xsd")
    points = f"{float(sum(it.question.points for g in source.groups for it in g.items)):.1f}"
    shuffle = "false" if source.kind == "sheet" else "true"
    what = ("Questions of " + ", ".join(g.title for g in source.groups)) if source.kind == "banks" \
        else f"Quiz sheet {source.id}"
    fields = [("title", source.title), ("description", f"<p>{h(what)}. Written by quiz export.</p>"),
              ("shuffle_answers", shuffle), ("scoring_policy", "keep_highest"), ("hide_results", ""),
              ("quiz_type", "assignment"), ("points_possible", points), ("require_lockdown_browser", "false"),
              ("require_lockdown_browser_for_results", "false"), ("require_lockdown_browser_monitor", "false"),
              ("lockdown_browser_monitor_data", None), ("show_correct_answers", "true"),
              ("anonymous_submissions", "false"), ("could_be_locked", "false"), ("allowed_attempts", "1"),
              ("one_question_at_a_time", "false"), ("cant_go_back", "false"), ("available", "false"),
              ("one_time_results", "false"), ("show_correct_answers_last_attempt", "false"),
              ("only_visible_to_overrides", "false"), ("module_locked", "false")]
    for tag, text in fields:
        C.el(root, tag, text)
    asg = C.el(root, "assignment", identifier=aid.replace("assessment", "assignment", 1))
    for tag, text in [("title", source.title), ("due_at", None), ("lock_at", None), ("unlock_at", None),
                      ("module_locked", "false"), ("workflow_state", "unpublished"), ("assignment_overrides", None),
                      ("quiz_identifierref", aid), ("allowed_extensions", None), ("has_group_category", "false"),
                      ("points_possible", points), ("grading_type", "points"), ("all_day", "false"),
                      ("submission_types", "online_quiz"), ("position", "1"), ("turnitin_enabled", "false"),
                      ("vericite_enabled", "false"), ("peer_review_count", "0"), ("peer_reviews", "false"),
                      ("automatic_peer_reviews", "false"), ("anonymous_peer_reviews", "false"),
                      ("grade_group_students_individually", "false"), ("freeze_on_copy", "false"),
                      ("omit_from_final_grade", "false"), ("intra_group_peer_reviews", "false"),
                      ("only_visible_to_overrides", "false"), ("post_to_sis", "false"),
                      ("moderated_grading", "false"), ("grader_count", "0"),
                      ("grader_comments_visible_to_graders", "true"), ("anonymous_grading", "false"),
                      ("graders_anonymous_to_graders", "false"), ("grader_names_visible_to_final_grader", "true"),
                      ("anonymous_instructor_annotations", "false")]:
        C.el(asg, tag, text)
    C.el(C.el(asg, "post_policy"), "post_manually", "false")
    C.el(root, "assignment_group_identifierref", aid.replace("assessment", "assignment-group", 1))
    C.el(root, "assignment_overrides")
    return _xml(root)
