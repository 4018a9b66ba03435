"""The end-of-run summary an operator reads at a glance."""

from __future__ import annotations

import shlex

from minwatch.flows.nightly import RunSummary


def _warehouse_option(db: str) -> str:
    """The option naming the run's warehouse: --db FILE, or --warehouse for a DuckLake one."""
    if db.startswith("ducklake:"):
        return f"--warehouse {shlex.quote(db)}"
    return f"--db {db}"


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
        f"query it:  minwatch sql {_warehouse_option(summary.db_path)} "
        '"SELECT * FROM procurements LIMIT 10"',
    ]
    if steps := next_steps(summary):
        out += ["", "next:", *(f"  - {step}" for step in steps)]
    return "\n".join(out)


# What an operator can do about each kind of error, most specific first. A source's errors
# are matched in this order and each advice is given once per source.
_ADVICE: tuple[tuple[tuple[str, ...], str], ...] = (
    (("missing_api_key",), "set SAM_GOV_API_KEY in the job's environment, then run it again"),
    (("quota",), "the SAM.gov daily quota is spent; the next night resumes where this stopped"),
    (
        ("dns", "connection_refused", "connection_failed", "timeout"),
        "the source could not be reached (network, DNS or a down host); check the machine's "
        "network, then run it again",
    ),
    (
        ("refused_url", "private_address", "secret_refused", "foreign_link", "xml_entities"),
        "the source sent links or markup that were refused as unsafe; nothing was fetched "
        "from them (see the fetch_errors view)",
    ),
    (
        ("cap_links", "cap_documents", "parsed_too_large"),
        "a cap was hit (MINWATCH_MAX_* settings); what was left is fetched on a later night, "
        "or raise the cap for this source",
    ),
)


def next_steps(summary: RunSummary) -> list[str]:
    """One line per source that needs attention: what happened and what to do."""
    steps = []
    for outcome in summary.outcomes:
        stats = outcome.stats
        if stats.status == "ok":
            continue
        kinds = {e.error for e in stats.errors}
        advice = [text for names, text in _ADVICE if kinds & set(names)]
        if any(k.startswith("http_5") for k in kinds):
            advice.append("the source answered with server errors; they are retried next night")
        if stats.status == "failed":
            advice = advice or ["see the fetch_errors view for what failed"]
            steps.append(
                f"{stats.source} FAILED: {'; '.join(advice)}; `minwatch run --source "
                f"{stats.source}` retries it alone (its window is searched again)"
            )
        elif advice:
            steps.append(f"{stats.source}: {'; '.join(advice)}")
    return steps


def _alert_lines(summary: RunSummary) -> list[str]:
    alerts = summary.alerts
    if alerts is None:
        return []
    line = (
        f"alerts:    {len(alerts.new_alerts)} new, {alerts.delivery.sent} delivered, "
        f"{alerts.delivery.failed} failed (minwatch alerts lists them)"
    )
    return [line]


def markdown_summary(summary: RunSummary) -> str:
    """The run summary as the flow run's markdown artifact: one row per source, the errors,
    and what to do next."""
    seconds = (summary.finished_at - summary.started_at).total_seconds()
    out = [
        f"# minwatch {summary.mode} run {summary.run_id}: {summary.status.upper()}",
        "",
        f"{len(summary.outcomes)} sources in {seconds:.1f} s; warehouse `{summary.db_path}`.",
        "",
        "| source | status | documents | new | updated | unchanged | errors | extracted |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for o in summary.outcomes:
        s = o.stats
        status = f"**{s.status}**" if s.status != "ok" else s.status
        out.append(
            f"| {s.source} | {status} | {s.fetched} | {s.new} | {s.updated} | {s.unchanged} "
            f"| {s.failed} | {o.extracted} |"
        )
    errors = [e for o in summary.outcomes for e in o.stats.errors]
    if errors:
        out += ["", f"## Errors ({len(errors)}; the `fetch_errors` view has them all)", ""]
        for e in errors[:MAX_ERRORS_SHOWN]:
            status = f" HTTP {e.http_status}" if e.http_status else ""
            text = f"{e.source}: {e.error}{status} {e.url} - {e.message}"[:240]
            out.append(f"- {_escape(text)}")
        if len(errors) > MAX_ERRORS_SHOWN:
            out.append(f"- ... and {len(errors) - MAX_ERRORS_SHOWN} more")
    out += ["", "## What to do next", ""]
    steps = next_steps(summary) or ["nothing: every source ran without an error"]
    out += [f"- {_escape(step)}" for step in steps]
    if summary.alerts is not None:
        alerts = summary.alerts
        out += [
            "",
            f"Alerts: {len(alerts.new_alerts)} new, {alerts.delivery.sent} delivered, "
            f"{alerts.delivery.failed} failed (`minwatch alerts` lists them).",
        ]
    if summary.report_path:
        out += ["", f"Report: `{summary.report_path}`"]
    return "\n".join(out) + "\n"


def _escape(text: str) -> str:
    """Text from the sources (URLs, error messages) cannot break the table or add markup."""
    return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")
