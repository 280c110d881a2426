"""Posting lists written in Whoosh's ``whoosh3`` format, a term at a time.

Whoosh's postings writer takes one posting per call and builds a term's
statistics block by block through several objects; with about a hundred
thousand terms in a segment that overhead, and one ``zlib`` call per block,
was most of the time spent writing one. This writes the same blocks and
term records from a term's whole posting list at once.

Two things differ from Whoosh, within its format. A block is pickled with
protocol 5, and a block whose pickle is under a kilobyte is stored
uncompressed. Each block says how it is stored, and Whoosh's reader
decompresses only those that are (``W3LeafMatcher._read_data``) and loads
any protocol. Most terms hold a posting or two: compressing their tens of
bytes saved nothing and cost a ``zlib`` call each.

This leans on the format of Whoosh 2.7.4, which the project pins;
``tests/test_segment_writer.py`` checks that Whoosh reads back the same
terms, statistics and postings as from its own writer.
"""

from __future__ import annotations

import struct
import zlib
from array import array
from collections.abc import Sequence
from pickle import dumps
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte

__all__ = ["BLOCK_PICKLE", "COMPRESSED_FROM", "TermWriter"]

# Blocks whose pickle is shorter than this are stored as they are. Writing 3,581 articles in
# one segment (measured): from 256 bytes, 3.65 s and 25.8 MB of postings; from 1 KB, 3.22 s
# and 30.5 MB (Whoosh's own writer: 62.8 MB for the whole index, against about 50 now).
COMPRESSED_FROM = 1024
# Whoosh pickles a block with protocol 2, which has no opcode for bytes: each posting's value
# goes through ``_codecs.encode`` as UTF-8 text. Protocol 5 stores bytes as they are, and
# Whoosh's reader takes any protocol (``loads``).
BLOCK_PICKLE = 5
# Whoosh's ``W3TermInfo`` record: flags, total weight, document frequency,
# shortest and longest field length (as bytes), highest weight, first and last docnum.
_TERM_INFO = struct.Struct("!BfIBBfII")


class TermWriter:
    """Writes the terms of the field a ``W3FieldWriter`` has started, one posting list each."""

    def __init__(self, fieldwriter: Any, field_lengths: list[int | None]):
        self.field_lengths = field_lengths  # each document's length in this field, as Whoosh stores it
        codec = fieldwriter._codec
        self.limit = codec._blocklimit
        self.level = codec._compression
        self.fixed_size = fieldwriter._format.fixed_value_size()
        self.postfile = fieldwriter._postfile.file  # the raw file under Whoosh's StructFile
        self.add_record = fieldwriter._tindex.add
        self.field_prefix = pack_ushort(fieldwriter._fieldid)

    def write(
        self,
        term: bytes,
        docnums: Sequence[int],
        weights: Sequence[float],
        values: Sequence[bytes],
    ) -> None:
        """Write one term's postings (in docnum order) and its record in the term index."""
        if len(docnums) == 1:
            self.write_single(term, docnums[0], weights[0], values[0])
            return
        field_lengths = self.field_lengths
        postfile = self.postfile
        start_offset = postfile.tell()
        postfile.write(WHOOSH3_HEADER_MAGIC)
        total_weight: float = 0
        min_length: int | None = None
        max_length = 0
        max_weight: float = 0
        count = len(docnums)
        limit = self.limit
        for start in range(0, count, limit):
            stop = min(start + limit, count)
            ids = docnums[start:stop] if count > limit else docnums
            raw_weights = weights[start:stop] if count > limit else weights
            block_weights = array("f", raw_weights)  # stored as 32-bit floats, as Whoosh does
            block_values = values[start:stop] if count > limit else values
            if not all(block_values):
                block_values = [v for v in block_values if v]  # Whoosh keeps only non-empty values

            present = [length for length in map(field_lengths.__getitem__, ids) if length]
            block_min = min(present) if present else None
            block_max = max(present) if present else 0
            heaviest = max(raw_weights)
            block_max_weight = heaviest if heaviest > 0 else 0

            total_weight += sum(block_weights)
            min_length = block_min if min_length is None else min(min_length, block_min)  # type: ignore[type-var]
            max_length = max(max_length, block_max)
            max_weight = max(max_weight, block_max_weight)

            data = dumps((_gaps(ids), _mini_weights(block_weights), self._mini_values(block_values)), BLOCK_PICKLE)
            level = self.level if len(data) >= COMPRESSED_FROM else 0
            if level:
                data = _compress(data, level)
            info = dumps(
                (len(ids), ids[-1], block_max_weight, level, length_to_byte(block_min), length_to_byte(block_max)), 2
            )
            block_length = len(info) + len(data)
            # The last block says so with a negative length.
            postfile.write(b"".join((pack_int(-block_length if stop == count else block_length), info, data)))

        record = _TERM_INFO.pack(
            False,
            total_weight,
            count,
            0 if min_length is None else length_to_byte(min_length),
            length_to_byte(max_length),
            max_weight,
            docnums[0],
            docnums[-1],
        )
        extent = pack_long(start_offset) + pack_int(postfile.tell() - start_offset)
        self.add_record(self.field_prefix + term, record + extent)

    def write_single(self, term: bytes, docnum: int, weight: float, value: bytes) -> None:
        """``write`` for a term of one posting, most terms of a segment, without the loop over blocks."""
        stored_weight = _as_float32(weight)
        mini_weight = None if stored_weight == 1.0 else stored_weight
        data = dumps(((docnum,), mini_weight, self._mini_values([value] if value else [])), BLOCK_PICKLE)
        level = self.level if len(data) >= COMPRESSED_FROM else 0
        if level:
            data = _compress(data, level)
        length = self.field_lengths[docnum] or None
        length_byte = length_to_byte(length)
        max_weight = weight if weight > 0 else 0
        info = dumps((1, docnum, max_weight, level, length_byte, length_byte), 2)
        postfile = self.postfile
        start_offset = postfile.tell()
        block_length = len(info) + len(data)
        postfile.write(b"".join((WHOOSH3_HEADER_MAGIC, pack_int(-block_length), info, data)))
        record = _TERM_INFO.pack(False, stored_weight, 1, length_byte, length_byte, max_weight, docnum, docnum)
        extent = pack_long(start_offset) + pack_int(8 + block_length)
        self.add_record(self.field_prefix + term, record + extent)

    def _mini_values(self, values: Sequence[bytes]) -> Any:
        fixed_size = self.fixed_size
        if fixed_size is None or fixed_size < 0:
            return tuple(values)
        if fixed_size == 0:
            return None
        return b"".join(values)


def _compress(data: bytes, level: int) -> bytes:
    # A block's pickle is a few kilobytes at most: an 8 KB window and a smaller
    # hash table compress it as well, and zlib's default ones cost more to set
    # up than to use (a block 8 µs instead of 46). Any zlib reader inflates it.
    compressor = zlib.compressobj(level, zlib.DEFLATED, 13, 4)
    return compressor.compress(data) + compressor.flush()


_FLOAT32 = struct.Struct("f")


def _as_float32(value: float) -> float:
    return float(_FLOAT32.unpack(_FLOAT32.pack(value))[0])


def _gaps(ids: Sequence[int]) -> tuple[int, ...]:
    previous = 0
    gaps = []
    for docnum in ids:
        gaps.append(docnum - previous)
        previous = docnum
    return tuple(gaps)


def _mini_weights(weights: array[float]) -> Any:
    if all(w == 1.0 for w in weights):
        return None
    if all(w == weights[0] for w in weights):
        return weights[0]
    return tuple(weights)
