"""Alerts: configuration, evaluation after each run, delivery through apprise, `minwatch alerts`.

The outbox tables (`alert`, `alert_delivery`) make delivery at-least-once per target and never
twice after a success: each attempt is committed as soon as it returns, a failed one is retried
on the next run, and a target that got an alert is never offered it again. See docs/alerts.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import duckdb

from minwatch import warehouse
from minwatch.flows.settings import ConfigError, load_settings
from minwatch.warehouse.alerts import (
    DOCUMENT_KINDS,
    AlertStatus,
    DeliveryStatus,
    PendingAlert,
    WatchRule,
    alert_statuses,
    describe_suspension,
    evaluate_alerts,
    pending_alerts,
    record_delivery,
    unidentified_reports,
)
from minwatch.warehouse.db import REDACTED
from minwatch.warehouse.lake import Lake

ALERT_URLS_ENV = "MINWATCH_ALERT_URLS"
WATCH_RULES_ENV = "MINWATCH_WATCH_RULES"
TITLE_PREFIX = "[minwatch] "
# One slow webhook must not hold the nightly run (and its warehouse lock) for long; a timed-out
# attempt is recorded as failed and retried on the next run.
DELIVERY_TIMEOUT_S = 30.0
# Generic JSON webhooks get the alert as a JSON document in apprise's `message` field, so a
# receiving program need not parse prose; chat and email targets get readable text.
JSON_SCHEMES = frozenset({"json", "jsons"})

_RULE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_RULE_LISTS = ("kinds", "sources", "minerals", "buyers", "notice_types")
_RULE_NUMBERS = ("min_usd", "min_tonnes")
_RULE_KEYS = ("name", *_RULE_LISTS, *_RULE_NUMBERS, "firm_only")


class AlertConfigError(ConfigError):
    """The alert configuration or a watch-rules file is wrong; the message names file and key."""


@dataclass(frozen=True)
class AlertConfig:
    urls: tuple[str, ...] = ()
    rules: tuple[WatchRule, ...] = ()
    files: tuple[str, ...] = ()  # the files read, for messages


@dataclass(frozen=True)
class DeliveryAttempt:
    alert_key: str
    target: str
    attempt: int
    status: str  # sent | failed
    error: str | None


@dataclass(frozen=True)
class DeliveryReport:
    attempts: tuple[DeliveryAttempt, ...] = ()

    @property
    def sent(self) -> int:
        return sum(a.status == "sent" for a in self.attempts)

    @property
    def failed(self) -> int:
        return sum(a.status == "failed" for a in self.attempts)


@dataclass(frozen=True)
class AlertRunSummary:
    new_alerts: tuple[str, ...]
    delivery: DeliveryReport
    unidentified_reports: tuple[str, ...]  # export-control reports without authority + number


# --- configuration -------------------------------------------------------------------------


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise AlertConfigError(f"{path}: no such file") from exc
    except tomllib.TOMLDecodeError as exc:
        raise AlertConfigError(f"{path}: not valid TOML: {exc}") from exc


def _string_list(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise AlertConfigError(f"{where} must be a list of non-empty strings")
    if not value:
        raise AlertConfigError(f"{where} is empty and would match nothing; omit it to match any")
    return tuple(v.strip() for v in value)


def parse_rule(table: object, where: str) -> WatchRule:
    if not isinstance(table, dict):
        raise AlertConfigError(f"{where} must be a table ([[rule]])")
    name = table.get("name")
    if not isinstance(name, str) or not _RULE_NAME.match(name):
        raise AlertConfigError(
            f"{where}: `name` is required: letters, digits, '.', '_' or '-', e.g. "
            '"dla-antimony-gallium"'
        )
    where = f"{where} ({name})"
    unknown = sorted(set(table) - set(_RULE_KEYS))
    if unknown:
        raise AlertConfigError(
            f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(_RULE_KEYS)}"
        )
    fields: dict[str, Any] = {"name": name}
    for key in _RULE_LISTS:
        if key in table:
            fields[key] = _string_list(table[key], f"{where}: `{key}`")
    if "kinds" in fields:
        bad = sorted(set(fields["kinds"]) - set(DOCUMENT_KINDS))
        if bad:
            raise AlertConfigError(
                f"{where}: unknown document kind(s) {', '.join(bad)}; "
                f"known: {', '.join(DOCUMENT_KINDS)}"
            )
    for key in _RULE_NUMBERS:
        if key in table:
            value = table[key]
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise AlertConfigError(f"{where}: `{key}` must be a number >= 0, got {value!r}")
            fields[key] = float(value)
    if "firm_only" in table:
        if not isinstance(table["firm_only"], bool):
            raise AlertConfigError(f"{where}: `firm_only` must be true or false")
        fields["firm_only"] = table["firm_only"]
    if len(fields) == 1:
        raise AlertConfigError(f"{where}: a rule needs at least one condition")
    return WatchRule(**fields)


def parse_rules(data: Mapping[str, Any], origin: str) -> tuple[WatchRule, ...]:
    tables = data.get("rule", [])
    if not isinstance(tables, list):
        raise AlertConfigError(f"{origin}: `rule` must be an array of tables ([[rule]])")
    return tuple(parse_rule(t, f"{origin}: rule #{i}") for i, t in enumerate(tables, start=1))


def load_alert_config(
    *,
    config_path: str | Path | None = None,
    rules_path: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> AlertConfig:
    """Target URLs and watch rules from the settings (flows/settings.py).

    URLs: `MINWATCH_ALERT_URLS` (space or comma separated) plus `[alerts] urls` of the
    settings file (`config_path`, else `MINWATCH_CONFIG`, else `minwatch.toml` beside the
    warehouse). Rules: `[[rule]]` tables of that file plus those of the rules file
    (`rules_path`, else `MINWATCH_WATCH_RULES`, else `[alerts] watch_rules` read against the
    settings file's folder, else the checkout's `config/watch_rules.toml`, wherever minwatch
    runs from). A file named explicitly must exist.
    """
    try:
        settings = load_settings(config=config_path, environ=environ)
    except AlertConfigError:
        raise
    except ConfigError as exc:
        raise AlertConfigError(str(exc)) from None
    urls = list(settings.alert_urls)
    rules: list[WatchRule] = []
    files: list[str] = []
    if settings.config_file is not None:
        files.append(str(settings.config_file))
        rules.extend(parse_rules({"rule": settings.rule}, str(settings.config_file)))

    rules_file = Path(rules_path) if rules_path else settings.watch_rules
    if rules_file is not None:
        data = _read_toml(rules_file)
        files.append(str(rules_file))
        unknown = sorted(set(data) - {"rule"})
        if unknown:
            raise AlertConfigError(
                f"{rules_file}: unknown top-level key(s) {', '.join(unknown)}; "
                "a watch-rules file holds only [[rule]] tables"
            )
        rules.extend(parse_rules(data, str(rules_file)))

    seen: set[str] = set()
    for rule in rules:
        if rule.name in seen:
            raise AlertConfigError(f"watch rule {rule.name!r} is defined twice in {files}")
        seen.add(rule.name)
    return AlertConfig(urls=tuple(dict.fromkeys(urls)), rules=tuple(rules), files=tuple(files))


# --- targets and secrets ---------------------------------------------------------------------


def _scheme(url: str) -> str:
    return url.split("://", 1)[0].lower() if "://" in url else "invalid"


def _host_is_public(host: str) -> bool:
    # Several apprise schemes put a token where the host goes (slack://TokenA/…,
    # discord://webhook_id/…); a real host name or address has a dot or is localhost.
    return bool(host) and ("." in host or host == "localhost" or ":" in host)


def target_name(url: str) -> str:
    """A stable name for a target that reveals no secret: scheme, host if it is a real host
    name, and a hash of the whole URL, e.g. `json://127.0.0.1:8080#3f2a9c1b7e04`."""
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:12]
    scheme = _scheme(url)
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return f"{scheme}#{digest}"
    if not _host_is_public(host):
        return f"{scheme}#{digest}"
    return f"{scheme}://{host}{f':{port}' if port else ''}#{digest}"


def redact_target(text: str, url: str) -> str:
    """Remove from a message every part of the target URL that may be a secret."""
    secrets = {url}
    try:
        parts = urlsplit(url)
        secrets.update(filter(None, (parts.username, parts.password, parts.fragment)))
        # urlsplit lowercases `hostname`; a token in the host position keeps its case
        host = parts.netloc.rpartition("@")[2].rsplit(":", 1)[0]
        if host and not _host_is_public(host):
            secrets.add(host)
        secrets.update(s for s in parts.path.split("/") if s)
        secrets.update(v for _, v in parse_qsl(parts.query) if v)
    except ValueError:
        pass
    for secret in sorted(secrets | {unquote(s) for s in secrets}, key=len, reverse=True):
        if len(secret) >= 3:
            text = text.replace(secret, REDACTED)
    return text


# --- messages ------------------------------------------------------------------------------


def _money(usd: float | None) -> str:
    if usd is None:
        return "value not stated"
    return f"${usd:,.0f}"


def render_text(alert: PendingAlert) -> str:
    """The readable message for chat and e-mail targets: every field, one per line."""
    p = alert.payload
    lines: list[str] = []
    if p.get("kind") == "export_control":
        lines += [
            f"Authority: {p['authority'] or 'unknown'}",
            f"Number: {p['number'] or 'unknown'}",
            f"Title: {p['title'] or '-'}",
            f"Issued: {p['issued_on'] or 'not stated'}",
            f"Effective: {p['effective_on'] or 'not stated'}",
            f"Minerals: {', '.join(p['minerals']) or 'none recognised'}",
        ]
        if p["control_codes"]:
            lines.append(f"Control codes: {', '.join(p['control_codes'])}")
        if p.get("suspensions"):
            # a suspension of some clauses leaves the others in force: the reader needs which
            lines.append(f"Suspends: {'; '.join(describe_suspension(s) for s in p['suspensions'])}")
        elif p["suspends"]:
            until = f" until {p['suspended_until']}" if p["suspended_until"] else ""
            lines.append(f"Suspends: {', '.join(p['suspends'])}{until}")
        if p["amends"]:
            lines.append(f"Amends: {', '.join(p['amends'])}")
        if p["related_alert_keys"]:
            lines.append(f"Related alerts: {', '.join(p['related_alert_keys'])}")
        if not p["official_text"]:
            lines.append("Reported by news only; the official text has not been crawled yet.")
        if p.get("pre_publication"):
            lines.append(
                "On public inspection, not yet published: scheduled for "
                f"{p.get('scheduled_publication_date') or 'an unstated date'}"
                f" ({p.get('filing_type') or 'regular'} filing)."
            )
        for field, change in (p.get("changes") or {}).items():
            lines.append(
                f"Changed on publication: {field} {change['filed']} -> {change['published']}"
            )
        lines.append("Sources:")
        lines += [
            f"- {link['source']} ({link['language']}, {link['kind']}): {link['url']}"
            for link in p["links"]
        ]
    else:
        lines += [f"Rule: {p['rule']}", f"Document: {p['title'] or p['doc_id']}"]
        lines.append(f"Source: {p['source']} ({p['document_kind']}): {p['url']}")
        if p.get("buyer") or p.get("notice_type"):
            lines.append(
                f"Notice: {p.get('notice_type') or '-'} {p.get('solicitation_number') or ''}"
                f" by {p.get('buyer') or 'unknown buyer'}, posted {p.get('posted_date') or '-'}"
            )
        if p.get("award_amount") is not None:
            lines.append(f"Award amount: {_money(p['award_amount'])}")
        for line in p.get("lines", []):
            amount = _money(line["usd"]) + (" (ceiling)" if line["usd_is_upper_bound"] else "")
            tonnes = f", {line['tonnes']:g} t" if line["tonnes"] is not None else ""
            suppliers = f", suppliers: {', '.join(line['suppliers'])}" if line["suppliers"] else ""
            lines.append(f"- {line['mineral']}: {amount}{tonnes}{suppliers}")
        if "lines" not in p:
            lines.append(f"Minerals: {', '.join(p['minerals']) or '-'}")
    return "\n".join(lines)


def render_message(alert: PendingAlert, url: str) -> tuple[str, str]:
    """(title, body) for one target."""
    title = TITLE_PREFIX + alert.title
    if _scheme(url) in JSON_SCHEMES:
        return title, json.dumps(alert.payload, ensure_ascii=False, sort_keys=True)
    return title, render_text(alert)


# --- delivery ------------------------------------------------------------------------------


def _send(url: str, title: str, body: str) -> str | None:
    """Send one notification; None on success, else why it failed (not yet redacted)."""
    import apprise  # imported here: `minwatch alerts` and rule evaluation do not need it

    notifier = apprise.Apprise()
    if not notifier.add(url):
        return "not a valid apprise URL (or its plugin is not installed)"
    try:
        result = notifier.notify(
            body=body,
            title=title,
            body_format=apprise.NotifyFormat.TEXT,
            timeout=DELIVERY_TIMEOUT_S,
        )
    except Exception as exc:  # a plugin bug must not stop the other targets
        return f"{type(exc).__name__}: {exc}"
    if result:
        return None
    reasons = [e.message for e in result.logs() if e.level in ("WARNING", "ERROR", "CRITICAL")]
    return "; ".join(reasons) or f"delivery failed ({result.status})"


def deliver_pending(
    con: duckdb.DuckDBPyConnection, targets: Sequence[str], *, run_id: str
) -> DeliveryReport:
    """Offer every alert a target has not received to that target, at most once per run.

    Each attempt is recorded (committed) right after it returns, so a crash never loses a
    success; a target that failed gets the alert again on the next run.
    """
    attempts: list[DeliveryAttempt] = []
    for url in dict.fromkeys(targets):
        target = target_name(url)
        for alert in pending_alerts(con, target, run_id):
            title, body = render_message(alert, url)
            error = _send(url, title, body)
            if error is not None:
                error = redact_target(error, url)
            status: DeliveryStatus = "sent" if error is None else "failed"
            number = record_delivery(con, alert.alert_key, target, run_id, status, error)
            attempts.append(DeliveryAttempt(alert.alert_key, target, number, status, error))
    return DeliveryReport(tuple(attempts))


def run_alerts(
    db: str | Path | Lake, run_id: str, config: AlertConfig | None = None
) -> AlertRunSummary:
    """Evaluate and deliver after a run's loads: what the nightly flow calls, inside its lock
    (on a DuckLake warehouse, inside the outbox's claim: flows/lock.py)."""
    settings = config if config is not None else load_alert_config()
    con = warehouse.connect(db)
    try:
        new = evaluate_alerts(con, run_id, settings.rules)
        report = deliver_pending(con, settings.urls, run_id=run_id)
        unidentified = unidentified_reports(con)
    finally:
        con.close()
    return AlertRunSummary(tuple(new), report, tuple(unidentified))


# --- listing -------------------------------------------------------------------------------


def list_alerts(con: duckdb.DuckDBPyConnection, targets: Sequence[str] = ()) -> list[AlertStatus]:
    """Every alert with its delivery state; `targets` are apprise URLs of configured targets,
    shown as `pending` until their first attempt."""
    return alert_statuses(con, [target_name(u) for u in dict.fromkeys(targets)])


def format_alerts(rows: Sequence[AlertStatus]) -> str:
    if not rows:
        return "no alerts yet"
    out = []
    for row in rows:
        created = row.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
        out.append(f"{created}  {row.status:<7}  {row.alert_key}")
        out.append(f"    {row.title}")
        if row.related_alert_key:
            out.append(f"    related: {row.related_alert_key}")
        for d in row.deliveries:
            tries = f"{d.attempts} attempt{'s' if d.attempts != 1 else ''}"
            error = f": {d.last_error}" if d.last_error else ""
            out.append(f"    -> {d.target}  {d.status} ({tries}){error}")
    return "\n".join(out)


def cmd_alerts(args: argparse.Namespace) -> int:
    from minwatch.flows.settings import Paths, lake_target

    paths = Paths.resolve(args.db)
    lake = lake_target(
        getattr(args, "warehouse", None), getattr(args, "lake_data_path", None), args.db
    )
    if lake is None and not paths.db.exists():
        print(f"minwatch alerts: no warehouse at {paths.db}", file=sys.stderr)
        return 1
    try:
        config = load_alert_config()
    except AlertConfigError as exc:
        print(f"minwatch alerts: {exc}", file=sys.stderr)
        return 2
    con = warehouse.connect(paths.db if lake is None else lake, read_only=True)
    try:
        known = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'alert'"
        ).fetchone()
        if not known or not known[0]:
            print("no alerts yet (the warehouse predates alerts: run `minwatch run` once)")
            return 0
        rows = list_alerts(con, config.urls)
    finally:
        con.close()
    if args.status:
        rows = [r for r in rows if r.status == args.status]
        if not rows:
            print(f"no {args.status} alerts")
            return 0
    print(format_alerts(rows))
    return 0


__all__ = [
    "AlertConfig",
    "AlertConfigError",
    "AlertRunSummary",
    "DeliveryAttempt",
    "DeliveryReport",
    "WatchRule",
    "cmd_alerts",
    "deliver_pending",
    "evaluate_alerts",
    "format_alerts",
    "list_alerts",
    "load_alert_config",
    "run_alerts",
    "target_name",
]
