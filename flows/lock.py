"""One writer at a time: a second nightly run refuses instead of racing the first."""

from __future__ import annotations

import fcntl
import os
import threading
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


@contextmanager
def exclusive_run(db_path: Path) -> Iterator[None]:
    """Hold `<db>.lock` for the whole run; the kernel drops it if the process dies, so a
    killed run never leaves a stale lock behind. Re-entrant within one process."""
    lock_path = lock_path_for(Path(db_path)).resolve()
    with _held_lock:
        nested = lock_path in _held
    if nested:  # the outer holder releases it
        yield
        return
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
            raise RunLocked(
                f"another minwatch run (pid {holder}) is writing {db_path}; "
                "wait for it to finish or stop it first"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        with _held_lock:
            _held.add(lock_path)
        try:
            yield
        finally:
            with _held_lock:
                _held.discard(lock_path)
    finally:
        os.close(fd)
