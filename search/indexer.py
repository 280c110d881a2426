"""Full rebuilds and incremental updates of an index folder.

Both write a new generation beside the live index and switch to it only when
it is complete (see ``generations.py``), under the writer lock (``locking.py``).
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from .article import Article, ArticleError
from .generations import IndexLocation
from .locking import WriterLock
from .parallel_writer import write_documents
from .schema import SCHEMA_VERSION, from_stored, make_schema, to_document
from .segment_writer import ArticleSegmentWriter
from .sources import read_sources
from .vocabulary import Vocabulary

__all__ = ["IncompleteIndex", "IndexReport", "NothingToIndex", "build_index", "update_index"]

log = logging.getLogger(__name__)

Progress = Callable[[int], None]
# A writing process closes a segment before writing it would take more memory than this.
_WRITER_MEMORY_MB = 512
# The failures kept in the index's record for `kiosque status`.
_FAILURES_KEPT = 50


class NothingToIndex(RuntimeError):
    """The sources held no readable article: the live index is kept as it was."""


class IncompleteIndex(OSError):
    """The new index lacks documents that were written to it: it is not published."""


@dataclass
class IndexReport:
    """What a build or an update did."""

    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    failures: list[ArticleError] = field(default_factory=list)
    seconds: float = 0.0
    generation: int | None = None
    rebuilt: bool = False

    @property
    def failed(self) -> int:
        """How many articles or files could not be read."""
        return len(self.failures)

    def summary(self) -> str:
        """The one-line summary cron mails when something failed."""
        return (
            f"added={self.added} updated={self.updated} deleted={self.deleted} "
            f"failed={self.failed} seconds={self.seconds:.1f}"
        )

    def meta(self, started: datetime) -> dict[str, Any]:
        """The record kept beside the index it produced."""
        return {
            "schema_version": SCHEMA_VERSION,
            "built_at": started.isoformat(timespec="seconds"),
            "seconds": round(self.seconds, 3),
            "kind": "build" if self.rebuilt else "update",
            "added": self.added,
            "updated": self.updated,
            "deleted": self.deleted,
            "failed": self.failed,
            "failures": [str(f) for f in self.failures[:_FAILURES_KEPT]],
        }


class _Batch:
    """Articles read from the sources, deduplicated by id, failures kept aside."""

    def __init__(self, sources: Iterable[str], progress: Progress | None):
        self.sources = sources
        self.progress = progress
        self.failures: list[ArticleError] = []
        self.failed_ids: set[str] = set()
        self.seen: dict[str, str] = {}  # id -> where it was read

    def __iter__(self) -> Iterator[Article]:
        for item in read_sources(self.sources):
            if self.progress:
                self.progress(1)
            if isinstance(item, ArticleError):
                self._fail(item)
            elif item.id in self.seen:
                first = self.seen[item.id]
                self._fail(ArticleError(item.source, None, f"duplicate id {item.id!r}, first read from {first}"))
            else:
                self.seen[item.id] = item.source
                yield item

    def _fail(self, error: ArticleError) -> None:
        log.warning("%s", error)
        self.failures.append(error)
        if error.article_id:
            self.failed_ids.add(error.article_id)


def _abandon(writer: Any) -> None:
    """Close what a writer whose commit failed (a full disk, say) still holds open."""
    try:
        writer.cancel()
    except Exception:  # noqa: BLE001 - the commit's own error is the one to report
        pass


def _default_procs() -> int:
    return max(1, min(len(os.sched_getaffinity(0)), 4))


def _write_all(workspace: Path, articles: Iterable[Article], procs: int) -> int:
    """Index the articles into a new index in ``workspace``, with their vocabulary."""
    ix = whoosh_index.create_in(str(workspace), make_schema())
    documents = (to_document(article) for article in articles)
    count = write_documents(ix, documents, procs, _WRITER_MEMORY_MB * 1024 * 1024)
    # Count before publishing: what the index holds is what was written, or nothing is published.
    with ix.reader() as reader:
        indexed = reader.doc_count()
    if indexed != count:
        raise IncompleteIndex(f"the new index holds {indexed} of the {count} articles written (a writer failed)")
    return count


def _publish_or_discard(
    location: IndexLocation, workspace: Path, write: Callable[[], IndexReport], started: datetime, clock: float
) -> IndexReport:
    try:
        report = write()
        report.seconds = time.monotonic() - clock
        report.generation = location.publish(workspace, report.meta(started))
        return report
    except BaseException:
        shutil.rmtree(workspace, ignore_errors=True)
        raise


def _rebuild(
    location: IndexLocation,
    sources: Iterable[str],
    procs: int,
    progress: Progress | None,
    started: datetime,
    clock: float,
) -> IndexReport:
    workspace = location.new_workspace()

    def write() -> IndexReport:
        batch = _Batch(sources, progress)
        report = IndexReport(rebuilt=True)
        report.added = _write_all(workspace, batch, procs)
        report.failures = batch.failures
        if report.added == 0:
            detail = f" ({report.failed} failed)" if report.failed else ""
            raise NothingToIndex(f"no article could be read from the sources{detail}; the live index is unchanged")
        live = location.live()
        if live is not None:
            report.deleted = len(_indexed_ids(live) - set(batch.seen))
        return report

    return _publish_or_discard(location, workspace, write, started, clock)


def _indexed_ids(folder: Path) -> set[str]:
    try:
        return set(_indexed_digests(folder))
    except Exception:  # an unreadable old index only loses a count in a report
        log.warning("cannot read the previous index in %s to count deletions", folder)
        return set()


def _run(
    folder: str | os.PathLike[str],
    kind: str,
    wait: float,
    work: Callable[[IndexLocation, datetime, float], IndexReport],
) -> IndexReport:
    """Do one build or update under the writer lock, and record how it went for ``kiosque status``."""
    location = IndexLocation(folder)
    started, clock = datetime.now(), time.monotonic()
    with WriterLock(location.folder, wait):
        location.clean()
        record: dict[str, Any] = {"kind": kind, "started": started.isoformat(timespec="seconds")}
        try:
            report = work(location, started, clock)
        except Exception as error:
            location.record_run({**record, "ok": False, "error": str(error), "seconds": time.monotonic() - clock})
            raise
        location.record_run({**record, **report.meta(started), "kind": kind, "ok": True})
        return report


def build_index(
    folder: str | os.PathLike[str],
    sources: Iterable[str],
    *,
    wait: float = 0.0,
    procs: int | None = None,
    progress: Progress | None = None,
) -> IndexReport:
    """Index every article of ``sources`` into a new generation and make it live.

    Raises ``IndexLocked`` when another run holds the lock past ``wait``
    seconds, and ``NothingToIndex`` when no article could be read.
    """

    def work(location: IndexLocation, started: datetime, clock: float) -> IndexReport:
        return _rebuild(location, sources, procs or _default_procs(), progress, started, clock)

    return _run(folder, "build", wait, work)


def _indexed_digests(folder: Path) -> dict[str, str]:
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        ids = reader.column_reader("id")
        digests = reader.column_reader("digest")
        return {ids[n]: digests[n] for n in reader.all_doc_ids()}


def _link_copy(source: Path, target: Path) -> None:
    """Copy an index by hard links: Whoosh never rewrites a file it has written."""
    for path in source.iterdir():
        if path.is_file() and not path.name.startswith(".") and not path.name.endswith("LOCK"):
            os.link(path, target / path.name)


def _update_vocabulary(live: Path, workspace: Path, changes: list[tuple[Article, bool]], gone: set[str]) -> None:
    """Take back the words of replaced and deleted articles, count the new ones."""
    vocabulary = Vocabulary.load(live)
    with whoosh_index.open_dir(str(live)).searcher() as searcher:
        replaced = [article.id for article, known in changes if known]
        for article_id in [*replaced, *gone]:
            fields = searcher.document(id=article_id)
            if fields:
                vocabulary.add(from_stored(fields), sign=-1)
    for article, _ in changes:
        vocabulary.add(article)
    vocabulary.save(workspace)


def _update(
    location: IndexLocation,
    sources: Iterable[str],
    prune: bool,
    procs: int,
    progress: Progress | None,
    started: datetime,
    clock: float,
) -> IndexReport:
    """The incremental update itself, under the writer lock."""
    live = location.live()
    if live is None or location.meta().get("schema_version") != SCHEMA_VERSION:
        log.info("no index of schema version %s in %s: building one", SCHEMA_VERSION, location.folder)
        return _rebuild(location, sources, procs, progress, started, clock)

    indexed = _indexed_digests(live)
    batch = _Batch(sources, progress)
    report = IndexReport()
    changes: list[tuple[Article, bool]] = []  # (article, already indexed)
    for article in batch:
        digest = indexed.get(article.id)
        if digest == article.digest():
            report.unchanged += 1
        else:
            changes.append((article, digest is not None))
    report.failures = batch.failures
    # An article whose file is broken right now keeps its indexed copy.
    gone = set(indexed) - set(batch.seen) - batch.failed_ids if prune else set()

    if not changes and not gone:
        report.seconds = time.monotonic() - clock
        report.generation = location.generation()
        return report

    workspace = location.new_workspace()

    def write() -> IndexReport:
        _link_copy(live, workspace)
        _update_vocabulary(live, workspace, changes, gone)
        ix = whoosh_index.open_dir(str(workspace))
        writer = ArticleSegmentWriter(ix, compound=False)
        try:
            for article_id in sorted(gone):
                writer.delete_by_term("id", article_id)
            for article, known in changes:
                if known:
                    writer.update_document(**to_document(article))
                else:
                    writer.add_document(**to_document(article))
                if writer.memory_used > _WRITER_MEMORY_MB * 1024 * 1024:
                    # A big update goes on in a new segment rather than in ever more memory.
                    writer.commit(merge=False)
                    writer = ArticleSegmentWriter(ix, compound=False)
        except BaseException:
            writer.cancel()
            raise
        try:
            writer.commit()
        except BaseException:
            _abandon(writer)
            raise
        report.deleted = len(gone)
        report.updated = sum(known for _, known in changes)
        report.added = len(changes) - report.updated
        return report

    return _publish_or_discard(location, workspace, write, started, clock)


def update_index(
    folder: str | os.PathLike[str],
    sources: Iterable[str],
    *,
    prune: bool = False,
    wait: float = 0.0,
    procs: int | None = None,
    progress: Progress | None = None,
) -> IndexReport:
    """Add new articles, re-index changed ones and, with ``prune``, delete missing ones.

    Unchanged articles are not rewritten; when nothing changed, no new
    generation is made. Without a live index of this version, builds one.
    """

    def work(location: IndexLocation, started: datetime, clock: float) -> IndexReport:
        return _update(location, sources, prune, procs or _default_procs(), progress, started, clock)

    return _run(folder, "update", wait, work)
