"""Browser tests of the built course book: Playwright driving Debian's chromium, headless.

The book is built once per session (incrementally, so it is quick when nothing changed)
from the real course, and served on a localhost port by a thread of this process.
Every request a page makes to another host is aborted and recorded, so a test fails
(rather than hangs or passes by luck) if the site reaches for the network.

Chromium is /usr/bin/chromium (Playwright's own browser download is not used). When it
is missing the tests fail and say how to install it: `sh .ci/install-chromium.sh`, which
`make test` runs first.
"""
from __future__ import annotations

import functools
import re
import http.server
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from chromium import CHROMIUM, FLAGS  # noqa: E402,F401
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
OUTSIDE = re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/])(?!(data|blob|about|file):)")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


@dataclass
class Site:
    root: Path  # book/_build/html
    base: str  # http://127.0.0.1:PORT/
    build: object  # quiz.book.BuildResult

    def url(self, path: str) -> str:
        return self.base + path.lstrip("/")

    def pages(self) -> list[str]:
        return sorted(str(p.relative_to(self.root)) for p in self.root.rglob("*.html")
                      if not p.relative_to(self.root).parts[0].startswith("_"))


@pytest.fixture(scope="session")
def site():
    from quiz.book.build import BookError, build

    try:
        result = build()
    except BookError as exc:
        pytest.fail(f"the course book does not build: {exc.message}\n" + "\n".join(exc.problems[:40]))
    root = result.index.parent
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Site(root, f"http://127.0.0.1:{server.server_port}/", result)
    server.shutdown()
    thread.join(5)


@dataclass
class Tab:
    """A page, with what went wrong while it was open."""

    page: object
    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions
    outside: list[str] = field(default_factory=list)  # requests to other hosts (aborted)


@pytest.fixture
def tab(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    t = Tab(page)

    def block(r):
        t.outside.append(r.request.url)
        r.abort()

    # only requests to other hosts reach Python: local ones are not slowed by the route
    context.route(OUTSIDE, block)
    page.on("request", lambda req: urlparse(req.url).scheme in ("http", "https", "ws", "wss")
            and urlparse(req.url).hostname not in LOCAL_HOSTS and req.url not in t.outside
            and t.outside.append(req.url))
    page.on("console", lambda m: m.type == "error" and t.errors.append(f"console: {m.text} ({page.url})"))
    page.on("pageerror", lambda exc: t.errors.append(f"exception: {exc} ({page.url})"))
    yield t
    context.close()
