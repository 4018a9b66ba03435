"""The end-of-run summary an operator reads at a glance."""

from __future__ import annotations

from flows.nightly import RunSummary

_COLUMNS = (
    ("source", 12),
    ("status", 8),
    ("fetched", 8),
    ("new", 5),
    ("updated", 8),
    ("unchanged", 10),
    ("failed", 7),
    ("extracted", 10),
    ("mentions", 9),
    ("lines", 6),
)
MAX_ERRORS_SHOWN = 10


def format_summary(summary: RunSummary) -> str:
    seconds = (summary.finished_at - summary.started_at).total_seconds()
    source_width = max([len(o.stats.source) for o in summary.outcomes] + [_COLUMNS[0][1]])
    columns = ((_COLUMNS[0][0], source_width), *_COLUMNS[1:])
    out = [
        f"minwatch {summary.mode} run {summary.run_id}: {summary.status.upper()} "
        f"in {seconds:.1f} s",
        "",
        "  ".join(
            name.rjust(width) if i else name.ljust(width) for i, (name, width) in enumerate(columns)
        ),
    ]
    for o in summary.outcomes:
        s = o.stats
        values = (
            s.source, s.status, s.fetched, s.new, s.updated, s.unchanged, s.failed,
            o.extracted, o.mentions, o.procurement_lines,
        )  # fmt: skip
        out.append(
            "  ".join(
                str(v).rjust(w) if i else str(v).ljust(w)
                for i, (v, (_, w)) in enumerate(zip(values, columns, strict=True))
            )
        )
    errors = [e for o in summary.outcomes for e in o.stats.errors]
    if errors:
        out += ["", f"{len(errors)} error(s) recorded (query the fetch_errors view for all):"]
        for e in errors[:MAX_ERRORS_SHOWN]:
            status = f" HTTP {e.http_status}" if e.http_status else ""
            out.append(f"  {e.source}: {e.error}{status} {e.url} - {e.message}"[:240])
        if len(errors) > MAX_ERRORS_SHOWN:
            out.append(f"  ... and {len(errors) - MAX_ERRORS_SHOWN} more")
    counts = summary.table_counts
    shown = ", ".join(
        f"{name} {counts[name]}"
        for name in ("documents", "mentions", "procurements", "export_controls")
        if name in counts
    )
    out += [
        "",
        f"warehouse: {summary.db_path} ({shown})",
        *([f"report:    {summary.report_path}"] if summary.report_path else []),
        *_alert_lines(summary),
        f'query it:  minwatch sql --db {summary.db_path} "SELECT * FROM procurements LIMIT 10"',
    ]
    return "\n".join(out)


def _alert_lines(summary: RunSummary) -> list[str]:
    alerts = summary.alerts
    if alerts is None:
        return []
    line = (
        f"alerts:    {len(alerts.new_alerts)} new, {alerts.delivery.sent} delivered, "
        f"{alerts.delivery.failed} failed (minwatch alerts lists them)"
    )
    return [line]
