"""Indexing speed of Kiosque against plain Whoosh, on a corpus of articles.

Prints, for each variant: articles per second, seconds, index size on disk
and peak memory (the summed RSS of the indexing process and its workers,
sampled every 50 ms). Each variant runs in a fresh process on the same files.

    python bench/index_speed.py [--corpus DIR]

``--corpus`` is a folder of articles (default: the team's shared corpus,
when it is beside the checkout).

Baseline: a Whoosh index of title and body with ``StemmingAnalyzer``,
storing the fields Kiosque stores, written by one process (Whoosh's
default), the text read by Kiosque's reader.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import ROOT, add_corpus_argument, build_baseline, corpus_sources

PAGE = os.sysconf("SC_PAGE_SIZE")


def run_kiosque(sources: list[str], folder: str, procs: int) -> int:
    from search.indexer import build_index

    report = build_index(folder, sources, procs=procs)
    assert report.failed == 0, report.summary()
    return report.added


def run_baseline(sources: list[str], folder: str) -> int:
    from search.article import Article
    from search.sources import read_sources

    # Streamed, storing what Kiosque stores: the baseline the issue names.
    articles = (item for item in read_sources(sources) if isinstance(item, Article))
    return build_baseline(Path(folder), articles)


def _descendants_rss(pid: int) -> int:
    """Summed resident memory of ``pid`` and all its descendants, in bytes."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
            parents[int(entry.name)] = int(fields[1])
            with open(f"/proc/{entry.name}/statm", "rb") as statm:
                rss[int(entry.name)] = int(statm.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    family, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [p for p, pp in parents.items() if pp == parent and p not in family]
        family.update(children)
        frontier.extend(children)
    return sum(rss.get(p, 0) for p in family)


def measure(variant: str, corpus: Path, procs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="kiosque-bench-") as folder:
        command = [
            sys.executable,
            __file__,
            "--run",
            variant,
            "--corpus",
            str(corpus),
            "--procs",
            str(procs),
            "--into",
            folder,
        ]
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, _descendants_rss(process.pid))
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        output, _ = process.communicate()
        done.set()
        sampler.join()
        if process.returncode:
            raise SystemExit(f"{variant} failed with exit code {process.returncode}")
        result = json.loads(output)
        size = sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())
        return {
            "articles": result["articles"],
            "seconds": result["seconds"],
            "wall": time.perf_counter() - started,
            "size": size,
            "peak": peak,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_corpus_argument(parser)
    parser.add_argument("--run", choices=["kiosque", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--procs", type=int, default=2, help=argparse.SUPPRESS)
    parser.add_argument("--into", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sources = corpus_sources(args.corpus, "index_speed.py")

    if args.run:  # one measured run, in its own process
        started = time.perf_counter()
        if args.run == "kiosque":
            count = run_kiosque(sources, args.into, args.procs)
        else:
            count = run_baseline(sources, args.into)
        print(json.dumps({"articles": count, "seconds": time.perf_counter() - started}))
        return

    print(f"corpus: {', '.join(sources)} ({os.cpu_count()} cores)")
    print(f"{'variant':<34} {'articles':>8} {'art/s':>7} {'seconds':>8} {'size MB':>8} {'peak MB':>8}")
    rates = {}
    for label, variant, procs in (
        ("whoosh StemmingAnalyzer, 1 proc", "baseline", 1),
        ("kiosque, 1 process", "kiosque", 1),
        ("kiosque, 2 processes (default)", "kiosque", 2),
    ):
        m = measure(variant, args.corpus, procs)
        rates[label] = m["articles"] / m["seconds"]
        print(
            f"{label:<34} {m['articles']:>8} {rates[label]:>7.0f} {m['seconds']:>8.1f} "
            f"{m['size'] / 2**20:>8.1f} {m['peak'] / 2**20:>8.0f}"
        )
    baseline = rates["whoosh StemmingAnalyzer, 1 proc"]
    for label, rate in rates.items():
        if label != "whoosh StemmingAnalyzer, 1 proc":
            print(f"{label}: {rate / baseline:.2f}x the baseline")


if __name__ == "__main__":
    main()
