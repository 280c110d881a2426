"""Ranking: what orders the results of a search.

- ``scoring.py``: BM25F with field weights, blended with recency;
- ``tiers.py``: the articles holding all the words first, then those missing one, and so on;
- ``proximity.py``: a bonus where the words stand close together;
- ``feedback.py``: short queries re-ranked by the subject their best matches share.
"""

from . import feedback
from .proximity import Near, proximity_clauses
from .scoring import RankingConfig, RecencyBM25F, bm25f, published_days
from .tiers import TIER, Tiered, relevance_of, words_held

__all__ = [
    "TIER",
    "Near",
    "RankingConfig",
    "RecencyBM25F",
    "Tiered",
    "bm25f",
    "feedback",
    "proximity_clauses",
    "published_days",
    "relevance_of",
    "words_held",
]
