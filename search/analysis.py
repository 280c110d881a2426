"""The French analyzer: one pipeline for articles and queries alike.

Decision on accents and stems (pinned in ``tests/test_analysis.py``): Snowball's
French stemmer works best on accented words, so every accented word is stemmed
as written and then folded to ASCII (``publiée``, ``publié``, ``publier`` →
``publi``). A reader who types without accents gives the stemmer a different
word (``securite`` → ``securit`` while ``sécurité`` → ``secur``), so an accented
word also emits the stem of its folded spelling at the same position. Both
sides of every comparison are then ASCII, and the two spellings meet on at
least one term.

Stems join words that readers tell apart (``intégrisme`` and ``intégration``
are both ``integr``; ``armées`` and ``arme`` both ``arme``), so each word
also leaves its exact form, folded but not stemmed and marked with ``=``
(``=integrisme``), at the same position: the query side weighs a match on
the form the reader typed above a match on its stem alone. This is
Lucene's keyword-repeat pattern; it keeps one field per part of an article.

Whoosh pickles this analyzer into the index: the classes below keep their
module path and names, and hold no unpicklable state.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import snowballstemmer
from unidecode import unidecode
from whoosh.analysis import (
    Analyzer,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StopFilter,
    Token,
)

__all__ = [
    "EXACT_MARK",
    "FrenchAnalyzer",
    "AccentInsensitiveStemFilter",
    "ElisionFilter",
    "ExactFormFilter",
    "FRENCH_STOP_WORDS",
    "UnicodeCleanupFilter",
    "analysed_terms",
    "exact_term",
    "word_tokens",
    "fold",
    "french_analyzer",
    "french_filter_chain",
    "is_exact",
]

# Letters, digits, combining accents (NFD input) and soft hyphens make words;
# an apostrophe between two letters keeps the word together for the elision
# filter. Hyphens split: "Moyen-Orient" is two terms at consecutive positions.
_WORD_CHARS = r"[\w\u00ad\u0300-\u036f]"
WORD_PATTERN = rf"{_WORD_CHARS}+(?:['’ʼ]{_WORD_CHARS}+)*"

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'"})
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_NOT_TERM_CHARS = re.compile(r"[^a-z0-9_']+")

ELIDED_PREFIXES = frozenset(["l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"])

_ACCENTED_STOP_WORDS = """
a à ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez
auriez aurions aurons auront aux avaient avais avait avec avez aviez avions
avons ayant ayez ayons c ce ceci cela celle celles celui ces cet cette ceux d
dans de des du elle elles en es est et étaient étais était étant êtes étiez
étions eu eue eues eûmes eurent eus eusse eussent eusses eussiez eussions eut
eût eûtes eux fûmes furent fus fusse fussent fusses fussiez fussions fut fût
fûtes il ils j je l la le les leur leurs lui m ma mais me même mes moi mon n
ne nos notre nous on ont ou où par pas pour qu que quel quelle quelles quels
qui s sa sans se sera serai seraient serais serait seras serez seriez serions
serons seront ses si soient sois soit sommes son sont soyez soyons suis sur t
ta te tes toi ton tu un une vos votre vous y
pourquoi comment combien quand
""".split()


def fold(text: str) -> str:
    """Fold ``text`` to lowercase ASCII: ``Sergueï`` → ``serguei``.

    >>> fold("Égypte")
    'egypte'
    """
    return unidecode(text).lower()


# Both spellings are stop words, so "a" and "à" go, but "sûr" (not "sur") stays.
FRENCH_STOP_WORDS = frozenset(_ACCENTED_STOP_WORDS) | frozenset(fold(word) for word in _ACCENTED_STOP_WORDS)


class UnicodeCleanupFilter(Filter):
    """Compose accents (NFC), drop invisible characters, unify apostrophes.

    >>> [t.text for t in UnicodeCleanupFilter()(RegexTokenizer(WORD_PATTERN)("inca\\u00adpacité"))]
    ['incapacité']
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            text = t.text
            if not text.isascii():  # most French words are: nothing to clean
                text = unicodedata.normalize("NFC", text.translate(_INVISIBLE).translate(_APOSTROPHES))
                if not text:
                    continue
                t.text = text
            yield t


class ElisionFilter(Filter):
    """Strip elided articles and pronouns: ``l'unesco`` → ``unesco``.

    Words such as ``aujourd'hui`` keep their apostrophe.

    >>> [t.text for t in ElisionFilter()(RegexTokenizer(WORD_PATTERN)("qu'il"))]
    ['il']
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            text = t.text
            while "'" in text:
                prefix, _, rest = text.partition("'")
                if prefix not in ELIDED_PREFIXES or not rest:
                    break
                if getattr(t, "chars", False):
                    t.startchar += len(prefix) + 1
                text = rest
            t.text = text
            yield t


_local = threading.local()


def _stemmer() -> snowballstemmer.stemmer:
    """One Snowball stemmer per thread: its objects keep state while stemming.

    snowballstemmer hands out PyStemmer's C stemmer when it is installed (it
    is a dependency): the same Snowball algorithm, thirty times faster.
    """
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("french")
    return stemmer


def _ascii_term(text: str) -> str:
    return _NOT_TERM_CHARS.sub("", fold(text))


@lru_cache(maxsize=300_000)
def index_terms(word: str) -> tuple[str, ...]:
    """The ASCII terms a lowercase word is indexed under, first the main one.

    >>> index_terms("sécurité")
    ('secur', 'securit')
    >>> index_terms("publier")
    ('publi',)
    """
    stemmer = _stemmer()
    main = _ascii_term(stemmer.stemWord(word))
    if word.isascii():
        return (main,) if main else ()
    terms = [main] if main else []
    folded = _ascii_term(stemmer.stemWord(fold(word)))
    if folded and folded != main:
        terms.append(folded)
    return tuple(terms)


# Marks an exact form; no stem holds it, so the two kinds of term never meet.
EXACT_MARK = "="


@lru_cache(maxsize=300_000)
def exact_term(word: str) -> str:
    """The exact-form term of a lowercase word: folded, not stemmed, marked.

    >>> exact_term("intégrisme")
    '=integrisme'
    """
    term = _ascii_term(word)
    return EXACT_MARK + term if term else ""


def is_exact(term: str) -> bool:
    """Whether an index term is an exact form rather than a stem."""
    return term.startswith(EXACT_MARK)


class ExactFormFilter(Filter):
    """Keep each word and add its exact-form term at the same position.

    Runs before the stem filter, which passes the exact terms through.

    >>> [t.text for t in ExactFormFilter()(RegexTokenizer()("armées"))]
    ['armées', '=armees']
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            word = t.text
            yield t
            exact = exact_term(word)
            if exact:
                t.text = exact
                yield t


class AccentInsensitiveStemFilter(Filter):
    """Replace each word by its French stem folded to ASCII.

    An accented word also yields, at the same position, the stem of its
    unaccented spelling, which is what a query typed without accents gives.
    Exact-form terms (see ``ExactFormFilter``) pass unchanged.

    >>> [t.text for t in AccentInsensitiveStemFilter()(RegexTokenizer()("sécurité"))]
    ['secur', 'securit']
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            if t.text.startswith(EXACT_MARK):
                yield t
                continue
            for term in index_terms(t.text):
                t.text = term
                yield t


_WORD = re.compile(WORD_PATTERN)


@lru_cache(maxsize=300_000)
def _token(raw: str) -> tuple[int, tuple[str, ...]] | None:
    """What the analyzer makes of one word as written: (letters elided at its start, terms).

    None when the word takes no position: a stop word, or nothing left once cleaned.
    """
    text = raw.lower()
    if not text.isascii():
        text = unicodedata.normalize("NFC", text.translate(_INVISIBLE).translate(_APOSTROPHES))
        if not text:
            return None
    cut = 0
    while "'" in text:
        prefix, _, rest = text.partition("'")
        if prefix not in ELIDED_PREFIXES or not rest:
            break
        cut += len(prefix) + 1
        text = rest
    if text in FRENCH_STOP_WORDS:
        return None
    exact = exact_term(text)
    return cut, index_terms(text) + ((exact,) if exact else ())


def analysed_terms(word: str) -> tuple[str, ...]:
    """The index terms of one word as written (none for a stop word).

    >>> analysed_terms("Élections")
    ('elect', '=elections')
    """
    found = _token(word)
    return found[1] if found else ()


def word_tokens(text: str) -> Iterator[tuple[int, int, int, tuple[str, ...]]]:
    """``(position, start, end, terms)`` of each word, as ``french_analyzer`` would give them.

    The same tokens, positions and character offsets as the analyzer with
    ``positions`` and ``chars``, grouped by word, without its chain of
    generators, and cached per distinct word: highlighting a snippet or
    reading a document's terms calls it on whole texts.

    >>> list(word_tokens("L’Unesco a publié"))
    [(0, 2, 8, ('unesco', '=unesco')), (1, 11, 17, ('publi', 'publ', '=publie'))]
    """
    position = None
    for index, match in enumerate(_WORD.finditer(text)):
        found = _token(match.group())
        if found is None:
            continue
        cut, terms = found
        # Whoosh's stop filter numbers the words after the first from its position on.
        position = index if position is None else position + 1
        if terms:  # a word that folds to nothing takes its position and marks nothing
            yield position, match.start() + cut, match.end(), terms


class FrenchAnalyzer(Analyzer):
    """The French analyzer in one pass: the filter chain below, fused and cached per word.

    Indexing calls the analyzer on every field of every article; the chain
    of five filters, one generator each, was a third of a build. This gives
    the same tokens (``tests/test_analysis.py`` checks it against the chain
    on any text), through ``word_tokens``.
    """

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost = 1.0
        token.stopped = False
        for position, start, end, terms in word_tokens(value):
            if positions:
                token.pos = start_pos + position
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            for term in terms:
                token.text = term
                yield token


def french_filter_chain() -> Analyzer:
    """The analyzer as a chain of small filters: what ``FrenchAnalyzer`` does, one step at a time.

    >>> [t.text for t in french_filter_chain()("L’Unesco a publié 2026")]
    ['unesco', '=unesco', 'publi', 'publ', '=publie', '2026', '=2026']
    """
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | UnicodeCleanupFilter()
        | ElisionFilter()
        | StopFilter(stoplist=FRENCH_STOP_WORDS, minsize=1, renumber=True)
        | ExactFormFilter()
        | AccentInsensitiveStemFilter()
    )


def french_analyzer() -> Analyzer:
    """The analyzer of every full-text field and of every query.

    >>> [t.text for t in french_analyzer()("L’Unesco a publié 2026")]
    ['unesco', '=unesco', 'publi', 'publ', '=publie', '2026', '=2026']
    """
    return FrenchAnalyzer()
