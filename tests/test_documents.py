"""to_document for each raw format, and read_landing over good and corrupt lines."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from minwatch.sample_sources import SAMPLE_ROOT
from minwatch.spiders.documents import (
    DocumentError,
    drop_leading_title,
    extract_main_text,
    read_landing,
    to_document,
)
from minwatch.spiders.items import FetchFailure, RawDocument
from minwatch.spiders.names import display_name

ANTIMONY = "619412d11a62387ed288a349c24f7024"
FETCHED = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


def sam_raw(notice_id: str = ANTIMONY, **data_overrides: Any) -> RawDocument:
    records = json.loads((SAMPLE_ROOT / "sam_gov" / "opportunities.json").read_text())
    record = next(r for r in records["opportunitiesData"] if r["noticeId"] == notice_id)
    description_file = SAMPLE_ROOT / "sam_gov" / "descriptions" / f"{notice_id}.json"
    description = json.loads(description_file.read_text())["description"]
    data = {**record, "description_html": description, "description_error": None, **data_overrides}
    return RawDocument(
        source="sam_gov",
        source_id=notice_id,
        format="sam_opportunity",
        kind="procurement",
        url=record["uiLink"],
        fetched_at=FETCHED,
        http_status=200,
        title=record["title"],
        published_at=datetime(2025, 9, 23, tzinfo=UTC),
        data=data,
    )


def test_sam_notice_fields_by_value() -> None:
    document = to_document(sam_raw())
    assert document.doc_id == f"sam:{ANTIMONY}"
    assert document.kind == "procurement"
    # The awardee in running text's case (it joins its news mentions); the API's spelling
    # stays in notice.awardee_name.
    assert document.known_suppliers == ("United States Antimony Corporation",)
    assert document.notice == {
        "notice_id": ANTIMONY,
        "solicitation_number": "SP8000-25-R-0009",
        "notice_type": "Award Notice",
        "base_type": "Award Notice",
        "posted_date": date(2025, 9, 23),
        "response_deadline": None,
        "buyer": "DEPT OF DEFENSE.DEFENSE LOGISTICS AGENCY.DLA STRATEGIC MATERIALS."
        "DCSO COLUMBUS.DCSO COLUMBUS DIVISION #3",
        "office_code": "SP8000",
        "naics_code": "331492",
        "classification_code": "9650",
        "set_aside": None,
        "active": True,
        "award_number": "SP8000-25-D-0007",
        "award_date": date(2025, 9, 22),
        "award_amount": 245000000.0,
        "awardee_name": "UNITED STATES ANTIMONY CORPORATION",
        "awardee_uei": "M4KQ7ZLNR2C9",
        "awardee_cage": "84YR4",
        "ui_link": f"https://sam.gov/workspace/contract/opp/{ANTIMONY}/view",
    }


def test_sam_text_has_sam_labelled_fields_and_description() -> None:
    document = to_document(sam_raw())
    text = document.text
    lines = text.splitlines()
    assert document.title == "Antimony Metal Ingot for the National Defense Stockpile"
    assert document.title not in text  # the extractor gets the title separately
    assert lines[:4] == [
        "Notice ID: SP8000-25-R-0009",
        "Contract Opportunity Type: Award Notice",
        "Department/Ind. Agency: DEPT OF DEFENSE",
        "Sub-tier: DEFENSE LOGISTICS AGENCY",
    ]
    assert "Office Code: SP8000" in lines
    assert "Total Contract Value: $245,000,000.00" in lines
    assert "Contractor Awarded Name: United States Antimony Corporation" in lines
    assert "The total award value is $245,000,000.00." in text
    assert "- Estimated quantity: approximately 6.7 million pounds (lb) of antimony ingots" in text
    assert "<p>" not in text


def test_sam_hash_ignores_fetch_time_but_not_content() -> None:
    first = to_document(sam_raw())
    refetched = to_document(sam_raw().model_copy(update={"fetched_at": datetime.now(UTC)}))
    assert refetched.content_hash == first.content_hash
    amended = to_document(sam_raw(award={"amount": "250000000.00"}))
    assert amended.content_hash != first.content_hash
    assert amended.notice is not None and amended.notice["award_amount"] == 250000000.0


def test_sam_notice_without_description_still_becomes_a_document() -> None:
    document = to_document(
        sam_raw(description_html=None, description_error="Description Not Found")
    )
    assert document.text.startswith("Notice ID: SP8000-25-R-0009\n")
    assert document.text.endswith("Total Contract Value: $245,000,000.00")


def test_sam_record_without_data_is_a_document_error() -> None:
    raw = sam_raw().model_copy(update={"data": None})
    with pytest.raises(DocumentError, match=f"sam_gov {ANTIMONY}"):
        to_document(raw)


def article_raw(body: str | None, **data: Any) -> RawDocument:
    return RawDocument(
        source="mining_com",
        source_id="https://www.mining.com/news/articles/x/",
        format="article_html" if body is not None else "feed_entry",
        kind="news",
        url="https://www.mining.com/news/articles/x/?utm_source=rss",
        fetched_at=FETCHED,
        http_status=200,
        title="X",
        body=body,
        data={"feed_summary": None, "feed_content": None, **data},
    )


def test_article_main_text_leaves_out_site_chrome() -> None:
    html = (
        SAMPLE_ROOT
        / "news/articles/pentagon-buys-scandium-oxide-rio-tinto-cobalt-tender/index.html"
    ).read_text()
    document = to_document(article_raw(html))
    assert document.doc_id == "web:https://www.mining.com/news/articles/x/"
    assert document.notice is None and document.known_suppliers == ()
    assert "scandium oxide" in document.text
    for chrome in ("We use cookies", "Related articles", "Advertisement", "Subscribe"):
        assert chrome not in document.text


def test_article_without_extractable_text_falls_back_to_the_feed() -> None:
    raw = article_raw("<html><body></body></html>", feed_content="<p>Feed says enough.</p>")
    assert to_document(raw).text == "Feed says enough."


def test_feed_entry_uses_content_then_summary() -> None:
    both = article_raw(None, feed_summary="<p>short</p>", feed_content="<p>long text</p>")
    assert to_document(both).text == "long text"
    summary_only = article_raw(None, feed_summary="<p>Only the summary.</p>")
    assert to_document(summary_only).text == "Only the summary."
    with pytest.raises(DocumentError, match="no text could be extracted"):
        to_document(article_raw(None))


def gdelt_page_raw(relative: str, title: str) -> RawDocument:
    """A GDELT article page from the sample site, landed as the spider lands it."""
    host, _, path = relative.partition("/")
    return RawDocument(
        source="gdelt",
        source_id=f"https://{host}/{path}",
        format="article_html",
        kind="news",
        url=f"https://{host}/{path}",
        fetched_at=FETCHED,
        http_status=200,
        title=title,
        body=(SAMPLE_ROOT / "gdelt" / "sites" / relative).read_text(encoding="utf-8"),
        data={"gdelt": {"title": title}},
    )


def test_a_text_that_starts_with_its_title_keeps_the_title_once() -> None:
    title = "US Antimony wins $245 million DLA stockpile award, shares jump"
    raw = gdelt_page_raw(
        "metalsbulletin-wire.example/2025/09/usac-antimony-stockpile-award-montana-smelter.html",
        title,
    )
    # The page's main text opens with its headline (trafilatura keeps the <h1>).
    assert extract_main_text(raw.body or "").startswith(title + "\n")
    document = to_document(raw)
    assert document.title == title
    assert title not in document.text  # the extractor puts the title in front itself
    assert document.text.startswith("United States Antimony Corp said on Wednesday it had won")
    assert document.text.count("$245 million") == 1  # the body's own mention, once


def test_the_headline_is_recognised_whatever_its_typography() -> None:
    raw = gdelt_page_raw(
        "asiaminerals-review.example/news/2025/11/japan-jogmec-rare-earth-stockpile-release.html",
        # The page writes "Japan's"; a title with a curly apostrophe, another case and a
        # trailing stop is the same headline.
        "JAPAN\u2019S JOGMEC to release rare earth stocks to magnet makers.",
    )
    document = to_document(raw)
    assert "release rare earth stocks to magnet makers" not in document.text
    assert document.text.startswith("Japan")  # the body's first sentence


def test_a_text_that_does_not_start_with_its_title_is_unchanged() -> None:
    html = (
        SAMPLE_ROOT
        / "news/articles/pentagon-buys-scandium-oxide-rio-tinto-cobalt-tender/index.html"
    ).read_text()
    raw = article_raw(html).model_copy(
        update={"title": "Pentagon buys scandium oxide from Rio Tinto as cobalt tender drags on"}
    )
    assert to_document(raw).text == extract_main_text(html)


def test_drop_leading_title_takes_a_wrapped_headline_whole() -> None:
    text = "China adds five rare earths\nto export controls\n\nBeijing on Thursday added..."
    title = "China adds five rare earths to export controls"
    assert drop_leading_title(text, title) == "Beijing on Thursday added..."
    assert drop_leading_title("China adds five rare earths, analysts say", title) == (
        "China adds five rare earths, analysts say"
    )
    assert drop_leading_title(text, None) == text


def test_a_discovery_record_without_text_is_its_title() -> None:
    record = article_raw(None, page_error="http_404").model_copy(
        update={"title": "Sangdong tungsten mine starts shipping APT feedstock"}
    )
    document = to_document(record)
    assert (document.title, document.text) == (record.title, "")
    # Without a page error it is an entry whose text got lost: still not a document.
    with pytest.raises(DocumentError, match="no text could be extracted"):
        to_document(article_raw(None))


def test_read_landing_streams_records_and_names_corrupt_lines(tmp_path: Path) -> None:
    path = tmp_path / "sam_gov" / "night.jsonl"
    path.parent.mkdir()
    good = sam_raw().model_dump_json()
    failure = FetchFailure(
        source="sam_gov",
        url="https://api.sam.gov/x",
        error="timeout",
        message="m",
        occurred_at=FETCHED,
    ).model_dump_json()
    invalid = json.dumps({"type": "document", "source": "sam_gov", "source_id": "z"})
    path.write_text("\n".join([good, '{"type": "document", "sou', "", failure, invalid]) + "\n")
    records = list(read_landing(path))
    assert [type(r).__name__ for r in records] == [
        "RawDocument",
        "FetchFailure",
        "FetchFailure",
        "FetchFailure",
    ]
    corrupt = records[1]
    assert isinstance(corrupt, FetchFailure)
    assert corrupt.error == "corrupt_landing_line"
    assert corrupt.source == "sam_gov"
    assert corrupt.message.startswith(f"{path}:2: ")
    assert isinstance(records[2], FetchFailure) and records[2].error == "timeout"
    assert isinstance(records[3], FetchFailure) and records[3].message.startswith(f"{path}:5: ")


@pytest.mark.parametrize(
    ("api_name", "context", "expected"),
    [
        ("UNITED STATES ANTIMONY CORPORATION", "", "United States Antimony Corporation"),
        ("KESTREL METALS GROUP INC.", "", "Kestrel Metals Group Inc."),
        ("BANK OF THE WEST CO", "", "Bank of the West Co"),
        ("MSC TIN SMELTING LTD", "", "MSC Tin Smelting Ltd"),
        # the notice's own text gives the company's spelling
        ("ACME RARE-METALS LLC", "awarded to AcMe Rare-Metals LLC of Ohio", "AcMe Rare-Metals LLC"),
        ("Kestrel Metals", "", "Kestrel Metals"),  # mixed case already: as given
    ],
)
def test_registry_names_in_display_case(api_name: str, context: str, expected: str) -> None:
    assert display_name(api_name, context) == expected
