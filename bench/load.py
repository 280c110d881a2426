"""Requests per second and latency of `kiosque serve` under concurrent readers.

Indexes a corpus (``--corpus DIR``; default: the team's shared corpus, when
it is beside the checkout), starts `kiosque serve` (gunicorn) on a free local
port, and sends a mix of realistic requests (search pages and API searches,
all with facets and snippets; some with filters, sorts or later pages) from
1, 8 and 32 concurrent clients, then from 8 while `kiosque build` rebuilds
the index. Prints requests per second, p50/p95/p99 latency and the error
count (anything but a 200, or no answer), which must be 0.

    python bench/load.py [--corpus DIR] [--seconds 15] [--workers 2]

Only 127.0.0.1 is contacted; every client stops after --seconds.
"""

from __future__ import annotations

import argparse
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from common import add_corpus_argument, corpus_sources, load_judgments, percentile

KIOSQUE = str(Path(sys.executable).parent / "kiosque")


def realistic_paths(seed: int = 3) -> list[str]:
    """Search pages and API calls as readers and programs make them."""
    rng = random.Random(seed)
    queries = [j["query"] for j in load_judgments()]
    paths = []
    for query in queries * 3:
        params: dict[str, str] = {"q": query}
        roll = rng.random()
        if roll < 0.15:
            params["sort"] = "newest"
        elif roll < 0.25:
            params["page"] = "2"
        elif roll < 0.35:
            params["from"], params["to"] = "2017-09", "2017-10"
        endpoint = "/api/search" if rng.random() < 0.5 else "/"
        paths.append(f"{endpoint}?{urllib.parse.urlencode(params)}")
    rng.shuffle(paths)
    return paths


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_clients(
    base: str, paths: list[str], clients: int, seconds: float, until: subprocess.Popen | None = None
) -> tuple[int, list[float], int, float]:
    """Clients request paths in turn for ``seconds`` (or while ``until`` runs, 10 minutes at most).

    Returns the requests made, their latencies in ms, the errors, and the seconds it lasted.
    """
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    started = time.monotonic()
    deadline = started + (600 if until else seconds)

    def going() -> bool:
        return time.monotonic() < deadline and (until is None or until.poll() is None)

    def client(offset: int) -> None:
        nonlocal errors
        n = offset
        while going():
            path = paths[n % len(paths)]
            n += clients
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(base + path, timeout=60) as response:
                    response.read()
                    ok = response.status == 200
            except (urllib.error.URLError, OSError):
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                errors += not ok

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies), latencies, errors, time.monotonic() - started


def report(label: str, count: int, latencies: list[float], errors: int, seconds: float) -> None:
    """One line of the table."""
    print(
        f"{label:<28} {count / seconds:>8.1f} {percentile(latencies, 0.50):>8.1f} {percentile(latencies, 0.95):>8.1f} "
        f"{percentile(latencies, 0.99):>8.1f} {errors:>7}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="how long each level lasts")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    add_corpus_argument(parser)
    args = parser.parse_args()
    sources = corpus_sources(args.corpus, "load.py")
    paths = realistic_paths()
    with tempfile.TemporaryDirectory(prefix="kiosque-load-") as folder:
        index = Path(folder) / "index"
        subprocess.run([KIOSQUE, "build", *sources, "--index", str(index)], check=True)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = open(Path(folder) / "serve.log", "w")  # noqa: SIM115 - closed below
        server = subprocess.Popen(
            [KIOSQUE, "serve", "--index", str(index), "--port", str(port), "--workers", str(args.workers)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/api/health", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.2)
            run_clients(base, paths, 2, 3)  # warm up every worker
            print(f"kiosque serve, {args.workers} workers, corpus ({', '.join(sources)})")
            print(f"{len(paths)} request paths: search pages and API searches, with facets and snippets")
            print(f"{'clients':<28} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
            for clients in (1, 8, 32):
                report(f"{clients}", *run_clients(base, paths, clients, args.seconds))
            builder = subprocess.Popen([KIOSQUE, "build", *sources, "--index", str(index)])
            report("8, while `kiosque build` runs", *run_clients(base, paths, 8, args.seconds, until=builder))
            builder.wait()
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()


if __name__ == "__main__":
    main()
