"""Questions as Moodle XML (`<quiz>`), the format of Moodle's question bank import.

One category per bank (`$course$/top/<bank id>`, its title as the category's info), then
the bank's questions. Each question is named by its id (also its `idnumber`), its prompt
and choices are HTML-escaped text, the explanation is the general feedback, followed by
the source passage and its citation, and it is tagged with its tags, `objective:<id>`
and `difficulty:<n>`.

| bank type    | Moodle question type                                                   |
|--------------|------------------------------------------------------------------------|
| `single`     | `multichoice`, single answer; each choice's feedback kept              |
| `multiple`   | `multichoice`, multiple answers: right choices +100/k %, wrong ones     |
|              | −100/k % (Moodle's floor at 0 makes this the course's partial credit)   |
| `true_false` | `truefalse`; the wrong answer carries the question's feedback           |
| `short`      | `shortanswer`, case-insensitive; each answer, then its punctuation-free |
|              | form when different; a `*` answer (0 %) carries the wrong-answer feedback |
| `numeric`    | `numerical` with the tolerance; the unit as an optional unit            |
| `cloze`      | `cloze` (embedded answers): one `SHORTANSWER` blank per blank           |
| `matching`   | `matching`                                                             |
| `ordering`   | `ordering` (Moodle 4.4+, or the qtype_ordering plugin), graded          |
|              | "relative to the next item, excluding the last" as the course grades;   |
|              | or, with `ordering="matching"`, matching of items to positions — warned |

The question's wrong-answer feedback is the "incorrect" and "partially correct"
feedback of the types that have them. Added punctuation-free forms are written with
`fraction="100.0000000"` (Moodle reads the same grade) so `quiz import` can drop them.
"""
from __future__ import annotations

from pathlib import Path

from lxml import etree

from quiz import model
from quiz.exporters.common import (
    ExportSource,
    ExportWarning,
    Item,
    accepted_forms_marked,
    cloze_parts,
    general_feedback_html,
    h,
    lms_order,
    number_text,
    position_label,
    prompt_text,
)
from quiz.neutralise import xml_text

FORMAT = "moodle"
SUFFIX = ".xml"
BINARY = False

ADDED_FORM = "100.0000000"  # the fraction of a punctuation-free form added by the export


def render(source: ExportSource, ordering: str = "ordering", **_options) -> tuple[str, list[ExportWarning]]:
    if ordering not in ("ordering", "matching"):
        raise ValueError(f"ordering must be 'ordering' or 'matching', not {ordering!r}")
    warnings: list[ExportWarning] = []
    root = etree.Element("quiz")
    title = xml_text(source.title).replace("--", "- -").rstrip("-")
    root.append(etree.Comment(f" {title}: {len(source)} questions, written by quiz export (format moodle) "))
    shuffle = source.kind != "sheet"
    for group in source.groups:
        cat = etree.SubElement(root, "question", type="category")
        _text(etree.SubElement(cat, "category"), f"$course$/top/{group.id}")
        info = etree.SubElement(cat, "info", format="html")
        _text(info, f'<p class="quiz-bank-title">{h(group.title)}</p>')  # `quiz import` takes the title back
        etree.SubElement(cat, "idnumber")
        for item in group.items:
            root.append(question_element(item, warnings, shuffle, ordering))
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return xml.decode("utf-8"), warnings


def export(source: ExportSource, out_path: str | Path, **options) -> list[ExportWarning]:
    text, warnings = render(source, **options)
    Path(out_path).write_text(text, encoding="utf-8")
    return warnings


def _text(parent, value: str):
    el = etree.SubElement(parent, "text")
    el.text = xml_text(value)
    return el


def _html(parent, tag: str, value: str):
    el = etree.SubElement(parent, tag, format="html")
    _text(el, value)
    return el


def _sub(parent, tag: str, value: str | None = None):
    el = etree.SubElement(parent, tag)
    if value is not None:
        el.text = xml_text(value)
    return el


def _head(q: model.Question, qtype: str, prompt_html: str, general: str, idnumber: bool = True):
    el = etree.Element("question", type=qtype)
    _text(_sub(el, "name"), q.id)
    _html(el, "questiontext", prompt_html)
    _html(el, "generalfeedback", general)
    _sub(el, "defaultgrade", f"{float(q.points):g}")
    _sub(el, "penalty", "0.3333333")
    _sub(el, "hidden", "0")
    if idnumber:  # Moodle's cloze import (import_multianswer) reads no idnumber: the name carries the id
        _sub(el, "idnumber", q.id)
    return el


def _combined_feedback(el, q: model.Question) -> None:
    wrong = f"<p>{h(q.feedback)}</p>" if q.feedback else ""
    _html(el, "correctfeedback", "")
    _html(el, "partiallycorrectfeedback", wrong)
    _html(el, "incorrectfeedback", wrong)
    _sub(el, "shownumcorrect")


def _answer(parent, fraction: str, text: str, feedback: str = "", fmt: str = "html"):
    a = etree.SubElement(parent, "answer", fraction=fraction, format=fmt)
    _text(a, text)
    _html(a, "feedback", f"<p>{h(feedback)}</p>" if feedback else "")
    return a


def _tags(el, q: model.Question) -> None:
    tags = etree.SubElement(el, "tags")
    for t in [*q.tags, f"objective:{q.objective}", f"difficulty:{q.difficulty}"]:
        _text(_sub(tags, "tag"), t)


def percent(value: float) -> str:
    """A grade percentage as Moodle writes it (7 significant decimals of the fraction)."""
    return f"{value:.5f}".rstrip("0").rstrip(".") or "0"


def shortanswer_escape(text: str) -> str:
    """Moodle's short-answer matching treats `*` as a wildcard; a literal one is `\\*`."""
    return text.replace("*", "\\*")


# Moodle's embedded-answers reader (question/type/multianswer/questiontype.php,
# qtype_multianswer_extract_question) splits a blank's alternatives at `~`, `#` and `}` not
# preceded by a backslash (nor, for `#`, by `&`), then html_entity_decode()s each answer and
# feedback and turns only `\}` and `\#` back into `}` and `#`: any other backslash (`\/`,
# `\~`, `\"`) stays in the answer and the student's typing never matches it. So the
# specials are written as numeric character references, which pass the split untouched and
# decode to the character itself.
_CLOZE_REFS = {"\\": "&#92;", "}": "&#125;", "~": "&#126;", "{": "&#123;"}


def cloze_escape(text: str) -> str:
    """An answer inside a Moodle cloze blank, as the reader above decodes it back to `text`;
    a `*` gets a backslash (the short-answer blank reads a bare one as a wildcard)."""
    out = h(text).replace("#", "&#35;")
    for ch, ref in _CLOZE_REFS.items():
        out = out.replace(ch, ref)
    return out.replace("*", "\\*")


def cloze_feedback(text: str) -> str:
    """Feedback inside a cloze blank: decoded once by the reader, then shown as HTML, so it is
    escaped twice; `~` and `}` would end it."""
    out = h(h(text))
    for ch, ref in _CLOZE_REFS.items():
        out = out.replace(ch, ref.replace("&", "&amp;") if ch == "\\" else ref)
    return out


def essay_grader_html(q: model.Essay) -> str:
    """An essay's grader information: the model answer and the rubric as a table."""
    rows = "".join(f"<tr><td>{h(c.name)}</td><td>{h(lv.label)}</td><td>{lv.points:g}</td><td>{h(lv.description)}</td></tr>"
                   for c in q.rubric for lv in c.levels)
    return (f"<h4>Model answer</h4><p>{h(q.model_answer)}</p><h4>Rubric ({q.rubric_max:g} points)</h4>"
            f"<table><tr><th>criterion</th><th>level</th><th>points</th><th>description</th></tr>{rows}</table>")


def question_element(item: Item, warnings: list[ExportWarning], shuffle: bool = True, ordering: str = "ordering"):
    q = item.question
    general = general_feedback_html(q)
    prompt = f"<p>{h(prompt_text(q))}</p>"
    order = lms_order(item)

    if isinstance(q, (model.Single, model.Multiple)):
        el = _head(q, "multichoice", prompt, general)
        _sub(el, "single", "true" if isinstance(q, model.Single) else "false")
        _sub(el, "shuffleanswers", "true" if shuffle else "false")
        _sub(el, "answernumbering", "abc")
        _sub(el, "showstandardinstruction", "1")
        _combined_feedback(el, q)
        k = len(q.correct_indices)
        for i in order:
            c = q.choices[i]
            if isinstance(q, model.Single):
                fraction = "100" if c.correct else "-" + percent(100 * q.penalty) if q.penalty else "0"
            else:
                fraction = percent(100 / k) if c.correct else "-" + percent(100 / k)
            _answer(el, fraction, h(c.text), c.feedback)
    elif isinstance(q, model.TrueFalse):
        el = _head(q, "truefalse", prompt, general)
        for value in (True, False):
            right = value == q.answer
            _answer(el, "100" if right else "0", "true" if value else "false", "" if right else q.feedback,
                    fmt="moodle_auto_format")
    elif isinstance(q, model.Short):
        el = _head(q, "shortanswer", prompt, general)
        _sub(el, "usecase", "0")
        for a, added in accepted_forms_marked(q.answers):
            _answer(el, ADDED_FORM if added else "100", shortanswer_escape(a), fmt="moodle_auto_format")
        if q.feedback:
            _answer(el, "0", "*", q.feedback, fmt="moodle_auto_format")
    elif isinstance(q, model.Numeric):
        el = _head(q, "numerical", prompt, general)
        a = _answer(el, "100", number_text(q.answer), fmt="moodle_auto_format")
        _sub(a, "tolerance", number_text(q.tolerance))
        if q.feedback:
            a = _answer(el, "0", "*", q.feedback, fmt="moodle_auto_format")
            _sub(a, "tolerance", "0")
        if q.unit:
            units = _sub(el, "units")
            unit = _sub(units, "unit")
            _sub(unit, "multiplier", "1")
            _sub(unit, "unit_name", q.unit)
        _sub(el, "unitgradingtype", "0")
        _sub(el, "unitpenalty", "0.1000000")
        _sub(el, "showunits", "0" if q.unit else "3")
        _sub(el, "unitsleft", "0")
    elif isinstance(q, model.Cloze):
        pieces = []
        for part in cloze_parts(q.prompt):
            if isinstance(part, str):
                pieces.append(h(part))
                continue
            alts = [("%100%" if added else "=") + cloze_escape(a) for a, added in accepted_forms_marked(part)]
            if q.feedback:  # the reader keeps no question-level feedback: each blank's catch-all gives it
                alts.append("*#" + cloze_feedback(q.feedback))
            pieces.append("{1:SHORTANSWER:" + "~".join(alts) + "}")
        el = _head(q, "cloze", f"<p>{''.join(pieces)}</p>", general, idnumber=False)
    elif isinstance(q, model.Matching):
        el = _head(q, "matching", prompt, general)
        _sub(el, "shuffleanswers", "true")
        _combined_feedback(el, q)
        for i in order:
            left, right = q.pairs[i]
            sub = etree.SubElement(el, "subquestion", format="html")
            _text(sub, h(left))
            _text(_sub(sub, "answer"), right)
    elif isinstance(q, model.Ordering) and ordering == "matching":
        warnings.append(ExportWarning(q.id, f"ordering written as matching of each item to its position 1…"
                                            f"{len(q.items)} (as asked); Moodle then scores each item in its right "
                                            "position, not each right successor"))
        el = _head(q, "matching", prompt, general)
        _sub(el, "shuffleanswers", "true")
        _combined_feedback(el, q)
        for i in order:
            sub = etree.SubElement(el, "subquestion", format="html")
            _text(sub, h(q.items[i]))
            _text(_sub(sub, "answer"), position_label(i))
    elif isinstance(q, model.Ordering):
        el = _head(q, "ordering", prompt, general)
        _sub(el, "layouttype", "VERTICAL")
        _sub(el, "selecttype", "ALL")
        _sub(el, "selectcount", str(len(q.items)))
        _sub(el, "gradingtype", "RELATIVE_NEXT_EXCLUDE_LAST")
        _sub(el, "showgrading", "SHOW")
        _sub(el, "numberingstyle", "none")
        _combined_feedback(el, q)
        for pos, text in enumerate(q.items, 1):
            _answer(el, str(pos), h(text))
    elif isinstance(q, model.Essay):
        el = _head(q, "essay", prompt, general)
        _sub(el, "responseformat", "editor")
        _sub(el, "responserequired", "1")
        _sub(el, "responsefieldlines", str(max(5, q.lines)))
        _sub(el, "minwordlimit")
        _sub(el, "maxwordlimit")
        _sub(el, "attachments", "0")
        _sub(el, "attachmentsrequired", "0")
        _sub(el, "maxbytes", "0")
        _sub(el, "filetypeslist")
        _html(el, "graderinfo", essay_grader_html(q))
        _html(el, "responsetemplate", "")
    else:
        raise TypeError(f"no Moodle XML form for question type {q.type!r}")
    _tags(el, q)
    return el
