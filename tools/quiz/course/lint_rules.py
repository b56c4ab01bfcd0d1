"""Per-question rules of `quiz lint`: item-writing flaws that let a student score without reading.

Each rule has a short id (what a question names in `lint: {ignore: [id], reason: …}`), a
one-line summary, and a function from a question to the messages it raises. The rules
follow the item-writing guidelines of Haladyna, Downing & Rodriguez and the NBME manual,
and were tuned on the course so that most warnings point at a real cue; quizzes/README.md
documents each with its exact trigger.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from quiz.course.lint_figures import choice_length
from quiz.course.lint_text import (
    contains_phrase,
    distinctive_ngrams,
    fold_duplicate,
    quote_overlap,
    word_pattern,
    words,
)
from quiz.course.lint_variants import missing_variants
from quiz.model import (
    LETTERS,
    ChoiceQuestion,
    Cloze,
    Matching,
    Multiple,
    Ordering,
    Question,
    Short,
    Single,
    TrueFalse,
)

Rule = Callable[[Question], Iterator[str]]
RULES: dict[str, tuple[Rule, str]] = {}


def rule(rule_id: str, summary: str):
    def register(fn: Rule) -> Rule:
        RULES[rule_id] = (fn, summary)
        return fn
    return register


def _keys(q: ChoiceQuestion) -> list[int]:
    return q.correct_indices


def _distractors(q: ChoiceQuestion) -> list[int]:
    return [i for i, c in enumerate(q.choices) if not c.correct]


def _letters(indices) -> str:
    return ", ".join(LETTERS[i] for i in indices)


# -- length and detail --------------------------------------------------------------------
LONGEST_FACTOR = 1.25   # the key at least this many times the longest distractor


_CLAUSE = re.compile(r"[,;:(—]|\s-\s|\b(and|because|which|that|while|whereas|so|but|since|although|if|when|"
                     r"unless|with|through|by)\b", re.IGNORECASE)
DETAIL_MARGIN = 2       # or longer by DETAIL_FACTOR with at least this many more clause markers than any distractor
DETAIL_FACTOR = 1.1


def detail(text: str) -> int:
    """Clause and qualifier markers: punctuation that joins clauses, conjunctions, prepositions of means."""
    return len(_CLAUSE.findall(text))


@rule("longest-key", "the key is the longest choice by a clear margin, or distinctly more detailed")
def longest_key(q: Question):
    if not isinstance(q, (Single, Multiple)):
        return
    lens = [choice_length(c.text) for c in q.choices]
    keys, others = _keys(q), _distractors(q)
    which = "the key" if len(keys) == 1 else "every correct choice"
    shortest_key, longest_other = min(lens[i] for i in keys), max(lens[i] for i in others)
    if not longest_other:
        return  # distractors of only white space: `quiz validate` has more to say than length
    if shortest_key >= LONGEST_FACTOR * longest_other:
        yield (f"{which} ({shortest_key} characters) is longer than every distractor (at most {longest_other}) by "
               f"{shortest_key / longest_other - 1:.0%}; make the distractors as long and as specific")
        return
    key_detail = min(detail(q.choices[i].text) for i in keys)
    other_detail = max(detail(q.choices[i].text) for i in others)
    if shortest_key >= DETAIL_FACTOR * longest_other and key_detail >= other_detail + DETAIL_MARGIN:
        yield (f"{which} is the longest choice and the most detailed ({key_detail} clauses or qualifiers, every "
               f"distractor at most {other_detail}); give the distractors the same structure")


# -- absolute words and hedges -------------------------------------------------------------
ABSOLUTES = ("always", "never", "only", "all", "none", "no longer", "completely", "purely", "entirely", "solely",
             "exclusively", "wholly", "totally", "every", "nothing", "abolished", "any", "fully", "sole", "cannot",
             "impossible", "all-out", "whatsoever", "invariably", "unconditionally", "absolute", "absolutely")
# "can", "could", "some" and "one of" are left out: in the course they mostly state ability or quantity
HEDGES = ("may", "might", "often", "tends", "tend", "partly", "partially", "in part", "largely", "mostly", "usually",
          "generally", "likely", "possibly", "potentially", "sometimes", "relatively", "to some extent",
          "to a degree", "in some cases", "suggests", "appears", "seems", "arguably", "perhaps")
_ABSOLUTE = word_pattern(ABSOLUTES)
_HEDGE = word_pattern(HEDGES)


def _found(pattern: re.Pattern, text: str) -> set[str]:
    return {" ".join(m.group(1).lower().split()) for m in pattern.finditer(text)}


@rule("absolute-distractor", "absolute words mark the distractors and leave at most two live options, "
                             "or mark a false true/false statement")
def absolute_distractor(q: Question):
    if isinstance(q, TrueFalse):
        added = sorted(_found(_ABSOLUTE, q.prompt) - _found(_ABSOLUTE, q.passage.quote))
        if not q.answer and added:
            yield (f"the statement is false and carries an absolute word the passage does not use "
                   f"('{', '.join(added)}'): test-wise students mark such statements false unread; make it false "
                   "by a real misreading of the passage")
        return
    if not isinstance(q, (Single, Multiple)):
        return
    in_prompt = _found(_ABSOLUTE, q.prompt)
    if any(_found(_ABSOLUTE, q.choices[i].text) - in_prompt for i in _keys(q)):
        return
    marked = {i: sorted(_found(_ABSOLUTE, q.choices[i].text) - in_prompt) for i in _distractors(q)}
    marked = {i: w for i, w in marked.items() if w}
    live = len(q.choices) - len(marked)
    if len(marked) >= 2 and (live <= 2 or isinstance(q, Multiple) and len(marked) == len(_distractors(q))):
        shown = "; ".join(f"{LETTERS[i]} '{', '.join(w)}'" for i, w in marked.items())
        yield (f"absolute words in distractors only ({shown}), none in the key: a reader strikes them "
               f"unread and {live} option{'s' if live != 1 else ''} remain; word the key as firmly or the "
               "distractors as carefully")


@rule("hedged-key", "a hedge marks the key: it alone is qualified")
def hedged_key(q: Question):
    if not isinstance(q, (Single, Multiple)):
        return
    in_prompt = _found(_HEDGE, q.prompt)
    hedges = [_found(_HEDGE, q.choices[i].text) - in_prompt for i in _keys(q)]
    if not all(hedges) or any(_found(_HEDGE, q.choices[i].text) for i in _distractors(q)):
        return
    found = sorted(set().union(*hedges))
    yield (f"only the key is hedged ('{', '.join(found)}'), no distractor is; qualify a distractor as "
           "carefully or state the key as plainly")


# -- all/none of the above -------------------------------------------------------------------
_ABOVE = re.compile(r"\b(all|none|both|neither|any) of (the )?(above|these|those|the (above|previous|preceding) "
                    r"(choices|options|answers|statements))\b|\bboth\s+[A-H]\s+and\s+[A-H]\b|"
                    r"\bneither\s+[A-H]\s+nor\s+[A-H]\b|^\s*[A-H]\s+(and|&)\s+[A-H](\s+only)?\s*\.?$", re.IGNORECASE)


@rule("all-none-above", "a choice reads 'all/none of the above' or 'both A and B'")
def all_none_above(q: Question):
    if not isinstance(q, ChoiceQuestion):
        return
    for i, c in enumerate(q.choices):
        m = _ABOVE.search(c.text)
        if m:
            yield (f"choice {LETTERS[i]} reads '{m.group(0).strip()}': it depends on the order (choices are "
                   "shuffled) and is answered by spotting two true choices; write a real alternative")


# -- negative stems ---------------------------------------------------------------------------
_QUOTED = re.compile(r"(?<!\w)'[^']*'(?!\w)|\"[^\"]*\"|“[^”]*”|‘[^’]*’")  # not the apostrophe in China's
_NEGATIVE_ASK = re.compile(
    r"\b(?P<word>except)\b|\b(which|what)\b[^?.;]{0,80}?(?<![\w*_])(?P<word2>not|never|least|false|incorrect|untrue)"
    r"(?![\w*_])", re.IGNORECASE)


def _question_clause(prompt: str) -> str:
    """The sentence that asks (a lead-in usually precedes it), without quoted words."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z\"'“])", prompt.strip())
    return _QUOTED.sub("''", parts[-1] if parts else prompt)


@rule("negative-stem", "the question asks for the choice that is not / except …, without emphasis")
def negative_stem(q: Question):
    if not isinstance(q, (Single, Multiple)):
        return
    for m in _NEGATIVE_ASK.finditer(_question_clause(q.prompt)):
        word = m.group("word") or m.group("word2")
        if word.isupper():
            continue  # emphasised: NOT, EXCEPT
        yield (f"negative stem '{word}' is not emphasised: write it in capitals ({word.upper()}) or **bold** so a "
               "careful reader does not answer the opposite question")
        return


# -- echoes of the stem and of the passage -------------------------------------------------------
@rule("key-echoes-stem", "the key repeats a distinctive phrase of the prompt that no distractor repeats")
def key_echoes_stem(q: Question):
    if not isinstance(q, (Single, Multiple)):
        return
    stem = distinctive_ngrams(q.prompt)
    if not stem:
        return
    shared = [stem & distinctive_ngrams(q.choices[i].text) for i in _keys(q)]
    if not all(shared) or any(stem & distinctive_ngrams(q.choices[i].text) for i in _distractors(q)):
        return
    phrase = " ".join(sorted(set().union(*shared))[0])
    yield (f"the key repeats the prompt's wording ('{phrase}') and no distractor does; reword the key or let a "
           "distractor share the phrase")


COPY_SHARE = 0.5         # at least half of the key's word trigrams are the passage's
COPY_DISTRACTOR = 0.25   # while every distractor stays under a quarter


@rule("key-copies-passage", "the key copies the passage word for word while the distractors paraphrase")
def key_copies_passage(q: Question):
    if not isinstance(q, (Single, Multiple)):
        return
    quote = q.passage.quote
    keys = [quote_overlap(q.choices[i].text, quote) for i in _keys(q)]
    others = [quote_overlap(q.choices[i].text, quote) for i in _distractors(q)]
    if min(keys) >= COPY_SHARE and max(others) < COPY_DISTRACTOR and min(len(words(q.choices[i].text)) for i in _keys(q)) >= 5:
        yield (f"the key is the passage's wording ({min(keys):.0%} of its word sequences), the distractors are not "
               f"(at most {max(others):.0%}): a reader who skims the quote's vocabulary finds it; paraphrase the key "
               "or quote the passage in a distractor too")


# -- grammatical cues ---------------------------------------------------------------------------
_STEM_END = re.compile(r"\b(a|an|is|was|are|were)\s*(_+|…|\.\.\.|:)?\s*$", re.IGNORECASE)
_SINGULAR_START = re.compile(r"^(a|an|one|this|that|each|every)\b", re.IGNORECASE)
_PLURAL_START = re.compile(r"^(two|three|four|five|several|many|these|those|both|various|multiple)\b", re.IGNORECASE)


def _vowel_sound(text: str) -> bool:
    """Whether a choice begins with a vowel sound, so that it takes 'an'."""
    t = text.strip().lstrip("\"'“‘(")
    if re.match(r"^[AEFHILMNORSX](?:[A-Z0-9]|\b)", t):  # an acronym read letter by letter: an FBI, an SOE
        return True
    if re.match(r"^U[A-Z.]", t):  # a US firm, a U.S. law, a UN body
        return False
    return bool(re.match(r"^(?!(uni|use|usu|eu|one|once|ubi|ura|uti))[aeiou]|^(hour|honest|honou?r|heir)", t, re.IGNORECASE))


def _fits(end: str, choice: str) -> bool:
    """Whether a choice can follow a stem ending with `end` (an article or a form of 'to be')."""
    text = choice.strip().lstrip("\"'“‘(")
    if end in ("a", "an"):
        return _vowel_sound(text) == (end == "an")
    if end in ("is", "was"):
        return not _PLURAL_START.match(text)
    return not _SINGULAR_START.match(text)  # are, were


@rule("grammar-cue", "the stem's grammar (a/an, is/are) fits the key and not every distractor")
def grammar_cue(q: Question):
    if not isinstance(q, (Single, Multiple)):
        return
    m = _STEM_END.search(q.prompt.strip())
    if not m:
        return
    end = m.group(1).lower()
    fits = [_fits(end, c.text) for c in q.choices]
    misfits = [i for i in _distractors(q) if not fits[i]]
    if all(fits[i] for i in _keys(q)) and misfits:
        fix = "write 'a(n)'" if end in ("a", "an") else "make every choice agree in number"
        yield (f"the stem ends with '{m.group(1)}', which does not fit choice(s) {_letters(misfits)}: end the stem "
               f"earlier or {fix}")


# -- duplicates -------------------------------------------------------------------------------------
@rule("duplicate-choices", "two choices (or items) are the same after folding case, white space and invisible characters")
def duplicate_choices(q: Question):
    if isinstance(q, ChoiceQuestion):
        groups = {"choice": [c.text for c in q.choices]}
    elif isinstance(q, Matching):
        groups = {"left item": q.lefts, "right item": q.rights}
    elif isinstance(q, Ordering):
        groups = {"item": list(q.items)}
    else:
        return
    for what, texts in groups.items():
        seen: dict[str, int] = {}
        for j, text in enumerate(texts):
            key = fold_duplicate(text)
            if key in seen:
                label = (lambda k: LETTERS[k]) if what == "choice" else (lambda k: str(k + 1))
                yield (f"{what} {label(j)} is the same as {what} {label(seen[key])} once case, white space and "
                       "invisible characters are folded; remove one or make them differ")
            seen.setdefault(key, j)


# -- typed answers ----------------------------------------------------------------------------------
@rule("typed-variants", "a typed answer misses an obvious form (article, plural, hyphen, U.S./US, acronym, tone marks)")
def typed_variants(q: Question):
    if isinstance(q, Short):
        blanks = [("answers", list(q.answers))]
    elif isinstance(q, Cloze):
        blanks = [(f"blank {n}", list(b)) for n, b in enumerate(q.blanks, 1)]
    else:
        return
    context = " ".join((q.prompt, q.passage.quote, q.explanation))
    for where, accepted in blanks:
        missing = missing_variants(accepted, context, in_sentence=isinstance(q, Cloze))
        if missing:
            shown = ", ".join(f"'{v}' ({why})" for v, why in missing)
            yield (f"{where}: the grader would refuse {shown}; add {'it' if len(missing) == 1 else 'them'} to the "
                   "accepted forms")


# -- difficulty ------------------------------------------------------------------------------------
RECALL_SHARE = 0.8   # of the answer's word triples found in the quote: the answer is the passage's sentence


@rule("difficulty-recall", "difficulty 3 (reasoning) on an item whose answer is a verbatim phrase of the passage")
def difficulty_recall(q: Question):
    if q.difficulty != 3:
        return
    quote = q.passage.quote
    if isinstance(q, (Single, Multiple)):
        verbatim = all(len(words(q.choices[i].text)) >= 3 and contains_phrase(quote, q.choices[i].text)
                       or quote_overlap(q.choices[i].text, quote) >= RECALL_SHARE for i in _keys(q))
        what = "the key is (nearly)"
    elif isinstance(q, Short):
        verbatim = contains_phrase(quote, q.answers[0]) and quote_overlap(q.prompt, quote) >= 0.5
        what = "the answer and most of the prompt are"
    elif isinstance(q, Cloze):
        filled = re.sub(r"\{\{(.*?)\}\}", lambda m: m.group(1).split("|")[0], q.prompt)
        verbatim = quote_overlap(filled, quote) >= RECALL_SHARE
        what = "the filled-in sentence is"
    elif isinstance(q, TrueFalse):
        verbatim = q.answer and quote_overlap(q.prompt, quote) >= RECALL_SHARE
        what = "the statement is"
    else:
        return
    if verbatim:
        yield (f"difficulty 3 says reasoning, but {what} verbatim from the passage (recall); set difficulty 1 or ask "
               "the student to apply or compare the argument")


RULE_IDS = tuple(RULES)

