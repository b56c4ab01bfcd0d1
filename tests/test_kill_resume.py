"""SIGKILL at random points of `quiz take --answers` loses nothing already answered.

A long quiz (120 questions from seven banks) is answered from a file by the real console
script, and killed with SIGKILL after a random delay: sometimes before the attempt
exists, mostly while answers are being written. After each kill the database passes
SQLite's integrity check, every saved answer row is whole (its response reads back and
grades to the stored score, at the position the plan gives its question), and
`quiz take --resume` finishes the attempt: every position answered exactly once, the rows
saved before the kill unchanged.
"""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from quiz import model
from quiz.bank import load_bank

ROOT = Path(__file__).resolve().parents[1]
QUIZ = str(Path(sys.executable).with_name("quiz"))
BANKS = sorted(str(p) for p in (ROOT / "quizzes").glob("nbr-*.yaml"))
COUNT = 120
TRIALS = 8


def right_or_wrong(q: model.Question, rng: random.Random):
    """A response in the documented forms: the right answer, or a plausible wrong one."""
    if isinstance(q, model.ChoiceQuestion):
        picks = q.correct_indices if rng.random() < 0.6 else [rng.randrange(len(q.choices))]
        return q.choices[picks[0]].text if isinstance(q, model.Single) else [q.choices[i].text for i in picks]
    if isinstance(q, model.Ordering) and rng.random() < 0.4:
        return list(reversed(q.items))
    if isinstance(q, (model.Short, model.Cloze)) and rng.random() < 0.4:
        return "no idea" if isinstance(q, model.Short) else ["no idea"] * len(q.blanks)
    return q.correct_response()


@pytest.fixture(scope="module")
def questions():
    return {q.id: q for b in BANKS for q in load_bank(b).questions}


@pytest.fixture(scope="module")
def answers(questions, tmp_path_factory):
    rng = random.Random(3)
    path = tmp_path_factory.mktemp("answers") / "answers.yaml"
    path.write_text(yaml.safe_dump({qid: right_or_wrong(q, rng) for qid, q in questions.items()}, allow_unicode=True),
                    encoding="utf-8")
    return path


def env_for(db: Path) -> dict:
    e = dict(os.environ, QUIZ_DB=str(db), QUIZ_COURSE_ROOT=str(ROOT), COLUMNS="100", PYTHONUNBUFFERED="1")
    e.pop("QUIZ_NOW", None)
    return e


def take(db: Path, answers: Path, seed: int) -> subprocess.Popen:
    return subprocess.Popen([QUIZ, "take", *BANKS, "-n", str(COUNT), "--seed", str(seed), "--mode", "exam",
                             "--answers", str(answers)], env=env_for(db),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def query(db: Path, sql: str) -> list:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _has_answers_table(db: Path) -> bool:
    try:
        return bool(query(db, "SELECT 1 FROM sqlite_master WHERE name = 'answers'"))
    except sqlite3.DatabaseError:
        return False


def saved_rows(db: Path) -> list[tuple]:
    return query(db, "SELECT attempt_id, position, question_id, response, score, answered_at FROM answers ORDER BY position")


def check_rows_whole(db: Path, questions: dict) -> list[tuple]:
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    attempts = query(db, "SELECT id, plan, finished_at FROM attempts")
    assert len(attempts) <= 1
    rows = saved_rows(db)
    if not attempts:
        assert rows == []
        return rows
    plan = json.loads(attempts[0][1])
    planned = [it["id"] for it in plan["items"]]
    assert len(planned) == COUNT and len(set(planned)) == COUNT
    positions = [r[1] for r in rows]
    assert len(positions) == len(set(positions)), "a position answered twice"
    for attempt_id, position, qid, response, score, answered_at in rows:
        assert attempt_id == attempts[0][0]
        assert planned[position] == qid, "an answer saved at another question's position"
        q = questions[qid]
        stored = json.loads(response)  # whole JSON, not a torn write
        assert 0.0 <= score <= 1.0
        assert q.grade(stored).score == pytest.approx(score), (qid, stored, score)
        assert answered_at
    return rows


def test_sigkill_at_random_points_then_resume(tmp_path, questions, answers):
    # a run to the end first: when, on this machine, the first and the last answers are saved
    db = tmp_path / "full.db"
    started = time.perf_counter()
    full = take(db, answers, seed=100)
    first = last = None
    while full.poll() is None:
        n = query(db, "SELECT COUNT(*) FROM answers")[0][0] if db.exists() and _has_answers_table(db) else 0
        now = time.perf_counter() - started
        if n and first is None:
            first = now
        if n == COUNT and last is None:
            last = now
        time.sleep(0.005)
    _, err = full.communicate(timeout=120)
    assert full.returncode == 0, err.decode()
    assert len(check_rows_whole(db, questions)) == COUNT
    first = first or 0.1
    last = max(last or time.perf_counter() - started, first + 0.05)

    rng = random.Random(2024)
    outcomes = []
    for trial in range(TRIALS):
        db = tmp_path / f"kill-{trial}.db"
        proc = take(db, answers, seed=trial)
        # mostly while answers are being saved; now and then just before the first one
        time.sleep(rng.uniform(0.7 * first, last))
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=60)
        killed = proc.returncode == -signal.SIGKILL
        if not db.exists():
            outcomes.append(("before the database", 0))
            continue
        before = check_rows_whole(db, questions)
        outcomes.append(("killed" if killed else "finished", len(before)))
        unfinished = query(db, "SELECT COUNT(*) FROM attempts WHERE finished_at IS NULL")[0][0]
        if not unfinished:
            continue
        resume = subprocess.run([QUIZ, "take", "--resume", "--answers", str(answers)], env=env_for(db),
                                capture_output=True, text=True, timeout=120)
        assert resume.returncode == 0, resume.stderr
        assert f"{len(before)} of {COUNT} answered" in resume.stderr
        after = check_rows_whole(db, questions)
        assert len(after) == COUNT and sorted(r[1] for r in after) == list(range(COUNT))
        assert set(before) <= set(after), "an answer saved before the kill changed on resume"
        assert query(db, "SELECT COUNT(*) FROM attempts WHERE finished_at IS NOT NULL") == [(1,)]
    print("outcomes:", outcomes)
    partial = [n for what, n in outcomes if what == "killed" and 0 < n < COUNT]
    assert len(partial) >= 3, f"too few kills landed mid-quiz: {outcomes}"
