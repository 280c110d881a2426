"""The cache of search responses: the same answer again, never one older than the live index."""

from __future__ import annotations

import json
import os

from click.testing import CliRunner

from search.cache import STATS_FOLDER, ResultCache
from search.cli import cli
from search.engine import Engine
from search.indexer import build_index
from search.request import SearchRequest
from web import create_app

from .conftest import write_article


def test_a_repeated_search_is_answered_from_the_cache(articles_dir, index_dir):
    build_index(index_dir, [str(articles_dir)], procs=1)
    with Engine(index_dir, cache=ResultCache()) as engine:
        first = engine.search(SearchRequest(q="tramway"))
        again = engine.search(SearchRequest(q="  tramway "))  # spacing makes no other search
        assert [h.id for h in again.hits] == [h.id for h in first.hits] and again.total == first.total
        stats = engine.cache.stats()
        assert (stats.hits, stats.misses, stats.entries) == (1, 1, 1)
        engine.search(SearchRequest(q="tramway", page=2))  # another page is another answer
        assert engine.cache.stats().misses == 2


def test_a_new_build_is_never_answered_from_the_old_one(articles_dir, index_dir):
    build_index(index_dir, [str(articles_dir)], procs=1)
    with Engine(index_dir, cache=ResultCache()) as engine:
        assert engine.search(SearchRequest(q="zelliges")).total == 0
        write_article(articles_dir, "fes/zellige", "Les zelliges de Fès", "Un art de la mosaïque.")
        build_index(index_dir, [str(articles_dir)], procs=1)
        assert engine.search(SearchRequest(q="zelliges")).total == 1
        assert engine.cache.stats().entries == 1  # what was kept of the old build is gone


def test_the_cache_stays_within_its_size(articles_dir, index_dir):
    build_index(index_dir, [str(articles_dir)], procs=1)
    cache = ResultCache(max_bytes=12_000)
    with Engine(index_dir, cache=cache) as engine:
        for word in ("tramway", "barrages", "Lavrov", "sécurité", "Casablanca", "Moscou", "eau", "climat"):
            engine.search(SearchRequest(q=word))
        stats = cache.stats()
        assert 0 < stats.bytes <= 12_000 and stats.entries < 8


def test_health_and_status_count_the_hits_and_misses(sample_index):
    app = create_app({"TESTING": True, "INDEX_DIR": str(sample_index), "CACHE_MB": 8})
    client = app.test_client()
    before = client.get("/api/health").get_json()["cache"]
    client.get("/api/search?q=tramway+Rabat")
    client.get("/api/search?q=tramway+Rabat")
    cache = client.get("/api/health").get_json()["cache"]
    assert cache["hits"] == before["hits"] + 1 and cache["misses"] == before["misses"] + 1
    assert cache["max_bytes"] == 8 * 2**20
    # A serving worker leaves its counts beside the index for `kiosque status`.
    record = json.loads((sample_index / STATS_FOLDER / f"{os.getpid()}.json").read_text(encoding="utf-8"))
    assert record["misses"] >= 1
    status = CliRunner().invoke(cli, ["status", "--index", str(sample_index), "--json"])
    assert json.loads(status.stdout)["serving"]["misses"] >= 1
    assert "cache       " in CliRunner().invoke(cli, ["status", "--index", str(sample_index)]).stdout
