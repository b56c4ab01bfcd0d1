"""A small Sphinx extension for the course book (listed in book/_config.yml).

sphinx-exercise numbers exercises like figures: without numbered toctrees the count runs
on across the whole book, so the first exercise of the third lesson would be
"Exercise 13". Each lesson is a unit of its own, so the numbers restart on every page:
"Exercise 1" is the first exercise of the lesson, and "Solution to Exercise 1" follows.

Sphinx has no setting for this. The extension wraps the toctree collector's
`assign_figure_numbers` (in the build process only): the book-wide numbers it assigns are
renumbered per page, and only pages whose numbers really changed are rewritten, so an
incremental build stays incremental.

It also escapes the page title where the theme prints it unescaped (the print header).
"""
from __future__ import annotations

import html

from sphinx.environment.collectors.toctree import TocTreeCollector

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


def escape_titles(app, pagename, templatename, context, doctree) -> None:
    """sphinx-book-theme puts the page title into the print header as plain text
    (`title.astext()`), and its templates do not escape: a lesson titled `<script>` would
    run. Escaped here, after the theme has set it."""
    for key in ("pagetitle", "root_title"):
        if isinstance(context.get(key), str):
            context[key] = html.escape(context[key])


def setup(app):
    TocTreeCollector.assign_figure_numbers = _wrap(TocTreeCollector.assign_figure_numbers)
    app.connect("html-page-context", escape_titles, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
