"""The JSON endpoint against the real app: documents, errors, caching, and agreement with the page."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from search.indexer import build_index
from web import create_app
from web.cli import cli

from .conftest import write_article


@pytest.fixture(scope="module")
def openapi(app):
    return app.test_client().get("/api/openapi.json").get_json()


def conforms(openapi, schema_name, document):
    """Validate a response against a schema of the OpenAPI document."""
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": openapi["components"]}
    errors = sorted(Draft202012Validator(schema).iter_errors(document), key=str)
    assert errors == [], [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def test_openapi_document_is_valid_openapi_3_1(openapi):
    assert openapi["openapi"].startswith("3.1")
    validate(openapi)
    assert set(openapi["paths"]) == {
        "/api/search",
        "/api/articles/{id}",
        "/api/suggest",
        "/api/health",
        "/api/openapi.json",
    }


@pytest.mark.parametrize(
    "query",
    [
        "q=tramway",
        "q=Maroc&tag=%C3%89conomie&per_page=3&page=2",
        "q=lavrof",
        "q=tramway+cosmonaute",
        "sort=newest&from=2025-03&to=2025-06",
        "q=Maroc&category=Soci%C3%A9t%C3%A9&sort=oldest",
        "q=zzzz",
        "page=99",
        "q=ONU+juin+2025",
        "q=Bourita+hier",
        "q=ONU&understand=0",
        "q=tramway+en+2025&from=2026",
    ],
)
def test_search_responses_match_the_openapi_document(client, openapi, query):
    response = client.get(f"/api/search?{query}")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    conforms(openapi, "SearchResponse", response.get_json())


def test_search_reports_what_it_understood(client):
    data = client.get("/api/search?q=ONU+juin+2025").get_json()
    assert data["query"] == "ONU juin 2025"
    understood = data["understood"]
    assert understood["text"] == "ONU"
    assert understood["period"] == {
        "words": "juin 2025",
        "label": "juin 2025",
        "from": "2025-06-01",
        "to": "2025-06-30",
        "applied": True,
    }
    assert understood["expansions"][0]["word"] == "ONU" and "Nations unies" in understood["expansions"][0]["synonyms"]
    assert data["total"] > 0 and all(hit["published"].startswith("2025-06") for hit in data["hits"])
    literal = client.get("/api/search?q=ONU+juin+2025&understand=0").get_json()
    assert literal["understood"] == {"text": "ONU juin 2025", "period": None, "expansions": []}
    assert "understand=0" in literal["links"]["self"]


def test_the_etag_changes_with_the_day(tmp_path, sample_index):
    from datetime import datetime, timezone

    app = create_app({"TESTING": True, "INDEX_DIR": str(sample_index)})
    engine = app.extensions["kiosque.engine"]
    client = app.test_client()
    engine.understanding.clock = lambda: datetime(2026, 3, 6, 12, tzinfo=timezone.utc)
    today = client.get("/api/search?q=hier")
    engine.understanding.clock = lambda: datetime(2026, 3, 7, 12, tzinfo=timezone.utc)
    tomorrow = client.get("/api/search?q=hier", headers={"If-None-Match": today.headers["ETag"]})
    assert tomorrow.status_code == 200 and tomorrow.headers["ETag"] != today.headers["ETag"]
    assert tomorrow.get_json()["understood"]["period"]["from"] == "2026-03-06"
    engine.close()


def test_search_document(client):
    data = client.get("/api/search?q=Maroc&per_page=3&page=2").get_json()
    assert (data["page"], data["per_page"]) == (2, 3)
    assert data["pages"] == -(-data["total"] // 3)
    hit = data["hits"][0]
    assert set(hit) == {
        "id",
        "title",
        "url",
        "published",
        "category",
        "author",
        "tags",
        "snippet",
        "title_html",
        "score",
        "all_words",
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", hit["published"])
    links = data["links"]
    assert parse_qs(urlsplit(links["next"]).query)["page"] == ["3"]
    assert "page" not in parse_qs(urlsplit(links["prev"]).query)
    assert client.get(links["self"]).get_json()["hits"] == data["hits"]


def test_article_and_suggest_and_health_match_the_document(client, openapi):
    article = client.get("/api/articles/2025-10-06-bourita-lavrov-entretien").get_json()
    conforms(openapi, "Article", article)
    assert article["related_titles"][0]["id"] == "2025-03-24-caire-reconstruction-gaza"
    assert article["related"][0]["id"] == "2025-03-24-caire-reconstruction-gaza"
    conforms(openapi, "Suggestions", client.get("/api/suggest?q=Bour").get_json())
    health = client.get("/api/health")
    conforms(openapi, "Health", health.get_json())
    assert health.get_json()["articles"] >= 40 and health.get_json()["status"] == "ok"


def test_health_is_503_without_an_index(tmp_path, openapi):
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "nothing")}).test_client()
    response = client.get("/api/health")
    assert response.status_code == 503
    conforms(openapi, "Health", response.get_json())
    search = client.get("/api/search?q=x")
    assert search.status_code == 503 and search.get_json()["error"]["code"] == "no_index"


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("page=0", "page"),
        ("page=-3", "page"),
        ("page=deux", "page"),
        ("per_page=1000", "per_page"),
        ("per_page=0", "per_page"),
        ("sort=foo", "sort"),
        ("from=yesterday", "from"),
        ("to=2026-13", "to"),
        ("from=2026-05&to=2026-01", "to"),
        ("recency=maybe", "recency"),
        ("understand=oui", "understand"),
        ("category=A&category=B", "category"),
    ],
)
def test_bad_parameters_get_a_json_400_naming_them(client, openapi, query, param):
    response = client.get(f"/api/search?{query}")
    assert response.status_code == 400 and response.mimetype == "application/json"
    body = response.get_json()
    conforms(openapi, "Error", body)
    assert body["error"]["param"] == param and body["error"]["message"]


@pytest.mark.parametrize("length", [1001, 5000])
def test_an_over_long_query_is_a_json_400_naming_q(client, openapi, length):
    response = client.get("/api/search", query_string={"q": "é" * length})
    assert response.status_code == 400 and response.mimetype == "application/json"
    body = response.get_json()
    conforms(openapi, "Error", body)
    assert body["error"]["param"] == "q" and "at most 1000 characters" in body["error"]["message"]
    assert client.get("/api/search", query_string={"q": "é" * 1000}).status_code == 200
    assert openapi["paths"]["/api/search"]["get"]["parameters"][0]["schema"]["maxLength"] == 1000


def test_unknown_parameters_are_ignored(client):
    plain = client.get("/api/search?q=tramway").get_json()
    extra = client.get("/api/search?q=tramway&utm_source=x&foo=bar").get_json()
    assert [h["id"] for h in extra["hits"]] == [h["id"] for h in plain["hits"]]


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", "/api/articles/nulle-part", 404),
        ("GET", "/api/articles/../../etc/passwd", 404),
        ("GET", "/api/nothing-here", 404),
        ("POST", "/api/search", 405),
        ("DELETE", "/api/articles/x", 405),
    ],
)
def test_errors_under_api_are_json(client, openapi, method, url, status):
    response = client.open(url, method=method)
    assert response.status_code == status and response.mimetype == "application/json"
    conforms(openapi, "Error", response.get_json())
    assert b"<html" not in response.data


def test_json_is_utf8_without_ascii_escapes(client):
    response = client.get("/api/articles/2025-10-06-bourita-lavrov-entretien")
    assert "Sergueï".encode() in response.data and b"\\u00ef" not in response.data


def test_etag_and_cache_control(client):
    first = client.get("/api/search?q=tramway")
    etag = first.headers["ETag"]
    assert "max-age" in first.headers["Cache-Control"]
    again = client.get("/api/search?q=tramway", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other = client.get("/api/search?q=Maroc")
    assert other.headers["ETag"] != etag


def test_etag_changes_when_a_new_index_lands(tmp_path):
    folder = tmp_path / "articles"
    write_article(folder, "a", "Le port de Tanger Med", "Des conteneurs.")
    build_index(tmp_path / "index", [str(folder)], procs=1)
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index")}).test_client()
    before = client.get("/api/search?q=Tanger").headers["ETag"]
    write_article(folder, "b", "Tanger accueille un sommet", "Des délégations.")
    build_index(tmp_path / "index", [str(folder)], procs=1)
    after = client.get("/api/search?q=Tanger", headers={"If-None-Match": before})
    assert after.status_code == 200 and after.get_json()["total"] == 2


def test_cors(tmp_path, sample_index):
    open_client = create_app({"TESTING": True, "INDEX_DIR": str(sample_index)}).test_client()
    assert open_client.get("/api/search?q=x").headers["Access-Control-Allow-Origin"] == "*"
    app = create_app({"TESTING": True, "INDEX_DIR": str(sample_index), "CORS_ORIGINS": ["https://presse.example"]})
    client = app.test_client()
    allowed = client.get("/api/search?q=x", headers={"Origin": "https://presse.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://presse.example"
    assert "Origin" in allowed.headers["Vary"]
    refused = client.get("/api/search?q=x", headers={"Origin": "https://ailleurs.example"})
    assert "Access-Control-Allow-Origin" not in refused.headers
    preflight = client.options("/api/search", headers={"Origin": "https://presse.example"})
    assert preflight.status_code == 200 and "GET" in preflight.headers["Access-Control-Allow-Methods"]


def page_state(html):
    """Hit ids, total and facet counts as the HTML page shows them."""
    ids = re.findall(r'<h2 class="hit-title"><a href="/article/([^"?]+)', html)
    total = int(re.search(r"<strong>([\d\u202f]+)</strong> article", html).group(1).replace("\u202f", ""))
    counts = [int(c.replace("\u202f", "")) for c in re.findall(r'<span class="count">([\d\u202f]+)</span>', html)]
    return ids, total, counts


@pytest.mark.parametrize(
    "query",
    [
        "q=tramway",
        "q=Maroc&tag=%C3%89conomie",
        "q=diplomatie&sort=newest",
        "category=Sport",
        "q=eau&from=2025&to=2025",
        "q=Maroc&page=2",
    ],
)
def test_page_and_api_agree(client, query):
    html = client.get(f"/?{query}").get_data(as_text=True)
    data = client.get(f"/api/search?{query}").get_json()
    ids, total, counts = page_state(html)
    assert ids == [hit["id"] for hit in data["hits"]]
    assert total == data["total"]
    api_counts = [v["count"] for name in ("tags", "category", "author", "period") for v in data["facets"][name]]
    assert counts == api_counts


def test_cli_json_is_the_api_document(client, sample_index):
    result = CliRunner().invoke(
        cli, ["search", "Maroc", "--tag", "Économie", "--per-page", "3", "--index", str(sample_index), "--json"]
    )
    from_cli = json.loads(result.stdout)
    from_api = client.get("/api/search?q=Maroc&tag=%C3%89conomie&per_page=3").get_json()
    del from_cli["took_ms"], from_api["took_ms"]
    assert from_cli == from_api
