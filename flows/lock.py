"""One writer at a time: a second nightly run refuses instead of racing the first.

The watcher's polls (flows/watch.py) share the lock with the night without blocking it: a poll
holds it for seconds and says so in the lock file (`<pid> watch`); a run that finds a poll
holding it waits up to `WAIT_FOR_POLL_S` instead of refusing, and a poll that finds a run
holding it waits `wait_s` (briefly) and then skips its turn (RunLocked).
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class RunLocked(RuntimeError):
    pass


# The command line takes the lock before Prefect starts (so a second run refuses in
# milliseconds) and the flow takes it again inside: flock locks belong to an open file, so a
# second open in the same process would refuse its own holder. Held locks are counted instead.
_held: set[Path] = set()
_held_lock = threading.Lock()


def lock_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


# A watch poll that found something loads it in seconds (bench/watch_bench.py); a run waits
# this long for one before refusing, far more than a poll takes.
WAIT_FOR_POLL_S = 300.0
WATCH_ROLE = "watch"
_RETRY_S = 0.2


def _holder(fd: int) -> tuple[str, str]:
    """(pid, role) written in the lock file by its holder; role "run" for older holders."""
    text = os.pread(fd, 64, 0).decode(errors="replace").split()
    return (text[0] if text else "unknown"), (text[1] if len(text) > 1 else "run")


@contextmanager
def exclusive_run(
    db_path: Path, *, role: str = "run", wait_s: float | None = None
) -> Iterator[None]:
    """Hold `<db>.lock` for the whole run; the kernel drops it if the process dies, so a
    killed run never leaves a stale lock behind. Re-entrant within one process.

    `role` is written beside the pid ("watch" for a watcher's poll). `wait_s`: how long to
    wait for the holder before RunLocked; by default no wait for a run, up to
    `WAIT_FOR_POLL_S` for a watch poll.
    """
    lock_path = lock_path_for(Path(db_path)).resolve()
    with _held_lock:
        nested = lock_path in _held
    if nested:  # the outer holder releases it
        yield
        return
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        started = time.monotonic()
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                pid, holder_role = _holder(fd)
                allowed = wait_s
                if allowed is None:
                    allowed = WAIT_FOR_POLL_S if holder_role == WATCH_ROLE else 0.0
                if time.monotonic() - started < allowed:
                    time.sleep(_RETRY_S)
                    continue
                what = "watch poll" if holder_role == WATCH_ROLE else "run"
                raise RunLocked(
                    f"another minwatch {what} (pid {pid}) is writing {db_path}; "
                    "wait for it to finish or stop it first"
                ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {role}".encode(), 0)
        with _held_lock:
            _held.add(lock_path)
        try:
            yield
        finally:
            with _held_lock:
                _held.discard(lock_path)
    finally:
        os.close(fd)
