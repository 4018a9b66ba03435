"""Running minwatch's heavy work on a Dask cluster (`--dask tcp://HOST:8786`).

Prefect's DaskTaskRunner sends the flow's tasks to the cluster's workers; the flow itself, and
every write to the warehouse, stay in the process that started it. A worker loads spaCy once,
when it starts (`SpacyPreload`) or at its first batch, and keeps that Extractor for every
batch it is given. Workers need minwatch installed and the landing zone readable at the same
path or URL (a shared folder, or an fsspec URL such as `s3://...`).

Without `--dask` none of this is imported: a single machine needs no Dask.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from minwatch.nlp import Extractor
from minwatch.spiders.documents import Document
from minwatch.warehouse.records import ExtractionBundle

_ADDRESS = re.compile(r"^(tcp|tls|inproc|ucx|ws|wss)://\S+$")


class DaskAddressError(ValueError):
    """`--dask` is not the address of a Dask scheduler."""


def check_address(address: str) -> str:
    """A scheduler address as `distributed` takes it; a bare host:port gets tcp://."""
    address = address.strip()
    if re.fullmatch(r"[\w.\-\[\]:]+:\d+", address):
        address = f"tcp://{address}"
    if not _ADDRESS.match(address):
        raise DaskAddressError(
            f"--dask {address!r} is not a Dask scheduler address; give tcp://HOST:8786"
        )
    return address


@lru_cache(maxsize=1)
def worker_extractor() -> Extractor:
    """This process's Extractor: spaCy is loaded once per worker, never per batch."""
    return Extractor()


def extract_here(documents: Sequence[Document]) -> list[ExtractionBundle]:
    """Extract `documents` in this process (a Dask worker runs one batch at a time per thread;
    no process pool of its own inside it)."""
    from minwatch.flows.transform import extraction_bundle

    items = (
        (
            d.text,
            {"language": d.language, "title": d.title, "known_suppliers": d.known_suppliers},
        )
        for d in documents
    )
    facts = worker_extractor().extract_many(items)
    return [
        extraction_bundle(doc.doc_id, doc_facts)
        for doc, doc_facts in zip(documents, facts, strict=True)
    ]


def spacy_preload_plugin() -> Any:
    """A worker plugin that loads spaCy as each worker starts (and on workers that join later),
    so the first batches do not wait for it."""
    from distributed import WorkerPlugin

    class SpacyPreload(WorkerPlugin):
        name = "minwatch-spacy-preload"

        def setup(self, worker: Any) -> None:
            worker_extractor()

    return SpacyPreload()


def prepare_cluster(address: str, timeout_s: float = 60) -> int:
    """Connect to the scheduler, register the spaCy preload on its workers; return how many
    workers it has. Fails in one sentence when no scheduler answers."""
    from distributed import Client

    try:
        client = Client(address, timeout=timeout_s)
    except (OSError, TimeoutError) as exc:
        raise DaskAddressError(f"no Dask scheduler answers at {address}: {exc}") from None
    try:
        client.register_plugin(spacy_preload_plugin())
        return len(client.scheduler_info().get("workers", {}))
    finally:
        client.close()


@contextmanager
def prefect_api_for_workers() -> Iterator[str]:
    """A Prefect API that the workers' task runs report to; yields its URL.

    Without PREFECT_API_URL a flow runs on a temporary server that only its own process
    knows, and each worker would start another. The temporary server is started here and
    named in the settings the task runner sends with every task, which serves workers on
    this machine; workers on other machines need PREFECT_API_URL set to a Prefect server
    they reach (`prefect server start`, README "Scaling out").
    """
    from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

    configured = get_current_settings().api.url
    if configured:
        yield str(configured)
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()
    server.start(timeout=120)
    with temporary_settings({PREFECT_API_URL: server.api_url}):
        yield server.api_url


def dask_task_runner(address: str) -> Any:
    """Prefect's task runner for the cluster at `address`."""
    from prefect_dask import DaskTaskRunner

    return DaskTaskRunner(address=address)
