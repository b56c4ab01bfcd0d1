"""A lesson as a notebook page of the book (nbformat), with its self-check quiz.

The page, top to bottom: title; the chapter's citation, reading time and a link to its
source text; the objectives; the lesson body, with the key terms before its excerpts and
each ```` ```{excerpt} ID ```` block replaced by the passage pulled verbatim from
`sources/` (its emphasis as emphasis, its note markers linked; cited by chapter, section
and ¶, with a link to read it in context); the exercises, solutions and discussion as
written; and the self-check quiz, collapsed.

The notebook is never executed. Its last code cell holds, as its output, the self-check's
container with the bank's questions as data (quiz.book.selfcheck), which the book's
`_static/selfcheck.js` draws, so the page is interactive without a kernel.
"""
from __future__ import annotations

import re
from string import Template

import nbformat

from quiz.book.pages import (
    doc_link,
    footnotes,
    glossary_key,
    line_label,
    md_escape,
    md_text,
    reading_minutes,
    short_authors,
    source_docname,
    source_markdown,
    term_role,
)
from quiz.course.cite import place_of
from quiz.course.corpus import Corpus
from quiz.course.lesson import EXCERPT_BLOCK, REFERENCE, Excerpt, Lesson, resolve_excerpt
from quiz.book.selfcheck import bank_questions, selfcheck_html
from quiz.model import Bank

_FENCE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})")


class ExcerptError(ValueError):
    """An excerpt reference that does not resolve (the validator reports these first)."""


def excerpt_markdown(ex: Excerpt) -> str:
    """A verbatim excerpt as a quotation block with its citation and a 'read in context' link."""
    ch = ex.chapter
    notes = footnotes(ch)
    paragraphs = [source_markdown(p.strip(), notes, ex.first_line + i)
                  for i, p in enumerate(ex.text.split("\n")) if p.strip()]
    quote = "\n>\n".join(f"> {p}" for p in paragraphs)
    cite = (f"\u2014 {excerpt_citation(ch)}, {md_escape(excerpt_place(ch, ex))}. "
            f"{{ref}}`Read in context \u2192 <{line_label(ch.id, ex.first_line)}>`")
    return "\n".join([
        "````{container} excerpt",
        f":name: {ex.ref.id}",
        "",
        quote,
        "",
        "```{container} excerpt-source",
        cite,
        "```",
        "````",
    ])


def excerpt_place(ch, ex: Excerpt) -> str:
    """The excerpt's section and paragraphs: '“Convergence”, ¶ 41' or '¶¶ 41–43'."""
    first, last = place_of(ch, ex.first_line), place_of(ch, ex.last_line)
    if first is None:
        return ch.label
    section = f"\u201c{first.section}\u201d, " if first.section else ""
    if last is None or last.paragraph == first.paragraph:
        return f"{section}\u00b6\u00a0{first.paragraph}"
    return f"{section}\u00b6\u00b6\u00a0{first.paragraph}\u2013{last.paragraph}"


def excerpt_citation(ch) -> str:
    """Who and where, briefly (MyST): 'Hoffman, Chapter 1, in de La Bruyère et al. [2022]',
    'Cheung [2018], Section 3', 'Roberts et al. [2018]'. The lesson's header has the full
    reference; the report is an author-year citation linking to the bibliography."""
    src = ch.source
    report = f"{{cite:t}}`{src.id}`"
    if ch.authors and ch.authors != src.authors:
        return f"{md_escape(short_authors(ch.authors))}, {md_escape(ch.label)}, in {report}"
    if ch.title == src.title:
        return report
    return f"{report}, {md_escape(ch.label)}"


def _split_sections(body: str) -> list[str]:
    """The body split before each `## ` heading outside code fences and directives."""
    chunks: list[list[str]] = [[]]
    fence: str | None = None
    for line in body.split("\n"):
        m = _FENCE.match(line)
        if m:
            mark = m.group(1)
            rest = line.strip()[len(mark):]
            if fence is None:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence) and not rest.strip():
                fence = None
        elif fence is None and line.startswith("## ") and any(x.strip() for x in chunks[-1]):
            chunks.append([])
        chunks[-1].append(line)
    return ["\n".join(c).strip("\n") for c in chunks if any(x.strip() for x in c)]


def link_references(body: str, glossary: dict[str, str]) -> str:
    """{lesson}`id`, {excerpt}`id` and {term}`text` (validated by `quiz validate`) as
    Sphinx links: to the lesson page (titled by Sphinx), the excerpt's block, the glossary."""
    def link(m: re.Match) -> str:
        kind, target = m.group(1), m.group(2).strip()
        if kind == "lesson":
            return f"{{doc}}`{target}`"
        if kind == "excerpt":
            lesson_id, _, number = target.rpartition("-x")
            return f"{{ref}}`excerpt {number} of {lesson_id} <{target}>`"
        return term_role(target, glossary.get(glossary_key(target)))

    return REFERENCE.sub(link, body)


def _place_excerpts(body: str, excerpts: dict[str, Excerpt]) -> str:
    out: list[str] = []
    lines = body.split("\n")
    i = 0
    while i < len(lines):
        m = EXCERPT_BLOCK.match(lines[i].strip())
        if not m:
            out.append(lines[i])
            i += 1
            continue
        fence, ident = m.group(1), m.group(2)
        j = i + 1
        while j < len(lines) and lines[j].strip() != fence:
            j += 1
        if ident not in excerpts:
            raise ExcerptError(f"excerpt '{ident}' is placed but not defined")
        out.append(excerpt_markdown(excerpts[ident]))
        i = j + 1
    return "\n".join(out)


def header_markdown(lesson: Lesson, corpus: Corpus) -> str:
    chapter = corpus.chapters.get(lesson.chapter or "")
    out = [f"# {md_escape(lesson.title)}", ""]
    meta = []
    if chapter is not None:
        meta.append(f"**Reading:** {md_escape(chapter.citation)} {{cite:p}}`{chapter.source.id}`.")
    else:
        ids = sorted({corpus.chapters[r.chapter].source.id for r in lesson.excerpts if r.chapter in corpus.chapters})
        if ids:
            meta.append("**Reading:** passages from " + ", ".join(f"{{cite:t}}`{i}`" for i in ids) + ".")
    meta.append(f"**Reading time:** about {reading_minutes(lesson, corpus)} minutes.")
    if chapter is not None:
        meta.append(f"**Source text:** {doc_link(source_docname(chapter.id), f'{chapter.label}, full text')}.")
    out += ["```{container} lesson-meta", *(m + "\n" for m in meta), "```", ""]
    out += ["## Learning objectives", "", "By the end of this lesson you should be able to:", ""]
    out += [f"1. {md_text(text)}" for text in lesson.objectives.values()]
    return "\n".join(out)


def key_terms_markdown(lesson: Lesson, glossary: dict[str, str] | None = None) -> str:
    """The lesson's key terms, each linking to its glossary entry (`glossary`: the entries'
    keys and spellings, see pages.glossary_entries)."""
    glossary = glossary or {}
    out = ["## Key terms", "",
           "Each term links to the course {doc}`glossary </glossary>`.", ""]
    for term, definition in lesson.key_terms:
        out += [term_role(term, glossary.get(glossary_key(term))), f": {md_text(definition)}", ""]
    return "\n".join(out).rstrip()


def quiz_intro_markdown(lesson: Lesson, bank: Bank | None, n_items: int) -> str:
    out = ["## Self-check quiz", ""]
    if bank is None:
        out.append(f"The question bank for this lesson (`quizzes/{lesson.id}.yaml`) is not written yet.")
        return "\n".join(out)
    if not n_items:
        out.append(f"The questions of `quizzes/{bank.id}.yaml` are open answers, which the self-check cannot "
                   f"mark: answer them with `quiz take quizzes/{bank.id}.yaml`.")
        return "\n".join(out)
    split = [q for q in bank.questions if q.type in ("cloze", "matching", "ordering")]
    out.append(f"{n_items} questions from the lesson's bank, `quizzes/{bank.id}.yaml`, to try "
               "once you have read the lesson. Open the self-check below (it starts collapsed); choose an answer (the arrow keys move "
               "through the choices) or type one, then press Check or Enter to see feedback. The explanation "
               "comes with the right answer. Your answers stay in this browser: the "
               "{doc}`progress page </progress>` shows how far you are in every lesson.")
    if split:
        out += ["", "Questions with several blanks, matching and ordering questions are asked one part at a "
                "time (an ordering question as \u201cwhat comes right after \u2026?\u201d for each item)."]
    out += ["", f"To practise with scoring and spaced review, run `quiz take quizzes/{bank.id}.yaml` in a terminal."]
    return "\n".join(out)


def quiz_outputs(bank_id: str, questions: list[dict]) -> list:
    """The self-check as the code cell's output (see quiz.book.selfcheck)."""
    return [nbformat.v4.new_output("display_data", data={
        "text/html": selfcheck_html(bank_id, questions), "text/plain": "<IPython.core.display.HTML object>"})]


QUIZ_CELL = Template('''\
# The self-check quiz, generated from quizzes/$bank.yaml by `quiz book build`
# (drawn by the book's _static/selfcheck.js).
from IPython.display import HTML
from quiz.book.selfcheck import bank_questions, selfcheck_html
from quiz.course.bank import load_bank

HTML(selfcheck_html("$bank", bank_questions(load_bank("../../quizzes/$bank.yaml"))))''')


def lesson_notebook(lesson: Lesson, bank: Bank | None, corpus: Corpus,
                    glossary: dict[str, str] | None = None) -> nbformat.NotebookNode:
    """The lesson page as a notebook (not executed: the quiz output is written in).
    `glossary` maps glossary keys to the glossary's spelling of each term."""
    excerpts: dict[str, Excerpt] = {}
    for ref in lesson.excerpts:
        got = resolve_excerpt(ref, corpus)
        if isinstance(got, str):
            raise ExcerptError(f"{lesson.file}:{ref.line}: {got}")
        excerpts[ref.id] = got
    body = link_references(_place_excerpts(lesson.body, excerpts), glossary or {})
    sections = _split_sections(body)
    terms = key_terms_markdown(lesson, glossary)
    # the key terms come before the excerpts (else before the exercises): read them first
    at = next((i for i, s in enumerate(sections) if s.startswith(("## Excerpts", "## Exercises"))), len(sections))
    sections.insert(at, terms)

    cells = [nbformat.v4.new_markdown_cell(header_markdown(lesson, corpus))]
    cells += [nbformat.v4.new_markdown_cell(s) for s in sections]
    questions = bank_questions(bank) if bank is not None else []
    checked = len({q["id"] for q in questions})  # essays are not in the self-check
    cells.append(nbformat.v4.new_markdown_cell(quiz_intro_markdown(lesson, bank, checked)))
    if bank is not None and questions:
        code = nbformat.v4.new_code_cell(QUIZ_CELL.substitute(bank=bank.id), metadata={"tags": ["remove-input"]})
        code.outputs = quiz_outputs(bank.id, questions)
        code.execution_count = None
        cells.append(code)
    for i, cell in enumerate(cells):
        cell["id"] = f"{lesson.id}-{i}"  # stable ids: the same lesson gives the same file
    nb = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "quiz": {"lesson": lesson.id, "bank": bank.id if bank else None, "generated_by": "quiz book build"},
    })
    return nb


def notebook_text(nb: nbformat.NotebookNode) -> str:
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"

