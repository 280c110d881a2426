"""The writer lock: two cron runs never write one index at once.

It is an advisory ``flock`` on a file in the index folder: the kernel releases
it when its process dies, however it dies, so a lock left by a killed run is
simply taken over by the next one.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from pathlib import Path
from types import TracebackType

__all__ = ["IndexLocked", "WriterLock"]

log = logging.getLogger(__name__)
_POLL_SECONDS = 0.1


class IndexLocked(RuntimeError):
    """Another run holds the writer lock of this index."""


class WriterLock:
    """Hold the writer lock of an index folder for the length of a ``with`` block."""

    def __init__(self, folder: Path, wait: float = 0.0):
        self.path = Path(folder) / ".writer.lock"
        self.wait = wait
        self._fd: int | None = None

    def _holder(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8").strip() or "another run"
        except OSError:
            return "another run"

    def __enter__(self) -> WriterLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + max(self.wait, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise IndexLocked(f"index {self.path.parent} is locked by {self._holder()}") from None
                time.sleep(_POLL_SECONDS)
        previous = os.read(fd, 200).decode("utf-8", "replace").strip()
        if previous:
            log.info("taking over the lock left by %s, which did not finish", previous)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode(), 0)
        self._fd = fd
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._fd is not None:
            # Emptied first, so that a non-empty lock file always means a run died.
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
