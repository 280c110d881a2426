"""Pseudo-relevance feedback: a short query learns its subject from its own best matches.

A reader who types ``cinéma`` wants the articles about films, not those
that mention a cinema once. The best matches of a short query share the
words of its subject (``film``, ``réalisateur``, ``festival``): the terms
that stand out in the first ``FEEDBACK_DOCS`` matches against the whole
index (Amati's Bo1 model, as Terrier and Whoosh's ``Expander`` use) become
optional words that re-rank the first ``WINDOW`` matches. They match no new
article, so the results and their counts stay those of the typed words, and
the words held (``tiers.py``) still come first.

Questions and longer queries already say what they want: they are left as
typed (``CompiledQuery.expandable``).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from whoosh import query as q
from whoosh.classify import Bo1Model

from ..analysis import is_exact
from .tiers import relevance_of

__all__ = ["FEEDBACK_DOCS", "FEEDBACK_TERMS", "SHARE", "WINDOW", "rerank"]

FEEDBACK_DOCS = 10
FEEDBACK_TERMS = 10
# What the expansion adds weighs at most this share of the best typed-word score. Stronger
# feedback ranks topics better still, but moves the articles centred on a name (« Neymar »)
# below the articles of its usual company (« PSG », « Cavani »).
SHARE = 0.25
# How many of the first matches are re-ranked.
WINDOW = 100
# Where the expansion terms are read, and where they are looked for.
SOURCE_FIELDS = ("title", "lede", "body")
TARGET_FIELDS = ("title", "lede", "body")

Ranked = list[tuple[float, int]]  # (score, docnum), best first


def key_terms(searcher: Any, docnums: list[int], known: set[str]) -> list[tuple[str, float]]:
    """The stems that stand out in these documents against the index, with weights from 1 down."""
    reader = searcher.reader()
    analyzer = searcher.schema["body"].analyzer
    counts: Counter[str] = Counter()
    for docnum in docnums:
        stored = searcher.stored_fields(docnum)
        text = "\n".join(stored.get(name, "") for name in SOURCE_FIELDS)
        counts.update(t.text for t in analyzer(text) if not is_exact(t.text))
    total = sum(counts.values())
    model = Bo1Model(reader.doc_count_all(), reader.field_length("body"))
    scored = []
    for term, weight in counts.items():
        if term in known or weight < 2:  # a word of one document says nothing of a subject
            continue
        frequency = reader.frequency("body", term)
        if frequency:
            scored.append((model.score(weight, frequency, total), term))
    scored.sort(reverse=True)
    best = scored[0][0] if scored else 0.0
    return [(term, score / best) for score, term in scored[:FEEDBACK_TERMS]] if best > 0 else []


def _best_first(pair: tuple[float, int]) -> tuple[float, int]:
    return -pair[0], pair[1]  # Whoosh's order: score, then index order


def rerank(searcher: Any, ranked: Ranked, known: set[str]) -> Ranked:
    """The matches with the first ``WINDOW`` re-ranked by the key terms of the first ``FEEDBACK_DOCS``."""
    if not FEEDBACK_TERMS or len(ranked) < 2:
        return ranked
    terms = key_terms(searcher, [docnum for _, docnum in ranked[:FEEDBACK_DOCS]], known)
    if not terms:
        return ranked
    window = ranked[:WINDOW]
    expansion = q.Or([q.Term(f, t, boost=w) for t, w in terms for f in TARGET_FIELDS])
    found = searcher.search(expansion, filter={docnum for _, docnum in window}, limit=None)
    bonus = {docnum: score for score, docnum in found.top_n}
    if not bonus:
        return ranked
    # Interpolated, as RM3 does with the typed query and its expansion.
    scale = SHARE * relevance_of(ranked[0][0]) / max(bonus.values())
    bonus = {docnum: score * scale for docnum, score in bonus.items()}
    # A bonus never lifts an article past one holding more of the typed words: it is
    # far smaller than a tier, and the articles after the window score below all of it.
    rescored = sorted(((score + bonus.get(docnum, 0.0), docnum) for score, docnum in window), key=_best_first)
    return rescored + ranked[WINDOW:]
