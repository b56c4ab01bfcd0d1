"""Ranked search over the paragraphs of every syllabus chapter (BM25, via rank-bm25).

Authors use it to find the passage a new question should quote; it searches only text
that belongs to a chapter, so front and back matter never come up.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from quiz.course.corpus import Corpus

_WORD = re.compile(r"\w+", re.UNICODE)


def tokenize(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


_NOTE = re.compile(r"^\s*([\u00b9\u00b2\u00b3\u2070-\u2079]+|\[\d+\]|\d+\s*$)")


def is_note(paragraph: str) -> bool:
    """Footnotes and endnotes (a superscript or [n] marker first) are not the argument."""
    return bool(_NOTE.match(paragraph))


@dataclass(frozen=True)
class Hit:
    chapter: str
    file: str
    line: int
    score: float
    text: str

    def as_dict(self) -> dict:
        return {"chapter": self.chapter, "file": self.file, "line": self.line,
                "score": round(self.score, 3), "text": self.text}


class PassageIndex:
    def __init__(self, corpus: Corpus, chapters: list[str] | None = None, notes: bool = False):
        from rank_bm25 import (
            BM25Okapi,  # numpy is slow to import: only load it for a search
        )

        self.paragraphs: list[tuple[str, str, int, str]] = []
        for ch in corpus.chapters.values():
            if chapters and ch.id not in chapters:
                continue
            for i, line in enumerate(ch.lines):
                if len(line.split()) >= 4 and (notes or not is_note(line)):
                    self.paragraphs.append((ch.id, ch.source.file.name, ch.start + i, line))
        self.bm25 = BM25Okapi([tokenize(p[3]) for p in self.paragraphs])

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        terms = tokenize(query)
        if not terms:
            return []
        scores = self.bm25.get_scores(terms)
        ranked = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
        hits = []
        for i in ranked[:limit]:
            if scores[i] <= 0:
                break
            ch, file, line, text = self.paragraphs[i]
            hits.append(Hit(ch, file, line, float(scores[i]), text))
        return hits
