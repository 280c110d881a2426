"""Filters and facet counts over a whole result set.

Per open index, each document's tag keys, author keys, rubric key and day
are read once into lists; a search then filters and counts in one pass over
the documents its query matched.

Counts say what a click gives: a tag narrows (an article must carry every
selected tag), so a tag's count is taken over the current results; rubric,
author and period are single choices that a click replaces, so their counts
are taken over the results filtered by everything else.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .article import split_authors, tag_key
from .request import Period, SearchRequest, month_end

__all__ = ["FacetCounts", "FacetData", "FacetValue", "Filters", "TimelineBar", "period_values", "timeline"]

MONTHS_FR = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
MONTHS_FR_SHORT = "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.".split()


@dataclass
class FacetValue:
    """One value of a facet: what it shows, how many results a click gives, whether it is on."""

    value: str
    count: int
    selected: bool = False
    label: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The value as JSON-ready data."""
        return {"value": self.value, "count": self.count, "selected": self.selected}


@dataclass(frozen=True)
class Filters:
    """A request's filters as index keys."""

    tags: tuple[str, ...] = ()
    category: str | None = None
    author: str | None = None
    start: int | None = None  # day ordinals, inclusive
    end: int | None = None

    @classmethod
    def of(cls, request: SearchRequest) -> Filters:
        """The keys of a request's filters."""
        period = request.period or Period()
        return cls(
            tags=tuple(dict.fromkeys(tag_key(t) for t in request.tags if tag_key(t))),
            category=tag_key(request.category) if request.category else None,
            author=tag_key(request.author) if request.author else None,
            start=period.start.toordinal() if period.start else None,
            end=period.end.toordinal() if period.end else None,
        )

    def in_period(self, day: int) -> bool:
        """Whether a day ordinal (-1: undated) passes the period filter."""
        if self.start is None and self.end is None:
            return True
        return day >= 0 and (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


@dataclass
class FacetCounts:
    """What one pass over the matched documents found."""

    allowed: list[int] = field(default_factory=list)
    tags: Counter[str] = field(default_factory=Counter)
    categories: Counter[str] = field(default_factory=Counter)
    authors: Counter[str] = field(default_factory=Counter)
    days: Counter[int] = field(default_factory=Counter)  # day ordinal, for periods


class _Keyed:
    """The keys of one facet for every document, as arrays: which keys each holds, which hold each."""

    def __init__(self, reader: Any, fieldname: str, size: int):
        self.keys: list[str] = []
        holders: list[NDArray[np.int32]] = []
        for term in reader.lexicon(fieldname):
            self.keys.append(term.decode("utf-8"))
            holders.append(np.fromiter(reader.postings(fieldname, term).all_ids(), np.int32))
        self.holders = holders  # key number -> docnums holding it
        self.index = {key: number for number, key in enumerate(self.keys)}
        # Each document's key numbers, in one array cut at ``starts`` (compressed sparse rows).
        pairs = sorted((int(docnum), number) for number, docs in enumerate(holders) for docnum in docs)
        self.numbers = np.fromiter((number for _, number in pairs), np.int32, len(pairs))
        per_doc = np.bincount(np.fromiter((d for d, _ in pairs), np.int64, len(pairs)), minlength=size)
        self.starts = np.concatenate([[0], np.cumsum(per_doc)]).astype(np.int64)

    def held(self, docnums: NDArray[np.int32], key: str) -> NDArray[np.bool_]:
        """Whether each document holds ``key``."""
        number = self.index.get(key)
        if number is None:
            return np.zeros(len(docnums), bool)
        return np.isin(docnums, self.holders[number])

    def count(self, docnums: NDArray[np.int32]) -> Counter[str]:
        """How many of the documents hold each key."""
        starts, ends = self.starts[docnums], self.starts[docnums + 1]
        lengths = ends - starts
        total = int(lengths.sum())
        if not total:
            return Counter()
        # The positions of every document's keys, gathered without a loop.
        offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
        numbers = self.numbers[offsets + np.arange(total)]
        tally = np.bincount(numbers, minlength=len(self.keys))
        return Counter({self.keys[n]: int(tally[n]) for n in np.flatnonzero(tally)})


class FacetData:
    """Each document's facet keys, read once per open index."""

    def __init__(self, reader: Any, days: array):
        size = reader.doc_count_all()
        self.reader = reader
        self.days = days
        self.day_array = np.asarray(days, np.int64)
        self.live = [docnum for docnum in range(size) if not reader.is_deleted(docnum)]
        self.tags = _Keyed(reader, "tag_key", size)
        self.authors = _Keyed(reader, "author_key", size)
        keys = reader.column_reader("category_key")
        names = reader.column_reader("category")
        categories = [keys[n] for n in range(size)]
        self.category_keys = sorted(set(categories))
        number = {key: n for n, key in enumerate(self.category_keys)}
        self.categories = np.fromiter((number[key] for key in categories), np.int32, size)
        self.category_names: dict[str, str] = {}
        for docnum in self.live:
            self.category_names.setdefault(categories[docnum], names[docnum])
        self._names: dict[tuple[str, str], str] = {}

    def count(self, matched: Iterable[int], filters: Filters) -> FacetCounts:
        """Filter the matched documents (kept in their order) and count every facet."""
        docnums = np.fromiter(matched, np.int32)
        everything = np.ones(len(docnums), bool)
        ok_tags = everything.copy()
        for key in filters.tags:
            ok_tags &= self.tags.held(docnums, key)
        ok_author = self.authors.held(docnums, filters.author) if filters.author is not None else everything
        categories = self.categories[docnums]
        if filters.category is None:
            ok_category = everything
        elif filters.category in self.category_keys:
            ok_category = categories == self.category_keys.index(filters.category)
        else:
            ok_category = ~everything
        days = self.day_array[docnums]
        ok_period = everything.copy()
        if filters.start is not None or filters.end is not None:
            ok_period = days >= 0
            if filters.start is not None:
                ok_period &= days >= filters.start
            if filters.end is not None:
                ok_period &= days <= filters.end
        counts = FacetCounts()
        # Each facet is counted with every filter but its own: what a click on one of its values gives.
        in_rubrics = categories[ok_tags & ok_author & ok_period]
        tally = np.bincount(in_rubrics, minlength=len(self.category_keys))
        # An article without a rubric counts under none: there is no value to click.
        counts.categories = Counter({self.category_keys[n]: int(tally[n]) for n in np.flatnonzero(tally)})
        counts.categories.pop("", None)
        counts.authors = self.authors.count(docnums[ok_tags & ok_category & ok_period])
        day_values, day_counts = np.unique(days[ok_tags & ok_category & ok_author], return_counts=True)
        counts.days = Counter(dict(zip(day_values.tolist(), day_counts.tolist(), strict=True)))
        allowed = docnums[ok_tags & ok_category & ok_author & ok_period]
        counts.allowed = allowed.tolist()
        counts.tags = self.tags.count(allowed)
        return counts

    def display(self, field_name: str, key: str) -> str:
        """The spelling an article uses for a tag or author key (``sergueï lavrov`` → ``Sergueï Lavrov``)."""
        if field_name == "category_key":
            return self.category_names.get(key, key)
        cached = self._names.get((field_name, key))
        if cached is not None:
            return cached
        stored = "tag_names" if field_name == "tag_key" else "author"
        name = key
        if not self.reader.doc_frequency(field_name, key):  # a filter on a value no article has
            return name
        for docnum in self.reader.postings(field_name, key.encode("utf-8")).all_ids():
            values = self.reader.stored_fields(docnum).get(stored) or []
            if isinstance(values, str):
                values = split_authors(values)
            match = next((v for v in values if tag_key(v) == key), None)
            if match:
                name = match
                break
        self._names[(field_name, key)] = name
        return name


def period_values(days: Counter[int], period: Period | None) -> list[FacetValue]:
    """Years, or the months of the selected year, with their counts (newest first)."""
    year = period.within_year if period else None
    selected = period.label() if period else None
    totals: Counter[str] = Counter()
    for day, count in days.items():
        if day < 0:
            continue
        when = date.fromordinal(day)
        if year is None:
            totals[str(when.year)] += count
        elif when.year == year:
            totals[f"{when.year}-{when.month:02d}"] += count
    values = []
    for value in sorted(totals, reverse=True):
        label = value if len(value) == 4 else f"{MONTHS_FR[int(value[5:]) - 1]} {value[:4]}"
        values.append(FacetValue(value, totals[value], value == selected, label))
    return values


@dataclass
class TimelineBar:
    """Matching articles in one month or year, and the period a click selects."""

    label: str  # "mars 2025" or "2025"
    short: str  # "mars" or "2025", under the bar
    period: Period
    count: int
    selected: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The bar as JSON-ready data."""
        return {
            "label": self.label,
            "from": self.period.start.isoformat() if self.period.start else None,
            "to": self.period.end.isoformat() if self.period.end else None,
            "count": self.count,
            "selected": self.selected,
        }


# Up to this many months a timeline counts months; past it, years.
TIMELINE_MONTHS = 36


def _covers(period: Period | None, span: Period) -> bool:
    """Whether a bounded ``period`` contains the whole ``span``."""
    if period is None or period.start is None or period.end is None:
        return False
    return period.start <= span.start and span.end <= period.end  # type: ignore[operator]


def timeline(days: Counter[int], period: Period | None) -> list[TimelineBar]:
    """Results per month (per year over long spans), gaps included, oldest first.

    ``days`` are counted without the period filter, so the chart shows where
    the selected period sits among all the results.
    """
    dated = [date.fromordinal(day) for day, count in days.items() if day >= 0 and count]
    if not dated:
        return []
    first, last = min(dated), max(dated)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    totals: Counter[tuple[int, int]] = Counter()
    by_month = months <= TIMELINE_MONTHS
    for day, count in days.items():
        if day >= 0:
            when = date.fromordinal(day)
            totals[(when.year, when.month if by_month else 0)] += count
    bars = []
    year, month = first.year, first.month if by_month else 0
    while (year, month) <= (last.year, last.month if by_month else 0):
        if by_month:
            span = Period(date(year, month, 1), month_end(year, month))
            label, short = f"{MONTHS_FR[month - 1]} {year}", MONTHS_FR_SHORT[month - 1]
        else:
            span = Period(date(year, 1, 1), date(year, 12, 31))
            label = short = str(year)
        selected = _covers(period, span)
        bars.append(TimelineBar(label, short, span, totals[(year, month)], selected))
        if by_month:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        else:
            year += 1
    return bars
