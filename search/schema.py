"""The Whoosh schema: what is searched, what is stored, what is faceted.

Display values (tag names, rubric, author) are stored as written; their
``*_key`` twins hold the folded form (``tag_key``) used to filter and count,
so ``#Sergueï Lavrov`` and ``#serguei lavrov`` are one tag.
"""

from __future__ import annotations

from typing import Any

from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from .analysis import french_analyzer
from .article import Article, split_authors, tag_key

__all__ = ["FIELD_BOOSTS", "SCHEMA_VERSION", "TEXT_FIELDS", "from_stored", "make_schema", "to_document"]

# Bumped whenever the schema or the analyzer changes what is indexed: an index
# of another version must be rebuilt, not updated.
SCHEMA_VERSION = 5

# A match in the title or tags says more about an article than one in the body.
# The rubric's words are searched too: a reader who types "sport" means the Sport pages.
FIELD_BOOSTS = {"title": 3.0, "tags": 2.5, "lede": 1.5, "caption": 1.0, "body": 1.0, "author": 1.0, "rubric": 1.0}
TEXT_FIELDS = tuple(FIELD_BOOSTS)
# Stored elsewhere as written (``tag_names``, ``category``).
_UNSTORED = {"tags", "rubric"}


def make_schema() -> Schema:
    """A new schema instance (Whoosh schemas are mutable: never share one)."""
    analyzer = french_analyzer()
    text = {
        name: TEXT(analyzer=analyzer, stored=name not in _UNSTORED, field_boost=boost)
        for name, boost in FIELD_BOOSTS.items()
    }
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        **text,
        # Given as lists (see ``_keys``): each key is one term, whatever it holds.
        tag_key=KEYWORD(scorable=False),
        category=ID(stored=True, sortable=True),
        category_key=ID(sortable=True),
        author_key=KEYWORD(scorable=False),
        published=DATETIME(stored=True, sortable=True),
        tag_names=STORED(),
        related=STORED(),
        url=STORED(),
        # Read as a column by updates, to find what changed without loading stored text.
        digest=ID(sortable=True),
    )


def _keys(values: list[str]) -> list[str]:
    # A list is indexed term by term, without a tokenizer: a key keeps its
    # commas and spaces, so it is exactly the ``tag_key`` a filter looks for.
    return list(dict.fromkeys(key for key in map(tag_key, values) if key))


def to_document(article: Article) -> dict[str, Any]:
    """The Whoosh document of an article: one call of ``writer.add_document``."""
    document: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "caption": article.caption,
        "lede": article.lede,
        "body": article.body,
        "author": article.author,
        "tags": "\n".join(article.tags),
        "tag_key": _keys(article.tags),
        "category": article.category,
        "rubric": article.category,
        "category_key": tag_key(article.category),
        "author_key": _keys(split_authors(article.author)),
        "tag_names": list(article.tags),
        "related": list(article.related),
        "url": article.url,
        "digest": article.digest(),
    }
    if article.published is not None:
        document["published"] = article.published
    return document


def from_stored(fields: dict[str, Any]) -> Article:
    """The article back from its stored fields (the inverse of ``to_document``)."""
    return Article(
        id=fields["id"],
        title=fields.get("title", ""),
        category=fields.get("category", ""),
        published=fields.get("published"),
        caption=fields.get("caption", ""),
        lede=fields.get("lede", ""),
        author=fields.get("author", ""),
        body=fields.get("body", ""),
        tags=list(fields.get("tag_names", [])),
        related=list(fields.get("related", [])),
        url=fields.get("url", ""),
    )
