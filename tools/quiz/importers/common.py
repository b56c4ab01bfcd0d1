"""Turning questions read from an LMS format into a bank in the YAML format.

Each importer (gift, moodle) reads its file into `Raw` questions: the answer data of one
of the eight types in bank-format keys, plus what the source knew of the question (title,
category, tags, general feedback). `build_bank` makes the bank: ids, objectives (one per
category, or the ids written by `quiz export` when present), `needs_passage: true` on
every question whose quote did not come back, and placeholders starting with `TODO:` where the bank format asks for
something the source did not have (an explanation, a wrong choice's feedback). Every
question is checked by the bank loader's own rules before it is written; one that cannot
be made valid is left out with a warning naming it, never silently.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quiz.exporters.common import positions_to_order
from quiz.neutralise import one_line

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
BANK_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
TODO_EXPLANATION = "TODO: explain why the right answer is right, in the report's terms."
TODO_CHOICE = "TODO: say why this choice is wrong."
TODO_FEEDBACK = "TODO: feedback shown after a wrong answer."
TODO_QUOTE = "TODO: the verbatim words of the chapter this question is based on."


@dataclass(frozen=True)
class ImportWarning:
    where: str  # "FILE:LINE" or a question's title
    message: str

    def __str__(self) -> str:  # names and texts from the imported file: no escape sequences
        return one_line(f"warning: {self.where}: {self.message}")


@dataclass
class Raw:
    """One question as read from the source file, in bank-format keys."""

    data: dict[str, Any]  # type, prompt and answer data; explanation and feedback when known
    line: int
    title: str = ""
    category: str = ""
    tags: list[str] = field(default_factory=list)
    quote: str = ""
    objective: str = ""
    difficulty: int | None = None
    chapter: str = ""  # the passage's chapter, as `quiz export` wrote it (data-chapter)
    group_title: str = ""  # the title of the bank the question was exported from
    more_sources: tuple[tuple[str, str], ...] = ()  # (quote, chapter) of any further passages

    @property
    def where(self) -> str:
        return self.title or f"line {self.line}"


@dataclass
class Imported:
    bank: dict[str, Any]
    warnings: list[ImportWarning]
    skipped: int = 0


# -- HTML to text ---------------------------------------------------------------------------

_BLOCKS = {"p", "div", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "pre"}


@dataclass
class Extracted:
    text: str
    feedback: str = ""  # a <p class="quiz-feedback"> written by `quiz export`
    quote: str = ""  # the blockquote of a <div class="quiz-source"> written by `quiz export`
    chapter: str = ""  # that div's data-chapter
    more_sources: tuple[tuple[str, str], ...] = ()  # (quote, chapter) of further quiz-source divs
    images: int = 0  # <img> elements dropped with the markup (the bank format holds text)


def html_to_text(fragment: str) -> Extracted:
    """Plain text of an HTML fragment: tags dropped, entities decoded, <br> and block ends
    as line breaks. The `quiz-feedback` and `quiz-source` blocks written by `quiz export`
    are taken out and returned apart."""
    import lxml.html

    if not fragment or not fragment.strip():
        return Extracted("")
    if "<" not in fragment and "&" not in fragment:
        return Extracted(fragment.strip())
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # not HTML after all: keep the text as written
        return Extracted(fragment.strip())
    feedback = ""
    sources: list[tuple[str, str]] = []
    images = 0
    for el in list(root.iter()):
        if isinstance(el.tag, str) and el.tag.lower() == "img":
            images += 1
        classes = (el.get("class") or "").split() if isinstance(el.tag, str) else []
        if "quiz-feedback" in classes:
            feedback = _text_of(el)
            _drop(el)
        elif "quiz-source" in classes:
            bq = el.find(".//blockquote")
            sources.append((_text_of(bq) if bq is not None else "", (el.get("data-chapter") or "").strip()))
            _drop(el)
    quote, chapter = sources[0] if sources else ("", "")
    return Extracted(_text_of(root), feedback, quote, chapter, images=images,
                     more_sources=tuple(s for s in sources[1:] if s[0]))


def _drop(el) -> None:
    tail = el.tail
    parent = el.getparent()
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _text_of(el) -> str:
    out: list[str] = []

    def walk(node) -> None:
        if not isinstance(node.tag, str):  # comments, processing instructions
            if node.tail:
                out.append(_flow(node.tail))
            return
        tag = node.tag.lower()
        if tag in ("script", "style"):
            pass
        elif tag == "br":
            out.append("\n")
        else:
            if node.text:
                out.append(_flow(node.text))
            for child in node:
                walk(child)
            if tag in _BLOCKS:
                out.append("\n\n")
        if node.tail and node is not el:
            out.append(_flow(node.tail))

    walk(el)
    # white space around line breaks removed line by line: a regular expression such as
    # `[ \t]+\n` backtracks over every run of spaces not followed by a newline (80 KB: 39 s)
    text = "\n".join(line.strip(" \t") for line in "".join(out).split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.replace("\u00a0", " ").strip()


def _flow(text: str) -> str:
    """Source line breaks inside HTML text are white space, not line breaks (split, not a
    backtracking `[ \t]*[\r\n]+[ \t]*`, which is quadratic in a run of spaces)."""
    parts = re.split(r"[\r\n]+", text)
    if len(parts) == 1:
        return text
    return " ".join([parts[0].rstrip(" \t"), *(p.strip(" \t") for p in parts[1:-1]), parts[-1].lstrip(" \t")])


# -- building the bank ----------------------------------------------------------------------

def split_tags(values: list[str]) -> tuple[list[str], str, int | None]:
    """Moodle tags as `quiz export` writes them: (the question's tags, its objective from
    `objective:<id>`, its difficulty from `difficulty:<n>`)."""
    tags, objective, difficulty = [], "", None
    for value in (v.strip() for v in values):
        if value.startswith("objective:"):
            objective = value[len("objective:"):].strip()
        elif value.startswith("difficulty:") and value[len("difficulty:"):].strip() in ("1", "2", "3"):
            difficulty = int(value[len("difficulty:"):].strip())
        elif value:
            tags.append(value)
    return tags, objective, difficulty


def category_name(category: str) -> str:
    """The last part of an LMS category path ('$course$/top/Week 1' -> 'Week 1')."""
    parts = [p for p in re.split(r"(?<!/)/(?!/)", category or "") if p and p not in ("$course$", "$system$", "$module$", "$cat1$", "top")]
    return parts[-1].replace("//", "/").strip() if parts else ""


def build_bank(raws: list[Raw], bank_id: str, title: str, chapter: str | None, source: str,
               warnings: list[ImportWarning], objective_texts: dict[str, str] | None = None) -> Imported:
    """The bank mapping for `raws` (see the module docstring)."""
    from quiz.course.serialize import question_from_dict

    objective_texts = dict(objective_texts or {})
    objectives: dict[str, str] = {}
    by_category: dict[str, str] = {}
    used_ids: set[str] = set()
    questions: list[dict] = []
    skipped = 0
    raws = _merge_split_cloze(raws, warnings)
    for n, raw in enumerate(raws, 1):
        d = dict(raw.data)
        _positions_to_ordering(d)
        if d.get("type") == "short":
            d["answers"] = merge_folded(d.get("answers", []))
        qid = raw.title.strip() if raw.title and ID_PATTERN.match(raw.title.strip()) else ""
        if not qid or qid in used_ids:
            qid = _next_id(bank_id, used_ids, n)
        used_ids.add(qid)
        # objective: the id written by `quiz export`, else one objective per category
        if raw.objective and ID_PATTERN.match(raw.objective):
            objective = raw.objective
            if objective not in objective_texts:  # else the bank's lesson defines it
                objectives.setdefault(objective, f"TODO: state objective {objective} (imported; or define it "
                                                 "in the lesson)")
        else:
            name = category_name(raw.category) or title
            if name not in by_category:
                oid = f"{bank_id}-lo{len(by_category) + 1}"
                by_category[name] = oid
                objectives.setdefault(oid, f"Imported from category: {name}" if category_name(raw.category)
                                      else f"TODO: state the objective of these questions (imported from {title})")
            objective = by_category[name]
        out = {"id": qid, **{k: v for k, v in d.items() if k not in ("explanation", "feedback")}}
        todo = _fill_placeholders(out, d, raw, warnings)
        if d.get("feedback"):
            out["feedback"] = d["feedback"]
        elif "feedback" in todo:
            out["feedback"] = TODO_FEEDBACK
        out["explanation"] = d.get("explanation") or TODO_EXPLANATION
        if not d.get("explanation"):
            todo.append("explanation")
        passage: dict[str, Any] = {"quote": raw.quote or TODO_QUOTE}
        if raw.quote and raw.chapter and raw.chapter != chapter and ID_PATTERN.match(raw.chapter):
            passage["chapter"] = raw.chapter  # a quote from another chapter than the bank's
        out["passage"] = passage
        if raw.quote and raw.more_sources:  # a question that compares passages quotes each
            out["passage"] = [passage] + [{"quote": q, **({"chapter": c} if c and c != chapter else {})}
                                          for q, c in raw.more_sources]
        if not raw.quote:  # a quote that came back is checked by `quiz validate` like any other
            out["needs_passage"] = True
        out["objective"] = objective
        out["difficulty"] = raw.difficulty if raw.difficulty in (1, 2, 3) else 2
        tags = []
        for t in raw.tags:
            t = t.strip()
            if t and t not in tags:
                tags.append(t)
        if tags:
            out["tags"] = tags
        try:
            listed = out["passage"] if isinstance(out["passage"], list) else [out["passage"]]
            question_from_dict({**out, "passage": [{**p, "chapter": p.get("chapter", chapter or "imported")} for p in listed]},
                               bank_id, raw.where, raw.line)
        except Exception as exc:  # noqa: BLE001 - InputError or a schema message
            msg = re.sub(r"^question \S+: ", "", getattr(getattr(exc, "problem", None), "message", str(exc)))
            warnings.append(ImportWarning(raw.where, f"left out: {msg}"))
            skipped += 1
            continue
        if todo:
            warnings.append(ImportWarning(qid, "no " + " and no ".join(_describe(t) for t in todo)
                                          + " in the source; written as TODO placeholders"))
        questions.append(_ordered(out))
    bank: dict[str, Any] = {"bank": bank_id, "title": title}
    if chapter:
        bank["source"] = source
        bank["chapter"] = chapter
    else:
        bank["source"] = "all"
    if objectives:
        bank["objectives"] = objectives
    bank["questions"] = questions
    return Imported(bank, warnings, skipped)


_KEY_ORDER = ("id", "type", "prompt", "choices", "answer", "tolerance", "unit", "answers", "pairs", "items", "feedback",
              "explanation", "passage", "needs_passage", "objective", "difficulty", "tags")


def _ordered(d: dict) -> dict:
    """Keys in the order of quizzes/README.md."""
    return {k: d[k] for k in _KEY_ORDER if k in d} | {k: v for k, v in d.items() if k not in _KEY_ORDER}


def _describe(what: str) -> str:
    return {"explanation": "general feedback (explanation)", "choices": "feedback on wrong choices",
            "feedback": "wrong-answer feedback"}.get(what, what)


def _fill_placeholders(out: dict, d: dict, raw: Raw, warnings: list[ImportWarning]) -> list[str]:
    todo: list[str] = []
    if out.get("type") in ("single", "multiple"):
        for c in out["choices"]:
            if not c.get("correct") and not c.get("feedback"):
                c["feedback"] = TODO_CHOICE
                if "choices" not in todo:
                    todo.append("choices")
    if out.get("type") == "true_false" and not d.get("feedback"):
        todo.append("feedback")
    return todo


def _next_id(bank_id: str, used: set[str], n: int) -> str:
    k = n
    while f"{bank_id}-q{k:02d}" in used:
        k += 1
    return f"{bank_id}-q{k:02d}"


def _positions_to_ordering(d: dict) -> None:
    """A matching of items to positions 1…n (how `quiz export` writes an ordering question
    for targets without one) becomes the ordering question again."""
    if d.get("type") != "matching":
        return
    order = positions_to_order([(p["left"], p["right"]) for p in d["pairs"]])
    if order is not None:
        d["type"] = "ordering"
        d["items"] = order
        del d["pairs"]


_PART = re.compile(r"^(?P<id>.+) \(blank (?P<k>\d+) of (?P<n>\d+)\)$")


def _merge_split_cloze(raws: list[Raw], warnings: list[ImportWarning]) -> list[Raw]:
    """Short-answer questions titled `ID (blank k of n)`, which `quiz export` writes for a
    cloze question with several blanks, become that cloze question again."""
    out: list[Raw] = []
    i = 0
    while i < len(raws):
        m = _PART.match(raws[i].title or "")
        if not m or raws[i].data.get("type") != "short" or int(m.group("k")) != 1:
            out.append(raws[i])
            i += 1
            continue
        n = int(m.group("n"))
        parts = raws[i : i + n]
        ok = len(parts) == n and all(
            (pm := _PART.match(p.title or "")) and pm.group("id") == m.group("id") and int(pm.group("k")) == k
            and int(pm.group("n")) == n and p.data.get("type") == "short" for k, p in enumerate(parts, 1))
        marker = "\n\nBlank [1]:"
        stem = parts[0].data.get("prompt", "") if ok else ""
        if not ok or marker not in stem:
            out.append(raws[i])
            i += 1
            continue
        prompt = stem[: stem.rindex(marker)]
        for k, p in enumerate(parts, 1):
            blank = "{{" + "|".join(a.replace("|", "/") for a in clean_short_answers(p.data["answers"])) + "}}"
            if f"[{k}] _____" not in prompt:
                ok = False
                break
            prompt = prompt.replace(f"[{k}] _____", blank, 1)
        if not ok:
            out.append(raws[i])
            i += 1
            continue
        first = parts[0]
        data = {"type": "cloze", "prompt": prompt}
        for key in ("explanation", "feedback"):
            if first.data.get(key):
                data[key] = first.data[key]
        out.append(Raw(data, first.line, m.group("id"), first.category, first.tags, first.quote,
                       first.objective, first.difficulty, first.chapter, first.group_title, first.more_sources))
        i += n
    return out


def choice_list(choices: list[tuple[str, float, str]], single_hint: bool | None, where: str,
                warnings: list[ImportWarning]) -> dict:
    """Bank-format `single` or `multiple` data from (text, fraction in [-1, 1], feedback)."""
    correct = [c for c in choices if c[1] > 0]
    full = [c for c in choices if c[1] >= 0.999]
    partial = [c for c in choices if 0 < c[1] < 0.999]
    single = single_hint if single_hint is not None else len(correct) <= 1
    if single and not correct:
        correct_texts: set[str] = set()  # no right choice: the bank's rules leave the question out, with a warning
        kind = "single"
    elif single:
        if len(full) != 1 or partial:
            keep = full[0] if full else max(choices, key=lambda c: c[1])
            if len(full) > 1 or partial:
                warnings.append(ImportWarning(where, f"several choices earn credit; only '{keep[0]}' is kept as the "
                                                     "right one (a single-choice question has one)"))
            correct_texts = {keep[0]}
        else:
            correct_texts = {full[0][0]}
        kind = "single"
    else:
        correct_texts = {c[0] for c in correct}
        kind = "multiple"
        if correct and len({round(c[1], 4) for c in correct}) > 1:
            warnings.append(ImportWarning(where, "unequal weights of the right choices become equal "
                                                 "(the course's partial credit rule)"))
    out = []
    for text, _fraction, fb in choices:
        c: dict[str, Any] = {"text": text}
        if text in correct_texts:
            c["correct"] = True
        if fb:
            c["feedback"] = fb
        out.append(c)
    return {"type": kind, "choices": out}


def merge_folded(answers: list[str]) -> list[str]:
    """Short answers that the course's folding makes one ("U.S." and "u s", which an LMS lists
    apart, and Moodle exports with the same grade) merged into the first: the bank refuses
    such repeats, and they are never a reason to leave a question out."""
    from quiz.model import fold_answer

    out: list[str] = []
    seen: set[str] = set()
    for a in answers:
        key = fold_answer(a) or a.casefold()
        if key not in seen:
            seen.add(key)
            out.append(a)
    return out


def clean_short_answers(answers: list[str], where: str = "", warnings: list[ImportWarning] | None = None) -> list[str]:
    """Accepted answers as the bank keeps them. Moodle's wildcard `*` has no equivalent (the
    course compares whole folded answers): `\\*` is a literal star, and an answer with an
    unescaped `*` is left out with a warning. Case-insensitive repeats are merged."""
    out: list[str] = []
    seen: set[str] = set()
    for a in answers:
        a = (a or "").strip()
        if not a or a == "*":
            continue
        if re.search(r"(?<!\\)\*", a):
            if warnings is not None:
                warnings.append(ImportWarning(where, f"the answer '{a}' uses Moodle's wildcard *, which the bank "
                                                     "format cannot express; it is left out (list the accepted "
                                                     "forms instead)"))
            continue
        a = a.replace("\\*", "*")
        if a.casefold() not in seen:
            seen.add(a.casefold())
            out.append(a)
    return out


def existing_objectives(out_path: Path, bank_id: str) -> dict[str, str]:
    """Objectives the lesson of the bank being written defines (so imports do not replace
    their texts with placeholders)."""
    try:
        from quiz.course.bank import lesson_path_for
        from quiz.course.lesson import load_lesson

        lesson_file = lesson_path_for(out_path, bank_id)
        if lesson_file is None:
            return {}
        lesson, _ = load_lesson(lesson_file)
        return dict(lesson.objectives)
    except Exception:  # a lesson that does not load is reported by `quiz validate`
        return {}


def number(text: str) -> float | None:
    try:
        value = float(text.strip().replace(",", ""))
    except (ValueError, AttributeError):
        return None
    return value if value == value and abs(value) != float("inf") else None


def as_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value

