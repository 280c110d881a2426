"""The engine as a reader sees it: ranking, recency, facets, snippets, suggestions, related."""

from __future__ import annotations

import re
from datetime import date

import pytest

from search.engine import Engine
from search.indexer import build_index
from search.ranking import RankingConfig
from search.request import Period, SearchRequest

from .conftest import write_article


@pytest.fixture(scope="module")
def engine(sample_index):
    with Engine(sample_index) as engine:
        yield engine


def search(engine, q="", **params):
    return engine.search(SearchRequest(q=q, **params))


def ids(response):
    return [hit.id for hit in response.hits]


# --- the query language on the demo articles ---------------------------------------


def test_plain_words_put_the_articles_with_all_of_them_first(engine):
    response = search(engine, "tramway Casablanca", per_page=100)
    first = ids(response)[: response.all_words]
    assert first and set(first) <= set(ids(search(engine, "tramway", per_page=100)))
    assert all(hit.all_words == (hit.id in first) for hit in response.hits)
    assert response.some_words == response.total - response.all_words > 0


def test_no_article_with_all_the_words_shows_those_with_some_and_says_so(engine):
    response = search(engine, "tramway cosmonaute")
    assert (response.all_words, response.some_words) == (0, search(engine, "tramway").total)
    assert response.suggestion is None  # "cosmonaute" is French: nothing to correct


def test_exclusion_and_or(engine):
    tramway = set(ids(search(engine, "tramway", per_page=100)))
    without = set(ids(search(engine, "tramway -Lissasfa", per_page=100)))
    assert without and without < tramway
    assert set(ids(search(engine, "tramway SAUF Lissasfa", per_page=100))) == without
    either = set(ids(search(engine, "tramway OU Gnaoua", per_page=100)))
    assert either == tramway | set(ids(search(engine, "Gnaoua", per_page=100)))


@pytest.mark.parametrize(("query", "field"), [("titre:tramway", "title"), ("auteur:Bennani", "author")])
def test_field_restricts_where_words_match(engine, query, field):
    response = search(engine, query, per_page=100)
    word = query.split(":")[1].lower()
    assert response.hits and all(word in getattr(hit, field).lower() for hit in response.hits)


def test_rubric_and_date_fields(engine):
    response = search(engine, "rubrique:societe date:2026", per_page=100)
    assert response.hits
    assert {hit.category for hit in response.hits} == {"Société"}
    assert all(hit.published.year == 2026 for hit in response.hits)
    ranged = search(engine, "date:2025-01..2025-03", per_page=100)
    assert ranged.hits and all(date(2025, 1, 1) <= h.published.date() <= date(2025, 3, 31) for h in ranged.hits)


def test_prefix(engine):
    assert set(ids(search(engine, "diplom*", per_page=100))) >= set(ids(search(engine, "diplomatie", per_page=100)))


@pytest.mark.parametrize(
    "hostile", ['"non fermé', "OR", "title:", "*", "(((", "x" * 5000, "\x00\x1b[31m", "🙂🙃", "AND OR NOT"]
)
def test_hostile_queries_degrade_without_error(engine, hostile):
    response = search(engine, hostile)
    assert response.total >= 0 and response.took_ms >= 0


# --- ranking --------------------------------------------------------------------


def test_title_match_outranks_body_mention(engine):
    top = search(engine, "dessalement", per_page=3).hits[0]
    assert "dessalement" in top.title.lower()


@pytest.fixture
def dated_index(tmp_path):
    folder = tmp_path / "articles"
    same = "Le port de Tanger Med a battu un nouveau record de conteneurs cette année."
    write_article(folder, "ancien", "Tanger Med en chiffres", same, day="2024-02-10")
    write_article(folder, "recent", "Tanger Med en chiffres", same, day="2026-02-10")
    write_article(
        folder,
        "fort",
        "Dessalement : la grande usine de Casablanca",
        "Le dessalement de l’eau de mer avance. Le dessalement coûte cher, mais le dessalement sauve les récoltes.",
        day="2023-05-01",
    )
    write_article(
        folder,
        "faible",
        "La saison touristique s’ouvre à Agadir",
        "Les hôtels affichent complet ; on parle aussi de dessalement.",
        day="2026-05-01",
    )
    build_index(tmp_path / "index", [str(folder)], procs=1)
    return tmp_path / "index"


def test_recency_puts_the_newer_of_two_equal_articles_first(dated_index):
    with Engine(dated_index) as engine:
        assert ids(search(engine, "Tanger Med"))[:2] == ["recent", "ancien"]


def test_recency_never_lets_a_weak_recent_match_beat_a_strong_old_one(dated_index):
    with Engine(dated_index) as engine:
        assert ids(search(engine, "dessalement")) == ["fort", "faible"]


def test_recency_can_be_switched_off(dated_index):
    with Engine(dated_index) as engine:
        on = search(engine, "Tanger Med").hits
        off = search(engine, "Tanger Med", recency=False).hits
        assert on[0].score > on[1].score
        assert off[0].score == pytest.approx(off[1].score)
    with Engine(dated_index, RankingConfig(recency_weight=0)) as engine:
        assert search(engine, "Tanger Med").hits[0].score == pytest.approx(off[0].score)


@pytest.mark.parametrize(("sort", "step"), [("newest", -1), ("oldest", 1)])
def test_date_sorts(engine, sort, step):
    days = [hit.published for hit in search(engine, "Maroc", sort=sort, per_page=100).hits]
    assert len(days) > 3 and days == sorted(days, reverse=step < 0)


def test_empty_query_lists_the_latest_articles(engine):
    response = search(engine, per_page=5)
    assert response.total >= 40
    days = [hit.published for hit in response.hits]
    assert days == sorted(days, reverse=True)


# --- pagination -------------------------------------------------------------------


def test_pages_partition_the_results(engine):
    everything = ids(search(engine, "Maroc", per_page=100))
    pages = [ids(search(engine, "Maroc", per_page=4, page=n)) for n in range(1, 20)]
    assert [i for page in pages for i in page] == everything
    response = search(engine, "Maroc", per_page=4)
    assert response.pages == -(-response.total // 4)


def test_a_page_past_the_end_is_empty_not_an_error(engine):
    response = search(engine, "tramway", page=50)
    assert response.hits == [] and response.total > 0


# --- facets -------------------------------------------------------------------------


def facet(response, name):
    return {value.value: value for value in response.facets[name]}


def test_facet_counts_cover_the_whole_result_set(engine):
    response = search(engine, "Maroc", per_page=1)
    every = search(engine, "Maroc", per_page=100).hits
    for name, attribute in (("category", "category"), ("author", "author")):
        for value in response.facets[name]:
            assert value.count == sum(value.value in getattr(hit, attribute) for hit in every)
    assert sum(v.count for v in response.facets["period"]) == response.total


def test_tag_count_is_what_clicking_it_gives(engine):
    response = search(engine, "Maroc")
    for value in response.facets["tags"][:5]:
        narrowed = search(engine, "Maroc", tags=(value.value,))
        assert narrowed.total == value.count
        assert facet(narrowed, "tags")[value.value].selected


def test_single_choice_counts_are_what_switching_gives(engine):
    response = search(engine, "", category="Économie")
    assert facet(response, "category")["Économie"].selected
    for value in response.facets["category"]:
        assert search(engine, "", category=value.value).total == value.count


def test_several_tags_must_all_be_carried(engine):
    one = search(engine, "", tags=("Diplomatie",), per_page=100)
    two = search(engine, "", tags=("Diplomatie", "Nasser Bourita"), per_page=100)
    assert 0 < two.total < one.total
    assert all({"Diplomatie", "Nasser Bourita"} <= set(hit.tags) for hit in two.hits)


def test_period_facet_shows_years_then_months_of_the_selected_year(engine):
    years = facet(search(engine, ""), "period")
    assert {"2025", "2026"} <= set(years)
    year = Period(date(2025, 1, 1), date(2025, 12, 31))
    months = search(engine, "", period=year)
    assert facet(months, "period") and all(v.startswith("2025-") for v in facet(months, "period"))
    assert sum(v.count for v in months.facets["period"]) == years["2025"].count
    assert months.facets["period"][0].label.endswith("2025")


def test_tags_match_whatever_their_case_and_accents(tmp_path):
    folder = tmp_path / "articles"
    write_article(folder, "a", "Entretien à Moscou", tags=("sergueï lavrov",))
    write_article(folder, "b", "Visite à Rabat", tags=("Sergueï Lavrov", "Diplomatie"))
    write_article(folder, "c", "Conférence à Genève", tags=("Serguei Lavrov",))
    build_index(tmp_path / "index", [str(folder)], procs=1)
    with Engine(tmp_path / "index") as engine:
        tags = facet(search(engine, ""), "tags")
        assert tags["Sergueï Lavrov"].count == 3 and "sergueï lavrov" not in tags
        assert search(engine, "", tags=("SERGUEI LAVROV",)).total == 3


# --- snippets -------------------------------------------------------------------------


def plain(html_text):
    return re.sub(r"</?mark>", "", html_text)


def test_snippet_highlights_surface_forms(engine):
    hit = search(engine, "serguei").hits[0]
    assert "<mark>Sergueï</mark>" in hit.snippet or "<mark>Sergueï</mark>" in hit.title_html
    hit = search(engine, "diplomatie", per_page=100).hits
    assert any("<mark>diplomatique" in h.snippet or "<mark>diplomatiques" in h.snippet for h in hit)


def test_snippet_is_short_whole_words_and_safe(engine):
    for hit in search(engine, "Maroc", per_page=30).hits:
        text = plain(hit.snippet)
        assert 0 < len(text) <= 320
        assert "\u00ad" not in text
        assert not re.search(r"<(?!/?mark>)", hit.snippet)
        assert not re.search(r"&(?![a-z]+;|#\d+;|#x[0-9a-f]+;)", hit.snippet)


def test_snippet_fragments_are_cut_at_word_boundaries(engine, sample_index):
    with Engine(sample_index) as e:
        for hit in search(e, "Casablanca", per_page=20).hits:
            article = e.article(hit.id).article
            body = f"{article.body}\n\n{article.lede}"  # the lede stands in when the body has no match
            for fragment in (
                plain(hit.snippet).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").split("…")
            ):
                fragment = fragment.strip()
                if not fragment:
                    continue
                at = body.find(fragment)
                assert at >= 0, fragment
                assert at == 0 or not body[at - 1].isalnum()
                end = at + len(fragment)
                assert end == len(body) or not body[end].isalnum()


def test_phrase_highlights_as_one_span(engine):
    hits = search(engine, '"Moyen-Orient"', per_page=20).hits
    marked = [m for hit in hits for m in re.findall(r"<mark>(.*?)</mark>", hit.snippet + hit.title_html)]
    assert marked and all(m.replace("-", " ").lower() == "moyen orient" for m in marked)


def test_lede_stands_in_when_only_the_title_matches(tmp_path):
    folder = tmp_path / "articles"
    write_article(
        folder,
        "a",
        "Le zellige de Fès à l’honneur",
        "Des artisans exposent leurs pièces.",
        lede="Une exposition célèbre les maîtres artisans.",
    )
    build_index(tmp_path / "index", [str(folder)], procs=1)
    with Engine(tmp_path / "index") as engine:
        hit = search(engine, "zellige").hits[0]
        assert hit.snippet == "Une exposition célèbre les maîtres artisans."
        assert hit.title_html == "Le <mark>zellige</mark> de Fès à l’honneur"


def test_article_text_is_escaped(tmp_path):
    folder = tmp_path / "articles"
    write_article(
        folder, "xss", "<script>alert(1)</script> au Parlement", "Le texte <b>gras</b> & le reste : Parlement."
    )
    build_index(tmp_path / "index", [str(folder)], procs=1)
    with Engine(tmp_path / "index") as engine:
        hit = search(engine, "Parlement").hits[0]
        assert hit.title_html.startswith("&lt;script&gt;alert(1)&lt;/script&gt; au <mark>Parlement</mark>")
        assert "<b>" not in hit.snippet and "&lt;b&gt;gras&lt;/b&gt; &amp; le reste" in hit.snippet


# --- suggestions, autocomplete, related -------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [("lavrof", "Lavrov"), ("diplomatie marocainne", "diplomatie marocaine"), ("Bourrita", "Bourita")],
)
def test_did_you_mean(engine, typed, suggested):
    response = search(engine, typed)
    assert response.suggestion == suggested
    assert search(engine, response.suggestion).total > 0


def test_nothing_found_shows_what_the_correction_finds(engine):
    response = search(engine, "lavrof")
    assert response.corrected and response.suggestion == "Lavrov"
    assert ids(response) == ids(search(engine, "Lavrov"))
    assert any("<mark>Lavrov</mark>" in hit.snippet + hit.title_html for hit in response.hits)
    exact = search(engine, "lavrof", correct=False)
    assert (exact.total, exact.corrected, exact.suggestion) == (0, False, "Lavrov")


def test_a_correction_comes_before_showing_some_of_the_words(engine):
    response = search(engine, "diplomatie marocainne")
    assert response.corrected and response.all_words > 0
    fixed = search(engine, "diplomatie marocaine")
    assert (response.total, response.all_words) == (fixed.total, fixed.all_words)


@pytest.mark.parametrize(
    "typed", ["Le tramway de Casablanca, enfin ?", "« Bourita » : Lavrov", "tramway l'Unesco", "Qu'a dit Bourita ?"]
)
def test_punctuation_and_elisions_are_never_corrected(engine, typed):
    assert search(engine, typed).suggestion is None


def test_a_suggestion_is_offered_only_when_it_finds_more(engine):
    # "Casablanka" → "Casablanca" finds more; a word with nothing better is left alone.
    assert search(engine, "tramway Casablanka").suggestion == "tramway Casablanca"
    assert search(engine, "tramway Zorglub").suggestion is None


def test_no_suggestion_for_a_query_that_finds_plenty(engine):
    assert search(engine, "securite").suggestion is None


def test_autocomplete_is_accent_insensitive_and_uses_tags_and_names(engine):
    assert "Nasser Bourita" in engine.complete("Bour")
    assert any(c.startswith("Économie") or c.startswith("économ") for c in engine.complete("econ"))
    assert engine.complete("nasser bo")[0] == "Nasser Bourita"
    assert len(engine.complete("a", limit=3)) <= 3


def test_related_articles_resolve_lire_aussi_first(engine):
    view = engine.article("2025-10-06-bourita-lavrov-entretien")
    linked = search(engine, f'titre:"{view.article.related[0]}"').hits[0]
    assert view.related[0].id == linked.id
    assert "2025-10-06-bourita-lavrov-entretien" not in [hit.id for hit in view.related]
    assert 1 < len(view.related) <= 5


def test_unknown_article_is_none(engine):
    assert engine.article("nulle/part") is None
