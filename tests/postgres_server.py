"""A real PostgreSQL server for the DuckLake catalog tests, and fixtures that use it.

The session starts one server from Debian's binaries (`initdb` + `pg_ctl`) in a temporary
folder on a free loopback port, as the `postgres` user when the tests run as root (PostgreSQL
refuses root), and stops it at the end. `MINWATCH_TEST_POSTGRES` ("host=... port=...
user=...") uses a running server instead. A server that cannot start fails the tests that
need it with the reason: `.ci/run` installs PostgreSQL (`make system-deps`).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from minwatch.warehouse.lake import Lake

SERVER_ENV = "MINWATCH_TEST_POSTGRES"


@dataclass(frozen=True)
class Postgres:
    host: str
    port: int
    user: str
    bindir: Path | None

    @property
    def dsn(self) -> str:
        return f"host={self.host} port={self.port} user={self.user}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        psql = str(self.bindir / "psql") if self.bindir else "psql"
        done = subprocess.run(
            [psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql],
            env={
                **os.environ,
                "PGHOST": self.host,
                "PGPORT": str(self.port),
                "PGUSER": self.user,
                "PGDATABASE": database,
            },
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"psql {sql!r} failed: {done.stderr.strip()}")
        return done.stdout

    def new_database(self) -> str:
        name = f"lake_{uuid.uuid4().hex[:12]}"
        self.psql(f"CREATE DATABASE {name}")
        return name


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(root: Path) -> tuple[Postgres, list[str]]:
    """Start a throwaway server under `root`; returns it and the command that stops it."""
    bindir = _bindir()
    if bindir is None:
        raise RuntimeError(
            "PostgreSQL is not installed (no initdb): run `make system-deps` as root, "
            "or `apt-get install -y postgresql`"
        )
    run_as: list[str] = []
    if os.geteuid() == 0:
        # PostgreSQL refuses to run as root.
        try:
            account = pwd.getpwnam("postgres")
        except KeyError as exc:
            raise RuntimeError("running as root and there is no postgres user to run as") from exc
        os.chown(root, account.pw_uid, account.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data = root / "data"
    port = _free_port()
    initdb = subprocess.run(
        [
            *run_as,
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if initdb.returncode != 0:
        raise RuntimeError(f"initdb failed: {initdb.stderr.strip()[-500:]}")
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    start = subprocess.run(
        [
            *run_as,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(root / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if start.returncode != 0:
        log = (
            (root / "server.log").read_text(errors="replace")[-800:]
            if (root / "server.log").exists()
            else ""
        )
        raise RuntimeError(f"pg_ctl start failed: {start.stderr.strip()} {log}".strip())
    stop = [*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]
    return Postgres("127.0.0.1", port, "postgres", bindir), stop


def _from_environment(dsn: str) -> Postgres:
    fields = dict(part.split("=", 1) for part in dsn.split())
    return Postgres(
        fields.get("host", "127.0.0.1"),
        int(fields.get("port", "5432")),
        fields.get("user", "postgres"),
        _bindir(),
    )


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """A PostgreSQL server for the session's DuckLake catalogs."""
    if dsn := os.environ.get(SERVER_ENV, "").strip():
        yield _from_environment(dsn)
        return
    root = Path(tempfile.mkdtemp(prefix="minwatch-pg-"))
    try:
        server, stop = start_server(root)
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"the DuckLake tests need a PostgreSQL server and none could start: {exc}")
    try:
        yield server
    finally:
        subprocess.run(stop, capture_output=True, timeout=120, check=False)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def lake(postgres: Postgres, tmp_path: Path) -> Lake:
    """A new, empty DuckLake warehouse: its own catalog database, data under tmp_path."""
    database = postgres.new_database()
    return Lake(
        catalog=f"postgres:dbname={database} {postgres.dsn}", data_path=str(tmp_path / "lake")
    )
