"""What a search gives back: hits, the response to a request, a whole article.

Plain data with ``to_dict`` for JSON: the terminal, the page and the API all
render these same objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from math import ceil
from typing import Any
from urllib.parse import urlencode

from .article import Article
from .facets import FacetValue, TimelineBar
from .request import SearchRequest
from .understanding import Understood

__all__ = ["ArticleView", "Hit", "SearchResponse", "hit_from_stored"]


@dataclass
class Hit:
    """One article in a result list."""

    id: str
    title: str
    score: float | None = None
    title_html: str = ""
    snippet: str = ""
    url: str = ""
    published: datetime | None = None
    category: str = ""
    author: str = ""
    tags: list[str] = field(default_factory=list)
    all_words: bool = True  # whether it holds every word of the query

    def to_dict(self) -> dict[str, Any]:
        """The hit as JSON-ready data."""
        return {
            "id": self.id,
            "title": self.title,
            "title_html": self.title_html,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "category": self.category,
            "author": self.author,
            "tags": self.tags,
            "snippet": self.snippet,
            "score": round(self.score, 4) if self.score is not None else None,
            "all_words": self.all_words,
        }


@dataclass
class SearchResponse:
    """A page of hits, the facets of the whole result set, and the rest."""

    request: SearchRequest
    hits: list[Hit]
    total: int
    facets: dict[str, list[FacetValue]]
    # How many of the ``total`` hold every word of the query (all of them when the query is all or nothing).
    all_words: int = 0
    suggestion: str | None = None
    corrected: bool = False  # nothing matched the query: the hits are the suggestion's
    took_ms: float = 0.0
    timeline: list[TimelineBar] = field(default_factory=list)
    understood: Understood | None = None  # the words searched, a date read in them, the synonyms added

    @property
    def some_words(self) -> int:
        """How many results hold only some of the query's words (they come after the others)."""
        return self.total - self.all_words

    @property
    def pages(self) -> int:
        """How many pages the results fill."""
        return ceil(self.total / self.request.per_page) if self.total else 0

    def links(self, base: str = "/api/search") -> dict[str, str]:
        """URLs of this page and of its neighbours (``next`` and ``prev`` where they exist)."""
        request = self.request

        def url(page: int) -> str:
            query = urlencode(request.with_changes(page=page).to_params(), doseq=True)
            return f"{base}?{query}" if query else base

        links = {"self": url(request.page)}
        if request.page < self.pages:
            links["next"] = url(request.page + 1)
        if 1 < request.page <= self.pages + 1:
            links["prev"] = url(min(request.page - 1, max(self.pages, 1)))
        return links

    def to_dict(self) -> dict[str, Any]:
        """The response as JSON-ready data (the document of ``/api/search``)."""
        request = self.request
        return {
            "query": request.q,
            "total": self.total,
            "page": request.page,
            "per_page": request.per_page,
            "pages": self.pages,
            "took_ms": round(self.took_ms, 2),
            "all_words": self.all_words,
            "some_words": self.some_words,
            "suggestion": self.suggestion,
            "corrected": self.corrected,
            "understood": (self.understood or Understood(request.q, request.q)).to_dict(),
            "hits": [hit.to_dict() for hit in self.hits],
            "facets": {name: [v.to_dict() for v in values] for name, values in self.facets.items()},
            "timeline": [bar.to_dict() for bar in self.timeline],
            "links": self.links(),
        }


@dataclass
class ArticleView:
    """A whole article as stored, with its related articles."""

    article: Article
    related: list[Hit]  # the "Lire aussi" articles found in the index first, then similar ones
    links: dict[str, str | None]  # each "Lire aussi" title → the id of its article, None if not indexed

    def to_dict(self) -> dict[str, Any]:
        """The article as JSON-ready data."""
        a = self.article
        return {
            "id": a.id,
            "title": a.title,
            "url": a.url,
            "published": a.published.isoformat() if a.published else None,
            "category": a.category,
            "author": a.author,
            "authors": a.authors,
            "tags": a.tags,
            "caption": a.caption,
            "lede": a.lede,
            "paragraphs": a.paragraphs,
            "related_titles": [{"title": title, "id": self.links.get(title)} for title in a.related],
            "related": [hit.to_dict() for hit in self.related],
        }


def hit_from_stored(fields: dict[str, Any], score: float | None) -> Hit:
    """A hit from an article's stored fields."""
    return Hit(
        id=fields["id"],
        title=fields.get("title", ""),
        score=score,
        url=fields.get("url", ""),
        published=fields.get("published"),
        category=fields.get("category", ""),
        author=fields.get("author", ""),
        tags=list(fields.get("tag_names", [])),
    )
