"""Alerts end to end: a real DuckDB warehouse, apprise posting over real HTTP to a loopback
receiver, across several runs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from minwatch.flows.alerts import (
    AlertConfigError,
    cmd_alerts,
    deliver_pending,
    evaluate_alerts,
    format_alerts,
    list_alerts,
    load_alert_config,
    redact_target,
    render_text,
    target_name,
)
from minwatch.warehouse import connect, load_documents, load_extractions
from minwatch.warehouse.alerts import PendingAlert, WatchRule
from minwatch.warehouse.records import (
    AnnouncementRow,
    DocumentRow,
    ExportControlRow,
    ExtractionBundle,
    NoticeRow,
    ProcurementLineRow,
)
from tests.alert_receiver import AlertReceiver

REPO = Path(__file__).resolve().parents[1]
NIGHT_1 = datetime(2025, 11, 8, 2, 0, tzinfo=UTC)
NIGHT_2 = datetime(2025, 11, 9, 2, 0, tzinfo=UTC)
NIGHT_3 = datetime(2025, 11, 10, 2, 0, tzinfo=UTC)

TITLE_18_ZH = "商务部 海关总署公告2025年第18号 公布对部分中重稀土相关物项实施出口管制的决定"
TITLE_18_EN = (
    "MOFCOM and GAC Announcement No. 18 of 2025 on Export Control of Medium and Heavy Rare Earths"
)
TITLE_57_ZH = "商务部 海关总署公告2025年第57号 公布对部分中重稀土相关物项实施出口管制的决定"
TITLE_57_EN = (
    "MOFCOM and GAC Announcement No. 57 of 2025 on Export Control of Some Medium and Heavy "
    "Rare Earth Items"
)
TITLE_70_ZH = (
    "商务部 海关总署公告2025年第70号 "
    "关于暂停实施2025年第55号、第56号、第57号、第58号、第61号、第62号公告的公告"
)
NEWS_57_TITLE = "China adds holmium and four more rare earths to export controls"


def document(
    doc_id: str,
    *,
    source: str,
    kind: str,
    language: str,
    title: str,
    fetched_at: datetime,
    published_at: datetime | None = None,
) -> DocumentRow:
    return DocumentRow(
        doc_id=doc_id,
        source=source,
        source_id=doc_id,
        kind=kind,
        url=f"https://{source}.example.test/{doc_id.replace(':', '/')}",
        title=title,
        published_at=published_at or fetched_at,
        language=language,
        fetched_at=fetched_at,
        text=title,
        content_hash=f"hash-{doc_id}",
    )


def official(doc_id: str, language: str, title: str, fetched_at: datetime) -> DocumentRow:
    source = "mofcom" if language == "zh" else "mofcom_en"
    return document(
        doc_id,
        source=source,
        kind="export_control",
        language=language,
        title=title,
        fetched_at=fetched_at,
    )


def announcement(doc: DocumentRow, number: str, **fields: Any) -> AnnouncementRow:
    values: dict[str, Any] = {
        "doc_id": doc.doc_id,
        "announcement_key": f"MOFCOM {number}",
        "authority": "MOFCOM/GACC",
        "number": number,
        "title": doc.title,
        "language": doc.language,
        "issued_on": date(2025, 10, 9),
        "effective_on": date(2025, 11, 8),
        "control_codes": (),
        "items_json": "[]",
        "suspends": (),
        "amends": (),
        "suspended_until": None,
    }
    values.update(fields)
    return AnnouncementRow(**values)


def extracted(
    doc: DocumentRow, minerals: tuple[str, ...], control: ExportControlRow | None = None
) -> ExtractionBundle:
    return ExtractionBundle(
        doc_id=doc.doc_id, extractor_version="test", minerals=minerals, export_control=control
    )


def official_facts(doc: DocumentRow, number: str, minerals: tuple[str, ...]) -> ExtractionBundle:
    """What the extractor reads from an official text: its number and the minerals it lists."""
    control = ExportControlRow(doc.doc_id, "MOFCOM/GACC", number, None, None, None, minerals)
    return extracted(doc, minerals, control)


def load(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    docs: list[DocumentRow],
    *,
    notices: list[NoticeRow] | None = None,
    announcements: list[AnnouncementRow] | None = None,
    bundles: list[ExtractionBundle] | None = None,
) -> None:
    load_documents(con, run_id, docs, notices or [], announcements or [])
    if bundles:
        load_extractions(con, bundles, {d.doc_id: d.content_hash for d in docs})


# --- one announcement, several sources, two languages, three runs ----------------------------

EN_18 = official("mofcom_en:18", "en", TITLE_18_EN, NIGHT_2)
ZH_18 = official("mofcom:18", "zh", TITLE_18_ZH, NIGHT_1)
ZH_57 = official("mofcom:57", "zh", TITLE_57_ZH, NIGHT_2)
EN_57 = official("mofcom_en:57", "en", TITLE_57_EN, NIGHT_2)
ZH_70 = official("mofcom:70", "zh", TITLE_70_ZH, NIGHT_2)
NEWS_57 = document(
    "web:news-57",
    source="mining_com",
    kind="news",
    language="en",
    title=NEWS_57_TITLE,
    fetched_at=NIGHT_1,
)
RARE_EARTHS_18 = (
    "dysprosium",
    "gadolinium",
    "lutetium",
    "samarium",
    "scandium",
    "terbium",
    "yttrium",
)
RARE_EARTHS_57 = ("erbium", "europium", "holmium", "thulium", "ytterbium")


def night_1(con: duckdb.DuckDBPyConnection) -> None:
    """The Chinese text of No. 18, and news of No. 57 before MOFCOM's own page is crawled."""
    load(
        con,
        "run-1",
        [ZH_18, NEWS_57],
        announcements=[
            announcement(
                ZH_18,
                "2025-18",
                issued_on=date(2025, 4, 4),
                effective_on=date(2025, 4, 4),
                control_codes=("1C902.a", "1C902.b"),
            ),
        ],
        bundles=[
            official_facts(ZH_18, "2025-18", RARE_EARTHS_18),
            extracted(
                NEWS_57,
                ("holmium", "erbium"),
                ExportControlRow(
                    doc_id=NEWS_57.doc_id,
                    authority="MOFCOM",
                    number="2025-57",
                    title=None,
                    issued_on=date(2025, 10, 9),
                    effective_on=None,
                    minerals=("holmium", "erbium"),
                ),
            ),
        ],
    )


def night_2(con: duckdb.DuckDBPyConnection) -> None:
    """The official No. 57 in both languages, the English No. 18, and No. 70 suspending 57."""
    load(
        con,
        "run-2",
        [ZH_18, EN_18, ZH_57, EN_57, ZH_70],
        announcements=[
            announcement(
                ZH_18,
                "2025-18",
                issued_on=date(2025, 4, 4),
                effective_on=date(2025, 4, 4),
                control_codes=("1C902.a", "1C902.b"),
            ),
            announcement(
                EN_18,
                "2025-18",
                issued_on=date(2025, 4, 4),
                effective_on=date(2025, 4, 4),
                control_codes=("1C902.a", "1C902.b"),
            ),
            announcement(ZH_57, "2025-57", control_codes=("1C909",)),
            announcement(EN_57, "2025-57", control_codes=("1C909",)),
            announcement(
                ZH_70,
                "2025-70",
                issued_on=date(2025, 11, 7),
                effective_on=date(2025, 11, 10),
                suspends=("MOFCOM 2025-57", "MOFCOM 2025-61"),
                suspended_until=date(2026, 11, 10),
            ),
        ],
        bundles=[
            official_facts(ZH_57, "2025-57", RARE_EARTHS_57),
            official_facts(EN_57, "2025-57", RARE_EARTHS_57),
            official_facts(ZH_70, "2025-70", ()),
        ],
    )


def link(doc: DocumentRow) -> dict[str, Any]:
    return {
        "doc_id": doc.doc_id,
        "source": doc.source,
        "kind": doc.kind,
        "language": doc.language,
        "title": doc.title,
        "url": doc.url,
    }


def payload_18(links: list[dict[str, Any]], title: str) -> dict[str, Any]:
    return {
        "alert_key": "announcement:MOFCOM 2025-18",
        "kind": "export_control",
        "announcement_key": "MOFCOM 2025-18",
        "authority": "MOFCOM/GACC",
        "number": "2025-18",
        "title": title,
        "issued_on": "2025-04-04",
        "effective_on": "2025-04-04",
        "minerals": sorted(RARE_EARTHS_18),
        "control_codes": ["1C902.a", "1C902.b"],
        "suspends": [],
        "amends": [],
        "suspended_until": None,
        "official_text": True,
        "related_alert_keys": [],
        "links": links,
    }


NEWS_ONLY_57 = {
    "alert_key": "announcement:MOFCOM 2025-57",
    "kind": "export_control",
    "announcement_key": "MOFCOM 2025-57",
    "authority": "MOFCOM",
    "number": "2025-57",
    "title": NEWS_57_TITLE,
    "issued_on": "2025-10-09",
    "effective_on": None,
    "minerals": ["erbium", "holmium"],
    "control_codes": [],
    "suspends": [],
    "amends": [],
    "suspended_until": None,
    "official_text": False,
    "related_alert_keys": [],
    "links": [link(NEWS_57)],
}
OFFICIAL_57 = {
    **NEWS_ONLY_57,
    "authority": "MOFCOM/GACC",
    "title": TITLE_57_EN,
    "effective_on": "2025-11-08",
    "minerals": sorted(RARE_EARTHS_57),
    "control_codes": ["1C909"],
    "official_text": True,
    "links": [link(NEWS_57), link(ZH_57), link(EN_57)],
}
SUSPENSION_70 = {
    "alert_key": "announcement:MOFCOM 2025-70",
    "kind": "export_control",
    "announcement_key": "MOFCOM 2025-70",
    "authority": "MOFCOM/GACC",
    "number": "2025-70",
    "title": TITLE_70_ZH,
    "issued_on": "2025-11-07",
    "effective_on": "2025-11-10",
    "minerals": [],
    "control_codes": [],
    "suspends": ["MOFCOM 2025-57", "MOFCOM 2025-61"],
    "amends": [],
    "suspended_until": "2026-11-10",
    "official_text": True,
    "related_alert_keys": ["announcement:MOFCOM 2025-57", "announcement:MOFCOM 2025-61"],
    "links": [link(ZH_70)],
}


def messages(receiver: AlertReceiver) -> list[tuple[str, str, dict[str, Any]]]:
    """(path, title, alert payload) of every request the receiver answered 200."""
    return [(r.path, r.body["title"], json.loads(r.body["message"])) for r in receiver.accepted()]


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = connect(tmp_path / "w.duckdb")
    yield connection
    connection.close()


def test_one_alert_per_announcement_across_runs_sources_and_languages(
    con: duckdb.DuckDBPyConnection,
) -> None:
    with AlertReceiver() as steady, AlertReceiver(fail_first=2) as flaky:
        targets = [steady.url("/minwatch"), flaky.url("/hooks/alerts")]

        night_1(con)
        assert evaluate_alerts(con, "run-1", now=NIGHT_1) == [
            "announcement:MOFCOM 2025-18",
            "announcement:MOFCOM 2025-57",
        ]
        report = deliver_pending(con, targets, run_id="run-1")
        assert (report.sent, report.failed) == (2, 2)
        assert messages(steady) == [
            (
                "/minwatch",
                f"[minwatch] MOFCOM 2025-18: {TITLE_18_ZH}",
                payload_18([link(ZH_18)], TITLE_18_ZH),
            ),
            ("/minwatch", f"[minwatch] MOFCOM 2025-57: {NEWS_57_TITLE}", NEWS_ONLY_57),
        ]
        first = steady.received[0]
        assert first.headers["Content-Type"] == "application/json"
        assert (first.body["type"], first.body["version"]) == ("info", "1.0")
        assert [r.answered for r in flaky.received] == [500, 500]

        night_2(con)
        # 2025-57 arrived officially in two languages and 2025-18 in English: no new alert for
        # either, only the suspension, linked to the alert of what it suspends.
        assert evaluate_alerts(con, "run-2", now=NIGHT_2) == ["announcement:MOFCOM 2025-70"]
        report = deliver_pending(con, targets, run_id="run-2")
        assert (report.sent, report.failed) == (4, 0)
        assert messages(steady)[2:] == [
            ("/minwatch", f"[minwatch] MOFCOM 2025-70: {TITLE_70_ZH}", SUSPENSION_70),
        ]
        # the webhook that was down gets each alert once, with what is known by now
        assert messages(flaky) == [
            (
                "/hooks/alerts",
                f"[minwatch] MOFCOM 2025-18: {TITLE_18_EN}",
                payload_18([link(ZH_18), link(EN_18)], TITLE_18_EN),
            ),
            ("/hooks/alerts", f"[minwatch] MOFCOM 2025-57: {TITLE_57_EN}", OFFICIAL_57),
            ("/hooks/alerts", f"[minwatch] MOFCOM 2025-70: {TITLE_70_ZH}", SUSPENSION_70),
        ]

        night_2(con)  # a third night sees the same documents again
        assert evaluate_alerts(con, "run-3", now=NIGHT_3) == []
        assert deliver_pending(con, targets, run_id="run-3").attempts == ()
        assert (len(steady.received), len(flaky.received)) == (3, 5)

    rows = con.execute(
        "SELECT alert_key, created_run_id, updated_run_id, related_alert_key FROM alert "
        "ORDER BY alert_key"
    ).fetchall()
    assert rows == [
        ("announcement:MOFCOM 2025-18", "run-1", "run-2", None),
        ("announcement:MOFCOM 2025-57", "run-1", "run-2", None),
        ("announcement:MOFCOM 2025-70", "run-2", "run-2", "announcement:MOFCOM 2025-57"),
    ]
    flaky_name = target_name(targets[1])
    attempts = con.execute(
        "SELECT alert_key, attempt, run_id, status, error FROM alert_delivery WHERE target = ? "
        "ORDER BY alert_key, attempt",
        [flaky_name],
    ).fetchall()
    failure = "Failed to send JSON POST notification: Internal server error., error=500."
    assert attempts == [
        ("announcement:MOFCOM 2025-18", 1, "run-1", "failed", failure),
        ("announcement:MOFCOM 2025-18", 2, "run-2", "sent", None),
        ("announcement:MOFCOM 2025-57", 1, "run-1", "failed", failure),
        ("announcement:MOFCOM 2025-57", 2, "run-2", "sent", None),
        ("announcement:MOFCOM 2025-70", 1, "run-2", "sent", None),
    ]
    stored = json.loads(
        con.execute(
            "SELECT CAST(payload AS VARCHAR) FROM alert "
            "WHERE alert_key = 'announcement:MOFCOM 2025-57'"
        ).fetchone()[0]  # type: ignore[index]
    )
    assert stored == OFFICIAL_57


def test_a_failed_target_is_tried_once_per_run_and_the_listing_shows_it(
    con: duckdb.DuckDBPyConnection,
) -> None:
    night_1(con)
    evaluate_alerts(con, "run-1", now=NIGHT_1)
    with AlertReceiver(fail_first=10) as down, AlertReceiver() as up:
        targets = [down.url("/down"), up.url("/up")]
        first = deliver_pending(con, targets, run_id="run-1")
        again = deliver_pending(con, targets, run_id="run-1")  # same run: no second attempt
        assert (first.sent, first.failed, again.attempts) == (2, 2, ())
        assert len(down.received) == 2
        deliver_pending(con, targets, run_id="run-2")
        assert (len(down.received), len(up.received)) == (4, 2)

        down_name, up_name = target_name(targets[0]), target_name(targets[1])
        assert down_name == f"json://127.0.0.1:{down.port}#{down_name[-12:]}"
        rows = list_alerts(con, targets)
    assert [(r.alert_key, r.status) for r in rows] == [
        ("announcement:MOFCOM 2025-18", "failed"),
        ("announcement:MOFCOM 2025-57", "failed"),
    ]
    failure = "Failed to send JSON POST notification: Internal server error., error=500."
    listed = sorted([(down_name, "failed", failure), (up_name, "sent", None)])
    lines = []
    for key, title in (
        ("announcement:MOFCOM 2025-18", f"MOFCOM 2025-18: {TITLE_18_ZH}"),
        ("announcement:MOFCOM 2025-57", f"MOFCOM 2025-57: {NEWS_57_TITLE}"),
    ):
        lines += [f"2025-11-08 02:00  failed   {key}", f"    {title}"]
        for name, status, error in listed:
            attempts = "2 attempts" if status == "failed" else "1 attempt"
            lines.append(f"    -> {name}  {status} ({attempts}){': ' + error if error else ''}")
    assert format_alerts(rows) == "\n".join(lines)


def test_alerts_are_pending_until_a_target_is_configured(con: duckdb.DuckDBPyConnection) -> None:
    night_1(con)
    evaluate_alerts(con, "run-1", now=NIGHT_1)
    deliver_pending(con, [], run_id="run-1")
    assert [(r.alert_key, r.status, r.deliveries) for r in list_alerts(con)] == [
        ("announcement:MOFCOM 2025-18", "pending", ()),
        ("announcement:MOFCOM 2025-57", "pending", ()),
    ]
    with AlertReceiver() as receiver:
        deliver_pending(con, [receiver.url()], run_id="run-2")
        assert [m[2]["alert_key"] for m in messages(receiver)] == [
            "announcement:MOFCOM 2025-18",
            "announcement:MOFCOM 2025-57",
        ]
    assert {r.status for r in list_alerts(con, [receiver.url()])} == {"sent"}


def test_secrets_in_target_urls_are_never_stored(con: duckdb.DuckDBPyConnection) -> None:
    night_1(con)
    evaluate_alerts(con, "run-1", now=NIGHT_1)
    with AlertReceiver(fail_first=1) as receiver:
        # apprise sends `-name=value` query arguments on as the webhook's own query string
        url = f"json://alice:hunter2-pass@127.0.0.1:{receiver.port}/hook-tok3n?-token=s3cr3t-value"
        deliver_pending(con, [url], run_id="run-1")
        assert receiver.received[0].path == "/hook-tok3n?token=s3cr3t-value"
        assert receiver.received[0].headers["Authorization"].startswith("Basic ")
    # a host that is really a token (slack://TokenA/...) is not shown either
    assert target_name("slack://T0KENA/B0KENB/C0KENC") == (
        f"slack#{target_name('slack://T0KENA/B0KENB/C0KENC')[-12:]}"
    )
    stored = con.execute(
        "SELECT string_agg(target || coalesce(error, ''), ' ') FROM alert_delivery"
    ).fetchone()[0]  # type: ignore[index]
    for secret in ("alice", "hunter2-pass", "hook-tok3n", "s3cr3t-value"):
        assert secret not in stored
    assert con.execute("SELECT status FROM alert_delivery ORDER BY alert_key").fetchall() == [
        ("failed",),
        ("sent",),
    ]


def test_error_messages_lose_every_secret_part_of_the_target_url() -> None:
    message = (
        "Failed posting to https://hooks.slack.com/services/T0KENA/B0KENB/C0KENC-xyz; "
        "auth bob:pa55word refused for mailto://bob:pa55word@smtp.example.com"
    )
    assert redact_target(message, "slack://T0KENA/B0KENB/C0KENC-xyz") == (
        "Failed posting to https://hooks.slack.com/services/REDACTED/REDACTED/REDACTED; "
        "auth bob:pa55word refused for mailto://bob:pa55word@smtp.example.com"
    )
    assert redact_target(message, "mailto://bob:pa55word@smtp.example.com") == (
        "Failed posting to https://hooks.slack.com/services/T0KENA/B0KENB/C0KENC-xyz; "
        "auth REDACTED:REDACTED refused for REDACTED"
    )


def test_an_unreachable_or_invalid_target_is_recorded_and_the_others_still_get_alerts(
    con: duckdb.DuckDBPyConnection,
) -> None:
    night_1(con)
    evaluate_alerts(con, "run-1", now=NIGHT_1)
    with AlertReceiver() as receiver:
        closed = AlertReceiver()  # bound but never served: the port refuses connections
        closed_url = closed.url("/x")
        closed._server.server_close()
        report = deliver_pending(
            con, ["nosuchscheme://abc", closed_url, receiver.url()], run_id="run-1"
        )
        assert len(receiver.accepted()) == 2
    errors = {(a.target.split("#")[0], a.status, a.error) for a in report.attempts}
    assert errors == {
        ("nosuchscheme", "failed", "not a valid apprise URL (or its plugin is not installed)"),
        (
            f"json://127.0.0.1:{closed.port}",
            "failed",
            "A Connection error occurred sending JSON notification to 127.0.0.1.",
        ),
        (f"json://127.0.0.1:{receiver.port}", "sent", None),
    }


# --- watch rules ------------------------------------------------------------------------------

DLA = "DEPT OF DEFENSE.DEFENSE LOGISTICS AGENCY.DLA STRATEGIC MATERIALS.DLA STRATEGIC MATERIALS"
ARMY = "DEPT OF DEFENSE.DEPT OF THE ARMY.AMC.ACC-RI"


def procurement(
    doc_id: str, title: str, buyer_path: str, notice_type: str, award: float | None
) -> tuple[DocumentRow, NoticeRow]:
    doc = document(
        doc_id,
        source="sam_gov",
        kind="procurement",
        language="en",
        title=title,
        fetched_at=NIGHT_1,
    )
    notice = NoticeRow(
        doc_id=doc_id,
        notice_id=doc_id.removeprefix("sam:"),
        solicitation_number=f"SP8000-25-{doc_id[-2:].upper()}",
        notice_type=notice_type,
        base_type=notice_type,
        posted_date=date(2025, 11, 3),
        response_deadline=None,
        buyer=buyer_path,
        office_code="SP8000",
        naics_code="331410",
        classification_code=None,
        set_aside=None,
        active=True,
        award_number=None,
        award_date=None,
        award_amount=award,
        awardee_name=None,
        awardee_uei=None,
        awardee_cage=None,
        ui_link=None,
    )
    return doc, notice


LineSpec = tuple[str, float | None, bool, float | None, tuple[str, ...]]


def lines(doc: DocumentRow, *specs: LineSpec) -> ExtractionBundle:
    return ExtractionBundle(
        doc_id=doc.doc_id,
        extractor_version="test",
        minerals=tuple(sorted({s[0] for s in specs})),
        procurement_lines=tuple(
            ProcurementLineRow(doc.doc_id, n, mineral, usd, upper, tonnes, suppliers)
            for n, (mineral, usd, upper, tonnes, suppliers) in enumerate(specs, start=1)
        ),
    )


RULES = (
    WatchRule(
        name="dla-antimony-gallium",
        kinds=("procurement",),
        minerals=("antimony", "gallium"),
        buyers=("DEFENSE LOGISTICS AGENCY",),
    ),
    WatchRule(name="award-over-10m", notice_types=("Award Notice",), min_usd=10_000_000.0),
    WatchRule(name="lithium-news", kinds=("news",), minerals=("lithium",)),
)


def load_procurements(con: duckdb.DuckDBPyConnection) -> None:
    solicitation, n1 = procurement(
        "sam:aa01", "Antimony ingot and tungsten solicitation", DLA, "Solicitation", None
    )
    gallium, n2 = procurement("sam:aa02", "Gallium award", DLA, "Award Notice", 12_500_000.0)
    army, n3 = procurement(
        "sam:aa03", "Antimony trisulfide award", ARMY, "Award Notice", 4_000_000.0
    )
    germanium, n4 = procurement("sam:aa04", "Germanium award", DLA, "Award Notice", 25_000_000.0)
    lithium = document(
        "web:lithium",
        source="mining_com",
        kind="news",
        language="en",
        title="Lithium hydroxide offtake signed",
        fetched_at=NIGHT_1,
    )
    antimony_news = document(
        "web:antimony",
        source="mining_com",
        kind="news",
        language="en",
        title="DLA buys antimony",
        fetched_at=NIGHT_1,
    )
    load(
        con,
        "run-1",
        [solicitation, gallium, army, germanium, lithium, antimony_news],
        notices=[n1, n2, n3, n4],
        bundles=[
            lines(
                solicitation,
                ("antimony", None, False, 40.0, ()),
                ("tungsten", None, False, 10.0, ()),
            ),
            lines(gallium, ("gallium", 12_500_000.0, False, 6.4, ("NYRSTAR CLARKSVILLE INC",))),
            lines(army, ("antimony", 4_000_000.0, False, None, ("US ANTIMONY CORP",))),
            lines(germanium, ("germanium", None, False, 3.0, ())),
            ExtractionBundle(lithium.doc_id, "test", minerals=("lithium", "nickel")),
            lines(antimony_news, ("antimony", 2_000_000.0, True, None, ())),
        ],
    )


def test_watch_rules_raise_one_alert_per_matching_document(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load_procurements(con)
    new = evaluate_alerts(con, "run-1", RULES, now=NIGHT_1)
    assert new == [
        "rule:dla-antimony-gallium:sam:aa01",
        "rule:dla-antimony-gallium:sam:aa02",
        "rule:award-over-10m:sam:aa02",
        "rule:award-over-10m:sam:aa04",
        "rule:lithium-news:web:lithium",
    ]
    assert evaluate_alerts(con, "run-2", RULES, now=NIGHT_2) == []

    with AlertReceiver() as receiver:
        deliver_pending(con, [receiver.url("/rules")], run_id="run-1")
        got = {payload["alert_key"]: (title, payload) for _, title, payload in messages(receiver)}
    assert len(receiver.received) == 5
    # only the matching line of the solicitation is reported, not the tungsten one
    assert got["rule:dla-antimony-gallium:sam:aa01"][1]["lines"] == [
        {
            "mineral": "antimony",
            "usd": None,
            "usd_is_upper_bound": False,
            "tonnes": 40.0,
            "suppliers": [],
        },
    ]
    assert got["rule:award-over-10m:sam:aa02"] == (
        "[minwatch] award-over-10m: Gallium award",
        {
            "alert_key": "rule:award-over-10m:sam:aa02",
            "kind": "watch_rule",
            "rule": "award-over-10m",
            "doc_id": "sam:aa02",
            "document_kind": "procurement",
            "title": "Gallium award",
            "source": "sam_gov",
            "url": "https://sam_gov.example.test/sam/aa02",
            "buyer": "DEFENSE LOGISTICS AGENCY",
            "notice_id": "aa02",
            "notice_type": "Award Notice",
            "solicitation_number": "SP8000-25-02",
            "posted_date": "2025-11-03",
            "award_amount": 12_500_000.0,
            "minerals": ["gallium"],
            "lines": [
                {
                    "mineral": "gallium",
                    "usd": 12_500_000.0,
                    "usd_is_upper_bound": False,
                    "tonnes": 6.4,
                    "suppliers": ["NYRSTAR CLARKSVILLE INC"],
                },
            ],
            "links": [
                {
                    "doc_id": "sam:aa02",
                    "source": "sam_gov",
                    "url": "https://sam_gov.example.test/sam/aa02",
                },
            ],
        },
    )
    assert got["rule:lithium-news:web:lithium"][1]["minerals"] == ["lithium"]


def test_min_usd_can_ignore_ceilings(con: duckdb.DuckDBPyConnection) -> None:
    load_procurements(con)
    rules = (
        WatchRule(name="antimony-1m", minerals=("antimony",), min_usd=1_000_000.0),
        WatchRule(name="antimony-1m-firm", minerals=("antimony",), min_usd=1e6, firm_only=True),
    )
    assert evaluate_alerts(con, "run-1", rules, now=NIGHT_1) == [
        "rule:antimony-1m:sam:aa03",
        "rule:antimony-1m:web:antimony",  # a "up to $2 million" report
        "rule:antimony-1m-firm:sam:aa03",
    ]


def test_text_message_for_chat_and_email_targets() -> None:
    alert = PendingAlert("announcement:MOFCOM 2025-70", "export_control", "x", SUSPENSION_70)
    assert render_text(alert) == "\n".join(
        [
            "Authority: MOFCOM/GACC",
            "Number: 2025-70",
            f"Title: {TITLE_70_ZH}",
            "Issued: 2025-11-07",
            "Effective: 2025-11-10",
            "Minerals: none recognised",
            "Suspends: MOFCOM 2025-57, MOFCOM 2025-61 until 2026-11-10",
            "Related alerts: announcement:MOFCOM 2025-57, announcement:MOFCOM 2025-61",
            "Sources:",
            f"- mofcom (zh, export_control): {ZH_70.url}",
        ]
    )


# --- configuration ---------------------------------------------------------------------------


def test_config_merges_environment_and_files(tmp_path: Path) -> None:
    (tmp_path / "minwatch.toml").write_text(
        '[alerts]\nurls = ["json://127.0.0.1:9/a", "mailto://u:p@example.com"]\n'
        'watch_rules = "rules.toml"\n\n[other_section]\nkept = true\n',
        encoding="utf-8",
    )
    (tmp_path / "rules.toml").write_text(
        '[[rule]]\nname = "graphite"\nminerals = ["Graphite"]\nmin_tonnes = 100\n',
        encoding="utf-8",
    )
    config = load_alert_config(
        environ={
            "MINWATCH_CONFIG": str(tmp_path / "minwatch.toml"),
            "MINWATCH_ALERT_URLS": "slack://a/b/c, json://127.0.0.1:9/a  jsons://h.example/x",
        }
    )
    assert config.urls == (
        "slack://a/b/c",
        "json://127.0.0.1:9/a",
        "jsons://h.example/x",
        "mailto://u:p@example.com",
    )
    assert config.rules == (WatchRule(name="graphite", minerals=("Graphite",), min_tonnes=100.0),)


def test_the_example_watch_rules_file_parses() -> None:
    config = load_alert_config(rules_path=REPO / "config" / "watch_rules.toml", environ={})
    assert config.rules == (
        WatchRule(
            name="dla-antimony-gallium",
            kinds=("procurement",),
            minerals=("antimony", "gallium"),
            buyers=("DEFENSE LOGISTICS AGENCY",),
        ),
        WatchRule(name="award-over-10m", notice_types=("Award Notice",), min_usd=10_000_000.0),
    )


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (
            '[[rule]]\nname = "x"\nminimum = 5\n',
            r"rule #1 \(x\): unknown key\(s\) minimum; known: name, kinds,",
        ),
        (
            '[[rule]]\nname = "x"\nkinds = ["tender"]\n',
            r"rule #1 \(x\): unknown document kind\(s\) tender; known: procurement,",
        ),
        (
            '[[rule]]\nname = "x"\nminerals = "antimony"\n',
            r"`minerals` must be a list of non-empty strings",
        ),
        ('[[rule]]\nname = "x"\nmin_usd = -1\n', r"`min_usd` must be a number >= 0, got -1"),
        ('[[rule]]\nname = "x"\n', r"rule #1 \(x\): a rule needs at least one condition"),
        ('[[rule]]\nkinds = ["news"]\n', r"rule #1: `name` is required"),
        (
            '[[rule]]\nname = "x"\nkinds = ["news"]\n[[rule]]\nname = "x"\nkinds = ["news"]\n',
            r"watch rule 'x' is defined twice",
        ),
        ("[alerts]\nurls = []\n", r"unknown top-level key\(s\) alerts"),
        ("[[rule]\n", r"not valid TOML"),
    ],
)
def test_bad_rules_are_refused_with_file_and_key(tmp_path: Path, rules: str, message: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(rules, encoding="utf-8")
    with pytest.raises(AlertConfigError, match=message) as caught:
        load_alert_config(rules_path=path, environ={})
    assert str(caught.value).startswith(str(path)) or "defined twice" in str(caught.value)


def test_a_named_config_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(AlertConfigError, match=r"absent\.toml: no such file"):
        load_alert_config(environ={"MINWATCH_CONFIG": str(tmp_path / "absent.toml")})


def test_minwatch_alerts_command_lists_with_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    db = tmp_path / "w.duckdb"
    con = connect(db)
    night_1(con)
    evaluate_alerts(con, "run-1", now=NIGHT_1)
    con.close()
    monkeypatch.setenv("MINWATCH_CONFIG", str(tmp_path / "minwatch.toml"))
    (tmp_path / "minwatch.toml").write_text('[alerts]\nurls = ["json://127.0.0.1:9/a"]\n')
    monkeypatch.setenv("MINWATCH_WATCH_RULES", str(REPO / "config" / "watch_rules.toml"))
    assert cmd_alerts(argparse.Namespace(db=str(db), status="pending")) == 0
    name = target_name("json://127.0.0.1:9/a")
    assert capsys.readouterr().out == (
        f"2025-11-08 02:00  pending  announcement:MOFCOM 2025-18\n"
        f"    MOFCOM 2025-18: {TITLE_18_ZH}\n"
        f"    -> {name}  pending (0 attempts)\n"
        f"2025-11-08 02:00  pending  announcement:MOFCOM 2025-57\n"
        f"    MOFCOM 2025-57: {NEWS_57_TITLE}\n"
        f"    -> {name}  pending (0 attempts)\n"
    )
    assert cmd_alerts(argparse.Namespace(db=str(db), status="sent")) == 0
    assert capsys.readouterr().out == "no sent alerts\n"
