"""A new index written by several processes at once, each into segments of its own.

The parent reads the articles and hands them out in small batches: to a
worker process when one is free, otherwise it indexes the batch itself, so
that every core stays busy whatever the speed of the sources. Each process
counts the words of what it indexes for the vocabulary, and closes a
segment whenever its postings reach a memory bound. The parent then lists
every segment in the index's table of contents.

Whoosh's own ``MpWriter`` pickles every document to a temporary file for its
workers and leaves the parent idle; it cannot use ``ArticleSegmentWriter``.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import queue
import shutil
import signal
import time
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh.index import TOC

from .schema import from_stored
from .segment_writer import ArticleSegmentWriter
from .vocabulary import Vocabulary
from .vocabulary_counter import VocabularyCounter

__all__ = ["WorkerFailed", "write_documents"]

# Articles handed out at a time: small, so that the processes end together.
_BATCH_SIZE = 20
# What writing its segment costs a process per document, against indexing it (measured at
# 3,581 articles: 1.2 ms against 1.8 ms).
_FLUSH_SHARE = 0.7
# Batches the parent reads ahead of those handed out (of 20 documents; the end of a
# 3,581-article build left a worker about 300 documents of work behind the parent).
_READ_AHEAD = 24
# How often the parent, waiting for the workers' segments, checks that they are alive (seconds).
_POLL_SECONDS = 0.2


class WorkerFailed(RuntimeError):
    """A worker process died (killed, out of memory) before handing its segments over."""


class _Share:
    """What one process indexes: documents into segments of bounded memory, their words counted."""

    def __init__(self, ix: Any, memory_limit: int):
        self.ix = ix
        self.memory_limit = memory_limit
        self.writer: ArticleSegmentWriter | None = None
        self.segments: list[Any] = []
        self.count = 0
        self.words = VocabularyCounter()

    def add(self, documents: list[dict[str, Any]]) -> None:
        for document in documents:
            if self.writer is None:
                # The new index lives in a folder of its own: no lock to take.
                self.writer = ArticleSegmentWriter(self.ix, _lk=False, compound=False)
            self.writer.add_document(**document)
            self.words.add(from_stored(document))
            self.count += 1
            if self.writer.memory_used > self.memory_limit:
                self._close_segment()

    def _close_segment(self) -> None:
        assert self.writer is not None
        self.segments.append(self.writer.finish_segment())
        self.writer = None

    def finish(self) -> list[Any]:
        if self.writer is not None:
            self._close_segment()
        return self.segments

    def cancel(self) -> None:
        if self.writer is not None:
            self.writer.cancel()
            self.writer = None


def _die_with_parent() -> None:
    """In a worker: die when the parent dies, even of SIGKILL (Linux)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class _Balance:
    """Which process takes the last batches, so that all end their work at about the same time.

    While there is more to read, a worker takes every batch it is ready for:
    the parent also reads, so it indexes fewer documents. Each document costs
    its share of writing the segment at the end too, which makes a worker
    finish last. The last batches read go to the parent until its documents,
    plus the time it spent reading counted in documents, match a worker's.
    """

    def __init__(self, workers: int):
        self.workers = workers
        self.started = time.perf_counter()
        self.own_seconds = 0.0
        self.own_documents = 0
        self.handed_out = 0

    def worker_may_take(self, size: int) -> bool:
        if not self.own_documents or not self.own_seconds:
            return True
        reading = time.perf_counter() - self.started - self.own_seconds
        per_document = self.own_seconds / self.own_documents * (1 + _FLUSH_SHARE)
        lead = reading / per_document  # documents a worker may take beyond the parent's
        return (self.handed_out + size) / self.workers <= self.own_documents + lead

    def handed(self, size: int) -> None:
        self.handed_out += size

    @contextmanager
    def indexing(self, size: int) -> Iterator[None]:
        began = time.perf_counter()
        yield
        self.own_seconds += time.perf_counter() - began
        self.own_documents += size


def _work(ix: Any, memory_limit: int, jobs: Any, results: Any) -> None:
    """A worker process: index the batches it is given until told to stop, then send its segments."""
    _die_with_parent()
    share = _Share(ix, memory_limit)
    try:
        while (batch := jobs.get()) is not None:
            share.add(batch)
        # The words first: the parent merges them while this process writes its segments.
        results.put(("words", share.count, share.words.vocabulary()))
        results.put(("segments", share.finish()))
    except BaseException as error:  # noqa: BLE001 - handed to the parent, which raises it
        share.cancel()
        results.put(("failed", error))


def _batches(documents: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for document in documents:
        batch.append(document)
        if len(batch) == _BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def _failure(results: Any, workers: list[Any]) -> BaseException:
    """Why a worker stopped early: the error it reported, or how it died."""
    try:
        outcome = results.get(timeout=_POLL_SECONDS)
        if outcome[0] == "failed":
            return outcome[1]
    except queue.Empty:
        pass
    codes = [w.exitcode for w in workers if w.exitcode is not None]
    return WorkerFailed(f"an indexing process stopped (exit code {codes[0] if codes else None})")


def _stop(jobs: Any, results: Any, workers: list[Any]) -> None:
    """Tell each worker that no batch is left (a worker that failed takes none)."""
    for _ in workers:
        while True:
            try:
                jobs.put(None, timeout=_POLL_SECONDS)
                break
            except queue.Full:
                if not all(w.is_alive() for w in workers):
                    raise _failure(results, workers) from None


def _outcome(results: Any, workers: list[Any]) -> tuple[Any, ...]:
    """The next worker's report; raises ``WorkerFailed`` when a worker died without one."""
    while True:
        try:
            return tuple(results.get(timeout=_POLL_SECONDS))
        except queue.Empty:
            dead = [w for w in workers if w.exitcode not in (None, 0)]
            if dead:
                raise WorkerFailed(f"an indexing process stopped (exit code {dead[0].exitcode})") from None


def _gather(results: Any, workers: list[Any], vocabulary: Vocabulary, folder: Path, segments: list[Any]) -> int:
    """Take in the workers' words and segments; returns how many documents they wrote.

    A worker sends its words when it stops adding: they are merged and the
    vocabulary saved in ``folder`` while the workers still write their segments.
    """
    count = counted = written = 0
    if not workers:
        vocabulary.save(folder)
    while written < len(workers):
        outcome = _outcome(results, workers)
        if outcome[0] == "failed":
            raise outcome[1]
        if outcome[0] == "words":
            count += outcome[1]
            vocabulary.merge(outcome[2])
            counted += 1
            if counted == len(workers):
                vocabulary.save(folder)
        else:
            segments += outcome[1]
            written += 1
    return count


def write_documents(ix: Any, documents: Iterable[dict[str, Any]], procs: int, memory_limit: int) -> int:
    """Write ``documents`` into the new, empty index ``ix`` with ``procs`` processes.

    Saves the vocabulary of their words beside the index and returns how
    many were written. Raises the first error of any process; the index is
    then left without them.
    """
    context = multiprocessing.get_context("fork")
    jobs = context.Queue(maxsize=2)
    results = context.Queue()
    workers = [
        context.Process(target=_work, args=(ix, memory_limit, jobs, results), daemon=True) for _ in range(procs - 1)
    ]
    own = _Share(ix, memory_limit)
    try:
        for worker in workers:
            worker.start()
        balance = _Balance(len(workers))

        def hand_out(batch: list[dict[str, Any]], worker_may_take: bool = True) -> None:
            if workers and worker_may_take:
                try:
                    jobs.put_nowait(batch)  # a worker is ready for more
                    balance.handed(len(batch))
                    return
                except queue.Full:
                    pass
            with balance.indexing(len(batch)):
                own.add(batch)

        # Read a few batches ahead: the last ones go where they even the processes' work out.
        pending: deque[list[dict[str, Any]]] = deque()
        for batch in _batches(documents):
            pending.append(batch)
            if len(pending) > _READ_AHEAD:
                hand_out(pending.popleft())
        while pending:
            batch = pending.popleft()
            hand_out(batch, bool(workers) and balance.worker_may_take(len(batch)))
        _stop(jobs, results, workers)
        segments = own.finish()
        count = own.count + _gather(results, workers, own.words.vocabulary(), Path(ix.storage.folder), segments)
        for worker in workers:
            worker.join()
    except BaseException:
        own.cancel()
        for worker in workers:
            if worker.is_alive():
                worker.kill()
            worker.join()
        raise
    finally:
        jobs.close()
        results.close()
        # Every writer made the same scratch folder; none wrote in it.
        shutil.rmtree(Path(ix.storage.folder) / f"{ix.indexname}.tmp", ignore_errors=True)
    TOC(ix.schema, segments, ix.latest_generation() + 1).write(ix.storage, ix.indexname)
    return count
