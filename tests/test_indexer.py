"""Builds, updates, pruning, the writer lock, and what a killed or failed run leaves."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from search import indexer
from search.engine import Engine
from search.generations import RETIRED_GRACE_SECONDS, IndexLocation
from search.indexer import NothingToIndex, build_index, update_index
from search.locking import IndexLocked, WriterLock
from search.request import SearchRequest

from .conftest import SHARED_CORPUS, needs_corpus, write_article


def found(index_dir: Path, text: str) -> list[str]:
    with Engine(index_dir) as engine:
        return [hit.id for hit in engine.search(SearchRequest(q=text, per_page=20)).hits]


def test_build_indexes_every_article_and_records_the_build(articles_dir, index_dir):
    report = build_index(index_dir, [str(articles_dir)], procs=1)
    assert (report.added, report.failed, report.generation) == (3, 0, 1)
    meta = IndexLocation(index_dir).meta()
    assert meta["added"] == 3 and meta["kind"] == "build" and meta["generation"] == 1
    assert found(index_dir, "tramway") == ["maroc/tramway"]


def test_build_with_two_processes_gives_the_same_index(articles_dir, tmp_path):
    build_index(tmp_path / "one", [str(articles_dir)], procs=1)
    build_index(tmp_path / "two", [str(articles_dir)], procs=2)
    for text in ("sécurité", "Casablanca", "Lavrov", "eau"):
        assert found(tmp_path / "one", text) == found(tmp_path / "two", text)


def test_rebuild_swaps_while_an_open_searcher_keeps_the_old_index(articles_dir, index_dir):
    build_index(index_dir, [str(articles_dir)], procs=1)
    engine = Engine(index_dir)
    old_searcher = whoosh_index.open_dir(str(IndexLocation(index_dir).live())).searcher()
    engine.view()
    (articles_dir / "maroc" / "tramway.txt").unlink()
    write_article(articles_dir, "maroc/port", "Le port de Tanger Med bat un record", "Les conteneurs affluent.")
    report = build_index(index_dir, [str(articles_dir)], procs=1)
    assert (report.generation, report.deleted) == (2, 1)
    # The searcher opened before the swap still answers from the old index...
    with old_searcher:
        assert len(old_searcher.search(engine_query(old_searcher, "tramway"))) == 1
    # ...and the engine moves to the new one by itself.
    with engine:
        assert [h.id for h in engine.search("tramway").hits] == []
        assert [h.id for h in engine.search("Tanger").hits] == ["maroc/port"]


def engine_query(searcher, text):
    from search.query import QueryBuilder
    from search.schema import TEXT_FIELDS

    return QueryBuilder(searcher.schema["body"].analyzer, TEXT_FIELDS).compile(text).query


def test_update_without_changes_rewrites_nothing(articles_dir, index_dir):
    build_index(index_dir, [str(articles_dir)], procs=1)
    report = update_index(index_dir, [str(articles_dir)])
    assert (report.added, report.updated, report.deleted, report.unchanged) == (0, 0, 0, 3)
    assert report.generation == 1  # no new generation for nothing


def test_update_adds_new_and_reindexes_changed_articles(articles_dir, index_dir):
    build_index(index_dir, [str(articles_dir)], procs=1)
    write_article(
        articles_dir,
        "maroc/barrages",
        "Les barrages du Souss se remplissent",
        "Les pluies de mars ont rempli les retenues.",
        tags=("Eau",),
    )
    write_article(articles_dir, "culture/gnaoua", "Le festival Gnaoua revient à Essaouira", "Trois jours de musique.")
    report = update_index(index_dir, [str(articles_dir)])
    assert (report.added, report.updated, report.deleted, report.unchanged) == (1, 1, 0, 2)
    assert report.generation == 2
    assert found(index_dir, "pluies") == ["maroc/barrages"]
    assert found(index_dir, "sécheresse") == []
    assert found(index_dir, "Essaouira") == ["culture/gnaoua"]
    assert IndexLocation(index_dir).meta()["kind"] == "update"


def test_update_keeps_missing_articles_unless_pruning(articles_dir, index_dir):
    build_index(index_dir, [str(articles_dir)], procs=1)
    (articles_dir / "monde" / "lavrov.txt").unlink()
    assert update_index(index_dir, [str(articles_dir)]).deleted == 0
    assert found(index_dir, "Lavrov") == ["monde/lavrov"]
    report = update_index(index_dir, [str(articles_dir)], prune=True)
    assert (report.deleted, report.unchanged) == (1, 2)
    assert found(index_dir, "Lavrov") == []


def test_prune_keeps_an_article_whose_file_is_broken_for_now(articles_dir, index_dir):
    build_index(index_dir, [str(articles_dir)], procs=1)
    (articles_dir / "monde" / "lavrov.txt").write_bytes(b"\xff\xfe garbage")
    report = update_index(index_dir, [str(articles_dir)], prune=True)
    assert (report.failed, report.deleted) == (1, 0)
    assert "monde/lavrov.txt" in str(report.failures[0])
    assert found(index_dir, "Lavrov") == ["monde/lavrov"]


def test_update_builds_when_there_is_no_index(articles_dir, index_dir):
    report = update_index(index_dir, [str(articles_dir)])
    assert report.rebuilt and report.added == 3


def test_update_rebuilds_an_index_of_another_schema_version(articles_dir, index_dir):
    build_index(index_dir, [str(articles_dir)], procs=1)
    live = IndexLocation(index_dir).live()
    meta = json.loads((live / "kiosque.json").read_text())
    (live / "kiosque.json").write_text(json.dumps({**meta, "schema_version": 0}))
    report = update_index(index_dir, [str(articles_dir)])
    assert report.rebuilt and report.added == 3 and report.generation == 2


def test_one_broken_article_does_not_stop_the_batch(articles_dir, index_dir):
    (articles_dir / "broken.txt").write_text("date 2026-02-30 Politique\n\nTitre\n", encoding="utf-8")
    report = build_index(index_dir, [str(articles_dir)], procs=1)
    assert (report.added, report.failed) == (3, 1)
    assert str(report.failures[0]).startswith(f"{articles_dir / 'broken.txt'}:1: date '2026-02-30'")
    assert IndexLocation(index_dir).meta()["failures"] == [str(report.failures[0])]


def test_duplicate_ids_keep_the_first_article(tmp_path, index_dir):
    record = {"id": "a1", "title": "Premier titre", "body": "Texte."}
    (tmp_path / "one.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (tmp_path / "two.jsonl").write_text(json.dumps({**record, "title": "Second titre"}) + "\n", encoding="utf-8")
    report = build_index(index_dir, [str(tmp_path / "one.jsonl"), str(tmp_path / "two.jsonl")], procs=1)
    assert (report.added, report.failed) == (1, 1)
    assert "duplicate id 'a1', first read from" in str(report.failures[0])
    assert found(index_dir, "premier") == ["a1"]


def test_build_of_nothing_keeps_the_live_index(articles_dir, index_dir, tmp_path):
    build_index(index_dir, [str(articles_dir)], procs=1)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(NothingToIndex):
        build_index(index_dir, [str(empty)], procs=1)
    assert IndexLocation(index_dir).generation() == 1
    assert found(index_dir, "tramway") == ["maroc/tramway"]


def test_build_that_fails_midway_keeps_the_live_index(articles_dir, index_dir, monkeypatch):
    build_index(index_dir, [str(articles_dir)], procs=1)
    calls = []

    def failing(article):
        calls.append(article.id)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(article)

    real = indexer.to_document
    monkeypatch.setattr(indexer, "to_document", failing)
    with pytest.raises(OSError):
        build_index(index_dir, [str(articles_dir)], procs=1)
    assert IndexLocation(index_dir).generation() == 1
    assert not list(index_dir.glob(".work-*"))
    assert found(index_dir, "tramway") == ["maroc/tramway"]


def test_second_writer_is_refused_while_the_lock_is_held(articles_dir, index_dir):
    with WriterLock(index_dir):
        with pytest.raises(IndexLocked, match="locked by pid"):
            build_index(index_dir, [str(articles_dir)], procs=1)
    assert build_index(index_dir, [str(articles_dir)], procs=1).added == 3


def test_writer_waits_for_the_lock_when_asked(articles_dir, index_dir):
    lock = WriterLock(index_dir).__enter__()
    threading.Timer(0.3, lock.__exit__, (None, None, None)).start()
    assert build_index(index_dir, [str(articles_dir)], procs=1, wait=5).added == 3


def test_lock_left_by_a_dead_run_is_taken_over(articles_dir, index_dir):
    index_dir.mkdir()
    (index_dir / ".writer.lock").write_text("pid 999999 since 2026-01-01 00:00:00\n")
    assert build_index(index_dir, [str(articles_dir)], procs=1).added == 3
    assert (index_dir / ".writer.lock").read_text() == ""


def test_retired_generations_are_removed_after_a_grace_period(articles_dir, index_dir):
    for _ in range(4):
        build_index(index_dir, [str(articles_dir)], procs=1)
    location = IndexLocation(index_dir)
    assert len(list(index_dir.glob("gen-*"))) == 4  # retired moments ago: kept
    location.clean(now=time.time() + RETIRED_GRACE_SECONDS + 1)
    # The live one and the one just before it stay.
    assert sorted(p.name for p in index_dir.glob("gen-*")) == ["gen-000003", "gen-000004"]


def _kiosque(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "search", *args], stderr=subprocess.DEVNULL)


def _processes_mentioning(text: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and text in (entry / "cmdline").read_bytes().decode(errors="replace"):
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


def _kill_when_writing(process: subprocess.Popen, index_dir: Path) -> None:
    """SIGKILL the run once it has started writing its new generation."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        work = list(index_dir.glob(".work-*"))
        if work and any(work[0].iterdir()):
            time.sleep(1.0)
            break
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()


@needs_corpus
@pytest.mark.parametrize("command", ["build", "update"])
def test_killed_run_leaves_the_live_index_and_the_next_run_succeeds(command, articles_dir, index_dir):
    build_index(index_dir, [str(articles_dir)], procs=1)
    corpus = str(SHARED_CORPUS / "articles")
    process = _kiosque(command, corpus, "--index", str(index_dir))
    _kill_when_writing(process, index_dir)

    time.sleep(0.5)
    assert _processes_mentioning(str(index_dir)) == []  # no orphaned worker
    assert IndexLocation(index_dir).generation() == 1
    assert found(index_dir, "tramway") == ["maroc/tramway"]
    with whoosh_index.open_dir(str(IndexLocation(index_dir).live())).reader() as reader:
        assert reader.doc_count() == 3

    report = build_index(index_dir, [str(articles_dir)], procs=1)
    assert report.generation == 2 and report.added == 3
    assert not list(index_dir.glob(".work-*"))
