"""HTML pages to PDF with Chromium's own printing (Playwright's `page.pdf`), the browser the
tests use: Debian's /usr/bin/chromium unless QUIZ_CHROMIUM names another."""
from __future__ import annotations

import os
from pathlib import Path

from quiz.errors import InputError

CHROMIUM = "/usr/bin/chromium"


def chromium_path() -> str:
    return os.environ.get("QUIZ_CHROMIUM", CHROMIUM)


def html_to_pdf(pages: list[tuple[str, Path]]) -> list[Path]:
    """Print each (HTML text, PDF path) with one headless Chromium; A4, backgrounds on."""
    if not pages:
        return []
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise InputError(str(pages[0][1]), 0, "PDF output needs Playwright: install the project with its "
                                              "test extra (`make install-test`), or write .html") from None
    exe = chromium_path()
    if not Path(exe).is_file():
        raise InputError(str(pages[0][1]), 0, f"PDF output needs Chromium at {exe} (`sh .ci/install-chromium.sh`, "
                                              "or set QUIZ_CHROMIUM); or write .html")
    written = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox"])
            try:
                page = browser.new_page()
                for html, path in pages:
                    page.set_content(html, wait_until="load")
                    Path(path).parent.mkdir(parents=True, exist_ok=True)
                    page.pdf(path=str(path), format="A4", print_background=True,
                             margin={"top": "15mm", "bottom": "15mm", "left": "15mm", "right": "15mm"})
                    written.append(Path(path))
            finally:
                browser.close()
    except Error as exc:
        raise InputError(str(pages[0][1]), 0, f"Chromium could not print the PDF: {str(exc).splitlines()[0]}") from None
    return written
