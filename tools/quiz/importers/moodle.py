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
    category = ""
    for el in root.iterfind("question"):
        qtype = el.get("type", "")
        if qtype == "category":
            category = _plain(el.find("category"))
            continue
        raw = _question(el, qtype, category, shown, warnings, ours)
        if raw is not None:
            raws.append(raw)
    return raws, warnings


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
    tags, objective, difficulty = [], "", None
    for t in el.iterfind("tags/tag"):
        value = _plain(t).strip()
        if value.startswith("objective:"):
            objective = value[len("objective:"):].strip()
        elif value.startswith("difficulty:") and value[len("difficulty:"):].strip() in ("1", "2", "3"):
            difficulty = int(value[len("difficulty:"):].strip())
        elif value:
            tags.append(value)
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
                answers.append(text.replace("\\*", "*"))
            else:
                warnings.append(ImportWarning(where, f"the answer '{text}' with {_fraction(a) * 100:g}% credit is "
                                                     "dropped (short answers are right or wrong)"))
        if (el.findtext("usecase") or "0").strip() == "1":
            warnings.append(ImportWarning(where, "case-sensitive matching becomes case-insensitive"))
        data = {"type": "short", "prompt": prompt.text, "answers": clean_short_answers(answers)}
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
    return Raw(data, el.sourceline or 0, title, category, tags, general.quote, objective, difficulty)


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


def _split_unescaped(text: str, sep: str) -> list[str]:
    parts, buf, i = [], [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            buf.append(text[i : i + 2])
            i += 2
            continue
        if text[i] == sep:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(text[i])
        i += 1
    parts.append("".join(buf))
    return parts


def _unescape_cloze(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _cloze(el, where: str, warnings: list[ImportWarning], ours: bool) -> dict | None:
    text = html_to_text(_plain(el.find("questiontext"))).text
    feedback = ""
    kinds = set()

    def blank(m: re.Match) -> str:
        nonlocal feedback
        kind = m.group(2)
        right: list[str] = []
        for alt in _split_unescaped(m.group(3), "~"):
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
            answer_part = _split_unescaped(alt, "#")
            answer = _unescape_cloze(answer_part[0]).strip()
            fb = _unescape_cloze("#".join(answer_part[1:])).strip()
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
            elif 0 < fraction < 0.999:
                kinds.add("partial credit")
        if kind not in ("SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC", "NUMERICAL", "NM"):
            kinds.add("drop-down or multiple-response blank")
        if kind in ("SHORTANSWER_C", "SAC", "MWC"):
            kinds.add("case-sensitive blank")
        right = clean_short_answers(right)
        if not right:
            kinds.add("blank without a right answer")
            return "_____"
        return "{{" + "|".join(a.replace("|", "/") for a in right) + "}}"

    prompt = _SUBQ.sub(blank, text)
    for k in sorted(kinds):
        warnings.append(ImportWarning(where, {
            "drop-down or multiple-response blank": "a drop-down or multiple-response blank becomes a typed blank "
                                                    "accepting its right choices",
            "numeric tolerance": "the tolerance of a numeric blank is dropped (blanks are typed answers)",
            "partial credit": "partly right answers of a blank are dropped",
            "case-sensitive blank": "a case-sensitive blank becomes case-insensitive",
            "blank without a right answer": "a blank without a right answer is shown as _____ and not graded",
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
    title = title or next((category_name(r.category) for r in raws if category_name(r.category)), "") \
        or Path(path).stem
    return build_bank(raws, bank_id, title, chapter, source, warnings, objective_texts)
