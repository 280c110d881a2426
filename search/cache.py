"""Search responses kept for the next reader who asks the same thing.

A news site's traffic is skewed: the same few searches come again and again
(a Zipf curve). Each worker keeps the responses of its live index
generation, the most recently used first, up to a size in bytes; when a new
generation goes live the cache empties itself, so a response is never older
than the index it came from. Hits, misses and size are counted for
``/api/health``, and each serving worker writes them now and then into
``<index>/.serve/<pid>.json`` for ``kiosque status``.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from .request import SearchRequest
from .results import SearchResponse

__all__ = ["DEFAULT_CACHE_MB", "STATS_FOLDER", "CacheStats", "ResultCache", "serving_stats"]

DEFAULT_CACHE_MB = 32
STATS_FOLDER = ".serve"
# A worker writes its counts at most this often, and a count older than this much is a dead worker's.
_WRITE_EVERY_S = 5.0
_STALE_AFTER_S = 600.0


@dataclass
class CacheStats:
    """What a cache did since its process started."""

    hits: int = 0
    misses: int = 0
    entries: int = 0
    bytes: int = 0
    max_bytes: int = 0

    def to_dict(self) -> dict[str, int]:
        """The counts as JSON-ready data."""
        return asdict(self)


def _key(request: SearchRequest) -> SearchRequest:
    """The request as the cache knows it: spacing in the query does not make another search."""
    return replace(request, q=" ".join(request.q.split()))


def _size(response: SearchResponse) -> int:
    """About how many bytes a response holds (its text counted thrice for Python's objects)."""
    text = sum(len(h.title) + len(h.title_html) + len(h.snippet) + sum(map(len, h.tags)) for h in response.hits)
    text += sum(len(v.value) + 32 for values in response.facets.values() for v in values)
    return 3 * text + 200 * len(response.hits) + 64 * len(response.timeline) + 2_000


class ResultCache:
    """Responses of one index generation, least recently used dropped first. Thread-safe."""

    def __init__(self, max_bytes: int = DEFAULT_CACHE_MB * 2**20, stats_folder: Path | None = None):
        self.max_bytes = max_bytes
        self.stats_folder = stats_folder
        self._entries: OrderedDict[SearchRequest, tuple[SearchResponse, int]] = OrderedDict()
        self._generation: str | None = None
        self._bytes = self._hits = self._misses = 0
        self._written = 0.0
        self._lock = threading.Lock()

    def get(self, generation: str, request: SearchRequest) -> SearchResponse | None:
        """The response kept for this request on this generation, or None."""
        with self._lock:
            self._follow(generation)
            found = self._entries.get(_key(request))
            if found is None:
                self._misses += 1
            else:
                self._hits += 1
                self._entries.move_to_end(_key(request))
        self._write_stats()
        return found[0] if found else None

    def put(self, generation: str, request: SearchRequest, response: SearchResponse) -> None:
        """Keep a response of this generation (unless it alone exceeds the cache)."""
        size = _size(response)
        if not self.max_bytes or size > self.max_bytes:
            return
        with self._lock:
            self._follow(generation)
            key = _key(request)
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._bytes -= previous[1]
            self._entries[key] = (response, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    def _follow(self, generation: str) -> None:
        if generation != self._generation:  # a new build is live: what was kept is of the old one
            self._entries.clear()
            self._bytes = 0
            self._generation = generation

    def stats(self) -> CacheStats:
        """Hits and misses since the process started, and what is kept now."""
        with self._lock:
            return CacheStats(self._hits, self._misses, len(self._entries), self._bytes, self.max_bytes)

    def _write_stats(self) -> None:
        if self.stats_folder is None or time.monotonic() - self._written < _WRITE_EVERY_S:
            return
        self._written = time.monotonic()
        record = {"pid": os.getpid(), "updated": time.time(), **self.stats().to_dict()}
        target = self.stats_folder / f"{os.getpid()}.json"
        try:
            self.stats_folder.mkdir(exist_ok=True)
            temporary = target.with_suffix(f".{threading.get_ident()}.tmp")
            temporary.write_text(json.dumps(record), encoding="utf-8")
            os.replace(temporary, target)
        except OSError:  # a read-only index folder: the counts stay in /api/health
            self.stats_folder = None


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def serving_stats(index_folder: Path) -> dict[str, Any] | None:
    """The cache counts of the workers serving this index now, summed (None when none writes them)."""
    folder = index_folder / STATS_FOLDER
    workers = []
    for path in folder.glob("*.json") if folder.is_dir() else ():
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if time.time() - record.get("updated", 0) < _STALE_AFTER_S and _alive(int(record.get("pid", 0))):
            workers.append(record)
        else:  # a worker that has stopped: its counts go with it
            path.unlink(missing_ok=True)
    if not workers:
        return None
    totals = {name: sum(int(w.get(name, 0)) for w in workers) for name in ("hits", "misses", "entries", "bytes")}
    return {"workers": len(workers), **totals}
