"""DuckDB warehouse: schema migrations, idempotent loads, analyst views (see docs/schema.md)."""

from minwatch.warehouse.db import connect, redact_secrets, transaction
from minwatch.warehouse.load import (
    facts_hash,
    load_documents,
    load_extractions,
    needs_extraction,
    stored_content_hashes,
    summarize,
)
from minwatch.warehouse.migrate import MigrationError, applied_migrations, migrate
from minwatch.warehouse.runs import (
    close_interrupted_runs,
    finish_run,
    get_source_state,
    record_source_run,
    running_runs,
    set_source_state,
    start_run,
    table_counts,
)

ANALYST_VIEWS = (
    "documents",
    "mentions",
    "procurements",
    "procurement_notices",
    "deals",
    "deal_evidence",
    "suppliers",
    "supplier_names",
    "export_controls",
    "export_control_links",
    "export_controls_in_force",
    "export_control_disagreements",
    "runs",
    "fetch_errors",
    "new_since_last_run",
)

__all__ = [
    "ANALYST_VIEWS",
    "MigrationError",
    "applied_migrations",
    "close_interrupted_runs",
    "connect",
    "facts_hash",
    "finish_run",
    "get_source_state",
    "load_documents",
    "load_extractions",
    "migrate",
    "needs_extraction",
    "record_source_run",
    "redact_secrets",
    "running_runs",
    "set_source_state",
    "start_run",
    "stored_content_hashes",
    "summarize",
    "table_counts",
    "transaction",
]
