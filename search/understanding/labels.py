"""Periods said as a French reader says them: « septembre 2017 », « du 3 au 10 mars 2026 »."""

from __future__ import annotations

from datetime import date

from ..facets import MONTHS_FR
from ..request import Period, month_end

__all__ = ["french_period"]


def _day_label(day: date, year: bool = True) -> str:
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS_FR[day.month - 1]}" + (f" {day.year}" if year else "")


def _of(word: str) -> str:
    """« de » before a word, elided before a vowel: « de mars », « d’avril »."""
    return f"d’{word}" if word[0] in "aeiouéo" else f"de {word}"


def _whole_months(period: Period) -> bool:
    start, end = period.start, period.end
    return bool(start and end and start.day == 1 and end == month_end(end.year, end.month))


def french_period(period: Period) -> str:
    """A period as a French reader says it.

    >>> french_period(Period(date(2017, 9, 1), date(2017, 9, 30)))
    'septembre 2017'
    >>> french_period(Period(date(2026, 3, 3), date(2026, 3, 10)))
    'du 3 au 10 mars 2026'
    >>> french_period(Period(date(2026, 1, 1), None))
    'depuis 2026'
    """
    start, end = period.start, period.end
    if start and end:
        if period.year:
            return str(period.year)
        if start == end:
            return _day_label(start)
        if _whole_months(period):
            if start.year == end.year and start.month == end.month:
                return f"{MONTHS_FR[start.month - 1]} {start.year}"
            if start.month == 1 and end.month == 12:
                return f"de {start.year} à {end.year}"
            first = MONTHS_FR[start.month - 1] + ("" if start.year == end.year else f" {start.year}")
            return f"{_of(first)} à {MONTHS_FR[end.month - 1]} {end.year}"
        if start.year == end.year and start.month == end.month:
            return f"du {_day_label(start, year=False).split()[0]} au {_day_label(end)}"
        return f"du {_day_label(start, year=start.year != end.year)} au {_day_label(end)}"
    if start:
        if start == date(start.year, 1, 1):
            return f"depuis {start.year}"
        if start.day == 1:
            return f"depuis {MONTHS_FR[start.month - 1]} {start.year}"
        return f"depuis le {_day_label(start)}"
    if end:
        if end == date(end.year, 12, 31):
            return f"jusqu’à fin {end.year}"
        if end == month_end(end.year, end.month):
            return f"jusqu’à fin {MONTHS_FR[end.month - 1]} {end.year}"
        return f"jusqu’au {_day_label(end)}"
    return "toutes les dates"
