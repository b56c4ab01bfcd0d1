"""Questions as an Anki deck package (`.apkg`, written with genanki).

One note per question, in a subdeck per bank (`<course>::<bank title>`), tagged
`lesson::<bank>`, `objective::<objective>`, `type::<type>` and `difficulty::<n>` and with
the question's own tags. The front asks the question (choices lettered, matching and
ordering items shuffled in a fixed order); the back gives the answer, the explanation,
the source passage and its citation. Cloze questions are Anki cloze notes: one card per
blank (`{{c1::…}}`), the other accepted forms on the back.

Re-importing a newer export updates the notes instead of adding copies: each note's
guid is `genanki.guid_for(question id)`, and the deck and note type ids are constants
derived from their names (the deck's from the bank id, so renaming a bank's title keeps
its deck). Anki has no typed-answer grading here: these are flashcards, and the student
judges their own answer, so every type is kept as a question and its answer.
"""
from __future__ import annotations

import re
from pathlib import Path

from quiz import model
from quiz.exporters.common import (
    ExportSource,
    ExportWarning,
    Item,
    citation,
    cloze_parts,
    h,
    number_text,
    numeric_prompt,
    shown_order,
    stable_int,
)

FORMAT = "anki"
SUFFIX = ".apkg"
BINARY = True

COURSE_DECK = "China's technology strategy"
BASIC_MODEL_NAME = "Course quiz question (quiz export)"
CLOZE_MODEL_NAME = "Course quiz cloze (quiz export)"
LETTERS = model.LETTERS

CSS = """.card{font-family:Georgia,serif;font-size:20px;text-align:left;color:#111;background:#fff;max-width:40em;margin:auto}
ol.choices{list-style:upper-alpha}.answer{font-weight:bold}.explanation{margin-top:.8em}
blockquote.passage{border-left:3px solid #999;margin:.8em 0;padding-left:.8em;color:#333}
.citation{font-size:.8em;color:#555}.meta{font-size:.7em;color:#777}.cloze{font-weight:bold;color:#1a4f8b}
table.pairs td{padding:.1em .6em;border-bottom:1px solid #ddd}"""

_BACK = ('<div class="explanation">{{Explanation}}</div>'
         '<blockquote class="passage">{{Passage}}</blockquote><div class="citation">{{Citation}}</div>'
         '<div class="meta">{{Id}}</div>')


def basic_model():
    import genanki

    return genanki.Model(
        stable_int(BASIC_MODEL_NAME), BASIC_MODEL_NAME,
        fields=[{"name": n} for n in ("Front", "Back", "Explanation", "Passage", "Citation", "Id")],
        templates=[{"name": "Question", "qfmt": "{{Front}}",
                    "afmt": '{{FrontSide}}<hr id="answer"><div class="answer">{{Back}}</div>' + _BACK}],
        css=CSS)


def cloze_model():
    import genanki

    return genanki.Model(
        stable_int(CLOZE_MODEL_NAME), CLOZE_MODEL_NAME,
        fields=[{"name": n} for n in ("Text", "Back Extra", "Explanation", "Passage", "Citation", "Id")],
        templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}",
                    "afmt": '{{cloze:Text}}<hr id="answer"><div class="answer">{{Back Extra}}</div>' + _BACK}],
        css=CSS, model_type=genanki.Model.CLOZE)


def deck_name(source: ExportSource, group_title: str, course: str = COURSE_DECK) -> str:
    clean = lambda s: s.replace("::", ":").strip()  # noqa: E731 - '::' separates subdecks
    if source.kind == "sheet":
        return f"{clean(course)}::{clean(source.title)}"
    return f"{clean(course)}::{clean(group_title)}"


def tag(text: str) -> str:
    """An Anki tag: no white space."""
    return re.sub(r"\s+", "_", text.strip())


def render(source: ExportSource, course: str = COURSE_DECK, **_options):
    """The genanki Package and the warnings."""
    import genanki

    basic, cloze = basic_model(), cloze_model()
    decks = []
    warnings: list[ExportWarning] = []
    for group in source.groups:
        key = f"sheet:{source.id}" if source.kind == "sheet" else f"bank:{group.id}"
        deck = genanki.Deck(stable_int(f"{course}:{key}"), deck_name(source, group.title, course),
                            description=h(group.title))
        for item in group.items:
            deck.add_note(note(item, basic, cloze))
        decks.append(deck)
    return genanki.Package(decks), warnings


def export(source: ExportSource, out_path: str | Path, timestamp: float | None = None,
           **options) -> list[ExportWarning]:
    """Write the .apkg. `timestamp` (default: now) is the notes' modification time: Anki
    updates an existing note from a package only when the package's note is newer."""
    package, warnings = render(source, **options)
    package.write_to_file(str(out_path), timestamp=timestamp)
    return warnings


def note(item: Item, basic, cloze):
    import genanki

    q = item.question
    tags = [tag(f"lesson::{q.bank}") if q.bank else None, tag(f"objective::{q.objective}"), tag(f"type::{q.type}"),
            f"difficulty::{q.difficulty}", *(tag(t) for t in q.tags)]
    tags = [t for t in dict.fromkeys(tags) if t]
    common = [h(q.explanation), "<br><br>".join(h(p.quote) for p in q.passages),
              "; ".join(dict.fromkeys(h(citation(q, p)) for p in q.passages)), h(q.id)]
    if isinstance(q, model.Cloze):
        text, k = [], 0
        for part in cloze_parts(q.prompt):
            if isinstance(part, str):
                text.append(h(part))
            else:
                k += 1
                text.append(f"{{{{c{k}::{_cloze_answer(part[0])}}}}}")
        others = [f"[{i}] {' / '.join(h(a) for a in b)}" for i, b in enumerate(q.blanks, 1) if len(b) > 1]
        extra = ("Also accepted: " + "; ".join(others)) if others else ""
        return genanki.Note(model=cloze, fields=["".join(text), extra, *common], guid=genanki.guid_for(q.id),
                            tags=tags)
    front, back = front_back(item)
    return genanki.Note(model=basic, fields=[front, back, *common], guid=genanki.guid_for(q.id), tags=tags)


def _cloze_answer(text: str) -> str:
    """A cloze deletion's text: HTML-escaped, with the characters of Anki's cloze syntax
    (`::`, `}}`) written as entities."""
    return h(text).replace(":", "&#58;").replace("}", "&#125;").replace("{", "&#123;")


def front_back(item: Item) -> tuple[str, str]:
    """The HTML of a card's front and back for a non-cloze question."""
    q = item.question
    order = shown_order(item)
    prompt = f"<p>{h(q.prompt)}</p>"
    if isinstance(q, (model.Single, model.Multiple)):
        shown = [q.choices[i] for i in order]
        hint = "<p><i>Select all that apply.</i></p>" if isinstance(q, model.Multiple) else ""
        front = prompt + "<ol class=\"choices\">" + "".join(f"<li>{h(c.text)}</li>" for c in shown) + "</ol>" + hint
        right = [f"{LETTERS[k]}. {h(c.text)}" for k, c in enumerate(shown) if c.correct]
        return front, "<br>".join(right)
    if isinstance(q, model.TrueFalse):
        return prompt + "<p><i>True or false?</i></p>", ("True" if q.answer else "False") + \
            (f"<p>{h(q.feedback)}</p>" if q.feedback else "")
    if isinstance(q, model.Short):
        extra = f"<br><small>Also accepted: {h(', '.join(q.answers[1:]))}</small>" if len(q.answers) > 1 else ""
        return prompt, h(q.answers[0]) + extra
    if isinstance(q, model.Numeric):
        value = number_text(q.answer) + (f" (± {number_text(q.tolerance)})" if q.tolerance else "")
        return f"<p>{h(numeric_prompt(q))}</p>", h(f"{value} {q.unit}".strip())
    if isinstance(q, model.Matching):
        rights = [q.rights[i] for i in order]
        front = prompt + "<table class=\"pairs\">" + "".join(
            f"<tr><td>{h(left)}</td><td>{LETTERS[k]}. {h(right)}</td></tr>"
            for k, (left, right) in enumerate(zip(q.lefts, rights))) + "</table>"
        back = "<table class=\"pairs\">" + "".join(
            f"<tr><td>{h(left)}</td><td>\u2192 {LETTERS[rights.index(right)]}. {h(right)}</td></tr>"
            for left, right in q.pairs) + "</table>"
        return front, back
    if isinstance(q, model.Ordering):
        shown = [q.items[i] for i in order]
        front = prompt + "<ol class=\"choices\">" + "".join(f"<li>{h(x)}</li>" for x in shown) + "</ol>"
        back = "<ol>" + "".join(f"<li>{LETTERS[shown.index(x)]}. {h(x)}</li>" for x in q.items) + "</ol>"
        return front, back
    if isinstance(q, model.Essay):
        return prompt + "<p><i>Write your answer, then compare.</i></p>", f"<p>{h(q.model_answer)}</p>"
    raise TypeError(f"no Anki form for question type {q.type!r}")
