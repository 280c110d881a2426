"""Plain searches on the demo articles: French queries find what they should."""

from __future__ import annotations

import time

import pytest

from search.engine import Engine, NoIndex
from search.request import InvalidParameter, SearchRequest


@pytest.fixture(scope="module")
def engine(sample_index):
    with Engine(sample_index) as engine:
        yield engine


def ids(engine, text, limit=100):
    return {hit.id for hit in engine.search(SearchRequest(q=text, per_page=limit)).hits}


@pytest.mark.parametrize("variant", ["moyen-orient", '"moyen orient"', "MOYEN-ORIENT"])
def test_hyphenated_name_is_found_however_it_is_typed(engine, variant):
    assert ids(engine, variant) == ids(engine, "Moyen-Orient") != set()


def test_hyphenated_name_typed_as_two_words_comes_first(engine):
    together = ids(engine, "Moyen-Orient")
    hits = engine.search(SearchRequest(q="Moyen Orient", per_page=100)).hits
    assert {hit.id for hit in hits[: len(together)]} == together


def test_hyphenated_name_is_a_phrase_not_two_loose_words(engine):
    # "Proche-Orient" must not find the articles that only say "Moyen-Orient".
    assert ids(engine, "Proche-Orient") < ids(engine, "orient")


@pytest.mark.parametrize(("typed", "written"), [("l'Unesco", "Unesco"), ("l’Égypte", "egypte"), ("d'Égypte", "Égypte")])
def test_elisions_are_ignored(engine, typed, written):
    assert ids(engine, typed) == ids(engine, written) != set()


def test_articles_with_all_the_words_come_first(engine):
    response = engine.search(SearchRequest(q="tramway Casablanca", per_page=100))
    both = ids(engine, "tramway") & ids(engine, "Casablanca")
    assert response.all_words == len(both) > 0
    assert {hit.id for hit in response.hits[: response.all_words]} == both
    assert {hit.id for hit in response.hits} == ids(engine, "tramway") | ids(engine, "Casablanca")


def test_title_match_ranks_first(engine):
    hits = engine.search(SearchRequest(q="dessalement", per_page=3)).hits
    assert "dessalement" in hits[0].title.lower()


@pytest.mark.parametrize(
    "hostile", ["", " ", '"', '""', "*", "AND", "le la les", "title:", "(", "\x00\x07", "😀", "a" * 1000, "é " * 500]
)
def test_hostile_queries_do_not_raise(engine, hostile):
    result = engine.search(hostile)
    assert result.total >= 0


@pytest.mark.parametrize("too_long", ["a" * 1001, "é" * 3000])
def test_an_over_long_query_is_refused_naming_q_not_cut(engine, too_long):
    with pytest.raises(InvalidParameter) as caught:
        engine.search(too_long)
    assert caught.value.param == "q"


def test_engine_without_index_says_so(tmp_path):
    with pytest.raises(NoIndex, match="run 'kiosque build' first"):
        Engine(tmp_path / "nothing").search("maroc")


def test_a_view_opened_by_a_first_request_is_replaced_by_a_warmed_one_not_warmed_under_it(sample_index):
    # Whoosh's files are read with seek and read: warming the view a request
    # is searching, from the watcher's thread, gave that request a 500.
    with Engine(sample_index) as engine:
        first = engine.view()  # a request came before the watcher's first tick
        engine.watch(interval=0.01)
        deadline = time.monotonic() + 30
        while engine.view() is first and time.monotonic() < deadline:
            engine.search("maroc")
            time.sleep(0.01)
        assert engine.view() is not first and engine.view().warmed
        assert not first.warmed
        assert engine.search("maroc").total == Engine(sample_index).search("maroc").total
