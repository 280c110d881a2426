"""The French analyzer: each filter alone, then the pipeline, then the word-pair table."""

from __future__ import annotations

import pickle
import unicodedata
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh.analysis import RegexTokenizer

from search.analysis import (
    WORD_PATTERN,
    AccentInsensitiveStemFilter,
    ElisionFilter,
    ExactFormFilter,
    UnicodeCleanupFilter,
    french_analyzer,
    french_filter_chain,
    index_terms,
    is_exact,
    word_tokens,
)

ANALYZER = french_analyzer()


def terms(text: str) -> list[str]:
    """The stems of ``text`` (its exact forms are tested apart)."""
    return [t.text for t in ANALYZER(text) if not is_exact(t.text)]


def exact_forms(text: str) -> list[str]:
    return [t.text for t in ANALYZER(text) if is_exact(t.text)]


def positioned(text: str) -> list[tuple[int, str]]:
    return [(t.pos, t.text) for t in ANALYZER(text, positions=True) if not is_exact(t.text)]


def run_filter(flt, text: str) -> list[str]:
    return [t.text for t in flt(RegexTokenizer(WORD_PATTERN)(text.lower()))]


# --- each filter alone -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("inca\u00adpacité", ["incapacité"]),
        (unicodedata.normalize("NFD", "été"), ["été"]),
        ("l’unesco", ["l'unesco"]),
        ("lʼunesco", ["l'unesco"]),
    ],
)
def test_unicode_cleanup_filter_composes_and_drops_invisible(text, expected):
    assert run_filter(UnicodeCleanupFilter(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("l'unesco", ["unesco"]),
        ("d'égypte", ["égypte"]),
        ("qu'il", ["il"]),
        ("jusqu'à", ["à"]),
        ("lorsqu'elle", ["elle"]),
        ("puisqu'on", ["on"]),
        ("quoiqu'il", ["il"]),
        ("aujourd'hui", ["aujourd'hui"]),
        ("prud'hommes", ["prud'hommes"]),
        ("qu'aujourd'hui", ["aujourd'hui"]),
        ("s'est", ["est"]),
    ],
)
def test_elision_filter_strips_elided_words_only(text, expected):
    assert run_filter(ElisionFilter(), text) == expected


def test_stem_filter_emits_both_spellings_at_one_position():
    tokens = [(t.pos, t.text) for t in AccentInsensitiveStemFilter()(RegexTokenizer()("sécurité", positions=True))]
    assert tokens == [(0, "secur"), (0, "securit")]


def test_stem_filter_emits_one_term_for_unaccented_words():
    assert run_filter(AccentInsensitiveStemFilter(), "ministres") == ["ministr"]


def test_exact_form_filter_keeps_the_word_and_adds_its_folded_form():
    assert run_filter(ExactFormFilter(), "Armées") == ["armées", "=armees"]


def test_stem_filter_passes_exact_forms_through():
    assert run_filter(ExactFormFilter() | AccentInsensitiveStemFilter(), "armées") == ["arme", "=armees"]


# --- exact forms ---------------------------------------------------------------


def test_analyzer_gives_each_word_its_exact_form_at_the_position_of_its_stems():
    tokens = [(t.pos, t.text) for t in ANALYZER("sécurité régionale", positions=True)]
    assert tokens == [(0, "secur"), (0, "securit"), (0, "=securite"), (1, "regional"), (1, "=regionale")]


@pytest.mark.parametrize(
    ("typed", "same_exact_form"),
    [("securite", "Sécurité"), ("Egypte", "l’Égypte"), ("serguei", "Sergueï"), ("ARMÉES", "armées")],
)
def test_exact_forms_ignore_accents_case_and_elision(typed, same_exact_form):
    assert exact_forms(typed) == exact_forms(same_exact_form)


@pytest.mark.parametrize(
    ("typed", "other_form"),
    [("intégrisme", "intégration"), ("armées", "arme"), ("communiste", "commune"), ("islamisme", "islam")],
)
def test_exact_forms_tell_apart_words_that_share_a_stem(typed, other_form):
    assert set(terms(typed)) & set(terms(other_form))  # the stems join them...
    assert not set(exact_forms(typed)) & set(exact_forms(other_form))  # ...the exact forms do not


# --- the pipeline ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L’Unesco", ["unesco"]),
        ("l'Unesco", ["unesco"]),
        ("UNESCO", ["unesco"]),
        ("aujourd’hui", ["aujourd'hui"]),
        ("Le 06/03/2026 à 18h06", ["06", "03", "2026", "18h06"]),
        ("\u00adincapacité", ["incapac", "incapacit"]),
        ("le la les des du de et à", []),
    ],
)
def test_analyzer_terms(text, expected):
    assert terms(text) == expected


def test_analyzer_splits_hyphenated_compounds_at_consecutive_positions():
    (first, moyen), (second, orient) = positioned("au Moyen-Orient")
    assert (moyen, orient) == ("moyen", "orient") and second == first + 1
    assert positioned("Moyen Orient") == positioned("moyen-orient")


def test_analyzer_keeps_summer_which_is_not_a_stop_word():
    assert terms("l’été") == ["ete"]


def test_analyzer_keeps_accented_words_whose_folded_form_is_a_stop_word():
    # "sur" is a stop word; "sûr" (sure) is not.
    assert terms("sûr") != [] and terms("sur") == []


# Both directions of the decision "stem the accented word, fold afterwards,
# and also stem the folded word": families stay together and accent-less
# queries still meet the accented text.
MUST_MATCH = [
    ("securite", "sécurité"),
    ("sécurité", "securite"),
    ("SÉCURITÉ", "sécurité"),
    ("sécurités", "sécurité"),
    ("Egypte", "Égypte"),
    ("Égypte", "egypte"),
    ("d’Égypte", "Egypte"),
    ("Sergueï", "Serguei"),
    ("serguei", "Sergueï"),
    ("publiée", "publié"),
    ("publié", "publier"),
    ("publiée", "publier"),
    ("publiees", "publiées"),
    ("diplomatie", "diplomatique"),
    ("diplomatique", "diplomatiques"),
    ("diplomates", "diplomatie"),
    ("ministre", "ministres"),
    ("l'Unesco", "Unesco"),
    ("l’Unesco", "l'unesco"),
    ("économie", "economie"),
    ("économique", "économie"),
    ("élections", "election"),
    ("présidente", "président"),
    ("president", "présidente"),
    ("États", "etats"),
    ("réformes", "reforme"),
    ("stratégique", "strategique"),
    ("partenariat", "partenariats"),
    ("marocaine", "marocain"),
    ("marocaines", "Marocains"),
    ("gouvernement", "gouvernements"),
    ("négociation", "negociations"),
    ("Fès", "Fes"),
    ("coopération", "cooperation"),
    ("développement", "developpement"),
    ("intérêt", "interet"),
    ("énergie", "energie"),
    ("cœur", "coeur"),
    ("œuvre", "oeuvre"),
    ("aujourd’hui", "aujourd'hui"),
    ("inca\u00adpacité", "incapacité"),
    (unicodedata.normalize("NFD", "Sécurité"), "sécurité"),
]

MUST_NOT_MATCH = [
    ("sécurité", "santé"),
    ("sécheresse", "sécurité"),
    ("police", "politique"),
    ("publication", "république"),
    ("diplomatie", "diplôme"),
    ("ministre", "ministère"),
    ("Maroc", "Marrakech"),
    ("Rabat", "rabais"),
    ("Moscou", "mosquée"),
    ("guerre", "gare"),
    ("paix", "pays"),
    ("2025", "2026"),
    ("18h06", "18h07"),
    ("été", "étape"),
    ("tramway", "train"),
    ("banque", "bande"),
    ("barrage", "garage"),
    ("hausse", "baisse"),
    ("crise", "croissance"),
    ("Lavrov", "Lavoie"),
]


@pytest.mark.parametrize(("query", "text"), MUST_MATCH)
def test_analyzer_word_pairs_that_must_match(query, text):
    assert set(terms(query)) & set(terms(text)), (terms(query), terms(text))


@pytest.mark.parametrize(("query", "text"), MUST_NOT_MATCH)
def test_analyzer_word_pairs_that_must_not_match(query, text):
    assert not set(terms(query)) & set(terms(text)), (terms(query), terms(text))


def test_analyzer_table_is_large_enough():
    assert len(MUST_MATCH) + len(MUST_NOT_MATCH) >= 40


def test_analyzer_keeps_word_families_on_one_main_stem():
    # Folding before stemming would give "publie", "publ" and "publi" here.
    assert {index_terms(w)[0] for w in ("publiée", "publié", "publier")} == {"publi"}


# --- what Whoosh and servers need ---------------------------------------------


def test_analyzer_survives_pickling():
    restored = pickle.loads(pickle.dumps(french_analyzer()))
    assert [t.text for t in restored("L’Égypte publiée")] == [t.text for t in ANALYZER("L’Égypte publiée")]


def test_analyzer_is_safe_from_many_threads():
    words = "sécurité diplomatique publiée Égypte ministres élections réformes Sergueï".split() * 50
    texts = [" ".join(words[i:] + words[:i]) for i in range(200)]
    expected = [[t.text for t in ANALYZER(text)] for text in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(lambda text: [t.text for t in french_analyzer()(text)], texts)) == expected


def test_analyzer_caches_stems():
    list(CHAIN("stratosphérique"))
    before = index_terms.cache_info().hits
    list(CHAIN("stratosphérique"))
    assert index_terms.cache_info().hits > before


@given(st.text())
def test_analyzer_never_raises_and_emits_only_ascii(text):
    for term in terms(text):
        assert term and term.isascii()


CHAIN = french_filter_chain()


def analyzer_words(text: str) -> list[tuple[int, int, int, tuple[str, ...]]]:
    """The filter chain's tokens grouped by position, as ``word_tokens`` gives them."""
    words: dict[int, list] = {}
    for t in CHAIN(text, positions=True, chars=True):
        word = words.setdefault(t.pos, [t.pos, t.startchar, t.endchar, []])
        word[3].append(t.text)
    return [(pos, start, end, tuple(found)) for pos, start, end, found in words.values()]


@pytest.mark.parametrize(
    "text",
    [
        "L’Unesco a publié, le 6 mars 2026 à 18h06, son rapport sur l'Égypte et le Moyen-Orient.",
        "Qu’aujourd’hui la sécurité régionale soit l’affaire de tous : c’est sûr.",
        "inca\u00adpacité \u200bœuvre ÉTATS-UNIS d'l' l’ 2017 Sergueï",
        "le la les des",
        "",
    ],
)
def test_word_tokens_are_the_analyzers_tokens(text):
    assert list(word_tokens(text)) == [w for w in analyzer_words(text) if w[3]]


@given(st.text(alphabet=st.sampled_from("aéeÉl'’ -\u00ad\u200bqud0Sœ,.") | st.characters(), max_size=60))
def test_word_tokens_agree_with_the_analyzer_on_any_text(text):
    assert list(word_tokens(text)) == [w for w in analyzer_words(text) if w[3]]


def fused(text: str, **options) -> list[tuple]:
    return [(t.text, t.pos, t.startchar, t.endchar) for t in ANALYZER(text, positions=True, chars=True, **options)]


def chained(text: str, **options) -> list[tuple]:
    return [(t.text, t.pos, t.startchar, t.endchar) for t in CHAIN(text, positions=True, chars=True, **options)]


@given(st.text(alphabet=st.sampled_from("aéeÉl'’ -\u00ad\u200bqud0Sœ,.") | st.characters(), max_size=60))
def test_the_fused_analyzer_gives_the_tokens_of_the_filter_chain(text):
    assert fused(text) == chained(text)
    assert fused(text, start_pos=5, start_char=7) == chained(text, start_pos=5, start_char=7)
