"""The terms of a French text field, gathered as arrays for a whole segment.

Grouping each article's terms into per-term lists in Python cost a few
microseconds per term occurrence, twice the time of everything else in a
build. Here each distinct word as written is analysed once (``_token``) and
given up to three term ids (stems and exact form); an article's field is
then a few NumPy operations over its words. When the segment is written,
one stable sort orders every occurrence by term, document and position, and
the postings (count, weight, encoded positions) come out of array
operations, in the encoding Whoosh's ``Positions`` format writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pickle import dumps

import numpy as np
from numpy.typing import NDArray
from whoosh.system import pack_uint

from .analysis import _WORD, _token

__all__ = ["SLICE_POSTINGS", "FieldOccurrences", "FieldPostings", "Lexicon"]

# A word gives at most three terms: its stem, the stem of its unaccented spelling, its exact form.
_SLOTS = 3
# Python's pickler splits lists longer than this into several batches: such rare
# position lists are pickled by Python itself.
_PICKLE_BATCH = 1000
# Postings turned into Python objects at a time when a segment is written.
SLICE_POSTINGS = 65536
# Bytes an occurrence takes when its field is written: its arrays while gathered (8), and the sort's
# (measured: 2.5 million occurrences, 128 MB gathered, 261 MB at the peak of their flush).
_FLUSH_BYTES = 60
_LIST_HEAD = np.frombuffer(b"\x80\x02]q\x00", dtype=np.uint8)  # pickle protocol 2: an empty list, memoized


class Lexicon:
    """Words as written, and the terms they give, numbered for one writer."""

    def __init__(self) -> None:
        self.word_ids: dict[str, int] = {}  # word as written -> id, or -1 when it takes no position
        self.slots = np.full((1024, _SLOTS), -1, dtype=np.int32)  # word id -> its term ids, -1 for none
        self.words = 0
        self.term_ids: dict[str, int] = {}
        self.terms: list[str] = []

    @property
    def memory(self) -> int:
        """Rough bytes held: a dictionary entry and a row per word, an entry and a string per term."""
        return 120 * len(self.word_ids) + 150 * len(self.terms)

    def term_id(self, term: str) -> int:
        found = self.term_ids.get(term)
        if found is None:
            found = self.term_ids[term] = len(self.terms)
            self.terms.append(term)
        return found

    def word_id(self, raw: str) -> int:
        """The id of a word as written, analysed on first sight."""
        found = _token(raw)
        if found is None:  # a stop word: it takes no position
            self.word_ids[raw] = -1
            return -1
        word = self.words
        if word == len(self.slots):
            grown = np.full((2 * word, _SLOTS), -1, dtype=np.int32)
            grown[:word] = self.slots
            self.slots = grown
        for slot, term in enumerate(found[1]):
            self.slots[word, slot] = self.term_id(term)
        self.words += 1
        self.word_ids[raw] = word
        return word


@dataclass
class FieldPostings:
    """A slice of a field's postings in Whoosh's order: for each term (in byte order), its postings by document."""

    terms: list[bytes]
    term_starts: list[int]  # where each term's postings start; one more entry for the end
    docnums: list[int]
    counts: list[int]
    values: list[bytes]


class FieldOccurrences:
    """Every term occurrence of one field in a segment: term id, document, position."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self.term_chunks: list[NDArray[np.int32]] = []
        self.position_chunks: list[NDArray[np.int32]] = []
        self.docnums: list[int] = []  # the document of each chunk
        self.occurrences = 0

    @property
    def memory(self) -> int:
        """Rough bytes a flush of this field takes at its peak, measured: about 60 an occurrence."""
        return _FLUSH_BYTES * self.occurrences + 250 * len(self.docnums)

    def add_text(self, docnum: int, text: str) -> int:
        """Add a document's text; returns its length in terms, as Whoosh counts it."""
        words = _WORD.findall(text)
        if not words:
            return 0
        lexicon = self.lexicon
        known = lexicon.word_ids
        for raw in set(words).difference(known):  # words never seen, analysed once each
            lexicon.word_id(raw)
        word_ids = np.array(list(map(known.__getitem__, words)), dtype=np.int32)
        kept = np.flatnonzero(word_ids >= 0)
        if not kept.size:
            return 0
        # Whoosh's stop filter numbers the words after the first kept one from its position on.
        positions = np.arange(kept[0], kept[0] + kept.size, dtype=np.int32)
        slots = lexicon.slots[word_ids[kept]]
        present = slots >= 0
        terms = slots[present]
        if not terms.size:
            return 0
        self.term_chunks.append(terms)
        self.position_chunks.append(np.broadcast_to(positions[:, None], slots.shape)[present])
        self.docnums.append(docnum)
        self.occurrences += int(terms.size)
        return int(terms.size)

    def add_posting(self, term: str, docnum: int, positions: list[int]) -> None:
        """Add one posting read from another segment (a merge)."""
        self.term_chunks.append(np.full(len(positions), self.lexicon.term_id(term), dtype=np.int32))
        self.position_chunks.append(np.array(positions, dtype=np.int32))
        self.docnums.append(docnum)
        self.occurrences += len(positions)

    def postings(self) -> Iterator[FieldPostings]:
        """The postings, grouped and encoded, in slices of whole terms of about ``SLICE_POSTINGS`` postings.

        Only a slice at a time is turned into Python objects: the memory of a
        flush stays a few arrays over the occurrences.
        """
        terms = np.concatenate(self.term_chunks)
        sizes = np.fromiter((len(chunk) for chunk in self.term_chunks), dtype=np.int64, count=len(self.term_chunks))
        self.term_chunks = []
        # Terms in byte order (they are ASCII): rank each id, then one stable sort keeps
        # documents and positions in the order they came (merged segments come last).
        present = np.unique(terms)
        names = [self.lexicon.terms[i] for i in present.tolist()]
        by_name = sorted(range(len(names)), key=names.__getitem__)
        rank = np.empty(int(present[-1]) + 1, dtype=np.int32)
        rank[present[by_name]] = np.arange(len(by_name), dtype=np.int32)
        ranks = rank[terms]
        del terms
        order = np.argsort(ranks, kind="stable")
        ranks = ranks[order]
        docs = np.repeat(np.array(self.docnums, dtype=np.int32), sizes)[order]
        positions = np.concatenate(self.position_chunks)[order]
        self.position_chunks, self.docnums = [], []
        del order

        size = len(ranks)
        starts_posting = np.ones(size, dtype=bool)
        starts_posting[1:] = (ranks[1:] != ranks[:-1]) | (docs[1:] != docs[:-1])
        posting_starts = np.flatnonzero(starts_posting)
        del starts_posting
        counts = np.diff(np.append(posting_starts, size))
        term_starts = np.append(np.flatnonzero(np.diff(ranks[posting_starts], prepend=-1)), len(posting_starts))
        del ranks
        gaps = positions.copy()
        gaps[1:] -= positions[:-1]
        gaps[posting_starts] = positions[posting_starts]
        del positions
        posting_docs = docs[posting_starts]
        del docs
        term_bytes = [names[i].encode("ascii") for i in by_name]

        first_term = 0
        while first_term < len(term_bytes):
            first = term_starts[first_term]
            # Whole terms up to about SLICE_POSTINGS postings, at least one term.
            stop_term = int(np.searchsorted(term_starts, first + SLICE_POSTINGS, side="right")) - 1
            stop_term = min(max(stop_term, first_term + 1), len(term_bytes))
            stop = term_starts[stop_term]
            begin = posting_starts[first]
            end = posting_starts[stop] if stop < len(posting_starts) else len(gaps)
            yield FieldPostings(
                terms=term_bytes[first_term:stop_term],
                term_starts=(term_starts[first_term : stop_term + 1] - first).tolist(),
                docnums=posting_docs[first:stop].tolist(),
                counts=counts[first:stop].tolist(),
                values=_encode_positions(gaps[begin:end], posting_starts[first:stop] - begin, counts[first:stop]),
            )
            first_term = stop_term


def _encode_positions(gaps: NDArray[np.int32], starts: NDArray[np.int64], counts: NDArray[np.int64]) -> list[bytes]:
    """``Positions.encode`` of every posting: its count, then the pickled list of gaps, byte for byte."""
    postings = len(starts)
    # Each gap is pickled as K + 1 byte, M + 2 bytes or J + 4 bytes (signed, little-endian).
    item_sizes = np.where(gaps < 256, 2, np.where(gaps < 65536, 3, 5))
    item_ends = np.cumsum(item_sizes)
    items_before = np.concatenate(([0], item_ends))[starts]
    items_size = np.concatenate(([0], item_ends))[starts + counts] - items_before
    several = counts > 1
    # count (4) + list head (6) + MARK if several + items + APPEND(S) and STOP (2)
    lengths = 4 + len(_LIST_HEAD) + several + items_size + 2
    ends = np.cumsum(lengths)
    begins = ends - lengths
    buffer = np.zeros(int(ends[-1]) if postings else 0, dtype=np.uint8)

    buffer[begins[:, None] + np.arange(4)] = counts.astype(">u4").view(np.uint8).reshape(-1, 4)
    buffer[begins[:, None] + 4 + np.arange(len(_LIST_HEAD))] = _LIST_HEAD
    buffer[begins[several] + 4 + len(_LIST_HEAD)] = ord("(")
    item_start = begins + 4 + len(_LIST_HEAD) + several  # where each posting's first item goes
    # Where each gap's item goes: its posting's first item, plus the sizes of the items before it.
    posting_of_gap = np.repeat(np.arange(postings), counts)
    at = item_start[posting_of_gap] + (item_ends - item_sizes) - items_before[posting_of_gap]
    small, medium, large = item_sizes == 2, item_sizes == 3, item_sizes == 5
    buffer[at[small]] = ord("K")
    buffer[at[small] + 1] = gaps[small]
    buffer[at[medium]] = ord("M")
    buffer[at[medium][:, None] + 1 + np.arange(2)] = gaps[medium].astype("<u2").view(np.uint8).reshape(-1, 2)
    buffer[at[large]] = ord("J")
    buffer[at[large][:, None] + 1 + np.arange(4)] = gaps[large].astype("<i4").view(np.uint8).reshape(-1, 4)
    tail = ends - 2
    buffer[tail] = np.where(several, ord("e"), ord("a"))
    buffer[tail + 1] = ord(".")

    raw = buffer.tobytes()
    values = [raw[b:e] for b, e in zip(begins.tolist(), ends.tolist(), strict=True)]
    for index in np.flatnonzero(counts > _PICKLE_BATCH).tolist():  # lists the pickler batches
        first = int(starts[index])
        gap_list = gaps[first : first + int(counts[index])].tolist()
        values[index] = pack_uint(len(gap_list)) + dumps(gap_list, 2)
    return values
