"""What Moodle's importer reads of a Moodle XML question, emulated for the tests.

Written from Moodle's own reader, not from this project's exporter:
- question/format/xml/format.php (qformat_xml): `import_headers` reads name, questiontext,
  generalfeedback, defaultgrade, penalty, idnumber and tags for every type except cloze;
  `import_multianswer` reads only the question text, name, general feedback, penalty,
  hints and tags (no idnumber, no combined feedback);
- question/type/multianswer/questiontype.php (qtype_multianswer_extract_question): a blank
  `{n:SHORTANSWER:…}` splits its alternatives with ANSWER_ALTERNATIVE_REGEX (an answer ends
  at `~ # }` not preceded by a backslash, or `#` by `&`; a feedback at `~ }` not preceded by
  a backslash), then `html_entity_decode`s each answer and feedback and replaces only `\\}`
  and `\\#`;
- question/type/shortanswer/question.php (compare_string_with_wildcard): `*` matches any
  text, `\\*` a literal star, case ignored unless usecase.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_ANSWER = r"(?P<answer>.+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$))"  # PHP: (?<!\\|&|&amp;)
_FEEDBACK = r"(?:#(?P<feedback>.*?(?<!\\)(?=[~}]|$)))?"
_FRACTION = r"(?P<fraction>=|%(?P<percent>-?[0-9]+)%)?"
_ALTERNATIVE = re.compile(r"~?" + _FRACTION + _ANSWER + _FEEDBACK, re.S)
_BLANK = re.compile(r"\{(?P<norm>[0-9]*):(?P<kind>SHORTANSWER|SA|MW|NUMERICAL|NM|SHORTANSWER_C|SAC|MWC):"
                    r"(?P<alts>(?:[^}\\]|\\.)*)\}", re.S)


@dataclass
class Answer:
    text: str
    fraction: float
    feedback: str = ""
    tolerance: float = 0.0  # numerical answers


@dataclass
class Question:
    type: str
    name: str
    idnumber: str | None
    tags: list[str]
    answers: list[Answer] = field(default_factory=list)
    blanks: list[list[Answer]] = field(default_factory=list)  # cloze
    pairs: list[tuple[str, str]] = field(default_factory=list)  # matching
    usecase: bool = False


def _text(el) -> str:
    if el is None:
        return ""
    t = el.find("text")
    return (t.text or "") if t is not None else (el.text or "")


def cloze_blanks(questiontext: str) -> list[list[Answer]]:
    """The blanks as qtype_multianswer_extract_question stores them."""
    out = []
    for m in _BLANK.finditer(questiontext):
        alts, answers = m.group("alts"), []
        while alts:
            a = _ALTERNATIVE.match(alts)
            if not a or not a.group(0):
                break
            fraction = 1.0 if a.group("fraction") == "=" else (int(a.group("percent")) / 100 if a.group("percent")
                                                                else 0.0)
            text = html.unescape(a.group("answer")).replace("\\}", "}").replace("\\#", "#")
            fb = html.unescape(a.group("feedback") or "").replace("\\}", "}").replace("\\#", "#")
            answers.append(Answer(text, fraction, fb))
            alts = alts[len(a.group(0)):]
        out.append(answers)
    return out


def read(el) -> Question:
    qtype = el.get("type")
    tags = [_text(t) for t in el.iterfind("tags/tag")]
    if qtype == "cloze":
        return Question("cloze", _text(el.find("name")), None, tags, blanks=cloze_blanks(_text(el.find("questiontext"))))
    q = Question(qtype, _text(el.find("name")), el.findtext("idnumber"), tags,
                 usecase=(el.findtext("usecase") or "0").strip() == "1")
    for a in el.iterfind("answer"):
        q.answers.append(Answer(_text(a), float(a.get("fraction", "0")) / 100, _text(a.find("feedback")),
                                float(a.findtext("tolerance") or 0)))
    for sub in el.iterfind("subquestion"):
        q.pairs.append((_text(sub), _text(sub.find("answer"))))
    return q


def shortanswer_matches(response: str, pattern: str, usecase: bool = False) -> bool:
    """compare_string_with_wildcard: `*` any text, `\\*` a star; the whole response."""
    bits = re.split(r"(?<!\\)\*+", pattern)
    regex = ".*".join(re.escape(b.replace("\\*", "*")) for b in bits)
    return re.fullmatch(regex, response.strip(), 0 if usecase else re.I | re.S) is not None


def shortanswer_grade(response: str, answers: list[Answer], usecase: bool = False) -> Answer | None:
    """The first answer matching the response (Moodle checks them in order)."""
    for a in answers:
        if shortanswer_matches(response, a.text, usecase):
            return a
    return None
