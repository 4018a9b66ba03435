"""Loading documents, extractions and run bookkeeping into a real DuckDB file."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from minwatch.warehouse import (
    connect,
    finish_run,
    get_source_state,
    load_documents,
    load_extractions,
    needs_extraction,
    record_source_run,
    set_source_state,
    start_run,
    summarize,
    table_counts,
)
from minwatch.warehouse.records import (
    DocumentRow,
    ExportControlRow,
    ExtractionBundle,
    FetchErrorRow,
    MentionRow,
    NoticeRow,
    ProcurementLineRow,
    SourceRunStats,
)

SCHEMA_DOC = Path(__file__).resolve().parents[1] / "docs" / "schema.md"
NIGHT_1 = datetime(2025, 9, 23, 2, 0, tzinfo=UTC)
NIGHT_2 = datetime(2025, 9, 24, 2, 0, tzinfo=UTC)
ANTIMONY_ID = "sam:4e1c2a9b7d3f4e5a8b6c0d1e2f3a4b5c"
COBALT_ID = "sam:0a1b2c3d4e5f60718293a4b5c6d7e8f9"
NEWS_ID = "web:https://www.mining.com/gallium-prices-soar/"
MOFCOM_ID = (
    "web:https://www.mofcom.gov.cn/zwgk/zcfb/art/2025/art_9c2108ccaf754f22a34abab2fedaa944.html"
)
CONTENT_TABLES = ("document", "document_version", "notice")


def document(doc_id: str, text: str, *, fetched_at: datetime = NIGHT_1, **fields) -> DocumentRow:
    defaults: dict[str, object] = {
        "source": "sam_gov",
        "source_id": doc_id.split(":", 1)[1],
        "kind": "procurement",
        "url": f"https://api.sam.gov/prod/opportunities/v2/search?noticeid={doc_id[4:]}&limit=1",
        "title": "Antimony Ingot IDIQ",
        "published_at": datetime(2025, 9, 22, 0, 0, tzinfo=UTC),
        "language": "en",
    }
    defaults.update(fields)
    return DocumentRow(
        doc_id=doc_id,
        text=text,
        fetched_at=fetched_at,
        content_hash=f"hash-of:{text}",
        **defaults,  # type: ignore[arg-type]
    )


def antimony_notice() -> NoticeRow:
    return NoticeRow(
        doc_id=ANTIMONY_ID,
        notice_id=ANTIMONY_ID[4:],
        solicitation_number="SP8000-25-R-0001",
        notice_type="Award Notice",
        base_type="Combined Synopsis/Solicitation",
        posted_date=date(2025, 9, 23),
        response_deadline=None,
        buyer="DEPT OF DEFENSE.DEFENSE LOGISTICS AGENCY.DLA STRATEGIC MATERIALS.DCSO COLUMBUS",
        office_code="SP8000",
        naics_code="331492",
        classification_code="9650",
        set_aside=None,
        active=True,
        award_number="SP8000-25-D-0007",
        award_date=date(2025, 9, 22),
        award_amount=245_000_000.0,
        awardee_name="UNITED STATES ANTIMONY CORP",
        awardee_uei="LPZ2UE7MLNL5",
        awardee_cage="84YR4",
        ui_link=f"https://sam.gov/workspace/contract/opp/{ANTIMONY_ID[4:]}/view",
    )


def cobalt_notice() -> NoticeRow:
    return replace(
        antimony_notice(),
        doc_id=COBALT_ID,
        notice_id=COBALT_ID[4:],
        solicitation_number="SP8000-25-R-0009",
        notice_type="Solicitation",
        buyer="GENERAL SERVICES ADMINISTRATION.FEDERAL ACQUISITION SERVICE",
        posted_date=date(2025, 8, 14),
        award_number=None,
        award_date=None,
        award_amount=None,
        awardee_name=None,
        awardee_uei=None,
        awardee_cage=None,
    )


def night_documents(fetched_at: datetime = NIGHT_1) -> list[DocumentRow]:
    return [
        document(
            ANTIMONY_ID,
            "DLA awards United States Antimony Corp up to $245 million for antimony ingots.",
            fetched_at=fetched_at,
        ),
        document(
            COBALT_ID,
            "DLA seeks up to 7,480 t of cobalt over five years.",
            fetched_at=fetched_at,
            title="Cobalt cut cathode",
        ),
        document(
            NEWS_ID,
            "Gallium prices soared after China's export controls.",
            fetched_at=fetched_at,
            source="mining_com",
            kind="news",
            url="https://www.mining.com/gallium-prices-soar/",
            title="Gallium prices soar",
            published_at=datetime(2025, 9, 21, 23, 30, tzinfo=UTC),
        ),
    ]


# The tests marked so run on a DuckLake warehouse (PostgreSQL catalog) too: same loaders,
# same views, same example queries.
ALSO_ON_DUCKLAKE = pytest.mark.parametrize("con", ["file", "ducklake"], indirect=True)


def table_rows(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[object, ...]]:
    return con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()


@pytest.fixture
def con(request: pytest.FixtureRequest, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    if getattr(request, "param", "file") == "ducklake":
        connection = connect(request.getfixturevalue("lake"))
    else:
        connection = connect(tmp_path / "warehouse.duckdb")
    start_run(connection, "run-1", mode="nightly", started_at=NIGHT_1)
    return connection


@ALSO_ON_DUCKLAKE
def test_new_documents_are_loaded_with_their_notices(con: duckdb.DuckDBPyConnection) -> None:
    statuses = load_documents(con, "run-1", night_documents(), [antimony_notice()])
    assert statuses == {ANTIMONY_ID: "new", COBALT_ID: "new", NEWS_ID: "new"}
    assert summarize(statuses).new == 3
    row = con.execute(
        """
        SELECT version, first_seen_at, last_seen_at, first_run_id, last_run_id, published_at
        FROM document WHERE doc_id = ?
        """,
        [ANTIMONY_ID],
    ).fetchone()
    assert row == (1, NIGHT_1, NIGHT_1, "run-1", "run-1", datetime(2025, 9, 22, tzinfo=UTC))
    assert con.execute(
        "SELECT award_amount, awardee_cage, posted_date FROM notice WHERE doc_id = ?",
        [ANTIMONY_ID],
    ).fetchone() == (245_000_000.0, "84YR4", date(2025, 9, 23))


@ALSO_ON_DUCKLAKE
def test_loading_the_same_night_twice_changes_nothing(con: duckdb.DuckDBPyConnection) -> None:
    load_documents(con, "run-1", night_documents(), [antimony_notice(), cobalt_notice()])
    before = {table: table_rows(con, table) for table in CONTENT_TABLES}
    counts = table_counts(con)
    again = load_documents(con, "run-1", night_documents(), [antimony_notice(), cobalt_notice()])
    assert set(again.values()) == {"unchanged"}
    assert table_counts(con) == counts
    assert {table: table_rows(con, table) for table in CONTENT_TABLES} == before
    assert counts["document"] == 3 and counts["notice"] == 2 and counts["document_version"] == 0


def test_unchanged_document_next_night_only_moves_last_seen(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load_documents(con, "run-1", night_documents(), [antimony_notice()])
    start_run(con, "run-2", mode="nightly", started_at=NIGHT_2)
    statuses = load_documents(con, "run-2", night_documents(NIGHT_2), [antimony_notice()])
    assert summarize(statuses).unchanged == 3
    assert con.execute(
        """
        SELECT version, fetched_at, first_seen_at, last_seen_at, first_run_id, last_run_id
        FROM document WHERE doc_id = ?
        """,
        [COBALT_ID],
    ).fetchone() == (1, NIGHT_1, NIGHT_1, NIGHT_2, "run-1", "run-2")


@ALSO_ON_DUCKLAKE
def test_changed_document_becomes_version_2_and_keeps_the_old_text(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load_documents(con, "run-1", night_documents(), [cobalt_notice()])
    start_run(con, "run-2", mode="nightly", started_at=NIGHT_2)
    amended = document(
        COBALT_ID,
        "Amendment 1: DLA seeks up to 7,480 t of cobalt; closing date extended.",
        fetched_at=NIGHT_2,
        title="Cobalt cut cathode (amended)",
    )
    amended_notice = replace(cobalt_notice(), notice_type="Solicitation Amendment")
    statuses = load_documents(con, "run-2", [amended], [amended_notice])
    assert statuses == {COBALT_ID: "updated"}
    assert con.execute(
        "SELECT version, title, text, fetched_at, version_run_id FROM document WHERE doc_id = ?",
        [COBALT_ID],
    ).fetchone() == (
        2,
        "Cobalt cut cathode (amended)",
        "Amendment 1: DLA seeks up to 7,480 t of cobalt; closing date extended.",
        NIGHT_2,
        "run-2",
    )
    assert table_rows(con, "document_version") == [
        (
            COBALT_ID,
            1,
            "hash-of:DLA seeks up to 7,480 t of cobalt over five years.",
            "Cobalt cut cathode",
            "DLA seeks up to 7,480 t of cobalt over five years.",
            NIGHT_1,
            "run-1",
            "run-2",
        )
    ]
    assert con.execute(
        "SELECT notice_type FROM notice WHERE doc_id = ?", [COBALT_ID]
    ).fetchone() == ("Solicitation Amendment",)
    # replaying night 1's landing file must not roll the document back
    replay = load_documents(con, "run-3", night_documents(), [cobalt_notice()])
    assert replay[COBALT_ID] == "unchanged"
    assert con.execute(
        "SELECT version, notice_type FROM document JOIN notice USING (doc_id) WHERE doc_id = ?",
        [COBALT_ID],
    ).fetchone() == (2, "Solicitation Amendment")
    assert table_counts(con)["document_version"] == 1


def test_duplicate_fetches_in_one_call_keep_the_latest(con: duckdb.DuckDBPyConnection) -> None:
    early = document(COBALT_ID, "first text", fetched_at=NIGHT_1)
    late = document(COBALT_ID, "second text", fetched_at=NIGHT_2)
    assert load_documents(con, "run-1", [late, early], []) == {COBALT_ID: "new"}
    assert con.execute("SELECT text, version FROM document").fetchall() == [("second text", 1)]


def test_api_keys_never_reach_the_warehouse(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAM_GOV_API_KEY", "SECRETKEY123456")
    leaky = document(
        ANTIMONY_ID,
        "text",
        url="https://api.sam.gov/prod/opportunities/v1/noticedesc?noticeid=x&api_key=SECRETKEY123456",
    )
    load_documents(con, "run-1", [leaky], [])
    record_source_run(
        con,
        SourceRunStats(
            run_id="run-1",
            source="sam_gov",
            started_at=NIGHT_1,
            finished_at=NIGHT_1,
            failed=1,
            status="partial",
            errors=(
                FetchErrorRow(
                    source="sam_gov",
                    url="https://api.sam.gov/opportunities/v2/search?api_key=OTHERKEY&limit=10",
                    source_id=None,
                    http_status=500,
                    error="http_500",
                    message="GET failed with key SECRETKEY123456",
                    occurred_at=NIGHT_1,
                ),
            ),
        ),
    )
    stored = con.execute(
        "SELECT url FROM document UNION ALL SELECT url || ' ' || message FROM fetch_error"
    ).fetchall()
    assert stored == [
        ("https://api.sam.gov/prod/opportunities/v1/noticedesc?noticeid=x&api_key=REDACTED",),
        (
            "https://api.sam.gov/opportunities/v2/search?api_key=REDACTED&limit=10 "
            "GET failed with key REDACTED",
        ),
    ]


@ALSO_ON_DUCKLAKE
def test_error_mid_load_rolls_back_everything(con: duckdb.DuckDBPyConnection) -> None:
    load_documents(con, "run-1", night_documents()[:1], [antimony_notice()])
    before = table_counts(con)
    snapshot = {table: table_rows(con, table) for table in CONTENT_TABLES}
    amended = document(ANTIMONY_ID, "amended text", fetched_at=NIGHT_2)
    orphan = replace(cobalt_notice(), doc_id="sam:does-not-exist")
    # documents are written (new + updated) before the orphan notice is detected
    with pytest.raises(ValueError, match=r"sam:does-not-exist"):
        load_documents(con, "run-2", [amended, *night_documents()[1:]], [orphan])
    assert table_counts(con) == before
    assert {table: table_rows(con, table) for table in CONTENT_TABLES} == snapshot
    # the connection is usable afterwards
    assert load_documents(con, "run-2", [amended], [])[ANTIMONY_ID] == "updated"


def test_notices_follow_their_document_whatever_else_is_in_the_batch(
    con: duckdb.DuckDBPyConnection,
) -> None:
    def notice_types() -> list[tuple[object, ...]]:
        return con.execute("SELECT doc_id, notice_type FROM notice ORDER BY doc_id").fetchall()

    # a notice that outlived its document (deleted by hand) is rewritten with the document
    con.execute(
        "INSERT INTO notice (doc_id, notice_id, notice_type) VALUES (?, 'stale', 'STALE')",
        [ANTIMONY_ID],
    )
    load_documents(con, "run-1", night_documents(), [antimony_notice()])
    assert notice_types() == [(ANTIMONY_ID, "Award Notice")]
    # antimony changed, cobalt is seen again, the news article is stored but not in the batch
    start_run(con, "run-2", mode="nightly", started_at=NIGHT_2)
    amended = document(ANTIMONY_ID, "Amended award.", fetched_at=NIGHT_2)
    news_notice = replace(cobalt_notice(), doc_id=NEWS_ID, notice_type="Special Notice")
    statuses = load_documents(
        con,
        "run-2",
        [amended, night_documents(NIGHT_2)[1]],
        [replace(antimony_notice(), notice_type="Amendment"), cobalt_notice(), news_notice],
    )
    assert statuses == {ANTIMONY_ID: "updated", COBALT_ID: "unchanged"}
    assert notice_types() == [
        (COBALT_ID, "Solicitation"),  # filled in: there was none
        (ANTIMONY_ID, "Amendment"),  # rewritten with its updated document
        (NEWS_ID, "Special Notice"),  # filled in for a stored document
    ]
    # an unchanged document's notice is kept, as is a stored one's
    load_documents(
        con,
        "run-2",
        [night_documents(NIGHT_2)[1]],
        [replace(cobalt_notice(), notice_type="Changed"), replace(news_notice, notice_type="X")],
    )
    assert notice_types()[0] == (COBALT_ID, "Solicitation")
    assert notice_types()[2] == (NEWS_ID, "Special Notice")


def bundle(doc_id: str, version: str = "nlp-1", *, usd: float = 245_000_000.0) -> ExtractionBundle:
    return ExtractionBundle(
        doc_id=doc_id,
        extractor_version=version,
        minerals=("antimony",),
        suppliers=("United States Antimony Corp",),
        mentions=(
            MentionRow(doc_id, 0, "organization", "United States Antimony Corp",
                       "United States Antimony Corp", None, None, None, "supplier",
                       "DLA awards United States Antimony Corp up to $245 million.", 11, 38),
            MentionRow(doc_id, 1, "money", "up to $245 million", None, usd, None, "upper",
                       None, "DLA awards United States Antimony Corp up to $245 million.",
                       39, 57),
            MentionRow(doc_id, 2, "mineral", "antimony", "antimony", None, None, None, None,
                       "DLA awards United States Antimony Corp up to $245 million.", 62, 70),
        ),
        procurement_lines=(
            ProcurementLineRow(doc_id, 1, "antimony", usd, True, 3039.0,
                               ("United States Antimony Corp",)),
        ),
    )  # fmt: skip


def export_bundle() -> ExtractionBundle:
    return ExtractionBundle(
        doc_id=MOFCOM_ID,
        extractor_version="nlp-1",
        minerals=("gallium", "germanium"),
        mentions=(
            MentionRow(MOFCOM_ID, 0, "mineral", "镓", "gallium", None, None, None, None,
                       "对镓、锗相关物项实施出口管制", 1, 2),
        ),
        export_control=ExportControlRow(
            MOFCOM_ID, "MOFCOM/GACC", "2023-23", "关于对镓、锗相关物项实施出口管制的公告",
            date(2023, 7, 3), date(2023, 8, 1), ("gallium", "germanium"),
        ),
    )  # fmt: skip


def content_hash_of(con: duckdb.DuckDBPyConnection, doc_id: str) -> str:
    row = con.execute("SELECT content_hash FROM document WHERE doc_id = ?", [doc_id]).fetchone()
    assert row is not None
    return str(row[0])


@ALSO_ON_DUCKLAKE
def test_extraction_reload_replaces_rows_and_identical_bundle_changes_nothing(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load_documents(con, "run-1", night_documents(), [antimony_notice()])
    hashes = {ANTIMONY_ID: content_hash_of(con, ANTIMONY_ID)}
    assert load_extractions(con, [bundle(ANTIMONY_ID)], hashes) == 1
    counts = table_counts(con)
    assert (counts["mention"], counts["procurement_line"], counts["extraction"]) == (3, 1, 1)
    extraction_row = table_rows(con, "extraction")

    assert load_extractions(con, [bundle(ANTIMONY_ID)], hashes) == 0
    assert table_rows(con, "extraction") == extraction_row  # extracted_at did not move
    assert table_counts(con) == counts

    smaller = replace(
        bundle(ANTIMONY_ID, "nlp-2", usd=240_000_000.0),
        mentions=bundle(ANTIMONY_ID).mentions[:2],
    )
    assert load_extractions(con, [smaller], hashes) == 1
    assert table_counts(con)["mention"] == 2
    assert con.execute(
        "SELECT usd, extractor_version FROM procurement_line WHERE doc_id = ?", [ANTIMONY_ID]
    ).fetchall() == [(240_000_000.0, "nlp-2")]
    assert con.execute("SELECT DISTINCT extractor_version FROM mention").fetchall() == [("nlp-2",)]


def test_facts_that_outlived_their_extraction_are_replaced(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load_documents(con, "run-1", night_documents(), [antimony_notice()])
    con.execute(
        "INSERT INTO mention VALUES (?, 7, 'mineral', 'stale', NULL, NULL, NULL, NULL, NULL,"
        " 'stale sentence', 0, 5, 'nlp-0')",
        [ANTIMONY_ID],
    )
    hashes = {ANTIMONY_ID: content_hash_of(con, ANTIMONY_ID)}
    assert load_extractions(con, [bundle(ANTIMONY_ID)], hashes) == 1
    assert con.execute(
        "SELECT seq, extractor_version FROM mention WHERE doc_id = ? ORDER BY seq", [ANTIMONY_ID]
    ).fetchall() == [(0, "nlp-1"), (1, "nlp-1"), (2, "nlp-1")]


def test_needs_extraction(con: duckdb.DuckDBPyConnection) -> None:
    load_documents(con, "run-1", night_documents(), [])
    all_ids = [ANTIMONY_ID, COBALT_ID, NEWS_ID, "web:never-loaded"]
    assert needs_extraction(con, all_ids, "nlp-1") == {ANTIMONY_ID, COBALT_ID, NEWS_ID}
    load_extractions(
        con,
        [bundle(ANTIMONY_ID), ExtractionBundle(doc_id=NEWS_ID, extractor_version="nlp-1")],
        {ANTIMONY_ID: content_hash_of(con, ANTIMONY_ID), NEWS_ID: content_hash_of(con, NEWS_ID)},
    )
    assert needs_extraction(con, all_ids, "nlp-1") == {COBALT_ID}
    assert needs_extraction(con, all_ids, "nlp-2") == {ANTIMONY_ID, COBALT_ID, NEWS_ID}
    # the text changed: the stored extraction is stale
    load_documents(con, "run-2", [document(NEWS_ID, "Gallium rose again.", fetched_at=NIGHT_2,
                                           kind="news", source="mining_com")], [])  # fmt: skip
    assert needs_extraction(con, all_ids, "nlp-1") == {COBALT_ID, NEWS_ID}
    # same facts from the new text: only the extraction's content hash is brought up to date
    assert (
        load_extractions(
            con,
            [ExtractionBundle(doc_id=NEWS_ID, extractor_version="nlp-1")],
            {NEWS_ID: content_hash_of(con, NEWS_ID)},
        )
        == 0
    )
    assert needs_extraction(con, all_ids, "nlp-1") == {COBALT_ID}


def test_bad_extraction_rolls_back_every_bundle(con: duckdb.DuckDBPyConnection) -> None:
    load_documents(con, "run-1", night_documents(), [])
    hashes = {ANTIMONY_ID: content_hash_of(con, ANTIMONY_ID), "web:unknown": "h"}
    with pytest.raises(ValueError, match=r"web:unknown"):
        load_extractions(
            con,
            [bundle(ANTIMONY_ID), ExtractionBundle(doc_id="web:unknown", extractor_version="x")],
            hashes,
        )
    counts = table_counts(con)
    assert (counts["extraction"], counts["mention"], counts["procurement_line"]) == (0, 0, 0)
    with pytest.raises(ValueError, match=r"no content hash"):
        load_extractions(con, [bundle(COBALT_ID)], {})


@ALSO_ON_DUCKLAKE
def test_procurements_view_joins_buyer_and_notice_fields(con: duckdb.DuckDBPyConnection) -> None:
    load_documents(con, "run-1", night_documents(), [antimony_notice(), cobalt_notice()])
    cobalt = ExtractionBundle(
        doc_id=COBALT_ID,
        extractor_version="nlp-1",
        procurement_lines=(ProcurementLineRow(COBALT_ID, 1, "cobalt", 5e8, True, 7480.0, ()),),
    )
    news = ExtractionBundle(
        doc_id=NEWS_ID,
        extractor_version="nlp-1",
        procurement_lines=(ProcurementLineRow(NEWS_ID, 1, "gallium", None, False, 12.5, ()),),
    )
    load_extractions(
        con,
        [bundle(ANTIMONY_ID), cobalt, news],
        {d: content_hash_of(con, d) for d in (ANTIMONY_ID, COBALT_ID, NEWS_ID)},
    )
    rows = con.execute(
        """
        SELECT mineral, usd, tonnes, suppliers, buyer, notice_id, notice_type, posted_date,
               solicitation_number, award_amount
        FROM procurements ORDER BY mineral
        """
    ).fetchall()
    assert rows == [
        ("antimony", 245e6, 3039.0, ["United States Antimony Corp"], "DEFENSE LOGISTICS AGENCY",
         ANTIMONY_ID[4:], "Award Notice", date(2025, 9, 23), "SP8000-25-R-0001", 245e6),
        ("cobalt", 5e8, 7480.0, [], "GENERAL SERVICES ADMINISTRATION", COBALT_ID[4:],
         "Solicitation", date(2025, 8, 14), "SP8000-25-R-0009", None),
        # news: no buyer, posted_date is the publication date in UTC
        ("gallium", None, 12.5, [], None, None, None, date(2025, 9, 21), None, None),
    ]  # fmt: skip


@ALSO_ON_DUCKLAKE
def test_source_run_and_fetch_errors_are_idempotent_per_run(
    con: duckdb.DuckDBPyConnection,
) -> None:
    quota = FetchErrorRow(
        source="sam_gov",
        url="https://api.sam.gov/opportunities/v2/search?limit=1000&offset=2",
        source_id=None,
        http_status=429,
        error="quota",
        message="Message throttled out",
        occurred_at=NIGHT_1,
    )
    broken = replace(quota, http_status=200, error="malformed_json", message="truncated body")
    stats = SourceRunStats(
        run_id="run-1",
        source="sam_gov",
        started_at=NIGHT_1,
        finished_at=NIGHT_1,
        fetched=10,
        new=7,
        updated=1,
        unchanged=2,
        failed=2,
        status="partial",
        errors=(quota, broken),
    )
    record_source_run(con, stats)
    record_source_run(con, stats)
    finish_run(con, "run-1", status="partial", finished_at=NIGHT_1)
    counts = table_counts(con)
    assert (counts["source_run"], counts["fetch_error"], counts["runs"]) == (1, 2, 1)
    run_row = con.execute(
        "SELECT source, fetched, new, updated, unchanged, failed, errors, status, run_status "
        "FROM runs"
    ).fetchone()
    assert run_row is not None
    assert run_row[:6] == ("sam_gov", 10, 7, 1, 2, 2)
    assert json.loads(run_row[6]) == [
        {"error": "quota", "url": quota.url, "message": "Message throttled out"},
        {"error": "malformed_json", "url": quota.url, "message": "truncated body"},
    ]
    assert run_row[7:] == ("partial", "partial")
    assert con.execute("SELECT error_summary FROM source_run").fetchone() == (
        "malformed_json: 1; quota: 1",
    )
    # a retried source of the same run replaces its errors
    record_source_run(con, replace(stats, failed=1, errors=(broken,)))
    assert con.execute("SELECT seq, error FROM fetch_errors").fetchall() == [(1, "malformed_json")]
    with pytest.raises(ValueError, match=r"no run 'run-9'"):
        record_source_run(con, replace(stats, run_id="run-9"))


@ALSO_ON_DUCKLAKE
def test_source_state_round_trip(con: duckdb.DuckDBPyConnection) -> None:
    assert get_source_state(con, "sam_gov") == (None, {})
    set_source_state(con, "sam_gov", "2025-09-23", {"offset": 0, "posted_from": "09/22/2025"})
    updated_at = con.execute("SELECT updated_at FROM source_state").fetchone()
    set_source_state(con, "sam_gov", "2025-09-23", {"posted_from": "09/22/2025", "offset": 0})
    assert con.execute("SELECT updated_at FROM source_state").fetchone() == updated_at
    assert get_source_state(con, "sam_gov") == (
        "2025-09-23",
        {"offset": 0, "posted_from": "09/22/2025"},
    )
    set_source_state(con, "sam_gov", "2025-09-24T02:00:00+00:00", {})
    assert get_source_state(con, "sam_gov") == ("2025-09-24T02:00:00+00:00", {})
    with pytest.raises(ValueError, match="ISO date"):
        set_source_state(con, "sam_gov", "09/24/2025", {})


@ALSO_ON_DUCKLAKE
def test_schema_doc_examples_run_against_a_loaded_warehouse(
    con: duckdb.DuckDBPyConnection,
) -> None:
    just_now = datetime.now(UTC).replace(microsecond=0)
    gallium_news = document(
        NEWS_ID, "Gallium prices soared.", source="mining_com", kind="news",
        url="https://www.mining.com/gallium-prices-soar/", title="Gallium prices soar",
        published_at=just_now,
    )  # fmt: skip
    mofcom = document(
        MOFCOM_ID, "商务部 海关总署公告2023年第23号", kind="export_control", source="mofcom",
        url=MOFCOM_ID[4:], language="zh",
    )  # fmt: skip
    load_documents(con, "run-1", [night_documents()[0], gallium_news, mofcom], [antimony_notice()])
    news_bundle = ExtractionBundle(
        doc_id=NEWS_ID,
        extractor_version="nlp-1",
        mentions=(
            MentionRow(NEWS_ID, 0, "mineral", "Gallium", "gallium", None, None, None, None,
                       "Gallium prices soared.", 0, 7),
        ),
    )  # fmt: skip
    load_extractions(
        con,
        [bundle(ANTIMONY_ID), export_bundle(), news_bundle],
        {d: content_hash_of(con, d) for d in (ANTIMONY_ID, MOFCOM_ID, NEWS_ID)},
    )
    timeout = FetchErrorRow(
        source="mofcom", url="https://www.mofcom.gov.cn/zwgk/zcfb/index.html", source_id=None,
        http_status=None, error="timeout", message="no answer in 30 s", occurred_at=NIGHT_1,
    )  # fmt: skip
    record_source_run(
        con,
        SourceRunStats(run_id="run-1", source="mofcom", started_at=NIGHT_1, finished_at=NIGHT_1,
                       failed=1, status="partial", errors=(timeout,)),
    )  # fmt: skip
    examples = re.findall(r"```sql\n(.*?)```", SCHEMA_DOC.read_text(encoding="utf-8"), re.S)
    assert len(examples) == 11
    results = [con.execute(sql).fetchall() for sql in examples]
    antimony_line = (
        date(2025, 9, 23), "Award Notice", "SP8000-25-R-0001", 245e6, True, 3039.0,
        ["United States Antimony Corp"],
    )  # fmt: skip
    assert results[0] == [antimony_line]
    assert results[1] == [
        (NEWS_ID, "mining_com", "Gallium prices soar", gallium_news.url, just_now)
    ]
    assert [(row[0], row[1], row[4]) for row in results[2]] == [
        ("antimony", 245e6, "DEFENSE LOGISTICS AGENCY")
    ]
    assert results[3] == [("mofcom", timeout.url, None, "timeout", "no answer in 30 s", NIGHT_1)]
    assert results[4] == [
        ("MOFCOM/GACC", "2023-23", "关于对镓、锗相关物项实施出口管制的公告",
         date(2023, 7, 3), date(2023, 8, 1), ["gallium", "germanium"]),
    ]  # fmt: skip
    assert results[5] == []  # the 2025 award is no deal of this year
    assert results[6] == [
        ("United States Antimony Corp", "LPZ2UE7MLNL5", 1, None, 245e6, ["antimony"],
         ["UNITED STATES ANTIMONY CORP"]),
    ]  # fmt: skip
    assert results[7] == [
        ("sam:SP8000-25-R-0001:antimony", date(2025, 9, 22), 245e6,
         ["United States Antimony Corp"], "sam_gov", date(2025, 9, 23), ["procurement_key"],
         night_documents()[0].url),
    ]  # fmt: skip
    assert [(item, item_id) for item, item_id, *_ in results[8]] == [
        ("announcement", "MOFCOM 2023-23"),
        ("deal", "sam:SP8000-25-R-0001:antimony"),
        ("document", ANTIMONY_ID),
        ("document", NEWS_ID),
        ("document", MOFCOM_ID),
    ]


def test_a_run_left_running_is_closed_as_failed_by_the_next(tmp_path: Path) -> None:
    from minwatch.warehouse import close_interrupted_runs

    con = connect(tmp_path / "w.duckdb")
    start_run(con, "killed", mode="nightly", started_at=NIGHT_1)
    start_run(con, "done", mode="nightly", started_at=NIGHT_1)
    finish_run(con, "done", status="ok", finished_at=NIGHT_2)
    assert close_interrupted_runs(con) == ["killed"]
    assert close_interrupted_runs(con) == []
    rows = con.execute("SELECT run_id, status, finished_at FROM run ORDER BY run_id").fetchall()
    assert rows == [("done", "ok", NIGHT_2), ("killed", "failed", None)]
