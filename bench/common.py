"""What the benchmarks share: the corpus, the plain-Whoosh baseline, timing helpers."""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from whoosh import index  # noqa: E402
from whoosh.analysis import StemmingAnalyzer  # noqa: E402
from whoosh.fields import ID, STORED, TEXT, Schema  # noqa: E402
from whoosh.qparser import MultifieldParser  # noqa: E402

from search.article import Article  # noqa: E402
from search.sources import read_sources  # noqa: E402

# The team's shared corpus, when it sits beside the checkout.
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"


def add_corpus_argument(parser: argparse.ArgumentParser) -> None:
    """The ``--corpus`` option every benchmark takes."""
    default = SHARED_CORPUS if SHARED_CORPUS.is_dir() else None
    parser.add_argument(
        "--corpus",
        type=Path,
        default=default,
        help=f"folder of .txt and .jsonl articles, read recursively (default: {default or 'none'})",
    )


def corpus_sources(corpus: Path | None, script: str) -> list[str]:
    """The sources of a corpus folder; exits with one line when there is no corpus.

    The shared corpus repeats its text articles in ``jsonl/``: there, only
    ``articles/`` and BBC Afrique (JSON Lines only) are read.
    """
    if corpus is None:
        sys.exit(f"{script}: no corpus to measure on: give a folder of articles with --corpus DIR")
    if not corpus.is_dir():
        sys.exit(f"{script}: no corpus at {corpus}: give a folder of articles with --corpus DIR")
    articles, bbc = corpus / "articles", corpus / "jsonl" / "bbc-afrique.jsonl"
    if articles.is_dir() and bbc.is_file():
        return [str(articles), str(bbc)]
    return [str(corpus)]


def corpus_articles(sources: Iterable[str], script: str) -> list[Article]:
    """Every readable article of the sources; exits with one line when there is none."""
    sources = list(sources)
    articles = [item for item in read_sources(sources) if isinstance(item, Article)]
    if not articles:
        sys.exit(f"{script}: no article could be read in {', '.join(sources)}")
    return articles


def build_baseline(folder: Path, articles: Iterable[Article]) -> int:
    """A plain Whoosh index of title and body with ``StemmingAnalyzer``; returns the articles indexed.

    It stores what Kiosque stores (the text for snippets, the facets' values,
    the date), so that the two write the same documents and differ by their
    analysis and their index.
    """
    folder.mkdir(parents=True, exist_ok=True)
    schema = Schema(
        id=ID(unique=True, stored=True),
        title=TEXT(analyzer=StemmingAnalyzer(), stored=True),
        body=TEXT(analyzer=StemmingAnalyzer(), stored=True),
        lede=STORED(),
        caption=STORED(),
        author=STORED(),
        tags=STORED(),
        category=STORED(),
        published=STORED(),
        url=STORED(),
        related=STORED(),
    )
    writer = index.create_in(str(folder), schema).writer(limitmb=256)
    count = 0
    for a in articles:
        writer.add_document(
            id=a.id,
            title=a.title,
            body=a.body,
            lede=a.lede,
            caption=a.caption,
            author=a.author,
            tags=list(a.tags),
            category=a.category,
            published=a.published,
            url=a.url,
            related=list(a.related),
        )
        count += 1
    writer.commit()
    return count


class Baseline:
    """Searches the baseline index as Whoosh does out of the box."""

    def __init__(self, folder: Path):
        self.index = index.open_dir(str(folder))
        self.searcher = self.index.searcher()
        self.parser = MultifieldParser(["title", "body"], self.index.schema)

    def search(self, text: str, limit: int = 10, highlight: bool = False) -> list[str]:
        """The ids of the top hits (with body highlights computed when asked, as a page would)."""
        results = self.searcher.search(self.parser.parse(text), limit=limit)
        if highlight:
            for hit in results:
                hit.highlights("body")
        return [hit["id"] for hit in results]

    def close(self) -> None:
        """Release the index files."""
        self.searcher.close()


def add_questions_argument(parser: argparse.ArgumentParser) -> None:
    """The ``--questions`` option: readers' questions, one JSON object with a ``query`` a line."""
    default = SHARED_CORPUS.parent / "relevance" / "piaf-dev" / "queries.jsonl"
    parser.add_argument(
        "--questions",
        type=Path,
        default=default if default.is_file() else None,
        help=f"JSON Lines of readers' questions (default: {default if default.is_file() else 'none'})",
    )


def reader_queries(articles: list[Article], questions: Path | None, count: int = 300, seed: int = 11) -> list[str]:
    """What readers type: the first 3 to 5 words of real titles, and readers' questions, half each.

    Without a file of questions, title beginnings only.
    """
    rng = random.Random(seed)
    asked: list[str] = []
    if questions is not None:
        with questions.open(encoding="utf-8") as lines:
            asked = [json.loads(line)["query"] for line in lines if line.strip()]
    asked = rng.sample(asked, min(len(asked), count // 2))
    titles = sorted({a.title for a in articles if len(a.title.split()) >= 3})
    wanted = count - len(asked)
    # A small corpus gives some titles twice (their beginnings may differ in length).
    picked = rng.sample(titles, wanted) if len(titles) >= wanted else rng.choices(titles, k=wanted)
    beginnings = [" ".join(t.split()[: rng.randint(3, 5)]) for t in picked]
    mixed = beginnings + asked
    rng.shuffle(mixed)
    return mixed


def load_judgments(path: Path = ROOT / "bench" / "judgments.jsonl") -> list[dict]:
    """The judged queries: ``{"query", "kind", "relevant": {id: grade}}`` per line."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of the values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def summary(values: list[float]) -> str:
    """p50, p95 and max of latencies in milliseconds."""
    return (
        f"p50 {percentile(values, 0.50):7.1f} ms   p95 {percentile(values, 0.95):7.1f} ms   "
        f"max {max(values):7.1f} ms   mean {statistics.fmean(values):6.1f} ms"
    )
