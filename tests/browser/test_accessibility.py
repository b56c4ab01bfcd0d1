"""WCAG 2.1 AA: axe-core over every page of the built book, in Chromium.

axe-core comes from npm (package.json, package-lock.json; `make test` runs `npm ci`) and
is injected into each page. It runs the WCAG 2.0 and 2.1 A and AA rules, and the
experimental ones (among them label-content-name-mismatch), with every <details> opened
so that the self-check's controls and the solutions are checked too, in the theme's light
and dark modes. Any violation, of any impact, fails the test with the rule, the page and
the element.
"""
from __future__ import annotations

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "experimental"]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` (or `make test`, which does) in the repository root")
    return AXE.read_text(encoding="utf-8")


def set_mode(page, mode: str) -> None:
    """The theme's colour mode for every page this tab opens (the theme keeps it in localStorage)."""
    page.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")


def violations(page, axe_source: str) -> list[dict]:
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.add_script_tag(content=axe_source)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return result["violations"]


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_every_page_has_no_axe_violations(site, tab, axe_source, mode):
    set_mode(tab.page, mode)
    found = []
    pages = site.pages()
    assert len(pages) >= len(site.build.assembly.docs)
    for path in pages:
        tab.page.goto(site.url(path), wait_until="load")
        assert tab.page.evaluate("document.documentElement.dataset.theme") == mode
        for v in violations(tab.page, axe_source):
            for node in v["nodes"]:
                found.append(f"{path}: {v['id']} ({v['impact']}): {node['html'][:160]}")
    assert found == [], f"{len(found)} axe violations:\n" + "\n".join(found[:40])


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_an_answered_self_check_has_no_axe_violations(site, tab, axe_source, mode):
    """Feedback, right and wrong, keeps the contrast and structure rules."""
    page = tab.page
    set_mode(page, mode)
    lesson = next(p for p in site.pages() if p.startswith("lessons/"))
    page.goto(site.url(lesson))
    page.locator("section.self-check summary").click()
    forms = page.locator("form.sc-part:has(input[type=radio])")
    for i in range(min(4, forms.count())):
        form = forms.nth(i)
        form.locator("input[type=radio]").nth(i % 2).check()
        form.locator("button.sc-check").click()
    typed = page.locator("form.sc-part:has(input[type=text])")
    if typed.count():
        typed.first.locator("input").fill("not an answer")
        typed.first.locator("button.sc-check").click()
    assert page.locator(".sc-feedback.correct, .sc-feedback.incorrect").count() >= 2
    found = [f"{v['id']}: {n['html'][:160]}" for v in violations(page, axe_source) for n in v["nodes"]]
    assert found == []
