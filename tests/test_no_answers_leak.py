"""Student-facing files never contain the answer.

For every bank of the course and the examples, `quiz generate` writes sheets of all its
questions in two variants; each student file (sheet YAML, Markdown, HTML) is scanned for
every secret of its questions: explanations, feedback (question and choice), accepted
short answers, cloze blanks, numeric answers, matching pairs, correct flags. So is the
quiz part of the printable exports (Markdown, HTML), which put the key on a page of its
own. The same scan run over the answer keys finds the secrets, so the scanner can see.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from quiz import model
from quiz.course.bank import load_bank
from quiz.assess.generate import generate, write_variants

ROOT = Path(__file__).resolve().parents[1]
BANKS = sorted((ROOT / "quizzes").glob("*.yaml")) + sorted((ROOT / "quizzes" / "examples").glob("*.yaml"))
SEED = 7
SHEET_KEYS = {"number", "id", "type", "prompt", "choices", "unit", "blanks", "left", "right", "items", "answer"}


def norm(text: str, markup: bool = False) -> str:
    """Text as a reader sees it, for comparison: tags dropped (HTML), escapes undone,
    white space folded, case folded."""
    if markup:
        text = re.sub(r"<br\s*/?>", " ", text)
        text = re.sub(r"<[^>]+>", " ", text)
    text = html.unescape(text.replace("\\", ""))
    return " ".join(text.split()).casefold()


@dataclass
class Secret:
    question: str
    what: str
    text: str
    pattern: re.Pattern | None = None


def secrets_of(q: model.Question) -> list[Secret]:
    out = [Secret(q.id, "explanation", q.explanation)]
    if q.feedback:
        out.append(Secret(q.id, "feedback", q.feedback))
    if isinstance(q, model.ChoiceQuestion):
        out += [Secret(q.id, f"feedback of choice {model.LETTERS[i]}", c.feedback) for i, c in enumerate(q.choices) if c.feedback]
    elif isinstance(q, model.Short):
        out += [Secret(q.id, "accepted answer", a) for a in q.answers if len(model.fold_answer(a)) >= 4]
    elif isinstance(q, model.Cloze):
        out += [Secret(q.id, "cloze blank", alt) for blank in q.blanks for alt in blank if len(model.fold_answer(alt)) >= 4]
        out.append(Secret(q.id, "cloze markup", "{{"))
    elif isinstance(q, model.Numeric):
        value = q.answer_text().split()[0]
        if len(value.replace(".", "")) >= 3:
            out.append(Secret(q.id, "numeric answer", value, re.compile(rf"(?<![\w.]){re.escape(value)}(?![\w]|\.\d)")))
    elif isinstance(q, model.Matching):
        out += [Secret(q.id, "matching pair", f"{left} {sep} {right}") for left, right in q.pairs for sep in ("\u2192", ":", "->")]
    return out


def shown_texts(q: model.Question) -> list[str]:
    """What a sheet legitimately shows of a question."""
    texts = [q.prompt, model.cloze_display(q.prompt, "[{}] _____"), model.cloze_display(q.prompt, "[{}]"), q.id]
    if isinstance(q, model.Numeric):
        texts.append(q.unit)
    if isinstance(q, model.ChoiceQuestion):
        texts += q.texts
    elif isinstance(q, model.Matching):
        texts += q.lefts + q.rights
    elif isinstance(q, model.Ordering):
        texts += list(q.items)
    return [t for t in texts if t]


def yaml_text(path: Path) -> str:
    """Every key and value of a YAML file, one per line: what the file says, unquoted."""
    out = []

    def walk(value):
        if isinstance(value, dict):
            for k, v in value.items():
                out.append(str(k))
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif value is not None:
            out.append(str(value))

    walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return "\n".join(out)


def leaks(document: str, questions: list[model.Question], markup: bool, also_shown: tuple[str, ...] = ()) -> list[str]:
    """Secrets of `questions` found in `document` outside what it may show (the questions'
    shown texts, and `also_shown`: titles)."""
    full = doc = norm(document, markup)
    # short secrets (an accepted answer, a blank, a number) may also be words of what the
    # sheet shows, so they are looked for in what is left once the shown texts are taken
    # out; explanations and feedback are looked for in the whole document
    shown = sorted({norm(t) for q in questions for t in shown_texts(q)} | {norm(t) for t in also_shown},
                   key=len, reverse=True)
    for text in shown:
        doc = doc.replace(text, " \u00a6 ")
    found = []
    for q in questions:
        for s in secrets_of(q):
            needle = norm(s.text)
            if not needle:
                continue
            pattern = s.pattern or re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)" if needle[-1:].isalnum() else re.escape(needle))
            hit = pattern.search(full if s.what in ("explanation", "cloze markup") or "feedback" in s.what else doc)
            if hit:
                found.append(f"{s.question}: {s.what}: {s.text[:80]!r}")
    if re.search(r"\bcorrect\b|\u2714|\u2713", doc):
        found.append("a correct flag or tick mark")
    return found


@pytest.fixture(scope="module")
def banks():
    return {p: load_bank(p) for p in BANKS}


@pytest.fixture(scope="module")
def generated(banks, tmp_path_factory):
    """Sheets of every question of every bank, two variants each."""
    out = {}
    for path, bank in banks.items():
        d = tmp_path_factory.mktemp(bank.id)
        variants = generate([str(path)], len(bank.questions), SEED, variants=2)
        write_variants(variants, d)
        out[bank.id] = (d, bank)
    return out


def test_every_bank_is_covered(generated):
    assert len(generated) == len(BANKS) >= 3
    assert {q.type for _, bank in generated.values() for q in bank.questions} == set(model.TYPES)


@pytest.mark.parametrize("bank_path", BANKS, ids=[p.stem for p in BANKS])
def test_student_sheets_hold_no_answer(bank_path, generated):
    d, bank = generated[load_bank_id(bank_path)]
    for v in (1, 2):
        sheet = yaml.safe_load((d / f"sheet-v{v}.yaml").read_text(encoding="utf-8"))
        assert len(sheet["questions"]) == len(bank.questions)
        for q in sheet["questions"]:  # the sheet's data: shown texts and an empty answer, nothing else
            assert set(q) <= SHEET_KEYS, set(q) - SHEET_KEYS
            assert q["answer"] is None
            if q["type"] == "ordering" and len(q["items"]) > 1:
                original = next(x for x in bank.questions if x.id == q["id"]).items
                assert list(q["items"].values()) != list(original), f"{q['id']} is shown already in order"
        titles = (sheet["title"],)
        for suffix, markup in (("yaml", False), ("md", False), ("html", True)):
            path = d / f"sheet-v{v}.{suffix}"
            text = yaml_text(path) if suffix == "yaml" else path.read_text(encoding="utf-8")
            assert leaks(text, bank.questions, markup, titles) == [], f"sheet-v{v}.{suffix}"


def load_bank_id(path: Path) -> str:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["bank"]


def test_the_scanner_finds_answers_in_the_keys(generated):
    """The same scan over the answer keys finds explanations and answers: it can see."""
    for d, bank in generated.values():
        found = leaks(yaml_text(d / "key-v1.yaml"), bank.questions, False, (bank.title,))
        assert sum("explanation" in f for f in found) == len(bank.questions), bank.id
        if any(isinstance(q, model.Short) for q in bank.questions):
            assert any("accepted answer" in f for f in found), bank.id
        if any(isinstance(q, model.ChoiceQuestion) for q in bank.questions):
            assert any("feedback of choice" in f for f in found) and any("correct flag" in f for f in found), bank.id


def _printable_exports_exist() -> bool:
    return (ROOT / "tools" / "quiz" / "exporters" / "markdown.py").exists() and \
        (ROOT / "tools" / "quiz" / "exporters" / "html.py").exists()


@pytest.mark.parametrize("fmt,marker", [("markdown", "# Answer key:"), ("html", "<section class='key'>")])
def test_printable_exports_hold_no_answer_before_the_key(fmt, marker, quiz, generated, tmp_path):
    """The quiz part of a printable export (what students get) holds no answer; the key
    follows on its own page. Exported from each bank, and from a generated sheet."""
    assert _printable_exports_exist()
    sources = [(str(p), load_bank(p).questions, load_bank(p).title) for p in BANKS]
    d, bank = generated["example-lawfare"]
    sources.append((str(d / "key-v2.yaml"), bank.questions, yaml.safe_load((d / "key-v2.yaml").read_text())["title"]))
    for n, (source, questions, title) in enumerate(sources):
        out = tmp_path / f"{n}.{fmt}"
        result = quiz("export", source, "--format", fmt, "-o", out)
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
        assert marker in text, f"no answer key marker {marker!r} in the {fmt} export"
        student, key = text.split(marker, 1)
        assert leaks(student, questions, fmt == "html", (title,)) == [], source
        assert leaks(key, questions, fmt == "html", (title,)), "the key part should hold the answers"
