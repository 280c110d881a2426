"""All words first: the number of the query's words an article holds ranks before its score.

A query of plain words matches the articles holding any of them (nothing that
answers is dropped), and orders them by how many of the words they hold, then
by relevance: Meilisearch's ``last`` matching strategy, Elasticsearch's
``minimum_should_match`` turned into an order. Each word's query is wrapped
so that a match adds ``TIER`` to the score; a document's score is then
``words held × TIER + relevance``, which one ordinary Whoosh search sorts,
and from which both parts read back.
"""

from __future__ import annotations

from typing import Any

from whoosh import matching
from whoosh import query as q

__all__ = ["TIER", "Tiered", "relevance_of", "words_held"]

# Far above any relevance a document can reach, far below float precision.
TIER = 1_000_000.0


def words_held(score: float) -> int:
    """How many tiered words a document matched, from its score."""
    return int(score // TIER)


def relevance_of(score: float) -> float:
    """The relevance part of a score, the words held taken out."""
    return score - words_held(score) * TIER


class _OffsetMatcher(matching.WrappingMatcher):
    """Adds a constant to every score of its child (the constant rides in ``boost``)."""

    def replace(self, minquality: float = 0) -> Any:
        child = self.child.replace(max(0.0, minquality - self.boost))
        if not child.is_active():
            return _OffsetMatcher(child, boost=TIER)
        return self if child is self.child else self._replacement(child)

    def score(self) -> float:
        return self.child.score() + self.boost

    def max_quality(self) -> float:
        return self.child.max_quality() + self.boost

    def block_quality(self) -> float:
        return self.child.block_quality() + self.boost

    def skip_to_quality(self, minquality: float) -> Any:
        return self.child.skip_to_quality(max(0.0, minquality - self.boost))


class Tiered(q.WrappingQuery):
    """A word of the query: matching it lifts a document one tier."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.child == self.child  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return super().__hash__()

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        child = self.child.matcher(searcher, context)
        if not child.is_active():
            return _OffsetMatcher(child, boost=TIER)
        return _OffsetMatcher(child, boost=TIER)
