"""Reader of the Le360 text format (described for users in ``docs/articles.md``).

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

from .article import Article, ArticleError, clean_text, unique_tags

__all__ = ["UTF8_BOM", "decode_article_bytes", "parse_text_article"]

UTF8_BOM = b"\xef\xbb\xbf"

_DATE_LINE = re.compile(r"date\s+(\S+)\s*(.*)", re.IGNORECASE)
_TIME_LINE = re.compile(
    r"Le\s+(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+à\s+(\d{1,2})\s*[h:]\s*(\d{2})?)?\s*",
    re.IGNORECASE,
)
# A time line is the whole line, so a paragraph "Le 12/03/2026, le conseil…" is body.
_TIME_LINE_START = re.compile(r"Le\s+\d{1,2}/\d{1,2}/\d{4}\b", re.IGNORECASE)
_TIME_LINE_SHAPE = re.compile(r"Le\s+\d{1,2}/\d{1,2}/\d{4}(?:\s+à\s+\d{1,2}\s*[h:]\s*(?:\d{2})?)?", re.IGNORECASE)
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
    data = data.removeprefix(UTF8_BOM)  # stripped first, so error offsets count from here
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ArticleError(path, line, f"not UTF-8 (byte 0x{data[error.start]:02x})") from None


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
    return match is not None and match.group(1).split()[0].lower() not in _NOT_NAMES


def _is_time_line(line: str) -> bool:
    return bool(_TIME_LINE_SHAPE.fullmatch(line))


def _byline_blocks(blocks: list[_Block], index: int) -> int:
    """How many blocks from ``index`` on make the byline (0, 1 or 2).

    Right above a time line any "Par …" is the author, commas and all
    ("Par Aude L. (Las Vegas, envoyée spéciale)"); on its own, it must look
    like a name, not a sentence such as "Par ailleurs, le ministre…".
    """
    if index >= len(blocks):
        return 0
    lines = blocks[index].lines
    if len(lines) == 2:
        # Under an author line, a garbled time line is still the time line,
        # and is reported as such rather than read as body text.
        return int(lines[0].startswith("Par ") and bool(_TIME_LINE_START.match(lines[1])))
    if len(lines) != 1:
        return 0
    if _is_time_line(lines[0]):
        return 1
    if not lines[0].startswith("Par "):
        return 0
    after = blocks[index + 1].lines if index + 1 < len(blocks) else []
    if len(after) == 1 and _is_time_line(after[0]):
        return 2
    return int(_is_author_line(lines[0]))


def _parse_date_line(block: _Block, path: str, article_id: str) -> tuple[date, str]:
    match = _DATE_LINE.fullmatch(block.lines[0])
    if not match:
        raise ArticleError(path, block.line, "expected a first line 'date YYYY-MM-DD Rubric'", article_id)
    try:
        day = date.fromisoformat(match.group(1))
    except ValueError:
        raise ArticleError(
            path, block.line, f"date {match.group(1)!r} does not parse (expected YYYY-MM-DD)", article_id
        ) from None
    return day, match.group(2).strip()


def _parse_time_line(line: str, number: int, path: str, article_id: str) -> datetime:
    match = _TIME_LINE.fullmatch(line)
    if not match:
        raise ArticleError(
            path, number, f"time line {line!r} does not parse (expected 'Le DD/MM/YYYY à HHhMM')", article_id
        )
    day, month, year, hour, minute = match.groups()
    try:
        return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
    except ValueError as error:
        raise ArticleError(path, number, f"time line {line!r} does not parse ({error})", article_id) from None


def parse_text_article(text: str, article_id: str, path: str) -> Article:
    """Parse one article in the text format; raise ArticleError on what cannot be read."""
    blocks = _blocks(clean_text(text))
    if not blocks:
        raise ArticleError(path, None, "empty file", article_id)
    first = blocks.pop(0)
    day, category = _parse_date_line(first, path, article_id)
    if len(first.lines) > 1:  # the title written right under the date line
        blocks.insert(0, _Block(first.line + 1, first.lines[1:]))

    if not blocks or blocks[0].text.startswith("#") or _byline_blocks(blocks, 0):
        raise ArticleError(path, first.line + 1, "no title after the date line", article_id)
    title = blocks.pop(0).text

    tags: list[str] = []
    if blocks and blocks[-1].lines[0].startswith("#"):
        tags = unique_tags(" ".join(blocks.pop().lines).split("#"))

    header: list[_Block] = []
    byline: list[tuple[int, str]] = []
    for index in range(min(len(blocks), _MAX_HEADER_BLOCKS + 1)):
        count = _byline_blocks(blocks, index)
        if count:
            header = blocks[:index]
            byline = [
                (b.line + offset, line) for b in blocks[index : index + count] for offset, line in enumerate(b.lines)
            ]
            blocks = blocks[index + count :]
            break

    author, published = "", datetime(day.year, day.month, day.day)
    for number, line in byline:
        if _TIME_LINE_START.match(line):
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
