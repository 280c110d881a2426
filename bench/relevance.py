"""Relevance of Kiosque against plain Whoosh on the team's judged queries.

Reads ``bench/judgments.jsonl`` (queries written and judged by the team on
the shared corpus: grade 2 = about the subject, 1 = substantially relevant),
indexes the shared corpus with Kiosque and with a plain Whoosh
``StemmingAnalyzer`` index of title and body, and prints MRR@10 and
nDCG@10 for each, overall and by kind of query, with Kiosque's recency
factor on and off.

    python bench/relevance.py [--verbose]
"""

from __future__ import annotations

import argparse
import itertools
import math
import statistics
import tempfile
from collections import defaultdict
from pathlib import Path

from common import CORPUS_SOURCES, Baseline, build_baseline, corpus_articles, load_judgments

from search.engine import Engine
from search.indexer import build_index
from search.ranking import RankingConfig
from search.request import SearchRequest

K = 10


def reciprocal_rank(ranked: list[str], relevant: dict[str, int]) -> float:
    """1/rank of the first relevant article in the top K, 0 when there is none."""
    return next((1 / rank for rank, doc in enumerate(ranked[:K], start=1) if relevant.get(doc)), 0.0)


def ndcg(ranked: list[str], relevant: dict[str, int]) -> float:
    """Normalized discounted cumulative gain at K, with gains 2**grade - 1."""
    gain = sum((2 ** relevant.get(doc, 0) - 1) / math.log2(rank + 1) for rank, doc in enumerate(ranked[:K], start=1))
    ideal_grades = sorted(relevant.values(), reverse=True)[:K]
    ideal = sum((2**g - 1) / math.log2(rank + 1) for rank, g in enumerate(ideal_grades, start=1))
    return gain / ideal if ideal else 0.0


def evaluate(name: str, search, judgments: list[dict], verbose: bool) -> dict[str, tuple[float, float]]:
    by_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for judged in judgments:
        ranked = search(judged["query"])
        scores = (reciprocal_rank(ranked, judged["relevant"]), ndcg(ranked, judged["relevant"]))
        by_kind[judged["kind"]].append(scores)
        by_kind["all"].append(scores)
        if verbose:
            print(f"  {name:<22} MRR {scores[0]:.2f} nDCG {scores[1]:.2f}  {judged['query']}")
    return {
        kind: (statistics.fmean(s[0] for s in pairs), statistics.fmean(s[1] for s in pairs))
        for kind, pairs in by_kind.items()
    }


def tune(index: Path, judgments: list[dict]) -> None:
    """nDCG@10 of Kiosque for a grid of BM25F parameters (field boosts need a rebuild: not here)."""
    print(f"{'K1':>5} {'B':>5} {'title_B':>8} {'tags_B':>7} {'MRR':>7} {'nDCG':>7}")
    for k1, b, title_b, tags_b in itertools.product((0.9, 1.2, 1.6), (0.5, 0.75), (0.3, 0.5, 0.8), (0.3,)):
        config = RankingConfig(K1=k1, B=b, title_B=title_b, tags_B=tags_b)
        with Engine(index, config) as engine:

            def ranked(text: str, engine: Engine = engine) -> list[str]:
                return [hit.id for hit in engine.search(SearchRequest(q=text, per_page=K)).hits]

            mrr, score = evaluate("tune", ranked, judgments, False)["all"]
        print(f"{k1:>5} {b:>5} {title_b:>8} {tags_b:>7} {mrr:>7.3f} {score:>7.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print the scores of every query")
    parser.add_argument("--tune", action="store_true", help="also try other BM25F parameters (query-time ones)")
    args = parser.parse_args()
    judgments = load_judgments()
    articles = corpus_articles()
    with tempfile.TemporaryDirectory(prefix="kiosque-relevance-") as folder:
        work = Path(folder)
        build_index(work / "kiosque", CORPUS_SOURCES)
        build_baseline(work / "baseline", articles)
        baseline = Baseline(work / "baseline")
        with Engine(work / "kiosque") as engine:

            def kiosque(recency: bool):
                return lambda text: [
                    hit.id for hit in engine.search(SearchRequest(q=text, per_page=K, recency=recency)).hits
                ]

            results = {
                "kiosque": evaluate("kiosque", kiosque(True), judgments, args.verbose),
                "kiosque, no recency": evaluate("kiosque, no recency", kiosque(False), judgments, args.verbose),
                "whoosh baseline": evaluate(
                    "whoosh baseline", lambda text: baseline.search(text, K), judgments, args.verbose
                ),
            }
            if args.tune:
                tune(work / "kiosque", judgments)
        baseline.close()

    kinds = ["all"] + sorted({j["kind"] for j in judgments})
    counts = {kind: sum(j["kind"] == kind or kind == "all" for j in judgments) for kind in kinds}
    print(f"{len(judgments)} judged queries on {len(articles):,} articles of the shared corpus; @{K}")
    print(f"{'kind':<12} {'n':>3}  " + "  ".join(f"{name:>26}" for name in results))
    print(f"{'':<12} {'':>3}  " + "  ".join(f"{'MRR':>12} {'nDCG':>13}" for _ in results))
    for kind in kinds:
        cells = "  ".join(f"{results[name][kind][0]:>12.3f} {results[name][kind][1]:>13.3f}" for name in results)
        print(f"{kind:<12} {counts[kind]:>3}  {cells}")


if __name__ == "__main__":
    main()
