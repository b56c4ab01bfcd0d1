"""One grade everywhere: the conformance table (tests/conformance/table.py) through every
channel that grades.

Channels: `quiz take` and `quiz review` in a real pseudo-terminal (80x24, keystrokes in),
`quiz grade` of filled-in sheets (YAML) and of a CSV, the book's self-check (the
jupyterquiz JSON drawn by book/_static/selfcheck.js in Debian's chromium via Playwright), and each LMS export read back by an
independent reader: GIFT by gift-pegjs (npm), QTI by the QTI 1.2 content model with
Canvas's identifier rule, Moodle XML by what Moodle's importer reads (moodle_reader.py).
Each channel must give the table's score, or the score and reason the table documents for
it; a probe a channel cannot take is recorded as such, never skipped. The outcome of every
cell is written to tests/artifacts/conformance.md.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pexpect
import pytest
import yaml

from conformance import qti_reader, table
from quiz import model
from quiz.course.bank import load_bank
from quiz.textnorm import fold

import moodle_reader
from test_take import rows  # one way to read the attempts database in tests

ROOT = Path(__file__).resolve().parents[1]
QUIZ = str(Path(sys.executable).with_name("quiz"))
ARTIFACTS = ROOT / "tests" / "artifacts"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
KEYWORD = {"SINGLE:": "conf-single", "MULTIPLE:": "conf-multiple", "TRUEFALSE:": "conf-true-false",
           "SHORT:": "conf-short", "NUMERIC:": "conf-numeric", "CLOZE:": "conf-cloze", "MATCHING:": "conf-matching",
           "ORDERING:": "conf-ordering"}
CANNOT = "cannot be given"  # the observed value of a probe a channel has no way to take
RESULTS: dict[str, dict[tuple[str, str], object]] = {}


@pytest.fixture(scope="module")
def questions() -> dict[str, model.Question]:
    return {q.id: q for q in load_bank(table.BANK).questions}


def same(a: str, b: str) -> bool:
    return model.fold_answer(a) == model.fold_answer(b)


def check(channel: str, observed: dict[tuple[str, str], object]) -> None:
    """Every cell of the table: the channel's score equals the table's (or its documented
    difference); a probe the channel cannot take must be documented as such."""
    RESULTS[channel] = observed
    _write_report()
    wrong = []
    for cell in table.cells():
        want, why = table.expected(channel, *cell)
        got = observed.get(cell, "not run")
        if want is None:
            ok = got == CANNOT
        else:
            ok = isinstance(got, (int, float)) and abs(got - want) < 1e-4
        if not ok:
            wrong.append(f"{cell}: got {got}, table says {want}" + (f" ({why})" if why else ""))
    assert not wrong, f"{channel}:\n" + "\n".join(wrong)


def _write_report() -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    lines = ["# Conformance: the probe table through every channel", "",
             "| question | probe | course | " + " | ".join(RESULTS) + " |",
             "|---|---|---|" + "---|" * len(RESULTS)]
    for cell in table.cells():
        row = [cell[0], cell[1], f"{table.TABLE[cell][1]:.4g}"]
        for ch, obs in RESULTS.items():
            got = obs.get(cell, "not run")
            want, why = table.expected(ch, *cell)
            mark = "" if not why else " †"
            row.append((f"{got:.4g}" if isinstance(got, (int, float)) else str(got)) + mark)
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "† a documented difference:", ""]
    for ch, diffs in table.DIFFERENCES.items():
        for (qid, probe), (score, why) in diffs.items():
            lines.append(f"- {ch}, {qid} {probe}: {CANNOT if score is None else score}: {why}")
    lines += ["", "Not applicable:", ""] + [f"- {q} {p}: {why}" for (q, p), why in table.NOT_APPLICABLE.items()]
    lines += ["", "Malformed answers:", ""] + [f"- {ch}: {how}" for ch, how in table.MALFORMED_HANDLING.items()]
    (ARTIFACTS / "conformance.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _env(tmp_path: Path, **extra) -> dict:
    env = dict(os.environ, QUIZ_COURSE_ROOT=str(ROOT), TERM="xterm", PYTHONUNBUFFERED="1", **extra)
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    return env


# -- quiz grade: sheets and CSV --------------------------------------------------------------

@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("conformance") / "quiz"
    result = subprocess.run([QUIZ, "generate", str(table.BANK), "-n", "8", "--seed", "1", "-o", str(out)],
                            capture_output=True, text=True, env=_env(out))
    assert result.returncode == 0, result.stderr
    return out


def _grade(generated: Path, responses: list[Path]) -> tuple[dict, str]:
    result = subprocess.run([QUIZ, "grade", str(generated / "key-v1.yaml"), *map(str, responses), "--json"],
                            capture_output=True, text=True, env=_env(generated))
    assert result.returncode in (0, 1), result.stderr
    students = json.loads(result.stdout)["students"]
    return {s["student"]: {q["id"]: q["score"] for q in s["questions"]} for s in students}, result.stderr


def test_grade_of_filled_in_sheets(generated, tmp_path):
    sheet = yaml.safe_load((generated / "sheet-v1.yaml").read_text(encoding="utf-8"))
    files = []
    for probe in table.PROBES:
        filled = dict(sheet, student=f"probe-{probe}", student_id=probe)
        filled["questions"] = [dict(q, answer=table.TABLE.get((q["id"], probe), (None, 0))[0])
                               for q in sheet["questions"]]
        path = tmp_path / f"{probe}.yaml"
        path.write_text(yaml.safe_dump(filled, allow_unicode=True, sort_keys=False), encoding="utf-8")
        files.append(path)
    scores, stderr = _grade(generated, files)
    observed = {(qid, probe): scores[f"probe-{probe}"][qid] for qid, probe in table.cells()}
    malformed = [cell for cell in table.cells() if cell[1] == "malformed"]
    for qid, _ in malformed:  # each one reported with its file, never silently 0
        assert re.search(rf"malformed\.yaml: probe-malformed: question \d+ \({qid}\)", stderr), qid
    check("grade-yaml", observed)


def _csv_cell(entry: dict, response) -> str:
    """A response as an instructor types it in a CSV cell (quizzes/README.md): lists joined by
    '; ', a matching as the right-hand letters of the sheet, in the order of its left items."""
    if response is None:
        return ""
    if isinstance(response, bool):
        return "true" if response else "false"
    if isinstance(response, dict):
        letters = {fold(text).casefold(): letter for letter, text in entry["right"].items()}
        picked = {fold(k).casefold(): v for k, v in response.items()}
        return ", ".join(letters.get(fold(str(picked.get(left.casefold(), ""))).casefold(),
                                     str(picked.get(left.casefold(), "")))
                         for left in (fold(x) for x in entry["left"])).strip(", ")
    if isinstance(response, list):
        return "; ".join(str(x) for x in response)
    return str(response)


def test_grade_of_a_csv(generated, tmp_path):
    sheet = yaml.safe_load((generated / "sheet-v1.yaml").read_text(encoding="utf-8"))
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["student", "student_id", *[q["id"] for q in sheet["questions"]]])
    for probe in table.PROBES:
        w.writerow([f"probe-{probe}", probe, *[_csv_cell(q, table.TABLE.get((q["id"], probe), (None, 0))[0])
                                              for q in sheet["questions"]]])
    path = tmp_path / "class.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    scores, stderr = _grade(generated, [path])
    observed = {(qid, probe): scores[f"probe-{probe}"][qid] for qid, probe in table.cells()}
    line = 2 + table.PROBES.index("malformed")
    for qid in ("conf-single", "conf-multiple", "conf-true-false", "conf-numeric", "conf-cloze", "conf-matching",
                "conf-ordering"):  # a short answer in a cell is text: never malformed
        assert re.search(rf"class\.csv:{line}: probe-malformed: question \d+ \({qid}\)", stderr), qid
    check("grade-csv", observed)


# -- quiz take and quiz review in a terminal --------------------------------------------------

PROMPTS = ["\r\n> ", r"blank \[1\]: ", r"  1\. [^\r\n]* → "]


def _letter(screen: str, text: str) -> str | None:
    """The letter the screen shows before `text` ('A. Transacting')."""
    for m in re.finditer(r"(?<![A-Za-z])([A-H])\. ([^│\r\n]*?)\s*(?:│|\r|\n|$)", screen):
        if same(m.group(2), text):
            return m.group(1)
    return None


def _keys(qid: str, response, screen: str):
    """What a student types for `response` on this screen: a string, or a list of lines (one
    per blank or left item); CANNOT when the terminal cannot take it."""
    if response is None or response in ("", [], {}):
        return None
    if qid == "conf-cloze":
        return CANNOT if isinstance(response, str) else [str(x) for x in response]
    if qid == "conf-matching":
        lefts = ["Making", "Transacting", "Taking"]
        picked = {k.casefold(): v for k, v in response.items()}
        return [(_letter(screen, picked[left.casefold()]) or picked[left.casefold()]) if left.casefold() in picked
                else "" for left in lefts]
    if qid in ("conf-multiple", "conf-ordering"):
        items = [p.strip() for p in response.split(",")] if isinstance(response, str) else response
        return " ".join(_letter(screen, str(x)) or str(x) for x in items)
    if qid == "conf-true-false":
        return {True: "t", False: "f"}.get(response, response) if isinstance(response, bool) else response
    if isinstance(response, list):
        return ", ".join(response)
    return str(response)


def _drive(child, probe: str) -> None:
    """Answer every question the session asks (a review asks a missed card again) with the
    probe's responses, as a student types them, until the session ends."""
    while (k := child.expect(PROMPTS + ["Result:", pexpect.EOF])) < len(PROMPTS) or k == len(PROMPTS):
        if k == len(PROMPTS):  # the end screen: wait for the program to finish
            child.expect(pexpect.EOF)
            return
        screen = ANSI.sub("", child.before + child.after)
        qid = next((v for k, v in KEYWORD.items() if k in screen), None)
        assert qid, screen
        cell = table.TABLE.get((qid, probe))
        keys = _keys(qid, cell[0], screen) if cell else None
        if keys == CANNOT or keys is None:  # not given (recorded as such), or no answer: the student skips it
            keys = [""] * {"conf-cloze": 2, "conf-matching": 3}.get(qid, 1)
        _send(child, keys)


def _send(child, keys) -> None:
    lines = keys if isinstance(keys, list) else [keys or ""]
    child.sendline(lines[0])
    for line in lines[1:]:
        if child.expect([r"blank \[\d\]: ", r"  \d\. [^\r\n]* → ", "No answer given"]) == 2:
            child.sendline("")  # an empty first part skips the whole question
            break
        child.sendline(line)
    while True:
        k = child.expect(["Try again", "No answer given", "✔ Correct", "✘ Not right", "◐ Partly right", "– No answer"])
        if k == 0:  # refused as malformed: the student gives up on it
            child.expect(PROMPTS)
            blanks = 1 if child.after.startswith("\r\n") else 2 if child.after.startswith("blank") else 3
            child.sendline("")
            for _ in range(blanks - 1):
                child.expect([r"blank \[\d\]: ", r"  \d\. [^\r\n]* → "])
                child.sendline("")
        elif k == 1:
            child.sendline("")  # skip it
        else:
            child.expect("Press Enter to continue")  # practice and review wait after the feedback
            child.sendline("")
            return


def _terminal_observed(db: Path, attempt_sql: str, probe: str) -> dict:
    got = dict(rows(db, f"SELECT question_id, score FROM answers WHERE attempt_id = ({attempt_sql})"))
    out = {}
    for qid in KEYWORD.values():
        cell = (qid, probe)
        if cell not in table.TABLE:
            continue
        response = table.TABLE[cell][0]
        cannot = qid == "conf-cloze" and isinstance(response, str)
        out[cell] = CANNOT if cannot else got[qid]
    return out


def test_take_in_a_terminal(tmp_path):
    observed = {}
    for probe in table.PROBES:
        db = tmp_path / f"{probe}.db"
        child = pexpect.spawn(QUIZ, ["take", str(table.BANK), "-n", "8", "--seed", "3", "--db", str(db)],
                              env=_env(tmp_path), encoding="utf-8", timeout=30, dimensions=(24, 80))
        _drive(child, probe)
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0, probe
        observed.update(_terminal_observed(db, "SELECT MAX(id) FROM attempts", probe))
    check("take", observed)


def test_review_in_a_terminal(tmp_path):
    observed = {}
    nothing = tmp_path / "nothing.yaml"
    nothing.write_text("{}\n")
    for probe in table.PROBES:
        db = tmp_path / f"{probe}.db"
        first = subprocess.run([QUIZ, "take", str(table.BANK), "-n", "8", "--seed", "3", "--answers", str(nothing),
                                "--db", str(db)], capture_output=True, text=True,
                               env=_env(tmp_path, QUIZ_NOW="2026-03-01T09:00:00+00:00"))
        assert first.returncode == 0, first.stderr
        child = pexpect.spawn(QUIZ, ["review", "--db", str(db)], encoding="utf-8", timeout=30, dimensions=(24, 80),
                              env=_env(tmp_path, QUIZ_NOW="2026-03-02T10:00:00+00:00"))
        child.expect("Question 1 of 8")
        _drive(child, probe)
        child.close()
        assert child.exitstatus == 0, probe
        observed.update(_terminal_observed(db, "SELECT MAX(id) FROM attempts WHERE mode = 'review'", probe))
    check("review", observed)


# -- the book's self-check in Chromium --------------------------------------------------------

@pytest.fixture(scope="module")
def quiz_page(tmp_path_factory) -> Path:
    """The self-check exactly as the book writes it (book/notebooks.py) and draws it
    (book/_static/selfcheck.js), on a page of its own."""
    from quiz.book.notebooks import quiz_outputs
    from quiz.book.selfcheck import bank_questions

    bank = load_bank(table.BANK)
    [out] = quiz_outputs(bank.id, bank_questions(bank))
    script = (Path(__file__).resolve().parents[1] / "book" / "_static" / "selfcheck.js").read_text(encoding="utf-8")
    page = tmp_path_factory.mktemp("book") / "quiz.html"
    page.write_text("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>self-check</title></head><body>"
                    f"{out['data']['text/html']}<script>{script}</script></body></html>", encoding="utf-8")
    return page


def _book_parts(page, keyword: str) -> list:
    items = page.locator("li.sc-question")
    for i in range(items.count()):
        if keyword in items.nth(i).locator(".sc-text").first.inner_text():
            forms = items.nth(i).locator("form.sc-part")
            return [forms.nth(k) for k in range(forms.count())]
    raise AssertionError(f"no self-check question shows {keyword!r}")


def _pick(part, text: str) -> bool:
    labels = part.locator("label.sc-choice")
    for i in range(labels.count()):
        if same(labels.nth(i).inner_text(), text):
            labels.nth(i).locator("input").check()
            return True
    return False


def _check(part) -> None:
    part.locator("button.sc-check").click()


def _type(part, text: str) -> None:
    box = part.locator("input[type=text]")
    box.fill(text)
    box.press("Enter")


def _book_answer(page, qid: str, response) -> object:
    """Answer one question on the page; its score (the mean of its parts' scores), or CANNOT."""
    keyword = next(k for k, v in KEYWORD.items() if v == qid)
    parts = _book_parts(page, keyword)
    empty = response is None or response in ("", [], {})
    if qid in ("conf-single", "conf-true-false") and not empty:
        text = {True: "True", False: "False", "no": "False"}.get(response, response) \
            if isinstance(response, (bool, str)) else response
        if not _pick(parts[0], str(text)):
            return CANNOT
        _check(parts[0])
    elif qid == "conf-multiple" and not empty:
        if not all(_pick(parts[0], x) for x in response):
            return CANNOT
        _check(parts[0])
    elif qid in ("conf-short", "conf-numeric") and not empty:
        _type(parts[0], ", ".join(response) if isinstance(response, list) else str(response))
    elif qid == "conf-cloze" and not empty:
        if isinstance(response, str):
            return CANNOT  # one box per blank: a line for several blanks cannot be typed
        for part, text in zip(parts, response):
            _type(part, text)
    elif qid == "conf-matching" and not empty:
        picked = {k.casefold(): v for k, v in response.items()}
        for part in parts:
            left = re.search(r"“(.+?)” matches", part.inner_text()).group(1)
            if left.casefold() in picked:
                if not _pick(part, picked[left.casefold()]):
                    return CANNOT
                _check(part)
    elif qid == "conf-ordering" and not empty:
        order = [p.strip() for p in response.split(",")] if isinstance(response, str) else list(response)
        if len(set(order)) != len(order):
            return CANNOT  # one part per item: an item cannot be placed twice
        for part in parts:
            item = re.search(r"right after “(.+?)”", part.inner_text()).group(1)
            at = order.index(item)
            _pick(part, order[at + 1] if at + 1 < len(order) else "It comes last")
            _check(part)
    # each answered part carries its score; a part left unanswered scores 0
    return sum(float(part.get_attribute("data-score") or 0) for part in parts) / len(parts)


def test_the_books_self_check_in_chromium(quiz_page, browser):
    observed = {}
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    for probe in table.PROBES:
        page.goto(quiz_page.as_uri())
        page.evaluate("localStorage.clear()")  # the self-check keeps answers: each probe starts afresh
        page.reload()
        page.locator("section.self-check summary").click()
        page.locator("li.sc-question").first.wait_for()
        for qid in KEYWORD.values():
            if (qid, probe) in table.TABLE:
                observed[(qid, probe)] = _book_answer(page, qid, table.TABLE[(qid, probe)][0])
    page.close()
    assert errors == []
    check("book", observed)


# -- the exports, read back by independent readers -------------------------------------------

def _lms_cannot(qid: str, response) -> bool:
    """Responses no LMS form can take: a choice that does not exist, an item placed twice, a
    line for several blanks, true/false as a word."""
    if qid == "conf-single":
        return response == "Z"
    if qid == "conf-multiple":
        return "Z" in (response or [])
    if qid == "conf-true-false":
        return response == "maybe"
    if qid == "conf-cloze":
        return isinstance(response, str)
    if qid == "conf-matching":
        return any(v == "Z" for v in (response or {}).values())
    if qid == "conf-ordering":
        order = [p.strip() for p in response.split(",")] if isinstance(response, str) else list(response or [])
        return len(set(order)) != len(order)
    return False


def _truth(response) -> bool | None:
    if isinstance(response, bool):
        return response
    return {"no": False, "yes": True}.get(response)


def _order(response) -> list[str]:
    return [p.strip() for p in response.split(",")] if isinstance(response, str) else list(response or [])


def _typed(response) -> str:
    return ", ".join(response) if isinstance(response, list) else "" if response is None else str(response)


def _observe_lms(score_one) -> dict:
    observed = {}
    for (qid, probe), (response, _) in table.TABLE.items():
        observed[(qid, probe)] = CANNOT if _lms_cannot(qid, response) else score_one(qid, response)
    return observed


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("exports")
    for fmt, name in (("gift", "bank.gift"), ("moodle", "bank.xml"), ("qti", "bank.zip")):
        result = subprocess.run([QUIZ, "export", str(table.BANK), "--format", fmt, "-o", str(out / name)],
                                capture_output=True, text=True, env=_env(out))
        assert result.returncode == 0, result.stderr
    return out


def test_gift_read_by_gift_pegjs(exported):
    node = shutil.which("node")
    parser = ROOT / "node_modules" / "gift-pegjs"
    if node is None or not parser.is_dir():
        pytest.fail("the GIFT check needs node and gift-pegjs: run `npm ci` (make test does)")
    result = subprocess.run([node, str(ROOT / "tests/conformance/gift_parse.js"), str(exported / "bank.gift")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    parsed = [q for q in json.loads(result.stdout) if q["type"] != "Category"]
    by_title: dict[str, list[dict]] = {}
    for q in parsed:
        by_title.setdefault(re.sub(r" \(blank \d+ of \d+\)$", "", q["title"]), []).append(q)
    assert set(by_title) == set(KEYWORD.values())
    for qid, qs in by_title.items():  # Moodle's ID number and tags, as gift-pegjs reads the comments
        assert qs[0]["id"].startswith(qid) and "objective:conformance-lo1" in qs[0]["tags"]

    def text(t) -> str:
        import html

        return html.unescape(re.sub(r"<[^>]+>", "", t["text"] if isinstance(t, dict) else t)).strip()

    def short(q, typed: str) -> float:
        answers = [moodle_reader.Answer(text(c["text"]), (c["weight"] if c["weight"] is not None else 100) / 100)
                   for c in q["choices"] if c["isCorrect"] or (c["weight"] or 0) > 0]
        hit = moodle_reader.shortanswer_grade(typed, answers)
        return hit.fraction if hit else 0.0

    def score_one(qid: str, response) -> float:
        qs = by_title[qid]
        q = qs[0]
        if q["type"] == "MC":
            picked = [response] if isinstance(response, str) else list(response or [])
            total = 0.0
            for c in q["choices"]:
                if any(same(text(c["text"]), p) for p in picked):
                    total += c["weight"] / 100 if c["weight"] is not None else (1.0 if c["isCorrect"] else 0.0)
            return min(1.0, max(0.0, total))
        if q["type"] == "TF":
            given = _truth(response)
            return 0.0 if given is None else float(given == q["isTrue"])
        if q["type"] == "Numerical":
            try:
                value = float(_typed(response))
            except ValueError:
                return 0.0
            c = q["choices"]
            return float(abs(value - c["number"]) <= c["range"])
        if q["type"] == "Short" and qid == "conf-cloze":
            given = list(response or [])
            return sum(short(part, given[k] if k < len(given) else "") for k, part in enumerate(qs)) / len(qs)
        if q["type"] == "Short":
            return short(q, _typed(response)) if _typed(response) else 0.0
        if q["type"] == "Matching":
            pairs = [(text(p["subquestion"]), p["subanswer"]) for p in q["matchPairs"]]
            if qid == "conf-ordering":  # items matched to their positions 1…n
                order = _order(response)
                chosen = {item: str(order.index(item) + 1) for item in order}
            else:
                chosen = {k.casefold(): v for k, v in (response or {}).items()}
                chosen = {left: chosen.get(left.casefold(), "") for left, _ in pairs}
            return sum(1 for left, right in pairs if same(str(chosen.get(left, "")), right)) / len(pairs)
        raise AssertionError(f"unexpected GIFT type {q['type']}")

    check("gift", _observe_lms(score_one))


def test_qti_by_its_structure_and_canvas_rules(exported):
    from lxml import etree

    with zipfile.ZipFile(exported / "bank.zip") as z:
        name = next(n for n in z.namelist() if n.count("/") == 1 and not n.endswith("assessment_meta.xml")
                    and n.endswith(".xml"))
        root = etree.fromstring(z.read(name))
    assert qti_reader.check_structure(root) == []
    items = {i.get("title"): i for i in root.iter(f"{qti_reader.QTI}item")}
    assert set(items) == set(KEYWORD.values())
    for item in items.values():  # Canvas keys every label by its first digits: distinct in each item
        for options in qti_reader.labels(item).values():
            ids = [qti_reader.canvas_id(i) for i in options]
            assert None not in ids and len(set(ids)) == len(ids)

    def pick(options: dict[str, str], wanted: str) -> str | None:
        return next((ident for ident, t in options.items() if same(t, wanted)), None)

    def score_one(qid: str, response) -> float:
        item = items[qid]
        responses = qti_reader.labels(item)
        qtype = qti_reader.question_type(item)
        given: dict[str, set[str] | str] = {}
        if qtype in ("multiple_choice_question", "multiple_answers_question", "true_false_question"):
            [(rid, options)] = responses.items()
            if qtype == "true_false_question":
                t = _truth(response)
                picked = [] if t is None else ["True" if t else "False"]
            else:
                picked = [response] if isinstance(response, str) else list(response or [])
            given[rid] = {pick(options, p) for p in picked} - {None}
        elif qtype in ("short_answer_question", "numerical_question"):
            given["response1"] = _typed(response)
        elif qtype == "fill_in_multiple_blanks_question":
            for k, (rid, options) in enumerate(responses.items()):
                typed = list(response or [])[k] if k < len(response or []) else ""
                # Canvas matches a typed blank to an accepted answer case-insensitively, exactly
                given[rid] = {ident for ident, t in options.items() if typed and t.casefold() == typed.strip().casefold()}
        elif qtype == "matching_question":
            lefts = {lid.get("ident"): "".join(lid.find(f"{qti_reader.QTI}material").itertext()).strip()
                     for lid in item.iter(f"{qti_reader.QTI}response_lid")}
            if qid == "conf-ordering":
                order = _order(response)
                chosen = {item_: str(order.index(item_) + 1) for item_ in order}
            else:
                low = {k.casefold(): v for k, v in (response or {}).items()}
                chosen = {left: low.get(left.casefold(), "") for left in lefts.values()}
            for rid, left in lefts.items():
                given[rid] = {pick(responses[rid], chosen.get(left, ""))} - {None}
        else:
            raise AssertionError(f"unexpected QTI type {qtype}")
        return qti_reader.score(item, given)

    check("qti", _observe_lms(score_one))


def test_moodle_xml_as_moodles_importer_reads_it(exported):
    from lxml import etree

    root = etree.parse(str(exported / "bank.xml")).getroot()
    read = {q.name: q for q in (moodle_reader.read(el) for el in root.iterfind("question")
                                if el.get("type") != "category")}
    assert set(read) == set(KEYWORD.values())

    def score_one(qid: str, response) -> float:
        q = read[qid]
        if q.type == "multichoice":
            picked = [response] if isinstance(response, str) else list(response or [])
            total = sum(a.fraction for a in q.answers if any(same(re.sub(r"<[^>]+>", "", a.text), p) for p in picked))
            return min(1.0, max(0.0, total))
        if q.type == "truefalse":
            t = _truth(response)
            return 0.0 if t is None else next(a.fraction for a in q.answers if a.text == ("true" if t else "false"))
        if q.type == "shortanswer":
            hit = moodle_reader.shortanswer_grade(_typed(response), q.answers, q.usecase) if _typed(response) else None
            return hit.fraction if hit else 0.0
        if q.type == "numerical":
            try:
                value = float(_typed(response))
            except ValueError:
                return 0.0
            return max((a.fraction for a in q.answers if a.text != "*" and abs(value - float(a.text)) <= a.tolerance),
                       default=0.0)
        if q.type == "cloze":
            given = list(response or [])
            marks = []
            for k, blank in enumerate(q.blanks):
                typed = given[k] if k < len(given) else ""
                hit = moodle_reader.shortanswer_grade(typed, blank) if typed else None
                marks.append(hit.fraction if hit else 0.0)
            return sum(marks) / len(marks)
        if q.type == "matching":
            low = {k.casefold(): v for k, v in (response or {}).items()}
            pairs = [(re.sub(r"<[^>]+>", "", left), right) for left, right in q.pairs]
            return sum(1 for left, right in pairs if same(low.get(left.casefold(), ""), right)) / len(pairs)
        if q.type == "ordering":
            # RELATIVE_NEXT_EXCLUDE_LAST: each item but the last followed by its right successor
            right = [re.sub(r"<[^>]+>", "", a.text) for a in sorted(q.answers, key=lambda a: a.fraction)]
            order = _order(response)
            if not order:
                return 0.0
            follows = sum(1 for a, b in zip(order, order[1:]) if a in right and right.index(a) + 1 < len(right)
                          and right[right.index(a) + 1] == b)
            return follows / (len(right) - 1)
        raise AssertionError(f"unexpected Moodle type {q.type}")

    check("moodle", _observe_lms(score_one))


def test_the_whole_course_in_gift_parses_with_gift_pegjs(tmp_path):
    """Every question of every bank reaches gift-pegjs intact, with the ID number and tags
    Moodle's GIFT reader takes from the comments."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "gift-pegjs").is_dir():
        pytest.fail("the GIFT check needs node and gift-pegjs: run `npm ci` (make test does)")
    banks = sorted((ROOT / "quizzes").glob("*.yaml"))
    out = tmp_path / "course.gift"
    result = subprocess.run([QUIZ, "export", *map(str, banks), "--format", "gift", "-o", str(out)],
                            capture_output=True, text=True, env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    parsed = subprocess.run([node, str(ROOT / "tests/conformance/gift_parse.js"), str(out)],
                            capture_output=True, text=True)
    assert parsed.returncode == 0, parsed.stderr[-2000:]
    got = [q for q in json.loads(parsed.stdout) if q["type"] != "Category"]
    want = []
    for path in banks:
        for q in load_bank(path).questions:
            parts = len(q.blanks) if isinstance(q, model.Cloze) and not (
                len(q.blanks) == 1 and not q.prompt.rstrip().endswith("}}")) else 1
            want += [q] * parts
    assert len(got) == len(want)
    for g, q in zip(got, want):
        assert g["title"].split(" (blank ")[0] == q.id and g["id"].split(" (blank ")[0] == q.id
        assert g["tags"] == [*q.tags, f"objective:{q.objective}", f"difficulty:{q.difficulty}"]
