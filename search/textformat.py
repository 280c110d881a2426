"""Reader of the Le360 text format (see ``../shared/DESIGN.md``).

A file is a sequence of blocks separated by blank lines::

    date 2026-03-06 Politique
    Title
    [caption]                 two blocks before the byline: caption, lede;
    [lede]                    one block: the lede
    [Par Author]              byline: author line and/or time line
    [Le 06/03/2026 à 18h06]
    body paragraphs, with "Lire aussi : Title" lines among them
    [#Tag one#Tag two]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from .article import Article, ArticleError, clean_text, tag_key

__all__ = ["decode_article_bytes", "parse_text_article"]

_DATE_LINE = re.compile(r"date\s+(\S+)\s*(.*)", re.IGNORECASE)
_TIME_LINE = re.compile(
    r"Le\s+(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+à\s+(\d{1,2})\s*[h:]\s*(\d{2})?)?\s*",
    re.IGNORECASE,
)
_TIME_LINE_START = re.compile(r"Le\s+\d{1,2}/\d{1,2}/\d{4}\b", re.IGNORECASE)
# "Par Nom Prénom" but not a sentence such as "Par ailleurs, le ministre…".
_AUTHOR_LINE = re.compile(r"Par\s+([^,;:!?«»\"]{2,120})")
_RELATED_LINE = re.compile(r"lire\s+aussi\s*[:：\-–—]?\s*(.*)", re.IGNORECASE)
_NOT_NAMES = {"ailleurs", "conséquent", "consequent", "contre", "exemple", "la", "le", "les"}
# Up to a caption and a lede may stand between the title and the byline.
_MAX_HEADER_BLOCKS = 2


@dataclass
class _Block:
    line: int  # 1-based number of its first line
    lines: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def decode_article_bytes(data: bytes, path: str) -> str:
    """Decode a file as UTF-8 (BOM or not), reporting where it is not text."""
    if b"\x00" in data:
        raise ArticleError(path, None, "binary file (NUL bytes), not a text article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ArticleError(path, line, f"not UTF-8 (byte 0x{data[error.start]:02x})") from None
    return text


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            current = None
        elif current is None:
            current = _Block(number, [line])
            blocks.append(current)
        else:
            current.lines.append(line)
    return blocks


def _is_author_line(line: str) -> bool:
    match = _AUTHOR_LINE.fullmatch(line)
    return bool(match) and match.group(1).split()[0].lower() not in _NOT_NAMES


def _is_time_line(line: str) -> bool:
    return bool(_TIME_LINE_START.match(line))


def _is_byline(block: _Block) -> bool:
    """An author line, a time line, or an author line right above the time.

    Above a time line any "Par …" is the author, commas and all
    ("Par Aude L. (Las Vegas, envoyée spéciale)"); alone, it must look like a
    name, not a sentence such as "Par ailleurs, le ministre…".
    """
    lines = block.lines
    if len(lines) == 1:
        return _is_author_line(lines[0]) or _is_time_line(lines[0])
    return len(lines) == 2 and lines[0].startswith("Par ") and _is_time_line(lines[1])


def _parse_date_line(block: _Block, path: str, article_id: str) -> tuple[date, str]:
    match = _DATE_LINE.fullmatch(block.lines[0])
    if not match:
        raise ArticleError(path, block.line, "expected a first line 'date YYYY-MM-DD Rubric'", article_id)
    try:
        day = date.fromisoformat(match.group(1))
    except ValueError:
        raise ArticleError(path, block.line, f"date {match.group(1)!r} does not parse (expected YYYY-MM-DD)", article_id) from None
    return day, match.group(2).strip()


def _parse_time_line(line: str, number: int, path: str, article_id: str) -> datetime:
    match = _TIME_LINE.fullmatch(line)
    if not match:
        raise ArticleError(path, number, f"time line {line!r} does not parse (expected 'Le DD/MM/YYYY à HHhMM')", article_id)
    day, month, year, hour, minute = match.groups()
    try:
        return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
    except ValueError as error:
        raise ArticleError(path, number, f"time line {line!r} does not parse ({error})", article_id) from None


def _parse_tags(line: str) -> list[str]:
    tags: list[str] = []
    seen: set[str] = set()
    for raw in line.split("#"):
        tag = " ".join(raw.split())
        key = tag_key(tag)
        if key and key not in seen:
            seen.add(key)
            tags.append(tag)
    return tags


def parse_text_article(text: str, article_id: str, path: str) -> Article:
    """Parse one article in the text format; raise ArticleError on what cannot be read."""
    blocks = _blocks(clean_text(text))
    if not blocks:
        raise ArticleError(path, None, "empty file", article_id)
    first = blocks.pop(0)
    day, category = _parse_date_line(first, path, article_id)
    if len(first.lines) > 1:  # the title written right under the date line
        blocks.insert(0, _Block(first.line + 1, first.lines[1:]))

    if not blocks or blocks[0].text.startswith("#") or _is_byline(blocks[0]):
        raise ArticleError(path, first.line + 1, "no title after the date line", article_id)
    title = blocks.pop(0).text

    tags: list[str] = []
    if blocks and blocks[-1].lines[0].startswith("#"):
        tags = _parse_tags(" ".join(blocks.pop().lines))

    header: list[_Block] = []
    for index, block in enumerate(blocks[: _MAX_HEADER_BLOCKS + 1]):
        if _is_byline(block):
            header = blocks[:index]
            blocks = blocks[index:]
            break

    # The byline: "Par …" then "Le …", in one block or in two.
    byline: list[tuple[int, str]] = []
    while blocks and _is_byline(blocks[0]) and len(byline) + len(blocks[0].lines) <= 2:
        block = blocks.pop(0)
        byline += [(block.line + offset, line) for offset, line in enumerate(block.lines)]
        if _is_time_line(block.lines[-1]):
            break
    author, published = "", datetime(day.year, day.month, day.day)
    for number, line in byline:
        if _is_time_line(line):
            published = _parse_time_line(line, number, path, article_id)
        else:
            author = line.removeprefix("Par").strip()

    caption = header[0].text if len(header) == 2 else ""
    lede = header[-1].text if header else ""

    paragraphs: list[str] = []
    related: list[str] = []
    for block in blocks:
        kept = []
        for line in block.lines:
            match = _RELATED_LINE.fullmatch(line)
            if match:
                if match.group(1):
                    related.append(match.group(1).strip())
            else:
                kept.append(line)
        if kept:
            paragraphs.append(" ".join(kept))

    return Article(
        id=article_id,
        title=title,
        category=category,
        published=published,
        caption=caption,
        lede=lede,
        author=author,
        body="\n\n".join(paragraphs),
        tags=tags,
        related=related,
        source=path,
    )
