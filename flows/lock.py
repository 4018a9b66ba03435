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
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from minwatch.warehouse.lake import Lake


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


# --- a DuckLake warehouse ------------------------------------------------------------------
# A lake has many writers on many machines, so a lock file beside it would serve one machine
# only. Its claims are PostgreSQL advisory locks in the catalog's own database instead: one
# per source a night crawls (two nights of different sources run at once, two of the same
# source do not), one per live run (the next night tells a dead run from a live one), and one
# for the alerts outbox (evaluation and delivery, a few seconds, one night at a time). Each
# group of claims is one open transaction on its own catalog connection: PostgreSQL drops
# them when it ends or when the process dies, so a killed night never leaves one behind.

# The advisory locks' first key: minwatch's claims, apart from any other user of the catalog.
_CLAIM_SPACE = 0x6D77  # "mw"
_held_claims: dict[tuple[str, str], int] = {}


def claim_key(name: str) -> int:
    """The advisory lock's second key for the claim `name` (a signed 32-bit integer)."""
    value = zlib.crc32(name.encode())
    return value - 2**32 if value >= 2**31 else value


def source_claim(source: str) -> str:
    return f"source:{source}"


def run_claim(run_id: str) -> str:
    return f"run:{run_id}"


def watch_claim(source: str) -> str:
    """Held beside `source_claim` by a watch poll, so a night can tell a poll from a night."""
    return f"watch:{source}"


OUTBOX_CLAIM = "outbox"


class _CatalogLocks:
    """One transaction on the lake's PostgreSQL catalog, holding advisory locks until closed."""

    def __init__(self, lake: Lake) -> None:
        import duckdb

        from minwatch.warehouse.lake import LakeError, load_extension, redact_catalog

        if lake.catalog_kind != "postgres":
            raise LakeError(
                f"runs into {lake} need a PostgreSQL catalog (ducklake:postgres:...): its "
                "advisory locks keep two nights of one source apart"
            )
        self.con = duckdb.connect()
        try:
            self.con.execute("SET autoinstall_known_extensions = false")
            load_extension(self.con, "postgres")
            conninfo = lake.catalog.split(":", 1)[1].replace("'", "''")
            try:
                self.con.execute(f"ATTACH '{conninfo}' AS catalog (TYPE postgres, READ_ONLY)")
            except duckdb.Error as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                raise LakeError(
                    f"cannot reach the catalog of {lake} for its run locks: {redact_catalog(first)}"
                ) from None
            self.con.execute("BEGIN TRANSACTION")
        except BaseException:
            self.con.close()
            raise

    def try_take(self, name: str) -> bool:
        sql = f"SELECT pg_try_advisory_xact_lock({_CLAIM_SPACE}, {claim_key(name)}) AS got"
        row = self.con.execute("SELECT got FROM postgres_query('catalog', ?)", [sql]).fetchone()
        return bool(row and row[0])

    def close(self) -> None:
        import duckdb

        try:
            self.con.execute("ROLLBACK")  # ends the transaction: PostgreSQL lets go of its locks
        except duckdb.Error:
            pass
        finally:
            self.con.close()


@contextmanager
def lake_claims(
    lake: Lake,
    names: Sequence[str],
    *,
    wait_s: float = 0.0,
    what: str = "run",
    poll_wait_s: float = 0.0,
) -> Iterator[None]:
    """Hold the claims `names` on `lake` for the block: all of them, or RunLocked naming the
    ones another process holds after `wait_s`. Re-entrant within one process.

    `poll_wait_s`: how long to wait instead when what holds a source is a watch poll (it
    holds `watch_claim` too), as a night waits for a poll of the file warehouse.
    """
    wanted = [n for n in dict.fromkeys(names) if (lake.catalog, n) not in _held_claims]
    if not wanted:
        with _held_lock:
            for name in names:
                _held_claims[(lake.catalog, name)] += 1
        try:
            yield
        finally:
            _release(lake, names)
        return
    locks = _CatalogLocks(lake)
    try:
        started = time.monotonic()
        while True:
            busy = [name for name in wanted if not locks.try_take(name)]
            if not busy:
                break
            waited = time.monotonic() - started
            if waited >= wait_s and not (waited < poll_wait_s and _polls_hold(lake, busy)):
                raise RunLocked(
                    f"another minwatch {what} is writing {', '.join(busy)} of {lake}; "
                    "wait for it to finish or stop it first"
                )
            # Locks taken this round stay held (re-taking a held one succeeds at once).
            time.sleep(_RETRY_S)
        with _held_lock:
            for name in names:
                _held_claims[(lake.catalog, name)] = _held_claims.get((lake.catalog, name), 0) + 1
        try:
            yield
        finally:
            _release(lake, names)
    finally:
        locks.close()


def _release(lake: Lake, names: Sequence[str]) -> None:
    with _held_lock:
        for name in names:
            key = (lake.catalog, name)
            _held_claims[key] -= 1
            if _held_claims[key] <= 0:
                del _held_claims[key]


def _polls_hold(lake: Lake, busy: Sequence[str]) -> bool:
    sources = [n.removeprefix("source:") for n in busy if n.startswith("source:")]
    return bool(sources) and bool(claimed_elsewhere(lake, [watch_claim(s) for s in sources]))


def claimed_elsewhere(lake: Lake, names: Sequence[str]) -> set[str]:
    """Which of `names` another process holds right now (taken and let go at once)."""
    mine = {n for n in names if (lake.catalog, n) in _held_claims}
    locks = _CatalogLocks(lake)
    try:
        return {name for name in names if name not in mine and not locks.try_take(name)}
    finally:
        locks.close()
