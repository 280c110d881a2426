"""Search requests: parameters as a query string gives them, validated once, bad ones named."""

from __future__ import annotations

from datetime import date

import pytest

from search.request import InvalidParameter, Period, SearchRequest, parse_period, parse_request

# --- defaults and shapes of input ---------------------------------------------


@pytest.mark.parametrize("params", [{}, [], {"q": []}, {"page": [""], "sort": [" "]}])
def test_parse_request_defaults(params):
    request = parse_request(params)
    assert request == SearchRequest()
    assert (request.q, request.page, request.per_page, request.sort, request.recency) == ("", 1, 10, "relevance", True)
    assert (request.tags, request.category, request.author, request.period) == ((), None, None, None)
    assert not request.has_filters


def test_parse_request_reads_every_parameter():
    request = parse_request(
        {
            "q": ["diplomatie marocaine"],
            "tag": ["Gaza"],
            "category": ["Monde"],
            "author": ["Salma Idrissi"],
            "from": ["2026-01"],
            "to": ["2026-03"],
            "sort": ["newest"],
            "page": ["3"],
            "per_page": ["25"],
            "recency": ["0"],
        }
    )
    assert request == SearchRequest(
        q="diplomatie marocaine",
        tags=("Gaza",),
        category="Monde",
        author="Salma Idrissi",
        period=Period(date(2026, 1, 1), date(2026, 3, 31)),
        sort="newest",
        page=3,
        per_page=25,
        recency=False,
    )
    assert request.has_filters


def test_parse_request_takes_pairs_like_a_mapping_of_lists():
    pairs = [("q", "maroc"), ("tag", "Gaza"), ("page", "2"), ("tag", "Climat")]
    assert parse_request(pairs) == parse_request({"q": ["maroc"], "tag": ["Gaza", "Climat"], "page": ["2"]})


def test_parse_request_repeated_tags_are_kept_once_in_order():
    request = parse_request([("tag", "Gaza"), ("tag", " Maroc "), ("tag", "Gaza"), ("tag", "  ")])
    assert request.tags == ("Gaza", "Maroc")


def test_parse_request_ignores_unknown_parameters():
    assert parse_request({"utm_source": ["lettre"], "fbclid": ["x"], "q": ["maroc"]}) == SearchRequest(q="maroc")


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("page", "2", 2),
        ("page", " 2 ", 2),
        ("page", "+3", 3),
        ("page", "10000", 10_000),
        ("per_page", "1", 1),
        ("per_page", "100", 100),
        ("sort", "newest", "newest"),
        ("sort", "oldest", "oldest"),
        ("sort", "relevance", "relevance"),
        ("recency", "0", False),
        ("recency", "false", False),
        ("recency", "1", True),
        ("recency", "true", True),
        ("category", " Monde ", "Monde"),
    ],
)
def test_parse_request_accepts_good_values(name, value, expected):
    assert getattr(parse_request({name: [value]}), name) == expected


# --- bad parameters are named -------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"page": ["0"]}, "page"),
        ({"page": ["-1"]}, "page"),
        ({"page": ["abc"]}, "page"),
        ({"page": ["1.5"]}, "page"),
        ({"page": ["10001"]}, "page"),
        ({"page": ["9" * 30]}, "page"),
        ({"per_page": ["0"]}, "per_page"),
        ({"per_page": ["101"]}, "per_page"),
        ({"per_page": ["1000"]}, "per_page"),
        ({"per_page": ["dix"]}, "per_page"),
        ({"sort": ["foo"]}, "sort"),
        ({"sort": ["NEWEST"]}, "sort"),
        ({"from": ["yesterday"]}, "from"),
        ({"from": ["26"]}, "from"),
        ({"from": ["2026/03/06"]}, "from"),
        ({"to": ["2026-13"]}, "to"),
        ({"to": ["2026-02-30"]}, "to"),
        ({"to": ["2026-00"]}, "to"),
        ({"from": ["2026-03"], "to": ["2026-01"]}, "to"),
        ({"from": ["2026-03-07"], "to": ["2026-03-06"]}, "to"),
        ({"recency": ["maybe"]}, "recency"),
        ({"recency": ["2"]}, "recency"),
        ({"category": ["Monde", "Sport"]}, "category"),
        ({"author": ["Salma Idrissi", "Karim Benali"]}, "author"),
        ({"page": ["1", "2"]}, "page"),
        ({"q": ["maroc"], "sort": ["newest"], "per_page": ["101"]}, "per_page"),
    ],
)
def test_parse_request_names_the_bad_parameter(params, param):
    with pytest.raises(InvalidParameter) as raised:
        parse_request(params)
    assert raised.value.param == param
    assert str(raised.value).startswith(f"{param}: ")


def test_invalid_parameter_is_a_value_error():
    with pytest.raises(ValueError):
        parse_request({"page": ["abc"]})


def test_parse_request_blank_duplicate_is_not_a_second_value():
    assert parse_request({"category": ["Monde", " "]}).category == "Monde"


def test_with_changes_validates_again():
    request = parse_request({"q": ["maroc"], "page": ["2"]})
    assert request.with_changes(page=3) == SearchRequest(q="maroc", page=3)
    with pytest.raises(InvalidParameter) as raised:
        request.with_changes(page=0)
    assert raised.value.param == "page"


# --- dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "period"),
    [
        ({"from": ["2026"]}, Period(date(2026, 1, 1), None)),
        ({"from": ["2026-03"]}, Period(date(2026, 3, 1), None)),
        ({"from": ["2026-03-06"]}, Period(date(2026, 3, 6), None)),
        ({"from": ["2026-3-6"]}, Period(date(2026, 3, 6), None)),
        ({"to": ["2026"]}, Period(None, date(2026, 12, 31))),
        ({"to": ["2026-03"]}, Period(None, date(2026, 3, 31))),
        ({"to": ["2026-02"]}, Period(None, date(2026, 2, 28))),
        ({"to": ["2024-02"]}, Period(None, date(2024, 2, 29))),
        ({"to": ["2026-04"]}, Period(None, date(2026, 4, 30))),
        ({"to": ["2026-03-06"]}, Period(None, date(2026, 3, 6))),
        ({"from": ["2026-03"], "to": ["2026-03"]}, Period(date(2026, 3, 1), date(2026, 3, 31))),
        ({"from": ["2026-03-06"], "to": ["2026-03-06"]}, Period(date(2026, 3, 6), date(2026, 3, 6))),
        ({"from": ["2025"], "to": ["2026-02"]}, Period(date(2025, 1, 1), date(2026, 2, 28))),
    ],
)
def test_parse_request_from_and_to_cover_whole_spans(params, period):
    assert parse_request(params).period == period


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2026", Period(date(2026, 1, 1), date(2026, 12, 31))),
        ("2026-03", Period(date(2026, 3, 1), date(2026, 3, 31))),
        ("2026-03-06", Period(date(2026, 3, 6), date(2026, 3, 6))),
        ("2026-01..2026-03", Period(date(2026, 1, 1), date(2026, 3, 31))),
        ("2026-01..", Period(date(2026, 1, 1), None)),
        ("..2026-03", Period(None, date(2026, 3, 31))),
    ],
)
def test_parse_period(text, period):
    assert parse_period(text) == period


@pytest.mark.parametrize("text", ["hier", "2026-13", "2026-03..2026-01", "2026-01..mars"])
def test_parse_period_rejects_bad_dates(text):
    with pytest.raises(InvalidParameter) as raised:
        parse_period(text, "date")
    assert raised.value.param == "date"


@pytest.mark.parametrize(
    ("period", "label"),
    [
        (Period(date(2026, 1, 1), date(2026, 12, 31)), "2026"),
        (Period(date(2026, 3, 1), date(2026, 3, 31)), "2026-03"),
        (Period(date(2024, 2, 1), date(2024, 2, 29)), "2024-02"),
        (Period(date(2026, 3, 6), date(2026, 3, 6)), "2026-03-06"),
        (Period(date(2026, 1, 1), date(2026, 3, 31)), "2026-01-01..2026-03-31"),
        (Period(date(2026, 3, 2), date(2026, 3, 31)), "2026-03-02..2026-03-31"),
        (Period(date(2026, 3, 1), date(2026, 3, 30)), "2026-03-01..2026-03-30"),
        (Period(date(2025, 1, 1), date(2026, 12, 31)), "2025-01-01..2026-12-31"),
        (Period(date(2026, 1, 1), None), "2026-01-01.."),
        (Period(None, date(2026, 3, 31)), "..2026-03-31"),
    ],
)
def test_period_label(period, label):
    assert period.label() == label


@pytest.mark.parametrize("text", ["2026", "2026-03", "2026-02", "2026-03-06", "2026-01..2026-03", "2026-01-01.."])
def test_period_label_round_trips_through_parse_period(text):
    period = parse_period(text)
    assert parse_period(period.label()) == period


@pytest.mark.parametrize(
    ("period", "day", "inside"),
    [
        (Period(date(2026, 3, 1), date(2026, 3, 31)), date(2026, 3, 1), True),
        (Period(date(2026, 3, 1), date(2026, 3, 31)), date(2026, 3, 31), True),
        (Period(date(2026, 3, 1), date(2026, 3, 31)), date(2026, 3, 15), True),
        (Period(date(2026, 3, 1), date(2026, 3, 31)), date(2026, 2, 28), False),
        (Period(date(2026, 3, 1), date(2026, 3, 31)), date(2026, 4, 1), False),
        (Period(date(2026, 3, 1), None), date(2099, 1, 1), True),
        (Period(date(2026, 3, 1), None), date(2026, 2, 28), False),
        (Period(None, date(2026, 3, 31)), date(1990, 1, 1), True),
        (Period(None, date(2026, 3, 31)), date(2026, 4, 1), False),
        (Period(), date(2026, 3, 6), True),
        # An undated article is in no period, not even an open one.
        (Period(date(2026, 3, 1), date(2026, 3, 31)), None, False),
        (Period(), None, False),
    ],
)
def test_period_contains(period, day, inside):
    assert period.contains(day) is inside


# --- the query text ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("  diplomatie  ", "diplomatie"),
        ("mar\x00oc", "mar oc"),
        ("a\x1fb\x7fc\x1bd", "a b c d"),
        ("Sécurité\u200bmaroc", "Sécurité maroc"),
        ("\x00\x01maroc\x02", "maroc"),
        # Tabs and newlines are whitespace a form may send: kept.
        ("maroc\tgaza\nrabat", "maroc\tgaza\nrabat"),
        ("🇲🇦 مرحبا", "🇲🇦 مرحبا"),
    ],
)
def test_parse_request_replaces_control_characters_in_q(q, expected):
    assert parse_request({"q": [q]}).q == expected


def test_parse_request_joins_repeated_q():
    assert parse_request([("q", "diplomatie"), ("q", "maroc")]).q == "diplomatie maroc"


@pytest.mark.parametrize("length", [999, 1000])
def test_parse_request_takes_q_up_to_1000_characters(length):
    assert parse_request({"q": ["é" * length]}).q == "é" * length
    assert parse_request({"q": ["  " + "x" * length + "\n"]}).q == "x" * length  # surrounding spaces do not count


@pytest.mark.parametrize("length", [1001, 5000, 100_000])
def test_parse_request_refuses_q_over_1000_characters_naming_it(length):
    with pytest.raises(InvalidParameter) as caught:
        parse_request({"q": ["é" * length]})
    assert caught.value.param == "q" and "1000" in caught.value.message
