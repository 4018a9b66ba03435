"""What the crawl tests share: Scrapy settings without politeness delays (the loopback
server answers at once), and a crawl's landed records split into documents and failures."""

from __future__ import annotations

from minwatch.spiders.documents import read_landing
from minwatch.spiders.items import FetchFailure, RawDocument
from minwatch.spiders.runner import CrawlResult

FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False"}


def split_landing(
    result: CrawlResult, *, once: bool = False
) -> tuple[dict[str, RawDocument], list[FetchFailure]]:
    """The crawl's landed documents by source id, and its recorded failures. With `once`, a
    document landed twice fails the test."""
    documents: dict[str, RawDocument] = {}
    failures: list[FetchFailure] = []
    for record in read_landing(result.landing_path):
        if isinstance(record, RawDocument):
            assert not (once and record.source_id in documents), record.source_id
            documents[record.source_id] = record
        else:
            failures.append(record)
    return documents, failures
