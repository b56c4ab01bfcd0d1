"""`quiz export` on the command line: every format, warnings on standard error naming
the question, sources (banks, ids, generated sheets), and errors with exit status 2."""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from quiz.course.bank import load_bank
from quiz.exporters import gift, registry
from quiz.exporters.common import from_banks

ROOT = Path(__file__).resolve().parents[1]
LAWFARE = ROOT / "quizzes" / "examples" / "example-lawfare.yaml"
CPC = ROOT / "quizzes" / "examples" / "example-cpc.yaml"
WARNING = re.compile(r"^warning: (\S+): (.+)$")


@pytest.mark.parametrize("fmt", list(registry.FORMATS))
def test_every_format_writes_a_file_and_reports(quiz, tmp_path, fmt):
    out = tmp_path / f"out{registry.FORMATS[fmt].suffix}"
    result = quiz("export", LAWFARE, CPC, "--format", fmt, "-o", out)
    assert result.exit_code == 0, result.output
    assert out.is_file() and out.stat().st_size > 0
    n = len(load_bank(LAWFARE).questions) + len(load_bank(CPC).questions)
    assert result.stdout.strip().startswith(f"wrote {out}: {n} questions from 2 bank(s) as {fmt}")
    for line in result.stderr.splitlines():
        m = WARNING.match(line)
        assert m, f"not a warning line: {line!r}"
    if registry.FORMATS[fmt].binary:
        assert zipfile.is_zipfile(out)


def test_warnings_name_each_question_a_format_cannot_express(quiz, tmp_path):
    result = quiz("export", LAWFARE, "--format", "gift", "-o", tmp_path / "x.gift")
    assert result.exit_code == 0
    named = [WARNING.match(line).group(1) for line in result.stderr.splitlines()]
    bank = load_bank(LAWFARE)
    assert sorted(named) == sorted(q.id for q in bank.questions if q.type in ("ordering", "cloze"))
    assert "2 warning(s)" in result.stdout
    # nothing dropped: every question is in the file
    text = (tmp_path / "x.gift").read_text(encoding="utf-8")
    for q in bank.questions:
        assert f"::{q.id}" in text


def test_bank_ids_resolve_to_quizzes(quiz, tmp_path):
    loadable = sorted((ROOT / "quizzes").glob("*.yaml"))
    assert loadable, "no course bank"
    bank_id = loadable[0].stem
    result = quiz("export", bank_id, "--format", "markdown", "-o", tmp_path / "x.md")
    assert result.exit_code == 0, result.output
    assert load_bank(loadable[0]).title in (tmp_path / "x.md").read_text(encoding="utf-8")


def test_dash_writes_a_text_format_to_stdout(quiz):
    result = quiz("export", LAWFARE, "--format", "gift", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout == gift.render(from_banks([load_bank(LAWFARE)]))[0]


def test_dash_refuses_a_binary_format(quiz):
    result = quiz("export", LAWFARE, "--format", "anki", "-o", "-")
    assert result.exit_code == 2 and "binary" in result.output


@pytest.mark.parametrize("args, message", [
    (["no-such-bank"], "no-such-bank:0: no such bank file or bank id"),
    ([str(LAWFARE), str(LAWFARE)], "given twice"),
])
def test_bad_sources_exit_2_with_a_message(quiz, tmp_path, args, message):
    result = quiz("export", *args, "--format", "gift", "-o", tmp_path / "x.gift")
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "x.gift").exists()


def test_an_invalid_bank_is_reported_with_file_and_line(quiz, write, tmp_path):
    bad = write("broken.yaml", """
        bank: broken
        title: Broken
        source: lawfare
        chapter: lawfare-01
        questions:
          - id: broken-q1
            type: single
            prompt: "?"
            choices: [{text: a, correct: true}, {text: b, correct: true}]
            explanation: e
            passage: {quote: q}
            objective: o
            difficulty: 1
        """)
    result = quiz("export", bad, "--format", "qti", "-o", tmp_path / "x.zip")
    assert result.exit_code == 2
    assert re.search(r"broken\.yaml:\d+: ", result.stderr)


def test_unknown_format_is_a_usage_error(quiz, tmp_path):
    result = quiz("export", LAWFARE, "--format", "pdf", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 2 and "pdf" in result.output


def generate(quiz, out: Path, variants: int = 1) -> Path:
    result = quiz("generate", LAWFARE, CPC, "-n", "9", "--seed", "4", "--variants", variants, "-o", out)
    assert result.exit_code == 0, result.output
    return out


def test_a_sheet_a_key_and_a_directory_with_one_key(quiz, tmp_path):
    g = generate(quiz, tmp_path / "g")
    outputs = []
    for source in (g / "key-v1.yaml", g / "sheet-v1.yaml", g):
        out = tmp_path / f"{source.name}.md"
        result = quiz("export", source, "--format", "markdown", "-o", out)
        assert result.exit_code == 0, result.output
        assert "from sheet" in result.stdout
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1] == outputs[2]


def test_a_directory_with_several_keys_asks_for_one(quiz, tmp_path):
    g = generate(quiz, tmp_path / "g", variants=2)
    result = quiz("export", g, "--format", "html", "-o", tmp_path / "x.html")
    assert result.exit_code == 2 and "2 keys" in result.stderr


def test_a_sheet_whose_key_is_another_sheets_is_refused(quiz, tmp_path):
    a = generate(quiz, tmp_path / "a")
    b = tmp_path / "b"
    b.mkdir()
    shutil.copy(a / "key-v1.yaml", b / "key-v1.yaml")
    result = quiz("generate", LAWFARE, CPC, "-n", "9", "--seed", "5", "-o", tmp_path / "c")
    assert result.exit_code == 0
    shutil.copy(tmp_path / "c" / "sheet-v1.yaml", b / "sheet-v1.yaml")
    result = quiz("export", b / "sheet-v1.yaml", "--format", "html", "-o", tmp_path / "x.html")
    assert result.exit_code == 2 and "fingerprints differ" in result.stderr


def test_a_sheet_cannot_be_mixed_with_banks(quiz, tmp_path):
    g = generate(quiz, tmp_path / "g")
    result = quiz("export", g / "key-v1.yaml", LAWFARE, "--format", "html", "-o", tmp_path / "x.html")
    assert result.exit_code == 2 and "on its own" in result.stderr


def test_moodle_ordering_as_matching_and_anki_deck_name(quiz, tmp_path):
    result = quiz("export", LAWFARE, "--format", "moodle", "--ordering-as", "matching", "-o", tmp_path / "x.xml")
    assert result.exit_code == 0
    assert [WARNING.match(line).group(1) for line in result.stderr.splitlines()] == \
        [q.id for q in load_bank(LAWFARE).questions if q.type == "ordering"]
    assert '<question type="ordering">' not in (tmp_path / "x.xml").read_text(encoding="utf-8")
    result = quiz("export", LAWFARE, "--format", "anki", "--deck", "My deck", "-o", tmp_path / "x.apkg")
    assert result.exit_code == 0
    with zipfile.ZipFile(tmp_path / "x.apkg") as zf:
        zf.extract("collection.anki2", tmp_path)
    import sqlite3

    db = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        decks = db.execute("select decks from col").fetchone()[0]
    finally:
        db.close()
    assert "My deck::" in decks


def test_help_lists_the_formats(quiz):
    result = quiz("export", "--help")
    assert result.exit_code == 0
    for fmt in registry.FORMATS:
        assert fmt in result.output


def test_missing_directories_are_made_and_unwritable_paths_reported(quiz, tmp_path):
    out = tmp_path / "new" / "dir" / "x.gift"
    assert quiz("export", LAWFARE, "--format", "gift", "-o", out).exit_code == 0
    assert out.is_file()
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    result = quiz("export", LAWFARE, "--format", "gift", "-o", blocker / "x.gift")
    assert result.exit_code == 2 and "cannot write" in result.stderr and "Traceback" not in result.output
