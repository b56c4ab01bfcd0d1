"""The forms a reader could type for an accepted answer, and which of them the grader refuses.

The grader (`quiz.model.matches_text`) already folds case, punctuation and white space and
forgives a small typo, so "dual-use" and "dual use", or "standard" and "standards", match
already. What it cannot know: that "the" may be left out, that "US" is "U.S.", that an
acronym stands for its expansion, that "Zhongguo" is "Zhōngguó", that a three-letter word
has a plural. `missing_variants` proposes those forms and keeps only the ones the grader
would refuse, so a warning always names an answer a student could be marked wrong for.
"""
from __future__ import annotations

import re

from quiz.course.lint_text import has_marks, strip_marks
from quiz.model import matches_text

_ARTICLE = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)
_DOTTED = re.compile(r"\b(?:[A-Za-z]\.){2,}")            # U.S., P.R.C.
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,9}s?$")          # CAC, MIIT, 5G is not one (digit first)
_SMALL = {"of", "and", "for", "the", "on", "in", "to", "a", "an", "&"}


def _other_number(word: str) -> str | None:
    """The plural of a singular noun or the singular of a plural, by the regular rules."""
    lw = word.lower()
    if not word.isalpha() or len(word) < 3 or lw.endswith(("ss", "us", "is")):
        return None
    if lw.endswith("ies"):
        return word[:-3] + "y"
    if lw.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if lw.endswith("s"):
        return word[:-1]
    if lw.endswith("y") and lw[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if lw.endswith(("x", "ch", "sh")):
        return word + "es"
    return word + "s"


def expansions(context: str) -> dict[str, str]:
    """Acronym -> expansion pairs a text defines, as 'Cyberspace Administration of China (CAC)'."""
    out: dict[str, str] = {}
    for m in re.finditer(r"\(([A-Z][A-Za-z0-9&]{1,9})\)", context):
        acronym = m.group(1)
        letters = [ch for ch in acronym if ch.isupper() or ch.isdigit()]
        before = re.findall(r"[\w'&-]+", context[max(0, m.start() - 200):m.start()])
        picked: list[str] = []
        initials: list[str] = []
        for w in reversed(before):
            picked.insert(0, w)
            if w.lower() in _SMALL:
                continue
            initials.insert(0, w[0].upper())
            if initials == letters[-len(initials):] and len(initials) == len(letters):
                out.setdefault(acronym, " ".join(picked))
                break
            if len(initials) >= len(letters) or not w[0].isupper() and not w[0].isdigit():
                break
    return out


def candidate_variants(answer: str, context: str, in_sentence: bool = False) -> list[tuple[str, str]]:
    """(variant, why) forms of one accepted answer a reader could give. `in_sentence`: a cloze
    blank, whose sentence already has (or has no room for) an article before it."""
    out: list[tuple[str, str]] = []
    text = answer.strip()
    m = _ARTICLE.match(text)
    if m:
        out.append((text[m.end():], "without the article"))
    elif not in_sentence and (len(text.split()) > 1 and text[:1].isupper() or _ACRONYM.match(text)) and re.search(r"\bthe\s+" + re.escape(text) + r"\b", context, re.IGNORECASE):
        out.append(("the " + text, "with the article the passage uses"))  # a name: "the Cybersecurity Law"
    head, _, last = text.rpartition(" ")
    other = _other_number(last)
    if other and re.search(r"(?<![\w-])" + re.escape(other) + r"(?![\w-])", context, re.IGNORECASE):
        out.append(((head + " " if head else "") + other, "the other number, as the text uses it"))
    if "-" in text:
        out.append((text.replace("-", ""), "without the hyphen"))
    if _DOTTED.search(text):
        out.append((_DOTTED.sub(lambda d: d.group(0).replace(".", ""), text), "without the dots"))
    elif re.search(r"\b(US|UK|EU|PRC|UN)\b", text):
        out.append((re.sub(r"\b(US|UK|EU|PRC|UN)\b", lambda d: ".".join(d.group(1)) + ".", text), "with dots"))
    if "&" in text:
        out.append((text.replace("&", "and"), "'and' for '&'"))
    elif re.search(r"\band\b", text):
        out.append((re.sub(r"\band\b", "&", text), "'&' for 'and'"))
    known = expansions(context)
    bare = text[:-1] if text.endswith("s") and text[:-1] in known else text
    if _ACRONYM.match(text) and bare in known:
        out.append((known[bare], "the expansion"))
    for acronym, expansion in known.items():
        if expansion.casefold() == text.casefold() or expansion.casefold() == _ARTICLE.sub("", text).casefold():
            out.append((acronym, "the acronym"))
    if has_marks(text):
        out.append((strip_marks(text), "without tone marks"))
    else:
        marked = _marked_in(text, context)
        if marked:
            out.append((marked, "with the tone marks the text uses"))
    return out


def _marked_in(text: str, context: str) -> str | None:
    """The tone-marked spelling of `text` that `context` uses ('Zhōngguó' for 'Zhongguo'), if any."""
    n = len(text.split())
    if not n or not any(has_marks(w) for w in context.split()):
        return None
    tokens = re.findall(r"[^\W\d_]+", context)
    target = text.casefold()
    for i in range(len(tokens) - n + 1):
        window = " ".join(tokens[i:i + n])
        if has_marks(window) and strip_marks(window).casefold() == target:
            return window
    return None


def missing_variants(accepted: list[str], context: str = "", in_sentence: bool = False) -> list[tuple[str, str]]:
    """Variants of the accepted answers that the grader would refuse, each once."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for answer in accepted:
        for variant, why in candidate_variants(answer, context, in_sentence):
            key = variant.casefold()
            if key in seen or not variant.strip():
                continue
            seen.add(key)
            if not matches_text(variant, accepted):
                out.append((variant, why))
    return out
