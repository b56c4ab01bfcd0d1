"""The book assembler and build, on a small course made from tests/fixtures/book/.

The fixture course has the real sources/ and book/ configuration, one lesson
(lawfare-01) and its bank with all eight question types. The browser tests
(tests/browser/) run against the real course's book.
"""
from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from quiz import paths
from quiz.course.corpus import load_corpus
from quiz.textnorm import fold

REPO = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "book"
LESSON = "lawfare-01"


def _clear_caches():
    from quiz.course import schemas

    paths.course_root.cache_clear()
    load_corpus.cache_clear()
    schemas.validator.cache_clear()


def make_course(root: Path) -> Path:
    """A course directory: the repository's sources and book setup, the fixture lesson and bank."""
    shutil.copytree(REPO / "sources", root / "sources")
    for sub in ("lessons", "quizzes"):
        (root / sub).mkdir(parents=True)
        for name in ("README.md", "schema.json"):
            shutil.copy(REPO / sub / name, root / sub / name)
        for f in (FIXTURE / sub).iterdir():
            shutil.copy(f, root / sub / f.name)
    (root / "book").mkdir()
    for f in (REPO / "book").iterdir():
        if f.name in ("_build", "lessons", "sources", "generated"):
            continue
        if f.is_dir():
            shutil.copytree(f, root / "book" / f.name)
        else:
            shutil.copy(f, root / "book" / f.name)
    return root


@pytest.fixture
def course(tmp_path, monkeypatch):
    root = make_course(tmp_path / "course")
    monkeypatch.setenv("QUIZ_COURSE_ROOT", str(root))
    monkeypatch.chdir(root)
    _clear_caches()
    yield root
    _clear_caches()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The fixture course, built once for the tests that need the HTML."""
    from quiz.book.build import build

    root = make_course(tmp_path_factory.mktemp("built") / "course")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("QUIZ_COURSE_ROOT", str(root))
        mp.chdir(root)
        _clear_caches()
        result = build()
        yield root, result
    _clear_caches()


def unescape(md: str) -> str:
    return re.sub(r"\\(.)", r"\1", md)


def notebook(root: Path, lesson=LESSON) -> nbformat.NotebookNode:
    return nbformat.read(root / "book" / "lessons" / f"{lesson}.ipynb", as_version=4)


# -- the lesson page --------------------------------------------------------------------

def test_lesson_page_has_every_part_in_order(course):
    from quiz.book.build import assemble

    assemble()
    nb = notebook(course)
    nbformat.validate(nb)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    order = ["# Geoeconomics\\: Technology and Cybersecurity", "**Reading:**", "{cite:p}`lawfare`",
             "**Reading time:** about 20 minutes", "## Learning objectives", "## Overview",
             "## Key terms", "{term}`Splinternet`", "## Excerpts and commentary",
             "````{container} excerpt", "Read in context", "## Exercises", "````{exercise} Reading for the argument", ":class: dropdown",
             "## Discussion", "## Self-check quiz", "quiz take quizzes/lawfare-01.yaml"]
    positions = [text.find(s) for s in order]
    assert -1 not in positions, [s for s, p in zip(order, positions) if p == -1]
    assert positions == sorted(positions)
    assert "{excerpt}" not in text  # every placeholder replaced
    objectives = re.findall(r"^1\. (.*)$", text, re.M)
    assert objectives[:3] == [
        "Explain the 'innovation imperative' and the three ways the authors say China closes the technology gap.",
        "Describe how data localization serves economic and strategic aims in the authors' account.",
        "Explain military-civilian fusion and why the authors see security and economics as intertwined."]


def test_excerpts_are_the_source_text_verbatim_with_a_link_to_their_line(course):
    from quiz.book.build import assemble
    from quiz.course.lesson import load_lesson, resolve_excerpt

    assemble()
    text = "\n".join(c.source for c in notebook(course).cells if c.cell_type == "markdown")
    lesson, _ = load_lesson(course / "lessons" / f"{LESSON}.md")
    corpus = load_corpus()
    blocks = re.findall(r"````\{container\} excerpt\n:name: (\S+)\n\n(.*?)\n\n```\{container\} excerpt-source\n(.*?)\n```",
                        text, re.S)
    assert [b[0] for b in blocks] == [e.id for e in lesson.excerpts]
    for (ident, quote, cite), ref in zip(blocks, lesson.excerpts):
        ex = resolve_excerpt(ref, corpus)
        shown = "\n".join(unescape(line[2:]) for line in quote.split("\n") if line.startswith("> "))
        assert shown == "\n".join(p.strip() for p in ex.text.split("\n") if p.strip())
        label = f"lawfare-01-l{ex.first_line:04d}"
        assert f"<{label}>`" in cite
        page = (course / "book" / "sources" / "lawfare-01.md").read_text(encoding="utf-8")
        after = page.split(f"({label})=\n", 1)[1].split("\n", 1)[0]
        assert fold(ex.text.split("\n")[0]) in fold(unescape(after))


def test_the_quiz_output_is_written_into_the_notebook(course):
    from quiz.course.bank import load_bank
    from quiz.book.build import assemble
    from quiz.book.selfcheck import bank_version
    from quiz.exporters.jupyterquiz import to_jupyterquiz

    assemble()
    code = [c for c in notebook(course).cells if c.cell_type == "code"]
    assert len(code) == 1 and code[0].metadata["tags"] == ["remove-input"]
    [output] = code[0].outputs
    html = output["data"]["text/html"]
    bank = load_bank(course / "quizzes" / f"{LESSON}.yaml")
    questions = to_jupyterquiz(bank.questions, seed="book", numbered=True)
    assert f'data-bank="{LESSON}" data-version="{bank_version(questions)}"' in html
    data = re.search(r'<script type="application/json" class="sc-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in data  # nothing in the data can close its <script> element
    assert json.loads(data) == questions
    assert "<details" in html and "<summary>" in html  # collapsed until the student opens it
    assert "https://" not in html and "http://" not in html


def test_the_bank_version_changes_with_the_questions_only():
    from quiz.book.selfcheck import bank_version, part_keys

    qs = [{"id": "a-q01", "question": "Which?", "type": "string", "answers": []},
          {"id": "a-q02", "part": [1, 2], "question": "x", "type": "string", "answers": []},
          {"id": "a-q02", "part": [2, 2], "question": "y", "type": "string", "answers": []}]
    assert bank_version(qs) == bank_version([dict(q) for q in qs])
    assert bank_version(qs) != bank_version([{**qs[0], "question": "Which one?"}, *qs[1:]])
    assert part_keys(qs) == ["a-q01", "a-q02#1", "a-q02#2"]


def test_a_lesson_without_a_bank_says_so(course):
    from quiz.book.build import assemble

    (course / "quizzes" / f"{LESSON}.yaml").unlink()
    assemble()
    nb = notebook(course)
    assert not [c for c in nb.cells if c.cell_type == "code"]
    assert "is not written yet" in nb.cells[-1].source


# -- incremental assembly -----------------------------------------------------------------

def test_assembling_twice_writes_nothing_and_a_bank_edit_rewrites_only_its_pages(course):
    from quiz.book.build import assemble

    first = assemble()
    assert len(first.written) > 25
    page = course / "book" / "lessons" / f"{LESSON}.ipynb"
    before = page.stat().st_mtime_ns
    assert assemble().written == []
    bank = course / "quizzes" / f"{LESSON}.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace(
        "regulation is not among them.", "regulation is not one of them."), encoding="utf-8")
    third = assemble()
    # the lesson, and the progress page, which holds the bank's new version
    assert third.written == [page, course / "book" / "generated" / "progress.md"]
    assert page.stat().st_mtime_ns != before
    assert "regulation is not one of them." in page.read_text(encoding="utf-8")


def test_pages_of_removed_lessons_are_deleted(course):
    from quiz.book.build import assemble

    stale = course / "book" / "lessons" / "gone-01.ipynb"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}")
    result = assemble()
    assert not stale.exists() and stale in result.removed


def test_toc_lists_every_lesson_and_every_source_chapter(course):
    import yaml

    from quiz.book.build import assemble

    text = (course / "lessons" / f"{LESSON}.md").read_text(encoding="utf-8")
    (course / "lessons" / "zz-copy.md").write_text(text.replace(f"lesson: {LESSON}", "lesson: zz-copy"))
    result = assemble()
    toc = yaml.safe_load(result.toc_path.read_text(encoding="utf-8"))
    assert toc["root"] == "index"
    files = json.dumps(toc)
    for doc in ["lessons/lawfare-01", "lessons/zz-copy", "sources/index", "glossary", "bibliography", "progress",
                "instructor",
                *(f"sources/{c}" for c in load_corpus().chapters)]:
        assert f'"{doc}"' in files, doc
    assert len(result.docs) == len(set(result.docs)) == 2 + 1 + 1 + len(load_corpus().chapters) + 4


# -- course-wide pages --------------------------------------------------------------------

def test_glossary_has_each_term_once_with_every_lesson_that_defines_it(course):
    from quiz.book.pages import glossary_markdown
    from quiz.course.lesson import load_lesson

    lesson, _ = load_lesson(course / "lessons" / f"{LESSON}.md")
    other = dataclasses.replace(lesson, id="cpc-01", title="Other lesson",
                                key_terms=[("data localization", "Another definition."), ("Sovereignty", "Rule.")])
    other = dataclasses.replace(other, key_terms=other.key_terms + [("\u201cSplinternet\u201d", "Quoted.")])
    md = glossary_markdown([lesson, other])
    assert md.startswith("```{glossary}\n")
    terms = [line for line in md.split("\n") if line and not line.startswith((" ", "`", ":"))]
    assert len(terms) == len({t.casefold() for t in terms}) == 7
    assert terms == sorted(terms, key=str.casefold)  # alphabetical
    entry = md.split("Data localization\n", 1)[1].split("\n\n\n")[0]
    assert "</lessons/lawfare-01>" in entry and "Another definition. ({doc}`Other lesson </lessons/cpc-01>`)" in entry
    assert "Quoted. ({doc}`Other lesson" in md.split("\nSplinternet\n", 1)[1]


def test_a_key_term_links_to_the_glossarys_spelling_of_it():
    from quiz.book.pages import term_role

    assert term_role("Splinternet") == "{term}`Splinternet`"
    assert term_role("\u201cFlood the zone\u201d", "'Flood the zone'") == "{term}`\u201cFlood the zone\u201d <'Flood the zone'>`"
    assert term_role("a <b>") == "**a \\<b\\>**"


def test_bibliography_has_the_five_reports():
    from pybtex.database import parse_string

    from quiz.book.pages import bibtex

    corpus = load_corpus()
    db = parse_string(bibtex(corpus), "bibtex")
    assert set(db.entries) == set(corpus.sources) == {"nbr", "carter", "basc", "cpc", "lawfare"}
    assert db.entries["cpc"].type == "incollection"
    assert [str(p) for p in db.entries["nbr"].persons["editor"]][0].endswith("Emily")  # "de La Bruyère, Emily"
    assert db.entries["basc"].fields["number"] == "2018-03"
    assert db.entries["lawfare"].fields["year"] == "2018" and db.entries["lawfare"].fields["month"] == "December"
    assert "author" in db.entries["carter"].persons and "author" not in db.entries["nbr"].persons


def test_readmes_keep_their_examples_inside_the_example_block():
    from markdown_it import MarkdownIt

    from quiz.book.pages import readme_for_book

    readme = (REPO / "lessons" / "README.md").read_text(encoding="utf-8")

    def directives(md):
        return [t.info for t in MarkdownIt("commonmark").parse(md) if t.type == "fence" and t.info.startswith("{")]

    assert directives(readme) == []  # the README's outer fence is long enough
    # the same README with a too-short outer fence, as GitHub tolerates and MyST does not
    text = readme.replace("`````markdown", "```markdown").replace("2. Another.\n`````", "2. Another.\n```")
    assert text != readme and directives(text)  # as written, MyST would run the example's directives
    fixed = readme_for_book(text, "lessons")
    assert directives(fixed) == []
    assert "`lessons/examples/example-lawfare.md`" in fixed
    changed = [(a, b) for a, b in zip(text.split("\n"), fixed.split("\n")) if a != b]
    assert len(fixed.split("\n")) == len(text.split("\n"))
    assert all(re.fullmatch(r"`{3,}\w*", a.strip()) or "](" in a for a, _ in changed), changed
    assert directives(readme_for_book(readme, "lessons")) == []


def test_source_pages_put_a_target_before_every_paragraph():
    from quiz.book.pages import source_chapter_page

    chapter = load_corpus().chapters["carter-01"]
    md = source_chapter_page(chapter, [])
    targets = re.findall(r"^\(carter-01-l(\d{4})\)=$", md, re.M)
    assert len(targets) == sum(1 for line in chapter.lines if line.strip())
    assert int(targets[0]) == chapter.start
    assert "**IV\\. Artificial Intelligence**" in md  # a markdown heading of the text, shown bold


def test_references_by_id_become_links(built):
    """{excerpt}, {term} and {lesson} in a lesson body link to the excerpt, glossary entry and page."""
    root, _ = built
    html = (root / "book" / "_build" / "html" / "lessons" / f"{LESSON}.html").read_text(encoding="utf-8")
    points = html[html.index('id="key-points"'):]
    hrefs = re.findall(r'<a class="reference internal" href="([^"]+)"', points[:4000])
    assert any(h.endswith("#lawfare-01-x1") for h in hrefs), hrefs
    assert any("glossary.html#term-Data-localization" in h or "glossary.html#term-data-localization" in h.lower()
               for h in hrefs), hrefs
    assert any(h.split("#")[0] in ("", "#", f"{LESSON}.html") for h in hrefs), hrefs
    assert "{lesson}" not in points and "{excerpt}" not in points


def test_instructor_guide_documents_every_command(built):
    """sphinx-click reads the commands from the CLI itself; the book code never imports it."""
    import click
    from quiz.cli import cli

    root, _ = built
    html = (root / "book" / "_build" / "html" / "instructor.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", html)
    for name in cli.list_commands(click.Context(cli)):
        assert f"quiz {name}" in text, name
        assert cli.get_command(click.Context(cli), name).get_short_help_str(200)[:30] in text, name
    assert "quiz book build" in text and "--clean" in text


# -- the validation gate ------------------------------------------------------------------

def test_an_invalid_bank_stops_the_build_with_the_validators_message(course):
    from quiz.book.build import BookError, build

    bank = course / "quizzes" / f"{LESSON}.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("China boasted 802 million Internet users",
                                                             "China boasted 803 million Internet users"))
    with pytest.raises(BookError) as caught:
        build()
    assert any("lawfare-01.yaml" in p and "quote not found verbatim" in p for p in caught.value.problems)
    assert not (course / "book" / "_build").exists()
    result = CliRunner().invoke(__import__("quiz.cli", fromlist=["cli"]).cli, ["book", "build"])
    assert result.exit_code == 1
    assert "quote not found verbatim" in result.output


def test_an_invalid_lesson_stops_the_build(course):
    from quiz.cli import cli

    lesson = course / "lessons" / f"{LESSON}.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("## Discussion", "## Talk"))
    result = CliRunner().invoke(cli, ["book", "build"])
    assert result.exit_code == 1
    assert "lawfare-01.md" in result.output and "'## Discussion'" in result.output


# -- the built site -----------------------------------------------------------------------

def test_the_build_makes_every_page_and_returns_the_home_page(built):
    root, result = built
    html = root / "book" / "_build" / "html"
    assert result.index == html / "index.html"
    for doc in result.assembly.docs:
        assert (html / f"{doc}.html").is_file(), doc
    lesson = (html / "lessons" / f"{LESSON}.html").read_text(encoding="utf-8")
    assert 'class="self-check" data-bank="lawfare-01"' in lesson and "Solution to" in lesson
    assert "Exercise 1" in lesson and "Exercise 5" not in lesson
    home = (html / "index.html").read_text(encoding="utf-8")
    assert 'href="lessons/lawfare-01.html"' in home


def test_read_in_context_links_land_on_an_existing_anchor(built):
    root, _ = built
    html = root / "book" / "_build" / "html"
    lesson = (html / "lessons" / f"{LESSON}.html").read_text(encoding="utf-8")
    links = re.findall(r'href="\.\./sources/(lawfare-01)\.html#(lawfare-01-l\d{4})"', lesson)
    assert len(links) == 4
    page = (html / "sources" / "lawfare-01.html").read_text(encoding="utf-8")
    for _, anchor in links:
        assert f'id="{anchor}"' in page


def test_the_site_loads_nothing_from_other_hosts(built):
    root, _ = built
    html = root / "book" / "_build" / "html"
    loads = re.compile(r"""(?:<script[^>]*\ssrc=|<img[^>]*\ssrc=|<link[^>]*\shref=|url\(|@import\s+|\.src\s*=\s*)["']?(?:https?:)?//""",
                       re.I)
    offenders = []
    for f in html.rglob("*"):
        if f.suffix in (".html", ".css", ".js") and f.is_file():
            text = f.read_text(encoding="utf-8", errors="replace")
            for m in loads.finditer(text):
                snippet = text[m.start(): m.end() + 60]
                if "<link" in snippet and re.search(r'rel="(canonical|alternate)"', snippet):
                    continue
                offenders.append(f"{f.relative_to(html)}: {snippet!r}")
    assert offenders == []
    assert not any("mathjax" in f.name.lower() for f in html.rglob("*.js"))


def test_rebuilding_after_a_bank_edit_rereads_only_that_lesson_and_the_progress_page(built):
    from quiz.book.build import build

    root, _ = built
    bank = root / "quizzes" / f"{LESSON}.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("in that order.", "in this order."))
    result = build()
    assert "updating environment: 0 added, 2 changed, 0 removed" in result.output
    assert re.search(r"reading sources\.\.\. \[ 50%\] lessons/lawfare-01\s.*\[100%\] progress\s", result.output, re.S), \
        result.output
    assert "in this order." in (root / "book" / "_build" / "html" / "lessons" / f"{LESSON}.html").read_text(
        encoding="utf-8")


def test_a_broken_reference_fails_the_build(built):
    from quiz.book.build import BookError, build

    root, _ = built
    lesson = root / "lessons" / f"{LESSON}.md"
    good = lesson.read_text(encoding="utf-8")
    lesson.write_text(good.replace("## Overview\n", "## Overview\n\nSee {doc}`the missing page </nowhere>`.\n"))
    try:
        with pytest.raises(BookError) as caught:
            build()
        assert any("nowhere" in p for p in caught.value.problems), caught.value.problems
    finally:
        lesson.write_text(good)
    build()  # and the book builds again once the reference is gone


def test_cli_prints_the_home_page_path(built):
    from quiz.cli import cli

    root, _ = built
    result = CliRunner().invoke(cli, ["book", "build"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == str(root / "book" / "_build" / "html" / "index.html")
