"""The documentation a user reads agrees with the code: docs/articles.md is checked against the readers."""

from __future__ import annotations

import dataclasses
import re
import subprocess

import pytest

from search.jsonlines import _TEXT_FIELDS, parse_json_article
from search.textformat import parse_text_article

from .conftest import ROOT

ARTICLES_DOC = (ROOT / "docs" / "articles.md").read_text(encoding="utf-8")


def fenced(language: str) -> str:
    """The first code block of the article formats page in ``language``."""
    return re.search(rf"```{language}\n(.*?)```", ARTICLES_DOC, re.S).group(1)


def section(title: str) -> str:
    return re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", ARTICLES_DOC, re.S | re.M).group(1)


def test_the_example_article_reads_the_same_in_both_formats():
    text = parse_text_article(fenced("text"), "2026/04/essaouira", "essaouira.txt")
    record = parse_json_article(fenced("json").strip(), "essaouira.jsonl", 1)
    # Every part of the example is used, so that the page shows each of them.
    assert all([text.caption, text.lede, text.author, text.published.minute, text.tags, text.related, text.category])
    assert len(text.paragraphs) == 2 and len(text.authors) == 2
    ignored = {"id", "source"}
    as_text = {k: v for k, v in dataclasses.asdict(text).items() if k not in ignored}
    as_json = {k: v for k, v in dataclasses.asdict(record).items() if k not in ignored}
    assert as_text == as_json


def test_the_json_lines_table_lists_every_field_the_reader_reads():
    documented = re.findall(r"^\| `(\w+)` \|", section("JSON Lines"), re.M)
    assert sorted(documented) == sorted({"id", "published", "tags", "related", *_TEXT_FIELDS})


def test_every_reason_in_the_table_of_broken_articles_is_one_the_code_gives():
    rows = [line for line in section("Articles that break a rule").splitlines() if line.startswith("| ")][1:]
    reasons = [re.findall(r"`([^`]+)`", row.rsplit("|", 2)[1]) for row in rows]
    assert len(reasons) >= 20 and all(len(r) == 1 for r in reasons)
    code = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "search").glob("*.py"))
    assert [r for (r,) in reasons if r not in code] == []


def tracked_files():
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [ROOT / name for name in listed.splitlines()]


# Only what reads real articles from the shared corpus may name where it is.
READS_THE_SHARED_CORPUS = {"tests/conftest.py", "tests/test_corpus.py", "bench/common.py", "bench/relevance.py"}
OUTSIDE = "/".join(("..", "shared"))  # spelt so that this file does not name it


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout")
def test_no_file_sends_a_user_outside_the_repository():
    outside = []
    for path in tracked_files():
        if path.relative_to(ROOT).as_posix() in READS_THE_SHARED_CORPUS or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if OUTSIDE in text:
            outside.append(path.relative_to(ROOT).as_posix())
    assert outside == []
