"""Postings as arrays: what scoring reads, decoded once per open index and kept.

Whoosh scores one posting at a time through a tree of Python matchers: on a
query of a few common words over a few thousand articles that is most of a
search. Here a term's postings are read once into NumPy arrays (docnums and
weights, 8 bytes a posting) and kept in a bounded cache; each query turns
them into BM25F scores with Whoosh's own formula and statistics, in one
vector operation.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from math import log
from typing import Any

import numpy as np
from numpy.typing import NDArray

from . import blocks
from .scoring import RankingConfig

__all__ = ["CACHE_BYTES", "Postings", "TermScores"]

# What the cache of decoded postings may hold, per worker.
CACHE_BYTES = 128 * 2**20

TermScores = tuple[NDArray[np.int32], NDArray[np.float64]]  # docnums (ascending) and their scores
# Docnums, weights (a term's frequency, boosted) and the inverse document frequency.
_Posted = tuple[NDArray[np.int32], NDArray[np.float32], float]
_NO_POSTINGS: _Posted = (np.zeros(0, np.int32), np.zeros(0, np.float32), 0.0)


class Postings:
    """The BM25F scores of terms in one open index, as arrays, with Whoosh's statistics."""

    def __init__(self, reader: Any, config: RankingConfig, fields: tuple[str, ...]):
        self.reader = reader
        self.size = reader.doc_count_all()
        self.fields = fields
        self.K1 = config.K1
        self.B = {name: getattr(config, f"{name}_B", config.B) for name in fields}
        # As Whoosh's: the lengths of every document, deleted ones too, over all of them.
        self.average_length = {name: (reader.field_length(name) / (self.size or 1)) or 1 for name in fields}
        # Whoosh stores lengths rounded to a byte; read them as its scorer does, once.
        self.lengths = {
            name: np.fromiter((reader.doc_field_length(n, name, 1) for n in range(self.size)), np.float64, self.size)
            for name in fields
        }
        self._cache: OrderedDict[tuple[str, str], _Posted] = OrderedDict()
        self._cached = 0
        self._lock = threading.Lock()

    def scores(self, field: str, text: str) -> TermScores:
        """Docnums holding ``text`` in ``field`` and the BM25F score of each (empty when none)."""
        ids, weights, idf = self._postings(field, text)
        if not len(ids):
            return ids, weights.astype(np.float64)
        # Whoosh's BM25F (whoosh.scoring.bm25), over the whole array at once.
        B, K1 = self.B[field], self.K1
        tf = weights.astype(np.float64)
        norm = K1 * ((1 - B) + B * self.lengths[field][ids] / self.average_length[field])
        return ids, idf * ((tf * (K1 + 1)) / (tf + norm))

    def _postings(self, field: str, text: str) -> _Posted:
        key = (field, text)
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
        found = self._read(field, text)
        size = found[0].nbytes + found[1].nbytes
        with self._lock:
            if key not in self._cache:
                self._cache[key] = found
                self._cached += size
                while self._cached > CACHE_BYTES and len(self._cache) > 1:
                    _, (ids, weights, _) = self._cache.popitem(last=False)
                    self._cached -= ids.nbytes + weights.nbytes
        return found

    def _read(self, field: str, text: str) -> _Posted:
        btext = text.encode("utf-8")
        if (field, btext) not in self.reader:
            return _NO_POSTINGS
        ids, weights = blocks.postings(self.reader, field, btext)
        idf = log(self.size / (self.reader.doc_frequency(field, btext) + 1)) + 1  # Whoosh's idf
        return ids, weights, idf

    def preload(self, field: str, terms: Iterable[str]) -> int:
        """Read these terms' postings into the cache ahead of the searches, within its size; the postings read."""
        read = 0
        for text in terms:
            if self._cached >= CACHE_BYTES // 2:  # leave room for what searches ask
                break
            read += len(self._postings(field, text)[0])
        return read

    def positions(self, field: str, text: str, docnums: list[int]) -> dict[int, list[int]]:
        """Where ``text`` stands in ``field`` of each of these documents (ascending docnums) that hold it."""
        btext = text.encode("utf-8")
        if (field, btext) not in self.reader:
            return {}
        return blocks.positions(self.reader, field, btext, np.asarray(docnums, np.int32))
