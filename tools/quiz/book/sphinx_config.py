"""A small Sphinx extension for the course book (listed in book/_config.yml).

sphinx-exercise numbers exercises like figures: without numbered toctrees the count runs
on across the whole book, so the first exercise of the third lesson would be
"Exercise 13". Each lesson is a unit of its own, so the numbers restart on every page:
"Exercise 1" is the first exercise of the lesson, and "Solution to Exercise 1" follows.

Sphinx has no setting for this. The extension wraps the toctree collector's
`assign_figure_numbers` (in the build process only): the book-wide numbers it assigns are
renumbered per page, and only pages whose numbers really changed are rewritten, so an
incremental build stays incremental.

After a build it also copies changed files of book/_static and applies the accessibility
repairs of quiz.book.html_fixes to the theme's markup, and it escapes the page title where
the theme prints it unescaped (the print header).
"""
from __future__ import annotations

import html
import shutil
from pathlib import Path

from sphinx.environment.collectors.toctree import TocTreeCollector

from quiz.book.html_fixes import repair_site

FIGTYPES = ("exercise",)


def renumber_per_page(toc_fignumbers: dict) -> None:
    """Restart the count of each figure type in FIGTYPES on every page, keeping the order."""
    for fignums in toc_fignumbers.values():
        for figtype in FIGTYPES:
            numbers = fignums.get(figtype)
            if not numbers:
                continue
            for n, ident in enumerate(sorted(numbers, key=lambda i: numbers[i]), 1):
                numbers[ident] = (n,)


def _wrap(assign):
    if getattr(assign, "_course_per_page", False):
        return assign

    def assign_figure_numbers(self, env):
        old = env.toc_fignumbers
        assign(self, env)
        renumber_per_page(env.toc_fignumbers)
        return [doc for doc, nums in env.toc_fignumbers.items() if nums != old.get(doc)] \
            + [doc for doc in old if doc not in env.toc_fignumbers]

    assign_figure_numbers._course_per_page = True
    return assign_figure_numbers


def _sync_static(confdir: Path, outdir: Path) -> None:
    """Copy the book's changed _static files: Sphinx copies them only when some page is
    rebuilt, so an edit of course.css alone would not reach the site."""
    for src in (confdir / "_static").glob("*"):
        dest = outdir / "_static" / src.name
        if src.is_symlink() or not src.is_file():  # the build follows no link out of the course
            continue
        if not dest.is_file() or dest.read_bytes() != src.read_bytes():
            shutil.copyfile(src, dest)


def _finish(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        _sync_static(Path(app.confdir), Path(app.outdir))
        repair_site(Path(app.outdir))


def escape_titles(app, pagename, templatename, context, doctree) -> None:
    """sphinx-book-theme puts the page title into the print header as plain text
    (`title.astext()`), and its templates do not escape: a lesson titled `<script>` would
    run. Escaped here, after the theme has set it."""
    for key in ("pagetitle", "root_title"):
        if isinstance(context.get(key), str):
            context[key] = html.escape(context[key])


def setup(app):
    TocTreeCollector.assign_figure_numbers = _wrap(TocTreeCollector.assign_figure_numbers)
    app.connect("build-finished", _finish)
    app.connect("html-page-context", escape_titles, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
