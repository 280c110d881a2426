"""What the benchmarks share: the corpus, the plain-Whoosh baseline, timing helpers."""

from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from whoosh import index  # noqa: E402
from whoosh.analysis import StemmingAnalyzer  # noqa: E402
from whoosh.fields import ID, TEXT, Schema  # noqa: E402
from whoosh.qparser import MultifieldParser  # noqa: E402

from search.article import Article  # noqa: E402
from search.sources import read_sources  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
# The whole shared corpus: the text articles and BBC Afrique (the other JSON
# Lines files repeat the text articles).
CORPUS_SOURCES = [str(CORPUS / "articles"), str(CORPUS / "jsonl" / "bbc-afrique.jsonl")]


def corpus_articles(sources: Iterable[str] = CORPUS_SOURCES) -> list[Article]:
    """Every readable article of the sources."""
    return [item for item in read_sources(sources) if isinstance(item, Article)]


def build_baseline(folder: Path, articles: Iterable[Article], stored: bool = True) -> int:
    """A plain Whoosh index of title and body with ``StemmingAnalyzer``; returns the articles indexed.

    ``stored`` keeps title and body for highlights, as a search page needs.
    """
    folder.mkdir(parents=True, exist_ok=True)
    schema = Schema(
        id=ID(unique=True, stored=True),
        title=TEXT(analyzer=StemmingAnalyzer(), stored=stored),
        body=TEXT(analyzer=StemmingAnalyzer(), stored=stored),
    )
    writer = index.create_in(str(folder), schema).writer(limitmb=256)
    count = 0
    for article in articles:
        writer.add_document(id=article.id, title=article.title, body=article.body)
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
