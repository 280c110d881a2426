"""Postings as arrays: what scoring reads, decoded once per open index and kept.

Whoosh scores one posting at a time through a tree of Python matchers: on a
query of a few common words over a few thousand articles that is most of a
search. Here a term's postings are read once into NumPy arrays, turned into
their BM25F scores with Whoosh's own formula and statistics, and kept in a
bounded cache: the next query with that term costs an array lookup.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from math import log
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .scoring import RankingConfig

__all__ = ["CACHED_POSTINGS", "Postings", "TermScores"]

# How many postings the cache keeps, over all terms (about 12 bytes each).
CACHED_POSTINGS = 6_000_000

TermScores = tuple[NDArray[np.int32], NDArray[np.float64]]  # docnums (ascending) and their scores
_EMPTY: TermScores = (np.zeros(0, np.int32), np.zeros(0, np.float64))


class Postings:
    """The BM25F scores of terms in one open index, as arrays, with Whoosh's statistics."""

    def __init__(self, reader: Any, config: RankingConfig, fields: tuple[str, ...]):
        self.reader = reader
        self.size = reader.doc_count_all()
        self.fields = fields
        self.K1 = config.K1
        self.B = {name: getattr(config, f"{name}_B", config.B) for name in fields}
        live = reader.doc_count() or 1
        self.average_length = {name: (reader.field_length(name) / live) or 1 for name in fields}
        # Whoosh stores lengths rounded to a byte; read them as its scorer does, once.
        self.lengths = {
            name: np.fromiter((reader.doc_field_length(n, name, 1) for n in range(self.size)), np.float64, self.size)
            for name in fields
        }
        self._cache: OrderedDict[tuple[str, str], TermScores] = OrderedDict()
        self._cached = 0
        self._lock = threading.Lock()

    def scores(self, field: str, text: str) -> TermScores:
        """Docnums holding ``text`` in ``field`` and the BM25F score of each (empty when none)."""
        key = (field, text)
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
        found = self._read(field, text)
        with self._lock:
            if key not in self._cache:
                self._cache[key] = found
                self._cached += len(found[0])
                while self._cached > CACHED_POSTINGS and len(self._cache) > 1:
                    _, (ids, _) = self._cache.popitem(last=False)
                    self._cached -= len(ids)
        return found

    def positions(self, field: str, text: str, docnums: list[int]) -> dict[int, list[int]]:
        """Where ``text`` stands in ``field`` of each of these documents (ascending docnums) that hold it."""
        btext = text.encode("utf-8")
        if (field, btext) not in self.reader:
            return {}
        matcher = self.reader.postings(field, btext)
        found: dict[int, list[int]] = {}
        for docnum in docnums:
            if not matcher.is_active():
                break
            matcher.skip_to(docnum)
            if matcher.is_active() and matcher.id() == docnum:
                found[docnum] = matcher.value_as("positions")
        return found

    def _read(self, field: str, text: str) -> TermScores:
        btext = text.encode("utf-8")
        if (field, btext) not in self.reader:
            return _EMPTY
        frequency = self.reader.doc_frequency(field, btext)
        pairs = self.reader.postings(field, btext).items_as("weight")
        flat = np.fromiter((value for pair in pairs for value in pair), np.float64)
        ids = flat[0::2].astype(np.int32)
        weights = flat[1::2]
        # Whoosh's BM25F (whoosh.scoring.bm25), term by term, in one pass over the arrays.
        idf = log(self.size / (frequency + 1)) + 1
        B, K1 = self.B[field], self.K1
        norm = K1 * ((1 - B) + B * self.lengths[field][ids] / self.average_length[field])
        return ids, idf * ((weights * (K1 + 1)) / (weights + norm))
