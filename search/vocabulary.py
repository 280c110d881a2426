"""The words of the corpus as written: for "did you mean" and autocomplete.

The index holds stems folded to ASCII, which no reader wants to be shown.
This keeps, for each folded word, the surface forms the articles use with
their document frequencies (``lavrov`` → ``{"Lavrov": 12}``), and the same
for whole tags and author names. It is built with the index, saved beside
it, and updated with it.

"Did you mean" never rewrites ordinary French: a stop word or a word of the
French dictionary (``lexicon.py``) is left as typed, even when no article
holds it. A correction is a word of two articles at least, or a name that a
title, a tag or a byline gives, even in one article.
"""

from __future__ import annotations

import bisect
import gzip
import json
import os
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from .analysis import ELIDED_PREFIXES, FRENCH_STOP_WORDS, WORD_PATTERN, index_terms
from .article import Article, split_authors, tag_key
from .lexicon import is_french_word

__all__ = ["VOCABULARY_FILE", "Vocabulary", "edit_distance"]

T = TypeVar("T")
VOCABULARY_FILE = "vocabulary.json.gz"
_WORD = re.compile(WORD_PATTERN)
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'"})
# Words seen in a single article are too often typos to be offered as fixes,
# unless a title, a tag or a byline holds them: a name spelt with care.
MIN_SUGGESTED_DF = 2
# Up to this length, a word and its correction share their first letter: typos rarely fall there,
# and short names (« Zola », « Buti ») are too close to common words.
SHORT_WORD = 5


# Words and names share one key (case, accents and spacing folded), cached
# because the same words come back in every article.
_key = lru_cache(maxsize=200_000)(tag_key)


@lru_cache(maxsize=200_000)
def _surface(word: str) -> str | None:
    """A word as the vocabulary keeps it, elided article removed; None for stop words and numbers."""
    normalized = word.translate(_APOSTROPHES)
    while "'" in normalized:
        prefix, _, rest = normalized.partition("'")
        if prefix.lower() not in ELIDED_PREFIXES or not rest:
            break
        word = word[len(prefix) + 1 :]
        normalized = rest
    if len(word) < 2 or word.lower() in FRENCH_STOP_WORDS or not any(c.isalpha() for c in word):
        return None
    return word


@lru_cache(maxsize=200_000)
def _surface_and_key(raw: str) -> tuple[str, str] | None:
    """A word as written, with the vocabulary's form and key of it (None for stop words and numbers)."""
    word = _surface(raw)
    return None if word is None else (word, _key(word))


def surface_words(text: str) -> Iterator[str]:
    """The words of ``text`` as written, elided articles removed.

    >>> list(surface_words("L’Unesco et l'ONU, aujourd’hui à 18h06"))
    ['Unesco', 'ONU', 'aujourd’hui', '18h06']
    """
    # Cached per distinct word: counting the vocabulary runs beside indexing.
    for raw in _WORD.findall(text):
        word = _surface(raw)
        if word is not None:
            yield word


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count one), capped at ``limit``."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) >= limit:
            return limit
        previous2, previous = previous, current
    return min(previous[-1], limit)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _best_form(forms: dict[str, int]) -> str:
    # The most used spelling; on a tie the one with accents, then capitals, then
    # the last in alphabetical order (whatever order the counts were added in).
    return max(forms, key=lambda f: (forms[f], not f.isascii(), f[:1].isupper(), f))


class Vocabulary:
    """Surface forms of words, tags and names, with document frequencies."""

    def __init__(
        self,
        words: dict[str, dict[str, int]] | None = None,
        names: dict[str, dict[str, int]] | None = None,
        headlines: dict[str, int] | None = None,
    ):
        self.words = words or {}  # folded word -> {form: df}
        self.names = names or {}  # folded tag or author -> {form: df}
        self.headlines = headlines or {}  # folded word -> articles whose title, tags or byline hold it
        self._deletion_index: dict[str, list[str]] | None = None
        self._sorted_words: list[str] | None = None
        self._sorted_names: list[tuple[str, str]] | None = None

    # --- building -------------------------------------------------------

    def add(self, article: Article, sign: int = 1) -> None:
        """Count an article's words (``sign=-1`` takes back one counted before)."""
        texts = (article.title, article.caption, article.lede, article.body, article.author, *article.tags)
        uses: Counter[str] = Counter()
        for text in texts:
            uses.update(_WORD.findall(text))  # counted in C; each distinct word handled once below
        spellings: dict[str, dict[str, int]] = {}  # key -> {form: uses in this article}
        for raw, count in uses.items():
            found = _surface_and_key(raw)
            if found is None:
                continue
            word, key = found
            forms = spellings.get(key)
            if forms is None:
                spellings[key] = {word: count}
            else:
                forms[word] = forms.get(word, 0) + count
        # One spelling per article (its most used), so the counts are document
        # frequencies even where an article writes "Économie" and "économie".
        for key, forms in spellings.items():
            form = next(iter(forms)) if len(forms) == 1 else max(forms, key=forms.__getitem__)
            self._count(self.words, key, form, sign)
        self.add_names(article, sign)

    def add_names(self, article: Article, sign: int = 1) -> None:
        """Count an article's tags and authors, and the words of its headline (title, byline, tags)."""
        for name in {*article.tags, *split_authors(article.author)}:
            self._count(self.names, tag_key(name), " ".join(name.split()), sign)
        headline = " ".join((article.title, article.author, *article.tags))
        for key in {_key(word) for word in surface_words(headline)}:
            count = self.headlines.get(key, 0) + sign
            if count > 0:
                self.headlines[key] = count
            else:
                self.headlines.pop(key, None)
        self._forget_indexes()

    def merge(self, other: Vocabulary) -> None:
        """Add the counts of a vocabulary built beside this one (by another indexing process)."""
        for table, more in ((self.words, other.words), (self.names, other.names)):
            for key, forms in more.items():
                held = table.setdefault(key, {})
                for form, count in forms.items():
                    held[form] = held.get(form, 0) + count
        for key, count in other.headlines.items():
            self.headlines[key] = self.headlines.get(key, 0) + count
        self._forget_indexes()

    def _forget_indexes(self) -> None:
        self._deletion_index = self._sorted_words = self._sorted_names = None

    @staticmethod
    def _count(table: dict[str, dict[str, int]], key: str, form: str, sign: int) -> None:
        if not key:
            return
        forms = table.setdefault(key, {})
        forms[form] = forms.get(form, 0) + sign
        if forms[form] <= 0:
            del forms[form]
            if not forms:
                del table[key]

    def save(self, folder: Path) -> None:
        """Write into ``folder`` atomically (a new file: the old may be hard-linked elsewhere)."""
        target = folder / VOCABULARY_FILE
        temporary = folder / f".{VOCABULARY_FILE}.{os.getpid()}"
        with gzip.open(temporary, "wt", encoding="utf-8", compresslevel=5) as stream:
            data = {"words": self.words, "names": self.names, "headlines": self.headlines}
            json.dump(data, stream, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, target)

    @classmethod
    def load(cls, folder: Path) -> Vocabulary:
        """Read the vocabulary saved in ``folder`` (empty when there is none)."""
        try:
            with gzip.open(folder / VOCABULARY_FILE, "rt", encoding="utf-8") as stream:
                data = json.load(stream)
        except (OSError, EOFError, ValueError, zlib.error):  # missing or damaged: no suggestions
            return cls()
        return cls(data.get("words"), data.get("names"), data.get("headlines"))

    # --- reading ----------------------------------------------------------

    def doc_freq(self, word: str) -> int:
        """In how many articles a word appears, accents and case aside."""
        return sum(self.words.get(_key(word), {}).values())

    def display(self, word: str) -> str | None:
        """The spelling the articles use most for ``word``."""
        forms = self.words.get(_key(word))
        return _best_form(forms) if forms else None

    def display_name(self, key: str) -> str | None:
        """The spelling the articles use most for a tag or author key (see ``tag_key``)."""
        forms = self.names.get(key)
        return _best_form(forms) if forms else None

    def _index(self) -> dict[str, list[str]]:
        if self._deletion_index is None:
            index: dict[str, list[str]] = {}
            for key, forms in self.words.items():
                if len(key) >= 3 and self._offered(key, forms):
                    for variant in _deletes(key) | {key}:
                        index.setdefault(variant, []).append(key)
            self._deletion_index = index
        return self._deletion_index

    def frequent_words(self, least: float) -> list[str]:
        """A spelling of each word that this many articles hold at least, the most held first."""
        held = [(sum(forms.values()), _best_form(forms)) for forms in self.words.values()]
        return [form for df, form in sorted(held, reverse=True) if df >= least]

    def warm(self) -> None:
        """Build what the first correction would otherwise wait for: the spelling index, the dictionary."""
        self._index()
        is_french_word("kiosque")

    def _offered(self, key: str, forms: dict[str, int]) -> bool:
        """Whether a word may be offered as a correction."""
        return sum(forms.values()) >= MIN_SUGGESTED_DF or key in self.headlines

    def correction(self, word: str) -> str | None:
        """A better-attested spelling of a rare or unknown word, or None.

        Looks within one edit for short words, two for longer ones (one edit
        on each side of a shared deletion: substitutions, swaps, a letter
        too many or too few). Left as typed: stop words, French words,
        acronyms (``UAZ`` is not a typo of ``gaz``), and the names that
        titles, tags or bylines give. A short word keeps its first letter
        (``Doris`` is not ``Boris``), and a capitalised word, a name, is only
        corrected into a name (``Acadie`` is not ``façade``).
        """
        key = _key(word)
        if len(key) < 3 or " " in key or word.lower() in FRENCH_STOP_WORDS or is_french_word(word):
            return None
        if (word.isupper() and word.isalpha()) or key in self.headlines:
            return None
        known = self.doc_freq(word)
        limit = 1 if len(key) <= 4 else 2
        index = self._index()
        candidates = {c for variant in _deletes(key) | {key} for c in index.get(variant, ())}
        scored = []
        name = word[:1].isupper()
        for candidate in candidates - {key}:
            distance = edit_distance(key, candidate, limit + 1)
            df = sum(self.words[candidate].values())
            # A known word is replaced only by a far more common one.
            if len(key) <= SHORT_WORD and candidate[0] != key[0]:
                continue
            if name and not _best_form(self.words[candidate])[:1].isupper():
                continue
            if distance <= limit and df > known * 20 and self._offered(candidate, self.words[candidate]):
                scored.append((distance, -df, candidate))
        if not scored:
            return None
        return _best_form(self.words[min(scored)[2]])

    def completions(self, prefix: str, limit: int = 8) -> list[tuple[str, int]]:
        """Completions of what a user is typing, with their weights, best first.

        Tags and names whose words start with the prefix, then words of the
        corpus completing its last word: accent- and case-insensitive.
        """
        key = _key(prefix)
        if not key:
            return []
        if self._sorted_words is None:
            self._sorted_words = sorted(self.words)
            pairs = []
            for name in self.names:
                for start in _word_starts(name):
                    pairs.append((name[start:], name))
            self._sorted_names = sorted(pairs)
        names: Counter[str] = Counter()
        for _, name in _prefixed(self._sorted_names or [], key, lambda p: p[0]):
            forms = self.names[name]
            names[_best_form(forms)] += sum(forms.values())
        words: dict[str, tuple[int, str]] = {}  # stem -> (df, best form): one form per family
        typed = prefix.rstrip()
        head = typed[: len(typed) - len(typed.split()[-1])] if typed.split() else ""
        last = key.rpartition(" ")[2]
        if len(last) >= 2:
            for word in _prefixed(self._sorted_words, last, lambda w: w):
                forms = self.words[word]
                df = sum(forms.values())
                if df < MIN_SUGGESTED_DF and word != last:
                    continue
                stem = (index_terms(word) or (word,))[0]
                if df > words.get(stem, (0, ""))[0]:
                    words[stem] = (df, head + _best_form(forms))
        ranked_words = sorted(words.values(), key=lambda pair: -pair[0])
        ranked_names = names.most_common()
        # While a user types several words, whole names fit better than a single word.
        if " " in key:
            ordered = [(n, c) for n, c in ranked_names] + [(w, df) for df, w in ranked_words]
        else:
            merged = [(n, 3 * c) for n, c in ranked_names] + [(w, df) for df, w in ranked_words]
            ordered = sorted(merged, key=lambda pair: -pair[1])
        seen: set[str] = set()
        result = []
        for text, weight in ordered:
            if _key(text) not in seen:
                seen.add(_key(text))
                result.append((text, weight))
        return result[:limit]


def _word_starts(text: str) -> Iterable[int]:
    yield 0
    for match in re.finditer(r"[\s\-']+", text):
        yield match.end()


def _prefixed(items: list[T], prefix: str, key: Callable[[T], str]) -> Iterator[T]:
    """The items of a sorted list whose key starts with ``prefix``."""
    low = bisect.bisect_left(items, prefix, key=key)
    for item in items[low:]:
        if not key(item).startswith(prefix):
            break
        yield item
