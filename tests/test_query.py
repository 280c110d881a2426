"""The query language: user text → syntax tree → Whoosh query, and nothing a user types makes it raise."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh import query as q

from search.analysis import french_analyzer, is_exact
from search.query import EXACT_BOOST, All, Any, Dates, Not, Prefix, QueryBuilder, Rubric, Text, parse_tree
from search.ranking import Tiered
from search.ranking.proximity import NEAR_FIELDS
from search.request import Period
from search.schema import TEXT_FIELDS

BUILDER = QueryBuilder(french_analyzer(), TEXT_FIELDS)


def compile_query(text: str):
    return BUILDER.compile(text)


def words(*texts: str) -> list[Text]:
    return [Text(t) for t in texts]


def nodes(query: q.Query):
    """Every node of a Whoosh query, depth first."""
    yield query
    for child in query.children():
        yield from nodes(child)


def leaf_terms(query: q.Query) -> list[tuple[str, str]]:
    """The stems a query looks for (its exact forms are tested apart)."""
    return [(n.fieldname, n.text) for n in nodes(query) if isinstance(n, q.Term) and not is_exact(n.text)]


def position(field: str, *stems: str, exact: str) -> q.Query:
    """What one word looks for in one field: its stems, and its exact form weighted up."""
    return q.Or([*(q.Term(field, t) for t in stems), q.Term(field, exact, boost=EXACT_BOOST)])


# --- plain words, phrases, operators ------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("diplomatie", Text("diplomatie")),
        ("diplomatie maroc", All(words("diplomatie", "maroc"), implicit=True)),
        ("  diplomatie   maroc  rabat ", All(words("diplomatie", "maroc", "rabat"), implicit=True)),
        ('"moyen orient"', Text("moyen orient", phrase=True)),
        ('gaza "moyen orient"', All([Text("gaza"), Text("moyen orient", phrase=True)])),
        # An unbalanced quote closes at the end of the text.
        ('"moyen orient', Text("moyen orient", phrase=True)),
        ('gaza "moyen orient', All([Text("gaza"), Text("moyen orient", phrase=True)])),
        ('"" maroc', Text("maroc")),
        ("-gaza", Not(Text("gaza"))),
        ("maroc -gaza", All([Text("maroc"), Not(Text("gaza"))])),
        ("NOT gaza maroc", All([Not(Text("gaza")), Text("maroc")])),
        ("maroc SAUF gaza", All([Text("maroc"), Not(Text("gaza"))])),
        ('maroc -"moyen orient"', All([Text("maroc"), Not(Text("moyen orient", phrase=True))])),
        ("Macron OR Merkel", Any(words("Macron", "Merkel"))),
        ("Macron OU Merkel", Any(words("Macron", "Merkel"))),
        ("Macron OR Merkel OR Scholz", Any(words("Macron", "Merkel", "Scholz"))),
        # OR binds tighter than the implicit AND, as in web search engines.
        ("Macron OR Merkel Europe", All([Any(words("Macron", "Merkel")), Text("Europe")])),
        ("Europe Macron OR Merkel", All([Text("Europe"), Any(words("Macron", "Merkel"))])),
        ("maroc AND gaza", All(words("maroc", "gaza"), implicit=False)),
        ("maroc ET gaza", All(words("maroc", "gaza"), implicit=False)),
        ("maroc AND gaza rabat", All(words("maroc", "gaza", "rabat"), implicit=False)),
        ("(Macron OR Merkel) Europe", All([Any(words("Macron", "Merkel")), Text("Europe")])),
        ("Europe (Macron Merkel)", All([Text("Europe"), All(words("Macron", "Merkel"))])),
        ("((maroc OR gaza) (rabat OR doha))", All([Any(words("maroc", "gaza")), Any(words("rabat", "doha"))])),
        ("maroc -(gaza OR rabat)", All([Text("maroc"), Not(Any(words("gaza", "rabat")))])),
        # An unbalanced "(" closes at the end; a stray ")" is dropped.
        ("(maroc gaza", All(words("maroc", "gaza"))),
        ("maroc) gaza", All(words("maroc", "gaza"))),
        ("maroc gaza)", All(words("maroc", "gaza"))),
        ("())maroc", Text("maroc")),
        # A dangling operator is dropped.
        ("maroc OR", Text("maroc")),
        ("OR maroc", Text("maroc")),
        ("maroc AND", Text("maroc")),
        ("maroc NOT", Text("maroc")),
        # Lowercase "ou"/"et"/"not" are words (stop words for the first two), not operators.
        ("maroc ou gaza", All(words("maroc", "ou", "gaza"))),
        ("maroc et gaza", All(words("maroc", "et", "gaza"))),
        ("maroc Or gaza", All(words("maroc", "Or", "gaza"))),
    ],
)
def test_parse_tree_reads_words_phrases_and_operators(text, expected):
    assert parse_tree(text) == expected


def test_parse_tree_drops_a_doubled_or():
    assert parse_tree("maroc OR OR gaza") == Any(words("maroc", "gaza"))


@pytest.mark.parametrize(("text", "plain"), [("maroc ou gaza", "maroc gaza"), ("maroc et gaza", "maroc gaza")])
def test_compile_lowercase_operators_are_stop_words_that_change_nothing(text, plain):
    assert compile_query(text).query == compile_query(plain).query


def test_compile_or_matches_either_side_within_the_list_of_words():
    query = compile_query("Macron OR Merkel Europe").query
    either, europe = [n.child for n in nodes(query) if isinstance(n, Tiered)]
    assert isinstance(either, q.Or) and {t for _, t in leaf_terms(either)} == {"macron", "merkel"}
    assert {t for _, t in leaf_terms(europe)} == {"europ"}


@pytest.mark.parametrize(
    ("text", "tiers"),
    [
        ("diplomatie maroc", 2),
        ("diplomatie maroc rabat", 3),
        ("diplomatie maroc -gaza", 2),
        ("Macron OR Merkel Europe", 2),
        ('"moyen orient" gaza', 2),
        ('"moyen orient" "sécurité régionale"', 2),
        ("titre:maroc gaza", 2),
        ("maroc le gaza", 2),  # a stop word is no word to hold
        ("diplomatie maroc date:2026", 2),
        ("diplomatie", 0),
        ('"moyen orient"', 0),
        ("diplomatie -maroc", 0),
        ("-diplomatie -maroc", 0),
        ("diplomatie AND maroc", 0),
        ("diplomatie ET maroc", 0),
        ("Macron OR Merkel", 0),
        ("", 0),
    ],
)
def test_only_lists_of_two_or_more_words_are_tiered(text, tiers):
    assert compile_query(text).tiers == tiers


def test_a_list_of_words_matches_any_and_keeps_exclusions_and_filters_strict():
    query = compile_query("diplomatie maroc -gaza date:2026").query
    assert isinstance(query, q.And)
    anyword, *strict = query.subqueries
    words = [n.child for n in anyword.subqueries if isinstance(n, Tiered)]
    assert isinstance(anyword, q.Or) and [{t for _, t in leaf_terms(w)} for w in words] == [{"diplomat"}, {"maroc"}]
    assert [type(s) for s in strict] == [q.Not, q.DateRange]
    assert {t for _, t in leaf_terms(strict[0])} == {"gaz"}


def test_consecutive_words_get_a_proximity_clause_in_each_field_of_prose():
    query = compile_query("moyen orient").query
    near = [n for n in query.subqueries if isinstance(n, q.Sequence)]
    assert {n.subqueries[0].fieldname for n in near} == set(NEAR_FIELDS)
    assert all(not n.ordered and {t for _, t in leaf_terms(n)} == {"moyen", "orient"} for n in near)


def test_words_are_the_positive_plain_words_as_typed():
    compiled = compile_query('Sécurité maroc -gaza NOT rabat titre:Doha "moyen orient" OR Sahel diplom*')
    assert compiled.words == ["Sécurité", "maroc", "Sahel"]


# --- prefixes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("diplom*", Prefix("diplom")),
        ("diplom**", Prefix("diplom")),
        ("ab*", Prefix("ab")),
        ("titre:diplom*", Prefix("diplom", "title")),
        ("maroc diplom*", All([Text("maroc"), Prefix("diplom")])),
    ],
)
def test_parse_tree_reads_prefixes(text, expected):
    assert parse_tree(text) == expected


def test_compile_prefix_searches_every_text_field():
    compiled = compile_query("diplom*")
    prefixes = [n for n in nodes(compiled.query) if isinstance(n, q.Prefix)]
    assert {p.fieldname for p in prefixes} == set(TEXT_FIELDS)
    assert {p.text for p in prefixes} == {"diplom"}
    assert compiled.prefixes == [(None, ["diplom"])]


def test_compile_accented_prefix_also_searches_its_folded_form():
    prefixes = {n.text for n in nodes(compile_query("Écon*").query) if isinstance(n, q.Prefix)}
    assert "econ" in prefixes and all(p.isascii() for p in prefixes)


@pytest.mark.parametrize("text", ["d*", "z*", "é*", "*", "**", "maroc d*", "maroc *"])
def test_compile_too_short_prefix_never_expands(text):
    query = compile_query(text).query
    assert query is None or not any(isinstance(n, q.Prefix) for n in nodes(query))


@pytest.mark.parametrize(("text", "same_as"), [("d*", ""), ("*", ""), ("maroc d*", "maroc"), ("maroc *", "maroc")])
def test_compile_too_short_prefix_and_lone_star_are_ignored(text, same_as):
    assert compile_query(text).query == compile_query(same_as).query


# --- fields ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("titre:Maroc", Text("Maroc", "title")),
        ("title:Maroc", Text("Maroc", "title")),
        ('titre:"moyen orient"', Text("moyen orient", "title", phrase=True)),
        ("auteur:Idrissi", Text("Idrissi", "author")),
        ("author:Idrissi", Text("Idrissi", "author")),
        # A tag is always matched as a whole phrase.
        ("tag:Gaza", Text("Gaza", "tags", phrase=True)),
        ('tag:"Sergueï Lavrov"', Text("Sergueï Lavrov", "tags", phrase=True)),
        ("rubrique:Monde", Rubric("monde")),
        ("category:Économie", Rubric("economie")),
        ('rubrique:"Économie internationale"', Rubric("economie internationale")),
        ("date:2026", Dates(Period(date(2026, 1, 1), date(2026, 12, 31)))),
        ("date:2026-03", Dates(Period(date(2026, 3, 1), date(2026, 3, 31)))),
        ("date:2026-02", Dates(Period(date(2026, 2, 1), date(2026, 2, 28)))),
        ("date:2026-03-06", Dates(Period(date(2026, 3, 6), date(2026, 3, 6)))),
        ("date:2026-01..2026-03", Dates(Period(date(2026, 1, 1), date(2026, 3, 31)))),
        ("date:2026-01..", Dates(Period(date(2026, 1, 1), None))),
        ("date:..2026-03", Dates(Period(None, date(2026, 3, 31)))),
        # Field names are case-insensitive.
        ("TITRE:Maroc", Text("Maroc", "title")),
        ("Auteur:Idrissi", Text("Idrissi", "author")),
        ("DATE:2026", Dates(Period(date(2026, 1, 1), date(2026, 12, 31)))),
        ("Rubrique:Monde", Rubric("monde")),
        # Fields combine with everything else.
        ("maroc -tag:Gaza", All([Text("maroc"), Not(Text("Gaza", "tags", phrase=True))])),
        ("maroc date:2026-03", All([Text("maroc"), Dates(Period(date(2026, 3, 1), date(2026, 3, 31)))])),
    ],
)
def test_parse_tree_reads_fields(text, expected):
    assert parse_tree(text) == expected


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ("date:hier maroc", "maroc"),
        ("date:2026-13 maroc", "maroc"),
        ("date:2026-02-30 maroc", "maroc"),
        ("date:2026-03..2026-01 maroc", "maroc"),
        ("date: maroc", "maroc"),
        ("title: maroc", "maroc"),
        ("titre:", ""),
        ('tag:"" maroc', "maroc"),
        ('rubrique:"" maroc', "maroc"),
    ],
)
def test_compile_drops_empty_fields_and_bad_dates(text, same_as):
    assert compile_query(text).query == compile_query(same_as).query


@pytest.mark.parametrize(
    ("text", "expected_words"),
    [
        ("Diplomatie: Bourita", ["Diplomatie", "Bourita"]),
        ("Maroc:Rabat", ["Maroc", "Rabat"]),
        ("https://example.org/x", ["https", "//example.org/x"]),
    ],
)
def test_unknown_field_is_read_as_words_in_every_text_field(text, expected_words):
    compiled = compile_query(text)
    assert compiled.words == expected_words
    assert {field for field, _ in leaf_terms(compiled.query)} == set(TEXT_FIELDS)


def test_unknown_field_searches_like_the_same_words():
    assert compile_query("Diplomatie: Bourita").query == compile_query("Diplomatie Bourita").query


@pytest.mark.parametrize(
    ("text", "field", "terms"),
    [
        ("titre:Maroc", "title", {"maroc"}),
        ("auteur:Idrissi", "author", {"idriss"}),
        ('tag:"Sergueï Lavrov"', "tags", {"serguei", "lavrov"}),
    ],
)
def test_compile_field_searches_only_that_field(text, field, terms):
    found = leaf_terms(compile_query(text).query)
    assert {f for f, _ in found} == {field} and {t for _, t in found} == terms


def test_compile_rubric_is_an_exact_key():
    assert compile_query("rubrique:Économie").query == q.Term("category_key", "economie")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("date:2026-03", datetime(2026, 3, 1), datetime.combine(date(2026, 3, 31), time.max)),
        ("date:2026-03-06", datetime(2026, 3, 6), datetime.combine(date(2026, 3, 6), time.max)),
        ("date:2026-01..", datetime(2026, 1, 1), None),
        ("date:..2026-03", None, datetime.combine(date(2026, 3, 31), time.max)),
    ],
)
def test_compile_date_covers_whole_days(text, start, end):
    query = compile_query(text).query
    assert isinstance(query, q.DateRange) and query.fieldname == "published"
    assert (query.startdate, query.enddate) == (start, end)


# --- the compiled Whoosh query ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "terms", "exact"),
    [
        ("États-Unis", ["etat", "unis"], ["=etats", "=unis"]),
        ("Moyen-Orient", ["moyen", "orient"], ["=moyen", "=orient"]),
    ],
)
def test_compile_hyphenated_word_is_a_phrase_in_every_field(text, terms, exact):
    query = compile_query(text).query
    assert isinstance(query, q.Or)
    assert all(isinstance(sub, q.Sequence) for sub in query.subqueries)
    assert sorted(sub.subqueries[0].subqueries[0].fieldname for sub in query.subqueries) == sorted(TEXT_FIELDS)
    for sequence in query.subqueries:
        field = sequence.subqueries[0].subqueries[0].fieldname
        assert sequence.subqueries == [position(field, t, exact=e) for t, e in zip(terms, exact, strict=True)]


def test_compile_hyphenated_word_never_gives_loose_terms():
    query = compile_query("maroc États-Unis").query
    inside_sequences = {id(t) for n in nodes(query) if isinstance(n, q.Sequence) for t in nodes(n)}
    for term in (n for n in nodes(query) if isinstance(n, q.Term) and n.text in ("etat", "unis")):
        assert id(term) in inside_sequences


def test_compile_accented_word_ors_its_two_terms_in_each_field():
    query = compile_query("sécurité").query
    assert isinstance(query, q.Or) and len(query.subqueries) == len(TEXT_FIELDS)
    for alternatives in query.subqueries:
        field = alternatives.subqueries[0].fieldname
        assert alternatives == position(field, "secur", "securit", exact="=securite")


def test_compile_exact_form_is_folded_so_that_accents_do_not_matter():
    exact = {n.text for n in nodes(compile_query("Sécurité").query) if isinstance(n, q.Term) and is_exact(n.text)}
    assert exact == {"=securite"}


def test_compile_accented_and_plain_spellings_share_a_term():
    accented = {t for _, t in leaf_terms(compile_query("sécurité").query)}
    plain = {t for _, t in leaf_terms(compile_query("securite").query)}
    assert accented & plain


def test_compile_several_exclusions_alone_exclude_from_everything():
    query = compile_query("-maroc -gaza").query
    assert isinstance(query, q.And) and isinstance(query.subqueries[0], q.Every)
    assert all(isinstance(sub, q.Not) for sub in query.subqueries[1:])


@pytest.mark.parametrize(
    ("text", "highlights"),
    [
        ("maroc", [(None, [["maroc"]])]),
        ("sécurité", [(None, [["secur", "securit"]])]),
        ('"moyen orient"', [(None, [["moyen"], ["orient"]])]),
        ("titre:Maroc", [("title", [["maroc"]])]),
        ("maroc -gaza", [(None, [["maroc"]])]),
        ("maroc NOT gaza SAUF rabat", [(None, [["maroc"]])]),
        ('maroc -"moyen orient" -titre:doha', [(None, [["maroc"]])]),
        ("maroc -(gaza OR rabat)", [(None, [["maroc"]])]),
        ("-gaza", []),
        ("le la", []),
    ],
)
def test_compile_highlights_collect_positive_words_only(text, highlights):
    assert compile_query(text).highlights == highlights


def test_compile_prefixes_under_not_are_not_highlighted():
    assert compile_query("maroc -diplom*").prefixes == []


@pytest.mark.parametrize("text", ["le la les", "a AND de", '"de la"', "d' l'"])
def test_compile_only_stop_words_gives_no_query(text):
    assert compile_query(text).query is None


# --- hostile input -----------------------------------------------------------------

HOSTILE = [
    "",
    " ",
    '"',
    '""',
    "*",
    "AND",
    "OR OR",
    "NOT",
    "-",
    "--x",
    "((((",
    "))))",
    ")(",
    "( OR )",
    "NOT (",
    "-(",
    "title:",
    "date:",
    "date:..",
    "date:....",
    'tag:""',
    "tag:*",
    "rubrique:*",
    ":",
    "::maroc",
    "maroc " * 834,
    "é" * 5000,
    "\x00",
    "mar\x00oc",
    "\x01\x02\x1b[31m\x7f",
    "\t\n\r\x0b\x0c",
    "🇲🇦 🙂 maroc🙂 👨‍👩‍👧",
    "مرحبا بالعالم",
    "שלום עולם",
    "\u202e\u202dcoram\u200f",
    "\ud800",
    "\ufeffmaroc\u200b",
    "NOT " * 300 + "maroc",
    "-" * 1000 + "x",
    '"' * 999,
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_compile_hostile_input_never_raises(text):
    compiled = compile_query(text)
    assert compiled.query is None or isinstance(compiled.query, q.Query)
    assert compiled.tiers >= 0 and isinstance(compiled.words, list)


@pytest.mark.parametrize("text", ["", " ", '"', '""', "*", "AND", "OR OR", "NOT", "((((", "))))", "title:", 'tag:""'])
def test_compile_nothing_searchable_gives_no_query(text):
    assert compile_query(text).query is None


@pytest.mark.parametrize("text", ["(" * 400 + "maroc", "-(" * 300 + "maroc", "(" * 5000])
def test_compile_deeply_nested_parentheses_never_raise(text):
    compiled = compile_query(text)
    assert compiled.query is None or isinstance(compiled.query, q.Query)


@given(st.text())
def test_compile_never_raises(text):
    compiled = compile_query(text)
    assert compiled.query is None or isinstance(compiled.query, q.Query)


SYNTAX = st.sampled_from([*'()"-*: ', "ab", "2026", "..", "OR", "AND", "NOT", "SAUF", "titre:", "date:", "tag:", "É-U"])


@given(st.lists(SYNTAX, max_size=40).map("".join))
def test_compile_never_raises_on_query_syntax(text):
    compiled = compile_query(text)
    assert compiled.query is None or isinstance(compiled.query, q.Query)
