"""Kiosque unattended: serving while cron rebuilds, broken sources, full disks, hostile requests."""

from __future__ import annotations

import errno
import gc
import json
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh.filedb import filestore

from search.cli import IO_ERROR, LOCKED, OK, SOME_FAILED
from search.generations import IndexLocation
from search.indexer import build_index
from web.cli import cli

from .conftest import SHARED_CORPUS, needs_corpus, write_article

KIOSQUE = str(Path(sys.executable).parent / "kiosque")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_json(url: str, timeout: float = 10) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {}


class Load:
    """A bounded stream of concurrent searches, counting what failed."""

    QUERIES = [
        "Macron",
        "Catalogne indépendance",
        "tramway",
        "securite",
        '"Coupe du monde"',
        "Trump OR Poutine",
        "Irma",
        "diplom*",
        "Burkina Faso",
        "excision",
    ]

    def __init__(self, base: str, threads: int = 4, limit: int = 5000, seconds: float = 240):
        self.base, self.limit, self.deadline = base, limit, time.monotonic() + seconds
        self.done, self.failures, self.sent = threading.Event(), [], 0
        self.lock = threading.Lock()
        self.workers = [threading.Thread(target=self.run, args=(n,), daemon=True) for n in range(threads)]

    def run(self, number: int) -> None:
        n = number
        while not self.done.is_set() and time.monotonic() < self.deadline:
            with self.lock:
                if self.sent >= self.limit:
                    return
                self.sent += 1
            query = urllib.request.quote(self.QUERIES[n % len(self.QUERIES)])
            path = f"/api/search?q={query}&per_page=5" if n % 2 else f"/?q={query}"
            n += 1
            try:
                with urllib.request.urlopen(self.base + path, timeout=30) as response:
                    response.read()
            except Exception as error:  # noqa: BLE001 - every failure is what this test counts
                with self.lock:
                    self.failures.append(f"{path}: {error}")

    def __enter__(self) -> Load:
        for worker in self.workers:
            worker.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.done.set()
        for worker in self.workers:
            worker.join()


ACCESS_LINE = re.compile(r'^127\.0\.0\.1 "([^"]*)" (\d{3}) \S+ \d+ms$', re.M)


def wait_for(predicate, seconds: float) -> float:
    """Poll until ``predicate()`` is true; return how long it took (fail past ``seconds``)."""
    start = time.monotonic()
    while not predicate():
        assert time.monotonic() - start < seconds, "timed out"
        time.sleep(0.1)
    return time.monotonic() - start


@pytest.fixture
def server(tmp_path):
    """``kiosque serve`` (gunicorn, two workers) on an index folder of its own."""
    index = tmp_path / "index"
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [KIOSQUE, "serve", "--index", str(index), "--port", str(port), "--workers", "2"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return get_json(base + "/api/health", timeout=2)[0] in (200, 503)
        except OSError:
            return False

    try:
        wait_for(up, 30)
        yield base, index, tmp_path / "serve.log"
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@needs_corpus
def test_rebuilds_and_updates_while_serving_lose_no_request(server, tmp_path):
    base, index, log = server
    corpus = str(SHARED_CORPUS / "articles")
    extra = tmp_path / "extra"
    write_article(extra, "zellige", "Les zelligeurs de Fès exposent à Paris", "Un art rare : le zellige.")
    subprocess.run([KIOSQUE, "build", corpus, "--index", str(index)], check=True)
    wait_for(lambda: get_json(base + "/api/health")[0] == 200, 5)

    def total(word: str) -> int:
        return get_json(f"{base}/api/search?q={word}")[1]["total"]

    with Load(base) as load:
        subprocess.run([KIOSQUE, "build", corpus, str(extra), "--index", str(index)], check=True)
        switched = wait_for(lambda: total("zelligeurs") == 1, 5)
        write_article(extra, "gnaoua", "Essaouira accueille les maalems gnaoua", "Trois nuits de transe.")
        subprocess.run([KIOSQUE, "update", corpus, str(extra), "--index", str(index)], check=True)
        wait_for(lambda: total("maalems") == 1, 5)
        subprocess.run([KIOSQUE, "build", corpus, "--index", str(index)], check=True)
        wait_for(lambda: total("zelligeurs") == 0, 5)
    assert load.sent > 50
    assert load.failures == []
    assert switched < 2.5
    # One access line a request, with its status and the time it took.
    access = list(ACCESS_LINE.finditer(log.read_text()))
    assert len(access) >= load.sent
    errors = [m.group(0) for m in access if m.group(2).startswith("5") and m.group(1) != "GET /api/health HTTP/1.1"]
    assert errors == []


@needs_corpus
def test_a_second_cron_run_exits_locked_and_the_index_is_intact(tmp_path):
    index = tmp_path / "index"
    first = subprocess.Popen([KIOSQUE, "build", str(SHARED_CORPUS / "articles"), "--index", str(index)])
    wait_for(lambda: (index / ".writer.lock").is_file() and (index / ".writer.lock").read_text().startswith("pid"), 30)
    second = subprocess.run(
        [KIOSQUE, "update", str(SHARED_CORPUS / "articles"), "--index", str(index)], capture_output=True, text=True
    )
    assert second.returncode == LOCKED
    assert second.stderr.startswith("Error: index ") and "is locked by pid" in second.stderr
    assert second.stderr.count("\n") == 1
    assert first.wait(timeout=300) == OK
    status = subprocess.run([KIOSQUE, "status", "--index", str(index), "--json"], capture_output=True, text=True)
    assert json.loads(status.stdout)["articles"] == 2700


def test_broken_sources_are_each_reported_once_and_the_rest_indexed(tmp_path, monkeypatch):
    source = tmp_path / "articles"
    for n in range(5):
        write_article(source, f"bon-{n}", f"Article numéro {n} sur le port de Tanger", "Un texte correct.")
    (source / "vide.txt").write_bytes(b"")
    (source / "binaire.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
    (source / "latin1.txt").write_bytes("date 2026-03-06 Société\n\nL'été à Fès\n".encode("latin-1"))
    (source / "tronque.txt").write_text("date 2026-03-", encoding="utf-8")
    with (source / "enorme.txt").open("wb") as huge:
        huge.truncate(50 * 1024 * 1024)
    write_article(source, "disparu", "Cet article disparaît pendant la lecture")
    (source / "boucle").symlink_to(source, target_is_directory=True)
    original = Path.read_bytes

    def vanishing(path: Path) -> bytes:
        if path.name == "disparu.txt":
            path.unlink()  # deleted between the listing and the reading
        return original(path)

    monkeypatch.setattr(Path, "read_bytes", vanishing)
    result = CliRunner().invoke(cli, ["build", str(source), "--index", str(tmp_path / "index")])
    assert result.exit_code == SOME_FAILED
    reported = result.stderr.splitlines()[:-1]
    broken = ["vide.txt", "binaire.txt", "latin1.txt", "tronque.txt", "enorme.txt", "disparu.txt", "boucle"]
    for name in broken:
        lines = [line for line in reported if line.startswith(str(source / name))]
        assert len(lines) == 1, (name, reported)
    assert len(reported) == len(broken)
    assert result.stderr.splitlines()[-1].startswith("added=5 updated=0 deleted=0 failed=7 ")


# Whoosh leaves the files of a segment it failed to write open until they are collected.
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize(("command", "procs"), [("build", "1"), ("build", "2"), ("update", "1")])
def test_a_full_disk_fails_loudly_and_keeps_the_live_index(tmp_path, monkeypatch, command, procs):
    source = tmp_path / "articles"
    for n in range(30):
        write_article(source, f"a{n}", f"Dépêche {n} sur le marché de l'eau", "Un paragraphe. " * 40)
    index = tmp_path / "index"
    build_index(index, [str(source)], procs=1)
    write_article(source, "nouveau", "Une dépêche de plus sur l'eau")
    original = filestore.FileStorage.create_file

    def full(self, name, *args, **kwargs):
        if name.endswith(".pst"):  # the postings a commit writes: the disk is full by then
            raise OSError(errno.ENOSPC, "No space left on device")
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(filestore.FileStorage, "create_file", full)
    monkeypatch.setattr("search.indexer._default_procs", lambda: int(procs))
    result = CliRunner().invoke(cli, [command, str(source), "--index", str(index)])
    assert result.exit_code == IO_ERROR, result.output
    assert result.stderr.startswith("Error: cannot write the index: ") and "live index is unchanged" in result.stderr
    monkeypatch.undo()
    location = IndexLocation(index)
    assert location.generation() == 1 and not list(index.glob(".work-*"))
    search = CliRunner().invoke(cli, ["search", "dépêche", "--index", str(index), "--json"])
    assert json.loads(search.stdout)["total"] == 30
    assert location.last_run()["ok"] is False
    del result  # its traceback holds the writer: collect those files now, not in another test
    gc.collect()


HOSTILE_VALUES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["0", "-1", "-99999", str(10**9), str(10**30), "1e3", "0x10", " 7", "١٢", "\x00", "a" * 10_000]),
)
PARAMS = st.sampled_from(["q", "tag", "category", "author", "from", "to", "sort", "page", "per_page", "recency"])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.lists(st.tuples(PARAMS, HOSTILE_VALUES), min_size=1, max_size=5))
def test_hostile_requests_never_get_a_server_error(client, query):
    for path in ("/", "/api/search", "/feed.atom"):
        response = client.get(path, query_string=query)
        assert response.status_code in (200, 400), (path, query)
        body = response.get_data(as_text=True)
        assert "Traceback" not in body
        if path == "/":
            for _, value in query:
                if "<" in value and len(value) > 3:
                    assert value not in body, "unescaped input in the page"


@pytest.mark.parametrize(
    "raw",
    [
        b"/?q=%FF%FE%FD",
        b"/api/search?q=%C3%28",
        b"/?q=%00%00",
        b"/api/search?q=caf%E9",
        b"/article/%FF%FE",
        b"/api/articles/%C0%AF",
        b"/?q=" + b"x" * 10_000,
        b"/api/search?per_page=1000000000&page=-5",
    ],
)
def test_invalid_utf8_and_huge_urls(client, raw):
    response = client.get(raw.decode("latin-1"))
    assert response.status_code in (200, 400, 404)
    assert b"Traceback" not in response.data


def test_a_real_server_answers_an_over_long_query_in_json(server):
    base, _, _ = server
    # 5,000 characters passed gunicorn's default request-line limit: an HTML 414.
    try:
        urllib.request.urlopen(base + "/api/search?q=" + "x" * 5000, timeout=10)
    except urllib.error.HTTPError as error:
        assert (error.code, error.headers.get_content_type()) == (400, "application/json")
        assert json.loads(error.read())["error"]["param"] == "q"
    else:
        raise AssertionError("an over-long query was accepted")
    # A request line of 8 KB, as browsers send, gets through to the application.
    status, _ = get_json(base + "/api/search?q=x&tag=" + "y" * 8100)
    assert status == 503  # no index yet: the app answered, not gunicorn


def test_a_real_server_survives_malformed_http(server):
    base, index, _ = server
    host, port = base.removeprefix("http://").split(":")
    for request in (b"GET /?q=%FF HTTP/1.1\r\nHost: x\r\n\r\n", b"GET /\x00 HTTP/1.1\r\n\r\n", b"NONSENSE\r\n\r\n"):
        with socket.create_connection((host, int(port)), timeout=10) as connection:
            connection.sendall(request)
            answer = connection.recv(200)
        assert not answer.startswith(b"HTTP/1.1 500"), answer
    assert get_json(base + "/api/health")[0] == 503  # still up, and honest: no index yet
