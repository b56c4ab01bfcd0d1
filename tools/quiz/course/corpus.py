"""The source texts and their chapters: print a chapter, find a quote, locate a passage.

Every excerpt and question quote is checked here against the text as shipped in
`sources/`, so this module is the single place that decides what "verbatim" means
(see textnorm.fold).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from quiz import paths
from quiz.course.cite import human_date
from quiz.course.safeyaml import load_yaml, read_text
from quiz.errors import InputError
from quiz.textnorm import fold, fold_with_map

CLOSEST_PREFIX = 500  # characters of a wrong quote compared with the chapter (about 0.05 s)

@dataclass
class Chapter:
    id: str
    source: "Source"
    label: str
    title: str
    heading: str
    start: int  # 1-based, inclusive
    end: int
    authors: list[str] = field(default_factory=list)

    @cached_property
    def lines(self) -> list[str]:
        return self.source.lines[self.start - 1 : self.end]

    @cached_property
    def text(self) -> str:
        return "\n".join(self.lines)

    @cached_property
    def folded(self) -> str:
        return fold(self.text)

    @cached_property
    def _folded_map(self) -> tuple[str, list[int]]:
        return fold_with_map(self.text)

    def contains(self, quote: str) -> bool:
        q = fold(quote)
        return bool(q) and q in self.folded

    def count(self, quote: str) -> int:
        q = fold(quote)
        return self.folded.count(q) if q else 0

    def find(self, quote: str, after: int = 0) -> tuple[int, int] | None:
        """The span (start, end) in `self.text` of the first match of `quote` at or after
        character `after` of the original text, or None."""
        folded, index = self._folded_map
        q = fold(quote)
        if not q:
            return None
        from bisect import bisect_left
        pos = folded.find(q, bisect_left(index, after))
        if pos < 0:
            return None
        return index[pos], index[pos + len(q) - 1] + 1

    def line_of(self, offset: int) -> int:
        """The source-file line (1-based) of a character offset in `self.text`."""
        return self.start + self.text.count("\n", 0, offset)

    def closest(self, quote: str) -> tuple[str, int, float]:
        """The passage of the chapter closest to `quote`: (text, source line, similarity 0–100).

        Only the quote's first CLOSEST_PREFIX characters are compared: the alignment's
        cost grows with the product of the two lengths, so a 20,000-character quote took
        minutes, and the start of a quote is enough to show where it went wrong."""
        from rapidfuzz import fuzz  # imported here: only needed when a quote is wrong

        folded, index = self._folded_map
        q = fold(quote)[:CLOSEST_PREFIX]
        best = fuzz.partial_ratio_alignment(q, folded, score_cutoff=0)
        if best is None:
            return "", self.start, 0.0
        start, end = index[best.dest_start], index[max(best.dest_start, best.dest_end - 1)] + 1
        return self.text[start:end], self.line_of(start), best.score

    @property
    def citation(self) -> str:
        """A human citation: author(s), "chapter title", in Report (publisher, date)."""
        src = self.source
        who = ", ".join(self.authors) if self.authors else ", ".join(src.authors)
        if self.title == src.title:
            return f"{who}, \u201c{src.title}\u201d, {src.publisher}, {human_date(src.date)}"
        return f"{who}, \u201c{self.title}\u201d, in {src.title} ({src.publisher}, {human_date(src.date)})"


@dataclass
class Source:
    id: str
    file: Path
    title: str
    authors: list[str]
    publisher: str
    date: str
    meta: dict
    chapters: list[Chapter] = field(default_factory=list)

    @cached_property
    def text(self) -> str:
        return read_text(self.file, "source text")

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")


class Corpus:
    """The five reports and the syllabus chapters, as described by sources/manifest.yaml."""

    def __init__(self, manifest: Path):
        loaded = load_yaml(manifest)
        if loaded.problems:
            raise InputError(loaded.problems[0].file, loaded.problems[0].line, loaded.problems[0].message)
        self.manifest = manifest
        self.sources: dict[str, Source] = {}
        self.chapters: dict[str, Chapter] = {}
        try:
            for i, s in enumerate(loaded.data["sources"]):
                src = Source(s["id"], manifest.parent / s["file"], s["title"], list(s.get("authors", [])),
                             s.get("publisher", ""), str(s.get("date", "")), s)
                for j, c in enumerate(s["chapters"]):
                    ch = Chapter(c["id"], src, c.get("label", c["id"]), c["title"], c["heading"],
                                 int(c["start"]), int(c["end"]), list(c.get("authors", [])))
                    src.chapters.append(ch)
                    self.chapters[ch.id] = ch
                self.sources[src.id] = src
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(loaded.file, 1, f"the source manifest is malformed ({exc!r})") from None

    def chapter(self, chapter_id: str) -> Chapter:
        return self.chapters[chapter_id]


@lru_cache(maxsize=None)
def load_corpus(manifest: Path | None = None) -> Corpus:
    return Corpus(manifest or paths.sources_dir() / "manifest.yaml")


def short_authors(names: list[str]) -> str:
    """Surnames as citations give them: 'Cheung', 'Roberts and Ferguson', 'Roberts et al.'."""
    surnames = [_surname(n) for n in names]
    if not surnames:
        return ""
    if len(surnames) == 1:
        return surnames[0]
    if len(surnames) == 2:
        return f"{surnames[0]} and {surnames[1]}"
    return f"{surnames[0]} et al."


def _surname(name: str) -> str:
    parts = name.split()
    # "Emily de La Bruyère" -> "de La Bruyère": keep a lower-case particle and what follows
    for i, p in enumerate(parts[1:], 1):
        if p[:1].islower():
            return " ".join(parts[i:])
    return parts[-1] if parts else name
