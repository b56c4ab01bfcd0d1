"""Loading question banks into the model, with every problem found on the way.

One loader for every channel: `load_bank` for code that needs questions (generate, take,
export, the book), `check_bank` for the validator, which also wants what is wrong.
"""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from quiz import model, paths
from quiz.course.corpus import Corpus, load_corpus
from quiz.course.lesson import load_lesson
from quiz.course.safeyaml import Loaded, load_yaml
from quiz.course.schemas import schema_errors
from quiz.errors import InputError, Problem, display_path
from quiz.model import Bank, Choice, Passage, cloze_blanks, fold_answer
from quiz.textnorm import fold


@dataclass
class BankCheck:
    """A bank as far as it could be loaded, and the problems found."""

    bank: Bank | None
    problems: list[Problem] = field(default_factory=list)
    quote_lines: dict[str, int] = field(default_factory=dict)


def lesson_path_for(bank_path: Path, bank_id: str) -> Path | None:
    """The lesson that defines a bank's objectives: lessons/<same relative path>.md, else a
    lessons/ directory beside the bank's directory, else a .md beside the bank."""
    bank_path = bank_path.resolve()
    candidates = []
    try:
        rel = bank_path.relative_to(paths.quizzes_dir().resolve())
        candidates.append(paths.lessons_dir() / rel.with_suffix(".md"))
    except ValueError:
        pass
    candidates += [bank_path.parent.parent / "lessons" / f"{bank_id}.md", bank_path.parent / f"{bank_id}.md"]
    return next((c for c in candidates if c.is_file()), None)


def check_bank(path: str | Path, corpus: Corpus | None = None, check_quotes: bool = True) -> BankCheck:
    """Load and check one bank. Raises InputError only when the file cannot be read at all."""
    corpus = corpus or load_corpus()
    path = Path(path)
    loaded = load_yaml(path)
    problems = list(loaded.problems)
    if not isinstance(loaded.data, dict):
        return BankCheck(None, problems + [Problem(loaded.file, 1, "a bank is a mapping with 'bank', 'title', "
                                                                   "'source', 'chapter' and 'questions'; see quizzes/README.md")])
    schema = schema_errors(loaded, "bank")
    problems += [p for p, _ in schema]
    d = loaded.data
    bad_questions = {_culprit(path) for _, path in schema}
    if any(k in bad_questions for k in ("bank", "title", "source", "chapter", "objectives", None)) \
            or not isinstance(d.get("questions"), list):
        return BankCheck(None, problems)
    f = loaded.file
    bank = Bank(d["bank"], d["title"], d["source"], d.get("chapter"), f, objectives=dict(d.get("objectives") or {}))
    line = loaded.line_of
    if bank.id != path.stem:
        problems.append(Problem(f, line(("bank",)), f"the bank id '{bank.id}' differs from the file name '{path.stem}'"))
    if bank.source != "all" and bank.source not in corpus.sources:
        problems.append(Problem(f, line(("source",)), f"unknown source '{bank.source}'; use one of "
                                f"{', '.join(corpus.sources)} or 'all'"))
    if bank.chapter is not None and bank.chapter not in corpus.chapters:
        problems.append(Problem(f, line(("chapter",)), f"chapter '{bank.chapter}' is not in sources/manifest.yaml"))
    elif bank.chapter and bank.source != "all" and corpus.chapters[bank.chapter].source.id != bank.source:
        problems.append(Problem(f, line(("chapter",)), f"chapter '{bank.chapter}' is not part of source '{bank.source}'"))
    elif bank.chapter is None and bank.source != "all":
        problems.append(Problem(f, 1, "'chapter' is required unless source is 'all'"))
    lesson_file = lesson_path_for(path, bank.id)
    if lesson_file is not None:
        try:
            lesson, _ = load_lesson(lesson_file)
        except InputError:
            lesson = None
        if lesson is not None:
            bank.objectives = {**lesson.objectives, **bank.objectives}
    result = BankCheck(bank, problems)
    seen: dict[str, int] = {}
    for i, q in enumerate(d["questions"]):
        if not isinstance(q, dict):
            continue
        qline = line(("questions", i))
        qid = q.get("id")
        if isinstance(qid, str):
            if qid in seen:
                problems.append(Problem(f, qline, f"duplicate question id '{qid}' (first at line {seen[qid]})"))
                continue
            seen[qid] = qline
        objective = q.get("objective")
        if isinstance(objective, str) and objective not in bank.objectives:
            where = f"lesson {display_path(lesson_file)}" if lesson_file else "a lesson (none found) or the bank's 'objectives'"
            problems.append(Problem(f, line(("questions", i, "objective")),
                                    f"objective '{objective}' is not defined by {where}"))
        listed = _passage_list(q.get("passage"))
        for where, text in _placeholders(q):
            if not (where == ("passage", "quote") and q.get("needs_passage")):
                problems.append(Problem(f, line(("questions", i) + where),
                                        f"{qid}: '{'.'.join(map(str, where))}' is still a placeholder ({text[:40]}…); write it"))
        if q.get("needs_passage"):
            problems.append(Problem(f, qline, f"question {qid} needs a passage quote from its chapter "
                                    "(imported; then remove 'needs_passage')"))
        elif check_quotes:
            for where, passage in listed:
                quote, chapter = passage.get("quote"), passage.get("chapter") or bank.chapter
                if isinstance(quote, str) and isinstance(chapter, str):
                    msg = quote_problem(Passage(quote, chapter), corpus)
                    if msg:
                        problems.append(Problem(f, line(("questions", i) + where + ("quote",)), f"{qid}: {msg}"))
        if i in bad_questions:
            continue
        question = _build(q, bank, f, qline, loaded, i, problems)
        if question is not None:
            bank.questions.append(question)
            result.quote_lines[question.id] = line(("questions", i) + listed[0][0] + ("quote",))
    return result


def _passage_list(passage) -> list[tuple[tuple, dict]]:
    """(YAML path, mapping) of each passage of a question: `passage` is one mapping or a list."""
    if isinstance(passage, dict):
        return [(("passage",), passage)]
    if isinstance(passage, list):
        return [(("passage", j), p) for j, p in enumerate(passage) if isinstance(p, dict)] or [(("passage",), {})]
    return [(("passage",), {})]


def _placeholders(value, where: tuple = ()):
    """Texts still reading `TODO:` (left by `quiz import` where the source had nothing)."""
    if isinstance(value, str):
        if value.lstrip().startswith("TODO:"):
            yield where, value.strip()
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _placeholders(v, where + (k,))
    elif isinstance(value, list):
        for j, v in enumerate(value):
            yield from _placeholders(v, where + (j,))


def quote_problem(passage: Passage, corpus: Corpus) -> str | None:
    """Why a passage quote fails, with the closest text of the chapter; None when it is found."""
    chapter = corpus.chapters.get(passage.chapter)
    if chapter is None:
        return f"passage chapter '{passage.chapter}' is not in sources/manifest.yaml"
    if chapter.contains(passage.quote):
        return None
    closest, at, score = chapter.closest(passage.quote)
    text = fold(closest)
    text = text if len(text) <= 200 else text[:199] + "\u2026"
    return (f"quote not found verbatim in {chapter.id}; closest ({score:.0f}%) at "
            f"{chapter.source.file.name}:{at}: \"{text}\"")


def _culprit(path: tuple):
    """What a schema error breaks: a question (by index), a top-level key, or the bank (None)."""
    if len(path) >= 2 and path[0] == "questions" and isinstance(path[1], int):
        return path[1]
    return path[0] if path else None


def _float(value) -> float:
    """A number as a float; one too large for a float (a 400-digit integer) is infinite."""
    try:
        return float(value)
    except OverflowError:
        return math.inf


def _clip_repr(value, n: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= n else f"{text[:n]}… ({len(text)} characters)"


def _build(q: dict, bank: Bank, f: str, qline: int, loaded: Loaded, i: int, problems: list[Problem]):
    """A model question from checked YAML data, or None with the reason appended."""
    line = loaded.line_of
    here = ("questions", i)
    start = len(problems)
    add = lambda where, msg: problems.append(Problem(f, line(here + where), msg))  # noqa: E731
    passages = []
    for where, p in _passage_list(q["passage"]):
        chapter = p.get("chapter") or bank.chapter
        if not chapter:
            add(where, "give the passage's 'chapter': the bank has no default chapter")
            return None
        passages.append(Passage(p["quote"], chapter))
    if q["type"] == "essay" and ("prompt" not in q or "model_answer" not in q):
        q = _from_exercise(q, bank, add)
        if q is None:
            return None
    common = dict(id=q["id"], prompt=q["prompt"], explanation=q.get("explanation", ""),
                  passage=passages[0], more_passages=tuple(passages[1:]), objective=q["objective"],
                  difficulty=q["difficulty"], tags=tuple(q.get("tags", ())), feedback=q.get("feedback", ""),
                  bank=bank.id, file=f, line=qline,
                  lint_ignore=tuple(q.get("lint", {}).get("ignore", ())), lint_reason=q.get("lint", {}).get("reason", ""),
                  points=float(q.get("points", 1)), penalty=float(q.get("penalty", 0)))
    if common["penalty"] and q["type"] not in model.PENALTY_TYPES:
        add(("penalty",), f"a penalty applies to {', '.join(model.PENALTY_TYPES)} questions only; remove it")
    t = q["type"]
    if t in ("single", "multiple"):
        choices = tuple(Choice(c["text"], bool(c.get("correct", False)), c.get("feedback", "")) for c in q["choices"])
        n_correct = sum(c.correct for c in choices)
        if t == "single" and n_correct != 1:
            add(("choices",), f"a single-choice question has exactly one correct choice; this one has {n_correct}")
        if t == "multiple" and n_correct == 0:
            add(("choices",), "a multiple-choice question needs at least one correct choice")
        if t == "multiple" and n_correct == len(choices):
            add(("choices",), "every choice is correct; add at least one wrong choice")
        _duplicates([c.text for c in choices], lambda j: ("choices", j), "choice", add)
        for j, c in enumerate(choices):
            if not c.correct and not c.feedback.strip():
                add(("choices", j), f"wrong choice {model.LETTERS[j]} needs 'feedback' saying why it is wrong")
        extra = dict(choices=choices)
    elif t == "true_false":
        if not common["feedback"].strip():
            add((), "a true/false question needs 'feedback' for the wrong answer")
        extra = dict(answer=q["answer"])
    elif t == "short":
        answers = tuple(str(a) for a in q["answers"])
        if any(not fold_answer(a) for a in answers):
            add(("answers",), "an accepted answer is empty once punctuation is removed")
        _duplicates(list(answers), lambda j: ("answers", j), "accepted answer", add)
        extra = dict(answers=answers)
    elif t == "numeric":
        extra = dict(answer=_float(q["answer"]), tolerance=_float(q.get("tolerance", 0)), unit=q.get("unit", ""))
        for name in ("answer", "tolerance"):
            if not math.isfinite(extra[name]):
                add((name,), f"the {name} must be a finite number, not {_clip_repr(q[name])}")
    elif t == "cloze":
        blanks = cloze_blanks(q["prompt"])
        if not blanks:
            add(("prompt",), "a cloze prompt needs at least one blank written {{answer}}")
        if any(not b for b in blanks):
            add(("prompt",), "a cloze blank is empty; write the accepted answers inside {{…}}")
        extra = dict(blanks=tuple(tuple(b) for b in blanks))
    elif t == "matching":
        pairs = tuple((str(p["left"]), str(p["right"])) for p in q["pairs"])
        _duplicates([p[0] for p in pairs], lambda j: ("pairs", j), "left item", add)
        _duplicates([p[1] for p in pairs], lambda j: ("pairs", j), "right item", add)
        extra = dict(pairs=pairs)
    elif t == "ordering":
        items = tuple(str(x) for x in q["items"])
        _duplicates(list(items), lambda j: ("items", j), "item", add)
        extra = dict(items=items)
    elif t == "essay":
        rubric = tuple(model.Criterion(str(c["criterion"]), tuple(
            model.Level(str(lv["label"]), float(lv["points"]), lv.get("description", "")) for lv in c["levels"]))
            for c in q["rubric"])
        _duplicates([c.name for c in rubric], lambda j: ("rubric", j), "criterion", add)
        for j, c in enumerate(rubric):
            _duplicates([lv.label for lv in c.levels], lambda k, j=j: ("rubric", j, "levels", k), "level", add)
            if c.max_points <= 0:
                add(("rubric", j), f"criterion '{c.name}' has no level worth more than 0 points")
        extra = dict(model_answer=q["model_answer"], rubric=rubric, lines=int(q.get("lines", 12)),
                     exercise=q.get("exercise", ""))
        if "points" not in q:  # an essay is worth its rubric's points unless it says otherwise
            common["points"] = sum(c.max_points for c in rubric) or 1.0
    else:  # the schema's enum catches this first
        add(("type",), f"unknown question type '{t}'")
        return None
    if len(problems) > start:
        return None
    return model.CLASSES[t](**common, **extra)


def _from_exercise(q: dict, bank: Bank, add) -> dict | None:
    """An essay question with its prompt and model answer filled from the lesson's exercise."""
    label = q.get("exercise")
    if not label:
        add((), "an essay needs 'prompt' and 'model_answer', or 'exercise' naming an exercise of the lesson")
        return None
    from quiz.course.exercises import lesson_exercises

    lesson = lesson_path_for(Path(bank.file), bank.id)
    if lesson is None:
        add(("exercise",), f"exercise '{label}': no lesson found for bank {bank.id} (lessons/{bank.id}.md)")
        return None
    found = lesson_exercises(lesson).get(label)
    if found is None or not found.text:
        add(("exercise",), f"'{label}' is not an exercise label of {display_path(lesson)}")
        return None
    if not found.solution and "model_answer" not in q:
        add(("exercise",), f"exercise '{label}' has no solution in {display_path(lesson)}; give 'model_answer'")
        return None
    return {**q, "prompt": q.get("prompt", found.text), "model_answer": q.get("model_answer", found.solution)}


def _duplicates(texts: list[str], where, what: str, add) -> None:
    seen: dict[str, int] = {}
    for j, text in enumerate(texts):
        visible = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")  # zero-width characters
        key = fold_answer(visible) or visible
        if key in seen:
            add(where(j), f"duplicate {what} '{text}' (same as {what} {seen[key] + 1})")
        seen.setdefault(key, j)


def load_bank(path: str | Path, corpus: Corpus | None = None) -> Bank:
    """A bank ready to use. Raises InputError naming the first problem if it is not valid."""
    checked = check_bank(path, corpus, check_quotes=False)
    if checked.problems or checked.bank is None:
        p = checked.problems[0] if checked.problems else Problem(display_path(path), 1, "not a valid bank")
        more = f" (and {len(checked.problems) - 1} more; run `quiz validate`)" if len(checked.problems) > 1 else ""
        raise InputError(p.file, p.line, p.message + more)
    return checked.bank


def id_clashes(banks: list[Bank]) -> list[Problem]:
    """A problem for each question whose id an earlier bank of `banks` already uses. Ids are
    unique across the course: sheets, keys, responses and attempts find questions by id."""
    first: dict[str, tuple[str, int]] = {}
    out = []
    for b in banks:
        for q in b.questions:
            if q.id in first:
                again = first[q.id] == (q.file, q.line)
                out.append(Problem(q.file, q.line, f"this bank is given twice (question id '{q.id}' is unique)" if again
                                   else f"question id '{q.id}' is also used at {first[q.id][0]}:{first[q.id][1]}; "
                                        "ids are unique across the course: rename one"))
            first.setdefault(q.id, (q.file, q.line))
    return out


def require_unique_ids(banks: list[Bank]) -> None:
    """Refuse banks that cannot be combined (InputError at the first clash)."""
    clashes = id_clashes(banks)
    if clashes:
        p = clashes[0]
        more = f" (and {len(clashes) - 1} more)" if len(clashes) > 1 else ""
        raise InputError(p.file, p.line, p.message + more)


def default_bank_paths() -> list[Path]:
    return sorted(paths.quizzes_dir().glob("*.yaml"))
