"""The article every reader produces and the indexer stores."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field, fields
from datetime import datetime

from unidecode import unidecode

__all__ = ["MAX_ARTICLE_BYTES", "Article", "ArticleError", "clean_text", "split_authors", "tag_key", "unique_tags"]

# No single article is this big: a file or line that is has gone wrong somewhere.
MAX_ARTICLE_BYTES = 5 * 1024 * 1024

# Soft hyphens are invisible hints for line breaking: they split words in two
# for every tool downstream, so they never get past a reader.
_INVISIBLE = "\u00ad\ufeff\u200b"
_INVISIBLE_RUN = re.compile(f"[{_INVISIBLE}]+")
_SPACES = re.compile(r"\s+")
_AUTHOR_SEPARATORS = re.compile(r"\s*(?:,|\bet\b|&)\s*")


def clean_text(text: str) -> str:
    """NFC-compose accents and drop invisible characters (soft hyphens, BOM)."""
    text = unicodedata.normalize("NFC", text)
    # str.translate looks up every character of a non-ASCII text: a third of reading an
    # article. Most articles hold none of these characters, which ``in`` finds at C speed.
    if any(mark in text for mark in _INVISIBLE):
        text = _INVISIBLE_RUN.sub("", text)
    return text


def tag_key(value: str) -> str:
    """The matching key of a tag or name: case, accents and spacing folded, nothing else.

    Punctuation stays (``Nord/Sud`` is not ``Nord Sud``), and so do characters
    with no ASCII spelling, such as emoji, so that no tag folds to nothing.

    >>> tag_key("  Sergueï   Lavrov ") == tag_key("serguei lavrov")
    True
    >>> tag_key("Études, Recherches 🌙")
    'etudes, recherches 🌙'
    """
    return _SPACES.sub(" ", unidecode(value, errors="preserve").casefold()).strip()


def unique_tags(tags: list[str]) -> list[str]:
    """Tags with spacing tidied, each kept once in its first spelling.

    >>> unique_tags(["  Sergueï  Lavrov", "serguei lavrov", "", "Gaza"])
    ['Sergueï Lavrov', 'Gaza']
    """
    kept: dict[str, str] = {}
    for tag in tags:
        tag = " ".join(tag.split())
        if tag_key(tag):
            kept.setdefault(tag_key(tag), tag)
    return list(kept.values())


def split_authors(author: str) -> list[str]:
    """Split a byline that joins several authors: ``A, B et C`` → three names."""
    return [name for name in _AUTHOR_SEPARATORS.split(author.strip()) if name]


class ArticleError(ValueError):
    """An article that cannot be read, located by file and line."""

    def __init__(self, path: str, line: int | None, reason: str, article_id: str | None = None):
        super().__init__(reason)
        self.path = path
        self.line = line
        self.reason = reason
        # Known for text files (the id comes from the path): lets an update
        # keep the indexed copy of an article whose file is broken right now.
        self.article_id = article_id

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Article:
    """One news article, as read from any source format."""

    id: str
    title: str
    category: str = ""
    published: datetime | None = None
    caption: str = ""
    lede: str = ""
    author: str = ""
    body: str = ""  # paragraphs separated by a blank line
    tags: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)  # "Lire aussi" titles
    url: str = ""
    # Where it was read from ("path" or "path:line"), for messages only.
    source: str = field(default="", compare=False)

    @property
    def authors(self) -> list[str]:
        """Each author of a byline that may join several."""
        return split_authors(self.author)

    @property
    def paragraphs(self) -> list[str]:
        """The body split into paragraphs."""
        return [p for p in self.body.split("\n\n") if p.strip()]

    def digest(self) -> str:
        """A fingerprint of the content: an update rewrites only what changed."""
        # Moving a file or a line (``source``) does not change the article. The fields as
        # they are: ``asdict`` deep-copies them, a sixth of reading an article.
        data = {name: getattr(self, name) for name in _DIGESTED_FIELDS}
        data["published"] = self.published.isoformat() if self.published else None
        payload = json.dumps(data, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


_DIGESTED_FIELDS = tuple(f.name for f in fields(Article) if f.name != "source")
