"""Proximity: words typed apart rank higher where the article has them close together.

A reader who types ``moyen orient`` means ``Moyen-Orient`` more often than
"means" and "Orient" three paragraphs apart. Each pair of consecutive query
words adds an optional clause that matches only where the two stand within
``SLOP`` positions of each other, in either order, in one field: it adds to
the score of those articles and matches nothing new.

Reading positions is the costliest part of a search, so the bonus is
computed for the ``WINDOW`` best articles by everything else
(``evaluation.py``): a bonus this size does not lift an article from
further down into the first page.
"""

from __future__ import annotations

from collections.abc import Sequence

from whoosh import query as q

from ..analysis import is_exact

__all__ = ["PROXIMITY_BOOST", "SLOP", "WINDOW", "Near", "proximity_clauses"]

# How far apart two words may stand (stop words are not counted) and still be "together".
SLOP = 3
PROXIMITY_BOOST = 0.5
# How many of the best articles get their proximity bonus computed.
WINDOW = 100
# Where words standing together mean something: tags, bylines and rubrics are lists, not prose.
NEAR_FIELDS = ("title", "lede", "body")

Group = list[str]  # the alternative terms of one word


class Near(q.Sequence):
    """Two words within ``SLOP`` positions of each other in one field, in either order: a bonus."""


def _either(field: str, group: Group) -> q.Query:
    stems = [term for term in group if not is_exact(term)] or group
    return q.Term(field, stems[0]) if len(stems) == 1 else q.Or([q.Term(field, t) for t in stems])


def proximity_clauses(words: Sequence[Group], fields: Sequence[str]) -> list[q.Query]:
    """One clause per pair of consecutive words and per field (none for a single word)."""
    clauses: list[q.Query] = []
    fields = [f for f in fields if f in NEAR_FIELDS]
    for first, second in zip(words, words[1:], strict=False):
        for field in fields:
            pair = [_either(field, first), _either(field, second)]
            clauses.append(Near(pair, slop=SLOP, ordered=False, boost=PROXIMITY_BOOST))
    return clauses
