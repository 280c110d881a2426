"""A term's postings read a block at a time, out of Whoosh's own block matcher.

Whoosh's matchers step through postings one at a time, each step a few
Python calls through a wrapper per segment: at 100,000 articles, reading
the postings of a common word that way was half of a slow search. Its
``whoosh3`` codec stores postings in blocks of up to 128, each one pickled
tuple of docnums, weights and values; reading whole blocks gives the same
postings in arrays. This leans on the block matcher's attributes
(``_ids``, ``_weights``, ``_values``) of Whoosh 2.7.4, which the project
pins; ``tests/test_evaluation.py`` checks the scores against Whoosh's own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["blocks", "positions", "postings"]


Block = tuple[NDArray[np.int64], Any]  # docnums in the whole index, and the matcher standing on the block


def blocks(reader: Any, field: str, btext: bytes, wanted: NDArray[np.int32] | None = None) -> Iterator[Block]:
    """Each block of a term's postings, segment after segment: its docnums in the whole index and its matcher.

    With ``wanted`` (ascending docnums), the blocks that cannot hold any of
    them are passed over without being decoded.
    """
    text_format = reader.schema[field].format
    for segment, offset in reader.leaf_readers():
        if (field, btext) not in segment:
            continue
        matcher = segment._terms.matcher(field, btext, text_format)
        deleted = np.fromiter(segment._perdoc.deleted_docs(), np.int64) if segment.has_deletions() else None
        after = offset - 1  # the blocks of a segment are in docnum order: a block starts after the last one
        while matcher.is_active():
            last = offset + matcher.block_max_id()
            if wanted is not None and np.searchsorted(wanted, after, "right") == np.searchsorted(wanted, last, "right"):
                after = last
                matcher._next_block()
                continue
            matcher._read_ids()
            local = np.asarray(matcher._ids, np.int64)
            if deleted is not None and len(deleted):
                matcher._read_weights()
                matcher._read_values()
                keep = ~np.isin(local, deleted)
                local = local[keep]
                matcher._weights = np.asarray(matcher._weights, np.float32)[keep]
                matcher._values = [v for v, k in zip(matcher._values, keep, strict=True) if k]
            yield local + offset, matcher
            after = last
            matcher._next_block()


def postings(reader: Any, field: str, btext: bytes) -> tuple[NDArray[np.int32], NDArray[np.float32]]:
    """The docnums holding a term and its weight in each (its frequency, boosted), live documents only."""
    ids: list[NDArray[np.int64]] = []
    weights: list[NDArray[np.float32]] = []
    for docnums, matcher in blocks(reader, field, btext):
        if matcher._weights is None:
            matcher._read_weights()
        ids.append(docnums)
        weights.append(np.asarray(matcher._weights, np.float32))
    if not ids:
        return np.zeros(0, np.int32), np.zeros(0, np.float32)
    return np.concatenate(ids).astype(np.int32), np.concatenate(weights)


def positions(reader: Any, field: str, btext: bytes, docnums: NDArray[np.int32]) -> dict[int, list[int]]:
    """Where a term stands in each of these documents (ascending docnums) that holds it."""
    decode = reader.schema[field].format.decode_positions
    found: dict[int, list[int]] = {}
    if not len(docnums):
        return found
    for ids, matcher in blocks(reader, field, btext, docnums):
        at = np.searchsorted(docnums, ids)
        hit = np.flatnonzero(docnums[np.minimum(at, len(docnums) - 1)] == ids)
        if not len(hit):
            continue
        if matcher._values is None:
            matcher._read_values()
        values = matcher._values
        for i in hit.tolist():
            found[int(ids[i])] = decode(values[i])
    return found
