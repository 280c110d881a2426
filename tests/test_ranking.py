"""Ranking as a reader notices it: the typed form first, all words first, words together, questions, subjects."""

from __future__ import annotations

import pytest

from search.engine import Engine
from search.indexer import build_index
from search.request import SearchRequest

from .conftest import write_article

FILLER = "La réunion s’est tenue mardi dans la capitale, en présence de plusieurs délégations."


def build(tmp_path, articles: dict[str, tuple[str, str]]) -> Engine:
    """An engine over articles given as ``{name: (title, body)}``, all of one day (no recency effect)."""
    folder = tmp_path / "articles"
    for name, (title, body) in articles.items():
        write_article(folder, name, title, body, tags=())
    build_index(tmp_path / "index", [str(folder)], procs=1)
    return Engine(tmp_path / "index")


def ids(engine: Engine, text: str, **params) -> list[str]:
    return [hit.id for hit in engine.search(SearchRequest(q=text, **params)).hits]


# --- the form the reader typed outranks a match on its stem alone ---------------------------


@pytest.mark.parametrize(
    ("query", "typed_form", "same_stem"),
    [
        ("intégrisme", "L’intégrisme gagne du terrain", "L’intégration gagne du terrain"),
        ("armées", "Les armées se redéploient", "L’arme se redéploie"),
        ("arme", "L’arme se redéploie", "Les armées se redéploient"),
        ("communiste", "Le parti communiste se réunit", "La commune se réunit"),
    ],
)
def test_the_typed_form_outranks_a_word_of_the_same_stem(tmp_path, query, typed_form, same_stem):
    # The stem-only article says its word twice, so that stems alone would rank it first.
    with build(
        tmp_path,
        {
            "typed": (typed_form, f"{typed_form}. {FILLER}"),
            "stem": (same_stem, f"{same_stem}. {same_stem}. {FILLER}"),
        },
    ) as engine:
        assert ids(engine, query) == ["typed", "stem"]


def test_stems_still_join_singular_and_plural(tmp_path):
    with build(tmp_path, {"plural": ("Les élections", FILLER), "other": ("Le budget", FILLER)}) as engine:
        assert ids(engine, "élection") == ["plural"]


# --- all words first, then those missing one, and so on -------------------------------------


@pytest.fixture
def three_two_one(tmp_path):
    # The article with one word has it in its title, again and again: plain scores would put it first.
    articles = {
        "three": ("Un bilan de la saison", f"{FILLER} Le port de Tanger a reçu des conteneurs. {FILLER}"),
        "two": ("Un bilan de la saison", f"{FILLER} Le port de Tanger s’agrandit. {FILLER}"),
        "one": ("Conteneurs, conteneurs, conteneurs", "Des conteneurs partout : les conteneurs débordent."),
        "none": ("La pluie à Fès", FILLER),
    }
    with build(tmp_path, articles) as engine:
        yield engine


def test_articles_holding_more_of_the_words_come_first(three_two_one):
    assert ids(three_two_one, "Tanger port conteneurs") == ["three", "two", "one"]


def test_the_counts_say_how_many_hold_every_word_and_how_many_some(three_two_one):
    response = three_two_one.search(SearchRequest(q="Tanger port conteneurs"))
    assert (response.total, response.all_words, response.some_words) == (3, 1, 2)
    assert [hit.all_words for hit in response.hits] == [True, False, False]


def test_no_article_is_dropped_for_missing_one_word(three_two_one):
    response = three_two_one.search(SearchRequest(q="Tanger port conteneurs Rissalatou"))
    assert (response.total, response.all_words) == (3, 0)
    assert [hit.id for hit in response.hits] == ["three", "two", "one"]


def test_date_sorts_keep_the_articles_with_every_word_first(three_two_one):
    for sort in ("newest", "oldest"):
        assert ids(three_two_one, "Tanger port conteneurs", sort=sort)[0] == "three"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Tanger ET conteneurs", {"three"}),  # explicit AND stays strict
        ("port -Tanger", set()),  # an exclusion stays strict
        ('"port de Tanger"', {"three", "two"}),
    ],
)
def test_operators_keep_their_meaning(three_two_one, query, expected):
    assert set(ids(three_two_one, query)) == expected


# --- words typed apart rank higher where they stand together -------------------------------


def test_words_together_outrank_the_same_words_far_apart(tmp_path):
    # The same forms in both, and the shorter text where they stand apart: only proximity tells them apart.
    with build(
        tmp_path,
        {
            "apart": ("Un bilan de la saison", f"Le moyen manque. {FILLER} {FILLER} L’Orient attend."),
            "together": ("Un bilan de la saison", f"La diplomatie au Moyen-Orient. {FILLER} {FILLER} {FILLER}"),
        },
    ) as engine:
        assert ids(engine, "moyen orient") == ["together", "apart"]
        assert ids(engine, "orient moyen")[0] == "together"


# --- questions: the words that frame a question do not decide --------------------------------


def test_the_frame_of_a_question_does_not_decide_the_ranking(tmp_path):
    with build(
        tmp_path,
        {
            # Holds "nom" again and again, and one word of the subject.
            "frame": ("Le nom, le nom, le nom", f"Un nom de fleuve. Le nom revient. {FILLER}"),
            # Holds the two words of the subject, once each.
            "answer": ("La traversée", f"L’armée a franchi le fleuve à l’aube. {FILLER}"),
        },
    ) as engine:
        assert ids(engine, "Quel est le nom du fleuve franchi ?")[0] == "answer"
        # Outside a question, "nom" is a word like any other.
        assert ids(engine, "nom fleuve")[0] == "frame"


# --- a short query leans towards the subject its best matches share --------------------------


def test_a_short_query_leans_towards_what_many_best_matches_share(tmp_path):
    # The ten best matches of « cinéma »: eight speak of a film and its director, two repeat
    # a city's name again and again. The subject is what the many share, not what two repeat.
    cities = ("Rabat", "Tunis", "Dakar", "Alger", "Abidjan", "Lomé", "Niamey", "Bamako")
    articles = {f"film-{city}": (f"Le cinéma à {city}", "Au cinéma, le film du réalisateur sort.") for city in cities}
    repeated = "Ouagadougou danse, Ouagadougou chante, Ouagadougou veille, Ouagadougou rit."
    articles |= {f"ville-{n}": ("Le cinéma en fête", f"Au cinéma : {repeated} {repeated}") for n in (1, 2)}
    # An archive around them, so that their words are rare in it.
    articles |= {f"saison-{city}-{n}": (f"La saison à {city}", FILLER) for city in cities for n in range(4)}
    # Further down, each says « cinéma » once in a text of the same length.
    articles["name"] = ("Un bilan de la saison", f"Ouagadougou, Ouagadougou : le cinéma. {FILLER}")
    articles["subject"] = ("Un bilan de la saison", f"Le film du réalisateur : le cinéma. {FILLER}")
    with build(tmp_path, articles) as engine:
        assert ids(engine, "cinéma", per_page=20)[-2:] == ["subject", "name"]
