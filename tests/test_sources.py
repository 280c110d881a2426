"""Tests of where articles are read from (search/sources.py)."""

from __future__ import annotations

import io
import json
import os
import sys
import types
from pathlib import Path

import pytest

from search.article import MAX_ARTICLE_BYTES, Article, ArticleError
from search.sources import read_sources

FIXTURES = Path(__file__).parent / "fixtures" / "readers"


def text_article(title: str) -> str:
    return f"date 2026-03-06 Politique\n\n{title}\n\nPar Inès Haddad\nLe 06/03/2026 à 18h06\n\nLe corps de l’article.\n"


def json_record(article_id: str, title: str) -> str:
    return json.dumps({"id": article_id, "title": title}, ensure_ascii=False) + "\n"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def read(*sources: Path | str) -> list[Article | ArticleError]:
    return list(read_sources([str(source) for source in sources]))


def articles(results: list[Article | ArticleError]) -> list[Article]:
    return [result for result in results if isinstance(result, Article)]


def errors(results: list[Article | ArticleError]) -> list[ArticleError]:
    return [result for result in results if isinstance(result, ArticleError)]


def ids(results: list[Article | ArticleError]) -> list[str]:
    return [result.id for result in articles(results)]


def test_read_sources_reads_a_folder_recursively_with_ids_from_relative_paths(tmp_path):
    root = tmp_path / "le360"
    write(root / "2026" / "03" / "bourita-lavrov.txt", text_article("Entretien téléphonique entre deux ministres"))
    write(root / "2026" / "04" / "pluies.txt", text_article("Retour des pluies dans le Rif"))
    write(root / "une.txt", text_article("La une du jour"))

    results = read(root)

    assert errors(results) == []
    assert sorted(ids(results)) == ["2026/03/bourita-lavrov", "2026/04/pluies", "une"]
    by_id = {article.id: article for article in articles(results)}
    assert by_id["2026/03/bourita-lavrov"].title == "Entretien téléphonique entre deux ministres"
    assert by_id["2026/03/bourita-lavrov"].source == str(root / "2026" / "03" / "bourita-lavrov.txt")


def test_read_sources_gives_a_single_file_its_stem_as_id(tmp_path):
    path = write(tmp_path / "2026" / "03" / "bourita-lavrov.txt", text_article("Un titre"))

    results = read(path)

    assert ids(results) == ["bourita-lavrov"]


def test_read_sources_reads_the_fixture_article(tmp_path):
    path = tmp_path / "oulmes.txt"
    path.write_bytes((FIXTURES / "complete.txt").read_bytes())

    (result,) = read(path)

    assert isinstance(result, Article)
    assert result.id == "oulmes"
    assert result.author == "Salma Benali"
    assert result.tags == ["Agriculture", "Irrigation au goutte-à-goutte", "Économie rurale", "Oulmès"]


def test_read_sources_reads_text_and_json_lines_in_one_folder(tmp_path):
    write(tmp_path / "texte.txt", text_article("Un article en texte"))
    write(tmp_path / "lot.jsonl", json_record("j-1", "Premier en JSON") + json_record("j-2", "Second en JSON"))

    results = read(tmp_path)

    assert errors(results) == []
    assert sorted(ids(results)) == ["j-1", "j-2", "texte"]
    by_id = {article.id: article for article in articles(results)}
    assert by_id["j-2"].title == "Second en JSON"
    assert by_id["j-2"].source == f"{tmp_path / 'lot.jsonl'}:2"
    assert by_id["texte"].title == "Un article en texte"


def test_read_sources_reads_a_json_lines_file_given_directly(tmp_path):
    path = write(tmp_path / "lot.jsonl", (FIXTURES / "articles.jsonl").read_bytes())

    assert ids(read(path)) == ["kiosque-0001", "kiosque-0002"]


@pytest.mark.parametrize(
    "ignored",
    [
        "README.md",
        "notes.txt.bak",
        "photo.jpg",
        ".brouillon.txt",
        ".cache/ancien.txt",
        ".git/lot.jsonl",
        "2026/.tmp/copie.txt",
        "2026/.lot.jsonl",
    ],
)
def test_read_sources_ignores_other_and_hidden_files_inside_folders(tmp_path, ignored):
    write(tmp_path / "2026" / "gardé.txt", text_article("Article gardé"))
    write(tmp_path / ignored, "n’importe quoi qui ne se lit pas\x00")

    results = read(tmp_path)

    assert errors(results) == []
    assert ids(results) == ["2026/gardé"]


@pytest.mark.parametrize("name", ["README.md", "article.html", "sans-extension"])
def test_read_sources_refuses_a_named_file_of_unknown_format(tmp_path, name):
    path = write(tmp_path / name, text_article("Un titre"))

    (error,) = read(path)

    assert isinstance(error, ArticleError)
    assert str(error).startswith(f"{path}: ")
    assert "unknown format" in str(error)


def test_read_sources_reports_a_path_that_does_not_exist(tmp_path):
    missing = tmp_path / "archives" / "2019"
    write(tmp_path / "bon.txt", text_article("Un bon article"))

    results = read(missing, tmp_path / "bon.txt")

    assert len(results) == 2
    assert isinstance(results[0], ArticleError)
    assert str(results[0]) == f"{missing}: no such file or folder"
    assert ids(results) == ["bon"]


def test_read_sources_yields_a_broken_file_error_and_every_good_article(tmp_path):
    write(tmp_path / "a.txt", text_article("Premier"))
    write(tmp_path / "b.txt", "date 2026-02-30 Politique\n\nUn titre\n")
    write(tmp_path / "c.txt", b"date 2026-03-06 Politique\n\nCaf\xe9\n")
    write(tmp_path / "d.txt", text_article("Dernier"))

    results = read(tmp_path)

    assert ids(results) == ["a", "d"]
    broken = errors(results)
    assert [str(error).split(": ")[0] for error in broken] == [f"{tmp_path / 'b.txt'}:1", f"{tmp_path / 'c.txt'}:3"]
    assert "2026-02-30" in str(broken[0])
    assert "not UTF-8" in str(broken[1])
    assert [error.article_id for error in broken] == ["b", "c"]


def test_read_sources_gives_the_id_of_a_broken_text_file(tmp_path):
    write(tmp_path / "2026" / "03" / "vide.txt", "")

    (error,) = read(tmp_path)

    assert isinstance(error, ArticleError)
    assert error.article_id == "2026/03/vide"
    assert str(error) == f"{tmp_path / '2026' / '03' / 'vide.txt'}: empty file"


def test_read_sources_refuses_a_file_too_large(tmp_path):
    big = tmp_path / "2026" / "enorme.txt"
    big.parent.mkdir()
    with big.open("wb") as stream:
        stream.write(b"date 2026-03-06 Politique\n\nUn titre\n")
        stream.truncate(MAX_ARTICLE_BYTES + 1)
    write(tmp_path / "2026" / "normal.txt", text_article("Un article normal"))

    results = read(tmp_path)

    assert ids(results) == ["2026/normal"]
    (error,) = errors(results)
    assert str(error).startswith(f"{big}: ")
    assert "too large" in str(error)
    assert error.article_id == "2026/enorme"


def test_read_sources_accepts_a_file_of_exactly_the_size_limit(tmp_path):
    path = tmp_path / "limite.txt"
    with path.open("wb") as stream:
        stream.write(text_article("Tout juste").encode())
        stream.write(b"\n" * (MAX_ARTICLE_BYTES - stream.tell()))

    assert ids(read(path)) == ["limite"]


@pytest.mark.timeout(20)
def test_read_sources_reports_a_symlink_loop_once(tmp_path):
    root = tmp_path / "corpus"
    write(root / "a" / "x.txt", text_article("Dans a"))
    write(root / "b" / "y.txt", text_article("Dans b"))
    os.symlink("..", root / "a" / "retour")

    results = read(root)

    assert sorted(ids(results)) == ["a/x", "b/y"]
    (error,) = errors(results)
    assert str(error).startswith(str(root / "a" / "retour"))
    assert "loop" in str(error)


@pytest.mark.timeout(20)
def test_read_sources_reports_a_folder_linking_to_itself_once(tmp_path):
    write(tmp_path / "x.txt", text_article("Un titre"))
    os.symlink(".", tmp_path / "ici")

    results = read(tmp_path)

    assert ids(results) == ["x"]
    assert len(errors(results)) == 1
    assert "loop" in str(errors(results)[0])


def test_read_sources_reads_a_real_folder_under_its_own_name_despite_an_alias(tmp_path):
    write(tmp_path / "mars" / "article.txt", text_article("Un titre"))
    os.symlink("mars", tmp_path / "dernier")  # "dernier" sorts before "mars"

    results = read(tmp_path)

    assert "mars/article" in ids(results)
    assert not any(str(error).startswith(str(tmp_path / "mars")) for error in errors(results))


@pytest.mark.parametrize("name", ["mort.txt", "mort.jsonl"])
def test_read_sources_reports_a_broken_symlink_in_a_folder(tmp_path, name):
    write(tmp_path / "bon.txt", text_article("Un bon article"))
    os.symlink(tmp_path / "disparu" / name, tmp_path / name)

    results = read(tmp_path)

    assert ids(results) == ["bon"]
    (error,) = errors(results)
    assert str(error).startswith(f"{tmp_path / name}: ")
    assert "cannot read" in str(error)


def test_read_sources_reports_a_broken_symlink_given_directly(tmp_path):
    link = tmp_path / "mort.txt"
    os.symlink(tmp_path / "disparu.txt", link)

    (error,) = read(link)

    assert isinstance(error, ArticleError)
    assert str(error).startswith(f"{link}: ")


def test_read_sources_reads_json_lines_from_stdin(monkeypatch):
    data = (
        b"\xef\xbb\xbf"
        + json_record("s-1", "Depuis l’entrée standard").encode()
        + b"\n{pas du json\n"
        + json_record("s-2", "Encore").encode()
    )
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(buffer=io.BytesIO(data)))

    results = list(read_sources(["-"]))

    assert ids(results) == ["s-1", "s-2"]
    assert articles(results)[0].title == "Depuis l’entrée standard"
    (error,) = errors(results)
    assert str(error).startswith("<stdin>:3: invalid JSON")


def test_read_sources_reads_stdin_between_other_sources(tmp_path, monkeypatch):
    write(tmp_path / "avant.txt", text_article("Avant"))
    write(tmp_path / "après.txt", text_article("Après"))
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(buffer=io.BytesIO(json_record("s-1", "Milieu").encode())))

    results = read(tmp_path / "avant.txt", "-", tmp_path / "après.txt")

    assert ids(results) == ["avant", "s-1", "après"]


def test_read_sources_order_is_sorted_and_does_not_depend_on_creation_order(tmp_path):
    names = ["2026/03/zeta.txt", "2025/12/alpha.txt", "2026/03/beta.txt", "2026/01/gamma.txt", "2025/12/omega.txt"]
    for name in names:
        write(tmp_path / "un" / name, text_article(name))
    for name in reversed(names):
        write(tmp_path / "deux" / name, text_article(name))

    first = ids(read(tmp_path / "un"))
    second = ids(read(tmp_path / "deux"))

    expected = ["2025/12/alpha", "2025/12/omega", "2026/01/gamma", "2026/03/beta", "2026/03/zeta"]
    assert first == expected
    assert second == expected
    assert ids(read(tmp_path / "un")) == first


def test_read_sources_reads_the_files_of_a_folder_in_name_order(tmp_path):
    for name in ["c.txt", "a.jsonl", "b.txt"]:
        content = json_record("a-json", "JSON") if name.endswith(".jsonl") else text_article(name)
        write(tmp_path / name, content)

    assert ids(read(tmp_path)) == ["a-json", "b", "c"]
