"""Every entry of the shipped synonym list, checked on the team's corpus of real articles.

Each entry is about something the corpus writes (at least one of its terms is
found), and each word that takes synonyms finds every article its synonyms
find, a phrase where the synonym has several words. Which terms only some
articles write, and what each entry brings that the words alone miss, is
printed with ``-s``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from search.engine import Engine
from search.ranking import words_held
from search.request import SearchRequest
from search.understanding import key_of
from search.understanding.synonyms import SHIPPED_NAME, _entry

from .conftest import needs_corpus

pytestmark = needs_corpus

LE360_ID = "le360/000_e17f9bdc47b8fdf0"
LINES = [
    (number, line)
    for number, line in enumerate(
        resources.files("search.understanding").joinpath(SHIPPED_NAME).read_text(encoding="utf-8").splitlines(), 1
    )
    if line.strip() and not line.startswith("#")
]


@pytest.fixture(scope="module")
def engine(corpus_index: Path):
    with Engine(corpus_index) as engine:
        yield engine


def found(engine: Engine, text: str, synonyms: bool) -> set[int]:
    """The articles holding every word of ``text`` (a synonym counting as its word)."""
    view = engine.view()
    compiled = view.builder.compile(text, synonyms=synonyms)
    if compiled.query is None:
        return set()
    ids, scores = view.evaluator.run(compiled.query, view.live)  # as the engine scores it
    return {int(n) for n, score in zip(ids, scores, strict=True) if words_held(score) >= compiled.tiers}


def phrase(engine: Engine, text: str) -> set[int]:
    return found(engine, f'"{text}"', synonyms=False)


def test_every_entry_finds_what_it_promises(engine):
    failures, report = [], []
    for number, line in LINES:
        inputs, outputs = _entry(line)  # type: ignore[misc]
        attested = {term: len(phrase(engine, term)) for term in dict.fromkeys([*inputs, *outputs])}
        if not any(attested.values()):
            failures.append(f"{SHIPPED_NAME}:{number}: no article writes any of {line!r}")
        gains = {}
        for term in inputs:
            expanded = found(engine, term, synonyms=True)
            for synonym in engine.view().builder.synonyms.lookup(key_of(term)):
                if not phrase(engine, synonym) <= expanded:
                    failures.append(f"{SHIPPED_NAME}:{number}: {term!r} misses articles of {synonym!r}")
            gains[term] = len(expanded - found(engine, term, synonyms=False))
        report.append(f"{number:4} {line:<60} found {attested}  added {gains}")
    print("\n".join(report))
    assert failures == []


def test_a_synonym_finds_articles_its_word_alone_misses(engine):
    # « Nations unies » without « ONU », « Putin » for the articles that write « Poutine ».
    for typed, written in (("ONU", "Nations unies"), ("Putin", "Poutine"), ("Ecowas", "CEDEAO")):
        response = engine.search(SearchRequest(q=typed, per_page=100))
        assert response.all_words >= len(phrase(engine, written)) > len(phrase(engine, typed)), typed


def test_maroc_russie_finds_the_le360_article_on_the_maroco_russe_partnership(engine):
    # The article says « maroco-russe », « Marocains » and « Russie », never « Maroc ».
    plain = engine.search(SearchRequest(q="Maroc Russie", understand=False, per_page=10))
    understood = engine.search(SearchRequest(q="Maroc Russie", per_page=10))
    assert LE360_ID not in [hit.id for hit in plain.hits if hit.all_words]
    top = [hit.id for hit in understood.hits]
    assert LE360_ID in top and understood.hits[top.index(LE360_ID)].all_words
