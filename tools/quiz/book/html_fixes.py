"""Accessibility repairs of the theme's HTML, applied to every page after a build.

The book's own pages are written to pass axe-core's WCAG 2.1 A/AA rules; a few pieces of
markup come from sphinx-book-theme, pydata-sphinx-theme and sphinxcontrib-bibtex and do
not. Each repair below is small, idempotent (a page already repaired is left as it is)
and named after the rule it satisfies:

- summary-name: the navigation's expand/collapse <summary> holds only an icon; it gets a
  name;
- label-content-name-mismatch: the search field's name ("Search") leaves out its visible
  "Ctrl+K"; without the aria-label its name is its text; the colour-mode button's icons
  carry titles ("Light", "Dark") that are not its name, and are hidden from assistive
  technology (the button is named "Color mode");
- aria-deprecated-role, aria-required-children: the bibliography's entries use the
  deprecated role doc-biblioentry inside role="list"; they become list items;
- scrollable-region-focusable: a code block or table that scrolls sideways can be reached
  (and scrolled) by keyboard.
"""
from __future__ import annotations

import re
from pathlib import Path

REPAIRS: list[tuple[re.Pattern, str]] = [
    (re.compile(r'<summary>(\s*<span class="toctree-toggle")'),
     r'<summary aria-label="Show or hide the pages in this section">\1'),
    (re.compile(r'(<button class="btn search-button-field[^"]*"[^>]*?) aria-label="[^"]*"'), r"\1"),
    (re.compile(r'<i class="theme-switch '), '<i aria-hidden="true" class="theme-switch '),
    (re.compile(r'role="doc-biblioentry"'), 'role="listitem"'),
    (re.compile(r'<div class="pst-scrollable-table-container"(?: tabindex="0")?>'), '<div class="pst-scrollable-table-container" tabindex="0" role="region" aria-label="Table (scrolls sideways)">'),
    (re.compile(r'<pre(?![^>]*\btabindex=)(?=[\s>])'), '<pre tabindex="0"'),
]


def repair_html(text: str) -> str:
    for pattern, replacement in REPAIRS:
        text = pattern.sub(replacement, text)
    return text


def repair_site(outdir: Path) -> int:
    """Repair every page under `outdir`; the number of files changed."""
    changed = 0
    for path in sorted(outdir.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        fixed = repair_html(text)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")
            changed += 1
    return changed
