"""Highlighted titles and snippets: safe HTML with the matched words in ``<mark>``.

Matching runs the article text through the same analysis as the index, so
what is highlighted is the surface form the article uses: a search for
``diplomatie`` marks ``diplomatique``, ``serguei`` marks ``Sergueï``, and a
phrase is marked as one span only where its words follow each other.

A snippet analyses only the sentences that can hold a word of the query:
the first letters of each searched stem, looked for in the body with its
accents and case folded, find them in one pass (the analyzer over whole
bodies took two thirds of a search).
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .analysis import word_tokens
from .query import CompiledQuery

__all__ = ["SNIPPET_CHARS", "Highlighter"]

SNIPPET_CHARS = 250
MAX_FRAGMENTS = 3
_SENTENCE = re.compile(r"[^.!?…\n]+(?:[.!?…]+[»”\"')\]]*|\n|$)")
_ELLIPSIS = "…"

Span = tuple[int, int]

# A word can hold a searched stem only if it starts with the stem's first letters.
NEEDLE_LETTERS = 4
# Of the sentences holding needles, so many are analysed for the fragments.
ANALYSED_SENTENCES = 2 * MAX_FRAGMENTS
# Letters that may carry an accent in the text; the other letters are matched as they are.
_ACCENTED = "àâäáãçéèêëîïíìñôöóòùûüúÿ"
_UNACCENTED = "aaaaaceeeeiiiinoooouuuuy"
_LETTER_VARIANTS = {
    base: base + "".join(a for a, b in zip(_ACCENTED, _UNACCENTED, strict=True) if b == base) for base in "aceinouy"
}
_LETTER_VARIANTS["'"] = "'’ʼ"
_LIGATURES = {"oe": "œ", "ae": "æ"}


def _heads(terms: frozenset[str]) -> set[str]:
    heads = {term[:NEEDLE_LETTERS] for term in terms if term}
    # Snowball writes a final "y" as "i": "Kenya" is "keni".
    return heads | {head.replace("i", "y") for head in heads if "i" in head}


@lru_cache(maxsize=1024)
def needle_pattern(terms: frozenset[str]) -> re.Pattern[bytes] | None:
    """A pattern that finds, in a text as ``_ascii`` gives it, every word that may have one of these stems.

    Non-ASCII letters read as ``?`` there, so a letter that may be accented is
    matched by itself or ``?``; a ligature (``œ``) stands for two letters.

    >>> bool(needle_pattern(frozenset(["secur"])).search(_ascii("la Sécurité")))
    True
    """
    heads = _heads(terms)
    heads |= {head.replace(pair, "?") for head in heads for pair in _LIGATURES if pair in head}
    if not heads:
        return None

    def letters(head: str) -> str:
        return "".join(f"[{c}?]" if c in _LETTER_VARIANTS else re.escape(c) for c in head)

    alternatives = sorted({letters(head) for head in heads}, key=len, reverse=True)
    return re.compile("|".join(alternatives).encode("ascii", "replace"))


def _ascii(text: str) -> bytes | None:
    """``text`` lowercased, one byte a letter, ``?`` for any other; None when that would move offsets."""
    low = text.lower()
    if len(low) != len(text) or "\u00ad" in low:
        return None
    return low.encode("ascii", "replace")


@lru_cache(maxsize=1024)
def _loose_pattern(terms: frozenset[str]) -> re.Pattern[str] | None:
    """The same, in a text as written: accents and case aside, soft hyphens inside words allowed."""

    def letters(head: str) -> str:
        parts = [f"[{_LETTER_VARIANTS[c]}]" if c in _LETTER_VARIANTS else re.escape(c) for c in head]
        return "\u00ad?".join(parts)

    heads = _heads(terms)
    alternatives = {letters(head) for head in heads}
    alternatives |= {letters(head.replace(p, lig)) for head in heads for p, lig in _LIGATURES.items() if p in head}
    if not alternatives:
        return None
    return re.compile("|".join(sorted(alternatives, key=len, reverse=True)), re.IGNORECASE)


@dataclass
class _Sentence:
    start: int
    end: int
    spans: list[Span]


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def render(text: str, spans: Sequence[Span], start: int = 0, end: int | None = None) -> str:
    """Escape ``text[start:end]`` and wrap the spans inside it in ``<mark>``."""
    end = len(text) if end is None else end
    out, at = [], start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        out.append(html.escape(text[at:span_start], quote=False))
        out.append(f"<mark>{html.escape(text[span_start:span_end], quote=False)}</mark>")
        at = span_end
    out.append(html.escape(text[at:end], quote=False))
    return "".join(out)


def _word_start(text: str, index: int, floor: int) -> int:
    """The start of the word at or after ``index`` (never inside a word)."""
    if index <= floor:
        return floor
    space = text.find(" ", index - 1)
    return floor if space < 0 else space + 1


def _word_end(text: str, index: int, ceiling: int) -> int:
    """The end of the last whole word before ``index``."""
    if index >= ceiling:
        return ceiling
    space = text.rfind(" ", 0, index + 1)
    return ceiling if space <= 0 else space


def _needles(text: str, terms: frozenset[str]) -> list[tuple[int, str]]:
    """Where the first letters of the stems occur in ``text``, and which letters (lowercase)."""
    folded = _ascii(text)
    if folded is not None:
        fast = needle_pattern(terms)
        return [(m.start(), m.group().decode("ascii")) for m in fast.finditer(folded)] if fast else []
    loose = _loose_pattern(terms)
    return [(m.start(), m.group().lower()) for m in loose.finditer(text)] if loose else []


class Highlighter:
    """Finds and renders the places where a query matches a text."""

    def spans(self, text: str, compiled: CompiledQuery, field: str) -> list[Span]:
        """Character spans of ``text`` matched by the query's positive words and phrases."""
        units = [groups for f, groups in compiled.highlights if f in (None, field)]
        prefixes = [p for f, ps in compiled.prefixes if f in (None, field) for p in ps]
        if not text or not (units or prefixes):
            return []
        single = {term for groups in units if len(groups) == 1 for term in groups[0]}
        phrases = [groups for groups in units if len(groups) > 1]
        positions = {pos: (start, end, terms) for pos, start, end, terms in word_tokens(text)}
        spans: list[Span] = []
        for start, end, terms in positions.values():
            if not single.isdisjoint(terms) or (prefixes and any(t.startswith(p) for t in terms for p in prefixes)):
                spans.append((start, end))
        for groups in phrases:
            for pos, (start, _, _) in positions.items():
                run = [positions.get(pos + i) for i in range(len(groups))]
                if all(r is not None and not set(g).isdisjoint(r[2]) for r, g in zip(run, groups, strict=True)):
                    spans.append((start, run[-1][1]))  # type: ignore[index]
        return _merge(spans)

    def candidate_spans(self, text: str, sentences: list[Span], compiled: CompiledQuery, field: str) -> list[Span]:
        """``spans`` of ``text``, analysing only the sentences where the needles of the query occur."""
        terms = frozenset(
            term for f, groups in compiled.highlights if f in (None, field) for group in groups for term in group
        ) | frozenset(p for f, ps in compiled.prefixes if f in (None, field) for p in ps)
        if not sentences:
            return []
        starts = [start for start, _ in sentences]
        found: dict[int, set[str]] = {}
        for at, needle in _needles(text, terms):
            found.setdefault(max(bisect.bisect_right(starts, at) - 1, 0), set()).add(needle)
        # The sentences with the most distinct needles are the likeliest fragments: analyse those.
        wanted = sorted(sorted(found, key=lambda i: (-len(found[i]), i))[:ANALYSED_SENTENCES])
        spans: list[Span] = []
        for index in wanted:
            start, end = sentences[index]
            spans.extend((a + start, b + start) for a, b in self.spans(text[start:end], compiled, field))
        return spans

    def title(self, title: str, compiled: CompiledQuery) -> str:
        """The whole title, escaped, with its matches marked."""
        return render(title, self.spans(title, compiled, "title"))

    def snippet(self, body: str, lede: str, compiled: CompiledQuery, budget: int = SNIPPET_CHARS) -> str:
        """Up to three fragments of the body around its matches, about ``budget`` characters.

        When the body has no match, the lede (or the body's first sentences)
        stands in, with whatever matches it has marked.
        """
        sentences = self._sentences(body)
        spans = self.candidate_spans(body, sentences, compiled, "body")
        if spans:
            return self._fragments(body, sentences, spans, budget)
        if lede:
            lede_sentences = self._sentences(lede)
            lede_spans = self.candidate_spans(lede, lede_sentences, compiled, "lede")
            return self._fragments(lede, lede_sentences, lede_spans, budget, anchored=True)
        return self._fragments(body, sentences, [], budget, anchored=True)

    def _sentences(self, text: str) -> list[Span]:
        found = []
        for match in _SENTENCE.finditer(text):
            start, end = self._trim(text, match.start(), match.end())
            if start < end:
                found.append((start, end))
        return found

    def _fragments(
        self, text: str, bounds: Iterable[Span], spans: list[Span], budget: int, anchored: bool = False
    ) -> str:
        if not text:
            return ""
        spans = _merge(spans)
        sentences = [_Sentence(start, end, [s for s in spans if start <= s[0] < end]) for start, end in bounds]
        if anchored or not spans:
            chosen = sentences[:MAX_FRAGMENTS]
        else:
            # The sentences with the most distinct matches, then the earliest.
            ranked = sorted(
                (s for s in sentences if s.spans),
                key=lambda s: (-len({text[a:b].lower() for a, b in s.spans}), -len(s.spans), s.start),
            )
            chosen = sorted(ranked[:MAX_FRAGMENTS], key=lambda s: s.start)
        parts: list[str] = []
        left = budget
        for index, sentence in enumerate(chosen):
            if left <= 40 and parts:
                break
            share = left if anchored else max(left // (len(chosen) - index), 60)
            start, end = self._window(text, sentence, share)
            start, end = self._trim(text, start, end)
            piece = render(text, spans, start, end)
            cut_before = start > sentence.start or (parts == [] and start > 0 and not anchored)
            cut_after = end < sentence.end and end < len(text)
            parts.append(f"{_ELLIPSIS if cut_before else ''}{piece}{_ELLIPSIS if cut_after else ''}")
            left -= end - start
            if anchored and end < sentence.end:
                break
        return " ".join(parts)

    @staticmethod
    def _trim(text: str, start: int, end: int) -> tuple[int, int]:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return start, end

    @staticmethod
    def _window(text: str, sentence: _Sentence, width: int) -> tuple[int, int]:
        """The part of a sentence to show: all of it, or words around its first match."""
        if sentence.end - sentence.start <= width:
            return sentence.start, sentence.end
        if sentence.spans:
            first = sentence.spans[0][0]
            start = max(sentence.start, first - width // 3)
        else:
            start = sentence.start
        start = _word_start(text, start, sentence.start)
        end = _word_end(text, min(start + width, sentence.end), sentence.end)
        if end <= start:  # one enormous word: cut it, there is no better place
            end = min(start + width, sentence.end)
        return start, end
