"""Anki export: every .apkg is imported into a real Anki collection (the `anki` package
from PyPI), with its notes, cards, decks and tags; importing a newer export again updates
the notes instead of adding copies."""
from __future__ import annotations

import dataclasses
import sqlite3
import time
import zipfile
from functools import lru_cache
from pathlib import Path

import genanki
import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition

from quiz import model
from quiz.course.bank import load_bank
from quiz.exporters import anki
from quiz.exporters.common import citation, from_banks

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "quizzes" / "examples").glob("*.yaml"))


@lru_cache(maxsize=None)
def loadable(path: Path):
    """Every shipped bank must load: a bank that does not is a failure, not a skip."""
    return load_bank(path)


def course_banks() -> list[Path]:
    return [p for p in sorted((ROOT / "quizzes").glob("*.yaml")) + EXAMPLES]


@pytest.fixture
def collection(tmp_path):
    (tmp_path / "collection").mkdir()
    col = Collection(str(tmp_path / "collection" / "collection.anki2"))
    yield col
    col.close()


def import_apkg(col: Collection, path: Path):
    """Import as Anki's File > Import does by default: notes updated when the package's are newer."""
    options = ImportAnkiPackageOptions(
        with_scheduling=False, merge_notetypes=True,
        update_notes=ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER)
    return col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=options))


def notes_by_id(col: Collection) -> dict[str, object]:
    out = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        out[note["Id"]] = note
    return out


@pytest.mark.parametrize("path", course_banks(), ids=lambda p: p.stem)
def test_every_bank_opens_as_an_anki_collection(path, tmp_path, collection):
    bank = loadable(path)
    apkg = tmp_path / f"{bank.id}.apkg"
    assert anki.export(from_banks([bank]), apkg) == []
    result = import_apkg(collection, apkg)
    assert len(result.log.new) == len(bank.questions)
    assert collection.note_count() == len(bank.questions)
    # one card per question, one per blank of a cloze question
    expected_cards = sum(len(q.blanks) if isinstance(q, model.Cloze) else 1 for q in bank.questions)
    assert collection.card_count() == expected_cards
    deck_names = {d.name for d in collection.decks.all_names_and_ids()}
    assert f"{anki.COURSE_DECK}::{bank.title.replace('::', ':')}" in deck_names
    notes = notes_by_id(collection)
    assert sorted(notes) == sorted(q.id for q in bank.questions)
    for q in bank.questions:
        note = notes[q.id]
        assert note.guid == genanki.guid_for(q.id)
        assert {f"lesson::{bank.id}", f"objective::{q.objective}", f"type::{q.type}",
                f"difficulty::{q.difficulty}"} <= set(note.tags)
        # the source passage and citation on the back
        answer_html = collection.get_card(note.card_ids()[0]).answer()
        assert _html(q.passage.quote) in answer_html
        assert _html(citation(q)) in answer_html and citation(q)
        assert _html(q.explanation) in answer_html
        if isinstance(q, model.Cloze):
            assert note.note_type()["name"] == anki.CLOZE_MODEL_NAME
            for k, blank in enumerate(q.blanks, 1):
                assert f"{{{{c{k}::" in note["Text"]
        else:
            assert note.note_type()["name"] == anki.BASIC_MODEL_NAME
            assert _html(q.prompt if not isinstance(q, model.Numeric) else q.prompt.split("?")[0]) in note["Front"]
            for part in expected_back(q):
                assert _html(part) in note["Back"], (q.id, part)
            if isinstance(q, model.Ordering):
                positions = [note["Back"].index(_html(x)) for x in q.items]
                assert positions == sorted(positions)


def expected_back(q: model.Question) -> list[str]:
    """What the back of a card must show: the right answer."""
    if isinstance(q, model.ChoiceQuestion):
        return [c.text for c in q.choices if c.correct]
    if isinstance(q, model.TrueFalse):
        return ["True" if q.answer else "False"]
    if isinstance(q, model.Short):
        return list(q.answers)
    if isinstance(q, model.Numeric):
        from quiz.exporters.common import number_text

        return [number_text(q.answer)]
    if isinstance(q, model.Matching):
        return [x for pair in q.pairs for x in pair]
    return list(q.items)


def _html(text: str) -> str:
    import html

    return html.escape(text, quote=False)


def test_reimport_updates_instead_of_duplicating(tmp_path, collection):
    bank = loadable(ROOT / "quizzes/examples/example-lawfare.yaml")
    first = tmp_path / "first.apkg"
    anki.export(from_banks([bank]), first)
    import_apkg(collection, first)
    assert collection.note_count() == len(bank.questions)
    # the same export again: nothing new
    result = import_apkg(collection, first)
    assert len(result.log.new) == 0 and collection.note_count() == len(bank.questions)
    # a newer export with an edited prompt: the note is updated, not added
    edited = dataclasses.replace(bank.questions[0], prompt="An edited prompt?")
    bank2 = dataclasses.replace(bank, questions=[edited, *bank.questions[1:]])
    second = tmp_path / "second.apkg"
    anki.export(from_banks([bank2]), second, timestamp=time.time() + 60)  # exported a minute later
    result = import_apkg(collection, second)
    assert len(result.log.new) == 0 and len(result.log.updated) >= 1
    assert collection.note_count() == len(bank.questions)
    assert "An edited prompt?" in notes_by_id(collection)[bank.questions[0].id]["Front"]


def test_ids_are_stable_constants():
    bank = loadable(ROOT / "quizzes/examples/example-lawfare.yaml")
    p1, _ = anki.render(from_banks([bank]))
    p2, _ = anki.render(from_banks([bank]))
    assert [d.deck_id for d in p1.decks] == [d.deck_id for d in p2.decks]
    assert anki.basic_model().model_id == anki.basic_model().model_id
    assert anki.cloze_model().model_id != anki.basic_model().model_id
    assert [n.guid for n in p1.decks[0].notes] == [genanki.guid_for(q.id) for q in bank.questions]


def test_the_package_is_an_anki_sqlite_collection(tmp_path):
    """The .apkg itself: a zip holding collection.anki2, a SQLite database with the notes,
    cards and decks (what older Anki versions read directly)."""
    banks = [loadable(p) for p in EXAMPLES]
    apkg = tmp_path / "all.apkg"
    anki.export(from_banks(banks), apkg)
    with zipfile.ZipFile(apkg) as zf:
        assert "collection.anki2" in zf.namelist()
        zf.extract("collection.anki2", tmp_path)
    db = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        n_notes = db.execute("select count(*) from notes").fetchone()[0]
        guids = {row[0] for row in db.execute("select guid from notes")}
        decks = db.execute("select decks from col").fetchone()[0]
    finally:
        db.close()
    questions = [q for b in banks for q in b.questions]
    assert n_notes == len(questions)
    assert guids == {genanki.guid_for(q.id) for q in questions}
    for b in banks:
        assert b.title in decks


def test_html_in_a_question_is_shown_as_text(tmp_path, collection):
    q = model.Short(id="x-q1", prompt="<script>alert(1)</script> & {{c1::x}}?", explanation="<b>e</b>",
                    passage=model.Passage("p <i>", "lawfare-01"), objective="o", difficulty=1, answers=("<a>",),
                    bank="x")
    from quiz.exporters.common import from_questions

    apkg = tmp_path / "x.apkg"
    anki.export(from_questions([q]), apkg)
    import_apkg(collection, apkg)
    [note] = notes_by_id(collection).values()
    card = collection.get_card(note.card_ids()[0])
    assert "<script>" not in card.question() and "&lt;script&gt;" in card.question()
    assert "&lt;a&gt;" in card.answer() and "<b>e</b>" not in card.answer()
