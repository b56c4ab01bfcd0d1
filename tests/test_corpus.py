"""The source corpus: the manifest's spans match the syllabus, and passages can be found."""
from __future__ import annotations

from quiz.course.corpus import load_corpus

# The syllabus of COURSE.md: lesson id -> the first heading of its span, as printed in the source.
SYLLABUS = {
    "nbr-00": ["INTRODUCTION", "A New Type of Geopolitical Power: China's Competitive Strategy for the Digital Revolution"],
    "nbr-01": ["CHAPTER 1", "Securing the Foundation: Building the Physical Infrastructure of the Digital World"],
    "nbr-02": ["CHAPTER 2", "Capturing the Virtual Domain: The Expansion of Chinese Digital Platforms"],
    "nbr-03": ["CHAPTER 3", "Setting the Standards: Locking in China's Technological Influence"],
    "nbr-04": ["CHAPTER 4", "Writing the Rules: Redefining Norms of Global Digital Governance"],
    "nbr-05": ["CHAPTER 5", "Reshaping the Battlefield: The Security Implications of China's Digital Rise"],
    "nbr-06": ["CHAPTER 6", "Crafting a Competitive Response: A Framework for Countering China's Digital Ambitions"],
    "carter-00": ["I. Foreword"],
    "carter-01": ["IV. Artificial Intelligence"],
    "carter-02": ["V. Internet of Things"],
    "carter-03": ["VI. Big Data and Privacy"],
    "carter-04": ["VII. Semiconductors"],
    "carter-05": ["VIII. Opportunities for Dialogue"],
    "basc-01": ["Abstract"],
    "basc-02": ["3. The Nature and Characteristics of China’s Cybersecurity Development"],
    "basc-03": ["4. The Development of China’s Cybersecurity Industry: Market Failures and Government Intervention"],
    "basc-04": ["5. National Security Rationales for State Intervention"],
    "basc-05": ["7. State-Corporate Cybersecurity Engagement"],
    "basc-06": ["Concluding Thoughts: China and the International Cybersecurity Order: Cooperation or Competition?"],
    "cpc-01": ["The CPC and Sovereignty in a Digitally Connected World"],
    "lawfare-01": ["Geoeconomics: the Chinese Strategy of Technological Advancement and Cybersecurity"],
}
# Headings that must fall inside a span (sections the syllabus folds into a lesson).
INSIDE = {
    "nbr-02": "APPENDIX: CASE STUDY OF HOW DIGITAL PLATFORMS EXPAND BEIJING'S INFLUENCE ABROAD",
    "nbr-05": "APPENDIX: CASE STUDY OF HOW BEIDOU INFLUENCES THE STRATEGIC, MILITARY, AND ECONOMIC ENVIRONMENTS",
    "carter-00": "## III. Introduction",
    "carter-05": "## IV. Conclusion",
    "basc-01": "2. Chinese Thinking and Policy Approaches on Development, National Security and Technology Advancement and Its Application to the Cybersecurity Domain",
    "basc-04": "6. Key Actors and Coalitions in the Making of China's Cybersecurity Industry",
}


def test_every_syllabus_chapter_has_a_span():
    assert set(load_corpus().chapters) == set(SYLLABUS)


def test_each_span_starts_at_its_heading():
    for cid, headings in SYLLABUS.items():
        ch = load_corpus().chapter(cid)
        first = [line for line in ch.lines if line.strip()]
        assert first[0].lstrip("# ").strip() == headings[0], cid
        if len(headings) > 1:  # the chapter title follows the label
            assert first[1].strip() == headings[1], cid


def test_folded_sections_fall_inside_their_span():
    corpus = load_corpus()
    for cid, heading in INSIDE.items():
        assert heading in corpus.chapter(cid).lines, cid
        others = [c for c in corpus.chapters.values() if c.id != cid and c.source.id == corpus.chapter(cid).source.id]
        assert all(heading not in c.lines for c in others), cid


def test_spans_do_not_overlap_and_lie_in_the_file():
    for source in load_corpus().sources.values():
        spans = sorted((c.start, c.end, c.id) for c in source.chapters)
        for (s1, e1, a), (s2, e2, b) in zip(spans, spans[1:]):
            assert e1 < s2, f"{a} overlaps {b}"
        for s, e, cid in spans:
            assert 1 <= s <= e <= len(source.lines), cid


def test_back_matter_belongs_to_no_chapter():
    corpus = load_corpus()
    cpc = corpus.sources["cpc"]
    refs = cpc.lines.index("References") + 1
    assert all(not (c.start <= refs <= c.end) for c in cpc.chapters)
    assert all("About the Publisher" not in line for c in corpus.sources["carter"].chapters for line in c.lines)


def test_show_prints_exactly_the_chapter(quiz):
    result = quiz("passages", "show", "nbr-03")
    assert result.exit_code == 0
    ch = load_corpus().chapter("nbr-03")
    assert result.output == "\n".join(ch.lines) + "\n"
    assert result.output.startswith("CHAPTER 3\n")
    assert "CHAPTER 4" not in result.output


def test_show_unknown_chapter_is_a_usage_error(quiz):
    result = quiz("passages", "show", "nbr-99")
    assert result.exit_code == 2
    assert "nbr-99" in result.output


def test_search_ranks_the_beidou_chapter_first(quiz):
    result = quiz("passages", "search", "BeiDou", "--json")
    import json

    hits = json.loads(result.stdout)
    assert hits and hits[0]["chapter"] == "nbr-05"
    assert all("beidou" in h["text"].casefold() for h in hits[:5])
    ch = load_corpus().chapter(hits[0]["chapter"])
    assert ch.source.lines[hits[0]["line"] - 1] == hits[0]["text"]
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_quotes_match_after_folding_only():
    ch = load_corpus().chapter("lawfare-01")
    assert ch.contains('China\'s approach to data localization reflects   part of a broader cybersecurity policy')
    assert ch.contains("the “splinternet”—that is".replace("“", '"').replace("—", "-").replace("the ", "global "))
    assert not ch.contains("china's approach to data localization")  # case is not folded
    assert not ch.contains("China's approach to data localisation")  # spelling is not folded


def test_texts_without_back_matter_end_inside_their_last_chapter():
    """basc and lawfare end with their argument (no reference list): the last line is in a span."""
    for sid in ("basc", "lawfare"):
        source = load_corpus().sources[sid]
        last = max(len(source.lines) - (source.lines[-1] == ""), 1)
        assert source.chapters[-1].end == last, sid
