"""Synonyms in the query builder: one word of the query whatever it adds, never in quotes or exclusions."""

from __future__ import annotations

from whoosh import query as q

from search.analysis import french_analyzer, is_exact
from search.query import SYNONYM_BOOST, QueryBuilder
from search.ranking import Tiered
from search.schema import TEXT_FIELDS
from search.understanding import Synonyms

SYNONYMS = Synonyms()
SYNONYMS.read(
    b"ONU, Nations unies\nMaroc, marocain\nMaroc => maroco-\nAfrique, africain\nAfrique du Sud, sud-africain\n"
    b"Mohammed VI, Mohamed VI\n".splitlines(),
    "test",
)
BUILDER = QueryBuilder(french_analyzer(), TEXT_FIELDS, SYNONYMS)


def nodes(query: q.Query):
    yield query
    for child in query.children():
        yield from nodes(child)


def stems(query: q.Query | None) -> set[str]:
    return {n.text for n in nodes(query) if isinstance(n, q.Term) and not is_exact(n.text)} if query else set()


def test_a_word_with_synonyms_stays_one_word_of_the_query():
    compiled = BUILDER.compile("ONU Soudan")
    assert compiled.tiers == 2  # the typed words, not the synonyms
    onu, soudan = [n.child for n in nodes(compiled.query) if isinstance(n, Tiered)]
    assert {"onu", "nation", "uni"} <= stems(onu) and stems(soudan) == {"soudan"}
    assert [(e.word, e.synonyms) for e in compiled.expansions] == [("ONU", ("Nations unies",))]


def test_a_synonym_of_several_words_is_a_phrase_weighing_less_than_the_word_typed():
    query = BUILDER.compile("ONU").query
    phrases = [n for n in nodes(query) if isinstance(n, q.Sequence)]
    assert phrases and all(p.boost == SYNONYM_BOOST for p in phrases)
    assert {p.subqueries[0].text for p in phrases} == {"nation"}
    typed = [n for n in nodes(query) if isinstance(n, q.Term) and n.text == "onu"]
    assert typed and all(t.boost == 1.0 for t in typed)


def test_synonym_matches_are_highlighted():
    highlights = BUILDER.compile("ONU").highlights
    assert (None, [["onu"]]) in highlights and (None, [["nation"], ["uni"]]) in highlights


def test_words_typed_together_take_the_synonyms_of_the_whole():
    compiled = BUILDER.compile("Nations unies")
    assert compiled.tiers == 2
    words = [n.child for n in nodes(compiled.query) if isinstance(n, Tiered)]
    assert all("onu" in stems(word) for word in words)  # an article saying ONU holds both words
    assert [e.word for e in compiled.expansions] == ["Nations unies"]


def test_the_longest_run_wins_over_its_words():
    compiled = BUILDER.compile("Afrique du Sud")
    assert [(e.word, e.synonyms) for e in compiled.expansions] == [("Afrique du Sud", ("sud-africain",))]
    assert "africain" not in stems(compiled.query) - stems(BUILDER.compile("sud-africain", synonyms=False).query)


def test_a_name_typed_in_one_piece_or_two_finds_its_spellings():
    for text in ("Mohammed VI", "mohammed vi discours"):
        assert "mohamed" in stems(BUILDER.compile(text).query), text


def test_country_reaches_the_first_half_of_compound_adjectives():
    assert {"maroc", "marocain", "maroco"} <= stems(BUILDER.compile("Maroc Russie").query)


def test_quoted_words_exclusions_and_names_take_no_synonyms():
    for text in ('"ONU"', "-ONU Soudan", "auteur:ONU", "tag:ONU", '"Nations unies"'):
        compiled = BUILDER.compile(text)
        assert compiled.expansions == [], text
        assert "onu" not in stems(compiled.query) or "nation" not in stems(compiled.query), text


def test_a_field_of_text_keeps_its_synonyms_in_that_field():
    compiled = BUILDER.compile("titre:ONU")
    assert {n.fieldname for n in nodes(compiled.query) if isinstance(n, q.Term)} == {"title"}
    assert "nation" in stems(compiled.query)


def test_synonyms_can_be_switched_off():
    compiled = BUILDER.compile("ONU Soudan", synonyms=False)
    assert compiled.expansions == [] and "nation" not in stems(compiled.query)
    assert compiled.query == QueryBuilder(french_analyzer(), TEXT_FIELDS).compile("ONU Soudan").query
