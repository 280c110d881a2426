"""The engine understands a reader's query: synonyms and dates in words, on articles written for these tests."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from search.engine import Engine
from search.indexer import build_index
from search.request import Period, SearchRequest
from search.understanding import Understanding

from .conftest import write_article

NOW = datetime(2017, 10, 3, 9, 0, tzinfo=timezone.utc)  # relative dates count from 3 October 2017


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    articles = tmp_path_factory.mktemp("understanding-articles")
    write_article(
        articles,
        "nations-unies-soudan",
        "Le Conseil de sécurité réclame une trêve au Soudan",
        "Les Nations unies demandent l’ouverture de couloirs humanitaires autour de Khartoum.",
        day="2017-09-20",
        tags=("Soudan",),
    )
    write_article(
        articles,
        "cooperation-maroco-russe",
        "Rabat et Moscou relancent leur partenariat",
        "Le partenariat stratégique maroco-russe s’étend à l’énergie, selon le ministère des Affaires étrangères.",
        day="2017-09-12",
        tags=("Diplomatie",),
    )
    for day, title in (
        ("2017-09-14", "Trump menace de quitter l’accord de Paris"),
        ("2017-09-28", "Trump présente sa réforme fiscale"),
        ("2017-10-02", "Trump en visite à Porto Rico après l’ouragan"),
        ("2017-08-30", "Trump au Texas après l’ouragan Harvey"),
        ("2018-09-25", "Trump à la tribune de l’Assemblée générale"),
    ):
        write_article(articles, f"trump-{day}", title, "Le président américain Donald Trump a pris la parole.", day=day)
    write_article(
        articles,
        "mondial-2030",
        "Le Mondial 2030 se prépare à Casablanca",
        "Le comité d’organisation du Mondial 2030 a présenté le futur stade.",
        day="2017-10-02",
        tags=("Football",),
    )
    index = tmp_path_factory.mktemp("understanding-index")
    build_index(index, [str(articles)], procs=1)
    return index


@pytest.fixture(scope="module")
def engine(folder: Path):
    with Engine(folder, understanding=Understanding(clock=lambda: NOW)) as engine:
        yield engine


def search(engine: Engine, q: str, **params):
    return engine.search(SearchRequest(q=q, per_page=50, **params))


def ids(response) -> list[str]:
    return [hit.id for hit in response.hits]


def test_onu_finds_an_article_that_says_only_nations_unies(engine):
    response = search(engine, "ONU")
    assert ids(response) == ["nations-unies-soudan"]
    assert "<mark>Nations unies</mark>" in response.hits[0].snippet
    assert response.to_dict()["understood"]["expansions"][0]["word"] == "ONU"
    assert "Nations unies" in response.to_dict()["understood"]["expansions"][0]["synonyms"]


def test_a_synonym_counts_as_the_word_typed(engine):
    response = search(engine, "ONU Soudan")
    assert response.all_words == 1 and response.hits[0].all_words


def test_a_quoted_word_is_searched_as_typed(engine):
    response = search(engine, '"ONU"')
    assert response.total == 0 and response.understood.expansions == []


def test_understand_off_searches_the_words_literally(engine):
    assert search(engine, "ONU", understand=False).total == 0
    literal = search(engine, "Trump septembre 2017", understand=False)
    assert literal.understood.period is None and literal.understood.text == "Trump septembre 2017"
    assert literal.total == 5  # Trump, in every year


def test_maroc_russie_finds_the_partenariat_maroco_russe(engine):
    response = search(engine, "Maroc Russie")
    assert ids(response)[0] == "cooperation-maroco-russe" and response.hits[0].all_words
    assert "<mark>maroco</mark>-<mark>russe</mark>" in response.hits[0].snippet


def test_trump_septembre_2017_returns_only_september_2017(engine):
    response = search(engine, "Trump septembre 2017")
    assert sorted(ids(response)) == ["trump-2017-09-14", "trump-2017-09-28"]
    understood = response.understood
    assert (understood.text, understood.period) == ("Trump", Period(date(2017, 9, 1), date(2017, 9, 30)))
    assert response.to_dict()["query"] == "Trump septembre 2017"  # the request is kept as typed
    assert [bar.label for bar in response.timeline if bar.selected] == ["septembre 2017"]


def test_relative_dates_count_from_today(engine):
    assert ids(search(engine, "Trump hier")) == ["trump-2017-10-02"]
    assert ids(search(engine, "mondial cette semaine")) == ["mondial-2030"]
    assert sorted(ids(search(engine, "Trump le mois dernier"))) == ["trump-2017-09-14", "trump-2017-09-28"]


def test_a_date_alone_lists_the_articles_of_that_period(engine):
    response = search(engine, "hier")
    assert sorted(ids(response)) == ["mondial-2030", "trump-2017-10-02"]


@pytest.mark.parametrize(
    ("params", "q", "expected"),
    [
        ({"period": Period(date(2018, 1, 1), date(2018, 12, 31))}, "Trump septembre 2017", ["trump-2018-09-25"]),
        ({}, "Trump septembre 2017 date:2018", ["trump-2018-09-25"]),
    ],
)
def test_an_explicit_period_wins_over_a_date_in_words(engine, params, q, expected):
    response = search(engine, q, **params)
    assert ids(response) == expected
    assert response.understood.dates is not None and not response.understood.applied
    assert response.to_dict()["understood"]["period"]["applied"] is False


def test_a_year_alone_is_a_word(engine):
    response = search(engine, "Mondial 2030")
    assert ids(response) == ["mondial-2030"] and response.understood.dates is None


def test_the_article_page_marks_synonyms(engine):
    (marked,) = engine.highlight("ONU", [("Les Nations unies et l’ONU.", "body")])
    assert marked == "Les <mark>Nations unies</mark> et l’<mark>ONU</mark>."
    (literal,) = engine.highlight("ONU", [("Les Nations unies et l’ONU.", "body")], understand=False)
    assert literal == "Les Nations unies et l’<mark>ONU</mark>."


def test_the_links_of_what_was_understood(engine):
    understood = search(engine, "Trump septembre 2017 ONU").understood
    assert understood.without_dates() == "Trump ONU"
    assert understood.literal_dates() == 'Trump "septembre 2017" ONU'
    (onu,) = understood.expansions
    assert understood.literal_word(onu) == 'Trump septembre 2017 "ONU"'
