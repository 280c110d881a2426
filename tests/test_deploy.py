"""The crontab and systemd files an operator copies: they parse, and their commands work."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLE_DIR

DEPLOY = ROOT / "deploy"
CRON_FIELDS = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]


def cron_lines() -> list[str]:
    lines = (DEPLOY / "crontab").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def valid_cron_field(field: str, low: int, high: int) -> bool:
    for part in field.split(","):
        match = re.fullmatch(r"(\*|\d+(?:-\d+)?)(?:/(\d+))?", part)
        if not match:
            return False
        if match.group(1) != "*":
            numbers = [int(n) for n in match.group(1).split("-")]
            if not all(low <= n <= high for n in numbers) or numbers != sorted(numbers):
                return False
        if match.group(2) is not None and int(match.group(2)) == 0:
            return False
    return True


@pytest.mark.parametrize("line", cron_lines())
def test_crontab_schedules_parse(line):
    fields = line.split()[:5]
    assert all(valid_cron_field(f, low, high) for f, (low, high) in zip(fields, CRON_FIELDS, strict=True)), line


def test_crontab_lines_are_the_ones_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for line in cron_lines():
        assert line in readme


def test_crontab_commands_run_silently(tmp_path):
    """Each command, pointed at a scratch index, succeeds and prints nothing (cron would mail it)."""
    articles = tmp_path / "articles"
    shutil.copytree(SAMPLE_DIR, articles)
    for line in cron_lines():
        command = " ".join(line.split()[5:])
        command = command.replace("/srv/kiosque/index", str(tmp_path / "index"))
        command = command.replace("/srv/kiosque", str(ROOT)).replace("/srv/articles", str(articles))
        command = command.replace(".venv/bin/kiosque", str(Path(sys.executable).parent / "kiosque"))
        result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120)
        assert (result.returncode, result.stdout, result.stderr) == (0, "", ""), command


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here")
def test_systemd_units_verify(tmp_path):
    kiosque = Path(sys.executable).parent / "kiosque"
    for unit in (DEPLOY / "systemd").iterdir():
        text = unit.read_text(encoding="utf-8").replace("/srv/kiosque/.venv/bin/kiosque", str(kiosque))
        # The units run as a 'kiosque' user, which this machine does not have.
        text = re.sub(r"^(User|Group)=kiosque$", r"\1=root", text, flags=re.M)
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    units = sorted(str(p) for p in tmp_path.iterdir())
    result = subprocess.run(["systemd-analyze", "verify", *units], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Unknown" not in result.stderr and "ignoring" not in result.stderr, result.stderr
    timers = {p.name: p.read_text() for p in (DEPLOY / "systemd").glob("*.timer")}
    assert set(timers) == {"kiosque-update.timer", "kiosque-build.timer"}
