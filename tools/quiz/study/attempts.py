"""The attempts store: every answer a student gives, saved the moment it is given.

SQLite in WAL mode, one transaction per answer, so Ctrl-C, a closed terminal or a
killed process loses at most the answer being typed, and two quiz sessions can write
to the same file at once. The schema carries a version (PRAGMA user_version) and is
migrated forward on open.
"""
from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from quiz.errors import InputError

APP = "quiz-course"
ENV_DB = "QUIZ_DB"
ENV_NOW = "QUIZ_NOW"  # inject the clock (ISO date-time) for tests and demonstrations


def now() -> datetime:
    """The current time in UTC, or $QUIZ_NOW when set (`quiz --today` sets it)."""
    fixed = os.environ.get(ENV_NOW)
    if fixed:
        return parse_now(fixed)
    return datetime.now(timezone.utc)


def parse_now(value: str) -> datetime:
    """An ISO date or date-time (UTC unless it says otherwise)."""
    try:
        t = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InputError("$QUIZ_NOW", 0, f"{value!r} is not a date or date-time; write it as 2026-03-01 or "
                         "2026-03-01T09:00 (UTC unless an offset such as +01:00 is given)") from None
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def existing_db(path: str | Path | None) -> Path | None:
    """The attempts database if it exists, else None: commands that only read use this and
    create no file or directory."""
    p = Path(path) if path else default_db_path()
    if p.exists() or p.is_symlink():
        return p  # a directory or a broken link is reported when opened
    blocker = next((q for q in p.parents if q.exists() and not q.is_dir()), None)
    if blocker is not None:
        raise InputError(p, 0, f"the attempts database cannot be where it is asked for ({blocker} is a file); "
                         "pass --db PATH in a directory you can write to")
    return None


def default_db_path() -> Path:
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP, appauthor=False)) / "attempts.db"


MIGRATIONS = [
    # 1: attempts and answers
    """
    CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        mode TEXT NOT NULL,
        title TEXT NOT NULL,
        plan TEXT NOT NULL            -- JSON: sources, question ids, shown orders, seed, time limit
    );
    CREATE TABLE answers (
        id INTEGER PRIMARY KEY,
        attempt_id INTEGER NOT NULL REFERENCES attempts(id),
        position INTEGER NOT NULL,
        question_id TEXT NOT NULL,
        bank TEXT NOT NULL,
        objective TEXT NOT NULL,
        response TEXT NOT NULL,       -- JSON, in the bank's order
        score REAL NOT NULL,
        answered_at TEXT NOT NULL,
        UNIQUE (attempt_id, position)
    );
    CREATE INDEX answers_question ON answers(question_id);
    """,
    # 2: spaced-repetition cards (FSRS), one per question
    """
    CREATE TABLE cards (
        question_id TEXT PRIMARY KEY,
        bank TEXT NOT NULL,
        card TEXT NOT NULL,           -- JSON of fsrs.Card.to_dict()
        due TEXT NOT NULL
    );
    CREATE INDEX cards_due ON cards(due);
    ALTER TABLE answers ADD COLUMN source TEXT NOT NULL DEFAULT 'take';
    """,
    # 3: part-entered answers (cloze blanks, matching rows) kept until the answer is complete
    """
    CREATE TABLE drafts (
        attempt_id INTEGER NOT NULL REFERENCES attempts(id),
        position INTEGER NOT NULL,
        parts TEXT NOT NULL,          -- JSON list, in the order typed
        PRIMARY KEY (attempt_id, position)
    );
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass
class AttemptRow:
    id: int
    started_at: str
    finished_at: str | None
    mode: str
    title: str
    plan: dict


class Store:
    """An open attempts database."""

    def __init__(self, path: str | Path | None = None, timeout: float = 10.0):
        self.path = Path(path) if path else default_db_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a parent that is a file, a directory one may not write to…
            why = next((f"{p} is a file" for p in self.path.parents if p.is_file()), exc.strerror or str(exc))
            raise InputError(self.path, 0, f"cannot create the directory of the attempts database ({why}); "
                             "pass --db PATH in a directory you can write to") from None
        try:
            self.db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise InputError(self.path, 0, self._advice(exc)) from None

    def _advice(self, exc: Exception) -> str:
        text = str(exc)
        if "locked" in text or "busy" in text:
            return ("the attempts database is locked by another program; close the other quiz session "
                    "and try again, or use another file with --db")
        if "unable to open" in text or "readonly" in text or "read-only" in text:
            return (f"the attempts database cannot be opened for writing ({text}); check that the file and its "
                    "directory are writable, or pass --db PATH")
        return (f"the attempts database cannot be used ({text}); it may be damaged. Move it aside "
                f"(`mv {self.path} {self.path}.bad`) and a new one is created, or pass --db PATH")

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise InputError(self.path, 0, f"the attempts database has schema version {version}, newer than this "
                             f"quiz understands ({SCHEMA_VERSION}); upgrade quiz or use another --db")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            self.db.execute("BEGIN IMMEDIATE")
            try:
                current = self.db.execute("PRAGMA user_version").fetchone()[0]
                if current < target:  # another process may have migrated meanwhile
                    for statement in MIGRATIONS[target - 1].split(";"):
                        if statement.strip():
                            self.db.execute(statement)
                    self.db.execute(f"PRAGMA user_version = {target}")
                self.db.execute("COMMIT")
            except BaseException:
                if self.db.in_transaction:  # SQLite may have rolled back already (I/O errors)
                    self.db.execute("ROLLBACK")
                raise

    def _run(self, sql: str, args: tuple = ()) -> sqlite3.Cursor:
        try:
            return self.db.execute(sql, args)
        except sqlite3.DatabaseError as exc:
            raise InputError(self.path, 0, self._advice(exc)) from None

    def close(self) -> None:
        self.db.close()

    # -- attempts ---------------------------------------------------------------------
    def start_attempt(self, mode: str, title: str, plan: dict) -> int:
        cur = self._run("INSERT INTO attempts (started_at, mode, title, plan) VALUES (?, ?, ?, ?)",
                        (now().isoformat(), mode, title, json.dumps(plan, ensure_ascii=False)))
        return int(cur.lastrowid)

    def record_answer(self, attempt_id: int, position: int, question_id: str, bank: str, objective: str,
                      response: Any, score: float, source: str = "take") -> None:
        """Save one answer; committed before this returns (autocommit)."""
        self._run("INSERT OR REPLACE INTO answers (attempt_id, position, question_id, bank, objective, response, "
                  "score, answered_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  (attempt_id, position, question_id, bank, objective, json.dumps(response, ensure_ascii=False, default=_jsonable),
                   float(score), now().isoformat(), source))

    def draft(self, attempt_id: int, position: int) -> list:
        row = self._run("SELECT parts FROM drafts WHERE attempt_id = ? AND position = ?",
                        (attempt_id, position)).fetchone()
        return json.loads(row[0]) if row else []

    def save_draft(self, attempt_id: int, position: int, parts: list) -> None:
        """Keep what has been typed of an answer in parts; dropped once the answer is saved."""
        if parts:
            self._run("INSERT OR REPLACE INTO drafts (attempt_id, position, parts) VALUES (?, ?, ?)",
                      (attempt_id, position, json.dumps(parts, ensure_ascii=False)))
        else:
            self._run("DELETE FROM drafts WHERE attempt_id = ? AND position = ?", (attempt_id, position))

    def finish_attempt(self, attempt_id: int) -> None:
        self._run("UPDATE attempts SET finished_at = ? WHERE id = ?", (now().isoformat(), attempt_id))

    def attempt(self, attempt_id: int) -> AttemptRow | None:
        row = self._run("SELECT id, started_at, finished_at, mode, title, plan FROM attempts WHERE id = ?",
                        (attempt_id,)).fetchone()
        return AttemptRow(*row[:5], _loads(row[5], None)) if row else None

    def last_unfinished(self) -> AttemptRow | None:
        row = self._run("SELECT id FROM attempts WHERE finished_at IS NULL AND mode != 'review' "
                        "ORDER BY id DESC LIMIT 1").fetchone()
        return self.attempt(row[0]) if row else None

    def answered_positions(self, attempt_id: int) -> dict[int, tuple[Any, float]]:
        rows = self._run("SELECT position, response, score FROM answers WHERE attempt_id = ?", (attempt_id,))
        return {p: (_loads(r, None), s) for p, r, s in rows}

    def attempt_answers(self, attempt_id: int) -> list[tuple[int, str, Any, float]]:
        """(position, question id, response, score) of every answer of one attempt, in order."""
        rows = self._run("SELECT position, question_id, response, score FROM answers WHERE attempt_id = ? "
                         "ORDER BY position", (attempt_id,))
        return [(p, q, json.loads(r), s) for p, q, r, s in rows]

    def attempts(self) -> list[AttemptRow]:
        rows = self._run("SELECT id, started_at, finished_at, mode, title, plan FROM attempts ORDER BY id")
        return [AttemptRow(*r[:5], _loads(r[5], {})) for r in rows]

    def answers(self) -> list[dict]:
        rows = self._run("SELECT attempt_id, position, question_id, bank, objective, score, answered_at, source, "
                         "response != 'null' FROM answers ORDER BY answered_at, id")
        keys = ("attempt_id", "position", "question_id", "bank", "objective", "score", "answered_at", "source",
                "answered")
        return [dict(zip(keys, r)) for r in rows]

    # -- review cards -----------------------------------------------------------------
    def card(self, question_id: str) -> dict | None:
        row = self._run("SELECT card FROM cards WHERE question_id = ?", (question_id,)).fetchone()
        return _loads(row[0], None) if row else None

    def save_card(self, question_id: str, bank: str, card: dict) -> None:
        self._run("INSERT OR REPLACE INTO cards (question_id, bank, card, due) VALUES (?, ?, ?, ?)",
                  (question_id, bank, json.dumps(card), card["due"]))

    def due_cards(self, at: datetime) -> list[tuple[str, str, dict]]:
        rows = self._run("SELECT question_id, bank, card FROM cards WHERE due <= ? ORDER BY due, question_id",
                         (at.isoformat(),))
        return [(q, b, card) for q, b, c in rows if isinstance(card := _loads(c, None), dict)]

    def next_due(self) -> str | None:
        row = self._run("SELECT MIN(due) FROM cards").fetchone()
        return row[0] if row else None

    def count_due(self, at: datetime) -> int:
        return self._run("SELECT COUNT(*) FROM cards WHERE due <= ?", (at.isoformat(),)).fetchone()[0]

    def count_cards(self) -> int:
        return self._run("SELECT COUNT(*) FROM cards").fetchone()[0]


def _loads(text: Any, default: Any) -> Any:
    """A stored JSON value, or `default` when the row was damaged (edited by hand, a
    disk error): one bad row must not stop `stats` or `review` for good."""
    try:
        return json.loads(text)
    except (TypeError, ValueError, RecursionError):
        return default


def _jsonable(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    return str(value)
