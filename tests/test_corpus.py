"""Integration on the real articles of ../shared/corpus, read where they are."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from search.engine import Engine
from search.request import SearchRequest
from search.sources import read_sources

from .conftest import SHARED_CORPUS, needs_corpus

pytestmark = needs_corpus

LE360_ID = "le360/000_e17f9bdc47b8fdf0"


@pytest.fixture(scope="module")
def corpus_engine(corpus_index: Path):
    with Engine(corpus_index) as engine:
        yield engine


@pytest.mark.parametrize("query", ["serguei lavrov", "Sergueï Lavrov", "partenariat stratégique", "strategique"])
def test_le360_article_is_found(corpus_engine, query):
    ids = [hit.id for hit in corpus_engine.search(SearchRequest(q=query, per_page=10)).hits]
    assert LE360_ID in ids


def test_le360_article_reads_as_its_author_wrote_it():
    (article,) = read_sources([str(SHARED_CORPUS / "articles" / "le360")])
    assert article.author == "Mohamed Chakir Alaoui"
    assert article.caption.startswith("Photomontage montrant Nasser Bourita")
    assert article.lede.startswith("Nasser Bourita s’est entretenu vendredi")
    assert "Sergueï Lavrov" in article.tags and len(article.related) == 2
    assert "Lire aussi" not in article.body


def _articles_mentioning(spellings: tuple[str, ...]) -> set[str]:
    ids = set()
    for path in (SHARED_CORPUS / "jsonl").glob("*.jsonl"):
        if path.name == "bbc-afrique.jsonl":
            continue
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                if any(s in record["title"] or s in record["body"] for s in spellings):
                    ids.add(record["id"])
    return ids


@pytest.mark.parametrize("query", ["États-Unis", "Etats-Unis", "etats unis"])
def test_both_spellings_of_etats_unis_are_found(corpus_engine, query):
    expected = len(_articles_mentioning(("États-Unis", "Etats-Unis")))
    total = corpus_engine.search(SearchRequest(q=query, per_page=1)).total
    # Both spellings are written in about as many articles: without folding,
    # half would be missed. A few more hits come from the lede/caption/tags.
    assert total >= expected


def test_text_and_json_lines_readers_agree_on_the_corpus():
    """The two source formats of one article give one article."""
    by_id = {}
    for path in (SHARED_CORPUS / "jsonl").glob("*.jsonl"):
        for item in read_sources([str(path)]):
            by_id[item.id] = item
    mismatches = []
    for item in read_sources([str(SHARED_CORPUS / "articles")]):
        record = by_id.get("-".join(Path(item.id).name.split("-")[:2]))
        if record is None:
            continue
        for field in ("title", "lede", "caption", "category", "body", "related", "published"):
            if getattr(item, field) != getattr(record, field):
                mismatches.append((item.id, field))
    assert mismatches == []


def test_a_name_of_one_article_is_offered_and_its_results_shown(corpus_engine):
    response = corpus_engine.search(SearchRequest(q="lavrof"))
    assert response.suggestion == "Lavrov" and response.corrected
    assert LE360_ID in [hit.id for hit in response.hits]


@pytest.mark.parametrize(
    "question",
    ["qui dirige la diplomatie marocaine", "dans quel pays est né Neymar", "comment est organisée la retraite"],
)
def test_questions_in_ordinary_french_are_not_corrected(corpus_engine, question):
    assert corpus_engine.search(SearchRequest(q=question)).suggestion is None


def test_every_facet_value_of_a_search_gives_its_count(corpus_engine):
    response = corpus_engine.search(SearchRequest(q="islam", per_page=1))
    tags = {value.value: value.count for value in response.facets["tags"]}
    # A tag with a comma, shown as the IWAC articles write it (they capitalise it both ways).
    assert any(tag.startswith("Cercle d'Études, de Recherches et de Formation ") for tag in tags)
    for name, values in response.facets.items():
        if name == "period":
            continue
        for value in values:
            narrowed = {"tags": {"tags": (value.value,)}, "category": {"category": value.value}}.get(
                name, {"author": value.value}
            )
            assert corpus_engine.search(SearchRequest(q="islam", per_page=1, **narrowed)).total == value.count


@pytest.mark.parametrize(("sort", "newest_first"), [("newest", True), ("oldest", False)])
def test_date_sorts_follow_the_time_of_day(corpus_engine, sort, newest_first):
    hits = corpus_engine.search(SearchRequest(q="France", sort=sort, per_page=100)).hits
    moments = [hit.published for hit in hits]
    assert len({m.date() for m in moments}) < len(moments)  # several articles share a day
    assert moments == sorted(moments, reverse=newest_first)
