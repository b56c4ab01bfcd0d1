"""Word-level helpers for `quiz lint`: words, n-grams, stop words, passage overlap.

Rules compare choices with each other, with the prompt and with the passage quote as
sequences of folded words (case, punctuation and white space folded as the grader folds
typed answers), so "U.S." and "US", or a curly and a straight quote, do not make texts differ.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from quiz.model import fold_answer

# Function words: an n-gram made only of these is not "distinctive wording".
STOP = frozenset("""
a an the and or but nor of to in on at by for from with without into onto over under about as
is are was were be been being has have had do does did it its it's this that these those there
their they them he she his her we our you your i which who whom whose what when where why how
than then so such not no can could may might will would should shall must also more most less
very own same other another each both either neither all any some one two new s
""".split())


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """The folded words of a text."""
    return tuple(fold_answer(text).split())


def ngrams(ws: tuple[str, ...], n: int) -> set[tuple[str, ...]]:
    return {ws[i:i + n] for i in range(len(ws) - n + 1)}


# Names every question of the course uses: sharing them with the prompt says nothing.
UBIQUITOUS = frozenset("china chinese beijing prc us u united states america american government state party ccp "
                       "cpc report chapter".split())


@lru_cache(maxsize=4096)
def distinctive_ngrams(text: str, n: int = 3) -> frozenset[tuple[str, ...]]:
    """Word n-grams of `text` (possessive 's dropped) with at least two words that are neither stop
    words nor the names every question uses."""
    ws = tuple(w for w in words(text) if w != "s")
    return frozenset(g for g in ngrams(ws, n) if sum(w not in STOP and w not in UBIQUITOUS for w in g) >= 2)


def quote_overlap(text: str, quote: str, n: int = 3) -> float:
    """The share of the word n-grams of `text` found in `quote` (0 when text is shorter than n)."""
    grams = word_ngrams(text, n)
    if not grams:
        return 0.0
    return len(grams & word_ngrams(quote, n)) / len(grams)


@lru_cache(maxsize=4096)
def word_ngrams(text: str, n: int) -> frozenset[tuple[str, ...]]:
    return frozenset(ngrams(words(text), n))


def contains_phrase(haystack: str, phrase: str) -> bool:
    """True when the folded words of `phrase` occur, in order and whole, in `haystack`."""
    p = " ".join(words(phrase))
    return bool(p) and f" {p} " in f" {' '.join(words(haystack))} "


_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Zl", "Zp"}


def fold_duplicate(text: str) -> str:
    """Case, white space, compatibility forms and invisible characters folded away."""
    if text.isascii() and text.isprintable():  # nothing to normalise or make visible: the common case
        return " ".join(text.casefold().split())
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE_CATEGORIES or ch.isspace())
    return " ".join(text.casefold().split())


def strip_marks(text: str) -> str:
    """Latin letters without their diacritics (pinyin tone marks): 'Zhōngguó' -> 'Zhongguo'."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn"))


def has_marks(text: str) -> bool:
    return strip_marks(text) != unicodedata.normalize("NFC", text)


def word_pattern(vocabulary) -> re.Pattern:
    """A case-insensitive pattern matching any of the words or phrases, whole."""
    alts = sorted(vocabulary, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in alts) + r")(?![\w-])",
                      re.IGNORECASE)
