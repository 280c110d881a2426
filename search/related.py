"""Related articles: the articles that share an article's distinctive terms.

An article is summed up by its key terms: the words of its own text, counted
with more weight in the title and tags than in the lede, and in the lede than
in the body, raised for names (capitalized inside a sentence), and weighed by
how rare they are in the index (tf-idf). One query ORs the strongest of them
over every text field and BM25F ranks the index against it; the article
matches itself best, and its own score is the yardstick of similarity.

A candidate's similarity is then lowered when it was published far from the
article (a story's follow-up comes days later, not years) or in another
rubric (the editors' own word on what the article is about), and only those
that reach ``min_similarity`` are kept: better two good related articles
than five with noise.

An article page pays for this: the key terms stop at ``max_postings``
postings, so that the cost stays the same on a large archive.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from whoosh import query as q
from whoosh.analysis import Analyzer

from .article import Article

__all__ = [
    "Archive",
    "KeyTerm",
    "RelatedConfig",
    "find_related",
    "key_terms",
    "similarity_query",
    "term_weights",
    "time_factors",
]

# Only plain index terms are key terms: not a marked twin (``=paris``) another
# filter may add at the same position, nor an elided form (``aujourd'hui``).
_PLAIN_TERM = re.compile(r"[a-z0-9]+")
# What comes before a capital that only starts a sentence (and so says nothing of a name).
_SENTENCE_ENDS = frozenset('.!?:;…«»"“”()[]-–—\n')
_SPACES = frozenset(" \t\u00a0\u202f")


@dataclass(frozen=True)
class RelatedConfig:
    """The knobs of related articles, tuned with ``bench/relevance.py``."""

    limit: int = 5
    # More terms find more of the topic; each costs search time.
    key_terms: int = 100
    # The most postings the query may read, summed over its terms' document
    # frequencies: what keeps an article page as fast on a large archive.
    max_postings: int = 10_000
    # What one occurrence of a word says about the article, by field.
    field_weights: Mapping[str, float] = field(
        default_factory=lambda: {"title": 3.0, "tags": 3.0, "lede": 2.0, "caption": 1.0, "body": 1.0}
    )
    name_boost: float = 1.5
    # A key term's boost in the query is its weight to this power (0: all alike, 1: as weighed).
    boost_power: float = 0.3
    # The fields searched for the key terms (the schema's field boosts apply).
    search_fields: tuple[str, ...] = ("title", "tags", "lede", "caption", "body")
    # A candidate published long before or after keeps ``1 - time_weight`` of its score.
    time_weight: float = 0.5
    half_life_days: float = 30.0
    # A candidate of another rubric keeps ``1 - rubric_weight`` of its score:
    # the same words in a match report and in a column about the club's
    # finances are not the same story.
    rubric_weight: float = 0.5
    # The least share of the article's own score a related article reaches,
    # once the time and rubric factors are applied.
    min_similarity: float = 0.045
    # And the least share of the best candidate's: next to a story's
    # follow-up, an article a tenth as close is not about the same story.
    share_of_best: float = 0.15


@dataclass(frozen=True)
class KeyTerm:
    """An index term and how much it says about the article, from 0 to 1."""

    text: str
    weight: float


def _starts_sentence(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in _SPACES:
        i -= 1
    return i < 0 or text[i] in _SENTENCE_ENDS


def term_weights(analyzer: Analyzer, texts: Mapping[str, str], config: RelatedConfig) -> dict[str, float]:
    """Each plain term of an article's texts (by field name) with its weight in the article.

    A field adds its weight times ``1 + log(count)``: the fifth mention of a
    word says less than the first. Names are raised by ``name_boost``.
    """
    weights: dict[str, float] = {}
    names: set[str] = set()
    for name, text in texts.items():
        field_weight = config.field_weights.get(name, 0.0)
        if not text or not field_weight:
            continue
        counts: dict[str, int] = {}
        position = -1
        for token in analyzer(text, positions=True, chars=True):
            term = token.text
            # The first plain term of a position: an accented word's second stem would count it twice.
            if token.pos == position or not _PLAIN_TERM.fullmatch(term):
                continue
            position = token.pos
            counts[term] = counts.get(term, 0) + 1
            start = token.startchar
            if text[start].isupper() and not _starts_sentence(text, start):
                names.add(term)
        for term, count in counts.items():
            weights[term] = weights.get(term, 0.0) + field_weight * (1.0 + math.log(count))
    for term in names:
        weights[term] *= config.name_boost
    return weights


def key_terms(
    weights: Mapping[str, float], doc_frequency: Callable[[str], int], doc_count: int, config: RelatedConfig
) -> list[KeyTerm]:
    """The ``config.key_terms`` strongest terms by tf-idf, strongest first, scaled to the strongest.

    The terms read at most ``config.max_postings`` postings together: a
    common word that would overrun them is passed over for rarer ones.
    """
    frequency = {}
    scored = []
    for term, weight in weights.items():
        # A word of this article alone brings no other, but it is part of
        # what the article is about: it raises the article's own score.
        df = frequency[term] = max(doc_frequency(term), 1)
        tf_idf = weight * math.log(doc_count / df)
        if tf_idf > 0:
            scored.append(KeyTerm(term, tf_idf))
    scored.sort(key=lambda t: (-t.weight, t.text))
    chosen: list[KeyTerm] = []
    budget = config.max_postings
    for key in scored:
        if len(chosen) == config.key_terms:
            break
        if frequency[key.text] <= budget:
            budget -= frequency[key.text]
            chosen.append(key)
    return [KeyTerm(t.text, t.weight / chosen[0].weight) for t in chosen]


def similarity_query(terms: Iterable[KeyTerm], fields: Iterable[str], power: float = 0.3) -> q.Query | None:
    """One query ORing every key term in every field, boosted by its weight to ``power``.

    Weights below 1 flatten the boosts: with the weights themselves, the
    strongest few terms drown the rest of the topic (measured).
    """
    names = tuple(fields)
    clauses = [q.Term(name, t.text, boost=t.weight**power) for t in terms for name in names]
    if not clauses:
        return None
    return q.Or(clauses)


def article_texts(article: Article) -> dict[str, str]:
    """An article's text by field name, as the similarity query sees it."""
    return {
        "title": article.title,
        "tags": "\n".join(article.tags),
        "lede": article.lede,
        "caption": article.caption,
        "body": article.body,
    }


@dataclass(frozen=True)
class Archive:
    """What related articles read of one open index."""

    # The live docnums a query matches (ascending) and their BM25F scores.
    evaluate: Callable[[q.Query], tuple[NDArray[np.int32], NDArray[np.float64]]]
    doc_frequency: Callable[[str], int]
    doc_count: int
    days: NDArray[np.int64]  # -1 when undated
    rubrics: NDArray[np.int32]  # a number per rubric


def time_factors(day: int, others: NDArray[np.int64], config: RelatedConfig) -> NDArray[np.float64]:
    """The share of each candidate's score kept for the days between it and the article.

    1 on the same day, down to ``1 - time_weight`` years apart. An undated
    candidate of a dated article is neither near nor far: halfway. An
    undated article is compared on its words alone.
    """
    if day < 0:
        return np.ones(len(others))
    closeness = np.exp2(-np.abs(others - day) / config.half_life_days)
    factors = 1.0 - config.time_weight * (1.0 - closeness)
    return np.where(others < 0, 1.0 - config.time_weight / 2, factors)


def find_related(
    archive: Archive,
    analyzer: Analyzer,
    docnum: int,
    article: Article,
    exclude: Iterable[int] = (),
    config: RelatedConfig | None = None,
) -> list[tuple[int, float]]:
    """``(docnum, similarity)`` of the articles most like ``article``, best first.

    At most ``config.limit``, none in ``exclude``. The similarity is a
    candidate's score over the article's own, times the time and rubric factors. One
    pass over the postings of the key terms, which ``max_postings`` bounds
    whatever the size of the index.
    """
    config = config or RelatedConfig()
    weights = term_weights(analyzer, article_texts(article), config)
    terms = key_terms(weights, archive.doc_frequency, max(archive.doc_count, 1), config)
    query = similarity_query(terms, config.search_fields, config.boost_power)
    if query is None:
        return []
    ids, scores = archive.evaluate(query)
    at = np.searchsorted(ids, docnum)
    if at == len(ids) or ids[at] != docnum or scores[at] <= 0:
        return []  # not in the index (deleted since): nothing to measure against
    similarity = scores / scores[at] * time_factors(int(archive.days[docnum]), archive.days[ids], config)
    other_rubric = archive.rubrics[ids] != archive.rubrics[docnum]
    similarity[other_rubric] *= 1.0 - config.rubric_weight
    keep = similarity >= config.min_similarity
    keep[np.isin(ids, np.fromiter(set(exclude) | {docnum}, np.int32))] = False
    ids, similarity = ids[keep], similarity[keep]
    if len(similarity):
        keep = similarity >= config.share_of_best * similarity.max()
        ids, similarity = ids[keep], similarity[keep]
    best = np.lexsort((ids, -similarity))[: config.limit]
    return [(int(ids[n]), float(similarity[n])) for n in best]
