"""The search page's state lives in its URL: every link is a request with one change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for

from search.article import tag_key
from search.request import Period, SearchRequest, parse_period
from search.understanding import Expansion, Understood

__all__ = ["PageState"]


@dataclass(frozen=True)
class PageState:
    """Links from one search page to its neighbours."""

    request: SearchRequest
    endpoint: str = "pages.search"
    understood: Understood | None = None  # a period read in the words, synonyms added

    def url(self, **changes: Any) -> str:
        """This page's URL with some request fields changed; a filter change goes back to page 1."""
        if "page" not in changes:
            changes["page"] = 1
        return url_for(self.endpoint, **self.request.with_changes(**changes).to_params())

    def page_url(self, page: int) -> str:
        """The URL of another page of the same results."""
        return self.url(page=page)

    def toggle_tag(self, tag: str) -> str:
        """Add a tag filter, or remove it when it is on."""
        key = tag_key(tag)
        kept = tuple(t for t in self.request.tags if tag_key(t) != key)
        return self.url(tags=kept if len(kept) < len(self.request.tags) else (*self.request.tags, tag))

    def toggle(self, name: str, value: str) -> str:
        """Choose a rubric or author, or drop it when it is the one chosen."""
        current = getattr(self.request, name)
        chosen = None if current and tag_key(current) == tag_key(value) else value
        return self.url(**{name: chosen})

    def period_url(self, period: Period | None) -> str:
        """Filter on a period (None drops the period filter)."""
        return self.url(period=period)

    def toggle_period_value(self, value: str) -> str:
        """Filter on a facet period (``2026`` or ``2026-03``), or drop it when chosen."""
        return self.toggle_period(parse_period(value))

    def toggle_period(self, period: Period) -> str:
        """Filter on a period, or drop it when it is the one chosen (in the words or as a filter)."""
        if self.request.period is None and self.understood and self.understood.period == period:
            return self.without_period_words()
        return self.url(period=None if self.request.period == period else period)

    def without_period_words(self) -> str:
        """The same search without the date read in its words."""
        return self.url(q=self.understood.without_dates() if self.understood else self.request.q)

    def period_words_literally(self) -> str:
        """The same search with the date in its words searched as words (quoted)."""
        return self.url(q=self.understood.literal_dates() if self.understood else self.request.q)

    def word_alone(self, expansion: Expansion) -> str:
        """The same search with a word searched as typed, without its synonyms (quoted)."""
        return self.url(q=self.understood.literal_word(expansion) if self.understood else self.request.q)

    def without(self, name: str) -> str:
        """Drop one filter: ``q``, ``category``, ``author`` or ``period``."""
        return self.url(**{name: "" if name == "q" else None})

    def clear(self) -> str:
        """Keep the words, drop every filter (a period read in the words too)."""
        q = self.understood.without_dates() if self.understood and self.understood.period else self.request.q
        return self.url(q=q, tags=(), category=None, author=None, period=None)

    def sort_url(self, sort: str) -> str:
        """The same results in another order."""
        return self.url(sort=sort)
