"""The search page's state lives in its URL: every link is a request with one change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for

from search.article import tag_key
from search.request import Period, SearchRequest, parse_period

__all__ = ["PageState"]


@dataclass(frozen=True)
class PageState:
    """Links from one search page to its neighbours."""

    request: SearchRequest
    endpoint: str = "pages.search"

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
        """Filter on a period, or drop it when it is the one chosen."""
        return self.url(period=None if self.request.period == period else period)

    def without(self, name: str) -> str:
        """Drop one filter: ``q``, ``category``, ``author`` or ``period``."""
        return self.url(**{name: "" if name == "q" else None})

    def clear(self) -> str:
        """Keep the words, drop every filter."""
        return self.url(tags=(), category=None, author=None, period=None)

    def sort_url(self, sort: str) -> str:
        """The same results in another order."""
        return self.url(sort=sort)
