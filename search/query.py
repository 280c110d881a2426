"""User text → a Whoosh query. Never raises on what a user types.

For now the language is plain words (all required) and ``"quoted phrases"``;
each word or phrase may match in any text field. A word the analyzer splits
(``Moyen-Orient``, ``États-Unis``) is matched as a phrase, never as loose
words, and the two terms an accented word yields are alternatives.
"""

from __future__ import annotations

import re
from collections.abc import Sequence as Seq

from whoosh import query as q
from whoosh.analysis import Analyzer
from whoosh.fields import Schema

__all__ = ["parse_user_query", "user_units"]

_UNIT = re.compile(r'"([^"]*)"?|([^\s"]+)')
# Beyond this, a query is not something a person typed: the rest is ignored.
MAX_QUERY_CHARS = 1000


def user_units(text: str) -> list[str]:
    """Split user text into words and phrases.

    >>> user_units('le "moyen orient" 2026 "non fermé')
    ['le', 'moyen orient', '2026', 'non fermé']
    """
    text = text[:MAX_QUERY_CHARS]
    return [phrase or word for phrase, word in _UNIT.findall(text) if phrase or word]


def _positions(analyzer: Analyzer, text: str) -> list[list[str]]:
    """The terms of ``text`` grouped by position (alternatives share one)."""
    groups: dict[int, list[str]] = {}
    for token in analyzer(text, positions=True, mode="query"):
        terms = groups.setdefault(token.pos, [])
        if token.text not in terms:
            terms.append(token.text)
    return [groups[pos] for pos in sorted(groups)]


def _field_query(field: str, groups: list[list[str]]) -> q.Query:
    parts = [q.Term(field, t[0]) if len(t) == 1 else q.Or([q.Term(field, term) for term in t]) for t in groups]
    return parts[0] if len(parts) == 1 else q.Sequence(parts)


def parse_user_query(text: str, schema: Schema, fields: Seq[str]) -> q.Query | None:
    """The query for ``text`` over ``fields``, or None when it has no searchable word."""
    analyzer = schema[fields[0]].analyzer
    units = []
    for unit in user_units(text):
        groups = _positions(analyzer, unit)
        if groups:
            units.append(q.Or([_field_query(field, groups) for field in fields]))
    if not units:
        return None
    return units[0] if len(units) == 1 else q.And(units)
