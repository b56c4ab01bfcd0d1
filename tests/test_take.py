"""`quiz take`, `quiz stats`, `quiz review`: answers from a file and from a real terminal,
progress that survives Ctrl-C and SIGKILL, concurrent writers, the plot, and FSRS over days."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import struct
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest
import yaml

QUIZ = str(Path(sys.executable).with_name("quiz"))
BANK = "quizzes/examples/example-lawfare.yaml"
ANSWERS = {
    "example-lawfare-q01": "Transacting",
    "example-lawfare-q02": ["It secures China's big data advantage for AI development.",
                            "It lets the government access data under the National Intelligence and Counter-Espionage Laws."],
    "example-lawfare-q03": False,
    "example-lawfare-q04": "splinternet",
    "example-lawfare-q05": 800,  # wrong: 802
    "example-lawfare-q06": ["discovery", "deployment"],  # half right
    "example-lawfare-q07": {"Making": "Supporting domestic firms to develop indigenous innovative and manufacturing capacity",
                            "Transacting": "Concluding commercial transactions with foreign entities that transfer key technology",
                            "Taking": "Acquiring existing technology from foreign states and companies without paying for it"},
    "example-lawfare-q08": ["70 percent self-sufficiency in high-tech industries", "A dominant position in global markets"],
}


@pytest.fixture
def env(tmp_path, root):
    e = dict(os.environ, QUIZ_DB=str(tmp_path / "attempts.db"), QUIZ_COURSE_ROOT=str(root), COLUMNS="100",
             TERM="xterm", PYTHONUNBUFFERED="1")
    e.pop("QUIZ_NOW", None)
    return e


def answers_file(tmp_path, answers=ANSWERS) -> Path:
    p = tmp_path / "answers.yaml"
    p.write_text(yaml.safe_dump(answers, allow_unicode=True))
    return p


def rows(db: Path, sql: str):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_take_with_answers_file_grades_and_saves_every_answer(quiz, tmp_path, root, monkeypatch):
    db = tmp_path / "a.db"
    result = quiz("take", root / BANK, "--seed", "3", "--answers", answers_file(tmp_path), "--db", db)
    assert result.exit_code == 0, result.output
    assert "Question 1 of 8" in result.output and "Question 8 of 8" in result.output
    assert "6.5 / 8" in result.output
    flat = " ".join(result.output.split())
    assert "Passages to re-read" in flat  # the 802 million passage, cited by section and paragraph, as the book does
    assert "Roberts et al. (2018), Essay, “The Battle over Artificial Intelligence”, ¶ 21" in flat  # as the book numbers it
    assert "From the source" in result.output  # practice mode shows the passage after each answer
    saved = rows(db, "SELECT question_id, score FROM answers ORDER BY position")
    assert len(saved) == 8
    assert dict(saved)["example-lawfare-q05"] == 0 and dict(saved)["example-lawfare-q06"] == 0.5
    assert rows(db, "SELECT COUNT(*) FROM attempts WHERE finished_at IS NOT NULL") == [(1,)]


def test_exam_mode_gives_no_feedback_until_the_end(quiz, tmp_path, root):
    result = quiz("take", root / BANK, "--mode", "exam", "--answers", answers_file(tmp_path), "--db", tmp_path / "e.db")
    assert result.exit_code == 0
    body, end = result.output.split("Your answers")
    assert "From the source" not in body and "Correct" not in body
    assert "6.5 / 8" in end and "By objective" in end


def test_take_a_generated_sheet(quiz, tmp_path, root):
    out = tmp_path / "gen"
    assert quiz("generate", root / BANK, "-n", "8", "--seed", "4", "-o", out).exit_code == 0
    result = quiz("take", out / "sheet-v1.yaml", "--answers", answers_file(tmp_path), "--db", tmp_path / "s.db", "--mode", "exam")
    assert result.exit_code == 0, result.output
    sheet = yaml.safe_load((out / "sheet-v1.yaml").read_text())
    first = sheet["questions"][0]["prompt"].split("{{")[0][:40]
    assert result.output.index(first[:30]) < result.output.index("Question 2 of 8")  # the sheet's order
    assert "6.5 / 8" in result.output


PROMPT = ["\r\n> ", "blank \\[1\\]: ", "  1\\. [^\r\n]* → "]


def spawn(args, env, **kw):
    return pexpect.spawn(QUIZ, args, env=env, encoding="utf-8", timeout=30, dimensions=(50, 100), **kw)


def test_terminal_session_with_keystrokes_then_ctrl_c_and_resume(tmp_path, env, root):
    """A real pseudo-terminal: keystrokes in, screen out; Ctrl-C after two answers, then --resume."""
    child = spawn(["take", str(root / BANK), "--seed", "5", "--mode", "exam", "-n", "8"], env)
    child.expect("Question 1 of 8")
    child.expect(PROMPT)
    _answer_current(child)
    child.expect("Question 2 of 8")
    child.expect(PROMPT)
    _answer_current(child)
    child.expect("Question 3 of 8")
    child.expect(PROMPT)
    child.sendintr()
    child.expect("continue with `quiz take --resume --db [^`\r\n]+`\\.")  # the whole command between backticks
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    db = Path(env["QUIZ_DB"])
    assert rows(db, "SELECT COUNT(*) FROM answers") == [(2,)]
    assert rows(db, "SELECT finished_at FROM attempts") == [(None,)]
    resume = spawn(["take", "--resume"], env)
    resume.expect("2 of 8 answered")
    resume.expect("Question 3 of 8")
    for k in range(3, 9):
        resume.expect(PROMPT)
        _answer_current(resume)
    resume.expect("Result:")
    resume.expect(pexpect.EOF)
    resume.close()
    assert resume.exitstatus == 0
    assert rows(db, "SELECT COUNT(*), COUNT(DISTINCT position) FROM answers") == [(8, 8)]
    assert rows(db, "SELECT COUNT(*) FROM attempts WHERE finished_at IS NOT NULL") == [(1,)]


def _answer_current(child):
    """Answer whatever the screen asks, as a student would type it."""
    screen = child.before + child.after
    if child.after.startswith("blank"):
        child.sendline("discovery")
        child.expect("blank \\[2\\]")
        child.sendline("implementation")
    elif child.after.startswith("  1."):
        child.sendline("A")
        child.expect("  2\\. [^\r\n]* → ")
        child.sendline("B")
        child.expect("  3\\. [^\r\n]* → ")
        child.sendline("C")
    elif "true) or f" in screen:
        child.sendline("f")
    elif "Type a number" in screen:
        child.sendline("802")
    elif "letters in the right order" in screen:
        child.sendline("B A")
    elif "every letter" in screen:
        child.sendline("A B")
    elif "Type your answer" in screen:
        child.sendline("splinternet")
    else:
        child.sendline("A")


def test_sigkill_mid_quiz_loses_nothing_already_answered(tmp_path, env, root):
    """Answers are piped in one at a time; the process is killed after the third is saved."""
    db = Path(env["QUIZ_DB"])
    child = spawn(["take", str(root / BANK), "--seed", "6", "--mode", "exam", "-n", "8"], env)
    for k in range(1, 4):
        child.expect(f"Question {k} of 8")
        child.expect(PROMPT)
        _answer_current(child)
    child.expect("Question 4 of 8")
    deadline = time.time() + 10
    while rows(db, "SELECT COUNT(*) FROM answers") != [(3,)] and time.time() < deadline:
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == signal.SIGKILL
    assert rows(db, "SELECT COUNT(*) FROM answers") == [(3,)]
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    resume = subprocess.run([QUIZ, "take", "--resume", "--answers", str(answers_file(tmp_path))],
                            env=env, capture_output=True, text=True, timeout=60)
    assert resume.returncode == 0, resume.stderr
    assert "3 of 8 answered" in resume.stderr
    assert rows(db, "SELECT COUNT(*) FROM answers") == [(8,)]


def test_concurrent_writers_lose_no_rows(tmp_path, root):
    from quiz.study.attempts import Store

    db = tmp_path / "c.db"
    Store(db).close()
    writers, per_writer = 6, 60
    script = (
        "import sys; from quiz.study.attempts import Store\n"
        "s = Store(sys.argv[1]); a = s.start_attempt('practice', 'w' + sys.argv[2], {'items': []})\n"
        f"for i in range({per_writer}): s.record_answer(a, i, 'q%d' % i, 'b', 'o', 'A', 1.0)\n"
        "s.finish_attempt(a)\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(db), str(w)]) for w in range(writers)]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    assert rows(db, "SELECT COUNT(*) FROM answers") == [(writers * per_writer,)]
    assert rows(db, "SELECT COUNT(*) FROM attempts WHERE finished_at IS NOT NULL") == [(writers,)]
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]


def test_schema_migrates_forward_from_version_1(tmp_path):
    from quiz.study.attempts import MIGRATIONS, SCHEMA_VERSION, Store

    db = tmp_path / "old.db"
    con = sqlite3.connect(db)
    con.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
    con.execute("INSERT INTO attempts (started_at, mode, title, plan) VALUES ('2026-01-01', 'practice', 'old', '{}')")
    con.execute("INSERT INTO answers (attempt_id, position, question_id, bank, objective, response, score, answered_at) "
                "VALUES (1, 0, 'q', 'b', 'o', '\"A\"', 1, '2026-01-01')")
    con.commit()
    con.close()
    store = Store(db)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    assert store.answers()[0]["source"] == "take" and store.count_cards() == 0
    store.close()


def test_corrupt_and_newer_databases_get_a_clear_message(quiz, tmp_path, root):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 100)
    result = quiz("take", root / BANK, "--answers", answers_file(tmp_path), "--db", bad)
    assert result.exit_code == 2
    assert "cannot be used" in result.output and f"mv {bad} {bad}.bad" in result.output
    newer = tmp_path / "newer.db"
    con = sqlite3.connect(newer)
    con.execute("PRAGMA user_version = 99")
    con.close()
    result = quiz("stats", "--db", newer)
    assert result.exit_code == 2 and "newer than this" in result.output


def test_locked_database_gets_a_clear_message(tmp_path):
    from quiz.study.attempts import Store
    from quiz.errors import InputError

    db = tmp_path / "l.db"
    Store(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store = Store(db, timeout=0.2)
        with pytest.raises(InputError, match="locked by another program"):
            store.start_attempt("practice", "t", {})
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_stats_json_and_plot(quiz, tmp_path, root):
    db = tmp_path / "st.db"
    quiz("take", root / BANK, "--answers", answers_file(tmp_path), "--db", db)
    png = tmp_path / "mastery.png"
    result = quiz("stats", "--db", db, "--json", "--plot", png)
    data = json.loads(result.stdout)
    assert data["attempts"][0]["percent"] == pytest.approx(81.2, abs=0.1)
    lesson = data["lessons"][0]
    assert lesson["bank"] == "example-lawfare" and lesson["questions_seen"] == 8
    assert lesson["mastery"] == pytest.approx((6.5 + 1) / (8 + 2))
    assert data["objectives"][0]["objective"] == "example-lawfare-lo2"  # the weakest first
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    assert (width, height) == (1000, 600)
    from PIL import Image  # matplotlib depends on Pillow

    with Image.open(png) as img:
        img.verify()


def test_review_over_simulated_days(quiz, tmp_path, root, monkeypatch):
    db = tmp_path / "r.db"
    monkeypatch.setenv("QUIZ_NOW", "2026-03-01T09:00:00+00:00")
    quiz("take", root / BANK, "--answers", answers_file(tmp_path), "--db", db)
    cards = dict(rows(db, "SELECT question_id, due FROM cards"))
    assert cards["example-lawfare-q05"].startswith("2026-03-01T09:10")  # a miss: one learning step, ten minutes
    assert cards["example-lawfare-q06"].startswith("2026-03-01T09:15")  # partly right (Hard): fifteen
    fixed = dict(ANSWERS, **{"example-lawfare-q05": 802, "example-lawfare-q06": ["discovery", "implementation"]})
    result = quiz("review", "--db", db, "--answers", answers_file(tmp_path, fixed))  # right after the quiz
    assert "Question 1 of 2" in result.output and "Question 3" not in result.output  # the two misses, the same day
    assert "From the source" in result.output
    # the passage is cited by chapter, section and paragraph, never by file and line
    assert "\u00b6" in result.output and ".txt:" not in result.output
    cards = dict(rows(db, "SELECT question_id, due FROM cards"))
    assert cards["example-lawfare-q05"] >= "2026-03-02T09"  # now right: a day or more
    assert "Nothing due. Next review: 2026-03-02 09:" in quiz("review", "--db", db).output
    monkeypatch.setenv("QUIZ_NOW", "2026-06-01T10:00:00+00:00")
    result = quiz("review", "--db", db, "--answers", answers_file(tmp_path, fixed), "-n", "3")
    assert "Question 3 of 3" in result.output and "Question 4" not in result.output


def test_time_limit_shows_time_left_and_stops_the_quiz(tmp_path, root, monkeypatch):
    """A UI that takes 40 simulated seconds per answer, under a 1.5-minute limit."""
    from datetime import datetime, timedelta

    from quiz.study.attempts import Store
    from quiz.study.session import plan_from_banks, run

    clock = [datetime(2026, 5, 1, 12, 0, 0)]
    monkeypatch.setenv("QUIZ_NOW", clock[0].isoformat())
    shown: list = []

    class SlowUI:
        def ask(self, item, k, n, time_left):
            shown.append(time_left)
            clock[0] += timedelta(seconds=40)
            monkeypatch.setenv("QUIZ_NOW", clock[0].isoformat())
            return item.question.correct_response()

        def feedback(self, *a):
            pass

        def summary(self, s):
            shown.append(s)

    plan = plan_from_banks([str(root / BANK)], 8, 1)
    plan.time_limit = 1.5
    store = Store(tmp_path / "tl.db")
    summary = run(store, plan, "exam", SlowUI())
    assert [t.total_seconds() for t in shown[:3]] == [90, 50, 10]
    assert summary.timed_out and summary.late and summary.answered == 2 and summary.score == 2
    assert len(summary.outcomes) == 8 and all(o.score == 0 for o in summary.outcomes[2:])  # unanswered: wrong
    saved = store.answers()  # the questions not reached are saved as unanswered and wrong, for `quiz stats` too
    assert len(saved) == 8 and sum(a["answered"] for a in saved) == 2 and sum(a["score"] for a in saved) == 2
    store.close()
