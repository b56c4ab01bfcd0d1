"""The conformance table: probe responses per question type, with the score the course's
rules give (quizzes/README.md), and the documented differences of channels that cannot
express a rule (quizzes/EXPORTS.md says the same in prose).

A probe's response is in the documented response form (texts, not letters), so one table
serves every channel; each channel renders it as its students would give it (letters typed
in a terminal, clicks in the book, a CSV cell, an LMS selection). `None` marks a probe
that has no meaning for a type, with the reason in NOT_APPLICABLE.
"""
from __future__ import annotations

from pathlib import Path

BANK = Path(__file__).with_name("conformance.yaml")
PROBES = ("right", "wrong", "partial", "typo", "alternative", "empty", "malformed")

MATCH_RIGHT = {"Making": "Build at home", "Transacting": "Trade for it", "Taking": "Take without paying"}

# (question id, probe) -> (response, the course's score)
TABLE: dict[tuple[str, str], tuple[object, float]] = {
    ("conf-single", "right"): ("Transacting", 1),
    ("conf-single", "wrong"): ("Making", 0),
    ("conf-single", "alternative"): ("transacting", 1),  # the text, case folded
    ("conf-single", "empty"): (None, 0),
    ("conf-single", "malformed"): ("Z", 0),  # a letter beyond the choices

    ("conf-multiple", "right"): (["Big data for AI", "State access to data"], 1),
    ("conf-multiple", "wrong"): (["Data out of reach", "Market advantage"], 0),
    ("conf-multiple", "partial"): (["Big data for AI"], 0.5),  # max(0, (1 - 0) / 2)
    ("conf-multiple", "alternative"): (["big data for ai", "STATE ACCESS TO DATA"], 1),
    ("conf-multiple", "empty"): ([], 0),
    ("conf-multiple", "malformed"): (["Big data for AI", "Z"], 0),

    ("conf-true-false", "right"): (False, 1),
    ("conf-true-false", "wrong"): (True, 0),
    ("conf-true-false", "alternative"): ("no", 1),
    ("conf-true-false", "empty"): (None, 0),
    ("conf-true-false", "malformed"): ("maybe", 0),

    ("conf-short", "right"): ("U.S. Cyber Command", 1),
    ("conf-short", "wrong"): ("Strategic Command", 0),
    ("conf-short", "typo"): ("US Cyber Comand", 1),  # one edit of 16 letters: forgiven
    ("conf-short", "alternative"): ("US Cyber Command", 1),  # punctuation folded
    ("conf-short", "empty"): ("", 0),
    ("conf-short", "malformed"): (["Cyber", "Command"], 0),  # a list where text is expected

    ("conf-numeric", "right"): ("802", 1),
    ("conf-numeric", "wrong"): ("801", 0),
    ("conf-numeric", "alternative"): ("802.0", 1),
    ("conf-numeric", "empty"): (None, 0),
    ("conf-numeric", "malformed"): ("eight hundred", 0),

    ("conf-cloze", "right"): (["discovery", "implementation"], 1),
    ("conf-cloze", "wrong"): (["invention", "deployment"], 0),
    ("conf-cloze", "partial"): (["discovery", "deployment"], 0.5),
    ("conf-cloze", "typo"): (["discovry", "implementation"], 1),
    ("conf-cloze", "alternative"): (["Discovery.", "IMPLEMENTATION"], 1),
    ("conf-cloze", "empty"): ([], 0),
    ("conf-cloze", "malformed"): ("discovery", 0),  # one answer for two blanks

    ("conf-matching", "right"): (dict(MATCH_RIGHT), 1),
    ("conf-matching", "wrong"): ({"Making": "Trade for it", "Transacting": "Take without paying",
                                  "Taking": "Build at home"}, 0),
    ("conf-matching", "partial"): ({"Making": "Build at home", "Transacting": "Take without paying",
                                    "Taking": "Trade for it"}, 1 / 3),
    ("conf-matching", "alternative"): ({k.lower(): v.upper() for k, v in MATCH_RIGHT.items()}, 1),
    ("conf-matching", "empty"): ({}, 0),
    ("conf-matching", "malformed"): ({"Making": "Z"}, 0),

    ("conf-ordering", "right"): (["2015", "2017", "2025", "2049"], 1),
    ("conf-ordering", "wrong"): (["2049", "2025", "2017", "2015"], 0),
    ("conf-ordering", "partial"): (["2015", "2017", "2049", "2025"], 1 / 3),  # one right successor of three
    ("conf-ordering", "alternative"): ("2015, 2017, 2025, 2049", 1),  # one line
    ("conf-ordering", "empty"): ([], 0),
    ("conf-ordering", "malformed"): (["2015", "2015", "2025", "2049"], 0),  # an item twice
}

NOT_APPLICABLE = {
    ("conf-single", "partial"): "one choice is right or not: no partial credit",
    ("conf-single", "typo"): "a choice is picked, not typed",
    ("conf-multiple", "typo"): "choices are picked, not typed",
    ("conf-true-false", "partial"): "true or false: no partial credit",
    ("conf-true-false", "typo"): "true or false is picked, not typed",
    ("conf-short", "partial"): "a typed answer is right or not",
    ("conf-numeric", "partial"): "a number is within the tolerance or not",
    ("conf-numeric", "typo"): "numbers are not typo-corrected: a slip is another number",
    ("conf-matching", "typo"): "right-hand items are picked, not typed",
    ("conf-ordering", "typo"): "items are put in order, not typed",
}

# channel -> (question id, probe) -> (score in that channel, why it differs)
LMS_EXACT = "LMSs compare the exact text (case aside) with the accepted forms and the punctuation-free forms the export adds: no typo tolerance"
POSITIONS = ("GIFT and Canvas have no ordering type: the export is a matching of each item to its position, scored per "
             "item in its right position (2 of 4), not per right successor")
DIFFERENCES: dict[str, dict[tuple[str, str], tuple[float | None, str]]] = {
    "book": {
        ("conf-ordering", "partial"): (0.25, "the book asks 'what comes right after …?' for every item, the last one "
                                             "included ('It comes last'): 1 of 4 parts, where the course counts 1 of "
                                             "3 successors"),
    },
    "gift": {
        ("conf-short", "typo"): (0, LMS_EXACT),
        ("conf-cloze", "typo"): (0.5, LMS_EXACT),
        ("conf-cloze", "alternative"): (0.5, LMS_EXACT + " ('Discovery.' keeps its full stop)"),
        ("conf-ordering", "partial"): (0.5, POSITIONS),
    },
    "qti": {
        ("conf-short", "typo"): (0, LMS_EXACT),
        ("conf-cloze", "typo"): (0.5, LMS_EXACT),
        ("conf-cloze", "alternative"): (0.5, LMS_EXACT + " ('Discovery.' keeps its full stop)"),
        ("conf-ordering", "partial"): (0.5, POSITIONS),
        ("conf-multiple", "partial"): (0, "the item's response processing gives full marks for exactly the right "
                                          "choices; Canvas applies its own partial credit to multiple-answer "
                                          "questions, not the course's rule"),
    },
    "moodle": {
        ("conf-short", "typo"): (0, LMS_EXACT),
        ("conf-cloze", "typo"): (0.5, LMS_EXACT),
        ("conf-cloze", "alternative"): (0.5, LMS_EXACT + " ('Discovery.' keeps its full stop)"),
    },
}

# probes a channel has no way to take, and why: recorded as "cannot be given", not skipped
PICKED = ("a form with a control per choice, item or blank cannot take it: a choice that does not exist, "
          "a word for true/false, one line for several blanks, an item placed twice")
CANNOT_GIVE = {
    "take": {("conf-cloze", "malformed"): "the terminal asks for each blank in turn: one line for several "
                                          "blanks cannot be typed"},
    "review": {("conf-cloze", "malformed"): "the terminal asks for each blank in turn: one line for several "
                                            "blanks cannot be typed"},
    **{ch: {(q, "malformed"): PICKED for q in ("conf-single", "conf-multiple", "conf-true-false", "conf-cloze",
                                                "conf-matching", "conf-ordering")}
       for ch in ("book", "gift", "qti", "moodle")},
}
for _channel, _cells in CANNOT_GIVE.items():
    DIFFERENCES.setdefault(_channel, {}).update({cell: (None, why) for cell, why in _cells.items()})

# what a channel does with a malformed answer, beside its score (0 everywhere)
MALFORMED_HANDLING = {
    "take": "the terminal refuses it and asks again; the student then skips the question (0)",
    "review": "the terminal refuses it and asks again; the student then skips the question (0)",
    "grade-yaml": "scored 0 and reported as FILE: student: question N (id): …, exit status 1",
    "grade-csv": "scored 0 and reported as FILE:LINE: student: question N (id): …, exit status 1",
}


def expected(channel: str, qid: str, probe: str) -> tuple[float | None, str]:
    """The score `channel` should give (None: it cannot take the probe), and '' or the
    documented reason it differs."""
    score = TABLE[(qid, probe)][1]
    diff = DIFFERENCES.get(channel, {}).get((qid, probe))
    return (diff[0], diff[1]) if diff else (score, "")


def cells() -> list[tuple[str, str]]:
    """Every (question id, probe) with a response."""
    return list(TABLE)
