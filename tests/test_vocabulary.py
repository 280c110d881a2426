"""The vocabulary: words as the articles write them, for "did you mean" and autocomplete."""

from __future__ import annotations

import copy
import gzip
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.article import Article
from search.vocabulary import VOCABULARY_FILE, Vocabulary, edit_distance, surface_words
from search.vocabulary_counter import VocabularyCounter


def article(body: str, *, title: str = "", tags: tuple[str, ...] = (), author: str = "", n: int = 0) -> Article:
    return Article(id=f"a{n}", title=title, body=body, tags=list(tags), author=author)


def vocabulary(*bodies: str) -> Vocabulary:
    """A vocabulary of one article per text."""
    vocab = Vocabulary()
    for n, body in enumerate(bodies):
        vocab.add(article(body, n=n))
    return vocab


# A small newsroom: the words, tags and bylines of a week of articles.
NEWS = [
    Article(
        id="lavrov-bourita",
        title="Sergueï Lavrov reçoit Nasser Bourita à Moscou",
        body="La diplomatie marocaine et la sécurité régionale étaient au menu de l’entretien.",
        tags=["Nasser Bourita", "Diplomatie"],
        author="Salma Idrissi",
    ),
    Article(
        id="bourita-gaza",
        title="Bourita et Lavrov parlent de Gaza",
        body="La diplomatie marocaine s’active pour Gaza. La sécurité des civils inquiète.",
        tags=["Nasser Bourita", "Gaza"],
        author="Karim Benali et Salma Idrissi",
    ),
    Article(
        id="lavrov-onu",
        title="Lavrov à l’ONU",
        body="Le ministre a défendu la sécurité collective. Le bouclier antimissile divise.",
        tags=["ONU"],
    ),
    Article(
        id="catalogne",
        title="L’économie catalane tient bon",
        body="Les Catalans votent dimanche. Le catalan reste la langue de l’administration. Un bouclier fiscal.",
        tags=["Catalogne"],
    ),
    Article(
        id="barcelone",
        title="Barcelone: les Catalans et l’économie",
        body="Le catalan s’enseigne partout. La sécurité du port de Gaza? Non, de Barcelone. Le bouclier social.",
        tags=["Catalogne", "Économie"],
    ),
    Article(
        id="rare",
        title="Un mot rare",
        body="Le zorglub n’apparaît qu’une fois. Les Catalans aussi.",
    ),
]


@pytest.fixture
def news() -> Vocabulary:
    vocab = Vocabulary()
    for item in NEWS:
        vocab.add(item)
    return vocab


# --- surface words ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L’Unesco et l'ONU", ["Unesco", "ONU"]),
        ("d’Égypte, qu’il jusqu’à lorsqu'elle", ["Égypte"]),
        ("aujourd’hui prud'hommes", ["aujourd’hui", "prud'hommes"]),
        ("Sécurité SÉCURITÉ sécurité", ["Sécurité", "SÉCURITÉ", "sécurité"]),
        ("le la les des du de et à ou où sur", []),
        ("Sergueï Lavrov au Moyen-Orient", ["Sergueï", "Lavrov", "Moyen", "Orient"]),
        ("Le 06/03/2026 à 18h06", ["18h06"]),
        ("x y z", []),
        ("sûr et sur", ["sûr"]),
        ("", []),
    ],
)
def test_surface_words_drop_elisions_and_stop_words_and_keep_spelling(text, expected):
    assert list(surface_words(text)) == expected


# --- display and document frequency ------------------------------------------------


@pytest.mark.parametrize(
    ("bodies", "word", "shown"),
    [
        (("Lavrov à Moscou", "Lavrov à Rabat", "lavrov"), "lavrov", "Lavrov"),
        (("Lavrov à Moscou", "Lavrov à Rabat", "lavrov"), "LAVROV", "Lavrov"),
        (("un marocain", "un marocain", "Marocain"), "Marocain", "marocain"),
        # On a tie, the accented spelling, whichever came first.
        (("securite", "sécurité"), "securite", "sécurité"),
        (("sécurité", "securite"), "securite", "sécurité"),
        (("Égypte", "Egypte"), "egypte", "Égypte"),
        (("Egypte", "Égypte", "Egypte"), "égypte", "Egypte"),
    ],
)
def test_display_gives_the_most_used_spelling(bodies, word, shown):
    assert vocabulary(*bodies).display(word) == shown


def test_display_of_an_unknown_word_is_none(news):
    assert news.display("tartiflette") is None


@pytest.mark.parametrize(
    ("bodies", "word", "df"),
    [
        (("Lavrov Lavrov Lavrov à Moscou", "Lavrov"), "lavrov", 2),
        (("sécurité", "securite", "SÉCURITÉ"), "Securite", 3),
        (("sécurité", "securite", "SÉCURITÉ"), "sécurité", 3),
        (("Gaza", "Rabat"), "gaza", 1),
        (("Gaza", "Rabat"), "Doha", 0),
    ],
)
def test_doc_freq_counts_articles_accents_and_case_aside(bodies, word, df):
    assert vocabulary(*bodies).doc_freq(word) == df


def test_doc_freq_counts_a_word_in_title_body_and_tags_once():
    vocab = Vocabulary()
    vocab.add(article("Gaza, encore Gaza.", title="Gaza", tags=("Gaza",)))
    assert vocab.doc_freq("gaza") == 1


def test_doc_freq_counts_an_article_with_two_spellings_once():
    vocab = vocabulary("Économie: l’économie marocaine accélère.")
    assert vocab.doc_freq("economie") == 1


# --- corrections -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "fixed"),
    [
        ("lavrof", "Lavrov"),
        ("Lavrof", "Lavrov"),
        ("lavrovv", "Lavrov"),
        ("lvrov", "Lavrov"),
        ("olavro", "Lavrov"),  # two edits are allowed in longer words
        ("marocainne", "marocaine"),
        ("diplomtaie", "diplomatie"),  # an adjacent swap
        ("bouritaa", "Bourita"),
        ("securiter", "sécurité"),
        ("gazq", "Gaza"),  # one edit in a short word
        ("gaaz", "Gaza"),
    ],
)
def test_correction_offers_the_attested_spelling(news, typed, fixed):
    assert news.correction(typed) == fixed


@pytest.mark.parametrize(
    "typed",
    [
        "securite",  # known: "sécurité" is the same word
        "Lavrov",
        "catalan",  # known, and its neighbours are not far more common
        "ogaz",  # two edits are too many for a word of four letters
        "zorglib",  # "zorglub" is in a single article
        "xyzzyx",
        "la",
        "ga",
        "nasser bourita",
        "",
    ],
)
def test_correction_leaves_known_unfixable_and_short_words(news, typed):
    assert news.correction(typed) is None


def test_correction_offers_a_word_once_it_is_in_two_articles():
    once = vocabulary("Le zorglub.", "Rien.")
    twice = vocabulary("Le zorglub.", "Un zorglub.")
    assert once.correction("zorglib") is None and twice.correction("zorglib") == "zorglub"


def test_correction_replaces_a_known_word_only_by_a_far_more_common_one():
    vocab = vocabulary(*["Lavrof"] * 2, *["Lavrov"] * 40)
    assert vocab.correction("lavrof") is None
    vocab.add(article("Lavrov", n=99))
    assert vocab.correction("lavrof") == "Lavrov"


def test_correction_prefers_the_closer_then_the_more_common_word():
    vocab = vocabulary(*["Rabat"] * 2, *["Rabah"] * 5, *["Raban"] * 9)
    assert vocab.correction("rabatt") == "Rabat"
    assert vocab.correction("rabax") == "Raban"


@pytest.mark.parametrize(
    "where",
    [{"title": "Zorglub à Moscou"}, {"tags": ("Zorglub",)}, {"author": "Karim Zorglub"}],
)
def test_correction_offers_a_name_of_one_article_from_its_title_tags_or_byline(where):
    vocab = Vocabulary()
    vocab.add(article("Le ministre a parlé.", **where))
    vocab.add(article("Rien à voir.", n=1))
    assert vocab.correction("zorglib") == "Zorglub"
    vocab.add(article("Le ministre a parlé.", **where), sign=-1)
    assert vocab.correction("zorglib") is None


@pytest.mark.parametrize(
    "typed",
    # Readers' questions: stop words and French words that no article holds, each a letter from an indexed word.
    ["dans", "pour", "par", "est", "avec", "quel", "comment", "qui", "dirige", "fut", "son"],
)
def test_correction_leaves_stop_words_and_french_words_alone(typed):
    vocab = vocabulary(*["Les ans, le jour, le car, un test, un aveu, un duel, commenté, quoi, dirigé, but, non."] * 5)
    assert vocab.correction(typed) is None


@pytest.mark.parametrize(
    ("typed", "common"),
    [
        ("UAZ", "Le gaz, le gaz."),  # an acronym
        ("Doris", "Boris parle. Boris rit."),  # a short name keeps its first letter
        ("Zola", "Le cola, le cola."),
        ("Acadie", "La façade, la façade."),  # a capitalised word is only corrected into a name
    ],
)
def test_correction_leaves_acronyms_and_names_alone(typed, common):
    vocab = vocabulary(*[common] * 30)
    assert vocab.correction(typed) is None


def test_correction_leaves_a_name_that_a_title_gives():
    vocab = vocabulary(*["En janvier, rien."] * 40)
    vocab.add(article("Un roman.", title="Javier Cercas publie", n=99))
    assert vocab.correction("Javier") is None


def test_correction_never_offers_a_word_of_one_article_in_two_spellings():
    vocab = vocabulary("Zorglub parle. Le zorglub est rare.", "Rien à voir.")
    assert vocab.correction("zorglib") is None


# --- completions ------------------------------------------------------------------------


def texts(completions: list[tuple[str, int]]) -> list[str]:
    return [text for text, _ in completions]


@pytest.mark.parametrize("typed", ["Bour", "bour", "BOUR", "bourit"])
def test_completions_offer_the_word_and_the_tag(news, typed):
    offered = texts(news.completions(typed))
    assert "Bourita" in offered and "Nasser Bourita" in offered


def test_completions_rank_a_tag_above_the_same_word(news):
    assert texts(news.completions("Bour"))[:2] == ["Nasser Bourita", "Bourita"]


@pytest.mark.parametrize(
    ("typed", "expected"), [("sal", "Salma Idrissi"), ("idr", "Salma Idrissi"), ("ben", "Karim Benali")]
)
def test_completions_offer_each_author_of_a_byline(news, typed, expected):
    assert expected in texts(news.completions(typed))


@pytest.mark.parametrize(("typed", "expected"), [("eco", "économie"), ("ÉCO", "économie"), ("secu", "sécurité")])
def test_completions_are_accent_insensitive(typed, expected):
    vocab = vocabulary("L’économie et la sécurité.", "Une économie sûre, la sécurité.")
    assert texts(vocab.completions(typed)) == [expected]


def test_completions_offer_one_form_per_word_family(news):
    offered = [text.casefold() for text in texts(news.completions("catal"))]
    assert len([text for text in offered if text in ("catalan", "catalans")]) == 1
    assert "catalans" in offered  # the more common form of the two


def test_completions_of_several_words_put_the_name_first(news):
    # "bouclier" is in more articles than the name, but a name fits two typed words better.
    offered = texts(news.completions("nasser bo"))
    assert offered[0] == "Nasser Bourita"
    assert "nasser bouclier" in offered


def test_completions_of_the_last_word_keep_what_was_typed_before(news):
    assert texts(news.completions("la diplo")) == ["la diplomatie"]


@pytest.mark.parametrize("limit", [1, 2])
def test_completions_respect_the_limit(news, limit):
    assert len(news.completions("bo")) > limit
    assert len(news.completions("bo", limit=limit)) == limit


@pytest.mark.parametrize("typed", ["", "  ", "zzz", "tartif"])
def test_completions_of_nothing_known_are_empty(news, typed):
    assert news.completions(typed) == []


def test_completions_of_one_letter_are_names_only(news):
    assert texts(news.completions("b")) == ["Nasser Bourita", "Karim Benali"]


def test_completions_skip_words_of_a_single_article(news):
    assert news.completions("zorg") == []


# --- updates and files -----------------------------------------------------------------------


def test_add_with_minus_one_takes_back_exactly_what_was_counted(news):
    before = copy.deepcopy((news.words, news.names))
    extra = Article(
        id="extra",
        title="Lavrov et Bourita, encore",
        body="Le zorglub revient: l’économie catalane et la Sécurité.",
        tags=["Nasser Bourita", "Nouveau tag"],
        author="Inès Haddad et Salma Idrissi",
    )
    news.add(extra)
    assert (news.words, news.names) != before
    news.add(extra, sign=-1)
    assert (news.words, news.names) == before


def test_taking_back_every_article_leaves_nothing(news):
    for item in NEWS:
        news.add(item, sign=-1)
    assert news.words == {} and news.names == {}
    assert news.completions("bour") == [] and news.display("lavrov") is None


def test_taking_back_articles_updates_completions_and_corrections(news):
    assert texts(news.completions("catal"))
    assert news.correction("boucliar") == "bouclier"
    for item in NEWS:
        if item.id in ("catalogne", "barcelone", "lavrov-onu", "bourita-gaza"):
            news.add(item, sign=-1)
    assert texts(news.completions("catal")) == []
    assert news.correction("boucliar") is None


def test_save_and_load_round_trip(news, tmp_path: Path):
    news.save(tmp_path)
    assert (tmp_path / VOCABULARY_FILE).is_file()
    assert [p.name for p in tmp_path.iterdir()] == [VOCABULARY_FILE]  # no temporary file left
    loaded = Vocabulary.load(tmp_path)
    assert (loaded.words, loaded.names) == (news.words, news.names)
    assert loaded.display("securite") == "sécurité"
    assert loaded.correction("lavrof") == "Lavrov"
    assert loaded.completions("Bour") == news.completions("Bour")


def test_save_replaces_an_older_vocabulary(news, tmp_path: Path):
    vocabulary("Rien.").save(tmp_path)
    news.save(tmp_path)
    assert Vocabulary.load(tmp_path).words == news.words


def test_load_of_a_folder_without_vocabulary_is_empty(tmp_path: Path):
    empty = Vocabulary.load(tmp_path / "nowhere")
    assert empty.words == {} and empty.names == {}
    assert empty.display("lavrov") is None and empty.correction("lavrof") is None and empty.completions("la") == []


TRUNCATED = pytest.param(
    gzip.compress(b'{"words": {"lavrov": {"Lavrov": 2}}, "names": {}}')[:-10],
    id="truncated-gzip",
)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"not gzip at all", id="not-gzip"),
        pytest.param(gzip.compress(b'{"words": {"lavrov"'), id="cut-json"),
        TRUNCATED,
    ],
)
def test_load_of_a_damaged_vocabulary_is_empty(tmp_path: Path, content):
    (tmp_path / VOCABULARY_FILE).write_bytes(content)
    empty = Vocabulary.load(tmp_path)
    assert empty.words == {} and empty.names == {}


# --- edit distance ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("", "", 0),
        ("lavrov", "lavrov", 0),
        ("lavrov", "lavrof", 1),  # substitution
        ("lavrov", "lavrovv", 1),  # insertion
        ("lavrov", "lvrov", 1),  # deletion
        ("ab", "ba", 1),  # adjacent swap
        ("lavrov", "lvarov", 1),
        ("diplomatie", "diplomtaie", 1),
        ("marocainne", "marocaine", 1),
        ("abcd", "badc", 2),  # two swaps
        ("flaw", "lawn", 2),
        ("ogaz", "gaza", 2),
        ("a", "", 1),
        ("", "ab", 2),
        # Capped at the limit (3 by default).
        ("kitten", "sitting", 3),
        ("", "abcdef", 3),
        ("abcdef", "uvwxyz", 3),
    ],
)
def test_edit_distance(a, b, distance):
    assert edit_distance(a, b) == distance
    assert edit_distance(b, a) == distance


@pytest.mark.parametrize(("a", "b", "limit", "distance"), [("abcdef", "uvwxyz", 10, 6), ("lavrov", "lvarov", 1, 1)])
def test_edit_distance_with_a_limit(a, b, limit, distance):
    assert edit_distance(a, b, limit) == distance


@given(st.text(max_size=12), st.text(max_size=12))
def test_edit_distance_is_symmetric_capped_and_zero_only_for_equal_words(a, b):
    distance = edit_distance(a, b)
    assert distance == edit_distance(b, a)
    assert 0 <= distance <= 3
    assert (distance == 0) == (a == b)


def test_a_build_counts_the_vocabulary_as_adding_each_article_does():
    one_by_one, counter = Vocabulary(), VocabularyCounter()
    articles = [*NEWS, article("Le Maroc, le MAROC et le maroc. Économie, économie.", n=1)]
    for item in articles:
        one_by_one.add(item)
        counter.add(item)
    counted = counter.vocabulary()
    assert (counted.words, counted.names, counted.headlines) == (
        one_by_one.words,
        one_by_one.names,
        one_by_one.headlines,
    )


def test_vocabularies_counted_apart_and_merged_are_the_one_counted_together():
    together = Vocabulary()
    first, second = Vocabulary(), Vocabulary()
    for n, item in enumerate(NEWS):
        together.add(item)
        (first if n % 2 else second).add(item)
    first.merge(second)
    assert (first.words, first.names, first.headlines) == (together.words, together.names, together.headlines)
    assert first.display("securite") == together.display("securite") == "sécurité"
