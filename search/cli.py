"""The ``kiosque`` command: build, update and query an index from a shell or cron.

Silent on success (cron mails any output); failures and the summary go to
stderr. Exit codes are documented in the README and in ``EXIT_CODES``.
"""

from __future__ import annotations

import errno
import html
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import click

from .cache import serving_stats
from .engine import Engine, NoIndex, SearchResponse
from .generations import IndexLocation
from .indexer import IncompleteIndex, IndexReport, NothingToIndex, build_index, update_index
from .locking import IndexLocked
from .request import SORTS, InvalidParameter, parse_request
from .sources import STDIN
from .understanding import DEFAULT_TIMEZONE, Synonyms, Understanding, load_synonyms, time_zone

OK, SOME_FAILED, USAGE, NO_INDEX, NOTHING_INDEXED, STALE, IO_ERROR, LOCKED = 0, 1, 2, 3, 4, 5, 74, 75
EXIT_CODES = {
    OK: "success",
    SOME_FAILED: "some articles could not be read; all the others were indexed",
    USAGE: "usage error (unknown option, missing source)",
    NO_INDEX: "no index at --index (run 'kiosque build' first)",
    NOTHING_INDEXED: "no article could be read: the live index was left as it was",
    STALE: "status: the last successful build or update is older than --max-age, or the last run failed",
    IO_ERROR: "the index could not be written (disk full, permissions): the live index was left as it was",
    LOCKED: "another run holds the index's writer lock (try again later, or use --wait)",
}

index_option = click.option(
    "--index",
    "index_dir",
    envvar="KIOSQUE_INDEX",
    default="index",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Index folder (env KIOSQUE_INDEX).",
)
synonyms_option = click.option(
    "--synonyms",
    "synonyms_file",
    envvar="KIOSQUE_SYNONYMS_FILE",
    type=click.Path(exists=True, dir_okay=False),
    help="Your synonym list, in Solr's synonyms.txt format, added to the shipped one (env KIOSQUE_SYNONYMS_FILE).",
)
timezone_option = click.option(
    "--timezone",
    envvar="KIOSQUE_TIMEZONE",
    default=DEFAULT_TIMEZONE,
    show_default=True,
    help="The site's time zone: « hier » in a query counts from its today (env KIOSQUE_TIMEZONE).",
)
verbose_option = click.option("-v", "--verbose", is_flag=True, help="Log progress and print a summary.")
sources_argument = click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, allow_dash=True))
wait_option = click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for another run's lock before giving up.",
)


def _fail(message: str, code: int) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def read_synonyms(path: str | None) -> Synonyms:
    """The shipped list and the operator's, each line left out said on stderr."""
    synonyms = load_synonyms(path)
    for problem in synonyms.problems:
        click.echo(f"Warning: synonyms: {problem} (left out)", err=True)
    return synonyms


def understanding_of(synonyms_file: str | None, timezone: str) -> Understanding:
    """How queries are read with these settings (a bad time zone is a usage error naming the option)."""
    try:
        zone = time_zone(timezone)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--timezone") from None
    return Understanding(synonyms=read_synonyms(synonyms_file), zone=zone)


def _setup_logging(verbose: bool) -> None:
    # Failures are always printed (cron mails them); the rest only with -v.
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(message)s",
        stream=sys.stderr,
        force=True,
    )


def _count_work(sources: tuple[str, ...]) -> int | None:
    """How many articles a progress bar should expect, None when unknown."""
    total = 0
    for source in sources:
        if source == STDIN:
            return None
        for root, _, files in os.walk(source) if os.path.isdir(source) else [("", [], [source])]:
            for name in files:
                path = os.path.join(root, name)
                if name.endswith(".txt"):
                    total += 1
                elif name.endswith(".jsonl"):
                    with open(path, "rb") as stream:
                        total += sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))
    return total


@contextmanager
def _progress(sources: tuple[str, ...], verbose: bool) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on a terminal, and nothing at all under cron."""
    if not sys.stderr.isatty() or verbose:
        yield None
        return
    bar: Any
    with click.progressbar(length=_count_work(sources), label="Indexing", file=sys.stderr) as bar:
        yield bar.update


@contextmanager
def _translate_errors() -> Iterator[None]:
    """Turn the library's exceptions into one line on stderr and an exit code."""
    try:
        yield
    except IndexLocked as error:
        _fail(str(error), LOCKED)
    except NothingToIndex as error:
        _fail(str(error), NOTHING_INDEXED)
    except NoIndex as error:
        _fail(str(error), NO_INDEX)
    except IncompleteIndex as error:
        _fail(f"cannot write the index: {error}; the live index is unchanged", IO_ERROR)
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EROFS, errno.EPERM):
            _fail(f"cannot write the index: {error}; the live index is unchanged", IO_ERROR)
        raise


def _finish(report: IndexReport, verbose: bool) -> None:
    if report.failed or verbose:
        click.echo(report.summary(), err=True)
    sys.exit(SOME_FAILED if report.failed else OK)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kiosque")
def cli() -> None:
    """Kiosque: full-text search for francophone news."""


@cli.command()
@sources_argument
@index_option
@wait_option
@verbose_option
def build(sources: tuple[str, ...], index_dir: str, wait: float, verbose: bool) -> None:
    """Index SOURCES from scratch and switch the live index to the result.

    SOURCES are article files (.txt, .jsonl), folders read recursively, or -
    for JSON Lines on standard input. Searches go on against the old index
    until the new one is complete; a failed or killed build changes nothing.

    Example:

        kiosque build data/sample --index index/
    """
    _setup_logging(verbose)
    with _translate_errors(), _progress(sources, verbose) as progress:
        report = build_index(index_dir, sources, wait=wait, progress=progress)
    _finish(report, verbose)


@cli.command()
@sources_argument
@index_option
@click.option("--prune", is_flag=True, help="Delete indexed articles that are no longer in SOURCES.")
@wait_option
@verbose_option
def update(sources: tuple[str, ...], index_dir: str, prune: bool, wait: float, verbose: bool) -> None:
    """Add new articles of SOURCES, re-index changed ones, keep the rest.

    Articles are compared by content, so unchanged ones are not rewritten,
    and when nothing changed the index is left as it is. Builds the index
    when there is none.

    Example:

        kiosque update data/sample --prune
    """
    _setup_logging(verbose)
    with _translate_errors(), _progress(sources, verbose) as progress:
        report = update_index(index_dir, sources, prune=prune, wait=wait, progress=progress)
    _finish(report, verbose)


def _terminal_text(fragment: str) -> str:
    """Snippet HTML for a terminal: marks in bold (where colours show), entities decoded."""
    bold = click.style("\x00", bold=True).split("\x00")
    text = fragment.replace("<mark>", bold[0]).replace("</mark>", bold[1])
    return html.unescape(text)


def _print_response(response: SearchResponse) -> None:
    request = response.request
    understood = response.understood
    if understood and understood.dates:
        how = "" if understood.applied else " (not applied: the explicit period wins)"
        click.echo(f"Period: {understood.dates.label}, read in « {understood.dates.words} »{how}")
    for expansion in understood.expansions if understood else []:
        click.echo(f"Also searched for {expansion.word}: {', '.join(expansion.synonyms)}")
    if response.some_words:
        click.echo(f"{response.all_words} article(s) with all the words, {response.some_words} with some of them.")
    if response.suggestion:
        click.echo(f"Did you mean: {response.suggestion}")
    if not response.hits:
        what = f"{request.q!r}" if request.q else "these filters"
        click.echo(f"No article found for {what}." if not response.total else f"Page {request.page} is past the end.")
        return
    click.echo(
        f"{response.total} article(s) for {request.q!r}, page {request.page}/{response.pages} "
        f"({response.took_ms:.0f} ms):"
    )
    first = (request.page - 1) * request.per_page
    for rank, hit in enumerate(response.hits, start=first + 1):
        when = hit.published.strftime("%Y-%m-%d %H:%M") if hit.published else "sans date"
        details = " · ".join(part for part in (when, hit.category, hit.author) if part)
        score = f" · score {hit.score:.2f}" if hit.score is not None else ""
        click.echo(f"{rank:3}. {_terminal_text(hit.title_html)}")
        click.echo(f"     {details} · {hit.id}{score}")
        if hit.snippet:
            click.echo(f"     {_terminal_text(hit.snippet)}")
    for name, values in response.facets.items():
        shown = ", ".join(f"{v.value} ({v.count}){' ✓' if v.selected else ''}" for v in values[:6])
        if shown:
            click.echo(f"  {name}: {shown}")


@cli.command()
@click.argument("query", required=False, default="")
@index_option
@click.option("--tag", "tags", multiple=True, help="Only articles with this tag (repeatable: all of them).")
@click.option("--category", help="Only this rubric.")
@click.option("--author", help="Only this author.")
@click.option("--from", "start", metavar="DATE", help="Published on or after (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--to", "end", metavar="DATE", help="Published on or before.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--page", default="1", show_default=True, help="Which page of results.")
@click.option("--per-page", "--limit", "per_page", default="10", show_default=True, help="Hits a page (1-100).")
@click.option("--no-recency", is_flag=True, help="Rank by relevance alone, whatever the articles' age.")
@click.option("--literal", is_flag=True, help="Search the words as typed: no synonyms, no dates read in them.")
@synonyms_option
@timezone_option
@click.option("--json", "as_json", is_flag=True, help="Print the whole response as JSON.")
def search(
    query: str,
    index_dir: str,
    tags: tuple[str, ...],
    category: str | None,
    author: str | None,
    start: str | None,
    end: str | None,
    sort: str,
    page: str,
    per_page: str,
    no_recency: bool,
    literal: bool,
    synonyms_file: str | None,
    timezone: str,
    as_json: bool,
) -> None:
    """Search the index for QUERY: ranked hits with snippets, facets and suggestions.

    QUERY understands "phrases", -exclusions, OR/OU, AND/ET, NOT/SAUF,
    parentheses, prefix* and fields titre:, auteur:, tag:, rubrique:, date:;
    synonyms (ONU also searches « Nations unies ») and dates in words
    (« septembre 2017 », « hier ») unless --literal.

    Example:

        kiosque search "Sergueï Lavrov" --tag Diplomatie --from 2025 --sort newest
    """
    params = {
        "q": [query],
        "tag": list(tags),
        "category": [category or ""],
        "author": [author or ""],
        "from": [start or ""],
        "to": [end or ""],
        "sort": [sort],
        "page": [page],
        "per_page": [per_page],
        "recency": ["0" if no_recency else "1"],
        "understand": ["0" if literal else "1"],
    }
    try:
        request = parse_request(params)
    except InvalidParameter as error:
        option = {"per_page": "--per-page", "from": "--from", "to": "--to", "q": "QUERY"}.get(error.param)
        raise click.BadParameter(error.message, param_hint=option or f"--{error.param}") from None
    understanding = understanding_of(synonyms_file, timezone)
    with _translate_errors():
        with Engine(index_dir, understanding=understanding) as engine:
            response = engine.search(request)
    if as_json:
        click.echo(json.dumps(response.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_response(response)


_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def _seconds(text: str) -> float:
    match = _DURATION.fullmatch(text.strip())
    if not match:
        raise click.BadParameter(f"{text!r} is not a duration such as 90, 15m, 2h or 1d", param_hint="--max-age")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def _ago(when: str | None, now: datetime) -> str:
    if not when:
        return "never"
    seconds = (now - datetime.fromisoformat(when)).total_seconds()
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{when.replace('T', ' ')} ({seconds / size:.0f} {unit} ago)"
    return f"{when.replace('T', ' ')} ({seconds:.0f} s ago)"


@cli.command()
@index_option
@click.option("--max-age", metavar="DURATION", help="Exit 5 when the last successful run is older (90, 15m, 2h, 1d).")
@synonyms_option
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status(index_dir: str, max_age: str | None, synonyms_file: str | None, as_json: bool) -> None:
    """Say what the index holds and how its last runs went; exit non-zero when it needs care.

    Exit codes: 0 fine, 3 no index, 5 the last run failed or the last
    successful one is older than --max-age. Made for monitors. The synonym
    lists searches use are listed too, with any line left out.

    Example:

        kiosque status --index /srv/kiosque/index --max-age 15m
    """
    limit = _seconds(max_age) if max_age else None
    location = IndexLocation(index_dir)
    live = location.live()
    now = datetime.now()
    meta, last = location.meta(), location.last_run()
    articles = None
    if live is not None:
        with Engine(index_dir) as engine:
            articles = engine.stats()["articles"]
    # An update that changed nothing leaves the live index as it was: the
    # last successful run, not the index's age, tells whether cron works.
    last_ok = last.get("started") if last.get("ok") else meta.get("built_at")
    if last.get("ok") and meta.get("built_at") and meta["built_at"] > last_ok:
        last_ok = meta["built_at"]
    age = (now - datetime.fromisoformat(last_ok)).total_seconds() if last_ok else None
    problems = []
    if live is None:
        problems.append(f"no index in {index_dir}")
    if last and not last.get("ok"):
        problems.append(f"the last {last.get('kind', 'run')} failed: {last.get('error')}")
    if limit is not None and (age is None or age > limit):
        problems.append(f"no successful run for more than {max_age}")
    synonyms = load_synonyms(synonyms_file)
    lock = location.folder / ".writer.lock"
    running = lock.read_text(encoding="utf-8").strip() if lock.is_file() else ""
    serving = serving_stats(location.folder)
    state = {
        "index": str(location.folder),
        "articles": articles,
        "generation": location.generation(),
        "built_at": meta.get("built_at"),
        "build_seconds": meta.get("seconds"),
        "last_run": last or None,
        "last_success": last_ok,
        "writer": running or None,
        "serving": serving,
        "problems": problems,
        "synonyms": {
            "lists": [{"file": source, "entries": count} for source, count in synonyms.sources],
            "left_out": [str(problem) for problem in synonyms.problems],
        },
    }
    if as_json:
        click.echo(json.dumps(state, ensure_ascii=False, indent=2))
    else:
        click.echo(f"index       {state['index']}")
        if live is not None:
            click.echo(f"articles    {articles} (generation {state['generation']})")
            how = f"{meta.get('kind', '?')} in {meta.get('seconds', 0):.1f} s"
            click.echo(f"built       {_ago(meta.get('built_at'), now)}, {how}")
        if last:
            outcome = "ok" if last.get("ok") else f"FAILED: {last.get('error')}"
            counts = " ".join(f"{k}={last[k]}" for k in ("added", "updated", "deleted", "failed") if k in last)
            click.echo(f"last run    {_ago(last.get('started'), now)}, {last.get('kind')}: {outcome} {counts}".rstrip())
            for failure in last.get("failures", [])[:5]:
                click.echo(f"  failed    {failure}")
        click.echo(f"writer      {'running: ' + running if running else 'idle'}")
        if serving:
            asked = serving["hits"] + serving["misses"]
            share = f"{serving['hits'] / asked:.0%}" if asked else "-"
            click.echo(
                f"cache       {serving['workers']} worker(s): {serving['hits']} hits, {serving['misses']} misses "
                f"({share} hits), {serving['entries']} responses kept, {serving['bytes'] / 2**20:.1f} MB"
            )
        click.echo(f"synonyms    {synonyms.summary()}")
        for left_out in synonyms.problems:
            click.echo(f"  left out  {left_out}")
        for problem in problems:
            click.echo(f"Problem: {problem}", err=True)
    if live is None:
        sys.exit(NO_INDEX)
    sys.exit(STALE if problems else OK)


def main() -> None:
    """Entry point of ``python -m search``."""
    cli(prog_name="kiosque")
