"""Where articles come from: files, folders read recursively, standard input."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from .article import MAX_ARTICLE_BYTES, Article, ArticleError
from .jsonlines import read_json_lines
from .textformat import decode_article_bytes, parse_text_article

__all__ = ["STDIN", "read_sources"]

STDIN = "-"
log = logging.getLogger(__name__)
_FORMATS = (".txt", ".jsonl")


def _article_id(path: Path, root: Path) -> str:
    """A text article's id: its path below the source root, without extension."""
    return path.relative_to(root).with_suffix("").as_posix()


def _read_text_file(path: Path, root: Path) -> Article | ArticleError:
    article_id = _article_id(path, root)
    shown = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            return ArticleError(
                shown,
                None,
                f"file too large ({size / 2**20:.1f} MiB, at most {MAX_ARTICLE_BYTES // 2**20} MiB)",
                article_id,
            )
        data = path.read_bytes()
    except OSError as error:
        return ArticleError(shown, None, f"cannot read ({error.strerror})", article_id)
    try:
        return parse_text_article(decode_article_bytes(data, shown), article_id, shown)
    except ArticleError as error:
        error.article_id = article_id
        return error


def _read_jsonl_file(path: Path) -> Iterator[Article | ArticleError]:
    try:
        with path.open("rb") as stream:
            yield from read_json_lines(stream, str(path))
    except OSError as error:
        yield ArticleError(str(path), None, f"cannot read ({error.strerror})")


def _walk(root: Path) -> Iterator[Path | ArticleError]:
    """Article files below ``root``, sorted, hidden ones skipped.

    Linked folders are followed when they lead out of ``root`` (another disk,
    say); a link to a folder inside ``root`` is an alias of one read anyway,
    and a link back to a folder being walked is a loop, reported once.
    """
    top = root.resolve()

    def visit(folder: Path, ancestors: tuple[Path, ...]) -> Iterator[Path | ArticleError]:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as error:
            yield ArticleError(str(folder), None, f"cannot read folder ({error.strerror})")
            return
        for entry in entries:
            path = Path(entry.path)
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                real = path.resolve()
                if entry.is_symlink() and real in ancestors:
                    yield ArticleError(str(path), None, "symbolic link loop, folder skipped")
                elif entry.is_symlink() and real.is_relative_to(top):
                    log.info("%s: link to a folder read anyway, skipped", path)
                else:
                    yield from visit(path, (*ancestors, real))
            elif entry.name.endswith(_FORMATS):
                yield path

    yield from visit(root, (top,))


def _read_path(source: Path, root: Path) -> Iterator[Article | ArticleError]:
    if source.suffix == ".jsonl":
        yield from _read_jsonl_file(source)
    elif source.suffix == ".txt":
        yield _read_text_file(source, root)
    else:
        yield ArticleError(str(source), None, "unknown format: expected a .txt article, a .jsonl file or a folder")


def read_sources(sources: Iterable[str]) -> Iterator[Article | ArticleError]:
    """Yield every article of the given files and folders, or the error of each bad one.

    A folder is read recursively (``.txt`` and ``.jsonl`` files, hidden ones
    skipped); ``-`` reads JSON Lines from standard input.
    """
    for source in sources:
        if source == STDIN:
            yield from read_json_lines(sys.stdin.buffer, "<stdin>")
            continue
        path = Path(source)
        if path.is_dir():
            for item in _walk(path):
                if isinstance(item, ArticleError):
                    yield item
                else:
                    yield from _read_path(item, path)
        elif path.exists():
            yield from _read_path(path, path.parent)
        else:
            yield ArticleError(source, None, "no such file or folder")
