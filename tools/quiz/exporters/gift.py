"""Questions as Moodle GIFT text.

Every question is written with its id as the GIFT title (`::id::`), in `[html]` format
(texts are HTML-escaped, then GIFT-escaped: `\\ ~ = # { } :` get a backslash and line
breaks become `\\n`; a `*` in a typed answer gets one too, or Moodle reads it as a
wildcard), under a `$CATEGORY:` per bank followed by a `// title:` comment. Before each
question, `// [id:…] [tag:…]` gives Moodle its ID number and tags. The explanation is the general
feedback (`####`), followed by the source passage and its citation.

| bank type    | GIFT                                                                  |
|--------------|-----------------------------------------------------------------------|
| `single`     | `{=right ~wrong#feedback …}`                                          |
| `multiple`   | `{~%50%right ~%-50%wrong#feedback …}`: each right choice 100/k %, each  |
|              | wrong one −100/k %, which with Moodle's floor at 0 is the course's rule |
| `true_false` | `{TRUE#feedback for a wrong answer}`                                  |
| `short`      | `{=answer =other form …}`, then `=%100%` each answer's punctuation-free |
|              | form when it differs (Moodle does not ignore punctuation; the course does) |
| `numeric`    | `{#answer:tolerance}`; the unit added to the prompt when it lacks it   |
| `cloze`      | one blank: a "missing word" question (`text {=answer} text`); several  |
|              | blanks: one short-answer question per blank, titled `id (blank k of n)`|
|              | (GIFT has one blank per question) — warned                            |
| `matching`   | `{=left -> right …}`                                                  |
| `ordering`   | matching of each item to its position `1`…`n` — warned                 |

GIFT has no wrong-answer feedback for short, numeric, cloze, matching and ordering
questions: the question's `feedback` goes into the general feedback, marked
`class="quiz-feedback"` so `quiz import` can put it back.
"""
from __future__ import annotations

from pathlib import Path

from quiz import model
from quiz.exporters.common import (
    ExportSource,
    ExportWarning,
    Item,
    accepted_forms_marked,
    cloze_numbered,
    cloze_parts,
    general_feedback_html,
    h,
    lms_order,
    number_text,
    numeric_prompt,
    position_label,
)
from quiz.neutralise import unify_breaks

FORMAT = "gift"
SUFFIX = ".gift"
BINARY = False

_SPECIAL = "~=#{}:"


def esc(text: str) -> str:
    """Text as GIFT: backslash before `\\ ~ = # { } :`, line breaks as `\\n`."""
    out = str(text).replace("\\", "\\\\")
    for ch in _SPECIAL:
        out = out.replace(ch, "\\" + ch)
    return unify_breaks(out).replace("\n", "\\n")


def esc_html(text: str) -> str:
    """Plain text for an `[html]` field: HTML-escaped, then GIFT-escaped."""
    return esc(h(text))


def multiple_weight(k: int) -> str:
    """100/k as Moodle writes grade percentages (one of its allowed grades for k ≤ 10)."""
    return f"{100 / k:.5f}".rstrip("0").rstrip(".")


def render(source: ExportSource, **_options) -> tuple[str, list[ExportWarning]]:
    warnings: list[ExportWarning] = []
    out = [f"// {comment_text(source.title)}", f"// {len(source)} questions, written by `quiz export --format gift`.", ""]
    for group in source.groups:
        out += [f"$CATEGORY: $course$/top/{group.id}", "", f"// title: {_one_line(group.title)}", ""]
        for item in group.items:
            for block in question_blocks(item, warnings):
                out += [block, ""]
    return "\n".join(out).rstrip() + "\n", warnings


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def export(source: ExportSource, out_path: str | Path, **options) -> list[ExportWarning]:
    text, warnings = render(source, **options)
    Path(out_path).write_text(text, encoding="utf-8")
    return warnings


def _bracketed(text: str) -> str:
    """A value inside Moodle's `[id:…]` / `[tag:…]` comments: backslash and `]` escaped."""
    return text.replace("\\", "\\\\").replace("]", "\\]")


def _comment(q: model.Question, idnumber: str | None = None) -> str:
    """The comment lines before each question: `// [id:…] [tag:…]…`, which Moodle's GIFT
    reader takes as the question's ID number and tags (its own, `objective:<id>` and
    `difficulty:<n>`, as in Moodle XML), then the id, type, objective and difficulty that
    `quiz import` reads back."""
    tags = [*q.tags, f"objective:{q.objective}", f"difficulty:{q.difficulty}"]
    moodle = f"// [id:{_bracketed(idnumber or q.id)}] " + " ".join(f"[tag:{_bracketed(t)}]" for t in tags)
    unit = f" · unit {q.unit}" if isinstance(q, model.Numeric) and q.unit else ""
    return comment_text(moodle) + "\n" + comment_text(
        f"// {q.id} · {q.type} · objective {q.objective} · difficulty {q.difficulty}{unit}")


def comment_text(text: str) -> str:
    """Text for a `//` comment line: a line break in a title or unit would end the comment
    and start a question, so every kind of line break becomes a space."""
    return unify_breaks(str(text)).replace("\n", " ")


def _answers_block(lines: list[str], general: str) -> str:
    body = "\n".join(lines)
    return "{\n" + body + (f"\n####{general}" if general else "") + "\n}"


def question_blocks(item: Item, warnings: list[ExportWarning]) -> list[str]:
    """The GIFT text of one question (several blocks for a cloze with several blanks)."""
    q = item.question
    head = f"{_comment(q)}\n::{esc(q.id)}::[html]"
    plain_types = (model.Single, model.Multiple, model.TrueFalse)
    general = esc(general_feedback_html(q, with_feedback=not isinstance(q, plain_types)))
    order = lms_order(item)

    if isinstance(q, (model.Single, model.Multiple)):
        choices = [q.choices[i] for i in order]
        lines = []
        k = len(q.correct_indices)
        for c in choices:
            if isinstance(q, model.Single):
                mark = "=" if c.correct else "~"
            else:
                mark = f"~%{multiple_weight(k)}%" if c.correct else f"~%-{multiple_weight(k)}%"
            fb = f"#{esc_html(c.feedback)}" if c.feedback else ""
            lines.append(f"{mark}{esc_html(c.text)}{fb}")
        return [f"{head}{esc_html(q.prompt)} {_answers_block(lines, general)}"]

    if isinstance(q, model.TrueFalse):
        answer = "TRUE" if q.answer else "FALSE"
        fb = f"#{esc_html(q.feedback)}" if q.feedback else ""
        return [f"{head}{esc_html(q.prompt)} {{{answer}{fb}####{general}}}"]

    if isinstance(q, model.Short):
        lines = [_accepted(a, added) for a, added in accepted_forms_marked(q.answers)]
        return [f"{head}{esc_html(q.prompt)} {_answers_block(lines, general)}"]

    if isinstance(q, model.Numeric):
        answer = number_text(q.answer) + (f":{number_text(q.tolerance)}" if q.tolerance else ":0")
        return [f"{head}{esc_html(numeric_prompt(q))} {{#{answer}####{general}}}"]

    if isinstance(q, model.Cloze):
        parts = cloze_parts(q.prompt)
        if len(q.blanks) == 1 and str(parts[-1]).strip():
            before, blank, after = parts
            answers = " ".join(_accepted(a, added) for a, added in accepted_forms_marked(blank))
            return [f"{head}{esc_html(before)}{{{answers}####{general}}}{esc_html(after)}"]
        n = len(q.blanks)
        warnings.append(ExportWarning(q.id, f"cloze with {n} blank(s) written as {n} short-answer question(s) "
                                            f"titled '{q.id} (blank k of {n})' (a GIFT question has one blank, "
                                            "and not at the very end)"))
        shown = esc_html(cloze_numbered(q.prompt))
        blocks = []
        for k, blank in enumerate(q.blanks, 1):
            lines = [_accepted(a, added) for a, added in accepted_forms_marked(blank)]
            title = esc(f"{q.id} (blank {k} of {n})")
            blocks.append(f"{_comment(q, f'{q.id} (blank {k} of {n})')}\n::{title}::[html]{shown}<br><br>Blank [{k}]\\: "
                          f"{_answers_block(lines, general)}")
        return blocks

    if isinstance(q, model.Matching):
        pairs = [q.pairs[i] for i in order]
        lines = [f"={_match_side(left, q, warnings, True)} -> {_match_side(right, q, warnings, False)}"
                 for left, right in pairs]
        return [f"{head}{esc_html(q.prompt)} {_answers_block(lines, general)}"]

    if isinstance(q, model.Ordering):
        warnings.append(ExportWarning(q.id, "ordering written as matching of each item to its position 1…"
                                            f"{len(q.items)} (GIFT has no ordering type); Moodle then scores each "
                                            "item in its right position, not each right successor"))
        lines = [f"={_match_side(q.items[i], q, warnings, True)} -> {position_label(i)}" for i in order]
        return [f"{head}{esc_html(q.prompt)} {_answers_block(lines, general)}"]

    if isinstance(q, model.Essay):  # GIFT's essay: empty braces; no grader information in the format
        warnings.append(ExportWarning(q.id, "essay: GIFT has no grader information; the model answer and rubric "
                                            "are in Moodle XML and the printable key"))
        return [f"{head}{esc_html(q.prompt)} {{{('####' + general) if general else ''}}}"]
    raise TypeError(f"no GIFT form for question type {q.type!r}")


def _accepted(answer: str, added: bool) -> str:
    """An accepted answer; the punctuation-free forms the export adds are written `=%100%`
    (the same grade as `=`), which tells `quiz import` to leave them out again."""
    text = esc(answer).replace("*", "\\*")  # Moodle reads an unescaped * as a wildcard
    return f"=%100%{text}" if added else f"={text}"


def _match_side(text: str, q: model.Question, warnings: list[ExportWarning], left: bool) -> str:
    if "->" in text:
        warnings.append(ExportWarning(q.id, f"'->' in the matching item {text!r} written as '→' "
                                            "(GIFT cannot escape it)"))
        text = text.replace("->", "\u2192")
    # Moodle takes a left item in the question's format (HTML) and a right item as plain text.
    return esc_html(text) if left else esc(text)
