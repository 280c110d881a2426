"""The engines Kiosque's ranking is compared with, each built in the benchmark's own run.

- plain Whoosh: ``StemmingAnalyzer`` on title and body, the words ORed, BM25F;
- Whoosh with its French ``LanguageAnalyzer("fr")``, the same way;
- SQLite FTS5 through Python's ``sqlite3``: ``unicode61 remove_diacritics 2``
  and ``bm25()``, the words ORed.

Each takes a query already reduced to lowercase words and returns ranked ids.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from whoosh import index
from whoosh.analysis import Analyzer, LanguageAnalyzer, StemmingAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import MultifieldParser, OrGroup

from search.article import Article

__all__ = ["Fts5Peer", "WhooshPeer", "build_peers"]


class WhooshPeer:
    """A Whoosh index of title and body with one stock analyzer, searched with the words ORed."""

    def __init__(self, name: str, folder: Path, articles: Iterable[Article], analyzer: Analyzer):
        self.name = name
        folder.mkdir(parents=True, exist_ok=True)
        # The body is stored for more_like, which reads it back.
        schema = Schema(
            id=ID(unique=True, stored=True), title=TEXT(analyzer=analyzer), body=TEXT(analyzer=analyzer, stored=True)
        )
        writer = index.create_in(str(folder), schema).writer(limitmb=256)
        for article in articles:
            writer.add_document(id=article.id, title=article.title, body=article.body)
        writer.commit()
        self.index = index.open_dir(str(folder))
        self.searcher = self.index.searcher()
        self.parser = MultifieldParser(["title", "body"], self.index.schema, group=OrGroup)

    def search(self, text: str, limit: int = 10) -> list[str]:
        """The ids of the top hits."""
        return [hit["id"] for hit in self.searcher.search(self.parser.parse(text), limit=limit)]

    def more_like(self, article_id: str, top: int = 5) -> list[str]:
        """Whoosh's stock ``more_like`` on the body: the ids of the articles most like one."""
        docnum = self.searcher.document_number(id=article_id)
        if docnum is None:
            return []
        return [hit["id"] for hit in self.searcher.more_like(docnum, "body", top=top)]

    def close(self) -> None:
        """Release the index files."""
        self.searcher.close()


class Fts5Peer:
    """SQLite FTS5 over title and body, accents removed, ranked by ``bm25()``."""

    name = "SQLite FTS5"

    def __init__(self, articles: Iterable[Article]):
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, tokenize='unicode61 remove_diacritics 2')"
        )
        self.db.executemany(
            "INSERT INTO docs (id, title, body) VALUES (?, ?, ?)", ((a.id, a.title, a.body) for a in articles)
        )

    def search(self, text: str, limit: int = 10) -> list[str]:
        """The ids of the top hits."""
        words = [f'"{word}"' for word in text.split()]
        if not words:
            return []
        rows = self.db.execute(
            "SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (" OR ".join(words), limit)
        )
        return [row[0] for row in rows]

    def close(self) -> None:
        """Drop the database."""
        self.db.close()


def build_peers(folder: Path, articles: list[Article]) -> list[WhooshPeer | Fts5Peer]:
    """Every peer, indexed on the same articles."""
    return [
        WhooshPeer("plain Whoosh", folder / "stemming", articles, StemmingAnalyzer()),
        WhooshPeer('Whoosh "fr"', folder / "french", articles, LanguageAnalyzer("fr")),
        Fts5Peer(articles),
    ]
