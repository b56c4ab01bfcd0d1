"""`quiz passages search` and `quiz passages show`."""
from __future__ import annotations

import json

import click


@click.group()
def passages():
    """Find passages of the source texts to quote, and read whole chapters."""


@passages.command()
@click.argument("query", nargs=-1, required=True)
@click.option("-n", "--limit", default=10, show_default=True, help="How many paragraphs to list.")
@click.option("--chapter", "chapters", multiple=True, help="Search only this chapter id (repeatable).")
@click.option("--notes", is_flag=True, help="Include footnotes and endnotes.")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
def search(query, limit, chapters, notes, as_json):
    """List the paragraphs that best match QUERY (BM25), with chapter id and line."""
    from quiz.course.corpus import load_corpus
    from quiz.course.search import PassageIndex

    corpus = load_corpus()
    unknown = [c for c in chapters if c not in corpus.chapters]
    if unknown:
        raise click.BadParameter(f"unknown chapter {', '.join(unknown)}; see `quiz passages show --list`",
                                 param_hint="--chapter")
    hits = PassageIndex(corpus, list(chapters) or None, notes).search(" ".join(query), limit)
    if as_json:
        click.echo(json.dumps([h.as_dict() for h in hits], indent=2, ensure_ascii=False))
        return
    if not hits:
        click.echo("No paragraph matches.", err=True)
        raise SystemExit(1)
    for h in hits:
        text = h.text if len(h.text) <= 300 else h.text[:299] + "\u2026"
        click.echo(f"{h.chapter}  {h.file}:{h.line}  (score {h.score:.2f})\n    {text}\n")


@passages.command()
@click.argument("chapter_id", required=False)
@click.option("--list", "list_all", is_flag=True, help="List every chapter id with its span.")
@click.option("--numbers", is_flag=True, help="Prefix each line with its line number in the source file.")
def show(chapter_id, list_all, numbers):
    """Print the full text of the chapter CHAPTER_ID (e.g. nbr-03), exactly as in sources/."""
    from quiz.course.corpus import load_corpus

    corpus = load_corpus()
    if list_all or not chapter_id:
        for ch in corpus.chapters.values():
            click.echo(f"{ch.id:11} {ch.source.file.name}:{ch.start}-{ch.end}  {ch.title}")
        return
    ch = corpus.chapters.get(chapter_id)
    if ch is None:
        raise click.BadParameter(f"no chapter '{chapter_id}'; `quiz passages show --list` lists them",
                                 param_hint="CHAPTER_ID")
    for i, line in enumerate(ch.lines):
        click.echo(f"{ch.start + i:5}  {line}" if numbers else line)
