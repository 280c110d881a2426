"""The web pages through Flask's test client: routes, state in the URL, safety, feeds."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.indexer import build_index
from web import create_app
from web.formatting import french_date

from .conftest import write_article

ATOM = "{http://www.w3.org/2005/Atom}"


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.data[:500]
    return response.get_data(as_text=True)


def links(html, css_class):
    return [m for m in re.findall(rf'<a[^>]*class="[^"]*\b{css_class}\b[^"]*"[^>]*href="([^"]+)"', html)] + [
        m for m in re.findall(rf'<a[^>]*href="([^"]+)"[^>]*class="[^"]*\b{css_class}\b', html)
    ]


def params(url):
    return parse_qs(urlsplit(url.replace("&amp;", "&")).query)


def test_home_shows_latest_articles_and_most_used_tags(client):
    html = page(client, "/")
    assert "Les derniers articles" in html
    assert html.count('class="hit"') == 10
    dates = re.findall(r'<time datetime="([^"]+)"', html)
    assert dates == sorted(dates, reverse=True)
    assert "Mots-clés" in html and 'class="facet-value' in html


def test_search_keeps_the_query_and_shows_count_time_and_highlights(client):
    html = page(client, "/?q=tramway")
    assert 'value="tramway"' in html
    assert re.search(r"<strong>\d+</strong> articles\s*· <span class=\"took\">\d+ ms</span>", html)
    assert "<mark>tramway</mark>" in html or "<mark>Tramway</mark>" in html
    assert 'class="rubric"' in html and "<time datetime=" in html


def test_facet_links_add_and_remove_filters(client):
    html = page(client, "/?q=tramway")
    facet_links = [params(u) for u in links(html, "facet-value")]
    tag_link = next(p for p in facet_links if "tag" in p)
    assert tag_link["q"] == ["tramway"] and len(tag_link["tag"]) == 1
    narrowed = page(client, "/?" + "&".join(f"{k}={v[0]}" for k, v in tag_link.items()))
    assert 'class="chip"' in narrowed and "Tout effacer" in narrowed
    selected = re.search(
        r'class="facet-value is-selected"[^>]*href="([^"]+)"|href="([^"]+)" class="facet-value is-selected"', narrowed
    )
    assert selected
    assert "tag" not in params(next(g for g in selected.groups() if g))


def test_sort_and_pagination_links_keep_the_state(client):
    html = page(client, "/?q=Maroc&tag=Économie&per_page=3")
    for url in links(html, "sort") + links(html, "page"):
        state = params(url)
        assert state["q"] == ["Maroc"] and state["tag"] == ["Économie"] and state["per_page"] == ["3"]
    assert 'rel="next"' in html and 'aria-current="page"' in html
    second = page(client, "/?q=Maroc&tag=Économie&per_page=3&page=2")
    assert 'rel="prev"' in second and '<ol class="hits" start="4">' in second


def test_period_chart_bars_link_to_periods(client):
    html = page(client, "/?q=Maroc")
    assert "<svg" in html and 'class="bar' in html
    bar = params(re.search(r'<a href="([^"]+)" class="bar', html).group(1))
    assert bar["q"] == ["Maroc"] and bar["from"][0] <= bar["to"][0]


def test_did_you_mean_is_a_link(client):
    html = page(client, "/?q=Bourrita+tramway")
    match = re.search(r'Vouliez-vous dire : <a href="([^"]+)">Bourita tramway</a>', html)
    assert match and params(match.group(1))["q"] == ["Bourita tramway"]


def test_a_misspelt_query_shows_the_corrected_results_and_offers_the_exact_one(client):
    html = page(client, "/?q=lavrof")
    assert "Aucun article pour « lavrof » : voici les résultats pour" in html
    assert 'class="hit"' in html and "<mark>Lavrov</mark>" in html
    exact = re.search(r'<a href="([^"]+)" class="exact">', html).group(1)
    assert params(exact)["correct"] == ["0"]
    assert "Aucun article trouvé" in page(client, exact.replace("&amp;", "&"))
    article_link = re.search(r'<h2 class="hit-title"><a href="([^"]+)"', html).group(1)
    assert params(article_link)["q"] == ["Lavrov"]


def test_the_page_says_how_many_articles_hold_every_word_and_lists_them_first(client):
    data = client.get("/api/search?q=tramway+Casablanca&per_page=100").get_json()
    assert data["all_words"] and data["some_words"]
    html = page(client, "/?q=tramway+Casablanca&per_page=100")
    summary = " ".join(re.search(r'<p class="summary">(.*?)</p>', html, re.S).group(1).split())
    assert (
        f"<strong>{data['all_words']}</strong> articles avec tous les mots · {data['some_words']} avec une partie"
        in summary
    )
    before, divider, after = html.partition('<h2 class="hits-divider">Avec une partie des mots seulement</h2>')
    assert divider
    assert before.count('class="hit"') == data["all_words"] and after.count('class="hit"') == data["some_words"]
    assert re.search(r'<ol class="hits" start="(\d+)">', after).group(1) == str(data["all_words"] + 1)


def test_no_article_with_every_word_says_so_above_those_with_some(client):
    html = page(client, "/?q=tramway+cosmonaute")
    assert "Aucun article ne contient tous ces mots : voici ceux qui en contiennent une partie." in html
    assert 'class="hits-divider"' not in html and 'class="hit"' in html


def test_zero_results_page_offers_to_remove_filters(client):
    html = page(client, "/?q=tramway&tag=Gnaoua&category=Sport")
    assert "Aucun article trouvé" in html and "« <strong>tramway</strong> »" in html
    removals = re.findall(r'<ul class="remove-filters">(.*?)</ul>', html, re.S)[0]
    assert "sans le mot-clé #Gnaoua" in removals and "dans toutes les rubriques" in removals


@pytest.mark.parametrize(
    ("url", "param"),
    [("/?page=0", "page"), ("/?per_page=1000", "résultats par page"), ("/?sort=foo", "tri"), ("/?from=hier", "du")],
)
def test_bad_parameters_get_a_clear_400_page(client, url, param):
    html = page(client, url, 400)
    assert f"Le paramètre « {param} »" in html and "Traceback" not in html


def test_an_over_long_query_is_said_in_french(client):
    html = page(client, "/?q=" + "maroc+" * 1000, 400)
    assert "Recherche trop longue" in html and "jusqu’à 1\u202f000 caractères" in html
    assert "Traceback" not in html
    assert 'maxlength="1000"' in page(client, "/")  # the box says the same


def test_article_page(client):
    html = page(client, "/article/2025-10-06-bourita-lavrov-entretien?q=lavrov")
    assert "<mark>Lavrov</mark>" in html
    assert "Par <a" in html and "Rachid Alaoui" in html
    assert '<section class="read-also"' in html and "Articles liés" in html
    read_also = re.search(r'<section class="read-also".*?</section>', html, re.S).group(0)
    assert '<a href="/article/2025-03-24-caire-reconstruction-gaza">' in read_also
    assert "Retour aux résultats pour « lavrov »" in html


def test_unlinked_lire_aussi_is_plain_text(client):
    html = page(client, "/article/2025-03-24-caire-reconstruction-gaza")
    items = re.findall(
        r"<li>(.*?)</li>", re.search(r'<section class="read-also".*?</section>', html, re.S).group(0), re.S
    )
    assert any("<a " not in item for item in items)


@pytest.mark.parametrize(
    "article_id", ["nulle-part", "../../../etc/passwd", "..%2F..%2Fpyproject.toml", "%00", "a" * 500]
)
def test_unknown_or_hostile_article_ids_get_a_friendly_404(client, article_id):
    html = page(client, f"/article/{article_id}", 404)
    assert "Page introuvable" in html and "root:" not in html and "[project]" not in html


def test_pages_are_escaped(tmp_path):
    folder = tmp_path / "articles"
    write_article(
        folder,
        "xss",
        "<script>alert(1)</script> au Parlement",
        "Un texte <b>gras</b> sur le Parlement.",
        tags=("<img src=x onerror=alert(1)>",),
    )
    build_index(tmp_path / "index", [str(folder)], procs=1)
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index")}).test_client()
    for url in ("/?q=Parlement", "/article/xss", "/?q=<script>alert(2)</script>", '/?q="><svg onload=alert(3)>'):
        html = page(client, url)
        assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html
        assert "<b>gras" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page(client, "/article/xss")


def test_security_headers_and_no_inline_code(client):
    for url in ("/", "/?q=tramway", "/article/2025-10-06-bourita-lavrov-entretien", "/article/absent"):
        response = client.get(url)
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        html = response.get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline script"
        assert " style=" not in html and "<style" not in html, "inline style"
        assert not re.search(r"\son[a-z]+=", html), "inline event handler"


def test_pages_are_light_and_self_contained(client):
    for url in ("/", "/?q=Maroc&per_page=100", "/article/2025-10-06-bourita-lavrov-entretien"):
        html = page(client, url)
        assert len(html.encode()) < 100_000
        external = re.findall(r'(?:src|href)="(https?:)?//(?!127\.0\.0\.1|localhost)[^"]*\.(?:css|js|woff2?)', html)
        assert external == []


def test_static_files_are_fingerprinted_and_cached(client):
    html = page(client, "/")
    css = re.search(r'href="(/static/style\.css\?v=[0-9a-f]{10})"', html).group(1)
    response = client.get(css)
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]
    response.close()


def test_atom_feed_is_valid_and_newest_first(client):
    response = client.get("/feed.atom?q=Maroc&tag=Économie")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        assert all(entry.find(f"{ATOM}{name}") is not None for name in ("id", "title", "updated", "link"))
        assert entry.find(f"{ATOM}author/{ATOM}name") is not None
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", updated[0])
    assert 'type="application/atom+xml"' in page(client, "/?q=Maroc")


def test_opensearch_description(client):
    response = client.get("/opensearch.xml")
    document = ET.fromstring(response.data)
    urls = document.findall("{http://a9.com/-/spec/opensearch/1.1/}Url")
    assert {u.get("type") for u in urls} >= {"text/html", "application/x-suggestions+json"}
    assert all("{searchTerms}" in u.get("template") for u in urls)
    assert 'rel="search" type="application/opensearchdescription+xml"' in page(client, "/")


def test_autocomplete_endpoint(client):
    assert "Nasser Bourita" in client.get("/api/suggest?q=Bour").get_json()["completions"]
    assert client.get("/api/suggest?q=Bour&format=opensearch").get_json()[0] == "Bour"


def test_missing_index_is_a_503_page(tmp_path):
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")}).test_client()
    html = page(client, "/?q=maroc", 503)
    assert "pas encore construit" in html


def test_app_is_not_in_debug_mode_by_default():
    assert create_app().debug is False


@pytest.mark.parametrize(
    ("when", "text"),
    [
        ((2026, 3, 6, 18, 6), "6 mars 2026, 18 h 06"),
        ((2026, 3, 1, 0, 0), "1er mars 2026"),
        ((2025, 8, 15, 9, 5), "15 août 2025, 9 h 05"),
    ],
)
def test_dates_are_written_in_french(when, text):
    from datetime import datetime

    assert french_date(datetime(*when)) == text


def test_library_never_imports_flask():
    code = "import sys, search, search.cli, search.engine, search.indexer; print('flask' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


PARAMS = st.sampled_from(["q", "tag", "category", "author", "from", "to", "sort", "page", "per_page", "recency", "x"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.lists(st.tuples(PARAMS, st.text(max_size=40)), max_size=6), path=st.text(max_size=30))
def test_no_request_gives_a_server_error(client, query, path):
    for url in ("/", "/feed.atom", "/api/suggest"):
        response = client.get(url, query_string=query)
        assert response.status_code in (200, 400), (url, query)
        assert b"Traceback" not in response.data
    response = client.get("/article/" + path.replace("?", "").replace("#", ""))
    assert response.status_code in (200, 404, 308)


def test_settings_from_a_file_and_the_environment(tmp_path, monkeypatch):
    settings = tmp_path / "kiosque.py"
    settings.write_text("RECENCY_WEIGHT = 0.1\nCORS_ORIGINS = ['https://presse.example']\n", encoding="utf-8")
    monkeypatch.setenv("KIOSQUE_CONFIG", str(settings))
    monkeypatch.setenv("KIOSQUE_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("KIOSQUE_RECENCY_WEIGHT", "0.05")
    app = create_app()
    try:
        assert app.config["CORS_ORIGINS"] == ["https://presse.example"]  # from the file
        assert app.config["RECENCY_WEIGHT"] == 0.05  # the environment wins over the file
        assert app.config["INDEX_DIR"] == str(tmp_path / "index")
        assert app.extensions["kiosque.engine"].config.recency_weight == 0.05
    finally:
        app.extensions["kiosque.engine"].close()


def test_newest_and_oldest_order_one_day_by_time_and_undated_last(tmp_path):
    # Written out of order, so that the order of the file cannot pass for the order of time.
    published = {
        "matin": "2017-10-13T06:43:00",
        "midi": "2017-10-13T12:10:00",
        "aube": "2017-10-13T05:02:00",
        "veille": "2017-10-12T23:59:00",
        "inconnu": None,
        "soir": "2017-10-13T20:15:00",
    }
    lines = [
        json.dumps({"id": key, "title": f"La France, {key}", "published": when, "body": "En France."})
        for key, when in published.items()
    ]
    (tmp_path / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    build_index(tmp_path / "index", [str(tmp_path / "articles.jsonl")], procs=1)
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index")}).test_client()
    newest = ["soir", "midi", "matin", "aube", "veille", "inconnu"]
    oldest = ["veille", "aube", "matin", "midi", "soir", "inconnu"]
    for sort, expected in (("newest", newest), ("oldest", oldest)):
        html = page(client, f"/?q=France&sort={sort}")
        assert re.findall(r'<h2 class="hit-title"><a href="/article/([^"?]+)', html) == expected
        hits = client.get(f"/api/search?q=France&sort={sort}").get_json()["hits"]
        assert [hit["id"] for hit in hits] == expected
    feed = ET.fromstring(client.get("/feed.atom?q=France").data)
    links = [entry.find(f"{ATOM}link").get("href") for entry in feed.findall(f"{ATOM}entry")]
    assert [link.rsplit("/", 1)[1] for link in links] == newest


def test_the_page_says_what_synonyms_added_and_links_the_word_alone(client):
    html = page(client, "/?q=ONU")
    assert re.search(r'<p class="expansion">Inclut aussi : Nations unies, Organisation des Nations unies\.', html)
    (alone,) = re.findall(r'<a href="([^"]+)">Rechercher uniquement « ONU »</a>', html)
    assert params(alone)["q"] == ['"ONU"']
    literal = page(client, alone.replace("&amp;", "&"))
    assert "Inclut aussi" not in literal
    count = int(re.search(r"<strong>(\d+)</strong>", html).group(1))
    assert int(re.search(r"<strong>(\d+)</strong>", literal).group(1)) < count  # « Nations unies » alone is gone


def test_a_date_in_words_is_a_period_chip_with_links_to_remove_it_or_search_the_words(client):
    html = page(client, "/?q=tramway+juin+2026")
    assert "Période : juin 2026" in html
    (remove,) = links(html, "chip-period")
    assert params(remove) == {"q": ["tramway"]}
    (literal,) = links(html, "chip-literal")
    assert params(literal) == {"q": ['tramway "juin 2026"']}
    assert "Rechercher « juin 2026 » comme mots" in html
    (clear,) = links(html, "chip-clear")
    assert params(clear) == {"q": ["tramway"]}
    # The results are those of June 2026, and the selected bar of the chart removes the period too.
    dates = re.findall(r'<time datetime="(\d{4}-\d\d)', html)
    assert dates and set(dates) == {"2026-06"}
    assert "Période : juin 2026" not in page(client, remove.replace("&amp;", "&"))


def test_an_explicit_period_wins_and_the_page_says_so(client):
    html = page(client, "/?q=tramway+juin+2026&from=2025")
    assert "Période : juin 2026" not in html
    assert "La période choisie s’applique au lieu de « juin 2026 »" in html
    assert {d[:4] for d in re.findall(r'<time datetime="(\d{4})', html)} >= {"2025"}


def test_understand_0_reads_the_words_literally_and_stays_in_the_links(client):
    html = page(client, "/?q=ONU+juin+2026&understand=0")
    assert "Inclut aussi" not in html and "Période :" not in html
    hit_links = re.findall(r'<h2 class="hit-title"><a href="([^"]+)"', html)
    assert hit_links and all(params(link)["understand"] == ["0"] for link in hit_links)
    assert all(params(link).get("understand") == ["0"] for link in links(html, "sort"))


def test_the_article_page_marks_what_the_synonyms_found(client):
    html = page(client, "/article/2025-08-26-dakar-sommet-sahel?q=ONU")
    assert "<mark>Nations unies</mark>" in html
    assert "<mark>Nations unies</mark>" not in page(client, "/article/2025-08-26-dakar-sommet-sahel?q=ONU&understand=0")


def test_settings_for_synonyms_and_time_zone(tmp_path, monkeypatch, sample_index, caplog):
    synonyms = tmp_path / "synonymes.txt"
    synonyms.write_text("ONU, machin\nbidule =>\n", encoding="utf-8")
    settings = tmp_path / "kiosque.py"
    settings.write_text(f"SYNONYMS_FILE = {str(synonyms)!r}\nTIMEZONE = 'Europe/Paris'\n", encoding="utf-8")
    monkeypatch.setenv("KIOSQUE_CONFIG", str(settings))
    monkeypatch.setenv("KIOSQUE_INDEX", str(sample_index))
    monkeypatch.setenv("KIOSQUE_TIMEZONE", "America/Montreal")
    with caplog.at_level("WARNING"):
        app = create_app()
    try:
        engine = app.extensions["kiosque.engine"]
        assert engine.understanding.zone.key == "America/Montreal"  # the environment wins over the file
        assert "machin" in engine.understanding.synonyms.lookup(("onu",))
        assert f"synonyms: {synonyms}:2: nothing after '=>' (left out)" in caplog.text
        expansion = app.test_client().get("/api/search?q=ONU").get_json()["understood"]["expansions"][0]
        assert "machin" in expansion["synonyms"] and "Nations unies" in expansion["synonyms"]
    finally:
        app.extensions["kiosque.engine"].close()


def test_an_unknown_time_zone_setting_is_named(sample_index):
    with pytest.raises(ValueError, match="TIMEZONE: unknown time zone 'Casablanca'"):
        create_app({"TESTING": True, "INDEX_DIR": str(sample_index), "TIMEZONE": "Casablanca"})
