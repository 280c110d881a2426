"""The fast segment writer: Whoosh reads from it what it reads from its own, however a build is split."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from search import indexer, occurrences
from search.article import Article
from search.engine import Engine
from search.generations import IndexLocation
from search.indexer import build_index, update_index
from search.request import SearchRequest
from search.schema import make_schema, to_document
from search.segment_writer import ArticleSegmentWriter
from search.sources import read_sources
from search.vocabulary import Vocabulary

from .conftest import SAMPLE_DIR, write_article


def documents() -> list[dict]:
    """The demo articles, and enough dispatches on one subject for posting lists of several blocks."""
    articles = [item for item in read_sources([str(SAMPLE_DIR)]) if isinstance(item, Article)]
    for n in range(300):
        articles.append(
            Article(
                id=f"depeche-{n}",
                title=f"Dépêche {n} : le marché de l’eau à Agadir",
                body="Les barrages du Souss se remplissent. " * (1 + n % 7) + f"Réserve numéro {n}.",
                tags=["Eau", f"Semaine {n % 5}"],
                author="Salma Idrissi",
            )
        )
    return [to_document(article) for article in articles]


def write(folder: Path, writer_class: type, docs: list[dict]) -> None:
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), make_schema())
    writer = writer_class(ix, compound=False)
    for document in docs:
        writer.add_document(**document)
    writer.commit()


def everything(folder: Path) -> dict:
    """All that a reader gets from an index: terms, their statistics and postings, stored fields, lengths."""
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        terms = {}
        for field, text in reader.all_terms():
            info = reader.term_info(field, text)
            matcher = reader.postings(field, text)
            postings = []
            while matcher.is_active():
                postings.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            statistics = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length())
            terms[field, text] = (statistics, info.max_weight(), info.min_id(), info.max_id(), postings)
        stored = [reader.stored_fields(n) for n in range(reader.doc_count_all())]
        lengths = {
            name: [reader.doc_field_length(n, name) for n in range(reader.doc_count_all())]
            for name in reader.schema.scorable_names()
        }
    return {"terms": terms, "stored": stored, "lengths": lengths}


@pytest.mark.parametrize("slice_postings", [65536, 7])
def test_whoosh_reads_from_the_fast_writer_what_it_reads_from_its_own(tmp_path, monkeypatch, slice_postings):
    monkeypatch.setattr(occurrences, "SLICE_POSTINGS", slice_postings)  # a flush in many slices too
    docs = documents()
    write(tmp_path / "whoosh", SegmentWriter, docs)
    write(tmp_path / "fast", ArticleSegmentWriter, docs)
    theirs, ours = everything(tmp_path / "whoosh"), everything(tmp_path / "fast")
    several_blocks = [key for key, term in theirs["terms"].items() if len(term[-1]) > 128]
    assert several_blocks, "no posting list long enough for two blocks"
    assert ours == theirs


def test_an_update_that_merges_segments_keeps_every_posting(tmp_path):
    docs = documents()
    half = len(docs) // 2
    write(tmp_path / "whoosh", SegmentWriter, docs[:half])
    write(tmp_path / "fast", ArticleSegmentWriter, docs[:half])
    for folder, writer_class in ((tmp_path / "whoosh", SegmentWriter), (tmp_path / "fast", ArticleSegmentWriter)):
        writer = writer_class(whoosh_index.open_dir(str(folder)), compound=False)
        for document in docs[half:]:
            writer.add_document(**document)
        writer.commit(optimize=True)  # the old segment's postings go through the writer's table
    assert everything(tmp_path / "fast") == everything(tmp_path / "whoosh")


def found(index_dir: Path, text: str) -> list[str]:
    with Engine(index_dir) as engine:
        return [hit.id for hit in engine.search(SearchRequest(q=text, per_page=50)).hits]


QUERIES = ("barrages", "marché de l’eau", "Agadir", "tramway", "Salma Idrissi", "réserve 17")


@pytest.mark.parametrize("procs", [1, 2])
def test_a_build_split_into_many_segments_finds_what_one_segment_finds(tmp_path, monkeypatch, procs):
    source = tmp_path / "articles"
    for n in range(40):
        write_article(source, f"eau-{n}", f"Dépêche {n} : le marché de l’eau", "Les barrages du Souss. " * (1 + n % 4))
    write_article(source, "tramway", "Le tramway de Casablanca s’étend", "La nouvelle ligne dessert Sidi Moumen.")
    build_index(tmp_path / "one", [str(source)], procs=1)
    monkeypatch.setattr(indexer, "_WRITER_MEMORY_MB", 0.01)  # a segment every few articles
    build_index(tmp_path / "many", [str(source)], procs=procs)
    with whoosh_index.open_dir(str(IndexLocation(tmp_path / "many").live())).reader() as reader:
        assert len(list(reader.leaf_readers())) > 5 and reader.doc_count() == 41
    for text in QUERIES:
        assert sorted(found(tmp_path / "many", text)) == sorted(found(tmp_path / "one", text)), text
    one, many = (Vocabulary.load(IndexLocation(tmp_path / name).live()) for name in ("one", "many"))
    assert (many.words, many.names, many.headlines) == (one.words, one.names, one.headlines)


def test_a_big_update_goes_on_in_new_segments(tmp_path, monkeypatch):
    source = tmp_path / "articles"
    for n in range(10):
        write_article(source, f"eau-{n}", f"Dépêche {n} sur l’eau", "Les barrages du Souss.")
    build_index(tmp_path / "index", [str(source)], procs=1)
    for n in range(10):
        write_article(source, f"eau-{n}", f"Dépêche {n} sur le tramway", "La nouvelle ligne du tramway.")
    (source / "eau-0.txt").unlink()
    monkeypatch.setattr(indexer, "_WRITER_MEMORY_MB", 0.002)
    report = update_index(tmp_path / "index", [str(source)], prune=True)
    assert (report.updated, report.deleted) == (9, 1)
    assert found(tmp_path / "index", "barrages") == []
    assert sorted(found(tmp_path / "index", "tramway")) == sorted(f"eau-{n}" for n in range(1, 10))
