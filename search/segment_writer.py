"""A Whoosh segment writer whose postings skip Whoosh's per-posting path.

Whoosh's ``SegmentWriter`` turns every posting into a tuple, pools and sorts
all of them, then hands them one at a time to the codec. With an exact form
beside every stem, an article makes twice the postings of a plain index,
and that path was half the time of a build. This writer gathers the French
text fields as arrays of term occurrences (``occurrences.py``), the other
fields' few postings by term (``PostingTable``), and writes each term's
posting list at once (``block_writer.py``).

Whoosh reads from these files what it reads from its own writer's
(``tests/test_segment_writer.py`` compares them), so reading, merging and
updating are Whoosh's as before.
"""

from __future__ import annotations

from array import array
from typing import Any

from whoosh.formats import Positions
from whoosh.writing import SegmentWriter

from .analysis import FrenchAnalyzer
from .block_writer import TermWriter
from .occurrences import FieldOccurrences, Lexicon

__all__ = ["ArticleSegmentWriter", "PostingTable"]

# Bytes a posting and a new term take in a ``PostingTable``: what bounds a writer's memory.
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

    The postings of a French text field (a merge reads them from another
    segment) join that field's occurrences.
    """

    def __init__(self, occurrences: dict[str, FieldOccurrences]) -> None:
        self.occurrences = occurrences
        self.fields: dict[str, dict[bytes, _TermPostings]] = {}
        self.size = 0  # estimated bytes held

    def add(self, item: tuple[str, bytes, int, float, bytes]) -> None:
        """Whoosh's pool interface: one ``(fieldname, term, docnum, weight, value)`` posting."""
        fieldname, term, docnum, weight, value = item
        if docnum < 0:  # Whoosh's marker of a spelling word: no field of ours has one
            return
        if fieldname in self.occurrences:
            positions = Positions().decode_positions(value)
            self.occurrences[fieldname].add_posting(term.decode("utf-8"), docnum, positions)
            return
        table = self.fields.setdefault(fieldname, {})
        postings = table.get(term)
        if postings is None:
            postings = table[term] = _TermPostings()
            self.size += _TERM_BYTES
        postings.add(docnum, weight, value or b"")
        self.size += _POSTING_BYTES

    def cleanup(self) -> None:
        self.fields.clear()


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
        self.lexicon = Lexicon()
        self.occurrences = {
            name: FieldOccurrences(self.lexicon) for name, field in self.schema.items() if _is_french_text(field)
        }
        self.pool = PostingTable(self.occurrences)

    @property
    def memory_used(self) -> int:
        """Estimated bytes of postings held until the segment is written."""
        held = sum(field.memory for field in self.occurrences.values())
        return self.pool.size + held + self.lexicon.memory

    def add_document(self, **fields: Any) -> None:
        """Whoosh's ``add_document``, with the French fields gathered as arrays."""
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
            fieldboost = self._field_boost(fields, fieldname, docboost)
            if fieldname in self.occurrences:
                # Their weights are derived from counts when written: no per-document boost.
                if fieldboost != 1.0 or not isinstance(value, str):
                    raise ValueError(f"field {fieldname!r} takes text without a per-document boost")
                length = self.occurrences[fieldname].add_text(docnum, value)
            elif field.indexed:
                length = self._add_generic(fieldname, field, value, docnum, fieldboost)
            customval = fields.get(f"_stored_{fieldname}", value)
            perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
            column = field.column_type
            if column and customval is not None:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_generic(self, fieldname: str, field: Any, value: Any, docnum: int, fieldboost: float) -> int:
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
            self._write_postings(lengths)
            self.fieldwriter.close()
        finally:
            if lengths is not None:
                lengths.close()

    def _write_postings(self, lengths: Any) -> None:
        """What ``FieldWriter.add_postings`` does, a term's posting list at a time."""
        fieldwriter = self.fieldwriter
        doc_count = lengths.doc_count_all() if lengths is not None else 0
        with_terms = set(self.pool.fields) | {name for name, field in self.occurrences.items() if field.occurrences}
        for fieldname in sorted(with_terms):
            fieldobj = self.schema[fieldname]
            fieldwriter.start_field(fieldname, fieldobj)
            if lengths is not None:
                field_lengths = [lengths.doc_field_length(n, fieldname) for n in range(doc_count)]
            else:
                field_lengths = [0] * doc_count
            term_writer = TermWriter(fieldwriter, field_lengths)
            if fieldname in self.occurrences:
                _write_french_field(term_writer, self.occurrences[fieldname], fieldobj.format.field_boost)
            else:
                table = self.pool.fields[fieldname]
                for term in sorted(table):
                    term_writer.write(term, *table[term].sorted())
            fieldwriter.finish_field()


def _write_french_field(term_writer: TermWriter, occurrences: FieldOccurrences, boost: float) -> None:
    write, write_single = term_writer.write, term_writer.write_single
    for postings in occurrences.postings():
        starts = postings.term_starts
        docnums, values = postings.docnums, postings.values
        # Whoosh sums each token's boost (1.0), then applies the format's.
        weights = [float(count) * boost for count in postings.counts]
        for index, term in enumerate(postings.terms):
            start, stop = starts[index], starts[index + 1]
            if stop - start == 1:
                write_single(term, docnums[start], weights[start], values[start])
            else:
                write(term, docnums[start:stop], weights[start:stop], values[start:stop])
