"""Items that cross the spider -> landing boundary, validated by pydantic.

A landing file is JSON Lines: one `RawDocument` or `FetchFailure` per line, told apart by
`type`. Raw bodies are kept as received so extraction can be re-run without re-crawling.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

DocumentKind = Literal["procurement", "export_control", "regulation", "news"]
# How the raw payload is turned into text later (spiders.documents.to_document dispatches on it).
RawFormat = Literal[
    "sam_opportunity",
    "article_html",
    "feed_entry",
    "federal_register",
    "mofcom_article",
    "dla_page",
]


class RawDocument(BaseModel):
    """One fetched document, as it came off the wire."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: Literal["document"] = "document"
    source: str = Field(min_length=1)  # the configured source name, e.g. "sam_gov"
    source_id: str = Field(min_length=1)  # stable id within the source (noticeId, normalised URL)
    format: RawFormat
    kind: DocumentKind
    url: str = Field(min_length=1)  # never carries an API key
    fetched_at: datetime
    http_status: int
    content_type: str | None = None
    title: str | None = None
    published_at: datetime | None = None
    language: str = "en"
    body: str | None = None  # decoded body (HTML / XML) as received
    data: dict[str, Any] | None = None  # parsed JSON record and source-specific fields


class FetchFailure(BaseModel):
    """A request that failed or a response that could not be parsed, recorded against its source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: Literal["error"] = "error"
    source: str
    url: str  # never carries an API key
    source_id: str | None = None
    http_status: int | None = None
    error: str  # short class, e.g. "http_404", "quota", "malformed_json", "timeout"
    message: str
    occurred_at: datetime


LandingRecord = RawDocument | FetchFailure
