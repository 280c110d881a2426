"""Synonym lists: Solr's format read line by line, bad lines named, the shipped list sound."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.understanding import Synonyms, key_of, load_synonyms, shipped_synonyms
from search.understanding.synonyms import SHIPPED_NAME


def parse(text: str, source: str = "list.txt") -> Synonyms:
    synonyms = Synonyms()
    synonyms.read(text.encode("utf-8").splitlines(), source)
    return synonyms


def added(synonyms: Synonyms, typed: str) -> set[str]:
    return set(synonyms.lookup(key_of(typed)))


@pytest.mark.parametrize(
    ("line", "typed", "expected"),
    [
        # Equivalent terms: each adds the others.
        ("ONU, Nations unies", "ONU", {"Nations unies"}),
        ("ONU, Nations unies", "Nations unies", {"ONU"}),
        ("alpha, beta, gamma", "beta", {"alpha", "gamma"}),
        # One way: the left adds the right, never the reverse.
        ("Amérique => États-Unis", "Amérique", {"États-Unis"}),
        ("Amérique => États-Unis", "États-Unis", set()),
        ("UE, Union européenne => Europe", "Union européenne", {"Europe"}),
        # Matched as the analyzer reads words: case, accents, elisions, endings.
        ("ONU, Nations unies", "l'onu", {"Nations unies"}),
        ("Maroc, marocain", "MAROCAINES", {"Maroc"}),
        ("Égypte, égyptien", "egypte", {"égyptien"}),
        ("Mohammed VI, Mohamed VI", "mohammed  vi", {"Mohamed VI"}),
        # Stop words inside a name do not matter.
        ("CAN, Coupe d'Afrique des nations", "coupe afrique nations", {"CAN"}),
        # Spacing, and a comma escaped as in Solr.
        ("  alpha ,beta  ", "alpha", {"beta"}),
        (r"alpha\,beta, gamma", "alpha beta", {"gamma"}),
        # Two spellings the analyzer already makes one add nothing.
        ("Etats-Unis, États-Unis, USA", "Etats-Unis", {"USA"}),
    ],
)
def test_an_entry_adds_what_its_format_says(line, typed, expected):
    synonyms = parse(line)
    assert synonyms.problems == []
    assert added(synonyms, typed) == expected


def test_entries_for_one_word_add_up_in_the_order_of_the_list():
    synonyms = parse("Maroc, marocain\nMaroc => maroco-\n")
    assert synonyms.lookup(key_of("Maroc")) == ("marocain", "maroco-")
    assert len(synonyms) == 2


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("alpha => beta => gamma", "more than one '=>'"),
        ("=> beta", "nothing before '=>'"),
        ("alpha =>", "nothing after '=>'"),
        ("ONU", "alone has no synonym"),
        ("alpha,, beta", "an empty term"),
        ("alpha, beta,", "an empty term"),
        ("ONU, le", "'le' has no word to search"),
        ("ONU, ?!", "'?!' has no word to search"),
    ],
)
def test_a_bad_line_is_named_with_its_file_and_line_and_the_rest_applies(line, message):
    synonyms = parse(f"# my list\nOTAN, Nato\n{line}\nFMI, Fonds monétaire international\n", "/etc/kiosque/syn.txt")
    (problem,) = synonyms.problems
    assert str(problem).startswith("/etc/kiosque/syn.txt:3: ")
    assert message in str(problem)
    assert added(synonyms, "Nato") == {"OTAN"} and added(synonyms, "FMI") == {"Fonds monétaire international"}
    assert len(synonyms) == 2


def test_a_line_that_is_not_utf8_is_named_and_the_rest_applies(tmp_path: Path):
    path = tmp_path / "syn.txt"
    path.write_bytes("\ufeffOTAN, Nato\r\n".encode() + b"caf\xe9, bar\r\n" + b"# fin\r\nFMI, Fonds\r\n")
    synonyms = load_synonyms(path, shipped=False)
    assert [str(p) for p in synonyms.problems] == [f"{path}:2: not UTF-8 text"]
    assert added(synonyms, "OTAN") == {"Nato"} and added(synonyms, "FMI") == {"Fonds"}


def test_a_missing_file_is_one_problem_and_the_shipped_list_still_applies(tmp_path: Path):
    synonyms = load_synonyms(tmp_path / "absent.txt")
    (problem,) = synonyms.problems
    assert str(problem).startswith(f"{tmp_path / 'absent.txt'}: cannot read it")
    assert added(synonyms, "ONU") >= {"Nations unies"}


def test_the_operators_file_extends_the_shipped_list(tmp_path: Path):
    path = tmp_path / "maison.txt"
    path.write_text("ONU, machin\nBAM, banque centrale du Maroc\n", encoding="utf-8")
    synonyms = load_synonyms(path)
    assert {"Nations unies", "machin"} <= added(synonyms, "ONU")
    assert {"Bank Al-Maghrib", "banque centrale du Maroc"} <= added(synonyms, "BAM")
    assert synonyms.sources == [(SHIPPED_NAME, len(shipped_synonyms())), (str(path), 2)]
    assert f"{path} (2 entries)" in synonyms.summary()
    assert added(load_synonyms(path, shipped=False), "ONU") == {"machin"}


def test_runs_of_typed_words_match_the_longest_entry():
    synonyms = parse("Afrique, africain\nAfrique du Sud, sud-africain\nNations unies, ONU\n")
    keys = [key_of(word) for word in ["Afrique", "du", "Sud", "Nations", "unies"]]
    assert synonyms.match(keys, 0) == (3, ("sud-africain",))
    assert synonyms.match(keys, 3) == (5, ("ONU",))
    assert synonyms.match(keys, 1) == (1, ())  # a run never starts on a stop word's empty key
    assert synonyms.match([key_of("Afrique"), key_of("du")], 0) == (0, ())  # nor ends on one


def test_the_shipped_list_is_large_clean_and_each_entry_adds_something():
    synonyms = shipped_synonyms()
    assert synonyms.problems == []
    assert len(synonyms) >= 150
    from importlib import resources

    lines = resources.files("search.understanding").joinpath(SHIPPED_NAME).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if line.strip() and not line.startswith("#"):
            one = parse(line)
            # An entry whose words the analyzer already joins would add nothing: it is no synonym.
            assert any(one.lookup(key) for key in one._added), f"{SHIPPED_NAME}:{number}: {line!r} adds nothing"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ONU", {"Nations unies"}),
        ("UE", {"Union européenne"}),
        ("UA", {"Union africaine"}),
        ("OTAN", {"Nato"}),
        ("FMI", {"Fonds monétaire international"}),
        ("OMS", {"Organisation mondiale de la santé"}),
        ("BCE", {"Banque centrale européenne"}),
        ("CEDEAO", {"Ecowas"}),
        ("UEMOA", {"Union économique et monétaire ouest-africaine"}),
        ("OCI", {"Organisation de la coopération islamique"}),
        ("JO", {"Jeux olympiques"}),
        ("CAN", {"Coupe d'Afrique des nations"}),
        ("PIB", {"produit intérieur brut"}),
        ("SMIG", {"salaire minimum"}),
        ("BAM", {"Bank Al-Maghrib"}),
        ("USA", {"États-Unis", "américain"}),
        ("Amérique", {"États-Unis"}),
        ("Poutine", {"Putin"}),
        ("Zelensky", {"Zelenskyy", "Zelenski"}),
        ("Kadhafi", {"Gaddafi"}),
        ("Moubarak", {"Mubarak"}),
        ("Mohammed VI", {"Mohamed VI"}),
        ("Maroc", {"marocain", "maroco-"}),
        ("Russie", {"russo-"}),
        ("France", {"franco-"}),
        ("Algérie", {"algérien", "algéro-"}),
    ],
)
def test_the_shipped_list_holds_what_news_readers_type(typed, expected):
    assert expected <= added(shipped_synonyms(), typed)


def test_the_adjective_halves_of_compounds_are_searched_by_their_country():
    # « maroco-russe » is read as « maroco » and « russe »: Maroc must reach the first half.
    assert key_of("maroco-") in {key_of(s) for s in shipped_synonyms().lookup(key_of("Maroc"))}
    assert key_of("franco-algérien") == key_of("franco") + key_of("algérien")
