"""The study loop as a student meets it, in a real 80×24 pseudo-terminal read through a terminal
emulator (pyte): feedback that stays until Enter, exams that end with a review, a live countdown
that submits at zero, misses that come back in the same review session, answers checked whole
before grading, feedback part by part, `quiz history`, readable `quiz stats`, and the smaller
points (--today, --types, --resume N, drafts kept over a stop, read-only commands)."""
from __future__ import annotations

import os
import re
import sqlite3
import sys
import time
from pathlib import Path

import pytest
import yaml

QUIZ = str(Path(sys.executable).with_name("quiz"))
BANK = "quizzes/examples/example-lawfare.yaml"


@pytest.fixture
def env(tmp_path, root):
    e = dict(os.environ, QUIZ_DB=str(tmp_path / "attempts.db"), QUIZ_COURSE_ROOT=str(root), TERM="xterm",
             PYTHONUNBUFFERED="1")
    for var in ("QUIZ_NOW", "COLUMNS", "LINES"):
        e.pop(var, None)
    return e


@pytest.fixture
def bank(root):
    from quiz.course.bank import load_bank

    return {q.id: q for q in load_bank(root / BANK).questions}


def flat(text: str) -> str:
    """Screen text with line breaks and the panels' borders folded into single spaces."""
    return " ".join(text.replace("│", " ").split())


def take(terminal, env, root, *args):
    return terminal([QUIZ, "take", str(root / BANK), *args], env)


def rows(db, sql):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def write_answers(tmp_path, answers: dict) -> str:
    p = tmp_path / "answers.yaml"
    p.write_text(yaml.safe_dump(answers, allow_unicode=True))
    return str(p)


# -- 1. feedback stays until Enter, and fits 80×24 --------------------------------------

def wrong_matching(screen: str) -> str:
    """Two rows swapped, whatever order the options were shown in."""
    letters = {m.group(2): m.group(1) for m in re.finditer(r"([A-C])\. (Supporting|Concluding|Acquiring)", screen)}
    return " ".join([letters["Concluding"], letters["Supporting"], letters["Acquiring"]])


@pytest.mark.parametrize("types", ["numeric", "matching"])  # the shortest feedback and the longest
def test_practice_feedback_stays_on_screen_until_enter(terminal, env, root, bank, types):
    s = take(terminal, env, root, "--types", types, "-n", "1")
    s.wait_for("Question 1 of 1")
    screen = s.settle()
    s.send("800" if types == "numeric" else wrong_matching(screen))
    s.wait_for("Press Enter to continue")
    time.sleep(1.5)
    screen = s.settle()
    q = next(q for q in bank.values() if q.type == types)
    assert "Result:" not in screen  # nothing moves on before Enter
    lines = screen.splitlines()
    verdict = next(i for i, li in enumerate(lines) if li.startswith(("✘", "◐", "✔")))
    assert lines[verdict].startswith(("✘ Not right", "◐ Partly right"))
    assert "Answer:" in screen and "From the source" in screen
    assert flat(q.explanation)[:60] in flat(screen)  # verdict to prompt: all on the one 24-row screen
    assert "Press Enter to continue" in "\n".join(lines[verdict:])  # the verdict and the prompt on one screen
    s.send("")
    s.wait_for("Result:", where=s.scrollback)
    assert s.finish() == 0


# -- 2. an exam ends with each question, the answer given, the key and the explanation -----

def test_exam_ends_with_a_review_of_every_question(terminal, env, root, bank):
    s = take(terminal, env, root, "--mode", "exam", "--types", "single,true_false,numeric", "-n", "3", "--seed", "2")
    for k in (1, 2, 3):
        s.wait_for(f"Question {k} of 3")
        screen = s.settle()
        assert "Correct" not in screen and "Not right" not in screen  # no feedback during an exam
        s.send("t" if "true) or f" in screen else "800" if "Type a number" in screen else "A")
    s.wait_for("Result:", where=s.scrollback)
    assert s.finish() == 0
    text = flat(s.scrollback())
    review = text[text.index("Your answers"):text.index("Result:")]
    for qid in ("example-lawfare-q01", "example-lawfare-q03", "example-lawfare-q05"):
        q = bank[qid]
        assert flat(q.prompt)[:50] in review and flat(q.explanation)[:50] in review
    assert review.count("Your answer:") == 3 and review.count("Key:") == 3 and review.count("Why:") == 3
    assert "Your answer: 800 Key: 802 million" in review
    assert "Key: False" in review


# -- 3. a live countdown that submits at zero -------------------------------------------

def test_countdown_is_live_and_submits_at_zero(terminal, env, root):
    s = take(terminal, env, root, "--mode", "exam", "--time-limit", "0.1", "-n", "3", "--seed", "1")
    seen = set()
    end = time.monotonic() + 30
    while "Time is up" not in s.scrollback() and time.monotonic() < end:
        s.pump(0.2)
        m = re.match(r"Time left (\d+:\d\d)", s.screen.display[0])
        if m:
            seen.add(m.group(1))
    assert "Time is up" in s.scrollback()  # no key pressed: the clock ended the quiz
    assert len(seen) >= 3, seen  # redrawn in place on the top line, second by second
    assert s.finish() == 0
    text = flat(s.scrollback())
    assert "0 / 3 (0%) · 0 of 3 answered" in text
    scores = re.findall(r"│ ([\d.]+) / (\d) │", s.scrollback())  # the objective table counts all three
    assert sum(int(n) for _, n in scores) == 3
    db = Path(env["QUIZ_DB"])
    assert rows(db, "SELECT COUNT(*) FROM attempts WHERE finished_at IS NOT NULL") == [(1,)]
    assert rows(db, "SELECT COUNT(*), SUM(score), COUNT(NULLIF(response, 'null')) FROM answers") == [(3, 0.0, 0)]


def test_stopping_a_timed_quiz_says_the_clock_keeps_running(terminal, env, root):
    s = take(terminal, env, root, "--time-limit", "5", "-n", "2")
    s.wait_for("Question 1 of 2")
    assert "the clock runs even if you stop" in s.settle()
    s.child.sendintr()
    s.wait_for("Stopped", where=s.scrollback)
    assert s.finish() == 130
    said = "".join(s.scrollback().split())  # the long path wraps anywhere at 80 columns
    assert "".join(f"continue with `quiz take --resume --db {env['QUIZ_DB']}`. The clock keeps running while you "
                   "are away.".split()) in said


# -- 4. a miss comes back in the same review session ------------------------------------

def test_a_missed_card_is_due_again_in_the_same_session(terminal, env, root, tmp_path):
    answers = write_answers(tmp_path, {"example-lawfare-q05": 800, "example-lawfare-q06": ["discovery", "deployment"]})
    s = take(terminal, env, root, "--types", "numeric,cloze", "-n", "2", "--answers", answers)
    assert s.finish() == 0
    db = Path(env["QUIZ_DB"])
    s = terminal([QUIZ, "review"], env)  # straight after the quiz, not tomorrow
    s.wait_for("Question 1 of 2")
    assert "million Internet users" in s.settle()
    s.send("800")  # wrong again
    s.wait_for("Not right")
    s.send("")
    s.wait_for("Question 2 of 2")
    s.wait_for("blank [1]")
    s.send("discovery")
    s.wait_for("blank [2]")
    s.send("implementation")
    s.wait_for("Correct")
    s.send("")
    s.wait_for("Question 3 of 3")  # the miss, back before the session ends
    assert "million Internet users" in s.settle()
    s.send("802")
    s.wait_for("Correct")
    s.send("")
    s.wait_for("Result:", where=s.scrollback)
    assert s.finish() == 0
    due = dict(rows(db, "SELECT question_id, due FROM cards"))
    answered = rows(db, "SELECT COUNT(*) FROM answers WHERE question_id = 'example-lawfare-q05'")
    assert answered == [(3,)]  # the quiz, the review, and again in the same review
    assert all(d > rows(db, "SELECT MAX(answered_at) FROM answers")[0][0][:10] for d in due.values())  # days now
    s = terminal([QUIZ, "review"], env)
    s.wait_for("Nothing due. Next review:", where=s.scrollback)
    assert s.finish() == 0


# -- 5. answers are checked whole before grading; nothing typed is lost -----------------

def test_answers_are_checked_whole_before_grading(terminal, env, root):
    s = take(terminal, env, root, "--types", "ordering,matching,multiple,single", "-n", "4", "--seed", "3")
    done = set()
    for k in (1, 2, 3, 4):
        s.wait_for(f"Question {k} of 4")
        screen = s.settle()
        if "right order" in screen:
            s.send("B")  # one letter of two
            s.wait_for("Give all 2 letters in the right order (you gave 1)")
            s.send("B B")
            s.wait_for("B is given twice")
            s.send("B A")
            done.add("ordering")
        elif "item" in screen and "options" in screen:
            s.send("Z")
            s.wait_for("Type one letter, A to C, for “Making”")
            s.send("A")
            s.wait_for("2. Transacting →")
            s.send("A")
            s.wait_for("A is already matched to item 1")
            s.send("")
            s.wait_for("Type one letter, A to C, for “Transacting”")
            s.send("B")
            s.wait_for("3. Taking →")
            s.send("C")
            done.add("matching")
        elif "every letter that applies" in screen:
            s.send("ax")
            s.wait_for("'ax' is not a letter from A to D")
            s.send("cd")  # two letters typed together
            done.add("multiple")
        else:
            s.send("")
            s.wait_for("Press Enter to skip this question, or type your answer")
            s.send("A")  # typed at the skip prompt: taken as the answer
            done.add("single")
        screen = s.wait_for("Press Enter to continue")
        assert "– No answer" not in screen
        s.send("")
    assert done == {"ordering", "matching", "multiple", "single"}
    s.wait_for("Result:", where=s.scrollback)
    assert s.finish() == 0
    saved = dict(rows(Path(env["QUIZ_DB"]), "SELECT question_id, response FROM answers"))
    assert all(v != "null" for v in saved.values())
    assert "4 of 4 answered" in flat(s.scrollback())


def test_matching_takes_every_row_on_one_line_and_a_skip_is_not_an_answer(terminal, env, root):
    s = take(terminal, env, root, "--types", "matching,true_false", "-n", "2", "--seed", "1")
    for k in (1, 2):
        s.wait_for(f"Question {k} of 2")
        screen = s.settle()
        if "options" in screen:
            s.send("C B A")
            s.wait_for("Press Enter to continue")
        else:
            s.send("")
            s.wait_for("Press Enter to skip")
            s.send("")
            assert "– No answer" in s.wait_for("Press Enter to continue")
        s.send("")
    s.wait_for("Result:", where=s.scrollback)
    s.finish()
    assert "1 of 2 answered" in flat(s.scrollback())


# -- 6. which parts were right, the key's letters, the right spelling, rounded scores -----

def test_feedback_shows_which_parts_were_right(terminal, env, root):
    s = take(terminal, env, root, "--types", "cloze,matching,single,short", "-n", "4", "--seed", "3")
    for k in (1, 2, 3, 4):
        s.wait_for(f"Question {k} of 4")
        screen = s.settle()
        if "blank [1]" in screen:
            s.send("discovry")  # a typo, accepted
            s.wait_for("blank [2]")
            s.send("deployment")
            screen = flat(s.wait_for("Press Enter to continue"))
            assert "◐ Partly right (50%)" in screen
            assert "✔ blank [1]: discovry (spelled: discovery)" in screen
            assert "✘ blank [2]: deployment → implementation" in screen
        elif "options" in screen:
            letters = {m.group(2): m.group(1) for m in re.finditer(r"([A-C])\. (Supporting|Concluding|Acquiring)", screen)}
            right = [letters["Supporting"], letters["Concluding"], letters["Acquiring"]]
            s.send(" ".join([right[0], right[2], right[1]]))  # first row right, the others swapped
            screen = flat(s.wait_for("Press Enter to continue"))
            assert "◐ Partly right (33%)" in screen
            assert f"✔ Making → {right[0]}. Supporting" in screen and f"(right: {right[1]})" in screen
        elif "Type your answer" in screen:
            s.send("splinternt")
            screen = flat(s.wait_for("Press Enter to continue"))
            assert "✔ Correct" in screen and "the spelling is “splinternet”" in screen
        else:
            letter = re.search(r"([A-C])\. Transacting", screen).group(1)
            s.send("Z")
            s.wait_for("not one of the choices")
            s.send(next(x for x in "ABC" if x != letter))
            screen = flat(s.wait_for("Press Enter to continue"))
            assert f"Answer: {letter}. Transacting" in screen  # the letter with the text
        s.send("")
    s.wait_for("Result:", where=s.scrollback)
    s.finish()
    assert "1.83 / 4" in flat(s.scrollback())  # 0.5 + 1/3 + 0 + 1, rounded for people


# -- 2b. any past attempt, again --------------------------------------------------------

def test_history_lists_attempts_and_shows_one_again(terminal, env, root, tmp_path, bank):
    answers = write_answers(tmp_path, {"example-lawfare-q05": 800, "example-lawfare-q03": "f"})
    s = take(terminal, env, root, "--types", "numeric,true_false", "-n", "2", "--mode", "exam", "--answers", answers)
    assert s.finish() == 0
    s = terminal([QUIZ, "history"], env)
    s.wait_for("Example: the")
    assert s.finish() == 0
    assert re.search(r"│ 1 +│ .*│ exam +│ 1 / 2 +│", s.text())
    s = terminal([QUIZ, "history", "1"], env)
    assert s.finish() == 0
    text = flat(s.scrollback())
    assert "Attempt 1: Example: the innovation imperative" in text and "1 / 2" in text
    assert "Your answer: 800 Key: 802 million" in text
    assert flat(bank["example-lawfare-q05"].explanation)[:60] in text
    assert "Your answer: False Key: False" in text
    s = terminal([QUIZ, "history", "7"], env)
    assert s.finish() == 2 and "there is no attempt 7" in s.text()


# -- 7. stats a student can read ----------------------------------------------------------

def test_stats_name_objectives_define_mastery_and_count_reviews(terminal, env, root, tmp_path):
    answers = write_answers(tmp_path, {"example-lawfare-q05": 800, "example-lawfare-q03": "f"})
    take(terminal, env, root, "--types", "numeric,true_false", "-n", "2", "--answers", answers).finish()
    terminal([QUIZ, "review", "--answers", answers], env).finish()
    s = terminal([QUIZ, "stats"], env, rows=60)
    assert s.finish() == 0
    text = flat(s.text())
    assert "Explain why the authors see data localization" in text  # the objective's text, not only its id
    assert "mastery = (points + 1) / (questions seen + 2)" in text
    assert re.search(r"│ 2 +│ [^│]+│ Review: 1 due +│ review", s.text())  # reviews are in the attempts table
    assert "1 question(s) due for review now" in text  # still wrong after the review: due again in ten minutes
    assert "Example: the innovation imperative" in text  # the lesson's title


def test_the_mastery_chart_keeps_labels_off_the_bars_and_explains_itself(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from quiz.study.progress import GOAL, Stats, plot_mastery

    lessons = [{"bank": f"b{i}", "title": f"Lesson {i} with a rather long title to shorten", "mastery": m,
                "coverage": 0.5, "questions_seen": 5, "bank_size": 10} for i, m in enumerate((0.3, 0.6, 0.97))]
    figures = []
    real_close = plt.close
    plt.close = lambda fig=None: figures.append(fig)  # keep the figure to look at it
    try:
        plot_mastery(Stats([], lessons, []), tmp_path / "m.png")
    finally:
        plt.close = real_close
    ax = figures[0].axes[0]
    assert all(t.get_position()[0] > 100 for t in ax.texts)  # right of every bar, even at 97%
    assert [t.get_text() for t in ax.get_yticklabels()][0].startswith("Lesson 0")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["below 50%", f"50–{GOAL}%", f"{GOAL}% or more", f"goal: {GOAL}% mastery"]
    colours = {matplotlib.colors.to_hex(p.get_facecolor()) for p in ax.patches}
    assert colours == {"#d55e00", "#e69f00", "#009e73"}  # Okabe–Ito: safe for colour-blind readers
    real_close(figures[0])


# -- 8. the smaller points ----------------------------------------------------------------

def test_today_and_quiz_now_fix_the_clock_and_bad_values_exit_2(terminal, env, tmp_path):
    s = terminal([QUIZ, "--today", "1 March", "stats"], env)
    assert s.finish() == 2 and "'1 March' is not a date or date-time" in s.text()
    s = terminal([QUIZ, "stats"], dict(env, QUIZ_NOW="yesterday"))
    assert s.finish() == 2
    errors = [li for li in s.text().splitlines() if li.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith("error: $QUIZ_NOW:0: 'yesterday' is not a date")
    answers = write_answers(tmp_path, {"example-lawfare-q05": 802})
    take(terminal, env, Path(env["QUIZ_COURSE_ROOT"]), "--types", "numeric", "-n", "1", "--answers", answers).finish()
    s = terminal([QUIZ, "--today", "2031-01-01", "review", "--answers", answers], env)
    s.wait_for("Question 1 of 1", where=s.scrollback)  # years later: due
    assert s.finish() == 0
    assert rows(Path(env["QUIZ_DB"]), "SELECT MAX(answered_at) FROM answers")[0][0].startswith("2031-01-01")


def test_unknown_types_list_the_valid_ones(terminal, env, root):
    s = take(terminal, env, root, "--types", "essay")
    assert s.finish() == 2
    assert "essayisnotaquestiontype;thetypesaresingle,multiple,true_false" in "".join(s.text().split())
    s = terminal([QUIZ, "take", "--help"], env)
    s.finish()
    assert "single, multiple, true_false, short, numeric, cloze, matching, ordering" in flat(s.text())


def test_bank_ids_ignore_case(terminal, env, root, tmp_path):
    bank_id = sorted(p.stem for p in (root / "quizzes").glob("*.yaml"))[0]
    answers = write_answers(tmp_path, {"1": "A"})
    s = terminal([QUIZ, "take", bank_id.upper(), "-n", "1", "--answers", answers], env)
    s.wait_for("Question 1 of 1", where=s.scrollback)
    assert s.finish() == 0


def test_resume_keeps_part_entered_blanks_and_takes_an_attempt_number(terminal, env, root):
    s = take(terminal, env, root, "--types", "cloze", "-n", "1")
    s.wait_for("blank [1]")
    s.send("discovery")
    s.wait_for("blank [2]")
    s.child.sendintr()
    s.wait_for("Stopped", where=s.scrollback)
    assert s.finish() == 130
    s = take(terminal, env, root, "--types", "numeric", "-n", "1")  # a second attempt, left unfinished too
    screen = s.wait_for("Question 1 of 1")
    assert "".join(f"Note: attempt 1 (Example: the innovation imperative) is unfinished; `quiz take --resume 1 "
                   f"--db {env['QUIZ_DB']}` continues it.".split()) in "".join(screen.split())
    s.child.sendintr()
    assert s.finish() == 130
    s = terminal([QUIZ, "take", "--resume", "1"], env)
    s.wait_for("Resuming attempt 1", where=s.scrollback)
    screen = s.wait_for("blank [2]")
    assert "blank [1]: discovery  (typed before you stopped)" in screen
    s.send("implementation")
    s.wait_for("Correct")
    s.send("")
    s.wait_for("Result:", where=s.scrollback)
    assert s.finish() == 0
    s = terminal([QUIZ, "take", "--resume", "1"], env)
    assert s.finish() == 2 and "attempt 1 is finished" in flat(s.text())


def test_read_only_commands_create_no_database_or_directory(terminal, env, tmp_path):
    missing = tmp_path / "nonexistent" / "dir" / "x.db"
    for args in (["stats"], ["stats", "--json"], ["history"], ["review"]):
        s = terminal([QUIZ, *args, "--db", str(missing)], env)
        assert s.finish() == 0, s.text()
        assert "yet" in s.text() or '"attempts": []' in s.text()
    assert not (tmp_path / "nonexistent").exists()


def test_wrapped_option_text_hangs_under_its_first_line(terminal, env, root):
    s = take(terminal, env, root, "--types", "multiple", "-n", "1", "--seed", "1")
    s.wait_for("Question 1 of 1")
    lines = s.settle().splitlines()
    first = next(i for i, li in enumerate(lines) if "National Intelligence" in li)
    label = re.search(r"│  ([A-D])\. ", lines[first])
    assert label, lines[first]
    assert lines[first + 1].startswith("│     ") and "Counter-Espionage" in lines[first + 1]


def test_feedback_cites_chapter_section_and_paragraph(terminal, env, root):
    s = take(terminal, env, root, "--types", "numeric", "-n", "1")
    s.wait_for("Question 1 of 1")
    s.settle()
    s.send("802")
    screen = flat(s.wait_for("Press Enter"))
    # chapter, section and ¶ as the book numbers its source pages (quiz.course.cite)
    assert "Roberts et al. (2018), Essay, “The Battle over Artificial Intelligence”, ¶ 21" in screen
    assert ".txt:" not in screen


def test_review_takes_letters_for_choice_questions(terminal, env, root, tmp_path):
    answers = write_answers(tmp_path, {"example-lawfare-q02": "It keeps Chinese data out of reach of Western governments."})
    assert take(terminal, env, root, "--types", "multiple", "-n", "1", "--answers", answers).finish() == 0
    s = terminal([QUIZ, "review"], env)
    s.wait_for("Question 1 of 1")
    screen = s.settle()
    shown = re.findall(r"([A-D])\. It (?:secures|lets)", screen)
    s.send(" ".join(shown) if shown else "A B")  # the right two (the bank's first two when no order is shown)
    s.wait_for("✔ Correct")
    s.send("")
    s.wait_for("Result:", where=s.scrollback)
    assert s.finish() == 0


def test_timed_practice_feedback_stays_whole_below_the_clock(terminal, env, root):
    s = take(terminal, env, root, "--time-limit", "5", "--types", "numeric", "-n", "1")
    s.wait_for("Question 1 of 1")
    s.settle()
    s.send("800")
    s.wait_for("Press Enter to continue")
    before = s.screen.display[0]
    time.sleep(2.2)
    lines = s.settle().splitlines()
    assert lines[0].startswith("Time left 4:") and lines[0] != before.rstrip()  # still counting on the top line
    assert lines[1].startswith("✘ Not right")  # and the feedback whole beneath it
    assert "From the source" in "\n".join(lines) and "Press Enter to continue" in "\n".join(lines)
    s.send("")
    s.wait_for("Result:", where=s.scrollback)
    assert s.finish() == 0
