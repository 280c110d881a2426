"""The kiosque command as cron and an operator see it: output, silence and exit codes."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
import threading

import pytest
from click.testing import CliRunner

from search.cli import EXIT_CODES, LOCKED, NO_INDEX, NOTHING_INDEXED, OK, SOME_FAILED, STALE, USAGE
from search.generations import IndexLocation
from search.locking import WriterLock
from web.cli import cli

from .conftest import ROOT, write_article


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def kiosque(runner, *args, **kwargs):
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False, **kwargs)


def test_build_is_silent_on_success(runner, articles_dir, index_dir):
    result = kiosque(runner, "build", articles_dir, "--index", index_dir)
    assert (result.exit_code, result.stdout, result.stderr) == (OK, "", "")


def test_build_verbose_prints_a_summary(runner, articles_dir, index_dir):
    result = kiosque(runner, "build", articles_dir, "--index", index_dir, "-v")
    assert result.exit_code == OK
    assert re.search(r"^added=3 updated=0 deleted=0 failed=0 seconds=\d+\.\d$", result.stderr, re.M)


def test_build_reports_each_broken_file_and_exits_1(runner, articles_dir, index_dir):
    (articles_dir / "vide.txt").write_text("", encoding="utf-8")
    (articles_dir / "binaire.txt").write_bytes(b"\x00\x01\x02")
    result = kiosque(runner, "build", articles_dir, "--index", index_dir)
    assert result.exit_code == SOME_FAILED
    lines = result.stderr.splitlines()
    assert f"{articles_dir / 'binaire.txt'}: binary file (NUL bytes), not a text article" in lines
    assert f"{articles_dir / 'vide.txt'}: empty file" in lines
    assert lines[-1].startswith("added=3 updated=0 deleted=0 failed=2 ")
    assert result.stdout == ""


def test_build_of_a_missing_folder_is_a_usage_error(runner, index_dir, tmp_path):
    result = kiosque(runner, "build", tmp_path / "nulle-part", "--index", index_dir)
    assert result.exit_code == USAGE
    assert "nulle-part" in result.stderr


def test_build_without_any_article_exits_4_and_keeps_the_index(runner, articles_dir, index_dir, tmp_path):
    kiosque(runner, "build", articles_dir, "--index", index_dir)
    (tmp_path / "vide").mkdir()
    result = kiosque(runner, "build", tmp_path / "vide", "--index", index_dir)
    assert result.exit_code == NOTHING_INDEXED
    assert result.stderr.startswith("Error: no article could be read")
    assert "tramway" in kiosque(runner, "search", "tramway", "--index", index_dir).stdout


@pytest.mark.parametrize("command", ["build", "update"])
def test_locked_index_exits_75_with_one_line(runner, articles_dir, index_dir, command):
    with WriterLock(index_dir):
        result = kiosque(runner, command, articles_dir, "--index", index_dir)
    assert result.exit_code == LOCKED
    assert re.fullmatch(r"Error: index .* is locked by pid \d+ since .*\n", result.stderr)


def test_wait_outlasts_a_short_lock(runner, articles_dir, index_dir):
    lock = WriterLock(index_dir).__enter__()
    threading.Timer(0.3, lock.__exit__, (None, None, None)).start()
    result = kiosque(runner, "build", articles_dir, "--index", index_dir, "--wait", "5")
    assert result.exit_code == OK


def test_update_prune_reports_deletions_with_verbose(runner, articles_dir, index_dir):
    kiosque(runner, "build", articles_dir, "--index", index_dir)
    (articles_dir / "maroc" / "tramway.txt").unlink()
    assert kiosque(runner, "update", articles_dir, "--index", index_dir).stderr == ""
    result = kiosque(runner, "update", articles_dir, "--index", index_dir, "--prune", "-v")
    assert result.exit_code == OK
    assert "added=0 updated=0 deleted=1 failed=0" in result.stderr


def test_index_folder_comes_from_the_environment(runner, articles_dir, index_dir):
    env = {"KIOSQUE_INDEX": str(index_dir)}
    assert kiosque(runner, "build", articles_dir, env=env).exit_code == OK
    assert (index_dir / "CURRENT").is_file()
    assert "Lavrov" in kiosque(runner, "search", "serguei lavrov", env=env).stdout


def test_build_reads_json_lines_from_standard_input(runner, index_dir):
    records = [
        {
            "id": "bbc-1",
            "title": "La saison des pluies arrive au Sahel",
            "body": "Les agriculteurs sèment.",
            "published": None,
        },
        {
            "id": "bbc-2",
            "title": "Abidjan accueille un sommet",
            "body": "Les chefs d’État arrivent.",
            "published": None,
        },
    ]
    stdin = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    assert kiosque(runner, "build", "-", "--index", index_dir, input=stdin).exit_code == OK
    result = kiosque(runner, "search", "chef d'état", "--index", index_dir, "--json")
    assert [hit["id"] for hit in json.loads(result.stdout)["hits"]] == ["bbc-2"]


def test_search_prints_ranked_hits(runner, articles_dir, index_dir):
    kiosque(runner, "build", articles_dir, "--index", index_dir)
    result = kiosque(runner, "search", "Sergueï Lavrov", "--index", index_dir)
    assert result.exit_code == OK
    assert re.match(r"1 article\(s\) for 'Sergueï Lavrov', page 1/1 \(\d+ ms\):", result.stdout)
    assert "  1. Bourita et Lavrov au téléphone" in result.stdout
    assert "2026-03-06 10:30 · Politique · Salma Idrissi · monde/lavrov" in result.stdout


def test_search_json_and_limit(runner, articles_dir, index_dir):
    write_article(articles_dir, "maroc/rabat", "Rabat regarde Casablanca", "Le tramway de Rabat attend ses rames.")
    kiosque(runner, "build", articles_dir, "--index", index_dir)
    result = kiosque(runner, "search", "Casablanca", "--index", index_dir, "--json", "--limit", "1")
    data = json.loads(result.stdout)
    assert set(data) >= {
        "total",
        "all_words",
        "some_words",
        "page",
        "per_page",
        "took_ms",
        "suggestion",
        "hits",
        "facets",
    }
    assert data["total"] == 2 and len(data["hits"]) == 1
    hit = data["hits"][0]
    assert set(hit) >= {"id", "title", "url", "published", "category", "author", "tags", "snippet", "score"}
    assert hit["id"] == "maroc/tramway" and hit["published"] == "2026-03-06T10:30:00"
    assert hit["tags"] == ["Transport", "Casablanca"]


def test_search_says_when_nothing_is_found(runner, articles_dir, index_dir):
    kiosque(runner, "build", articles_dir, "--index", index_dir)
    result = kiosque(runner, "search", "zanzibar", "--index", index_dir)
    assert (result.exit_code, result.stdout) == (OK, "No article found for 'zanzibar'.\n")


def test_search_without_an_index_exits_3(runner, index_dir):
    result = kiosque(runner, "search", "maroc", "--index", index_dir)
    assert result.exit_code == NO_INDEX
    assert result.stderr.startswith("Error: no index in ")


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_an_example(runner, command):
    result = kiosque(runner, command, "--help")
    assert result.exit_code == OK
    assert "Example:" in result.stdout


def test_readme_documents_every_exit_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in EXIT_CODES:
        assert re.search(rf"^\|\s*`?{code}`?\s*\|", readme, re.M), f"exit code {code} missing from README"


def _run_on_a_terminal(args):
    """Run kiosque with its stderr on a pseudo-terminal; return what it showed."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "search", *map(str, args)], stderr=terminal, stdout=subprocess.DEVNULL
    )
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    return process.wait(), shown.decode(errors="replace")


def test_progress_bar_on_a_terminal_only(articles_dir, index_dir):
    code, shown = _run_on_a_terminal(["build", articles_dir, "--index", index_dir])
    assert code == OK and "Indexing" in shown and "100%" in shown
    piped = subprocess.run(
        [sys.executable, "-m", "search", "build", articles_dir, "--index", index_dir], capture_output=True, text=True
    )
    assert (piped.returncode, piped.stderr) == (OK, "")


def test_console_script_is_installed():
    kiosque_script = os.path.join(os.path.dirname(sys.executable), "kiosque")
    result = subprocess.run([kiosque_script, "--help"], capture_output=True, text=True)
    assert result.returncode == OK and "build" in result.stdout and "search" in result.stdout


def test_status_without_an_index_exits_3(runner, index_dir):
    result = kiosque(runner, "status", "--index", index_dir)
    assert result.exit_code == NO_INDEX and "no index" in result.stderr


def test_status_reports_the_index_and_the_last_run(runner, articles_dir, index_dir):
    kiosque(runner, "build", articles_dir, "--index", index_dir)
    kiosque(runner, "update", articles_dir, "--index", index_dir)
    result = kiosque(runner, "status", "--index", index_dir, "--max-age", "10m")
    assert result.exit_code == OK, result.output
    assert "articles    3 (generation 1)" in result.stdout
    assert "update: ok added=0 updated=0 deleted=0 failed=0" in result.stdout
    state = json.loads(kiosque(runner, "status", "--index", index_dir, "--json").stdout)
    assert state["articles"] == 3 and state["problems"] == [] and state["last_run"]["kind"] == "update"


def test_status_flags_a_stale_index(runner, articles_dir, index_dir):
    kiosque(runner, "build", articles_dir, "--index", index_dir)
    for name in ("last-run.json", f"{IndexLocation(index_dir).live_name()}/kiosque.json"):
        path = index_dir / name
        record = json.loads(path.read_text())
        record.update({"started": "2020-01-01T00:00:00", "built_at": "2020-01-01T00:00:00"})
        path.write_text(json.dumps(record))
    result = kiosque(runner, "status", "--index", index_dir, "--max-age", "2h")
    assert result.exit_code == STALE and "no successful run for more than 2h" in result.stderr
    assert kiosque(runner, "status", "--index", index_dir).exit_code == OK  # no limit asked


def test_status_flags_a_failed_run(runner, articles_dir, index_dir, tmp_path):
    kiosque(runner, "build", articles_dir, "--index", index_dir)
    (tmp_path / "vide").mkdir()
    kiosque(runner, "build", tmp_path / "vide", "--index", index_dir)
    result = kiosque(runner, "status", "--index", index_dir)
    assert result.exit_code == STALE
    assert "the last build failed: no article could be read" in result.stderr
    assert "articles    3" in result.stdout  # the live index still serves


def test_status_rejects_a_bad_duration(runner, articles_dir, index_dir):
    kiosque(runner, "build", articles_dir, "--index", index_dir)
    assert kiosque(runner, "status", "--index", index_dir, "--max-age", "bientôt").exit_code == USAGE


def test_search_reads_the_operators_synonyms_and_names_a_bad_line(runner, articles_dir, index_dir, tmp_path):
    synonyms = tmp_path / "synonymes.txt"
    synonyms.write_text("# maison\nrail léger, tramway\nRabat\n", encoding="utf-8")
    kiosque(runner, "build", articles_dir, "--index", index_dir)
    assert kiosque(runner, "search", "rail léger", "--index", index_dir).stdout.startswith("No article found")
    result = kiosque(runner, "search", "rail léger", "--index", index_dir, "--synonyms", synonyms)
    assert "Also searched for rail léger: tramway" in result.stdout
    assert "1. Le tramway de Casablanca" in result.stdout
    assert f"Warning: synonyms: {synonyms}:3: 'Rabat' alone has no synonym" in result.stderr
    by_env = kiosque(runner, "search", "rail léger", "--index", index_dir, env={"KIOSQUE_SYNONYMS_FILE": str(synonyms)})
    assert "1. Le tramway de Casablanca" in by_env.stdout
    literal = kiosque(runner, "search", "rail léger", "--index", index_dir, "--synonyms", synonyms, "--literal")
    assert literal.stdout.startswith("No article found")


def test_search_reads_a_date_in_words_and_says_so(runner, articles_dir, index_dir):
    kiosque(runner, "build", articles_dir, "--index", index_dir)
    result = kiosque(runner, "search", "tramway mars 2026", "--index", index_dir)
    assert result.stdout.startswith("Period: mars 2026, read in « mars 2026 »\n")
    assert (
        json.loads(kiosque(runner, "search", "tramway juin 2026", "--index", index_dir, "--json").stdout)["total"] == 0
    )


@pytest.mark.parametrize("command", ["search", "serve"])
def test_an_unknown_time_zone_is_a_usage_error(runner, index_dir, command):
    result = kiosque(runner, command, "--index", index_dir, "--timezone", "Afrique/Rabat")
    assert result.exit_code == USAGE and "unknown time zone 'Afrique/Rabat'" in result.stderr


def test_status_lists_the_synonym_lists_and_what_they_left_out(runner, articles_dir, index_dir, tmp_path):
    synonyms = tmp_path / "synonymes.txt"
    synonyms.write_text("rail léger, tramway\nONU =>\n", encoding="utf-8")
    kiosque(runner, "build", articles_dir, "--index", index_dir)
    result = kiosque(runner, "status", "--index", index_dir, "--synonyms", synonyms)
    assert result.exit_code == OK
    listed = rf"synonyms    synonyms.txt \(\d+ entries\), {re.escape(str(synonyms))} \(1 entry\)"
    assert re.search(listed, result.stdout)
    assert f"  left out  {synonyms}:2: nothing after '=>'" in result.stdout
    state = json.loads(kiosque(runner, "status", "--index", index_dir, "--synonyms", synonyms, "--json").stdout)
    assert state["synonyms"]["left_out"] == [f"{synonyms}:2: nothing after '=>'"]
