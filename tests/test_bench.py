"""The benchmarks run on any folder of articles, and say in one line when they have none."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT, SAMPLE_DIR

SCRIPTS = ("index_speed.py", "query_speed.py", "load.py")


def run(script, *args, bench=ROOT / "bench"):
    return subprocess.run(
        [sys.executable, str(bench / script), *args], capture_output=True, text=True, timeout=120, cwd=ROOT
    )


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_missing_corpus_is_one_line_not_a_traceback(tmp_path, script):
    result = run(script, "--corpus", str(tmp_path / "nowhere"))
    assert result.returncode != 0
    assert (
        result.stderr.strip()
        == f"{script}: no corpus at {tmp_path / 'nowhere'}: give a folder of articles with --corpus DIR"
    )


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_clone_without_the_shared_corpus_is_told_to_give_one(tmp_path, script):
    # The benchmarks copied into a checkout that has nothing beside it.
    shutil.copytree(ROOT / "bench", tmp_path / "checkout" / "bench")
    result = run(script, bench=tmp_path / "checkout" / "bench")
    assert result.returncode != 0
    assert result.stderr.strip() == f"{script}: no corpus to measure on: give a folder of articles with --corpus DIR"


def test_query_speed_measures_the_corpus_it_is_given():
    result = run("query_speed.py", "--corpus", str(SAMPLE_DIR), "--grow", "0")
    assert result.returncode == 0, result.stderr
    assert f"corpus {SAMPLE_DIR}: 48 articles" in result.stdout
    assert "kiosque   300 requests" in result.stdout and "baseline  300 requests" in result.stdout
