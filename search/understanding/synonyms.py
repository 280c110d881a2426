"""Synonyms at query time: ``ONU`` also searches « Nations unies », ``Poutine`` also ``Putin``.

Lists are in the format of Solr's ``synonyms.txt``, which search operators
already know::

    # a comment
    ONU, Nations unies, Organisation des Nations unies   ← equivalent: each adds the others
    Amérique => États-Unis                               ← one way: « Amérique » adds « États-Unis »

Unlike Solr, the word typed is always searched as well (``a => b`` adds ``b``,
it never replaces ``a``): the page says what was added, not what was taken away.

Entries are matched on what the analyzer makes of them: case, accents,
elisions, stop words and endings aside (``marocaines`` matches ``marocain``,
``l'ONU`` matches ``ONU``). A list is parsed once per process; a line that
cannot be read is reported with its file and line number, and the rest of
the list still applies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..analysis import EXACT_MARK, french_analyzer, index_terms

__all__ = ["SHIPPED_NAME", "Expansion", "Key", "Problem", "Synonyms", "key_of", "load_synonyms", "shipped_synonyms"]

# The list shipped with Kiosque, in this package.
SHIPPED_NAME = "synonyms.txt"

Key = tuple[str, ...]  # one folded stem a word, stop words left out

_ANALYZER = french_analyzer()
# A backslash escapes a comma or an arrow, as in Solr.
_COMMA = re.compile(r"(?<!\\),")
_ARROW = re.compile(r"(?<!\\)=>")


@lru_cache(maxsize=20_000)
def key_of(text: str) -> Key:
    """What a text is matched on: the stem of each word, folded; stop words and elisions left out.

    >>> key_of("l'Organisation des Nations unies")
    ('organis', 'nation', 'uni')
    >>> key_of("marocaines") == key_of("Marocain")
    True
    """
    key = []
    for token in _ANALYZER(text):
        if token.text.startswith(EXACT_MARK):  # one exact form a word: its stem, from the folded word
            folded = token.text[len(EXACT_MARK) :]
            stems = index_terms(folded)
            key.append(stems[0] if stems else folded)
    return tuple(key)


@dataclass(frozen=True)
class Problem:
    """A line of a synonym list that was left out, and why."""

    source: str
    line: int  # 0 when the whole file is at fault
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Expansion:
    """A word of the query and what its synonyms added to it."""

    word: str  # as typed
    synonyms: tuple[str, ...]  # as the list writes them

    def to_dict(self) -> dict[str, object]:
        """The expansion as JSON-ready data."""
        return {"word": self.word, "synonyms": list(self.synonyms)}


def _terms(part: str) -> list[str]:
    return [term.replace("\\,", ",").replace("\\=>", "=>").strip() for term in _COMMA.split(part)]


def _entry(line: str) -> tuple[list[str], list[str]] | str:
    """The inputs and outputs of one line, or what is wrong with it."""
    sides = _ARROW.split(line)
    if len(sides) > 2:
        return "more than one '=>'"
    if len(sides) == 2:
        inputs, outputs = _terms(sides[0]), _terms(sides[1])
        if not any(inputs):
            return "nothing before '=>'"
        if not any(outputs):
            return "nothing after '=>'"
    else:
        inputs = outputs = _terms(line)
        if len(inputs) < 2:
            return f"{line!r} alone has no synonym: write 'a, b' (equivalent) or 'a => b' (one way)"
    if not all(inputs) or not all(outputs):
        return "an empty term (two commas in a row, or one at an end?)"
    for term in (*inputs, *outputs):
        if not key_of(term):
            return f"{term!r} has no word to search (only stop words or punctuation)"
    return inputs, outputs


class Synonyms:
    """Typed words → the other words and phrases to search with them."""

    def __init__(self) -> None:
        self._added: dict[Key, dict[Key, str]] = {}  # input → output key → output as written
        self.longest = 0  # the most words a multi-word input holds
        self.entries = 0
        self.problems: list[Problem] = []
        self.sources: list[tuple[str, int]] = []  # each list read, with its number of entries

    def __len__(self) -> int:
        return self.entries

    def add(self, inputs: Sequence[str], outputs: Sequence[str]) -> None:
        """One entry: each input adds every output (but itself)."""
        for term in inputs:
            key = key_of(term)
            added = self._added.setdefault(key, {})
            for output in outputs:
                out_key = key_of(output)
                if out_key != key:
                    added.setdefault(out_key, output)
            self.longest = max(self.longest, len(key))
        self.entries += 1

    def lookup(self, key: Key) -> tuple[str, ...]:
        """What a word or words add, as the list writes them (nothing when not listed)."""
        return tuple(self._added.get(key, {}).values())

    def match(self, keys: Sequence[Key], start: int) -> tuple[int, tuple[str, ...]]:
        """The longest run of two or more typed words from ``start`` that the list holds.

        ``keys`` are the keys of the typed words one by one (a stop word's is
        empty): returns the end of the run and what it adds, or ``(start, ())``.
        """
        for end in range(len(keys), start + 1, -1):
            joined = tuple(token for key in keys[start:end] for token in key)
            if len(joined) > self.longest or not keys[end - 1]:
                continue
            added = self.lookup(joined) if len(joined) > 1 else ()
            if added:
                return end, added
        return start, ()

    def read(self, lines: Iterable[bytes], source: str) -> None:
        """Add the entries of a list in Solr's format; report the lines that cannot be read."""
        entries = self.entries
        for number, raw in enumerate(lines, start=1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8").strip()
            except UnicodeDecodeError:
                self.problems.append(Problem(source, number, "not UTF-8 text"))
                continue
            if not line or line.startswith("#"):
                continue
            entry = _entry(line)
            if isinstance(entry, str):
                self.problems.append(Problem(source, number, entry))
            else:
                self.add(*entry)
        self.sources.append((source, self.entries - entries))

    def read_file(self, path: str | Path) -> None:
        """Add the entries of a file; a file that cannot be read is one problem, the rest stands."""
        try:
            with open(path, "rb") as lines:
                self.read(lines, str(path))
        except OSError as error:
            self.problems.append(Problem(str(path), 0, f"cannot read it ({error.strerror or error})"))

    def summary(self) -> str:
        """One line: the lists read and their entries, and the lines left out."""
        lists = ", ".join(f"{source} ({count} entr{'y' if count == 1 else 'ies'})" for source, count in self.sources)
        lists = lists or "none"
        left_out = f"; {len(self.problems)} line(s) left out" if self.problems else ""
        return f"{lists}{left_out}"


def _read_shipped(synonyms: Synonyms) -> None:
    shipped = resources.files(__package__).joinpath(SHIPPED_NAME)
    synonyms.read(shipped.read_bytes().splitlines(), SHIPPED_NAME)


@lru_cache(maxsize=1)
def shipped_synonyms() -> Synonyms:
    """The list shipped with Kiosque, parsed once per process."""
    synonyms = Synonyms()
    _read_shipped(synonyms)
    return synonyms


def load_synonyms(path: str | Path | None = None, shipped: bool = True) -> Synonyms:
    """The shipped list (unless ``shipped`` is false) extended by the operator's file at ``path``."""
    if path is None and shipped:
        return shipped_synonyms()
    synonyms = Synonyms()
    if shipped:
        _read_shipped(synonyms)
    if path is not None:
        synonyms.read_file(path)
    return synonyms
