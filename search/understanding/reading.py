"""What the engine understands of a query, and the settings it understands it with.

An ``Understanding`` is made once per engine (its synonym list parsed once);
each search yields an ``Understood``: the words searched, the date read in
them (if any) and the synonyms added, which the page and the API report.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..request import Period, SearchRequest
from ..syntax import has_dates
from .dates import DateReading, read_dates
from .synonyms import Expansion, Synonyms, shipped_synonyms

if TYPE_CHECKING:  # query.py reads the synonyms of this package
    from ..query import CompiledQuery, QueryBuilder

__all__ = ["DEFAULT_TIMEZONE", "Understanding", "Understood", "time_zone"]

# Relative dates (« hier ») count from today where the site is.
DEFAULT_TIMEZONE = "Africa/Casablanca"


def time_zone(name: str) -> ZoneInfo:
    """The time zone of a setting, or a ValueError that says what is expected.

    >>> time_zone("Europe/Paris").key
    'Europe/Paris'
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (expected an IANA name such as Africa/Casablanca)") from None


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Understanding:
    """How an engine reads queries: its synonym list, the site's time zone, and a clock."""

    synonyms: Synonyms = field(default_factory=shipped_synonyms)
    zone: ZoneInfo = field(default_factory=lambda: time_zone(DEFAULT_TIMEZONE))
    clock: Callable[[], datetime] = _utc_now  # tests pass a fixed one

    def today(self) -> date:
        """Today where the site is."""
        return self.clock().astimezone(self.zone).date()

    def read_dates(self, text: str) -> DateReading | None:
        """The date written in words in ``text``, counted from today."""
        return read_dates(text, self.today())

    def read(
        self, builder: QueryBuilder, request: SearchRequest, text: str
    ) -> tuple[CompiledQuery, Understood, SearchRequest]:
        """The query of ``text`` with its synonyms, what was understood, and the request to search.

        The request searched is ``request`` with the period read in the words,
        unless ``from``/``to`` or a ``date:`` field gave one: what is explicit wins.
        """
        dates = self.read_dates(text) if request.understand else None
        searched_text = dates.text if dates else text
        compiled = builder.compile(searched_text, synonyms=request.understand)
        applied = dates is not None and request.period is None and not has_dates(compiled.tree)
        understood = Understood(text, searched_text, dates, applied, compiled.expansions)
        searched = request.with_changes(period=dates.period) if applied and dates else request
        return compiled, understood, searched


def _quoted(query: str, start: int, end: int) -> str:
    return f'{query[:start]}"{query[start:end]}"{query[end:]}'


@dataclass
class Understood:
    """What a query was understood to mean."""

    query: str  # as typed
    text: str = ""  # the words searched: the query without its date in words
    dates: DateReading | None = None
    applied: bool = False  # whether that date filters: an explicit date: or from/to wins
    expansions: list[Expansion] = field(default_factory=list)

    @property
    def period(self) -> Period | None:
        """The period read in the words, when it is the one that filters."""
        return self.dates.period if self.dates and self.applied else None

    def without_dates(self) -> str:
        """The query with its date in words taken out (the period chip's removal)."""
        return self.dates.text if self.dates else self.query

    def literal_dates(self) -> str:
        """The query with its date in words quoted, so that it is searched as words."""
        if self.dates is None:
            return self.query
        return _quoted(self.query, self.dates.start, self.dates.end)

    def literal_word(self, expansion: Expansion) -> str:
        """The query with an expanded word quoted, so that it is searched alone, without synonyms."""
        words = r"\s+".join(re.escape(word) for word in expansion.word.split())
        match = re.search(rf'(?<![\w"])({words})(?![\w"])', self.query)
        return _quoted(self.query, *match.span(1)) if match else f'"{expansion.word}"'

    def to_dict(self) -> dict[str, Any]:
        """What was understood, as JSON-ready data."""
        period = None
        if self.dates:
            span = self.dates.period
            period = {
                "words": self.dates.words,
                "label": self.dates.label,
                "from": span.start.isoformat() if span.start else None,
                "to": span.end.isoformat() if span.end else None,
                "applied": self.applied,
            }
        return {"text": self.text, "period": period, "expansions": [e.to_dict() for e in self.expansions]}
