"""Latency of a full search request, on a corpus and on a corpus grown from it.

A full request is what the page asks: page 1 of 10 hits, with facets over
the whole result set, highlighted snippets and a spelling suggestion when
the query finds little. The baseline is plain Whoosh (``StemmingAnalyzer``
on title and body, its default query parser, 10 hits with body highlights)
on the same articles, in the same run.

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
import random
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from common import (
    Baseline,
    add_corpus_argument,
    build_baseline,
    corpus_articles,
    corpus_sources,
    load_judgments,
    summary,
)

from search.analysis import fold
from search.article import Article
from search.engine import Engine
from search.indexer import build_index
from search.request import SearchRequest
from search.vocabulary import surface_words

QUERY_COUNT = 240


def make_queries(articles: list[Article], count: int = QUERY_COUNT, seed: int = 7) -> list[SearchRequest]:
    """Varied requests: judged queries, title words, tags, typos, prefixes, phrases, filters."""
    rng = random.Random(seed)
    requests = [SearchRequest(q=j["query"]) for j in load_judgments()]
    titles = [a.title for a in articles]
    words = sorted({w for t in titles for w in surface_words(t) if len(w) > 4})
    tags = sorted({t for a in articles for t in a.tags})
    while len(requests) < count:
        kind = rng.randrange(7 if tags else 5)  # the last two need tags
        if kind == 0:
            requests.append(SearchRequest(q=rng.choice(words)))
        elif kind == 1:
            requests.append(SearchRequest(q=" ".join(rng.sample(words, 2))))
        elif kind == 2:
            title_words = list(surface_words(rng.choice(titles)))
            requests.append(SearchRequest(q=" ".join(title_words[:3])))
        elif kind == 3:
            word = list(fold(rng.choice(words)))
            i = rng.randrange(len(word) - 1)
            word[i], word[i + 1] = word[i + 1], word[i]  # a typo: suggestion path
            requests.append(SearchRequest(q="".join(word)))
        elif kind == 4:
            requests.append(SearchRequest(q=rng.choice(words)[:4] + "*"))
        elif kind == 5:
            requests.append(SearchRequest(q=f'"{rng.choice(tags)}"'))
        else:
            requests.append(SearchRequest(q=rng.choice(words), tags=(rng.choice(tags),), sort="newest"))
    return requests[:count]


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


def measure(label: str, sources: list[str], articles: list[Article], requests: list[SearchRequest], work: Path) -> None:
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

    with Engine(work / "kiosque") as engine:
        engine.view().warm()  # as each server worker does before a new index serves
        for request in requests[:20]:
            engine.search(request)
        times, suggested, partial = [], 0, 0
        for request in requests:
            response = engine.search(request)
            times.append(response.took_ms)
            suggested += response.suggestion is not None
            partial += response.all_words == 0 and response.total > 0
    print(
        f"  kiosque   {len(times)} requests   {summary(times)}   "
        f"({suggested} with a suggestion, {partial} with no article holding every word)"
    )

    baseline = Baseline(work / "baseline")
    try:
        for request in requests[:20]:
            baseline.search(request.q, highlight=True)
        times = []
        for request in requests:
            started = time.perf_counter()
            baseline.search(request.q, highlight=True)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        baseline.close()
    print(f"  baseline  {len(times)} requests   {summary(times)}   (no facets, filters nor suggestions)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grow", type=int, default=100_000, help="size of the grown corpus (0: skip it)")
    add_corpus_argument(parser)
    args = parser.parse_args()
    sources = corpus_sources(args.corpus, "query_speed.py")
    articles = corpus_articles(sources, "query_speed.py")
    requests = make_queries(articles)
    with tempfile.TemporaryDirectory(prefix="kiosque-bench-") as folder:
        work = Path(folder)
        measure(f"corpus {args.corpus}", sources, articles, requests, work / "corpus")
        if args.grow:
            grown_file = work / "grown.jsonl"
            grow(articles, args.grow, grown_file)
            grown = corpus_articles([str(grown_file)], "query_speed.py")
            measure(
                f"grown corpus (that one repeated to {args.grow:,}, new ids, dates shifted by weeks)",
                [str(grown_file)],
                grown,
                requests,
                work / "grown",
            )


if __name__ == "__main__":
    main()
