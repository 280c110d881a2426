"""Pseudo-relevance feedback: a short query learns its subject from its own best matches.

A reader who types ``cinéma`` wants the articles about films, not those
that mention a cinema once. The best matches of a short query share the
words of its subject (``film``, ``réalisateur``, ``festival``): the terms
that stand out in the first ``FEEDBACK_DOCS`` matches against the whole
index (Amati's Bo1 model, as Terrier and Whoosh's ``Expander`` use), counted
so that what several of them share outweighs what one or two repeat, become
optional words that re-rank the first ``WINDOW`` matches. They match no new
article, so the results and their counts stay those of the typed words, and
the words held (``tiers.py``) still come first.

Questions and longer queries already say what they want: they are left as
typed (``CompiledQuery.expandable``).
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from math import log
from typing import Any

import numpy as np
from numpy.typing import NDArray
from whoosh import query as q
from whoosh.classify import Bo1Model

from ..analysis import is_exact, word_tokens
from .tiers import relevance_of

__all__ = ["FEEDBACK_DOCS", "FEEDBACK_TERMS", "SHARE", "WINDOW", "Statistics", "rerank"]

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


# Bounds of what ``Statistics`` keeps between searches.
KEPT_FREQUENCIES = 300_000
KEPT_DOCUMENTS = 2_000


class Statistics:
    """What feedback reads of one open index, kept between searches.

    The same common words and the same best matches come back query after
    query: their frequencies in the index and each document's word counts
    are read once (a third of a short query's time at 3,580 articles).
    """

    def __init__(self, searcher: Any):
        self.searcher = searcher
        reader = searcher.reader()
        self.reader = reader
        self.model = Bo1Model(reader.doc_count_all(), reader.field_length("body"))
        self._frequencies: dict[str, int] = {}
        self._documents: OrderedDict[int, Counter[str]] = OrderedDict()
        self._lock = threading.Lock()

    def frequency(self, term: str) -> int:
        """How often the index holds ``term`` in the body."""
        found = self._frequencies.get(term)
        if found is None:
            found = int(self.reader.frequency("body", term))
            with self._lock:
                if len(self._frequencies) >= KEPT_FREQUENCIES:
                    self._frequencies.clear()
                self._frequencies[term] = found
        return found

    def counts(self, docnum: int) -> Counter[str]:
        """The stems of a document's title, lede and body, counted."""
        with self._lock:
            found = self._documents.get(docnum)
            if found is not None:
                self._documents.move_to_end(docnum)
                return found
        stored = self.searcher.stored_fields(docnum)
        text = "\n".join(stored.get(name, "") for name in SOURCE_FIELDS)
        found = Counter(term for *_, terms in word_tokens(text) for term in terms if not is_exact(term))
        with self._lock:
            self._documents[docnum] = found
            if len(self._documents) > KEPT_DOCUMENTS:
                self._documents.popitem(last=False)
        return found


def key_terms(statistics: Statistics, docnums: list[int], known: set[str]) -> list[tuple[str, float]]:
    """The stems that stand out in these documents against the index, with weights from 1 down.

    A subject is what the best matches share: each document's count of a stem
    is damped (``1 + ln count``, sublinear tf), so a name repeated through one
    or two articles weighs less than a word found across several of them.
    """
    weights: dict[str, float] = {}
    holding: Counter[str] = Counter()
    for docnum in docnums:
        for term, count in statistics.counts(docnum).items():
            weights[term] = weights.get(term, 0.0) + 1.0 + log(count)
            holding[term] += 1
    total = sum(weights.values())
    scored = []
    for term, weight in weights.items():
        if term in known or holding[term] < 2:  # a word of one document says nothing of a subject
            continue
        frequency = statistics.frequency(term)
        if frequency:
            scored.append((statistics.model.score(weight, frequency, total), term))
    scored.sort(reverse=True)
    best = scored[0][0] if scored else 0.0
    return [(term, score / best) for score, term in scored[:FEEDBACK_TERMS]] if best > 0 else []


def rerank(
    evaluator: Any, statistics: Statistics, order: NDArray[np.int32], scores: NDArray[np.float64], known: set[str]
) -> tuple[NDArray[np.int32], NDArray[np.float64]]:
    """The matches, best first, with the first ``WINDOW`` re-ranked by the key terms of the first ``FEEDBACK_DOCS``."""
    if not FEEDBACK_TERMS or len(order) < 2:
        return order, scores
    terms = key_terms(statistics, order[:FEEDBACK_DOCS].tolist(), known)
    if not terms:
        return order, scores
    window = order[:WINDOW]
    expansion = q.Or([q.Term(f, t, boost=w) for t, w in terms for f in TARGET_FIELDS])
    ids, found = evaluator.scores_among(expansion, window)
    if not len(ids):
        return order, scores
    # Interpolated, as RM3 does with the typed query and its expansion.
    bonus = np.zeros(len(window))
    position = {docnum: i for i, docnum in enumerate(window.tolist())}
    bonus[[position[docnum] for docnum in ids.tolist()]] = found * (SHARE * relevance_of(scores[0]) / found.max())
    # A bonus never lifts an article past one holding more of the typed words: it is
    # far smaller than a tier, and the articles after the window score below all of it.
    rescored = scores[: len(window)] + bonus
    best = np.lexsort((window, -rescored))  # by score, then index order, as Whoosh sorts
    return (
        np.concatenate([window[best], order[len(window) :]]),
        np.concatenate([rescored[best], scores[len(window) :]]),
    )
