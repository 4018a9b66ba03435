"""The HTML digest of a run and of the recent period (`minwatch report`).

The report reads only the analyst views of docs/schema.md, plus `document.first_run_id` to tell
what a run loaded for the first time. It is one self-contained file: plotly.js is inlined once
and nothing refers to another host, so it opens offline and as an e-mail attachment.
"""

from __future__ import annotations

import html
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import plotly.graph_objects as go
import plotly.io as pio
from markupsafe import Markup
from plotly.colors import qualitative
from plotly.offline import get_plotlyjs

import warehouse

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "report.html.j2"
PROCUREMENT_CHART_ID = "chart-procurement-value"
EXPORT_CONTROL_CHART_ID = "chart-export-controls"
MAX_ERRORS_SHOWN = 20
TOP_SUPPLIERS = 15
# The modebar's plotly logo links to plotly.com; a digest must not invite a click out.
CHART_CONFIG = {"displaylogo": False, "responsive": True}
PALETTE = qualitative.Plotly + qualitative.D3


@dataclass(frozen=True)
class RunInfo:
    run_id: str
    mode: str
    status: str
    started_at: datetime | None
    finished_at: datetime | None


def _utc(value: datetime | None) -> str:
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _day(value: date | None) -> str:
    return value.isoformat() if value is not None else "—"


def _usd(value: float | None) -> str:
    return "—" if value is None else f"${value:,.0f}"


def _tonnes(value: float | None) -> str:
    if value is None:
        return "—"
    # Below a tonne the digits that matter are after the point (e.g. 0.045 t of gallium).
    text = f"{value:,.{1 if abs(value) >= 1 else 3}f}"
    return text.rstrip("0").rstrip(".") + " t"


def _names(values: Sequence[str] | None) -> str:
    return ", ".join(values) if values else "—"


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params)
    columns = [d[0] for d in cursor.description or ()]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _select_run(con: duckdb.DuckDBPyConnection, run_id: str | None) -> RunInfo | None:
    """The named run, or the latest one; None when the warehouse has no run yet."""
    where = "WHERE run_id = $run_id" if run_id is not None else ""
    rows = _rows(
        con,
        f"""
        SELECT run_id, any_value(mode) AS mode, any_value(run_status) AS status,
               min(started_at) AS started_at,
               -- while a run is writing, a finished source does not make the run finished
               CASE WHEN any_value(run_status) <> 'running' THEN max(finished_at) END
                   AS finished_at
        FROM runs {where}
        GROUP BY run_id
        ORDER BY min(started_at) DESC, run_id DESC
        LIMIT 1
        """,
        {"run_id": run_id} if run_id is not None else None,
    )
    if not rows:
        if run_id is not None:
            raise ValueError(f"no run {run_id!r} in the warehouse")
        return None
    return RunInfo(**rows[0])


def _run_sources(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict[str, Any]]:
    return _rows(
        con,
        """
        SELECT coalesce(source, '—') AS source, status, fetched, new, updated, unchanged,
               failed, json_array_length(errors) AS errors
        FROM runs WHERE run_id = $run_id
        ORDER BY source NULLS FIRST
        """,
        {"run_id": run_id},
    )


def _run_errors(con: duckdb.DuckDBPyConnection, run_id: str) -> tuple[list[dict[str, Any]], int]:
    rows = _rows(
        con,
        """
        SELECT source, error, http_status, url, message, count(*) OVER () AS total
        FROM fetch_errors WHERE run_id = $run_id
        ORDER BY source, seq
        LIMIT $limit
        """,
        {"run_id": run_id, "limit": MAX_ERRORS_SHOWN},
    )
    return rows, int(rows[0]["total"]) if rows else 0


def _new_export_controls(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict[str, Any]]:
    # The same announcement in Chinese and English is two documents: the analyst wants it once,
    # under its English title when there is one.
    rows = _rows(
        con,
        """
        SELECT coalesce(e.announcement_key, e.doc_id) AS key,
               any_value(e.authority) AS authority,
               any_value(e.number) AS number,
               arg_min(e.title, CASE WHEN e.language = 'en' THEN 0 ELSE 1 END) AS title,
               min(e.issued_on) AS issued_on,
               min(e.effective_on) AS effective_on,
               list_sort(list_distinct(flatten(list(e.minerals)))) AS minerals,
               list_sort(list_distinct(flatten(list(e.suspends)))) AS suspends,
               list_sort(list_distinct(flatten(list(e.amends)))) AS amends,
               max(e.suspended_until) AS suspended_until,
               list_sort(list_distinct(list(e.language))) AS languages
        FROM export_controls AS e
        JOIN document AS d ON d.doc_id = e.doc_id
        WHERE d.first_run_id = $run_id
        GROUP BY coalesce(e.announcement_key, e.doc_id)
        ORDER BY issued_on DESC NULLS LAST, key
        """,
        {"run_id": run_id},
    )
    for row in rows:
        refs = [f"suspends {k}" for k in row["suspends"]] + [f"amends {k}" for k in row["amends"]]
        if row["suspended_until"] is not None:
            refs.append(f"until {_day(row['suspended_until'])}")
        row["references"] = "; ".join(refs) or "—"
    return rows


_PROCUREMENT_TOTALS = """
    count(*) AS lines,
    count(DISTINCT p.doc_id) AS documents,
    sum(p.usd) AS usd,
    sum(p.usd) FILTER (WHERE p.usd_is_upper_bound) AS ceiling_usd,
    sum(p.tonnes) AS tonnes
"""


def _new_procurements(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict[str, Any]]:
    return _rows(
        con,
        f"""
        SELECT p.mineral, {_PROCUREMENT_TOTALS},
               list_sort(list_distinct(flatten(list(p.suppliers)))) AS suppliers
        FROM procurements AS p
        JOIN document AS d ON d.doc_id = p.doc_id
        WHERE d.first_run_id = $run_id
        GROUP BY p.mineral
        ORDER BY sum(p.usd) DESC NULLS LAST, p.mineral
        """,
        {"run_id": run_id},
    )


def _top_suppliers(con: duckdb.DuckDBPyConnection, start: date, end: date) -> list[dict[str, Any]]:
    return _rows(
        con,
        f"""
        SELECT s.supplier, {_PROCUREMENT_TOTALS},
               list_sort(list_distinct(list(p.mineral))) AS minerals,
               max(p.posted_date) AS last_posted
        FROM procurements AS p, unnest(p.suppliers) AS s(supplier)
        WHERE p.posted_date BETWEEN $start AND $end
        GROUP BY s.supplier
        ORDER BY coalesce(sum(p.usd), 0) DESC, count(*) DESC, s.supplier
        LIMIT $limit
        """,
        {"start": start, "end": end, "limit": TOP_SUPPLIERS},
    )


def _months(start: date, end: date) -> list[str]:
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _procurement_chart(con: duckdb.DuckDBPyConnection, start: date, end: date) -> str | None:
    rows = _rows(
        con,
        """
        SELECT strftime(p.posted_date, '%Y-%m') AS month, p.mineral, p.usd_is_upper_bound,
               sum(p.usd) AS usd, count(*) AS lines
        FROM procurements AS p
        WHERE p.posted_date BETWEEN $start AND $end AND p.usd IS NOT NULL
        GROUP BY ALL
        ORDER BY ALL
        """,
        {"start": start, "end": end},
    )
    if not rows:
        return None
    months = _months(start, end)
    minerals = sorted({r["mineral"] for r in rows})
    fig = go.Figure()
    for index, mineral in enumerate(minerals):
        color = PALETTE[index % len(PALETTE)]
        for ceiling in (False, True):
            values = {
                r["month"]: r
                for r in rows
                if r["mineral"] == mineral and r["usd_is_upper_bound"] is ceiling
            }
            if not values:
                continue
            fig.add_bar(
                name=f"{mineral} (ceilings)" if ceiling else mineral,
                legendgroup=mineral,
                x=months,
                y=[values[m]["usd"] if m in values else None for m in months],
                marker={"color": color, "pattern": {"shape": "/" if ceiling else ""}},
                hovertext=[
                    html.escape(
                        f"{mineral}, {m}: {_usd(values[m]['usd'])} in {values[m]['lines']} "
                        f"line(s){' (up to)' if ceiling else ''}"
                    )
                    if m in values
                    else ""
                    for m in months
                ],
                hoverinfo="text",
            )
    fig.update_layout(
        template="plotly_white",
        barmode="stack",
        height=420,
        margin={"l": 70, "r": 20, "t": 30, "b": 50},
        xaxis={"type": "category", "title": {"text": "month posted (UTC)"}},
        yaxis={"title": {"text": "US dollars"}, "tickprefix": "$", "tickformat": "~s"},
        legend={"title": {"text": "mineral (hatched: ceilings)"}},
    )
    return pio.to_html(
        fig,
        full_html=False,
        include_plotlyjs=False,
        div_id=PROCUREMENT_CHART_ID,
        config=CHART_CONFIG,
        default_height="420px",
    )


def _period_announcements(
    con: duckdb.DuckDBPyConnection, start: date, end: date
) -> list[dict[str, Any]]:
    return _rows(
        con,
        """
        SELECT coalesce(announcement_key, doc_id) AS key,
               any_value(authority) AS authority,
               arg_min(title, CASE WHEN language = 'en' THEN 0 ELSE 1 END) AS title,
               min(issued_on) AS issued_on,
               min(effective_on) AS effective_on,
               list_sort(list_distinct(flatten(list(minerals)))) AS minerals
        FROM export_controls
        GROUP BY coalesce(announcement_key, doc_id)
        HAVING min(issued_on) BETWEEN $start AND $end
            OR min(effective_on) BETWEEN $start AND $end
            OR (min(issued_on) IS NULL AND min(effective_on) IS NULL)
        ORDER BY issued_on NULLS LAST, key
        """,
        {"start": start, "end": end},
    )


def _export_control_chart(announcements: list[dict[str, Any]]) -> str | None:
    dated = [a for a in announcements if a["issued_on"] is not None]
    if not dated:
        return None
    authorities = sorted({a["authority"] or "unknown" for a in dated})
    keys = [a["key"] for a in dated]
    fig = go.Figure()
    for index, authority in enumerate(authorities):
        color = PALETTE[index % len(PALETTE)]
        mine = [a for a in dated if (a["authority"] or "unknown") == authority]

        def hover(a: dict[str, Any]) -> str:
            return "<br>".join(
                html.escape(line)
                for line in (
                    a["key"],
                    a["title"] or "",
                    f"issued {_day(a['issued_on'])}, effective {_day(a['effective_on'])}",
                    f"minerals: {_names(a['minerals'])}",
                )
            )

        with_effect = [a for a in mine if a["effective_on"] is not None]
        if with_effect:
            # One segment per announcement; None breaks the line between announcements.
            xs: list[date | None] = []
            ys: list[str | None] = []
            for a in with_effect:
                xs += [a["issued_on"], a["effective_on"], None]
                ys += [a["key"], a["key"], None]
            fig.add_scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": color, "width": 2, "dash": "dot"},
                legendgroup=authority,
                showlegend=False,
                hoverinfo="skip",
            )
            fig.add_scatter(
                name=f"{authority} effective",
                x=[a["effective_on"] for a in with_effect],
                y=[a["key"] for a in with_effect],
                mode="markers",
                marker={"color": color, "symbol": "diamond-open", "size": 15, "line": {"width": 2}},
                legendgroup=authority,
                hovertext=[hover(a) for a in with_effect],
                hoverinfo="text",
            )
        fig.add_scatter(
            name=f"{authority} issued",
            x=[a["issued_on"] for a in mine],
            y=[a["key"] for a in mine],
            mode="markers",
            marker={"color": color, "symbol": "circle", "size": 11},
            legendgroup=authority,
            hovertext=[hover(a) for a in mine],
            hoverinfo="text",
        )
    height = max(260, 120 + 28 * len(keys))
    fig.update_layout(
        template="plotly_white",
        height=height,
        margin={"l": 150, "r": 20, "t": 30, "b": 50},
        xaxis={"type": "date", "title": {"text": "date (issued ● / effective ◇)"}},
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": list(reversed(keys)),  # earliest at the top, like a calendar
        },
    )
    return pio.to_html(
        fig,
        full_html=False,
        include_plotlyjs=False,
        div_id=EXPORT_CONTROL_CHART_ID,
        config=CHART_CONFIG,
        default_height=f"{height}px",
    )


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(usd=_usd, tonnes=_tonnes, day=_day, utc=_utc, names=_names)
    return env


def build_report(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str | None = None,
    days: int = 90,
    now: datetime | None = None,
) -> str:
    """The digest as one HTML document: the run `run_id` (default: the latest) and the `days`
    up to `now` (default: the current time), in UTC.

    Building twice from the same warehouse with the same `now` gives the same bytes.
    """
    if days < 1:
        raise ValueError(f"days must be at least 1, not {days}")
    now = (now or datetime.now(UTC)).astimezone(UTC)
    end = now.date()
    start = end - timedelta(days=days - 1)
    run = _select_run(con, run_id)
    sources = _run_sources(con, run.run_id) if run else []
    errors, error_total = _run_errors(con, run.run_id) if run else ([], 0)
    announcements = _period_announcements(con, start, end)
    charts = {
        "procurement": _procurement_chart(con, start, end),
        "export_controls": _export_control_chart(announcements),
    }
    plotlyjs = get_plotlyjs() if any(charts.values()) else None
    return (
        _environment()
        .get_template(TEMPLATE)
        .render(
            run=run,
            sources=sources,
            errors=errors,
            error_total=error_total,
            new_export_controls=_new_export_controls(con, run.run_id) if run else [],
            new_procurements=_new_procurements(con, run.run_id) if run else [],
            suppliers=_top_suppliers(con, start, end),
            top_suppliers=TOP_SUPPLIERS,
            announcements=announcements,
            undated=[a for a in announcements if a["issued_on"] is None],
            # Safe to inline: plotly.js and plotly's figure JSON never contain "</script" (plotly
            # escapes "<" and "/" in the data it serialises).
            plotlyjs=Markup(plotlyjs) if plotlyjs else None,
            charts={k: Markup(v) if v else None for k, v in charts.items()},
            start=start,
            end=end,
            days=days,
            generated_at=now,
        )
    )


def write_atomic(text: str, out_path: str | Path) -> Path:
    """Write `text` to `out_path` so a reader sees the old file or the new one, never half."""
    path = Path(out_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_report(
    db_path: str | Path,
    out_path: str | Path,
    *,
    run_id: str | None = None,
    days: int = 90,
    now: datetime | None = None,
) -> Path:
    """Open the warehouse read-only, build the digest and write it atomically to `out_path`.

    DuckDB refuses a second connection to a file this process already has open read-write:
    inside the nightly flow, call `write_atomic(build_report(con, ...), path)` instead.
    """
    con = warehouse.connect(db_path, read_only=True)
    try:
        text = build_report(con, run_id=run_id, days=days, now=now)
    finally:
        con.close()
    return write_atomic(text, out_path)
