"""Reading a Moodle XML file (`<quiz>`, Moodle's question bank export) into bank questions.

| Moodle type                      | bank type                                                |
|----------------------------------|----------------------------------------------------------|
| `multichoice`                    | `single` or `multiple` (choices with a positive grade)    |
| `truefalse`                      | `true_false`                                             |
| `shortanswer`                    | `short`; a `*` answer's feedback is the wrong-answer feedback |
| `numerical`                      | `numeric` (the 100 % answer and its tolerance, the unit)  |
| `matching`                       | `matching` (`ordering` when the right items are positions 1…n) |
| `ordering`                       | `ordering`                                               |
| `cloze` (embedded answers)       | `cloze`; a drop-down or numeric blank becomes a typed blank of its right answers |
| `gapselect`, `ddwtos`            | `cloze` with the right word of each gap — warned          |
| `description`, `essay`, others   | left out, with a warning                                 |

The general feedback becomes the explanation; the incorrect feedback (or a `*`
answer's) the question's feedback; each choice keeps its feedback. Categories become
objectives, unless the questions carry the `objective:<id>` and `difficulty:<n>` tags
`quiz export` writes. The file is parsed without DTDs, entities or network access.
"""
from __future__ import annotations

import re
from pathlib import Path

from quiz.course.safeyaml import read_bytes
from quiz.errors import InputError, display_path
from quiz.importers.common import (
    Extracted,
    Imported,
    ImportWarning,
    Raw,
    as_number,
    build_bank,
    category_name,
    choice_list,
    clean_short_answers,
    html_to_text,
    number,
    split_tags,
)

ADDED_FORM = "100.0000000"
# the combined feedback Moodle fills in by default: not the author's words, so not kept
MOODLE_DEFAULT_FEEDBACK = {"Your answer is correct.", "Your answer is partially correct.", "Your answer is incorrect."}


def _parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_comments=False)


def read_moodle(path: str | Path) -> tuple[list[Raw], list[ImportWarning]]:
    from lxml import etree

    shown = display_path(path)
    data = read_bytes(path, "Moodle XML file")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        raise InputError(shown, line, f"not well-formed XML ({exc.msg}); is this a Moodle XML export?") from None
    if root.tag != "quiz":
        raise InputError(shown, root.sourceline or 1, f"the root element is <{root.tag}>, not <quiz>; "
                                                      "export the questions from Moodle in 'Moodle XML format'")
    ours = any(isinstance(c, etree._Comment) and "quiz export" in (c.text or "") for c in root)
    warnings: list[ImportWarning] = []
    raws: list[Raw] = []
    category = group_title = ""
    for el in root.iterfind("question"):
        qtype = el.get("type", "")
        if qtype == "category":
            category = _plain(el.find("category"))
            group_title = _bank_title(_plain(el.find("info")))
            continue
        raw = _question(el, qtype, category, shown, warnings, ours)
        if raw is not None:
            raw.group_title = group_title
            raws.append(raw)
    return raws, warnings


def _bank_title(info_html: str) -> str:
    """The bank title `quiz export` writes in a category's info (`<p class="quiz-bank-title">`);
    '' for a category's own description."""
    m = re.search(r'<p class="quiz-bank-title">(.*?)</p>', info_html or "", re.DOTALL)
    return html_to_text(m.group(1)).text if m else ""


def _plain(el) -> str:
    """The <text> of an element, as written."""
    if el is None:
        return ""
    t = el.find("text")
    return (t.text or "") if t is not None else (el.text or "")


def _rich(el) -> Extracted:
    """The <text> of a text element with a format attribute, as plain text."""
    if el is None:
        return Extracted("")
    fmt = el.get("format", "html")
    text = _plain(el)
    if fmt in ("html", "moodle_auto_format"):
        return html_to_text(text)
    return Extracted(text.strip())


def _question(el, qtype: str, category: str, shown: str, warnings: list[ImportWarning], ours: bool) -> Raw | None:
    name = _plain(el.find("name")).strip()
    idnumber = (el.findtext("idnumber") or "").strip()
    title = idnumber or name
    where = title or f"{shown}:{el.sourceline}"
    prompt = _rich(el.find("questiontext"))
    general = _rich(el.find("generalfeedback"))
    incorrect = next((t for t in (_rich(el.find("incorrectfeedback")).text,
                                  _rich(el.find("partiallycorrectfeedback")).text)
                      if t and t not in MOODLE_DEFAULT_FEEDBACK), "")
    tags, objective, difficulty = split_tags([_plain(t) for t in el.iterfind("tags/tag")])
    _warn_losses(el, qtype, where, warnings)
    data: dict | None = None

    if qtype == "multichoice":
        single = (el.findtext("single") or "true").strip().lower() in ("true", "1")
        choices = [(_rich(a).text, _fraction(a), _rich(a.find("feedback")).text) for a in el.iterfind("answer")]
        data = choice_list(choices, single, where, warnings)
        data["prompt"] = prompt.text
    elif qtype == "truefalse":
        answer, wrong_fb = True, ""
        for a in el.iterfind("answer"):
            value = _plain(a).strip().lower() in ("true", "1", "yes")
            if _fraction(a) >= 0.999:
                answer = value
            else:
                wrong_fb = _rich(a.find("feedback")).text
        data = {"type": "true_false", "prompt": prompt.text, "answer": answer}
        if wrong_fb or incorrect:
            data["feedback"] = wrong_fb or incorrect
    elif qtype == "shortanswer":
        answers, fb = [], ""
        for a in el.iterfind("answer"):
            text = _plain(a).strip()
            if text == "*":
                fb = fb or _rich(a.find("feedback")).text
            elif ours and a.get("fraction") == ADDED_FORM:
                continue  # a punctuation-free form added by `quiz export`
            elif _fraction(a) >= 0.999:
                answers.append(text)  # `\\*` and wildcards: clean_short_answers
                _right_feedback(a, where, text, warnings)
            else:
                warnings.append(ImportWarning(where, f"the answer '{text}' with {_fraction(a) * 100:g}% credit is "
                                                     "dropped (short answers are right or wrong)"))
        if (el.findtext("usecase") or "0").strip() == "1":
            warnings.append(ImportWarning(where, "case-sensitive matching becomes case-insensitive"))
        data = {"type": "short", "prompt": prompt.text, "answers": clean_short_answers(answers, where, warnings)}
        if fb:
            data["feedback"] = fb
    elif qtype == "numerical":
        data = _numerical(el, prompt.text, where, warnings)
    elif qtype == "matching":
        pairs = []
        for sub in el.iterfind("subquestion"):
            left = _rich(sub).text
            right = _plain(sub.find("answer")).strip()
            if not left:
                warnings.append(ImportWarning(where, f"the extra right-hand item '{right}' is dropped "
                                                     "(the bank format has no distractors for matching)"))
                continue
            pairs.append({"left": left, "right": right})
        data = {"type": "matching", "prompt": prompt.text, "pairs": pairs}
    elif qtype == "ordering":
        grading = (el.findtext("gradingtype") or "").strip().upper()
        if grading not in ("", "RELATIVE_NEXT_EXCLUDE_LAST", "REL", "RELATIVE", "1"):
            warnings.append(ImportWarning(where, f"graded {grading} in Moodle; the course grades each item "
                                                 "followed by its right successor"))
        items = [_rich(a).text for a in el.iterfind("answer")]
        data = {"type": "ordering", "prompt": prompt.text, "items": items}
    elif qtype == "cloze":
        data = _cloze(el, where, warnings, ours)
    elif qtype in ("gapselect", "ddwtos"):
        data = _gaps(el, qtype, prompt.text, where, warnings)
    else:
        what = {"description": "a description is not a question", "essay": "an essay has no answer to check",
                "random": "a random question stands for others"}.get(qtype, f"the Moodle type '{qtype}' has "
                                                                           "no equivalent in the bank format")
        warnings.append(ImportWarning(where, f"left out: {what}"))
        return None
    if data is None:
        return None
    if general.text:
        data["explanation"] = general.text
    if "feedback" not in data and (incorrect or general.feedback):
        data["feedback"] = incorrect or general.feedback
    return Raw(data, el.sourceline or 0, title, category, tags, general.quote, objective, difficulty, general.chapter,
               more_sources=general.more_sources)


PENALTY_DEFAULT = 0.3333333  # Moodle's default penalty per wrong try (what `quiz export` writes)


def _warn_losses(el, qtype: str, where: str, warnings: list[ImportWarning]) -> None:
    """A warning line for each thing of the Moodle question the bank format cannot keep:
    images, a weight other than 1, a penalty per try, feedback shown after a right answer."""
    images = sum(_rich(x).images for x in [el.find("questiontext"), el.find("generalfeedback"),
                                           *el.iterfind("answer"), *el.iterfind("answer/feedback"),
                                           *el.iterfind("subquestion")] if x is not None)
    if images:
        warnings.append(ImportWarning(where, f"{images} image(s) dropped (the bank format holds text; describe "
                                             "the image in the prompt)"))
    grade = number(el.findtext("defaultgrade") or "1")
    if grade is not None and abs(grade - 1) > 1e-9 and qtype not in ("cloze", "description"):
        warnings.append(ImportWarning(where, f"the question's weight {grade:g} is dropped (every question of a "
                                             "bank counts 1)"))
    penalty = number(el.findtext("penalty") or str(PENALTY_DEFAULT))
    if penalty and abs(penalty - PENALTY_DEFAULT) > 1e-6 and qtype != "description":
        warnings.append(ImportWarning(where, f"the penalty of {penalty:g} per wrong try is dropped (the course "
                                             "grades the answer given, not the tries)"))
    right = _rich(el.find("correctfeedback")).text
    if right and right not in MOODLE_DEFAULT_FEEDBACK:
        warnings.append(ImportWarning(where, f"the feedback for a right answer '{right}' is dropped (the bank "
                                             "shows the explanation after every answer)"))
    if qtype in ("truefalse", "numerical"):
        for a in el.iterfind("answer"):
            if _fraction(a) >= 0.999:
                _right_feedback(a, where, _plain(a).strip(), warnings)


def _right_feedback(a, where: str, text: str, warnings: list[ImportWarning]) -> None:
    fb = _rich(a.find("feedback")).text
    if fb:
        warnings.append(ImportWarning(where, f"the feedback on the right answer '{text}' is dropped (the bank "
                                             "shows the explanation after a right answer)"))


def _fraction(a) -> float:
    try:
        return float(a.get("fraction", "0")) / 100
    except ValueError:
        return 0.0


def _numerical(el, prompt: str, where: str, warnings: list[ImportWarning]) -> dict:
    from quiz.exporters.common import split_unit_suffix

    answer = tolerance = None
    fb = ""
    for a in el.iterfind("answer"):
        text = _plain(a).strip()
        if text == "*":
            fb = fb or _rich(a.find("feedback")).text
            continue
        if _fraction(a) < 0.999:
            warnings.append(ImportWarning(where, f"the numeric answer {text} with {_fraction(a) * 100:g}% credit "
                                                 "is dropped (numeric answers are right or wrong)"))
            continue
        if answer is None:
            answer = number(text)
            tolerance = number(a.findtext("tolerance") or "0") or 0.0
            if answer is None:
                warnings.append(ImportWarning(where, f"'{text}' is not a number; the answer is set to 0, check it"))
                answer = 0.0
    if answer is None:
        warnings.append(ImportWarning(where, "no fully right answer; the answer is set to 0, check it"))
        answer = 0.0
    unit = ""
    for u in el.iterfind("units/unit"):
        if (number(u.findtext("multiplier") or "1") or 1.0) == 1.0:
            unit = (u.findtext("unit_name") or "").strip()
            break
    if unit:
        stem, suffix_unit = split_unit_suffix(prompt)
        if suffix_unit == unit:
            prompt = stem
    data: dict = {"type": "numeric", "prompt": prompt, "answer": as_number(answer)}
    if tolerance:
        data["tolerance"] = as_number(abs(tolerance))
    if unit:
        data["unit"] = unit
    if fb:
        data["feedback"] = fb
    return data


_SUBQ = re.compile(r"\{(\d*):([A-Z_]+):((?:\\.|[^\\}])*)\}")


def _alternatives(body: str) -> list[tuple[str, str]]:
    """A blank's alternatives as (prefix and answer, feedback), split where Moodle's reader
    (question/type/multianswer/questiontype.php) splits them: an answer ends at `~`, `#` or
    the end not preceded by a backslash (nor `#` by `&`, the start of a character
    reference); a feedback ends at `~` not preceded by a backslash."""
    out, i, n = [], 0, len(body)
    while i < n:
        j = i
        while j < n and not (body[j] in "~#" and (j == i or body[j - 1] != "\\")
                             and not (body[j] == "#" and j > i and body[j - 1] == "&")):
            j += 1
        answer, fb = body[i:j], ""
        if j < n and body[j] == "#":
            k = j + 1
            while k < n and not (body[k] == "~" and body[k - 1] != "\\"):
                k += 1
            fb, j = body[j + 1 : k], k
        out.append((answer, fb))
        i = j + 1
    return out


def _decode(text: str) -> str:
    """What Moodle's reader stores for a blank's answer or feedback text."""
    import html

    return html.unescape(text).replace("\\}", "}").replace("\\#", "#")


def _cloze(el, where: str, warnings: list[ImportWarning], ours: bool) -> dict | None:
    source = _plain(el.find("questiontext"))
    found: list[re.Match] = []

    def stash(m: re.Match) -> str:
        found.append(m)
        return f"\ue020{len(found) - 1}\ue021"

    text = html_to_text(_SUBQ.sub(stash, source)).text
    feedback = ""
    kinds = set()

    def blank(m: re.Match) -> str:
        nonlocal feedback
        kind = m.group(2)
        right: list[str] = []
        for alt, fb_raw in _alternatives(m.group(3)):
            alt = alt.strip()
            if not alt:
                continue
            fraction, added = 0.0, False
            if alt.startswith("="):
                fraction, alt = 1.0, alt[1:]
            else:
                w = re.match(r"^%(-?\d+(?:\.\d+)?)%", alt)
                if w:
                    fraction, alt = float(w.group(1)) / 100, alt[w.end():]
                    added = ours and w.group(1) == "100"
            answer = _decode(alt).strip()
            fb = html_to_text(_decode(fb_raw)).text
            if answer == "*":
                feedback = feedback or fb
                continue
            if fraction >= 0.999 and not added:
                if kind in ("NUMERICAL", "NM") and ":" in answer:
                    value, tol = answer.split(":", 1)
                    if number(tol):
                        kinds.add("numeric tolerance")
                    answer = value.strip()
                right.append(answer)
                if fb:
                    kinds.add("right feedback")
            elif 0 < fraction < 0.999:
                kinds.add("partial credit")
        if kind not in ("SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC", "NUMERICAL", "NM"):
            kinds.add("drop-down or multiple-response blank")
        if kind in ("SHORTANSWER_C", "SAC", "MWC"):
            kinds.add("case-sensitive blank")
        right = clean_short_answers(right, where, warnings)
        if not right:
            kinds.add("blank without a right answer")
            return "_____"
        return "{{" + "|".join(a.replace("|", "/") for a in right) + "}}"

    prompt = re.sub("\ue020(\\d+)\ue021", lambda t: blank(found[int(t.group(1))]), text)
    for k in sorted(kinds):
        warnings.append(ImportWarning(where, {
            "drop-down or multiple-response blank": "a drop-down or multiple-response blank becomes a typed blank "
                                                    "accepting its right choices",
            "numeric tolerance": "the tolerance of a numeric blank is dropped (blanks are typed answers)",
            "partial credit": "partly right answers of a blank are dropped",
            "case-sensitive blank": "a case-sensitive blank becomes case-insensitive",
            "blank without a right answer": "a blank without a right answer is shown as _____ and not graded",
            "right feedback": "the feedback on a blank's right answer is dropped (the bank shows the explanation)",
        }[k]))
    data = {"type": "cloze", "prompt": prompt}
    if feedback:
        data["feedback"] = feedback
    return data


def _gaps(el, qtype: str, prompt: str, where: str, warnings: list[ImportWarning]) -> dict:
    tag = "selectoption" if qtype == "gapselect" else "dragbox"
    options = [_rich(o).text for o in el.iterfind(tag)]

    def gap(m: re.Match) -> str:
        k = int(m.group(1))
        if 1 <= k <= len(options) and options[k - 1]:
            return "{{" + options[k - 1].replace("|", "/") + "}}"
        return "_____"

    warnings.append(ImportWarning(where, f"a {qtype} question becomes a cloze question: each gap is typed, "
                                         "accepting its right word"))
    return {"type": "cloze", "prompt": re.sub(r"\[\[(\d+)\]\]", gap, prompt)}


def import_moodle(path: str | Path, bank_id: str, title: str | None = None, chapter: str | None = None,
                  source: str = "all", objective_texts: dict | None = None) -> Imported:
    raws, warnings = read_moodle(path)
    if not raws:
        raise InputError(display_path(path), 0, "no questions found in this Moodle XML file")
    title = title or next((r.group_title for r in raws if r.group_title), "") \
        or next((category_name(r.category) for r in raws if category_name(r.category)), "") or Path(path).stem
    return build_bank(raws, bank_id, title, chapter, source, warnings, objective_texts)
