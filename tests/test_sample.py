"""The demo articles: they read cleanly, cover what a demo needs, and search as French."""

from __future__ import annotations

import re

import pytest

from search.article import Article, ArticleError
from search.engine import Engine
from search.request import SearchRequest
from search.sources import read_sources

from .conftest import SAMPLE_DIR

SAMPLE = list(read_sources([str(SAMPLE_DIR)]))
ARTICLES = [item for item in SAMPLE if isinstance(item, Article)]


def test_sample_articles_all_read_without_error():
    assert [str(item) for item in SAMPLE if isinstance(item, ArticleError)] == []


def test_sample_covers_what_the_demo_needs():
    assert len(ARTICLES) >= 40
    assert len({a.category for a in ARTICLES}) >= 6
    assert len({a.published.strftime("%Y-%m") for a in ARTICLES}) >= 12
    assert len({tag for a in ARTICLES for tag in a.tags}) >= 30
    assert sum(not a.caption for a in ARTICLES) >= 10
    assert sum(not a.author for a in ARTICLES) >= 5
    assert sum(len(a.authors) > 1 for a in ARTICLES) >= 2
    assert sum(bool(a.related) for a in ARTICLES) >= 10
    text = "\n".join(a.title + a.lede + a.body for a in ARTICLES)
    assert "’" in text and "'" in text and "\u00a0" in text


def test_sample_related_titles_point_to_sample_articles():
    titles = {a.title for a in ARTICLES}
    related = [r for a in ARTICLES for r in a.related]
    # One link on purpose points to an article older than the demo.
    assert sum(r not in titles for r in related) == 1


def _mentioning(*spellings: str) -> set[str]:
    pattern = re.compile("|".join(rf"\b{re.escape(s)}\b" for s in spellings))
    return {a.id for a in ARTICLES if pattern.search(" ".join([a.title, a.caption, a.lede, a.body, *a.tags]))}


@pytest.mark.parametrize(
    ("query", "spellings"),
    [
        ("egypte", ("Égypte", "Egypte")),
        ("Égypte", ("Égypte", "Egypte")),
        ("Etats-Unis", ("États-Unis", "Etats-Unis")),
        ("États-Unis", ("États-Unis", "Etats-Unis")),
        ("serguei lavrov", ("Sergueï Lavrov", "Serguei Lavrov")),
        ("moyen orient", ("Moyen-Orient",)),
    ],
)
def test_sample_search_ignores_accents_and_hyphens(sample_index, query, spellings):
    expected = _mentioning(*spellings)
    assert len(expected) >= 2
    with Engine(sample_index) as engine:
        found = {hit.id for hit in engine.search(SearchRequest(q=query, per_page=100)).hits}
    assert expected <= found


def test_sample_search_finds_accentless_securite(sample_index):
    expected = _mentioning("sécurité", "Sécurité")
    with Engine(sample_index) as engine:
        assert expected <= {hit.id for hit in engine.search(SearchRequest(q="securite", per_page=100)).hits}
