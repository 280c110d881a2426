"""Latency of a full ``/api/search``, on a corpus and on a corpus grown from it.

A full request is what a program or the page asks: page 1 of 10 hits, with
facets over the whole result set, highlighted snippets, and a spelling
suggestion when the page would show one, answered as JSON by the app. The
queries are what readers type: 150 beginnings of real titles (3 to 5 words)
and 150 readers' questions (``--questions``, default: the PIAF questions of
the shared judged sets), sent one after another, each once, so that no
cache helps. The baseline is plain Whoosh (``StemmingAnalyzer`` on title and
body, its default query parser, the top 10 only) on the same articles, in
the same run. The searches run in a fresh process, whose memory is reported
as a server worker's would be. An article page (``/article/<id>``, 150 random
articles, each once) is timed in the same process after the searches: it
computes the article's related articles.

    python bench/query_speed.py [--corpus DIR]     # the corpus, then grown to 100,000 articles
    python bench/query_speed.py --grow 0          # the corpus only

``--corpus`` is a folder of articles (default: the team's shared corpus,
when it is beside the checkout).

The grown corpus repeats the articles under new ids with dates
shifted by whole weeks, so that it has the size, not the variety, of a
larger archive; the output says so.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from common import (
    Baseline,
    add_corpus_argument,
    add_questions_argument,
    build_baseline,
    corpus_articles,
    corpus_sources,
    reader_queries,
    summary,
)

from search.article import Article
from search.indexer import build_index

# Queries of another seed warm the process first, as a worker's first requests would.
WARM_UP = 20
ARTICLE_PAGES = 150


def grow(articles: list[Article], target: int, path: Path) -> None:
    """Write ``target`` articles as JSON Lines: copies with new ids and shifted dates."""
    with path.open("w", encoding="utf-8") as out:
        for n in range(target):
            base = articles[n % len(articles)]
            copy = n // len(articles)
            shifted = base.published - timedelta(weeks=copy) if base.published else None
            article = replace(base, id=f"{base.id}~{copy}", published=shifted)
            record = {
                "id": article.id,
                "title": article.title,
                "lede": article.lede,
                "caption": article.caption,
                "author": article.author,
                "published": shifted.isoformat() if shifted else None,
                "category": article.category,
                "tags": article.tags,
                "body": article.body,
                "related": article.related,
                "url": article.url,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _memory_mb() -> tuple[float, float]:
    """This process's resident memory now and at its peak, in MB."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def _search_in_fresh_process(
    index: str, queries: list[str], warm: list[str], article_ids: list[str], answer: multiprocessing.Queue
) -> None:
    from web import create_app

    app = create_app({"INDEX_DIR": index, "TESTING": True})
    app.extensions["kiosque.engine"].view().warm()  # as a server's worker does when a build goes live
    client = app.test_client()
    for text in warm:
        client.get("/api/search", query_string={"q": text})
    times, suggested, partial = [], 0, 0
    for text in queries:
        started = time.perf_counter()
        response = client.get("/api/search", query_string={"q": text})
        times.append((time.perf_counter() - started) * 1000)
        data = response.get_json()
        assert response.status_code == 200, (text, data)
        suggested += data["suggestion"] is not None
        partial += data["all_words"] == 0 and data["total"] > 0
    page_times = []
    for article_id in article_ids:
        started = time.perf_counter()
        response = client.get(f"/article/{quote(article_id)}")
        page_times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, article_id
    answer.put((times, suggested, partial, page_times, _memory_mb()))


def measure(label: str, sources: list[str], articles: list[Article], queries: list[str], warm: list[str], work: Path):
    started = time.perf_counter()
    build_index(work / "kiosque", sources)
    kiosque_build = time.perf_counter() - started
    started = time.perf_counter()
    build_baseline(work / "baseline", articles)
    baseline_build = time.perf_counter() - started
    print(
        f"\n{label}: {len(articles):,} articles "
        f"(built in {kiosque_build:.0f} s by Kiosque, {baseline_build:.0f} s by the baseline)"
    )

    article_ids = random.Random(5).sample([a.id for a in articles], min(ARTICLE_PAGES, len(articles)))
    context = multiprocessing.get_context("spawn")
    answer = context.Queue()
    worker = context.Process(
        target=_search_in_fresh_process, args=(str(work / "kiosque"), queries, warm, article_ids, answer)
    )
    worker.start()
    times, suggested, partial, page_times, (rss, peak) = answer.get()
    worker.join()
    print(
        f"  kiosque   {len(times)} requests   {summary(times)}   "
        f"({suggested} with a suggestion, {partial} with no article holding every word)"
    )
    print(f"  kiosque   {len(page_times)} article pages   {summary(page_times)}   (with their related articles)")
    print(f"            memory of the searching process: {rss:.0f} MB resident, {peak:.0f} MB at its peak")

    baseline = Baseline(work / "baseline")
    try:
        for text in warm:
            baseline.search(text)
        times = []
        for text in queries:
            started = time.perf_counter()
            baseline.search(text)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        baseline.close()
    print(f"  baseline  {len(times)} requests   {summary(times)}   (top 10 only: no facets, snippets nor suggestions)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grow", type=int, default=100_000, help="size of the grown corpus (0: skip it)")
    add_corpus_argument(parser)
    add_questions_argument(parser)
    args = parser.parse_args()
    sources = corpus_sources(args.corpus, "query_speed.py")
    articles = corpus_articles(sources, "query_speed.py")
    queries = reader_queries(articles, args.questions)
    warm = reader_queries(articles, args.questions, count=WARM_UP, seed=99)
    if args.questions is None:
        print("No readers' questions (--questions): title beginnings only.")
    with tempfile.TemporaryDirectory(prefix="kiosque-bench-") as folder:
        work = Path(folder)
        measure(f"corpus {args.corpus}", sources, articles, queries, warm, work / "corpus")
        if args.grow:
            grown_file = work / "grown.jsonl"
            grow(articles, args.grow, grown_file)
            grown = corpus_articles([str(grown_file)], "query_speed.py")
            measure(
                f"grown corpus (that one repeated to {args.grow:,}, new ids, dates shifted by weeks)",
                [str(grown_file)],
                grown,
                queries,
                warm,
                work / "grown",
            )


if __name__ == "__main__":
    main()
