"""Ranking quality of Kiosque against other engines, on judged queries nobody on the team wrote.

Every engine indexes the same articles in the same run and answers the same
queries; the script prints nDCG@10 and MRR@10 for each, on each set:

- ``piaf-dev``: readers' questions about French Wikipedia paragraphs;
- ``lemonde-topics``: Le Monde sub-rubrics as keyword queries, articles indexed without their tags;
- ``team``: ``bench/judgments.jsonl``, the queries the team wrote on the shared corpus
  (a regression set, not proof), typed as they are, with grades (2 = about the subject).

The judged sets are read from ``<shared>/relevance`` and each of their
queries is first reduced to lowercase words, as that folder's README says.
Kiosque is searched through its engine exactly as the API calls it, default
settings (``--no-synonyms`` leaves the shipped synonym list out). The peers
are in ``peers.py``.

It also measures related articles: for 300 articles of ``lemonde-topics``,
the share of the first five related articles that share the article's
sub-rubric (the first folder of its address), for Kiosque and for Whoosh's
stock ``more_like``.

    python bench/relevance.py [--shared ../shared] [--sets piaf-dev,lemonde-topics,team] [--per-query] [--no-synonyms]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from common import ROOT, load_judgments
from peers import WhooshPeer, build_peers

from search.article import Article
from search.engine import Engine
from search.indexer import build_index
from search.request import SearchRequest
from search.sources import read_sources
from search.understanding import Synonyms, Understanding

K = 10
SETS = ("piaf-dev", "lemonde-topics", "team")
RELATED_SAMPLE = 300
RELATED_SHOWN = 5
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass
class JudgedSet:
    """Articles to index and the queries judged on them."""

    name: str
    articles: list[Article]
    queries: list[dict]  # {"query", "relevant": {id: grade}, "kind"}


def words_only(text: str) -> str:
    """The query reduced to lowercase words, as the judged sets are scored."""
    return _NOT_WORD.sub(" ", text.lower()).strip()


def reciprocal_rank(ranked: list[str], relevant: dict[str, int]) -> float:
    """1/rank of the first relevant article in the top K, 0 when there is none."""
    return next((1 / rank for rank, doc in enumerate(ranked[:K], start=1) if relevant.get(doc)), 0.0)


def ndcg(ranked: list[str], relevant: dict[str, int]) -> float:
    """Normalized discounted cumulative gain at K, with gains 2**grade - 1 (1 for a plain judgment)."""
    gain = sum((2 ** relevant.get(doc, 0) - 1) / math.log2(rank + 1) for rank, doc in enumerate(ranked[:K], start=1))
    ideal_grades = sorted(relevant.values(), reverse=True)[:K]
    ideal = sum((2**g - 1) / math.log2(rank + 1) for rank, g in enumerate(ideal_grades, start=1))
    return gain / ideal if ideal else 0.0


def read_articles(path: Path) -> list[Article]:
    return [item for item in read_sources([str(path)]) if isinstance(item, Article)]


def load_set(name: str, shared: Path) -> JudgedSet:
    """One judged set with its articles."""
    if name == "team":
        sources = [shared / "corpus" / "articles", shared / "corpus" / "jsonl" / "bbc-afrique.jsonl"]
        articles = [item for item in read_sources(map(str, sources)) if isinstance(item, Article)]
        return JudgedSet(name, articles, load_judgments())
    folder = shared / "relevance" / name
    with (folder / "queries.jsonl").open(encoding="utf-8") as lines:
        queries = [json.loads(line) for line in lines if line.strip()]
    judged = [
        {"query": words_only(q["query"]), "relevant": dict.fromkeys(q["relevant"], 1), "kind": name} for q in queries
    ]
    if name == "lemonde-topics":
        articles = [replace(a, tags=[]) for a in read_articles(shared / "corpus" / "jsonl" / "lemonde-2017.jsonl")]
    else:
        articles = read_articles(folder / "docs.jsonl")
    return JudgedSet(name, articles, judged)


def write_jsonl(articles: list[Article], path: Path) -> None:
    """The articles as a JSON Lines source (how the tag-less Le Monde set reaches the indexer)."""
    with path.open("w", encoding="utf-8") as out:
        for a in articles:
            record = {
                "id": a.id,
                "url": a.url,
                "title": a.title,
                "lede": a.lede,
                "caption": a.caption,
                "author": a.author,
                "published": a.published.isoformat() if a.published else None,
                "category": a.category,
                "tags": a.tags,
                "body": a.body,
                "related": a.related,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


Search = Callable[[str], list[str]]


def evaluate(search: Search, queries: list[dict]) -> list[tuple[float, float]]:
    """(MRR, nDCG) of every query."""
    return [(reciprocal_rank(r := search(j["query"]), j["relevant"]), ndcg(r, j["relevant"])) for j in queries]


def mean(scores: list[tuple[float, float]], which: int) -> float:
    return statistics.fmean(s[which] for s in scores) if scores else 0.0


def sub_rubric(article: Article) -> str:
    """Le Monde's sub-rubric, the first folder of an article's address (``/pixels/article/…``)."""
    parts = article.url.split("/")
    return parts[3] if len(parts) > 4 else ""


def related_share(engine: Engine, peer: WhooshPeer, judged: JudgedSet) -> dict[str, tuple[float, float, float]]:
    """Precision@5 of a shared sub-rubric among related articles: (over 5, over those shown, mean shown)."""
    topic = {a.id: sub_rubric(a) for a in judged.articles if sub_rubric(a)}
    sample = random.Random(3).sample(sorted(topic), min(RELATED_SAMPLE, len(topic)))

    def score(related: Callable[[str], list[str]]) -> tuple[float, float, float]:
        over_five, over_shown, shown = [], [], []
        for doc in sample:
            ids = related(doc)[:RELATED_SHOWN]
            same = sum(topic.get(other) == topic[doc] for other in ids)
            over_five.append(same / RELATED_SHOWN)
            if ids:
                over_shown.append(same / len(ids))
            shown.append(len(ids))
        return statistics.fmean(over_five), statistics.fmean(over_shown or [0.0]), statistics.fmean(shown)

    def kiosque(doc: str) -> list[str]:
        view = engine.article(doc)
        return [hit.id for hit in view.related] if view else []

    return {"Kiosque": score(kiosque), f"{peer.name} more_like": score(peer.more_like)}


def run_set(
    judged: JudgedSet, work: Path, with_peers: bool, per_query: bool, related: bool, understanding: Understanding
) -> dict:
    """Index one set with every engine and score its queries."""
    started = time.perf_counter()
    source = work / f"{judged.name}.jsonl"
    write_jsonl(judged.articles, source)
    # One process: a parallel build orders documents differently from run to run, and so ties.
    build_index(work / judged.name, [str(source)], procs=1)
    peers = build_peers(work / f"{judged.name}-peers", judged.articles) if with_peers else []
    scores: dict[str, list[tuple[float, float]]] = {}
    related_scores = {}
    with Engine(work / judged.name, understanding=understanding) as engine:

        def kiosque(text: str) -> list[str]:
            return [hit.id for hit in engine.search(SearchRequest(q=text, per_page=K)).hits]

        scores["Kiosque"] = evaluate(kiosque, judged.queries)
        for peer in peers:
            # The peers have no query language of their own here: they get the words.
            scores[peer.name] = evaluate(lambda text, peer=peer: peer.search(words_only(text)), judged.queries)
        if related and judged.name == "lemonde-topics":
            french = next((p for p in peers if isinstance(p, WhooshPeer) and p.name == 'Whoosh "fr"'), None)
            if french is not None:
                related_scores = related_share(engine, french, judged)
    for peer in peers:
        peer.close()
    if per_query:
        print_losses(judged, scores)
    took = time.perf_counter() - started
    print(f"  ({judged.name}: {len(judged.articles):,} articles, {took:.0f} s)", file=sys.stderr)
    return {"scores": scores, "related": related_scores}


def print_losses(judged: JudgedSet, scores: dict[str, list[tuple[float, float]]]) -> None:
    """The queries where Kiosque's nDCG is below the best peer's, worst first."""
    peers = [name for name in scores if name != "Kiosque"]
    rows = []
    for i, j in enumerate(judged.queries):
        ours = scores["Kiosque"][i][1]
        best = max((scores[p][i][1] for p in peers), default=ours)
        if best > ours:
            rows.append((ours - best, ours, best, j["query"]))
    print(f"\n{judged.name}: {len(rows)} queries below the best peer (nDCG Kiosque / best peer)")
    for loss, ours, best, query in sorted(rows)[:40]:
        print(f"  {loss:+.2f}  {ours:.2f} / {best:.2f}  {query}")


def print_table(results: dict[str, dict]) -> None:
    names = list(next(iter(results.values()))["scores"])
    print(f"\nnDCG@{K} (MRR@{K})")
    print(f"{'set':<16} {'queries':>7}  " + "  ".join(f"{n:>18}" for n in names))
    for set_name, result in results.items():
        scores = result["scores"]
        count = len(scores["Kiosque"])
        cells = "  ".join(f"{mean(scores[n], 1):>9.3f} ({mean(scores[n], 0):.3f})" for n in names)
        print(f"{set_name:<16} {count:>7}  {cells}")
    for result in results.values():
        if result["related"]:
            print(f"\nRelated articles, {RELATED_SAMPLE} lemonde-topics articles: share in the article's sub-rubric")
            print(f"{'':<24} {'of 5':>6} {'of shown':>9} {'shown':>6}")
            for name, (five, shown_share, shown) in result["related"].items():
                print(f"{name:<24} {five:>6.3f} {shown_share:>9.3f} {shown:>6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared", type=Path, default=ROOT.parent / "shared", help="the folder holding corpus/ and relevance/"
    )
    parser.add_argument("--sets", default=",".join(SETS), help=f"comma-separated, from {', '.join(SETS)}")
    parser.add_argument("--per-query", action="store_true", help="list the queries where Kiosque loses to a peer")
    parser.add_argument("--no-peers", action="store_true", help="measure Kiosque alone (faster, for tuning)")
    parser.add_argument("--no-related", action="store_true", help="skip the related-articles measure")
    parser.add_argument("--no-synonyms", action="store_true", help="search without the shipped synonym list")
    args = parser.parse_args()
    names = [n for n in args.sets.split(",") if n]
    unknown = set(names) - set(SETS)
    if unknown:
        parser.error(f"--sets: unknown set {', '.join(sorted(unknown))} (known: {', '.join(SETS)})")
    if not (args.shared / "relevance").is_dir() or not (args.shared / "corpus").is_dir():
        sys.exit(f"relevance.py: no judged sets in {args.shared} (give --shared the folder of corpus/ and relevance/)")
    understanding = Understanding(synonyms=Synonyms()) if args.no_synonyms else Understanding()
    results = {}
    with tempfile.TemporaryDirectory(prefix="kiosque-relevance-") as folder:
        for name in names:
            judged = load_set(name, args.shared)
            with_peers, related = not args.no_peers, not args.no_related
            results[name] = run_set(judged, Path(folder), with_peers, args.per_query, related, understanding)
    print_table(results)


if __name__ == "__main__":
    main()
