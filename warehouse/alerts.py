"""Alerts over the warehouse: which announcements and watch-rule matches deserve one, and the
outbox that records each alert and each attempt to deliver it (see docs/alerts.md).

An alert is keyed by what it is about, so evaluating again (another night, another source,
the other language) finds the same key and inserts nothing. Delivery itself lives in
`flows.alerts`; this module only reads and writes tables.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

import duckdb

from minwatch.warehouse.db import redact_secrets, retry_conflicts, transaction
from minwatch.warehouse.lake import is_lake

AlertKind = Literal["export_control", "watch_rule"]
DeliveryStatus = Literal["sent", "failed"]
DOCUMENT_KINDS = ("procurement", "export_control", "regulation", "news")


@dataclass(frozen=True)
class WatchRule:
    """An analyst's standing question; every condition that is set must hold (None = any).

    A rule that sets a procurement-line condition (buyers, notice_types, min_usd, min_tonnes,
    firm_only) matches procurement lines and reports the matching lines of each document;
    otherwise it matches documents by kind, source and the minerals extracted from them.
    """

    name: str
    kinds: tuple[str, ...] | None = None
    sources: tuple[str, ...] | None = None
    minerals: tuple[str, ...] | None = None
    buyers: tuple[str, ...] | None = None
    notice_types: tuple[str, ...] | None = None
    min_usd: float | None = None
    min_tonnes: float | None = None
    firm_only: bool = False  # ignore "up to" ceilings when comparing min_usd

    @property
    def matches_lines(self) -> bool:
        return (
            self.buyers is not None
            or self.notice_types is not None
            or self.min_usd is not None
            or self.min_tonnes is not None
            or self.firm_only
        )


@dataclass(frozen=True)
class AlertRecord:
    alert_key: str
    kind: AlertKind
    rule_name: str | None
    title: str
    payload: dict[str, Any]
    related_alert_key: str | None

    def payload_json(self) -> str:
        return json.dumps(self.payload, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class PendingAlert:
    alert_key: str
    kind: str
    title: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class DeliveryState:
    target: str
    status: str  # sent | failed | pending (no attempt yet)
    attempts: int
    last_error: str | None
    last_attempt_at: datetime | None


@dataclass(frozen=True)
class AlertStatus:
    alert_key: str
    kind: str
    rule_name: str | None
    title: str
    created_at: datetime
    created_run_id: str
    related_alert_key: str | None
    deliveries: tuple[DeliveryState, ...]

    @property
    def status(self) -> str:
        """`sent` once every target has it, `failed` while one keeps failing, else `pending`."""
        states = {d.status for d in self.deliveries}
        if "failed" in states:
            return "failed"
        return "sent" if states == {"sent"} else "pending"


def announcement_alert_key(announcement_key: str) -> str:
    return f"announcement:{announcement_key}"


def rule_alert_key(rule_name: str, doc_id: str) -> str:
    return f"rule:{rule_name}:{doc_id}"


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


_EXPORT_CONTROL_COLUMNS = (
    "announcement_key",
    "doc_id",
    "authority",
    "number",
    "title",
    "issued_on",
    "effective_on",
    "minerals",
    "language",
    "control_codes",
    "suspends",
    "amends",
    "suspended_until",
    "kind",
    "source",
    "url",
    "suspensions",
)


def _reports_by_announcement(con: duckdb.DuckDBPyConnection) -> dict[str, list[dict[str, Any]]]:
    rows = con.execute(
        f"SELECT {', '.join(_EXPORT_CONTROL_COLUMNS)} FROM export_controls "
        "WHERE announcement_key IS NOT NULL ORDER BY announcement_key, doc_id"
    ).fetchall()
    # Documents still on the Federal Register's public inspection desk (migration 0009).
    filed = {
        doc_id: (scheduled, filing_type)
        for doc_id, scheduled, filing_type in con.execute(
            "SELECT doc_id, scheduled_publication_date, filing_type FROM announcement "
            "WHERE pre_publication"
        ).fetchall()
    }
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        record = dict(zip(_EXPORT_CONTROL_COLUMNS, row, strict=True))
        if record["doc_id"] in filed:
            record["scheduled_publication_date"], record["filing_type"] = filed[record["doc_id"]]
        grouped.setdefault(record["announcement_key"], []).append(record)
    return grouped


def _first(rows: Iterable[dict[str, Any]], column: str) -> Any:
    return next((r[column] for r in rows if r[column] is not None), None)


def _suspensions(ranked: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per target, the clauses suspended and the span, from the best-ranked report that parsed
    them (migration 0012); [] where no report names clauses."""
    by_target: dict[str, dict[str, Any]] = {}
    for report in ranked:
        for part in json.loads(report["suspensions"] or "[]"):
            by_target.setdefault(part["announcement"], part)
    return [by_target[k] for k in sorted(by_target)]


def suspended_part(part: Mapping[str, Any]) -> str:
    """ "MOFCOM 2024-46 clause 2": what one suspension suspends; the whole announcement when no
    clause is named."""
    clauses = list(part.get("clauses") or [])
    what = str(part["announcement"])
    if clauses:
        what += f" clause{'s' if len(clauses) > 1 else ''} {', '.join(clauses)}"
    return what


def describe_suspension(part: Mapping[str, Any]) -> str:
    """ "MOFCOM 2024-46 clause 2 until 2026-11-27": what an alert says of one suspension."""
    until = part.get("suspended_until")
    return f"{suspended_part(part)} until {until}" if until else suspended_part(part)


def announcement_alert(announcement_key: str, reports: Sequence[dict[str, Any]]) -> AlertRecord:
    """One alert from every document that publishes or reports one announcement.

    The official text wins over news reports, and its English version over the Chinese one
    (analysts read the alert in English when they can); lists are the union of all reports.
    """
    ranked = sorted(
        reports,
        key=lambda r: (r["kind"] == "news", r["language"] != "en", r["doc_id"]),
    )
    suspends = sorted({k for r in reports for k in r["suspends"]})
    amends = sorted({k for r in reports for k in r["amends"]})
    related = [announcement_alert_key(k) for k in (*suspends, *amends)]
    title = _first(ranked, "title")
    payload: dict[str, Any] = {
        "alert_key": announcement_alert_key(announcement_key),
        "kind": "export_control",
        "announcement_key": announcement_key,
        "authority": _first(ranked, "authority"),
        "number": _first(ranked, "number"),
        "title": title,
        "issued_on": _iso(_first(ranked, "issued_on")),
        "effective_on": _iso(_first(ranked, "effective_on")),
        "minerals": sorted({m for r in reports for m in r["minerals"]}),
        "control_codes": sorted({c for r in reports for c in r["control_codes"]}),
        "suspends": suspends,
        "amends": amends,
        "suspended_until": _iso(_first(ranked, "suspended_until")),
        "official_text": any(r["kind"] != "news" for r in reports),
        "related_alert_keys": related,
        "links": [
            {
                "doc_id": r["doc_id"],
                "source": r["source"],
                "kind": r["kind"],
                "language": r["language"],
                "title": r["title"],
                "url": r["url"],
            }
            for r in sorted(reports, key=lambda r: (r["source"], r["doc_id"]))
        ],
    }
    # which clauses a suspension names only where some are: whole suspensions say it already
    suspensions = _suspensions(ranked)
    if any(part.get("clauses") for part in suspensions):
        payload["suspensions"] = suspensions
    official = [r for r in reports if r["kind"] != "news"]
    if official and all("scheduled_publication_date" in r for r in official):
        # Only filed so far: the alert says when it is due to be published.
        filed = sorted(official, key=lambda r: r["doc_id"])[0]
        payload["pre_publication"] = True
        payload["scheduled_publication_date"] = _iso(filed["scheduled_publication_date"])
        payload["filing_type"] = filed["filing_type"]
    return AlertRecord(
        alert_key=payload["alert_key"],
        kind="export_control",
        rule_name=None,
        title=f"{announcement_key}: {title}" if title else announcement_key,
        payload=payload,
        related_alert_key=related[0] if related else None,
    )


# What a published version may change that subscribers of the pre-publication alert act on.
PUBLISHED_CHANGE_FIELDS = ("effective_on", "control_codes")


def published_update_alert(
    stored_payload: dict[str, Any], current: AlertRecord
) -> AlertRecord | None:
    """The one update alert of an announcement alerted while on public inspection, when its
    published version changed the effective date or the controlled items; else None.

    Keyed `<alert key>:published`, so it is raised at most once, whichever run sees it.
    """
    was_filed = stored_payload.get("pre_publication") is True
    if not was_filed or current.payload.get("pre_publication"):
        return None
    changes = {
        field: {"filed": stored_payload.get(field), "published": current.payload.get(field)}
        for field in PUBLISHED_CHANGE_FIELDS
        if stored_payload.get(field) != current.payload.get(field)
    }
    if not changes:
        return None
    key = f"{current.alert_key}:published"
    payload = {**current.payload, "alert_key": key, "update_of": current.alert_key}
    payload["changes"] = changes
    title = current.payload.get("title")
    announcement_key = current.payload["announcement_key"]
    return AlertRecord(
        alert_key=key,
        kind="export_control",
        rule_name=None,
        title=f"{announcement_key} published with changes ({', '.join(changes)})"
        + (f": {title}" if title else ""),
        payload=payload,
        related_alert_key=current.alert_key,
    )


def _list_param(values: tuple[str, ...] | None, *, upper: bool = False) -> list[str] | None:
    if values is None:
        return None
    return [v.upper() if upper else v.lower() for v in values]


def _line_matches(con: duckdb.DuckDBPyConnection, rule: WatchRule) -> list[AlertRecord]:
    rows = con.execute(
        """
        SELECT v.doc_id, d.kind, v.source, v.url, v.title, v.buyer, v.notice_id, v.notice_type,
               v.solicitation_number, v.posted_date, v.award_amount,
               v.mineral, v.usd, v.usd_is_upper_bound, v.tonnes, v.suppliers
        FROM procurements AS v
        JOIN documents AS d ON d.doc_id = v.doc_id
        WHERE ($1::VARCHAR[] IS NULL OR list_contains($1, d.kind))
          AND ($2::VARCHAR[] IS NULL OR list_contains($2, lower(v.source)))
          AND ($3::VARCHAR[] IS NULL OR list_contains($3, lower(v.mineral)))
          AND ($4::VARCHAR[] IS NULL OR list_contains($4, upper(v.buyer)))
          AND ($5::VARCHAR[] IS NULL OR list_contains($5, lower(v.notice_type)))
          -- an award notice states its amount once for the notice, not per line
          AND ($6::DOUBLE IS NULL OR coalesce(v.usd, v.award_amount) >= $6)
          AND ($7::DOUBLE IS NULL OR v.tonnes >= $7)
          AND (NOT $8 OR NOT v.usd_is_upper_bound)
        ORDER BY v.doc_id, v.mineral, v.usd NULLS LAST, v.tonnes NULLS LAST
        """,
        [
            _list_param(rule.kinds),
            _list_param(rule.sources),
            _list_param(rule.minerals),
            _list_param(rule.buyers, upper=True),
            _list_param(rule.notice_types),
            rule.min_usd,
            rule.min_tonnes,
            rule.firm_only,
        ],
    ).fetchall()
    by_doc: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        by_doc.setdefault(row[0], []).append(row)
    records = []
    for doc_id, lines in by_doc.items():
        _, kind, source, url, title, buyer, notice_id, notice_type, sol, posted, award = lines[0][
            :11
        ]
        payload: dict[str, Any] = {
            "alert_key": rule_alert_key(rule.name, doc_id),
            "kind": "watch_rule",
            "rule": rule.name,
            "doc_id": doc_id,
            "document_kind": kind,
            "title": title,
            "source": source,
            "url": url,
            "buyer": buyer,
            "notice_id": notice_id,
            "notice_type": notice_type,
            "solicitation_number": sol,
            "posted_date": _iso(posted),
            "award_amount": award,
            "minerals": sorted({line[11] for line in lines}),
            "lines": [
                {
                    "mineral": line[11],
                    "usd": line[12],
                    "usd_is_upper_bound": line[13],
                    "tonnes": line[14],
                    "suppliers": list(line[15]),
                }
                for line in lines
            ],
            "links": [{"doc_id": doc_id, "source": source, "url": url}],
        }
        records.append(_rule_record(rule, doc_id, title, payload))
    return records


def _document_matches(con: duckdb.DuckDBPyConnection, rule: WatchRule) -> list[AlertRecord]:
    minerals = _list_param(rule.minerals)
    rows = con.execute(
        """
        SELECT d.doc_id, d.kind, d.source, d.url, d.title, d.published_at,
               coalesce(e.minerals, []::VARCHAR[]) AS minerals
        FROM documents AS d
        LEFT JOIN extraction AS e ON e.doc_id = d.doc_id
        WHERE ($1::VARCHAR[] IS NULL OR list_contains($1, d.kind))
          AND ($2::VARCHAR[] IS NULL OR list_contains($2, lower(d.source)))
          AND ($3::VARCHAR[] IS NULL OR list_has_any(coalesce(e.minerals, []::VARCHAR[]), $3))
        ORDER BY d.doc_id
        """,
        [_list_param(rule.kinds), _list_param(rule.sources), minerals],
    ).fetchall()
    records = []
    for doc_id, kind, source, url, title, published_at, doc_minerals in rows:
        payload: dict[str, Any] = {
            "alert_key": rule_alert_key(rule.name, doc_id),
            "kind": "watch_rule",
            "rule": rule.name,
            "doc_id": doc_id,
            "document_kind": kind,
            "title": title,
            "source": source,
            "url": url,
            "published_at": _iso(published_at),
            "minerals": sorted(set(doc_minerals) & set(minerals) if minerals else doc_minerals),
            "links": [{"doc_id": doc_id, "source": source, "url": url}],
        }
        records.append(_rule_record(rule, doc_id, title, payload))
    return records


def _rule_record(
    rule: WatchRule, doc_id: str, title: str | None, payload: dict[str, Any]
) -> AlertRecord:
    return AlertRecord(
        alert_key=rule_alert_key(rule.name, doc_id),
        kind="watch_rule",
        rule_name=rule.name,
        title=f"{rule.name}: {title or doc_id}",
        payload=payload,
        related_alert_key=None,
    )


def watch_rule_alerts(con: duckdb.DuckDBPyConnection, rule: WatchRule) -> list[AlertRecord]:
    return _line_matches(con, rule) if rule.matches_lines else _document_matches(con, rule)


@retry_conflicts
def evaluate_alerts(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    rules: Sequence[WatchRule] = (),
    *,
    now: datetime | None = None,
) -> list[str]:
    """Record an alert for every announcement and watch-rule match that has none yet; return
    the new alert keys in the order they were created.

    Existing announcement alerts take the links and fields of reports that arrived since (a
    later source, the other language, the official text after the news) without being
    re-sent. One transaction: a failure leaves the outbox as it was.
    """
    moment = now or datetime.now(UTC)
    records = [announcement_alert(k, r) for k, r in _reports_by_announcement(con).items()]
    for rule in rules:
        records.extend(watch_rule_alerts(con, rule))
    new_keys: list[str] = []
    # A DuckLake table has no key for ON CONFLICT: there a key is inserted once per call (and
    # other nights wait for the outbox's claim, flows/lock.py, so none inserts it meanwhile).
    lake = is_lake(con)
    inserted: set[str] = set()

    def insert(values: list[Any]) -> None:
        if lake and values[0] in inserted:
            return
        on_conflict = "" if lake else " ON CONFLICT DO NOTHING"
        con.execute(f"INSERT INTO alert VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?){on_conflict}", values)
        inserted.add(values[0])

    with transaction(con):
        stored = dict(
            con.execute("SELECT alert_key, CAST(payload AS VARCHAR) FROM alert").fetchall()
        )
        for record in records:
            payload_json = record.payload_json()
            if record.alert_key not in stored:
                insert(
                    [
                        record.alert_key,
                        record.kind,
                        record.rule_name,
                        run_id,
                        moment,
                        record.title,
                        payload_json,
                        record.related_alert_key,
                        run_id,
                        moment,
                    ]
                )
                new_keys.append(record.alert_key)
            elif record.kind == "export_control" and stored[record.alert_key] != payload_json:
                update = published_update_alert(json.loads(stored[record.alert_key]), record)
                if update is not None and update.alert_key not in stored:
                    insert(
                        [
                            update.alert_key,
                            update.kind,
                            None,
                            run_id,
                            moment,
                            update.title,
                            update.payload_json(),
                            update.related_alert_key,
                            run_id,
                            moment,
                        ]
                    )
                    new_keys.append(update.alert_key)
                con.execute(
                    """
                    UPDATE alert SET title = ?, payload = ?, related_alert_key = ?,
                                     updated_run_id = ?, updated_at = ?
                    WHERE alert_key = ?
                    """,
                    [
                        record.title,
                        payload_json,
                        record.related_alert_key,
                        run_id,
                        moment,
                        record.alert_key,
                    ],
                )
    return new_keys


def unidentified_reports(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Documents reporting an export control without an authority and number: no alert can
    be keyed on them without risking a second one when the official text arrives."""
    rows = con.execute(
        "SELECT doc_id FROM export_controls WHERE announcement_key IS NULL ORDER BY doc_id"
    ).fetchall()
    return [r[0] for r in rows]


def pending_alerts(con: duckdb.DuckDBPyConnection, target: str, run_id: str) -> list[PendingAlert]:
    """Alerts the target has not received, excluding those already tried in this run."""
    rows = con.execute(
        """
        SELECT a.alert_key, a.kind, a.title, CAST(a.payload AS VARCHAR)
        FROM alert AS a
        WHERE NOT EXISTS (
            SELECT 1 FROM alert_delivery AS d
            WHERE d.alert_key = a.alert_key AND d.target = $1
              AND (d.status = 'sent' OR d.run_id = $2)
        )
        ORDER BY a.created_at, a.alert_key
        """,
        [target, run_id],
    ).fetchall()
    return [
        PendingAlert(alert_key=k, kind=kind, title=t, payload=json.loads(p))
        for k, kind, t, p in rows
    ]


@retry_conflicts
def record_delivery(
    con: duckdb.DuckDBPyConnection,
    alert_key: str,
    target: str,
    run_id: str,
    status: DeliveryStatus,
    error: str | None,
    *,
    attempted_at: datetime | None = None,
) -> int:
    """Append one attempt and return its number (1 for the first attempt at this target)."""
    with transaction(con):
        row = con.execute(
            "SELECT coalesce(max(attempt), 0) + 1 FROM alert_delivery "
            "WHERE alert_key = ? AND target = ?",
            [alert_key, target],
        ).fetchone()
        attempt = int(row[0]) if row else 1
        con.execute(
            "INSERT INTO alert_delivery VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                alert_key,
                target,
                attempt,
                run_id,
                status,
                redact_secrets(error),
                attempted_at or datetime.now(UTC),
            ],
        )
    return attempt


def alert_statuses(
    con: duckdb.DuckDBPyConnection, targets: Sequence[str] = ()
) -> list[AlertStatus]:
    """Every alert, oldest first, with the delivery state at each target that was tried and
    at each of `targets` (the configured ones: `pending` there until the first attempt)."""
    alerts = con.execute(
        """
        SELECT alert_key, kind, rule_name, title, created_at, created_run_id, related_alert_key
        FROM alert ORDER BY created_at, alert_key
        """
    ).fetchall()
    deliveries: dict[str, dict[str, DeliveryState]] = {}
    for key, target, sent, attempts, last_error, last_at in con.execute(
        """
        SELECT alert_key, target, bool_or(status = 'sent'), count(*),
               arg_max(error, attempt), max(attempted_at)
        FROM alert_delivery GROUP BY alert_key, target ORDER BY alert_key, target
        """
    ).fetchall():
        deliveries.setdefault(key, {})[target] = DeliveryState(
            target=target,
            status="sent" if sent else "failed",
            attempts=int(attempts),
            last_error=None if sent else last_error,
            last_attempt_at=last_at,
        )
    result = []
    for key, kind, rule_name, title, created_at, created_run_id, related in alerts:
        states = deliveries.get(key, {})
        for target in targets:
            states.setdefault(target, DeliveryState(target, "pending", 0, None, None))
        result.append(
            AlertStatus(
                alert_key=key,
                kind=kind,
                rule_name=rule_name,
                title=title,
                created_at=created_at,
                created_run_id=created_run_id,
                related_alert_key=related,
                deliveries=tuple(states[t] for t in sorted(states)),
            )
        )
    return result
