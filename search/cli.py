"""The ``kiosque`` command: build, update and query an index from a shell or cron.

Silent on success (cron mails any output); failures and the summary go to
stderr. Exit codes are documented in the README and in ``EXIT_CODES``.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from .engine import Engine, NoIndex
from .indexer import IndexReport, NothingToIndex, build_index, update_index
from .locking import IndexLocked
from .sources import STDIN

OK, SOME_FAILED, USAGE, NO_INDEX, NOTHING_INDEXED, IO_ERROR, LOCKED = 0, 1, 2, 3, 4, 74, 75
EXIT_CODES = {
    OK: "success",
    SOME_FAILED: "some articles could not be read; all the others were indexed",
    USAGE: "usage error (unknown option, missing source)",
    NO_INDEX: "no index at --index (run 'kiosque build' first)",
    NOTHING_INDEXED: "no article could be read: the live index was left as it was",
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


def _print_hits(result: Any) -> None:
    if not result.hits:
        click.echo(f"No article found for {result.query!r}.")
        return
    click.echo(f"{result.total} article(s) for {result.query!r}:")
    for rank, hit in enumerate(result.hits, start=1):
        when = hit.published.strftime("%Y-%m-%d %H:%M") if hit.published else "sans date"
        details = " · ".join(part for part in (when, hit.category, hit.author) if part)
        click.echo(f"{rank:3}. {hit.title}")
        click.echo(f"     {details} · {hit.id} · score {hit.score:.2f}")


@cli.command()
@click.argument("query")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True, help="How many hits.")
def search(query: str, index_dir: str, as_json: bool, limit: int) -> None:
    """Search the index for QUERY and print the best articles.

    Example:

        kiosque search "Sergueï Lavrov" --limit 5
    """
    with _translate_errors():
        result = Engine(index_dir).search(query, limit=limit)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_hits(result)


def main() -> None:
    """Entry point of ``python -m search``."""
    cli(prog_name="kiosque")
