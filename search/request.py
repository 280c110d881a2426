"""What a search asks for, validated once for the terminal, the page and the API."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

__all__ = [
    "MAX_PER_PAGE",
    "SORTS",
    "InvalidParameter",
    "Period",
    "SearchRequest",
    "parse_day",
    "parse_period",
    "parse_request",
]

SORTS = ("relevance", "newest", "oldest")
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 10
# Past this page a person is not reading any more; a program should narrow.
MAX_PAGE = 10_000
# Beyond this, a query is not something a person typed: it is refused, named,
# rather than cut without a word (and it still fits a request line of 8 KB).
MAX_QUERY_CHARS = 1000

_DAY = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


class InvalidParameter(ValueError):
    """A request parameter that cannot be used, named with the reason."""

    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


@dataclass(frozen=True)
class Period:
    """An inclusive range of days; either end may be open."""

    start: date | None = None
    end: date | None = None

    def contains(self, day: date | None) -> bool:
        """Whether ``day`` falls in the period (an undated article never does)."""
        if day is None:
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    @property
    def year(self) -> int | None:
        """The year when the period is exactly one calendar year."""
        if self.start and self.end and self.start == date(self.start.year, 1, 1):
            if self.end == date(self.start.year, 12, 31):
                return self.start.year
        return None

    @property
    def within_year(self) -> int | None:
        """The year when the period lies inside a single calendar year."""
        if self.start and self.end and self.start.year == self.end.year:
            return self.start.year
        return None

    def label(self) -> str:
        """A compact name: ``2026``, ``2026-03``, ``2026-03-06`` or ``2026-01-01..2026-03-31``."""
        start, end = self.start, self.end
        if start and end:
            if self.year:
                return str(self.year)
            if start.day == 1 and end == month_end(start.year, start.month):
                return f"{start.year}-{start.month:02d}"
            if start == end:
                return start.isoformat()
        return f"{start.isoformat() if start else ''}..{end.isoformat() if end else ''}"


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def _bounds(text: str, param: str) -> tuple[date, date]:
    """The first and last day of ``2026``, ``2026-03`` or ``2026-03-06``."""
    match = _DAY.fullmatch(text.strip())
    if not match:
        raise InvalidParameter(param, f"{text!r} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)  # type: ignore[arg-type]
        if day is None:
            return date(year, month, 1), month_end(year, month)  # type: ignore[arg-type]
        exact = date(year, month, day)  # type: ignore[arg-type]
    except ValueError as error:
        raise InvalidParameter(param, f"{text!r} is not a date ({error})") from None
    return exact, exact


def parse_day(text: str, param: str, *, end: bool = False) -> date:
    """A day from ``YYYY[-MM[-DD]]``: the first day of the span, or its last with ``end``."""
    first, last = _bounds(text, param)
    return last if end else first


def parse_period(text: str, param: str = "date") -> Period:
    """``2026``, ``2026-03``, ``2026-03-06``, or a range ``2026-01..2026-03`` (ends optional)."""
    if ".." in text:
        low, _, high = text.partition("..")
        start = parse_day(low, param) if low.strip() else None
        end = parse_day(high, param, end=True) if high.strip() else None
        if start and end and start > end:
            raise InvalidParameter(param, f"the range {text!r} ends before it starts")
        return Period(start, end)
    start, end = _bounds(text, param)
    return Period(start, end)


@dataclass(frozen=True)
class SearchRequest:
    """One search: query text, filters, order and page."""

    q: str = ""
    tags: tuple[str, ...] = ()
    category: str | None = None
    author: str | None = None
    period: Period | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    recency: bool = True
    correct: bool = True  # when nothing matches, show what the spelling suggestion finds
    understand: bool = True  # read dates in words and add synonyms (off: the words literally)

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise InvalidParameter("sort", f"{self.sort!r} is not one of {', '.join(SORTS)}")
        if not 1 <= self.page <= MAX_PAGE:
            raise InvalidParameter("page", f"must be a whole number from 1 to {MAX_PAGE}")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise InvalidParameter("per_page", f"must be a whole number from 1 to {MAX_PER_PAGE}")

    def with_changes(self, **changes: object) -> SearchRequest:
        """A copy with some fields changed (and validated again)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def to_params(self) -> dict[str, str | list[str]]:
        """The query-string parameters of this request, defaults left out (the inverse of ``parse_request``)."""
        params: dict[str, str | list[str]] = {}
        if self.q:
            params["q"] = self.q
        if self.tags:
            params["tag"] = list(self.tags)
        if self.category:
            params["category"] = self.category
        if self.author:
            params["author"] = self.author
        if self.period and self.period.start:
            params["from"] = self.period.start.isoformat()
        if self.period and self.period.end:
            params["to"] = self.period.end.isoformat()
        if self.sort != "relevance":
            params["sort"] = self.sort
        if self.page != 1:
            params["page"] = str(self.page)
        if self.per_page != DEFAULT_PER_PAGE:
            params["per_page"] = str(self.per_page)
        if not self.recency:
            params["recency"] = "0"
        if not self.correct:
            params["correct"] = "0"
        if not self.understand:
            params["understand"] = "0"
        return params

    @property
    def has_filters(self) -> bool:
        """Whether anything narrows the results besides the query text."""
        return bool(self.tags or self.category or self.author or self.period)


def _one(params: Mapping[str, list[str]], name: str) -> str | None:
    values = [v for v in params.get(name, []) if v.strip()]
    if len(values) > 1:
        raise InvalidParameter(name, "may be given only once")
    return values[0].strip() if values else None


def _whole_number(text: str | None, name: str, default: int) -> int:
    if text is None:
        return default
    if not re.fullmatch(r"\+?\d{1,9}", text):
        raise InvalidParameter(name, f"{text!r} is not a whole number")
    return int(text)


def _switch(params: Mapping[str, list[str]], name: str) -> bool:
    value = _one(params, name)
    if value not in (None, "0", "1", "true", "false"):
        raise InvalidParameter(name, f"{value!r} is not 0 or 1")
    return value not in ("0", "false")


def _clean_query(text: str) -> str:
    text = text.strip()
    if len(text) > MAX_QUERY_CHARS:
        raise InvalidParameter("q", f"must be at most {MAX_QUERY_CHARS} characters long, not {len(text)}")
    # Control characters are never meant; they would only reach the analyzer.
    return "".join(c if c.isprintable() or c in "\t\n" else " " for c in text).strip()


def parse_request(params: Mapping[str, list[str]] | Iterable[tuple[str, str]]) -> SearchRequest:
    """Build a request from query-string parameters; raise InvalidParameter naming the bad one.

    Parameters: ``q``, ``tag`` (repeatable), ``category``, ``author``, ``from``,
    ``to``, ``sort``, ``page``, ``per_page``, ``recency``, ``correct`` and
    ``understand`` (``0``/``1``).
    Unknown parameters are ignored.
    """
    if not isinstance(params, Mapping):
        grouped: dict[str, list[str]] = {}
        for name, value in params:
            grouped.setdefault(name, []).append(value)
        params = grouped
    start = _one(params, "from")
    end = _one(params, "to")
    period = None
    if start or end:
        low = parse_day(start, "from") if start else None
        high = parse_day(end, "to", end=True) if end else None
        if low and high and low > high:
            raise InvalidParameter("to", f"{end!r} is before from={start!r}")
        period = Period(low, high)
    switches = {name: _switch(params, name) for name in ("recency", "correct", "understand")}
    tags = tuple(dict.fromkeys(t.strip() for t in params.get("tag", []) if t.strip()))
    return SearchRequest(
        q=_clean_query(" ".join(params.get("q", []))),
        tags=tags,
        category=_one(params, "category"),
        author=_one(params, "author"),
        period=period,
        sort=_one(params, "sort") or "relevance",
        page=_whole_number(_one(params, "page"), "page", 1),
        per_page=_whole_number(_one(params, "per_page"), "per_page", DEFAULT_PER_PAGE),
        **switches,
    )
