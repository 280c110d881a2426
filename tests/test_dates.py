"""Dates written in words: which become a period, which stay words, counted from a fixed today."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from search.request import Period
from search.understanding import Understanding, french_period, read_dates, time_zone

TODAY = date(2026, 3, 6)  # a Friday

D = date


@pytest.mark.parametrize(
    ("query", "text", "start", "end"),
    [
        # A month and year.
        ("Trump septembre 2017", "Trump", D(2017, 9, 1), D(2017, 9, 30)),
        ("séisme sept. 2023", "séisme", D(2023, 9, 1), D(2023, 9, 30)),
        ("Septembre 2017 Trump", "Trump", D(2017, 9, 1), D(2017, 9, 30)),
        ("inondations fev 2024", "inondations", D(2024, 2, 1), D(2024, 2, 29)),
        ("séisme en septembre 2023", "séisme", D(2023, 9, 1), D(2023, 9, 30)),
        # A day.
        ("Bourita 6 mars 2026", "Bourita", D(2026, 3, 6), D(2026, 3, 6)),
        ("le 1er mars 2026 budget", "budget", D(2026, 3, 1), D(2026, 3, 1)),
        ("Lavrov 06/03/2026", "Lavrov", D(2026, 3, 6), D(2026, 3, 6)),
        ("6/3/2026", "", D(2026, 3, 6), D(2026, 3, 6)),
        ("2026-03-06 Lavrov", "Lavrov", D(2026, 3, 6), D(2026, 3, 6)),
        ("attentats 11 septembre 2001", "attentats", D(2001, 9, 11), D(2001, 9, 11)),
        # After en, depuis, avant, après.
        ("Macron en 2017", "Macron", D(2017, 1, 1), D(2017, 12, 31)),
        ("pluies en mars", "pluies", D(2026, 3, 1), D(2026, 3, 31)),
        ("pluies en avril", "pluies", D(2025, 4, 1), D(2025, 4, 30)),  # the latest April that has begun
        ("tramway depuis janvier", "tramway", D(2026, 1, 1), None),
        ("depuis 2017 Sahel", "Sahel", D(2017, 1, 1), None),
        ("depuis le 3 mars", "", D(2026, 3, 3), None),
        ("barrages avant 2020", "barrages", None, D(2019, 12, 31)),
        ("avant mars 2024", "", None, D(2024, 2, 29)),
        ("après 2020", "", D(2021, 1, 1), None),
        # Ranges.
        ("entre mars et mai 2017", "", D(2017, 3, 1), D(2017, 5, 31)),
        ("entre 2015 et 2017 CAN", "CAN", D(2015, 1, 1), D(2017, 12, 31)),
        ("entre novembre et février 2018", "", D(2017, 11, 1), D(2018, 2, 28)),
        ("du 3 au 10 mars 2026", "", D(2026, 3, 3), D(2026, 3, 10)),
        ("entre le 3 et le 10 mars 2026", "", D(2026, 3, 3), D(2026, 3, 10)),
        ("du 28 février au 3 mars 2026", "", D(2026, 2, 28), D(2026, 3, 3)),
        ("de 2015 à 2017", "", D(2015, 1, 1), D(2017, 12, 31)),
        ("salon d'avril à juin 2017", "salon", D(2017, 4, 1), D(2017, 6, 30)),
        # Relative dates, from today.
        ("aujourd'hui", "", TODAY, TODAY),
        ("aujourd’hui Rabat", "Rabat", TODAY, TODAY),
        ("Lavrov hier", "Lavrov", D(2026, 3, 5), D(2026, 3, 5)),
        ("avant-hier", "", D(2026, 3, 4), D(2026, 3, 4)),
        ("cette semaine", "", D(2026, 3, 2), D(2026, 3, 8)),
        ("la semaine dernière", "", D(2026, 2, 23), D(2026, 3, 1)),
        ("semaine passée Gaza", "Gaza", D(2026, 2, 23), D(2026, 3, 1)),
        ("ce mois-ci", "", D(2026, 3, 1), D(2026, 3, 31)),
        ("le mois dernier", "", D(2026, 2, 1), D(2026, 2, 28)),
        ("cette année", "", D(2026, 1, 1), D(2026, 12, 31)),
        ("l'an dernier", "", D(2025, 1, 1), D(2025, 12, 31)),
        ("l’année dernière tourisme", "tourisme", D(2025, 1, 1), D(2025, 12, 31)),
        ("depuis hier", "", D(2026, 3, 5), None),
        # In a question, only the relative dates are read.
        ("Qu'a dit Lavrov hier ?", "Qu'a dit Lavrov ?", D(2026, 3, 5), D(2026, 3, 5)),
    ],
)
def test_a_date_in_words_becomes_the_period_and_leaves_the_words(query, text, start, end):
    reading = read_dates(query, TODAY)
    assert reading is not None, query
    assert (reading.text, reading.period) == (text, Period(start, end))
    assert query[reading.start : reading.end] == reading.words


@pytest.mark.parametrize(
    "query",
    [
        "Mondial 2030",  # a year alone is a name
        "2017",
        "PLF 2026",
        "COP30",  # numbers glued to letters
        "G20",
        "5G Maroc",
        "Printemps de Bourges",
        "rue du 4 Septembre",  # a day and month without a year
        "14 juillet",
        "appel du 18 juin",
        "septembre",  # a month alone
        "Octobre rouge",
        "Mai 68",  # a two-digit year
        "en 1789",  # outside 1900-2099
        "saison 2017-2018",  # years joined
        "2017/2018",
        '"septembre 2017"',  # quoted, searched as typed
        'Trump "septembre 2017"',
        "titre:septembre 2017",  # a field's value
        "-septembre 2017",  # excluded
        "Trump NOT septembre 2017",
        "Trump OR septembre 2017",
        "31 février 2026",  # no such day
        "Coupe du monde de 2018 à Moscou",
        "le monde d'hier",  # elided: a word
        "entre 3 et 10",
        "Qui était le maire de Shanghai en 2010 ?",  # a question asks about 2010
        "combien de listes en 2008",
    ],
)
def test_names_and_numbers_stay_words(query):
    assert read_dates(query, TODAY) is None


def test_only_the_first_date_is_read():
    reading = read_dates("hier septembre 2017", TODAY)
    assert reading is not None and reading.words == "hier" and reading.text == "septembre 2017"


@pytest.mark.parametrize(
    ("period", "label"),
    [
        (Period(D(2017, 9, 1), D(2017, 9, 30)), "septembre 2017"),
        (Period(D(2017, 1, 1), D(2017, 12, 31)), "2017"),
        (Period(D(2026, 3, 1), D(2026, 3, 1)), "1er mars 2026"),
        (Period(D(2026, 3, 3), D(2026, 3, 10)), "du 3 au 10 mars 2026"),
        (Period(D(2026, 2, 28), D(2026, 3, 3)), "du 28 février au 3 mars 2026"),
        (Period(D(2025, 12, 29), D(2026, 1, 4)), "du 29 décembre 2025 au 4 janvier 2026"),
        (Period(D(2017, 3, 1), D(2017, 5, 31)), "de mars à mai 2017"),
        (Period(D(2017, 4, 1), D(2017, 6, 30)), "d’avril à juin 2017"),
        (Period(D(2015, 1, 1), D(2017, 12, 31)), "de 2015 à 2017"),
        (Period(D(2026, 1, 1), None), "depuis 2026"),
        (Period(D(2026, 3, 1), None), "depuis mars 2026"),
        (Period(D(2026, 3, 5), None), "depuis le 5 mars 2026"),
        (Period(None, D(2019, 12, 31)), "jusqu’à fin 2019"),
        (Period(None, D(2024, 2, 29)), "jusqu’à fin février 2024"),
        (Period(None, D(2026, 3, 5)), "jusqu’au 5 mars 2026"),
    ],
)
def test_periods_are_said_in_french(period, label):
    assert french_period(period) == label


def test_today_is_the_sites_day_in_its_time_zone():
    late_evening = datetime(2026, 6, 10, 23, 30, tzinfo=timezone.utc)
    casablanca = Understanding(zone=time_zone("Africa/Casablanca"), clock=lambda: late_evening)
    new_york = Understanding(zone=time_zone("America/New_York"), clock=lambda: late_evening)
    assert casablanca.today() == D(2026, 6, 11)
    assert new_york.today() == D(2026, 6, 10)
    assert casablanca.read_dates("hier").period == Period(D(2026, 6, 10), D(2026, 6, 10))
    assert new_york.read_dates("hier").period == Period(D(2026, 6, 9), D(2026, 6, 9))


def test_an_unknown_time_zone_is_named():
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        time_zone("Mars/Olympus")
