"""Every match of a query with its score, computed over arrays instead of Whoosh's matcher tree.

The query stays the Whoosh query that ``query.py`` builds, and the scores
stay Whoosh's: ``Term`` is BM25F from the cached postings (``postings.py``),
``Or`` sums, ``And`` intersects and sums, ``Not`` removes, ``Tiered`` adds its
tier, and a compound's boost counts only when it has two parts or more, as
in Whoosh. What needs positions (phrases, proximity) is asked of Whoosh, but
only over the documents that hold all its words; anything else (prefixes,
dates, rubrics) is asked of Whoosh whole. ``tests/test_evaluation.py`` checks
that the results equal Whoosh's own search.
"""

from __future__ import annotations

from functools import reduce
from typing import Any

import numpy as np
from numpy.typing import NDArray
from whoosh import matching
from whoosh import query as q

from .postings import Postings, TermScores
from .proximity import WINDOW, Near
from .tiers import TIER, Tiered

__all__ = ["Evaluator"]

_NONE: TermScores = (np.zeros(0, np.int32), np.zeros(0, np.float64))


class _Unscored(matching.ListMatcher):
    """A list of documents that adds nothing to a score."""

    def weight(self) -> float:
        return 0.0

    def score(self) -> float:
        return 0.0


class _Docs(q.Query):
    """The given documents, scoring nothing: narrows a Whoosh query to candidates."""

    def __init__(self, docnums: list[int]):
        self.docnums = docnums  # ascending, numbered in the whole index

    def estimate_size(self, reader: Any) -> int:
        return len(self.docnums)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        # Whoosh matches segment by segment, each numbered from 0.
        offset = 0
        for sub, sub_offset in searcher.get_parent().subsearchers or ():
            if sub is searcher:
                offset = sub_offset
        end = offset + searcher.doc_count_all()
        local = [n - offset for n in self.docnums if offset <= n < end]
        return _Unscored(local) if local else matching.NullMatcher()


def _terms(node: q.Query) -> list[str]:
    """The texts of the terms under a node (one word's alternatives)."""
    return [leaf.text for leaf in node.leaves()] if not isinstance(node, q.Term) else [node.text]


def _merged(postings: Postings, field: str, terms: list[str], docnums: list[int]) -> dict[int, list[int]]:
    """The positions of any of ``terms`` in each document."""
    merged: dict[int, list[int]] = {}
    for term in terms:
        for docnum, found in postings.positions(field, term, docnums).items():
            merged.setdefault(docnum, []).extend(found)
    return merged


class Evaluator:
    """Scores queries of one open index: the cached postings, and a Whoosh searcher for the rest."""

    def __init__(self, postings: Postings, searcher: Any):
        self.postings = postings
        self.searcher = searcher  # plain BM25F, no final adjustment: the caller applies recency

    def run(self, query: q.Query, live: NDArray[np.bool_], window: int = WINDOW) -> TermScores:
        """The live docnums ``query`` matches (ascending) and their scores.

        Proximity bonuses (``Near``) are added to the ``window`` best documents only.
        """
        return _Pass(self.postings, self.searcher).run(query, live, window)

    def scores_among(self, query: q.Query, docnums: NDArray[np.int32]) -> TermScores:
        """The scores of ``query`` in these documents only (those it matches, ascending)."""
        ids, scores = _Pass(self.postings, self.searcher)._eval(query)
        keep = np.isin(ids, docnums)
        return ids[keep], scores[keep]


class _Pass:
    """One evaluation: it gathers the proximity clauses to score once the best documents are known."""

    def __init__(self, postings: Postings, searcher: Any):
        self.postings = postings
        self.searcher = searcher
        self._near: list[Near] = []

    def run(self, query: q.Query, live: NDArray[np.bool_], window: int) -> TermScores:
        ids, scores = self._eval(query)
        keep = live[ids]
        ids, scores = ids[keep], scores[keep]
        if self._near and len(ids):
            best = np.sort(ids[np.argsort(-scores, kind="stable")[:window]])
            for near in self._near:
                near_ids, bonus = self._close(near, best)
                scores[np.searchsorted(ids, near_ids)] += bonus
        return ids, scores

    def _close(self, near: Near, among: NDArray[np.int32]) -> TermScores:
        """The documents among these where the two words of ``near`` stand close, and their bonus.

        As Whoosh's ``SpanNear`` (unordered): some position of one word is 1 to ``slop``
        positions from some position of the other; the bonus is the pair's score, boosted.
        """
        first, second = ([t for t in _terms(part)] for part in near.subqueries)
        parts = [self._eval(part) for part in near.subqueries]
        holding = reduce(lambda a, b: np.intersect1d(a, b, assume_unique=True), [among, parts[0][0], parts[1][0]])
        if not len(holding):
            return _NONE
        candidates = holding.tolist()
        field = near.subqueries[0].field()
        where = [_merged(self.postings, field, terms, candidates) for terms in (first, second)]
        close = [
            docnum
            for docnum in candidates
            if any(1 <= abs(a - b) <= near.slop for a in where[0].get(docnum, ()) for b in where[1].get(docnum, ()))
        ]
        if not close:
            return _NONE
        ids = np.array(close, np.int32)
        bonus = sum(scores[np.searchsorted(part_ids, ids)] for part_ids, scores in parts)
        return ids, bonus * near.boost

    def _eval(self, node: q.Query) -> TermScores:
        if isinstance(node, q.Term) and node.fieldname in self.postings.fields:
            ids, scores = self.postings.scores(node.fieldname, node.text)
            return (ids, scores * node.boost) if node.boost != 1.0 else (ids, scores)
        if isinstance(node, Tiered):
            ids, scores = self._eval(node.child)
            return ids, scores + TIER
        if type(node) is q.Or:
            parts = [self._eval(child) for child in node.subqueries]
            return self._boosted(node, self._union(parts))
        if type(node) is q.And:
            return self._boosted(node, self._intersection(node.subqueries))
        if isinstance(node, Near):
            self._near.append(node)  # scored later, over the best documents only
            return _NONE
        if type(node) is q.Sequence:
            return self._positional(node)
        return self._whoosh(node)

    @staticmethod
    def _boosted(node: q.CompoundQuery, found: TermScores) -> TermScores:
        # Whoosh applies a compound's boost only when it builds a tree of two parts or more.
        if node.boost != 1.0 and len(node.subqueries) > 1:
            return found[0], found[1] * node.boost
        return found

    def _union(self, parts: list[TermScores]) -> TermScores:
        parts = [part for part in parts if len(part[0])]
        if not parts:
            return _NONE
        if len(parts) == 1:
            return parts[0]
        total = sum(len(ids) for ids, _ in parts)
        if total * 8 > self.postings.size:  # many postings: add them up in dense arrays
            summed = np.zeros(self.postings.size)
            held = np.zeros(self.postings.size, bool)
            for ids, scores in parts:
                summed[ids] += scores  # a part holds each docnum once
                held[ids] = True
            found = np.flatnonzero(held)
            return found.astype(np.int32), summed[found]
        ids = np.concatenate([ids for ids, _ in parts])
        unique, where = np.unique(ids, return_inverse=True)
        summed = np.bincount(where, weights=np.concatenate([s for _, s in parts])).astype(np.float64)
        return unique.astype(np.int32), summed

    def _intersection(self, subqueries: list[q.Query]) -> TermScores:
        positive = [self._eval(s) for s in subqueries if not isinstance(s, q.Not)]
        if not positive:
            return self._whoosh(q.And(subqueries))
        ids = reduce(lambda a, b: np.intersect1d(a, b, assume_unique=True), (p[0] for p in positive))
        scores = np.zeros(len(ids))
        for part_ids, part_scores in positive:
            scores += part_scores[np.searchsorted(part_ids, ids)]
        for excluded in (s for s in subqueries if isinstance(s, q.Not)):
            gone = self._eval(excluded.query)[0]
            keep = ~np.isin(ids, gone, assume_unique=True)
            # Whoosh matches an exclusion with an inverse matcher that scores 1.
            ids, scores = ids[keep], scores[keep] + 1.0
        return ids.astype(np.int32), scores

    def _positional(self, node: q.Sequence, among: NDArray[np.int32] | None = None) -> TermScores:
        """Phrases and proximity: Whoosh reads positions, in the documents that hold every word only."""
        words = [self._eval(s)[0] for s in node.subqueries]
        if among is not None:
            words.append(among)
        holding = reduce(lambda a, b: np.intersect1d(a, b, assume_unique=True), words)
        if not len(holding):
            return _NONE
        return self._whoosh(q.And([_Docs(holding.tolist()), node]))

    def _whoosh(self, node: q.Query) -> TermScores:
        pairs = self.searcher.search(node, limit=None).top_n
        if not pairs:
            return _NONE
        order = sorted(pairs, key=lambda pair: pair[1])
        return (
            np.fromiter((docnum for _, docnum in order), np.int32, len(order)),
            np.fromiter((score for score, _ in order), np.float64, len(order)),
        )
