"""The README's screenshots, taken from the real build of the book (`make screenshots`).

Builds the book (incrementally), then in Debian's chromium: a lesson page (its first
excerpt, with its citation), the same lesson's self-check with a few questions answered,
and the progress page showing those answers. Writes docs/lesson-page.png,
docs/self-check.png and docs/progress-page.png.
"""
from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from quiz.book.build import build

LESSON = sys.argv[1] if len(sys.argv) > 1 else "nbr-02"
DOCS = Path(__file__).resolve().parent


def main() -> None:
    root = build().index.parent
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto((root / "lessons" / f"{LESSON}.html").as_uri())
        page.evaluate("document.querySelector('#excerpts-and-commentary').scrollIntoView()")
        page.evaluate("window.scrollBy(0, -70)")
        page.screenshot(path=str(DOCS / "lesson-page.png"))

        page.locator("section.self-check summary").click()
        forms = page.locator("form.sc-part:has(input[type=radio])")
        for i in range(3):  # two right answers and one wrong, chosen from the page's own data
            form = forms.nth(i)
            right = page.evaluate("f => JSON.parse(f.closest('section').querySelector('script.sc-data').textContent)"
                                  "[Number(f.id.split('-').pop())].answers.findIndex(a => a.correct)",
                                  form.element_handle())
            choice = right if i < 2 else (right + 1) % form.locator("input").count()
            form.locator(f"input[value='{choice}']").check()
            form.locator("button.sc-check").click()
        page.evaluate("document.querySelector('section.self-check').scrollIntoView()")
        page.evaluate("window.scrollBy(0, -70)")
        page.screenshot(path=str(DOCS / "self-check.png"))

        page.goto((root / "progress.html").as_uri())
        page.screenshot(path=str(DOCS / "progress-page.png"))
        browser.close()
    for name in ("lesson-page.png", "self-check.png", "progress-page.png"):
        print(DOCS / name)


if __name__ == "__main__":
    main()
