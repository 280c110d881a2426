"""Dates written in words: « septembre 2017 », « hier », « du 3 au 10 mars 2026 » → a period.

The rule, pinned by the table in ``tests/test_dates.py``:

- Read as a period of publication, and taken out of the words searched:
  a month and year (``septembre 2017``, ``sept. 2017``); a day
  (``6 mars 2026``, ``le 1er mars 2026``, ``06/03/2026``, ``2026-03-06``);
  a year, a month or a day after ``en``, ``depuis``, ``avant``, ``après``;
  a range ``entre … et …``, ``du … au …``, ``de … à …`` (``entre mars et mai
  2017``: the year written once serves both ends); and the relative dates
  ``aujourd'hui``, ``hier``, ``avant-hier``, ``cette semaine``, ``la semaine
  dernière``, ``ce mois-ci``, ``le mois dernier``, ``cette année``, ``l'an
  dernier`` (``l'année dernière``), also after ``depuis``.
- Left as words, because news uses them as names: a year alone (``Mondial
  2030``, ``PLF 2026``), numbers glued to letters (``COP30``, ``G20``), a
  month alone (``Octobre rouge``), a day and month without a year nor a
  preposition (``14 juillet``, ``rue du 4 Septembre``), a two-digit year
  (``Mai 68``), a year before 1900 or after 2099, a year joined to another
  (``saison 2017-2018``), whatever is quoted, excluded or in a field.
- In a question, dates stay words unless relative: « Qui était maire de
  Shanghai en 2010 ? » asks about 2010, not about what was published then.
- One date is read, the first; a month or day written without a year is the
  latest one that has begun by ``today``.

Everything here is compiled once: reading a query costs a few regex searches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..questions import is_question
from ..request import Period, month_end
from .labels import french_period

__all__ = ["DateReading", "read_dates"]

_MONTH_NAMES = {
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "fév": 2, "fev": 2,
    "mars": 3, "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8,
    "septembre": 9, "sept": 9, "sep": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11,
    "décembre": 12, "decembre": 12, "déc": 12, "dec": 12,
}  # fmt: skip
_FULL = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
_SHORT = "janv|févr|fevr|fév|fev|avr|juil|sept|sep|oct|nov|déc|dec"  # longest first: « sept » before « sep »
_MONTH = rf"(?:{_FULL}|(?:{_SHORT})\.?)(?![^\W\d_])"
_DAY = r"(?:1er|0?[1-9]|[12]\d|3[01])(?!\d)"
_YEAR = r"(?:19|20)\d\d(?![^\W_]|[-/]\d|\.\d)"
_APOSTROPHE = "['’]"
_LE = r"(?:le\s+)?"


def _point(p: str, partial: bool) -> str:
    """A day, month or year; with ``partial``, also a month or a day and month without a year."""
    forms = [
        rf"{_LE}(?P<{p}d>{_DAY})\s+(?P<{p}m>{_MONTH})\s+(?P<{p}y>{_YEAR})",
        rf"(?P<{p}nd>{_DAY})/(?P<{p}nm>0?[1-9]|1[0-2])/(?P<{p}ny>{_YEAR})",
        rf"(?P<{p}iy>(?:19|20)\d\d)-(?P<{p}im>0[1-9]|1[0-2])-(?P<{p}id>0[1-9]|[12]\d|3[01])(?!\d)",
        rf"(?P<{p}my_m>{_MONTH})\s+(?P<{p}my_y>{_YEAR})",
    ]
    if partial:
        forms += [
            rf"{_LE}(?P<{p}dm_d>{_DAY})\s+(?P<{p}dm_m>{_MONTH})(?!\s+\d)",
            rf"(?P<{p}m_m>{_MONTH})(?!\s*\d)",
            rf"(?P<{p}y_y>{_YEAR})",
        ]
    return "(?:" + "|".join(forms) + ")"


_RELATIVE_FORMS = {
    "today": rf"aujourd{_APOSTROPHE}hui",
    "before_yesterday": r"avant[\s-]hier",
    "yesterday": r"hier",
    "this_week": r"cette\s+semaine",
    "last_week": r"(?:la\s+)?semaine\s+(?:derni[eè]re|pass[ée]e)",
    "this_month": r"ce\s+mois(?:-ci)?",
    "last_month": r"(?:le\s+)?mois\s+(?:dernier|pass[ée])",
    "this_year": r"cette\s+ann[ée]e",
    "last_year": rf"(?:l{_APOSTROPHE})?(?:an\s+(?:dernier|pass[ée])|ann[ée]e\s+(?:derni[eè]re|pass[ée]e))",
}
_RELATIVE = "|".join(f"(?P<r_{name}>{form})" for name, form in _RELATIVE_FORMS.items())
_SINCE_RELATIVE = "|".join(f"(?P<s_{name}>{form})" for name, form in _RELATIVE_FORMS.items())

# Absolute dates; relative ones are read apart, in questions too.
_ABSOLUTE = re.compile(
    rf"""(?<![\w'’/.-])(?:
        (?P<range>entre\s+|du\s+|de\s+|d{_APOSTROPHE})
            (?:{_LE}(?P<x_day>{_DAY})(?=\s+(?:et|au|à|a)\s)|{_point("x_", True)})
            \s+(?:et|au|à|a|jusqu{_APOSTROPHE}au)\s+{_point("y_", True)}
        | (?P<prep>depuis|avant|après|apres|en)\s+{_point("p_", True)}
        | {_point("a_", False)}
    )(?![\w'’-])""",
    re.IGNORECASE | re.VERBOSE,
)
_RELATIVE_DATE = re.compile(
    rf"(?<![\w'’/.-])(?:depuis\s+(?:{_SINCE_RELATIVE})|{_RELATIVE})(?![\w'’-])",
    re.IGNORECASE,
)
# What a date in words never comes from: quoted text, a field's value.
_PROTECTED = re.compile(r'"[^"]*"?|[^\W\d_]+:(?:"[^"]*"?|[^\s()"]*)')
_OPERATORS = {"NOT", "SAUF", "OR", "OU", "AND", "ET"}


@dataclass(frozen=True)
class DateReading:
    """A date found in the words of a query."""

    period: Period
    start: int  # where its words stand in the query
    end: int
    words: str  # as typed: « septembre 2017 »
    text: str  # the query without them
    label: str  # the period in French: « septembre 2017 »


def _latest(month: int, day: int | None, today: date) -> date:
    """The latest first of ``month`` (or ``day`` of it) that has begun by today."""
    year = today.year
    first = date(year, month, day or 1)
    return first if first <= today else date(year - 1, month, day or 1)


def _month_number(text: str) -> int:
    return _MONTH_NAMES[text.lower().rstrip(".")]


def _day_number(text: str) -> int:
    return 1 if text.lower() == "1er" else int(text)


Span = tuple[date, date]


def _span(match: re.Match[str], p: str, today: date, year: int | None = None) -> Span | None:
    """The first and last day a point stands for (``year`` fills a missing year, for ranges)."""
    g = match.group
    if g(f"{p}d"):
        day = date(int(g(f"{p}y")), _month_number(g(f"{p}m")), _day_number(g(f"{p}d")))
        return day, day
    if g(f"{p}nd"):
        day = date(int(g(f"{p}ny")), int(g(f"{p}nm")), _day_number(g(f"{p}nd")))
        return day, day
    if g(f"{p}iy"):
        day = date(int(g(f"{p}iy")), int(g(f"{p}im")), int(g(f"{p}id")))
        return day, day
    if g(f"{p}my_m"):
        month, year_of = _month_number(g(f"{p}my_m")), int(g(f"{p}my_y"))
        return date(year_of, month, 1), month_end(year_of, month)
    if g(f"{p}dm_d"):
        month, day_of = _month_number(g(f"{p}dm_m")), _day_number(g(f"{p}dm_d"))
        day = date(year, month, day_of) if year else _latest(month, day_of, today)
        return day, day
    if g(f"{p}m_m"):
        month = _month_number(g(f"{p}m_m"))
        first = date(year, month, 1) if year else _latest(month, None, today)
        return first, month_end(first.year, month)
    if g(f"{p}y_y"):
        year_of = int(g(f"{p}y_y"))
        return date(year_of, 1, 1), date(year_of, 12, 31)
    return None


def _range(match: re.Match[str], today: date) -> Period | None:
    """``entre X et Y``, ``du X au Y``: X takes what it lacks (day's month, year) from Y."""
    last = _span(match, "y_", today)
    if last is None:
        return None
    end = last[1]
    if match.group("x_day"):
        if match.group("y_y_y"):  # « de 3 à 2017 » is no range of days
            return None
        start = end.replace(day=_day_number(match.group("x_day")))
    else:
        first = _span(match, "x_", today, year=end.year)
        if first is None:
            return None
        start = first[0]
        written = match.group("x_d") or match.group("x_nd") or match.group("x_iy") or match.group("x_my_m")
        if start > end and not written and not match.group("x_y_y"):
            start = start.replace(year=start.year - 1)  # « entre novembre et février 2018 »
    return Period(start, end) if start <= end else None


def _preposition(match: re.Match[str], today: date) -> Period | None:
    span = _span(match, "p_", today)
    if span is None:
        return None
    word = match.group("prep").lower()
    if word == "depuis":
        return Period(span[0], None)
    if word == "avant":
        return Period(None, span[0] - timedelta(days=1))
    if word in ("après", "apres"):
        return Period(span[1] + timedelta(days=1), None)
    return Period(*span)


def _relative(name: str, today: date) -> Span:
    monday = today - timedelta(days=today.weekday())
    first_of_month = today.replace(day=1)
    previous_month = first_of_month - timedelta(days=1)
    spans = {
        "today": (today, today),
        "yesterday": (today - timedelta(days=1),) * 2,
        "before_yesterday": (today - timedelta(days=2),) * 2,
        "this_week": (monday, monday + timedelta(days=6)),
        "last_week": (monday - timedelta(days=7), monday - timedelta(days=1)),
        "this_month": (first_of_month, month_end(today.year, today.month)),
        "last_month": (previous_month.replace(day=1), previous_month),
        "this_year": (date(today.year, 1, 1), date(today.year, 12, 31)),
        "last_year": (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
    }
    return spans[name]  # type: ignore[return-value]


def _relative_period(match: re.Match[str], today: date) -> Period:
    for name in _RELATIVE_FORMS:
        if match.group(f"s_{name}"):
            return Period(_relative(name, today)[0], None)
        if match.group(f"r_{name}"):
            return Period(*_relative(name, today))
    raise AssertionError("a relative date matched no form")


def _masked(text: str) -> str:
    """The text with quoted and field parts blanked out, offsets kept."""
    return _PROTECTED.sub(lambda m: " " * len(m.group()), text)


def _next_to_operator(text: str, start: int, end: int) -> bool:
    before = text[:start].split()
    after = text[end:].split()
    return bool(before and before[-1] in _OPERATORS) or bool(after and after[0] in ("OR", "OU"))


def _period(match: re.Match[str], today: date) -> Period | None:
    try:
        if match.re is _RELATIVE_DATE:
            return _relative_period(match, today)
        if match.group("range"):
            return _range(match, today)
        if match.group("prep"):
            return _preposition(match, today)
        span = _span(match, "a_", today)
        return Period(*span) if span else None
    except ValueError:  # « 31 février 2026 »
        return None


def read_dates(text: str, today: date) -> DateReading | None:
    """The first date written in words in ``text``, as a period, and the text without it."""
    masked = _masked(text)
    patterns = (_RELATIVE_DATE,) if is_question(text) else (_ABSOLUTE, _RELATIVE_DATE)
    found = []
    for pattern in patterns:
        for match in pattern.finditer(masked):
            if not _next_to_operator(text, match.start(), match.end()):
                period = _period(match, today)
                if period is not None:
                    found.append((match.start(), -match.end(), period))
                    break
    if not found:
        return None
    start, minus_end, period = min(found, key=lambda item: item[:2])
    end = -minus_end
    rest = f"{text[:start].rstrip()} {text[end:].lstrip()}".strip()
    return DateReading(period, start, end, text[start:end], rest, french_period(period))
