"""A Whoosh segment writer whose postings skip Whoosh's per-posting path.

Whoosh's ``SegmentWriter`` turns every posting into a tuple, pools and sorts
all of them, then hands them one at a time to the codec. With an exact form
beside every stem, an article makes twice the postings of a plain index,
and that path was half the time of a build. This writer keeps, per field
and term, the documents, weights and encoded positions in arrays as it goes,
analyses the French text fields once per word (``word_tokens``), and writes
each term's postings a block at a time through the codec's own block writer.

The files are the ones Whoosh writes, byte for byte
(``tests/test_segment_writer.py`` compares them), so reading, merging and
updating are Whoosh's as before.
"""

from __future__ import annotations

import itertools
from array import array
from pickle import dumps
from typing import Any

from whoosh.formats import Positions
from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter

from .analysis import FrenchAnalyzer, term_positions
from .block_writer import TermWriter

__all__ = ["ArticleSegmentWriter", "PostingTable"]

# Bytes a posting and a new term take in a ``PostingTable`` (measured with tracemalloc on the
# shared corpus): what bounds a writer's memory.
_POSTING_BYTES = 72
_TERM_BYTES = 400


class _TermPostings:
    """One term's postings, in document order."""

    __slots__ = ("docnums", "weights", "values", "ordered")

    def __init__(self) -> None:
        self.docnums = array("I")
        self.weights = array("d")
        self.values: list[bytes] = []
        self.ordered = True

    def add(self, docnum: int, weight: float, value: bytes) -> None:
        if self.docnums and docnum < self.docnums[-1]:
            self.ordered = False
        self.docnums.append(docnum)
        self.weights.append(weight)
        self.values.append(value)

    def sorted(self) -> tuple[array[int], array[float], list[bytes]]:
        """The postings by document number (merged segments may come after new documents)."""
        if self.ordered:
            return self.docnums, self.weights, self.values
        order = sorted(range(len(self.docnums)), key=lambda i: (self.docnums[i], self.weights[i], self.values[i]))
        return (
            array("I", (self.docnums[i] for i in order)),
            array("d", (self.weights[i] for i in order)),
            [self.values[i] for i in order],
        )


class PostingTable:
    """Stands in for Whoosh's ``PostingPool``: postings grouped by field and term as they come.

    The terms of the French text fields are kept as text (the analyzer's
    own strings, encoded once at the end); those of other fields as bytes.
    """

    def __init__(self, text_fields: set[str]) -> None:
        self.text_fields = text_fields
        self.fields: dict[str, dict[Any, _TermPostings]] = {}
        self.fieldnames: set[str] = set()
        self.size = 0  # estimated bytes held

    def terms(self, fieldname: str) -> dict[Any, _TermPostings]:
        table = self.fields.get(fieldname)
        if table is None:
            table = self.fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        return table

    def add(self, item: tuple[str, bytes, int, float, bytes]) -> None:
        """Whoosh's pool interface: one ``(fieldname, term, docnum, weight, value)`` posting."""
        fieldname, term, docnum, weight, value = item
        if docnum < 0:  # Whoosh's marker of a spelling word: no field of ours has one
            return
        table = self.terms(fieldname)
        key = term.decode("utf-8") if fieldname in self.text_fields else term
        postings = table.get(key)
        if postings is None:
            postings = table[key] = _TermPostings()
            self.size += _TERM_BYTES
        postings.add(docnum, weight, value or b"")
        self.size += _POSTING_BYTES

    def sorted_terms(self, fieldname: str) -> list[tuple[bytes, _TermPostings]]:
        """A field's terms as bytes, in Whoosh's order, with their postings."""
        table = self.fields[fieldname]
        if fieldname in self.text_fields:
            # The analyzer's terms are ASCII: in text order as in byte order.
            return [(term.encode("ascii"), table[term]) for term in sorted(table)]
        return sorted(table.items())

    def cleanup(self) -> None:
        self.fields.clear()


# Most postings hold one position: its pickle is made once. (Each value stays its own
# bytes object: a shared one would be pickled by reference, and the files differ from Whoosh's.)
_ONE = pack_uint(1)
_single_position: dict[int, bytes] = {}


def _pickled_position(position: int) -> bytes:
    pickled = _single_position[position] = dumps([position], 2)
    return pickled


def _encode_positions(positions: list[int]) -> bytes:
    """``Positions.encode``: the count, then the pickled gaps."""
    gaps = [positions[0]]
    gaps.extend(b - a for a, b in itertools.pairwise(positions))
    return pack_uint(len(gaps)) + dumps(gaps, 2)


def _is_french_text(field: Any) -> bool:
    return (
        isinstance(getattr(field, "analyzer", None), FrenchAnalyzer)
        and type(field.format) is Positions
        and not field.vector
        and not field.separate_spelling()
    )


class ArticleSegmentWriter(SegmentWriter):
    """``SegmentWriter`` with a fast path for the French text fields and the postings."""

    def __init__(self, ix: Any, **kwargs: Any):
        super().__init__(ix, **kwargs)
        self._french = {name for name, field in self.schema.items() if _is_french_text(field)}
        self.pool = PostingTable(self._french)

    @property
    def memory_used(self) -> int:
        """Estimated bytes of postings held until the segment is written."""
        return self.pool.size

    def add_document(self, **fields: Any) -> None:
        """Whoosh's ``add_document``, with the French fields analysed word by word into the table."""
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)

        perdocwriter.start_doc(docnum)
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if fieldname in self._french and isinstance(value, str):
                fieldboost = self._field_boost(fields, fieldname, docboost)
                length = self._add_french(fieldname, value, docnum, field.format.field_boost, fieldboost)
            elif field.indexed:
                length = self._add_generic(fieldname, field, value, docnum, fields, docboost)
            customval = fields.get(f"_stored_{fieldname}", value)
            perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
            column = field.column_type
            if column and customval is not None:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_french(self, fieldname: str, text: str, docnum: int, format_boost: float, fieldboost: float) -> int:
        positions = term_positions(text)
        if not positions:  # a field without terms is not written, as in Whoosh
            return 0
        pool = self.pool
        table = pool.terms(fieldname)
        single = _single_position
        length = 0
        for term, held in positions.items():
            postings = table.get(term)
            if postings is None:
                postings = table[term] = _TermPostings()
                pool.size += _TERM_BYTES
            count = len(held)
            length += count
            # Whoosh sums each token's boost (1.0), then applies the format's and the field's.
            weight = float(count) * format_boost
            if fieldboost != 1.0:
                weight *= fieldboost
            # A new document comes after every posting held: the order stays.
            postings.docnums.append(docnum)
            postings.weights.append(weight)
            if count == 1:
                pickled = single.get(held[0])
                postings.values.append(_ONE + (pickled or _pickled_position(held[0])))
            else:
                postings.values.append(_encode_positions(held))
        pool.size += len(positions) * _POSTING_BYTES
        return length

    def _add_generic(
        self, fieldname: str, field: Any, value: Any, docnum: int, fields: dict[str, Any], docboost: float
    ) -> int:
        fieldboost = self._field_boost(fields, fieldname, docboost)
        length = 0
        for tbytes, freq, weight, vbytes in field.index(value):
            if field.scorable:
                length += freq
            self.pool.add((fieldname, tbytes, docnum, weight * fieldboost, vbytes))
        return int(length)

    def finish_segment(self) -> Any:
        """Write the segment and return it, for a caller that lists it in a table of contents itself."""
        segment = self._finalize_segment()
        self.is_closed = True
        return segment

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        try:
            _write_postings(self.fieldwriter, self.schema, lengths, self.pool)
            self.fieldwriter.close()
        finally:
            if lengths is not None:
                lengths.close()


def _write_postings(fieldwriter: Any, schema: Any, lengths: Any, table: PostingTable) -> None:
    """What ``FieldWriter.add_postings`` does, a block of postings at a time."""
    doc_count = lengths.doc_count_all() if lengths is not None else 0
    for fieldname in sorted(table.fields):
        fieldobj = schema[fieldname]
        fieldwriter.start_field(fieldname, fieldobj)
        if lengths is not None:
            field_lengths = [lengths.doc_field_length(n, fieldname) for n in range(doc_count)]
        else:
            field_lengths = [0] * doc_count
        term_writer = TermWriter(fieldwriter)
        for term, postings in table.sorted_terms(fieldname):
            docnums, weights, values = postings.sorted()
            term_writer.write(term, docnums, weights, values, field_lengths)
        fieldwriter.finish_field()
