"""The HTML digest of a run and of the recent period (`minwatch report`).

The report reads only the analyst views of docs/schema.md (`deals` and `suppliers` for the money,
so one award reported five times counts once), plus `document.first_run_id` to tell what a run
loaded for the first time. Nothing refers to another host, so it opens offline: plotly.js (4.8 MB)
is written once beside the reports and each report loads it by a relative name; a report built
with `plotly_src=None` inlines it instead, for a single file to mail.

The sections about the period (top suppliers, the two charts) cost seconds of queries over the
`deals` view; the night keeps them in `reports/.period-cache.json`, keyed on a fingerprint of
the data they read, and draws them again only when that data, the day or this code changed.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import plotly
import plotly.graph_objects as go
import plotly.io as pio
from markupsafe import Markup
from plotly.colors import qualitative
from plotly.offline import get_plotlyjs

from minwatch import warehouse
from minwatch.warehouse.alerts import suspended_part
from minwatch.warehouse.lake import Lake

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "report.html.j2"
PERIOD_TEMPLATE = "report_period.html.j2"
# Beside the night reports; a dot name, so neither NIGHT_REPORT_GLOB nor a reader's listing sees it.
PERIOD_CACHE_NAME = ".period-cache.json"
# Tables of run bookkeeping. The period sections read only the views `deals`, `suppliers` and
# `export_controls`, which read none of these, so a night that only adds a run (nothing new)
# leaves the fingerprint of the data as it was.
_BOOKKEEPING_TABLES = frozenset(
    {"run", "source_run", "fetch_error", "source_state", "alert", "alert_delivery"}
)
# Columns left out of the fingerprint: the text (its `content_hash` covers title, text and
# notice, spiders/documents.py; hashing every text each night would cost more than the rest)
# and the re-fetch marks an unchanged document gets, which no view reads.
_UNFINGERPRINTED_COLUMNS = frozenset(
    {
        ("document", "text"),
        ("document", "last_seen_at"),
        ("document", "last_run_id"),
        ("document_version", "text"),
    }
)
PROCUREMENT_CHART_ID = "chart-procurement-value"
EXPORT_CONTROL_CHART_ID = "chart-export-controls"
MAX_ERRORS_SHOWN = 20
TOP_SUPPLIERS = 15
# The modebar's plotly logo links to plotly.com; a digest must not invite a click out.
CHART_CONFIG = {"displaylogo": False, "responsive": True}
PALETTE = qualitative.Plotly + qualitative.D3
# The shared copy of plotly.js beside the reports; versioned, so an upgrade never mixes them.
PLOTLY_JS_NAME = f"plotly-{plotly.__version__}.min.js"
# The nightly run keeps the newest this many `minwatch-<run id>.html` (0: all); latest.html and
# reports written elsewhere with --out are never pruned.
KEEP_REPORTS_ENV = "MINWATCH_KEEP_REPORTS"
KEEP_REPORTS_DEFAULT = 30
NIGHT_REPORT_GLOB = "minwatch-*.html"


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
               -- the clauses suspended, as the Chinese text (then the English) parsed them
               arg_min(CAST(e.suspensions AS VARCHAR), CASE WHEN e.language = 'zh' THEN 0
                       ELSE 1 END) FILTER (WHERE e.suspensions IS NOT NULL) AS suspensions,
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
        clauses = {
            part["announcement"]: part
            for part in json.loads(row["suspensions"] or "[]")
            if part.get("clauses")
        }
        # a suspension of some clauses names them (the others stay in force)
        refs = [
            f"suspends {suspended_part(clauses[k])}" if k in clauses else f"suspends {k}"
            for k in row["suspends"]
        ] + [f"amends {k}" for k in row["amends"]]
        if row["suspended_until"] is not None:
            refs.append(f"until {_day(row['suspended_until'])}")
        row["references"] = "; ".join(refs) or "—"
    return rows


_DEAL_TOTALS = """
    count(*) AS deals,
    sum(d.reports) AS documents,
    sum(d.usd) AS usd,
    sum(d.usd) FILTER (WHERE d.usd_is_upper_bound) AS ceiling_usd,
    sum(d.tonnes) AS tonnes
"""


def _new_deals(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict[str, Any]]:
    """Deals first seen in the run, by mineral: a deal with only a new report of it is not new."""
    return _rows(
        con,
        f"""
        WITH new AS (
            SELECT item_id AS deal_id FROM new_since_run($run_id)
            WHERE item = 'deal' AND run_id = $run_id
        )
        SELECT d.mineral, {_DEAL_TOTALS},
               list_sort(list_distinct(flatten(list(d.suppliers)))) AS suppliers
        FROM deals AS d
        JOIN new USING (deal_id)
        GROUP BY d.mineral
        ORDER BY sum(d.usd) DESC NULLS LAST, d.mineral
        """,
        {"run_id": run_id},
    )


def _top_suppliers(con: duckdb.DuckDBPyConnection, start: date, end: date) -> list[dict[str, Any]]:
    return _rows(
        con,
        f"""
        WITH d AS (
            SELECT deal_id, mineral, deal_date, usd, usd_is_upper_bound, tonnes, reports,
                   unnest(supplier_ids) AS supplier_id
            FROM deals
            WHERE deal_date BETWEEN $start AND $end
        )
        SELECT s.name AS supplier, {_DEAL_TOTALS},
               list_sort(list_distinct(list(d.mineral))) AS minerals,
               max(d.deal_date) AS last_deal,
               any_value(s.aliases) AS aliases
        FROM d
        JOIN suppliers AS s ON s.supplier_id = d.supplier_id
        GROUP BY s.supplier_id, s.name
        ORDER BY coalesce(sum(d.usd), 0) DESC, count(*) DESC, s.name
        LIMIT $limit
        """,
        {"start": start, "end": end, "limit": TOP_SUPPLIERS},
    )


def _newest_data(con: duckdb.DuckDBPyConnection, end: date) -> date | None:
    """The newest day, up to `end`, that a deal or an announcement is dated (issued)."""
    row = con.execute(
        """
        SELECT max(day) FROM (
            SELECT deal_date AS day FROM deals
            UNION ALL
            SELECT issued_on FROM export_controls
        ) WHERE day <= $end
        """,
        {"end": end},
    ).fetchone()
    return row[0] if row else None


def _period(
    con: duckdb.DuckDBPyConnection, today: date, days: int
) -> tuple[date, date, str | None]:
    """The `days` ending today; when nothing is dated in them, the `days` ending at the newest
    data instead, with a sentence saying so (a demo's sample data is older than its night)."""
    start = today - timedelta(days=days - 1)
    newest = _newest_data(con, today)
    if newest is None or newest >= start:
        return start, today, None
    note = (
        f"Nothing is dated in the {days} days to {_day(today)}: the period shown ends at the "
        f"newest deal or announcement, {_day(newest)}."
    )
    return newest - timedelta(days=days - 1), newest, note


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
        SELECT strftime(d.deal_date, '%Y-%m') AS month, d.mineral, d.usd_is_upper_bound,
               sum(d.usd) AS usd, count(*) AS deals
        FROM deals AS d
        WHERE d.deal_date BETWEEN $start AND $end AND d.usd IS NOT NULL
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
                        f"{mineral}, {m}: {_usd(values[m]['usd'])} in {values[m]['deals']} "
                        f"deal(s){' (up to)' if ceiling else ''}"
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
        xaxis={"type": "category", "title": {"text": "month of the deal"}},
        yaxis={"title": {"text": "US dollars"}, "tickprefix": "$", "tickformat": "~s"},
        # Below the plot, in rows: at 420 px a legend at the side would leave the bars no room.
        legend={
            "title": {"text": "mineral (hatched: ceilings)"},
            "orientation": "h",
            "yanchor": "top",
            "y": -0.25,
            "x": 0,
        },
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
        legend={"orientation": "h", "yanchor": "top", "y": -0.35, "x": 0},
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
    env.filters.update(usd=_usd, tonnes=_tonnes, day=_day, utc=_utc, names=_names, url=_url)
    return env


def _url(value: str | None) -> Markup:
    """A URL that a narrow screen wraps after its separators, not one character a line."""
    if not value:
        return Markup("—")
    parts = re.split(r"(?<=[/?&=#])", value)
    return Markup("<wbr>").join(parts)  # each part escaped by the join


def build_report(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str | None = None,
    days: int = 90,
    now: datetime | None = None,
    generated_at: datetime | None = None,
    plotly_src: str | None = None,
) -> str:
    """The digest as one HTML document: the run `run_id` (default: the latest) and the `days`
    up to `now` (default: the current time), in UTC; when nothing is dated in those days, the
    `days` up to the newest data, and the page says so.

    `generated_at` (default: the current time) is the time of writing the header shows.
    `plotly_src` is where the page loads plotly.js from (a URL relative to the page, see
    `write_report`); None inlines it, 4.8 MB, for a self-contained file.
    Building twice from the same warehouse with the same arguments gives the same bytes.
    """
    return _build(
        con,
        run_id=run_id,
        days=days,
        now=now,
        generated_at=generated_at,
        plotly_src=plotly_src,
    )[0]


@dataclass(frozen=True)
class PeriodPart:
    """The period's sections as HTML, with what the rest of the page needs to know of them."""

    start: date
    end: date
    note: str | None
    has_chart: bool
    html: str

    def to_json(self, key: str) -> str:
        return json.dumps(
            {
                "key": key,
                "start": self.start.isoformat(),
                "end": self.end.isoformat(),
                "note": self.note,
                "has_chart": self.has_chart,
                "html": self.html,
            }
        )

    @classmethod
    def from_json(cls, text: str, key: str) -> PeriodPart | None:
        """The part a cache file holds when it was drawn for `key`; else None."""
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.get("key") != key:
                return None
            return cls(
                start=date.fromisoformat(data["start"]),
                end=date.fromisoformat(data["end"]),
                note=data["note"] if data["note"] is None else str(data["note"]),
                has_chart=bool(data["has_chart"]),
                html=str(data["html"]),
            )
        except (ValueError, KeyError, TypeError):
            return None


def _period_part(con: duckdb.DuckDBPyConnection, today: date, days: int) -> PeriodPart:
    start, end, note = _period(con, today, days)
    announcements = _period_announcements(con, start, end)
    charts = {
        "procurement": _procurement_chart(con, start, end),
        "export_controls": _export_control_chart(announcements),
    }
    text = (
        _environment()
        .get_template(PERIOD_TEMPLATE)
        .render(
            suppliers=_top_suppliers(con, start, end),
            top_suppliers=TOP_SUPPLIERS,
            announcements=announcements,
            undated=[a for a in announcements if a["issued_on"] is None],
            charts={k: Markup(v) if v else None for k, v in charts.items()},
            start=start,
            end=end,
        )
    )
    return PeriodPart(start, end, note, any(charts.values()), text)


def data_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """A hash that changes whenever a row of a table the period sections may read changes.

    Every base table of the warehouse's schema but the run bookkeeping, so a table added by a
    later migration counts without anyone remembering it, and `schema_migrations` with them,
    so a migration that only redefines a view counts too. Per table its row count and the XOR
    of its rows' hashes (every table has a primary key: no two rows cancel). Milliseconds on
    the bench corpus: the views are never evaluated.
    """
    columns: dict[str, list[str]] = {}
    for table, column in con.execute(
        """
        SELECT c.table_name, c.column_name
        FROM duckdb_columns() AS c
        JOIN duckdb_tables() AS t USING (database_name, schema_name, table_name)
        WHERE c.database_name = current_database() AND c.schema_name = current_schema()
        ORDER BY c.table_name, c.column_index
        """
    ).fetchall():
        if table in _BOOKKEEPING_TABLES or (table, column) in _UNFINGERPRINTED_COLUMNS:
            continue
        columns.setdefault(table, []).append(column)
    selects = [
        f"SELECT {_sql_text(table)} AS t, count(*) AS n, "
        f"bit_xor(hash({', '.join(_sql_name(c) for c in names)})) AS h "
        f"FROM {_sql_name(table)}"
        for table, names in sorted(columns.items())
    ]
    rows = con.execute(" UNION ALL ".join(selects) + " ORDER BY t").fetchall() if selects else []
    return hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()


def _sql_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _code_version() -> str:
    """This module, its templates and the libraries that draw: any change draws again (read
    each time, <1 ms: a served process outlives an edit of a template)."""
    digest = hashlib.sha256()
    for path in (Path(__file__), TEMPLATES / TEMPLATE, TEMPLATES / PERIOD_TEMPLATE):
        digest.update(path.read_bytes())
    digest.update(f"plotly {plotly.__version__} duckdb {duckdb.__version__}".encode())
    return digest.hexdigest()


def period_cache_key(con: duckdb.DuckDBPyConnection, today: date, days: int) -> str:
    """What the period's sections are drawn from: the data, the day the period ends, its length
    and the code; equal keys give the same sections."""
    parts = [data_fingerprint(con), today.isoformat(), str(days), _code_version()]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _cached_period_part(
    con: duckdb.DuckDBPyConnection, today: date, days: int, cache: Path, *, mode: int
) -> PeriodPart:
    """The period's sections from `cache` when they were drawn from the same key, else drawn
    and kept there (the file is left untouched when it already holds them)."""
    key = period_cache_key(con, today, days)
    try:
        cached = PeriodPart.from_json(cache.read_text(encoding="utf-8"), key)
    except (OSError, UnicodeDecodeError):
        cached = None
    if cached is not None:
        return cached
    part = _period_part(con, today, days)
    write_atomic(part.to_json(key), cache, mode=mode)
    return part


def _first_loaded_anything(con: duckdb.DuckDBPyConnection, run_id: str) -> bool:
    """Whether the run loaded any document for the first time: a deal or an announcement is new
    in a run only through a document first loaded in it (`new_since_run`)."""
    row = con.execute(
        "SELECT EXISTS (SELECT 1 FROM document WHERE first_run_id = $run_id)", {"run_id": run_id}
    ).fetchone()
    return bool(row and row[0])


def _build(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str | None,
    days: int,
    now: datetime | None,
    generated_at: datetime | None,
    plotly_src: str | None,
    period_cache: Path | None = None,
    cache_mode: int | None = None,
) -> tuple[str, bool]:
    """The page, and whether it has a chart (so needs plotly.js); with `period_cache`, the
    period's sections come from that file when the data they read did not change."""
    if days < 1:
        raise ValueError(f"days must be at least 1, not {days}")
    now = (now or datetime.now(UTC)).astimezone(UTC)
    run = _select_run(con, run_id)
    if period_cache is None:
        period = _period_part(con, now.date(), days)
    else:
        period = _cached_period_part(
            con,
            now.date(),
            days,
            period_cache,
            mode=_default_mode() if cache_mode is None else cache_mode,
        )
    sources = _run_sources(con, run.run_id) if run else []
    errors, error_total = _run_errors(con, run.run_id) if run else ([], 0)
    loaded = run is not None and _first_loaded_anything(con, run.run_id)
    plotlyjs = get_plotlyjs() if period.has_chart and plotly_src is None else None
    page = (
        _environment()
        .get_template(TEMPLATE)
        .render(
            run=run,
            sources=sources,
            errors=errors,
            error_total=error_total,
            new_export_controls=_new_export_controls(con, run.run_id) if run and loaded else [],
            new_deals=_new_deals(con, run.run_id) if run and loaded else [],
            # Safe to inline: plotly.js and plotly's figure JSON never contain "</script" (plotly
            # escapes "<" and "/" in the data it serialises).
            plotlyjs=Markup(plotlyjs) if plotlyjs else None,
            plotly_src=plotly_src if period.has_chart else None,
            period_sections=Markup(period.html),
            start=period.start,
            end=period.end,
            days=days,
            period_note=period.note,
            generated_at=(generated_at or datetime.now(UTC)).astimezone(UTC),
        )
    )
    return page, period.has_chart


def write_atomic(text: str, out_path: str | Path, *, mode: int | None = None) -> Path:
    """Write `text` to `out_path` so a reader sees the old file or the new one, never half.

    The file gets `mode` (default: what the umask gives a new file, as `open` would; not the
    0600 of a temporary file).
    """
    path = Path(out_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _default_mode() if mode is None else mode)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _default_mode() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _mode_of(db_path: Path) -> int:
    """The warehouse file's permission bits, execute bits aside: reports are read like it."""
    return db_path.stat().st_mode & 0o666


def write_plotly_js(folder: Path, *, mode: int | None = None) -> Path:
    """The shared plotly.js beside the reports, written once (again only if it is not whole)."""
    path = folder / PLOTLY_JS_NAME
    script = get_plotlyjs()
    if not (path.is_file() and path.stat().st_size == len(script.encode("utf-8"))):
        write_atomic(script, path, mode=mode)
    elif mode is not None and path.stat().st_mode & 0o777 != mode:
        path.chmod(mode)
    return path


def write_report(
    db_path: str | Path | Lake,
    out_path: str | Path,
    *,
    run_id: str | None = None,
    days: int = 90,
    now: datetime | None = None,
    generated_at: datetime | None = None,
    period_cache: Path | None = None,
) -> Path:
    """Open the warehouse read-only, build the digest and write it atomically to `out_path`,
    with the warehouse file's mode, and plotly.js beside it when the page has a chart.
    `period_cache` is the file that keeps the period's sections between nights (`_build`).

    DuckDB refuses a second connection to a file this process already has open read-write:
    inside the nightly flow, build from the published snapshot as `write_night_reports` does.
    A DuckLake warehouse (`Lake`) is read the same way; its report is written readable by all
    (0644), as the lake's catalog is shared.
    """
    target = db_path if isinstance(db_path, Lake) else Path(db_path)
    con = warehouse.connect(target, read_only=True)  # a missing warehouse: its clear error first
    try:
        mode = _mode_of(target) if isinstance(target, Path) else 0o644
        text, has_chart = _build(
            con,
            run_id=run_id,
            days=days,
            now=now,
            generated_at=generated_at,
            plotly_src=PLOTLY_JS_NAME,
            period_cache=period_cache,
            cache_mode=mode,
        )
    finally:
        con.close()
    out = Path(out_path)
    if has_chart:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_plotly_js(out.parent, mode=mode)
    return write_atomic(text, out, mode=mode)


def write_night_reports(
    db_path: str | Path,
    run_id: str,
    *,
    now: datetime | None = None,
    keep: int | None = None,
) -> Path:
    """The nightly digest: `reports/minwatch-<run_id>.html` and `reports/latest.html` beside the
    warehouse, then the oldest night reports beyond `keep` (default: $MINWATCH_KEEP_REPORTS, else
    30) removed. The path of the run's report.

    The period's sections are drawn again only when the data they read, the night's date or the
    code changed (`reports/.period-cache.json`): a night with nothing new redraws only the run's.
    """
    db = Path(db_path)
    reports = db.parent / "reports"
    path = write_report(
        db,
        reports / f"minwatch-{run_id}.html",
        run_id=run_id,
        now=now,
        period_cache=reports / PERIOD_CACHE_NAME,
    )
    write_atomic(path.read_text(encoding="utf-8"), reports / "latest.html", mode=_mode_of(db))
    prune_reports(reports, keep_reports_setting() if keep is None else keep, current=path)
    return path


def keep_reports_setting(environ: dict[str, str] | None = None) -> int:
    """$MINWATCH_KEEP_REPORTS as a count (0 keeps all); ValueError naming it when it is not."""
    env = dict(os.environ) if environ is None else environ
    text = env.get(KEEP_REPORTS_ENV, "").strip()
    if not text:
        return KEEP_REPORTS_DEFAULT
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise ValueError(f"{KEEP_REPORTS_ENV}={text!r} is not a number of reports (0 keeps all)")
    return value


def prune_reports(folder: Path, keep: int, *, current: Path | None = None) -> list[Path]:
    """Remove all but the newest `keep` night reports of `folder` (0: remove none); the removed.

    Run ids begin with their start time (`20261127T020000Z-…`), so names sort by age. The run's
    own report (`current`) is always kept.
    """
    if keep <= 0:
        return []
    reports = sorted(folder.glob(NIGHT_REPORT_GLOB), key=lambda p: p.name, reverse=True)
    removed = []
    for old in reports[keep:]:
        if current is not None and old.name == current.name:
            continue
        old.unlink(missing_ok=True)
        removed.append(old)
    return removed
