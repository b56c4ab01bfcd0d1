"""The course reader: the built book printed to one PDF by Chromium.

`course_reader()` is what `quiz book pdf` runs. It builds the book (incrementally), then
opens each lesson page of the built HTML in Debian's chromium (Playwright, as the browser
tests do), takes the page's article (the lesson: header, objectives, key terms, excerpts
with their citations, commentary, exercises, discussion, key points) without the
interactive self-check, and puts the lessons after a title page and a table of contents in
one HTML document that Chromium prints with `page.pdf`. Chromium embeds the fonts it uses;
the Chinese terms of the lessons are drawn with an installed CJK font (fonts-wqy-zenhei,
installed with chromium by .ci/install-chromium.sh).

Solutions are printed in the instructor edition only (`instructor=True`); the student
edition leaves them out.
"""
from __future__ import annotations

import html
import time
from dataclasses import dataclass
from pathlib import Path

from quiz.book.build import BookError, BuildResult, build

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-extensions"]

# Run in each lesson page: its article, made fit to print.
_EXTRACT = """instructor => {
  const article = document.querySelector('article.bd-article').cloneNode(true);
  article.querySelectorAll('#self-check-quiz, .self-check, a.headerlink, button, script').forEach(e => e.remove());
  if (instructor) {
    article.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
    article.querySelectorAll('details').forEach(e => e.setAttribute('open', ''));
  } else {
    article.querySelectorAll('div.solution').forEach(e => e.remove());
  }
  return {title: document.querySelector('article h1').textContent.replace(/#$/, '').trim(),
          html: article.innerHTML,
          styles: [...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href)};
}"""

_PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm; }
body { font-family: "DejaVu Sans", "Noto Sans", "WenQuanYi Zen Hei", sans-serif; font-size: 10.5pt;
       color: #111; background: #fff; margin: 0; }
:lang(zh), body { font-synthesis: none; }
.reader-title { page-break-after: always; padding-top: 60mm; text-align: center; }
.reader-title h1 { font-size: 26pt; margin-bottom: 6mm; }
.reader-title .edition { font-size: 14pt; color: #27456b; }
.reader-title .reports { margin-top: 30mm; font-size: 10pt; text-align: left; }
.reader-contents { page-break-after: always; }
.reader-contents ol { line-height: 1.7; }
.reader-contents a { color: #111; text-decoration: none; }
section.reader-lesson { page-break-before: always; }
section.reader-lesson h1 { font-size: 20pt; }
div.excerpt > blockquote, div.admonition, div.lesson-meta { break-inside: avoid; }
a { color: #1a4f9c; }
.toggle-button, .headerlink { display: none !important; }
"""


@dataclass
class ReaderResult:
    path: Path
    lessons: list[str]
    instructor: bool
    seconds: float
    build: BuildResult | None


def reader_html(title: str, lessons: list[dict], instructor: bool, reports: list[str], styles: list[str]) -> str:
    """The reader as one HTML document: title page, contents, every lesson."""
    esc = html.escape
    edition = "Instructor edition, with solutions" if instructor else "Student edition"
    links = "\n".join(f'<link rel="stylesheet" href="{esc(s)}">' for s in styles)
    contents = "\n".join(f'<li><a href="#reader-{esc(les["id"])}">{esc(les["title"])}</a></li>' for les in lessons)
    body = "\n".join(f'<section class="reader-lesson" id="reader-{esc(les["id"])}">\n{les["html"]}\n</section>'
                     for les in lessons)
    report_items = "\n".join(f"<li>{esc(r)}</li>" for r in reports)
    return f"""<!DOCTYPE html>
<html lang="en" data-theme="light">
<head><meta charset="utf-8"><title>{esc(title)}: course reader</title>
{links}
<style>{_PRINT_CSS}</style></head>
<body>
<div class="reader-title">
<h1>{esc(title)}</h1>
<p class="edition">Course reader &middot; {esc(edition)}</p>
<p>{time.strftime('%B %Y')}</p>
<div class="reports"><p>The lessons read these reports:</p><ul>{report_items}</ul></div>
</div>
<nav class="reader-contents" aria-label="Contents"><h2>Contents</h2><ol>
{contents}
</ol></nav>
{body}
</body></html>
"""


def course_reader(out: Path, instructor: bool = False, rebuild: bool = True, echo=None,
                  browser=None) -> ReaderResult:
    """Build the book and print its lessons to `out` (a PDF). Raises BookError when the book
    does not build or chromium is missing. `browser`: a Playwright browser to use instead of
    launching chromium (one process cannot run two)."""
    start = time.perf_counter()
    result = build() if rebuild else None
    from quiz.book.build import book_dir
    from quiz.course.corpus import load_corpus

    root = book_dir() / "_build" / "html"
    corpus = load_corpus()
    lesson_ids = result.assembly.lessons if result else _built_lessons(root, corpus)
    if not Path(CHROMIUM).is_file():
        raise BookError(f"{CHROMIUM} is missing: install Debian's chromium (sh .ci/install-chromium.sh)")
    import yaml

    title = str((yaml.safe_load((book_dir() / "_config.yml").read_text(encoding="utf-8")) or {}).get("title", "Course"))
    reports = [f"{', '.join(s.authors)}, {s.title} ({s.publisher})" for s in corpus.sources.values()]
    if browser is not None:
        _print(browser, root, lesson_ids, out, instructor, title, reports, echo)
    else:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            own = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
            try:
                _print(own, root, lesson_ids, out, instructor, title, reports, echo)
            finally:
                own.close()
    return ReaderResult(out, lesson_ids, instructor, time.perf_counter() - start, result)


def _print(browser, root: Path, lesson_ids: list[str], out: Path, instructor: bool, title: str,
           reports: list[str], echo) -> None:
    page = browser.new_page()
    try:
        lessons, styles = [], []
        for lesson_id in lesson_ids:
            page.goto((root / "lessons" / f"{lesson_id}.html").as_uri(), wait_until="load")
            got = page.evaluate(_EXTRACT, instructor)
            styles = styles or got["styles"]
            lessons.append({"id": lesson_id, "title": got["title"], "html": got["html"]})
            if echo:
                echo(f"{lesson_id}: {got['title']}")
        # outside the site (its stylesheets are linked by absolute URL)
        doc = root.parent / "reader" / ("reader-instructor.html" if instructor else "reader.html")
        doc.parent.mkdir(parents=True, exist_ok=True)
        doc.write_text(reader_html(title, lessons, instructor, reports, styles), encoding="utf-8")
        page.goto(doc.as_uri(), wait_until="load")
        page.emulate_media(media="print")
        out.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(out), format="A4", print_background=True, outline=True, tagged=True,
                 display_header_footer=True, header_template="<span></span>",
                 footer_template='<div style="font-size:8pt;width:100%;text-align:center;color:#555">'
                                 '<span class="pageNumber"></span> / <span class="totalPages"></span></div>',
                 margin={"top": "18mm", "bottom": "20mm", "left": "16mm", "right": "16mm"})
    finally:
        page.close()


def _built_lessons(root: Path, corpus) -> list[str]:
    """The lessons of the built book, in syllabus order."""
    from quiz.book.build import load_course

    ids = [les.id for les, _ in load_course(corpus)]
    missing = [i for i in ids if not (root / "lessons" / f"{i}.html").is_file()]
    if missing:
        raise BookError(f"the book is not built (no page for {missing[0]}): run `quiz book build` first")
    return ids
