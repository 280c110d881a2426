"""Highlighted titles and snippets: safe HTML with the matched words in ``<mark>``.

Matching runs the article text through the same analyzer as the index, so
what is highlighted is the surface form the article uses: a search for
``diplomatie`` marks ``diplomatique``, ``serguei`` marks ``Sergueï``, and a
phrase is marked as one span only where its words follow each other.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from whoosh.analysis import Analyzer

from .query import CompiledQuery

__all__ = ["SNIPPET_CHARS", "Highlighter"]

SNIPPET_CHARS = 250
MAX_FRAGMENTS = 3
_SENTENCE = re.compile(r"[^.!?…\n]+(?:[.!?…]+[»”\"')\]]*|\n|$)")
_ELLIPSIS = "…"

Span = tuple[int, int]


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


class Highlighter:
    """Finds and renders the places where a query matches a text."""

    def __init__(self, analyzer: Analyzer):
        self.analyzer = analyzer

    def spans(self, text: str, compiled: CompiledQuery, field: str) -> list[Span]:
        """Character spans of ``text`` matched by the query's positive words and phrases."""
        units = [groups for f, groups in compiled.highlights if f in (None, field)]
        prefixes = [p for f, ps in compiled.prefixes if f in (None, field) for p in ps]
        if not text or not (units or prefixes):
            return []
        single = {term for groups in units if len(groups) == 1 for term in groups[0]}
        phrases = [groups for groups in units if len(groups) > 1]
        positions: dict[int, tuple[int, int, set[str]]] = {}
        for token in self.analyzer(text, positions=True, chars=True, mode="index"):
            start, end, terms = positions.get(token.pos, (token.startchar, token.endchar, set()))
            terms.add(token.text)
            positions[token.pos] = (start, end, terms)
        spans: list[Span] = []
        for start, end, terms in positions.values():
            if terms & single or (prefixes and any(t.startswith(p) for t in terms for p in prefixes)):
                spans.append((start, end))
        for groups in phrases:
            for pos, (start, _, _) in positions.items():
                run = [positions.get(pos + i) for i in range(len(groups))]
                if all(r is not None and r[2] & set(g) for r, g in zip(run, groups, strict=True)):
                    spans.append((start, run[-1][1]))  # type: ignore[index]
        return _merge(spans)

    def title(self, title: str, compiled: CompiledQuery) -> str:
        """The whole title, escaped, with its matches marked."""
        return render(title, self.spans(title, compiled, "title"))

    def snippet(self, body: str, lede: str, compiled: CompiledQuery, budget: int = SNIPPET_CHARS) -> str:
        """Up to three fragments of the body around its matches, about ``budget`` characters.

        When the body has no match, the lede (or the body's first sentences)
        stands in, with whatever matches it has marked.
        """
        spans = self.spans(body, compiled, "body")
        if spans:
            return self._fragments(body, spans, budget)
        if lede:
            return self._fragments(lede, self.spans(lede, compiled, "lede"), budget, anchored=True)
        return self._fragments(body, [], budget, anchored=True)

    def _fragments(self, text: str, spans: list[Span], budget: int, anchored: bool = False) -> str:
        if not text:
            return ""
        sentences = []
        for match in _SENTENCE.finditer(text):
            start, end = self._trim(text, match.start(), match.end())
            if start < end:
                sentences.append(_Sentence(start, end, [s for s in spans if start <= s[0] < end]))
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
