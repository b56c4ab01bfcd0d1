"""Untrusted text made harmless for the output it is written to (SECURITY.md).

Student input (names, ids, answers) and imported files reach spreadsheets, terminals,
XML, GIFT and HTML. Each output has its own dangerous characters, so each has one
function here, applied where the text is written, not where it is read: the stored
data stays as the student typed it.
"""
from __future__ import annotations

import re

# OWASP, "CSV Injection": a cell starting with one of these is a formula to a spreadsheet
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# C0 controls but tab and newline, DEL, and C1 controls: ESC and CSI move the cursor,
# clear the screen, set the window title; BEL, BS and NUL disguise what is shown.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# characters XML 1.0 does not allow at all (lxml refuses them with a ValueError)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def csv_cell(text: str) -> str:
    """A text cell no spreadsheet reads as a formula: a leading `'` when it starts like
    one (after any spaces), the OWASP rule."""
    return "'" + text if text.lstrip(" ").startswith(_FORMULA_START) else text


def terminal(text: str) -> str:
    """Text safe to print: control characters (escape sequences, bells, backspaces) are
    shown as `?`, tabs and newlines kept."""
    return _CONTROL.sub("?", text)


def one_line(text: str) -> str:
    """`terminal`, and every kind of line break shown as `\\n`: one record, one line."""
    return terminal(unify_breaks(text).replace("\n", "\\n"))


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold: the characters it forbids are dropped."""
    return _XML_INVALID.sub("", text)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~$#{}!])")
LINE_BREAKS = ("\r\n", "\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c")


def unify_breaks(text: str) -> str:
    """Every kind of line break (CR, CRLF, U+2028…) as `\\n`, so a check or an escape for
    newlines sees them all."""
    for br in LINE_BREAKS:
        text = text.replace(br, "\n")
    return text


def markdown_text(text: str) -> str:
    """Plain text as Markdown that renders as that text: punctuation with a meaning is
    backslash-escaped (so no HTML tag, link or emphasis), `&` is an entity, line breaks
    are hard breaks."""
    out = []
    for i, line in enumerate(terminal(unify_breaks(str(text))).split("\n")):
        line = _MD_SPECIAL.sub(r"\\\1", line).replace("&", "&amp;")
        if i:
            line = re.sub(r"^(\s*)([-+=]|\d+[.)])", r"\1\\\2", line)
        out.append(line)
    return "\\\n".join(out)


def markdown_cell(text: str) -> str:
    """`markdown_text` on one line, for a table cell or a heading."""
    return markdown_text(" ".join(unify_breaks(str(text)).split()))


def markup(text: object) -> str:
    """Data for a Rich string, which reads `[…]` as markup: shown as written (a student
    named `[/]` would otherwise crash the print, `[link=…]` would render as a link), and
    with `terminal` applied."""
    from rich.markup import escape  # imported here: the ground stays quick to import

    return escape(terminal(str(text)))


def finite_json(value):
    """Data for `--json`: NaN and infinities (an undefined correlation) become null, which
    JSON has; `json.dumps` would write `NaN`, which JSON parsers refuse."""
    import math

    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite_json(v) for v in value]
    return value
