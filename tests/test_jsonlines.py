"""Tests of the JSON Lines reader (search/jsonlines.py)."""

from __future__ import annotations

import io
import json
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest

from search.article import MAX_ARTICLE_BYTES, Article, ArticleError
from search.jsonlines import parse_json_article, read_json_lines

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
PATH = "lots/octobre.jsonl"
BOM = b"\xef\xbb\xbf"

RECORD = {
    "id": "kiosque-0001",
    "url": "https://kiosque.example/economie/port-tanger",
    "title": "Le port de Tanger accueille un nouveau terminal",
    "lede": "Les premiers porte-conteneurs sont attendus au printemps.",
    "caption": "Une grue sur le quai est du port.",
    "author": "Karim Tazi",
    "published": "2017-10-13T09:00:00",
    "category": "Économie",
    "tags": ["Tanger", "Transport maritime"],
    "body": "Le chantier a duré quatre ans.\n\nLes dockers saluent la fin des travaux.",
    "related": ["Les exportations en hausse au troisième trimestre"],
}


def line_of(record: dict | list, **changes) -> str:
    if isinstance(record, dict):
        record = {**record, **changes}
    return json.dumps(record, ensure_ascii=False)


def parse(line: str, number: int = 3) -> Article:
    return parse_json_article(line, PATH, number)


def parse_error(line: str, number: int = 3) -> ArticleError:
    with pytest.raises(ArticleError) as caught:
        parse(line, number)
    return caught.value


def read(*lines: bytes) -> list[Article | ArticleError]:
    return list(read_json_lines(io.BytesIO(b"".join(lines)), PATH))


# --- parse_json_article ---------------------------------------------------


def test_parse_json_article_reads_every_field():
    result = parse(line_of(RECORD), number=12)

    assert result.id == "kiosque-0001"
    assert result.url == "https://kiosque.example/economie/port-tanger"
    assert result.title == "Le port de Tanger accueille un nouveau terminal"
    assert result.lede == "Les premiers porte-conteneurs sont attendus au printemps."
    assert result.caption == "Une grue sur le quai est du port."
    assert result.author == "Karim Tazi"
    assert result.published == datetime(2017, 10, 13, 9, 0, 0)
    assert result.category == "Économie"
    assert result.tags == ["Tanger", "Transport maritime"]
    assert result.paragraphs == ["Le chantier a duré quatre ans.", "Les dockers saluent la fin des travaux."]
    assert result.related == ["Les exportations en hausse au troisième trimestre"]
    assert result.source == f"{PATH}:12"


def test_parse_json_article_reads_null_published_as_none():
    assert parse(line_of(RECORD, published=None)).published is None


def test_parse_json_article_fills_missing_optional_fields_with_empty_values():
    result = parse('{"id": "k-2", "title": "Festival de musique à Essaouira"}')

    assert result.title == "Festival de musique à Essaouira"
    assert (result.url, result.lede, result.caption, result.author, result.category, result.body) == (
        "",
        "",
        "",
        "",
        "",
        "",
    )
    assert result.published is None
    assert result.tags == []
    assert result.related == []


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2017-10-13T09:00:00", datetime(2017, 10, 13, 9, 0)),
        ("2017-10-13 09:00", datetime(2017, 10, 13, 9, 0)),
        ("2017-10-13", datetime(2017, 10, 13, 0, 0)),
        ("2017-10-13T09:00:00+02:00", datetime(2017, 10, 13, 9, 0)),
    ],
)
def test_parse_json_article_reads_published_as_newsroom_time(published, expected):
    result = parse(line_of(RECORD, published=published))

    assert result.published == expected
    assert result.published.tzinfo is None


@pytest.mark.parametrize(("value", "expected"), [(42, "42"), (" k-7 ", "k-7"), ("2026/03/tanger", "2026/03/tanger")])
def test_parse_json_article_accepts_numbers_and_strings_as_id(value, expected):
    assert parse(line_of(RECORD, id=value)).id == expected


def test_parse_json_article_composes_nfd_accents_and_drops_soft_hyphens():
    messy = {
        name: unicodedata.normalize("NFD", value.replace("port", "po\u00adrt").replace("é", "e\u0301"))
        if isinstance(value, str)
        else value
        for name, value in RECORD.items()
    }
    messy["tags"] = [unicodedata.normalize("NFD", "Économie\u00ad maritime"), "Sécu\u00adrité"]

    result = parse(line_of(messy))

    assert result.title == "Le port de Tanger accueille un nouveau terminal"
    assert result.category == "Économie"
    assert result.body == RECORD["body"]
    assert result.related == RECORD["related"]
    assert result.tags == ["Économie maritime", "Sécurité"]
    for text in (result.title, result.lede, result.caption, result.author, result.category, result.body):
        assert "\u00ad" not in text
        assert unicodedata.is_normalized("NFC", text)


def test_parse_json_article_strips_spaces_around_text_and_inside_tags():
    result = parse(line_of(RECORD, title="  Le titre \n", tags=["  Union   africaine ", "", "  "]))

    assert result.title == "Le titre"
    assert result.tags == ["Union africaine"]


@pytest.mark.parametrize(
    ("line", "words"),
    [
        pytest.param('{"id": "k-1", "title": "Le titre"', ["invalid JSON"], id="truncated"),
        pytest.param("{'id': 'k-1'}", ["invalid JSON"], id="single-quotes"),
        pytest.param('["k-1", "Le titre"]', ["JSON object"], id="list"),
        pytest.param('"Le titre"', ["JSON object"], id="string"),
        pytest.param('{"title": "Le titre"}', ["missing 'id'"], id="no-id"),
        pytest.param('{"id": "  ", "title": "Le titre"}', ["missing 'id'"], id="blank-id"),
        pytest.param('{"id": true, "title": "Le titre"}', ["missing 'id'"], id="boolean-id"),
        pytest.param('{"id": "k-1"}', ["'k-1'", "no title"], id="no-title"),
        pytest.param('{"id": "k-1", "title": ""}', ["'k-1'", "no title"], id="empty-title"),
        pytest.param('{"id": "k-1", "title": " \\n "}', ["'k-1'", "no title"], id="blank-title"),
        pytest.param('{"id": "k-1", "title": 7}', ["'title'", "string"], id="number-title"),
        pytest.param(
            '{"id": "k-1", "title": "T", "published": "hier soir"}',
            ["'published'", "hier soir", "does not parse"],
            id="published-words",
        ),
        pytest.param(
            '{"id": "k-1", "title": "T", "published": "2017-02-30T09:00:00"}',
            ["'published'", "does not parse"],
            id="published-impossible",
        ),
        pytest.param(
            '{"id": "k-1", "title": "T", "published": 1507885200}',
            ["'published'", "does not parse"],
            id="published-number",
        ),
        pytest.param(
            '{"id": "k-1", "title": "T", "tags": "Tanger, Port"}', ["'tags'", "list of strings"], id="tags-string"
        ),
        pytest.param(
            '{"id": "k-1", "title": "T", "tags": ["Tanger", 3]}', ["'tags'", "list of strings"], id="tags-number"
        ),
        pytest.param(
            '{"id": "k-1", "title": "T", "related": {"a": 1}}', ["'related'", "list of strings"], id="related-object"
        ),
    ],
)
def test_parse_json_article_reports_errors_with_file_and_line(line, words):
    error = parse_error(line, number=9)

    assert (error.path, error.line) == (PATH, 9)
    assert str(error).startswith(f"{PATH}:9: ")
    for word in words:
        assert word in str(error)


# --- read_json_lines ------------------------------------------------------


def test_read_json_lines_reads_the_fixture_file():
    with (FIXTURES / "articles.jsonl").open("rb") as stream:
        results = list(read_json_lines(stream, "articles.jsonl"))

    assert [result.id for result in results] == ["kiosque-0001", "kiosque-0002"]
    assert results[0] == parse(line_of(RECORD))
    assert results[1].title == "Festival de musique à Essaouira"
    assert results[1].published is None
    assert results[1].source == "articles.jsonl:2"


def test_read_json_lines_skips_blank_lines_and_keeps_line_numbers():
    results = read(
        b"\n",
        line_of(RECORD, id="a").encode() + b"\n",
        b"   \n",
        b"\r\n",
        line_of(RECORD, id="b").encode() + b"\r\n",
    )

    assert [(result.id, result.source) for result in results] == [("a", f"{PATH}:2"), ("b", f"{PATH}:5")]


def test_read_json_lines_accepts_a_bom_on_the_first_line():
    results = read(BOM + line_of(RECORD, id="a").encode() + b"\n", line_of(RECORD, id="b").encode() + b"\n")

    assert [result.id for result in results] == ["a", "b"]
    assert all(isinstance(result, Article) for result in results)


def test_read_json_lines_goes_on_after_a_bad_line():
    results = read(
        line_of(RECORD, id="a").encode() + b"\n",
        b'{"id": "b", "title": \n',
        line_of(RECORD, id="c").encode() + b"\n",
        b'{"id": "d"}\n',
        line_of(RECORD, id="e").encode() + b"\n",
    )

    assert [type(result).__name__ for result in results] == [
        "Article",
        "ArticleError",
        "Article",
        "ArticleError",
        "Article",
    ]
    assert [result.id for result in results if isinstance(result, Article)] == ["a", "c", "e"]
    assert str(results[1]).startswith(f"{PATH}:2: invalid JSON")
    assert str(results[3]).startswith(f"{PATH}:4: ")
    assert "no title" in str(results[3])


def test_read_json_lines_reports_a_line_that_is_not_utf8():
    latin1 = line_of(RECORD, id="b", title="Café à Fès").encode("latin-1")
    results = read(line_of(RECORD, id="a").encode() + b"\n", latin1 + b"\n", line_of(RECORD, id="c").encode() + b"\n")

    assert [result.id for result in results if isinstance(result, Article)] == ["a", "c"]
    error = results[1]
    assert isinstance(error, ArticleError)
    assert error.line == 2
    assert str(error).startswith(f"{PATH}:2: not UTF-8")
    assert "0xe9" in str(error)


def test_read_json_lines_names_the_bad_byte_of_a_first_line_with_bom():
    results = read(BOM + b'{"id": "a", "title": "Caf\xe9"}\n')

    assert len(results) == 1
    assert str(results[0]).startswith(f"{PATH}:1: not UTF-8")
    assert "0xe9" in str(results[0])


def test_read_json_lines_refuses_a_line_too_large_and_reads_the_next():
    huge = line_of(RECORD, id="big", body="x" * (MAX_ARTICLE_BYTES + 1)).encode() + b"\n"

    results = read(huge, line_of(RECORD, id="small").encode() + b"\n")

    assert isinstance(results[0], ArticleError)
    assert str(results[0]).startswith(f"{PATH}:1: line too large")
    assert isinstance(results[1], Article)
    assert results[1].id == "small"


def test_read_json_lines_reads_nothing_from_an_empty_stream():
    assert read() == []
