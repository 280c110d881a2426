"""Scoring over arrays gives Whoosh's own results: the same articles, scores and first ten, faster.

The reference is what Kiosque did before ``ranking/evaluation.py``: Whoosh's
search over its matcher tree, with the recency blend as a Whoosh final
score, then the same feedback re-ranking.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from whoosh.searching import Searcher

from search.engine import Engine
from search.indexer import build_index, update_index
from search.ranking import RecencyBM25F, feedback
from search.request import SearchRequest

from .conftest import SHARED_CORPUS, needs_corpus

QUERIES = [
    "Maroc",
    "tramway Casablanca",
    "diplomatie marocaine",
    "moyen orient",
    "Moyen-Orient",
    '"port de Tanger"',
    "Bourita Lavrov Moscou",
    "tramway -Lissasfa",
    "tramway SAUF Lissasfa OU Gnaoua",
    "diplom*",
    "maroc date:2026",
    "rubrique:societe tramway",
    "titre:tramway",
    "tag:Diplomatie",
    "auteur:Idrissi",
    "Macron OR Merkel Europe",
    "Maroc ET Russie",
    "-maroc -gaza",
    "Quel est le nom du ministre des affaires étrangères ?",
    "qui dirige la diplomatie marocaine",
    "Combien de rames compte le tramway de Casablanca ?",
    "sécurité régionale au Sahel",
    "securite",
    "l'Unesco",
    "États-Unis Cuba",
    "élections législatives 2026",
    "les enfants",
    "(Maroc OR Algérie) gaz",
]
CORPUS_QUERIES = [
    "Neymar",
    "Nicolas Hulot",
    "intégrisme",
    "islam",
    "moyen orient",
    "France",
    "Etats-Unis",
    "réforme du code du travail",
    "Quel cours d'eau est franchi par la force d'invasion ?",
    "Combien de trimestres faut-il pour la retraite à taux plein ?",
    "ouragan Irma Saint-Martin",
    "Donald Trump Corée du Nord",
    "élection présidentielle au Kenya",
    "cinéma",
    "Emmanuel Macron -Trump",
    '"fair-play financier"',
    "dopage athlétisme",
    "Burkina Faso Ouagadougou",
]


class _WhooshScorer:
    """The scores of a query in some documents, by Whoosh's own search."""

    def __init__(self, searcher: Searcher):
        self.searcher = searcher

    def scores_among(self, query, docnums):
        found = self.searcher.search(query, filter=set(docnums.tolist()), limit=None).top_n
        found.sort(key=lambda pair: pair[1])
        return np.array([d for _, d in found], np.int32), np.array([s for s, _ in found])


def whoosh_first_ten(engine: Engine, text: str) -> list[str]:
    """The first ten ids as Kiosque ranked them with Whoosh's search."""
    view = engine.view()
    compiled = view.builder.compile(text)
    searcher = Searcher(view.reader, weighting=RecencyBM25F(engine.config, view.days), closereader=False)
    ranked = searcher.search(compiled.query, limit=None).top_n
    order = np.array([d for _, d in ranked], np.int32)
    scores = np.array([s for s, _ in ranked])
    if compiled.expandable:
        statistics = feedback.Statistics(view.relevance)
        order, scores = feedback.rerank(_WhooshScorer(view.relevance), statistics, order, scores, compiled.stems)
    return [view.relevance.stored_fields(int(d))["id"] for d in order[:10]]


def first_ten(engine: Engine, text: str) -> list[str]:
    # correct=0: a correction would search other words than the reference does.
    return [hit.id for hit in engine.search(SearchRequest(q=text, correct=False)).hits]


@pytest.fixture(scope="module")
def engine(sample_index):
    with Engine(sample_index) as engine:
        yield engine


@pytest.mark.parametrize("text", QUERIES)
def test_arrays_score_every_match_as_whoosh_does(engine, text):
    assert_scores_are_whoosh_s(engine, text)


def assert_scores_are_whoosh_s(engine: Engine, text: str) -> None:
    view = engine.view()
    query = view.builder.compile(text).query
    assert query is not None
    ids, scores = view.evaluator.run(query, view.live, window=10**9)  # proximity for every match
    expected = {docnum: score for score, docnum in view.relevance.search(query, limit=None).top_n}
    assert dict(zip(ids.tolist(), scores.tolist(), strict=True)) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("text", QUERIES)
def test_the_first_ten_are_those_of_whoosh(engine, text):
    assert first_ten(engine, text) == whoosh_first_ten(engine, text)


@pytest.fixture(scope="module")
def corpus_engine(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("evaluation-corpus")
    build_index(folder, [str(SHARED_CORPUS / "articles"), str(SHARED_CORPUS / "jsonl" / "bbc-afrique.jsonl")])
    with Engine(folder) as engine:
        yield engine


@needs_corpus
@pytest.mark.parametrize("text", CORPUS_QUERIES)
def test_the_first_ten_are_those_of_whoosh_on_the_shared_corpus(corpus_engine, text):
    assert first_ten(corpus_engine, text) == whoosh_first_ten(corpus_engine, text)


@pytest.fixture(scope="module")
def updated_engine(tmp_path_factory: pytest.TempPathFactory):
    """The demo articles after an update that re-indexed some and deleted others: segments with deletions."""
    work = tmp_path_factory.mktemp("evaluation-updated")
    articles = work / "articles"
    shutil.copytree(Path(__file__).parent.parent / "data" / "sample", articles)
    build_index(work / "index", [str(articles)])
    files = sorted(articles.glob("*.txt"))
    for changed in files[::4]:
        changed.write_text(changed.read_text(encoding="utf-8").replace("Maroc", "Maroc, Tanger"), encoding="utf-8")
    for removed in files[1::5]:
        removed.unlink()
    update_index(work / "index", [str(articles)], prune=True)
    with Engine(work / "index") as engine:
        assert engine.view().reader.has_deletions()
        yield engine


@pytest.mark.parametrize("text", ["Maroc", "Tanger", "tramway Casablanca", '"port de Tanger"', "moyen orient"])
def test_arrays_score_as_whoosh_does_after_an_update_deleted_articles(updated_engine, text):
    assert_scores_are_whoosh_s(updated_engine, text)
