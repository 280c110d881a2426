"""The read side: one searcher per process, refreshed when a new index lands."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from .generations import IndexLocation
from .query import parse_user_query
from .schema import TEXT_FIELDS

__all__ = ["Engine", "Hit", "NoIndex", "SearchResult"]


class NoIndex(RuntimeError):
    """There is no built index in the folder yet."""


@dataclass
class Hit:
    """One article in a result list."""

    id: str
    title: str
    score: float
    url: str = ""
    published: datetime | None = None
    category: str = ""
    author: str = ""
    tags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The hit as JSON-ready data."""
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "category": self.category,
            "author": self.author,
            "tags": self.tags,
            "score": round(self.score, 4),
        }


@dataclass
class SearchResult:
    """A page of hits and how many articles matched in all."""

    query: str
    total: int
    hits: list[Hit]

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data."""
        return {"query": self.query, "total": self.total, "hits": [h.to_dict() for h in self.hits]}


class Engine:
    """Searches the live generation of an index folder.

    Opening a Whoosh searcher is costly, so one is kept and replaced only when
    ``CURRENT`` names a new generation. Safe to share between threads.
    """

    def __init__(self, folder: str | os.PathLike[str]):
        self.location = IndexLocation(folder)
        self._lock = threading.Lock()
        self._searcher: Searcher | None = None
        self._generation: str | None = None
        self._retired: Searcher | None = None

    def searcher(self) -> Searcher:
        """The searcher of the live generation, reopened if a new one landed."""
        name = self.location.live_name()
        if name is None:
            raise NoIndex(f"no index in {self.location.folder}: run 'kiosque build' first")
        with self._lock:
            if name != self._generation or self._searcher is None:
                # Another thread may be in the middle of a search with the
                # current searcher: it is closed one swap later, not now.
                if self._retired is not None:
                    self._retired.close()
                self._retired = self._searcher
                self._searcher = whoosh_index.open_dir(str(self.location.folder / name)).searcher()
                self._generation = name
            return self._searcher

    def close(self) -> None:
        """Close the open searchers (the engine reopens one if used again)."""
        with self._lock:
            for searcher in (self._retired, self._searcher):
                if searcher is not None:
                    searcher.close()
            self._searcher = self._retired = self._generation = None

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def search(self, text: str, limit: int = 10) -> SearchResult:
        """The best ``limit`` articles for the user's ``text``, ranked."""
        searcher = self.searcher()
        query = parse_user_query(text, searcher.schema, TEXT_FIELDS)
        if query is None:
            return SearchResult(text, 0, [])
        results = searcher.search(query, limit=max(1, limit))
        hits = [
            Hit(
                id=fields["id"],
                title=fields.get("title", ""),
                score=result.score or 0.0,
                url=fields.get("url", ""),
                published=fields.get("published"),
                category=fields.get("category", ""),
                author=fields.get("author", ""),
                tags=fields.get("tag_names", []),
            )
            for result in results
            for fields in [result.fields()]
        ]
        return SearchResult(text, len(results), hits)
