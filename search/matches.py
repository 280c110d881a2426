"""Every article a query matches, with its score: one evaluation, then the facets, the total and the page.

The query is scored once over arrays (``ranking/evaluation.py``), recency
and feedback applied, and the matches kept best first; the facet counts,
the number holding every word and the page all come from that one pass.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .facets import FacetCounts, Filters
from .query import CompiledQuery
from .ranking import TIER, RankingConfig, feedback
from .request import SearchRequest

__all__ = ["Matches"]


class Matches:
    """The matches of one query, best first, and what the filters allow of them."""

    def __init__(
        self, compiled: CompiledQuery, order: NDArray[np.int32], scores: NDArray[np.float64], counts: FacetCounts
    ):
        self.compiled = compiled
        self.order = order  # docnums, best first (empty without a query)
        self.scores = scores  # their scores, words held included
        self.counts = counts
        if compiled.tiers and len(order):
            allowed = np.zeros(int(order.max()) + 1, bool)
            allowed[counts.allowed] = True
            held = (scores // TIER).astype(np.int64)
            self.all_words = int(np.count_nonzero(allowed[order] & (held >= compiled.tiers)))
        else:
            self.all_words = len(counts.allowed)

    def score_of(self) -> dict[int, float]:
        """Each matched docnum's score."""
        return dict(zip(self.order.tolist(), self.scores.tolist(), strict=True))

    @classmethod
    def find(
        cls, view: Any, request: SearchRequest, compiled: CompiledQuery, filters: Filters, config: RankingConfig
    ) -> Matches:
        """Search once, in score order, and count the facets of what the filters allow."""
        query = compiled.query
        if query is None:
            none = np.zeros(0, np.int32)
            return cls(compiled, none, np.zeros(0), view.facets.count(view.facets.live, filters))
        ids, scores = view.evaluator.run(query, view.live)
        if request.recency and config.recency_weight:
            # Recency lifts the relevance part of a score, never the words held.
            tiers = (scores // TIER) * TIER
            scores = tiers + (scores - tiers) * view.recency_factors[ids]
        best = np.lexsort((ids, -scores))  # by score, then index order, as Whoosh sorts
        order, scores = ids[best], scores[best]
        if compiled.expandable:
            order, scores = feedback.rerank(view.evaluator, view.feedback, order, scores, compiled.stems)
        return cls(compiled, order, scores, view.facets.count(order.tolist(), filters))
