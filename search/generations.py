"""The on-disk layout of an index folder, and its atomic switch.

::

    index/
      CURRENT            name of the live generation, replaced atomically
      gen-000012/        a complete Whoosh index and its kiosque.json
      gen-000011/        the previous one, kept a while for searchers still on it
      .work-000013/      a build in progress; never read, removed if abandoned
      .writer.lock

A build or update writes a new generation beside the live one and switches
``CURRENT`` only when it is complete, so readers never see a half-written
index and a killed run leaves the live one as it was.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path
from typing import Any

__all__ = ["IndexLocation", "LAST_RUN_FILE", "META_FILE"]

META_FILE = "kiosque.json"
LAST_RUN_FILE = "last-run.json"
_POINTER = "CURRENT"
_GENERATION = re.compile(r"(?:gen-|\.work-)(\d+)")
_RETIRED = ".retired"
# Searchers refresh within seconds; a retired generation outlives them by far.
RETIRED_GRACE_SECONDS = 600


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _number(name: str) -> int:
    """The generation number in a folder name: ``gen-000012`` → 12."""
    match = _GENERATION.fullmatch(name)
    if match is None:
        raise ValueError(f"not a generation folder: {name!r}")
    return int(match.group(1))


class IndexLocation:
    """An index folder holding generations of a Whoosh index."""

    def __init__(self, folder: str | os.PathLike[str]):
        self.folder = Path(folder)

    def live_name(self) -> str | None:
        """The name of the live generation, or None when there is none yet."""
        try:
            name = (self.folder / _POINTER).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return name if _GENERATION.fullmatch(name) and (self.folder / name).is_dir() else None

    def live(self) -> Path | None:
        """The folder of the live generation, or None when there is none yet."""
        name = self.live_name()
        return self.folder / name if name else None

    def generation(self) -> int | None:
        """The number of the live generation."""
        name = self.live_name()
        return _number(name) if name else None

    def meta(self) -> dict[str, Any]:
        """What the live generation's build recorded (empty when unknown)."""
        live = self.live()
        try:
            return json.loads((live / META_FILE).read_text(encoding="utf-8")) if live else {}
        except (OSError, ValueError):
            return {}

    def record_run(self, record: dict[str, Any]) -> None:
        """Keep how the latest build or update went, failed or not (for ``kiosque status``)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f".{LAST_RUN_FILE}.{os.getpid()}"
        temporary.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(temporary, self.folder / LAST_RUN_FILE)

    def last_run(self) -> dict[str, Any]:
        """How the latest build or update went (empty when none finished yet)."""
        try:
            return json.loads((self.folder / LAST_RUN_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _numbers(self) -> list[int]:
        if not self.folder.is_dir():
            return []
        return [_number(p.name) for p in self.folder.iterdir() if _GENERATION.fullmatch(p.name)]

    def new_workspace(self) -> Path:
        """A fresh folder for the next generation (call under the writer lock)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        number = max(self._numbers(), default=0) + 1
        workspace = self.folder / f".work-{number:06d}"
        workspace.mkdir()
        return workspace

    def publish(self, workspace: Path, meta: dict[str, Any]) -> int:
        """Make a complete workspace the live generation, atomically; return its number."""
        number = _number(workspace.name)
        meta = {**meta, "generation": number}
        (workspace / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        for path in workspace.iterdir():
            with path.open("rb") as stream:
                os.fsync(stream.fileno())
        _fsync_folder(workspace)
        name = f"gen-{number:06d}"
        os.rename(workspace, self.folder / name)
        previous = self.live()

        pointer = self.folder / f".{_POINTER}.{os.getpid()}"
        pointer.write_text(name + "\n", encoding="ascii")
        with pointer.open("rb") as stream:
            os.fsync(stream.fileno())
        os.replace(pointer, self.folder / _POINTER)
        _fsync_folder(self.folder)

        if previous is not None:
            (previous / _RETIRED).write_text(str(time.time()), encoding="ascii")
        self.clean()
        return number

    def clean(self, now: float | None = None) -> None:
        """Remove abandoned workspaces and long-retired generations (under the lock)."""
        if not self.folder.is_dir():
            return
        now = time.time() if now is None else now
        live = self.live_name()
        retired = []
        for path in self.folder.iterdir():
            if path.name.startswith(".work-"):
                shutil.rmtree(path, ignore_errors=True)
            elif _GENERATION.fullmatch(path.name) and path.name != live:
                retired.append(path)
        # The newest retired generation stays: a searcher may still be on it.
        retired.sort(key=lambda p: p.name)
        for path in retired[:-1]:
            try:
                since = float((path / _RETIRED).read_text(encoding="ascii"))
            except (OSError, ValueError):
                since = path.stat().st_mtime
            if now - since > RETIRED_GRACE_SECONDS:
                shutil.rmtree(path, ignore_errors=True)
