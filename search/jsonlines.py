"""Reader of articles as JSON Lines, one object a line (fields in ``docs/articles.md``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from .article import MAX_ARTICLE_BYTES, Article, ArticleError, clean_text, unique_tags
from .textformat import UTF8_BOM

__all__ = ["parse_json_article", "read_json_lines"]

_TEXT_FIELDS = ("title", "lede", "caption", "author", "category", "body", "url")


def _text(record: dict[str, Any], name: str, where: tuple[str, int]) -> str:
    value = record.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ArticleError(*where, f"field {name!r} must be a string, not {type(value).__name__}")
    return clean_text(value).strip()


def _strings(record: dict[str, Any], name: str, where: tuple[str, int]) -> list[str]:
    value = record.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ArticleError(*where, f"field {name!r} must be a list of strings")
    cleaned = (" ".join(clean_text(item).split()) for item in value)
    return [item for item in cleaned if item]


def parse_json_article(line: str, path: str, number: int) -> Article:
    """Parse one JSON Lines record; raise ArticleError naming the file and line."""
    where = (path, number)
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ArticleError(path, number, f"invalid JSON ({error.msg}, column {error.colno})") from None
    if not isinstance(record, dict):
        raise ArticleError(path, number, "expected a JSON object")
    article_id = record.get("id")
    if isinstance(article_id, (int, float)) and not isinstance(article_id, bool):
        article_id = str(article_id)
    if not isinstance(article_id, str) or not article_id.strip():
        raise ArticleError(path, number, "missing 'id'")
    article_id = article_id.strip()
    fields = {name: _text(record, name, where) for name in _TEXT_FIELDS}
    if not fields["title"]:
        raise ArticleError(path, number, f"article {article_id!r} has no title", article_id)
    published = record.get("published")
    if published is not None:
        try:
            published = datetime.fromisoformat(str(published))
        except ValueError:
            raise ArticleError(
                path, number, f"'published' {published!r} does not parse (expected YYYY-MM-DDTHH:MM:SS)", article_id
            ) from None
        # Newsroom local time is what readers see: keep the wall clock, drop the offset.
        published = published.replace(tzinfo=None)
    return Article(
        id=article_id,
        published=published,
        source=f"{path}:{number}",
        **fields,
        tags=unique_tags(_strings(record, "tags", where)),
        related=_strings(record, "related", where),
    )


def read_json_lines(lines: Iterable[bytes], path: str) -> Iterator[Article | ArticleError]:
    """Yield each article of a JSON Lines stream, or the error that stopped it."""
    for number, raw in enumerate(lines, start=1):
        if len(raw) > MAX_ARTICLE_BYTES:
            yield ArticleError(
                path, number, f"line too large ({len(raw) / 2**20:.1f} MiB, at most {MAX_ARTICLE_BYTES // 2**20} MiB)"
            )
            continue
        if number == 1:
            raw = raw.removeprefix(UTF8_BOM)
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            yield ArticleError(path, number, f"not UTF-8 (byte 0x{raw[error.start]:02x})")
            continue
        if not line.strip():
            continue
        try:
            yield parse_json_article(line, path, number)
        except ArticleError as error:
            yield error
