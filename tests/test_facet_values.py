"""Facet values round-trip: shown as an article wrote them, a click gives the count shown, the chip takes it off."""

from __future__ import annotations

import html as html_module
import json
import re
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.article import clean_text, split_authors
from search.indexer import build_index
from web import create_app

FACETS = {"tags": "tag", "category": "category", "author": "author"}

# Real tags of the archive are long, punctuated and sometimes decorated.
REAL_TAGS = (
    "Cercle d'Études, de Recherches et de Formation islamiques",
    "Côte d’Ivoire",
    'Le "Hirak"',
    "#MeToo",
    "Nord/Sud",
    "Santé ; Éducation",
    "Ramadan 🌙",
    "Maroc  –  Union européenne",
    "Cinéma" * 33,
)
# Characters that have bitten: separators, quotes, accents, a ligature, emoji.
TRICKY = list("aAeEéÉèiïIoôuüßœ ,;:'’\"#/\\-_.&%+?()🌙🇲🇦")
tag_text = st.one_of(
    st.sampled_from(REAL_TAGS),
    st.text(alphabet=st.sampled_from(TRICKY), min_size=1, max_size=12),
    st.text(min_size=1, max_size=200),
)
name_text = st.text(alphabet=st.sampled_from(list("aAbBéÉ ,'’-")), min_size=1, max_size=12)


def written(text: str) -> str:
    """A value as a reader keeps it: NFC, spacing tidied."""
    return " ".join(clean_text(text).split())


def write_jsonl(folder: Path, articles: list[dict]) -> Path:
    path = folder / "articles.jsonl"
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    return path


def make_client(tmp_path: Path, articles: list[dict]):
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    build_index(folder / "index", [str(write_jsonl(folder, articles))], procs=1)
    return create_app({"TESTING": True, "INDEX_DIR": str(folder / "index")})


def total(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, (url, response.data[:300])
    return response.get_json()["total"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    tags=st.lists(st.lists(tag_text, max_size=4), min_size=1, max_size=6),
    categories=st.lists(st.one_of(st.just(""), tag_text), min_size=1, max_size=6),
    authors=st.lists(st.lists(name_text, max_size=3), min_size=1, max_size=6),
)
def test_every_facet_value_gives_its_count_when_clicked(tmp_path, tags, categories, authors):
    articles = [
        {
            "id": f"a{n}",
            "title": f"Article {n}",
            "tags": article_tags,
            "category": categories[n % len(categories)],
            "author": " et ".join(authors[n % len(authors)]),
        }
        for n, article_tags in enumerate(tags)
    ]
    spellings = {
        "tags": {written(t) for a in articles for t in a["tags"]},
        "category": {written(a["category"]) for a in articles} - {""},  # no rubric is no value
        "author": {written(name) for a in articles for name in split_authors(written(a["author"]))},
    }
    app = make_client(tmp_path, articles)
    client = app.test_client()
    try:
        facets = client.get("/api/search?per_page=1").get_json()["facets"]
        for name, param in FACETS.items():
            for value in facets[name]:
                # Tags are tidied by the readers; a rubric or byline may keep odd spacing.
                assert written(value["value"]) in spellings[name], (name, value)
                if name == "tags":
                    assert value["value"] in spellings[name], value
                clicked = total(client, "/api/search?" + urlencode({param: value["value"]}))
                assert clicked == value["count"], (name, value)
    finally:
        app.extensions["kiosque.engine"].close()


TAG = "Cercle d'Études, de Recherches et de Formation islamiques"


def facet_link(html: str, label: str) -> tuple[str, int]:
    """The href and count of the facet value showing ``label``."""
    for href, shown, count in re.findall(
        r'<a href="([^"]+)" class="facet-value[^"]*"[^>]*>\s*<span class="facet-label">(?:<span[^>]*>[^<]*</span>)?'
        r'([^<]*)</span>\s*<span class="count">(\d+)</span>',
        html,
    ):
        if html_module.unescape(shown) == label:
            return html_module.unescape(href), int(count)
    raise AssertionError(f"no facet value {label!r}")


def summary_total(html: str) -> int:
    return int(re.search(r"<strong>([\d\u202f]+)</strong> article", html).group(1).replace("\u202f", ""))


def test_a_tag_with_a_comma_round_trips_on_the_page(tmp_path):
    articles = [
        {"id": "a", "title": "Islam et société au Burkina", "tags": [TAG, "Islam"], "body": "L'islam au Sahel."},
        {"id": "b", "title": "Un colloque à Ouagadougou", "tags": [TAG], "body": "Un colloque sur l'islam."},
        {"id": "c", "title": "Les confréries", "tags": ["Islam"], "body": "Les confréries et l'islam."},
    ]
    app = make_client(tmp_path, articles)
    client = app.test_client()
    try:
        home = client.get("/?q=islam").get_data(as_text=True)
        href, count = facet_link(home, TAG)
        assert count == 2
        narrowed = client.get(href).get_data(as_text=True)
        assert summary_total(narrowed) == 2
        chip = re.search(r'<a href="([^"]+)" class="chip">', narrowed).group(1)
        assert "#" + TAG in html_module.unescape(narrowed)
        assert summary_total(client.get(html_module.unescape(chip)).get_data(as_text=True)) == 3
    finally:
        app.extensions["kiosque.engine"].close()
