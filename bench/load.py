"""Requests per second of `kiosque serve` under load, measured with wrk.

Indexes a corpus (``--corpus DIR``; default: the team's shared corpus, when
it is beside the checkout), starts `kiosque serve` (gunicorn, ``--workers``,
2 by default) on a free local port, and drives it with wrk (Debian's
package, installed by ``make wrk`` when missing), so that the load
generator is compiled code and not Python threads competing with the
server. Every request is a full ``/api/search`` (facets, snippets, page 1).
Three runs of ``--seconds`` with ``--connections`` connections:

- distinct: every request a different query (title beginnings and readers'
  questions, about half each, more of them than a cache holds);
- zipf: a Zipf mix (s = 1.1) over 1,000 distinct queries, the shape of a
  real site's traffic, where the response cache helps;
- during a build: the Zipf mix while `kiosque build` rebuilds the index, to
  its end: no request may fail.

Prints requests per second, p50/p95/p99 latency, errors (non-2xx answers
and socket errors) and the resident memory of each worker.

    python bench/load.py [--corpus DIR] [--questions FILE] [--seconds 20] [--connections 8] [--workers 2]

Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from common import ROOT, add_corpus_argument, add_questions_argument, corpus_articles, corpus_sources, reader_queries

KIOSQUE = str(Path(sys.executable).parent / "kiosque")
# All the readers' questions (1,076 in the shared set) and title beginnings up to this many.
DISTINCT = 6_000
ZIPF_QUERIES = 1_000
ZIPF_S = 1.1
ZIPF_REQUESTS = 60_000
QUESTION_WORDS = {"quel", "quelle", "quels", "quelles", "qui", "que", "quand", "comment", "combien", "pourquoi", "où"}

# wrk's script: each thread walks its own stretch of the list, and the summary is printed as JSON.
WRK_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("KIOSQUE_PATHS")) do paths[#paths + 1] = line end
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
local n = 0
function request()
  n = n + 1
  local i = ((id * 7919 + n * THREADS) % #paths) + 1
  return wrk.format("GET", paths[i])
end
function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format('{"requests": %d, "seconds": %f, "errors": %d, "p50": %f, "p95": %f, "p99": %f}\\n',
    summary.requests, summary.duration / 1e6, errors,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3))
end
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def search_path(text: str) -> str:
    return "/api/search?" + urllib.parse.urlencode({"q": text})


def zipf_paths(queries: list[str], rng: random.Random) -> list[str]:
    """Requests drawn from ``queries`` with Zipf weights (the first the most asked)."""
    weights = [1 / rank**ZIPF_S for rank in range(1, len(queries) + 1)]
    return [search_path(text) for text in rng.choices(queries, weights, k=ZIPF_REQUESTS)]


def ensure_wrk() -> str:
    """wrk's path, installed from Debian's packages (as `make wrk` does) when missing."""
    found = shutil.which("wrk")
    if found is None:
        subprocess.run(["make", "-C", str(ROOT), "wrk"], check=True)
        found = shutil.which("wrk")
    if found is None:
        sys.exit("load.py: wrk is not installed and `make wrk` could not install it")
    return found


def run_wrk(wrk: str, base: str, paths: list[str], args: argparse.Namespace, work: Path, until=None) -> dict:
    """One wrk run over ``paths``; with ``until``, it lasts until that process ends."""
    listing = work / "paths.txt"
    listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
    threads = 2
    script = work / "paths.lua"
    script.write_text(WRK_SCRIPT.replace("THREADS", str(threads)), encoding="utf-8")
    seconds = int(args.seconds) if until is None else 600
    command = [wrk, "-t", str(threads), "-c", str(args.connections), "-d", f"{seconds}s", "--timeout", "10s"]
    process = subprocess.Popen(
        [*command, "-s", str(script), base],
        stdout=subprocess.PIPE,
        text=True,
        env={"KIOSQUE_PATHS": str(listing), "PATH": "/usr/bin:/bin"},
    )
    if until is not None:
        until.wait()
        process.send_signal(2)  # wrk prints its summary on SIGINT
    output, _ = process.communicate()
    lines = [line for line in output.splitlines() if line.startswith('{"requests"')]
    if not lines:
        sys.exit(f"load.py: wrk gave no summary:\n{output}")
    summary = json.loads(lines[-1])
    summary["rate"] = summary["requests"] / summary["seconds"]
    return summary


def worker_memory(server: subprocess.Popen) -> list[float]:
    """The resident memory, in MB, of each worker of the gunicorn master."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="how long each run lasts")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    add_corpus_argument(parser)
    add_questions_argument(parser)
    args = parser.parse_args()
    sources = corpus_sources(args.corpus, "load.py")
    articles = corpus_articles(sources, "load.py")
    wrk = ensure_wrk()
    rng = random.Random(5)
    distinct = list(dict.fromkeys(reader_queries(articles, args.questions, count=DISTINCT, seed=21)))
    popular = list(dict.fromkeys(reader_queries(articles, args.questions, count=ZIPF_QUERIES * 2, seed=23)))
    popular = popular[:ZIPF_QUERIES]
    rng.shuffle(popular)
    with tempfile.TemporaryDirectory(prefix="kiosque-load-") as folder:
        work = Path(folder)
        index = work / "index"
        subprocess.run([KIOSQUE, "build", *sources, "--index", str(index)], check=True)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = (work / "serve.log").open("w")
        server = subprocess.Popen(
            [KIOSQUE, "serve", "--index", str(index), "--port", str(port), "--workers", str(args.workers)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            for _ in range(150):
                try:
                    urllib.request.urlopen(base + "/api/health", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.2)
            for text in popular[-40:]:  # every worker opens its index and reads its caches
                urllib.request.urlopen(base + search_path(text), timeout=30).read()
            print(f"kiosque serve, {args.workers} workers, {args.connections} connections, wrk, {args.seconds:.0f} s")
            print(f"corpus: {len(articles):,} articles ({', '.join(sources)})")
            print(f"{'run':<44} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}")

            def show(label: str, result: dict) -> None:
                print(
                    f"{label:<44} {result['rate']:>7.1f} {result['p50']:>7.1f} {result['p95']:>7.1f} "
                    f"{result['p99']:>7.1f} {result['errors']:>6}"
                )

            paths = [search_path(text) for text in distinct]
            asked = sum(text.rstrip().endswith("?") or text.split()[0].lower() in QUESTION_WORDS for text in distinct)
            show(f"distinct ({len(distinct):,} queries, {asked:,} questions)", run_wrk(wrk, base, paths, args, work))
            zipf = zipf_paths(popular, rng)
            show(f"zipf (s={ZIPF_S}, {len(popular):,} queries)", run_wrk(wrk, base, zipf, args, work))
            builder = subprocess.Popen([KIOSQUE, "build", *sources, "--index", str(index)])
            show("zipf, while `kiosque build` runs to its end", run_wrk(wrk, base, zipf, args, work, until=builder))
            memory = ", ".join(f"{size:.0f} MB" for size in worker_memory(server))
            print(f"worker memory (resident): {memory}")
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()


if __name__ == "__main__":
    main()
