"""Folding text so that a quote typed by an author matches the source as printed.

The rule is deliberately narrow (DESIGN.md): runs of white space, curly quotes and dashes
are folded, and the Markdown the source texts carry is read as the printed page shows it:
emphasis markers (`*`, `**`) are dropped and a backslash escape (`US\\$46`) is its
character. Case, punctuation and footnote markers are not folded. A quote that matches
only after looser folding is not verbatim.
"""
from __future__ import annotations

import re

_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-",
    "\u00a0": " ",
})


# A Markdown emphasis marker, or the backslash of an escaped ASCII punctuation character.
_MARKUP = re.compile(r"\*|\\(?=[!-/:-@\[-`{-~])")


def fold(text: str) -> str:
    """Fold quotes, dashes and white space, drop Markdown emphasis and escapes; strip the ends."""
    return " ".join(_MARKUP.sub("", text).translate(_TRANSLATE).split())  # str.split folds as \s+ does


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Fold `text` and return, for each folded character, its index in the original.

    Needed to turn a match in folded text back into the original words and lines.
    """
    out: list[str] = []
    index: list[int] = []
    in_space = True  # leading space is dropped
    markup = {m.start() for m in _MARKUP.finditer(text)}
    for i, ch in enumerate(text.translate(_TRANSLATE)):
        if i in markup:
            continue
        if ch.isspace():
            if not in_space:
                out.append(" ")
                index.append(i)
            in_space = True
        else:
            out.append(ch)
            index.append(i)
            in_space = False
    if out and out[-1] == " ":
        out.pop()
        index.pop()
    return "".join(out), index


def word_count(text: str) -> int:
    return len(text.split())
