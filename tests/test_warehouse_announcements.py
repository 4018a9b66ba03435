"""Export-control announcements: one key across languages, suspensions linked to their targets."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from minwatch.warehouse import connect, load_documents, load_extractions
from minwatch.warehouse.records import (
    AnnouncementRow,
    DocumentRow,
    ExportControlRow,
    ExtractionBundle,
)

NIGHT = datetime(2025, 11, 8, 2, 0, tzinfo=UTC)


def doc(doc_id: str, language: str, title: str) -> DocumentRow:
    return DocumentRow(
        doc_id=doc_id,
        source="mofcom_zh" if language == "zh" else "mofcom_en",
        source_id=doc_id,
        kind="export_control",
        url=f"https://example.test/{doc_id}",
        title=title,
        published_at=NIGHT,
        language=language,
        fetched_at=NIGHT,
        text=title,
        content_hash=f"hash-{doc_id}",
    )


def announcement(doc_id: str, number: str, language: str, **fields: object) -> AnnouncementRow:
    values: dict[str, object] = {
        "doc_id": doc_id,
        "announcement_key": f"MOFCOM {number}",
        "authority": "MOFCOM/GACC",
        "number": number,
        "title": f"Announcement {number}",
        "language": language,
        "issued_on": date(2025, 10, 9),
        "effective_on": date(2025, 11, 8),
        "control_codes": (),
        "items_json": "[]",
        "suspends": (),
        "amends": (),
        "suspended_until": None,
    }
    values.update(fields)
    return AnnouncementRow(**values)  # type: ignore[arg-type]


@pytest.fixture(params=["file", "ducklake"])
def loaded(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    if request.param == "ducklake":
        con = connect(request.getfixturevalue("lake"))
    else:
        con = connect(tmp_path / "w.duckdb")
    docs = [
        doc("zh-57", "zh", "商务部 海关总署公告2025年第57号"),
        doc("en-57", "en", "MOFCOM and GAC Announcement No. 57 of 2025"),
        doc("zh-70", "zh", "商务部 海关总署公告2025年第70号"),
    ]
    items = [{"code": "1C909", "description": "钬", "hs_codes": ["2805301300"]}]
    rows = [
        announcement(
            "zh-57", "2025-57", "zh", control_codes=("1C909",), items_json=json.dumps(items)
        ),
        announcement(
            "en-57", "2025-57", "en", control_codes=("1C909",), items_json=json.dumps(items)
        ),
        announcement(
            "zh-70",
            "2025-70",
            "zh",
            suspends=("MOFCOM 2025-57", "MOFCOM 2025-61"),
            suspended_until=date(2026, 11, 10),
            effective_on=date(2025, 11, 7),
        ),
    ]
    load_documents(con, "run-1", docs, [], rows)
    bundle = ExtractionBundle(
        doc_id="zh-57",
        extractor_version="test",
        minerals=("holmium",),
        export_control=ExportControlRow(
            doc_id="zh-57",
            authority="MOFCOM/GACC",
            number="2025-57",
            title=None,
            issued_on=None,
            effective_on=None,
            minerals=("holmium",),
        ),
    )
    load_extractions(con, [bundle], {"zh-57": "hash-zh-57"})
    yield con, docs, rows
    con.close()


def test_export_controls_merge_spider_fields_and_extracted_minerals(loaded) -> None:  # type: ignore[no-untyped-def]
    con, _, _ = loaded
    rows = con.execute(
        "SELECT doc_id, announcement_key, issued_on, effective_on, minerals, control_codes, "
        "language FROM export_controls ORDER BY doc_id"
    ).fetchall()
    issued, effective = date(2025, 10, 9), date(2025, 11, 8)
    assert rows == [
        ("en-57", "MOFCOM 2025-57", issued, effective, [], ["1C909"], "en"),
        ("zh-57", "MOFCOM 2025-57", issued, effective, ["holmium"], ["1C909"], "zh"),
        ("zh-70", "MOFCOM 2025-70", issued, date(2025, 11, 7), [], [], "zh"),
    ]


def test_links_join_languages_and_point_a_suspension_at_its_targets(loaded) -> None:  # type: ignore[no-untyped-def]
    con, _, _ = loaded
    links = con.execute(
        "SELECT doc_id, relation, target_key, target_doc_ids FROM export_control_links "
        "ORDER BY doc_id, relation, target_key"
    ).fetchall()
    assert links == [
        ("en-57", "same_announcement", "MOFCOM 2025-57", ["zh-57"]),
        ("zh-57", "same_announcement", "MOFCOM 2025-57", ["en-57"]),
        ("zh-70", "suspends", "MOFCOM 2025-57", ["en-57", "zh-57"]),
        ("zh-70", "suspends", "MOFCOM 2025-61", []),  # not crawled (yet)
    ]


def test_reloading_announcements_changes_nothing(loaded) -> None:  # type: ignore[no-untyped-def]
    con, docs, rows = loaded
    before = con.execute("SELECT * FROM announcement ORDER BY doc_id").fetchall()
    statuses = load_documents(con, "run-2", docs, [], rows)
    assert set(statuses.values()) == {"unchanged"}
    assert con.execute("SELECT * FROM announcement ORDER BY doc_id").fetchall() == before


def test_an_announcement_of_an_unknown_document_loads_nothing(loaded) -> None:  # type: ignore[no-untyped-def]
    con, _, _ = loaded
    with pytest.raises(ValueError, match=r"announcement\(s\) refer to unknown documents"):
        load_documents(con, "run-3", [], [], [announcement("nope", "2025-99", "zh")])
    assert con.execute("SELECT count(*) FROM announcement").fetchone() == (3,)
