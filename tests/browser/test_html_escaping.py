"""Text from banks is text wherever it reaches HTML, in a real browser.

A copy of the course gets a hostile bank: every prompt of lawfare-01 starts with a
`<script>`, a wrong choice of each choice question carries an `<img onerror=…>`, and
explanations and feedback carry both. Then the book is built from that copy, and the
bank is exported to HTML and drawn as printable sheets. Chromium opens each page (and,
in the book, answers the hostile choice so its feedback is shown): no script from the
bank runs, no image element is made from it, and the markup shows as literal text.
"""
from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
QUIZ = str(Path(sys.executable).with_name("quiz"))
BANK = "lawfare-01"
SCRIPT = "<script>window.__quizPwned = 'script'</script>"
IMG = "<img src=\"x-missing.png\" onerror=\"window.__quizPwned = 'img'\">"
PWNED = "window.__quizPwned"


def hostile_course(dest: Path) -> Path:
    names = subprocess.run(["git", "ls-files", "-z", "sources", "lessons", "quizzes", "book"], cwd=ROOT,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, names):
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / name).write_bytes((ROOT / name).read_bytes())
    path = dest / "quizzes" / f"{BANK}.yaml"
    bank = yaml.safe_load(path.read_text(encoding="utf-8"))
    for q in bank["questions"]:
        q["prompt"] = f"{SCRIPT} {IMG} {q['prompt']}"
        q["explanation"] = f"{q['explanation']} {SCRIPT}"
        if q.get("feedback"):
            q["feedback"] = f"{q['feedback']} {IMG}"
        for c in q.get("choices", []):
            if not c.get("correct"):
                c["text"] = f"{c['text']} {IMG}"
                c["feedback"] = f"{c['feedback']} {SCRIPT}{IMG}"
                break
    path.write_text(yaml.safe_dump(bank, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The hostile course, its book built, its bank exported and generated as sheets."""
    course = hostile_course(tmp_path_factory.mktemp("hostile"))
    env = dict(os.environ, QUIZ_COURSE_ROOT=str(course))
    check = subprocess.run([QUIZ, "validate", f"quizzes/{BANK}.yaml"], cwd=course, env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr  # hostile, but a valid bank
    book = subprocess.run([QUIZ, "book", "build"], cwd=course, env=env, capture_output=True, text=True, timeout=900)
    assert book.returncode == 0, book.stdout[-3000:] + book.stderr[-3000:]
    out = course / "out"
    for fmt in ("html",):
        exported = subprocess.run([QUIZ, "export", f"quizzes/{BANK}.yaml", "--format", fmt, "-o", str(out / "export.html")],
                                  cwd=course, env=env, capture_output=True, text=True)
        assert exported.returncode == 0, exported.stderr
    n = len(yaml.safe_load((course / "quizzes" / f"{BANK}.yaml").read_text(encoding="utf-8"))["questions"])
    generated = subprocess.run([QUIZ, "generate", f"quizzes/{BANK}.yaml", "-n", str(n), "--seed", "1", "-o", str(out), "--force"],
                               cwd=course, env=env, capture_output=True, text=True)
    assert generated.returncode == 0, generated.stderr
    return course


@pytest.fixture(scope="module")
def server(built):
    root = built / "book" / "_build" / "html"
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()
    thread.join(5)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    p = context.new_page()
    dialogs: list[str] = []
    p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    p.dialogs = dialogs
    yield p
    context.close()


def assert_inert(page, where: str) -> None:
    """Nothing from the bank ran or became an element; its markup is on the page as text."""
    assert page.evaluate(f"typeof {PWNED}") == "undefined", f"{where}: a script or handler from the bank ran"
    assert page.locator("img[src='x-missing.png']").count() == 0, f"{where}: the bank's <img> became an element"
    # the quiz data may hold the text (escaped, inside a string); no element may be made of it
    assert not page.evaluate("[...document.scripts].some(s => s.text.trim() === \"window.__quizPwned = 'script'\")"), where
    assert page.evaluate("document.querySelector('[onerror]') === null"), f"{where}: an element with onerror"
    assert page.dialogs == [], where
    text = page.locator("body").inner_text()
    assert "<script>window.__quizPwned" in text and "<img src=" in text, f"{where}: the markup is not shown as text"


def test_book_page_shows_bank_markup_as_text(page, server):
    page.goto(server + f"lessons/{BANK}.html", wait_until="load")
    page.locator("section.self-check summary").click()
    page.locator("section.self-check form.sc-part").first.wait_for()
    assert_inert(page, "the lesson page")
    # answer the hostile wrong choice of each choice question so its feedback is shown
    answers = page.locator("section.self-check label.sc-choice", has_text="<img src=")
    assert answers.count() >= 1, "no hostile choice is shown in the self-check quiz"
    for i in range(answers.count()):
        answers.nth(i).click()
        answers.nth(i).locator("xpath=ancestor::form").locator("button.sc-check").click()
    page.wait_for_timeout(300)
    assert_inert(page, "the lesson page after answering")


@pytest.mark.parametrize("name", ["export.html", "sheet-v1.html"])
def test_html_exports_and_sheets_show_bank_markup_as_text(page, built, name):
    path = built / "out" / name
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(200)
    assert_inert(page, name)
