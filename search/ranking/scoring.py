"""Scoring: BM25F with field weights, blended with the age of each article.

News ages: between two equally relevant articles the newer should come
first, yet a weak recent match must not beat a strong older one. The blend
multiplies the relevance score by ``1 + weight * 2 ** (-age / half_life)``:
at most ``1 + weight`` for the newest article, fading with age. Age is
counted from the newest article in the index, not from today, so an archive
of 2017 ranks among itself as it did in 2017. Only the relevance part of a
score is blended: the words an article holds (``tiers.py``) still come first.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from datetime import date
from typing import Any

from whoosh.scoring import BM25F

from .tiers import TIER, words_held

__all__ = ["RankingConfig", "RecencyBM25F", "bm25f", "published_days"]


@dataclass(frozen=True)
class RankingConfig:
    """The knobs of ranking, tuned on ``bench/judgments.jsonl``."""

    B: float = 0.75
    K1: float = 1.2
    # Short fields reward a match less when normalized by length.
    title_B: float = 0.5
    tags_B: float = 0.3
    recency_weight: float = 0.3  # 0 turns recency off
    recency_half_life_days: float = 365.0


def bm25f(config: RankingConfig) -> BM25F:
    """Plain BM25F with the configured parameters."""
    return BM25F(B=config.B, K1=config.K1, title_B=config.title_B, tags_B=config.tags_B)


_MICROSECONDS_A_DAY = 86_400_000_000
_LAST_ORDINAL = date.max.toordinal()


def published_days(reader: Any) -> array:
    """The day (proleptic ordinal) each document was published, -1 when undated."""
    days = array("l", [-1]) * reader.doc_count_all()
    if not reader.has_column("published"):
        return days
    # Raw values: microseconds since datetime.min. An undated document holds
    # the column's default, which is no day at all.
    column = reader.column_reader("published", translate=False)
    for docnum in range(len(days)):
        ordinal = 1 + column[docnum] // _MICROSECONDS_A_DAY
        if 1 < ordinal <= _LAST_ORDINAL:
            days[docnum] = ordinal
    return days


class RecencyBM25F(BM25F):
    """BM25F whose final score is raised for recent articles."""

    use_final = True

    def __init__(self, config: RankingConfig, days: array):
        super().__init__(B=config.B, K1=config.K1, title_B=config.title_B, tags_B=config.tags_B)
        newest = max(days, default=-1)
        weight, half_life = config.recency_weight, config.recency_half_life_days
        self.factors = array("d", [1.0]) * len(days)
        for docnum, day in enumerate(days):
            if day >= 0:
                self.factors[docnum] = 1.0 + weight * 2.0 ** (-(newest - day) / half_life)

    def final(self, searcher: Any, docnum: int, score: float) -> float:
        tiers = words_held(score) * TIER
        return tiers + (score - tiers) * self.factors[docnum]
