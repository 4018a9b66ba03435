"""A night over the sample site's SAM.gov, RSS and GDELT pages: companies, languages, suppliers.

One real Prefect flow run over the loopback sample site into a real DuckDB file (real-format
fixtures, ../shared/sources.md §1, §4, §6). What an analyst would check of issue 13's
SAM.gov, GDELT and news faults: the awardee in display case with the API's spelling and its
UEI beside it, joined with its news mentions; mineral names read in the article's language;
the producers a solicitation is limited to named as suppliers, each name whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from minwatch.sample_sources.server import SampleServer
from tests.sample_night import sample_night

SOURCES = ("sam_gov", "mining_com", "trade_atom", "gdelt")
COBALT_SOLICITATION = "sam:7b2bd664d36f880979c0d32ecdf51044"  # SP8000-25-R-0021, the original
USAC_UEI = "M4KQ7ZLNR2C9"


@pytest.fixture(scope="module")
def night(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    db = tmp_path_factory.mktemp("suppliers") / "minwatch.duckdb"
    with pytest.MonkeyPatch.context() as patch, SampleServer() as server:
        patch.setenv("SAM_GOV_API_KEY", "SENTINEL-KEY-sample-suppliers")
        summary = sample_night(db, server, "2026-11-27", *SOURCES, send_alerts=False)
    assert summary.status in {"ok", "partial"}, summary  # partial: the missing pages
    yield db


def _rows(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.mark.slow
def test_the_awardee_is_one_company_in_display_case_with_the_apis_spelling_and_uei(
    night: Path,
) -> None:
    notice = _rows(
        night,
        "SELECT awardee_name, awardee_uei FROM notice "
        "WHERE notice_id = '619412d11a62387ed288a349c24f7024'",
    )
    assert notice == [("UNITED STATES ANTIMONY CORPORATION", USAC_UEI)]  # as the API spells it
    companies = _rows(night, "SELECT name, aliases, uei FROM suppliers WHERE uei = ? ", [USAC_UEI])
    assert len(companies) == 1
    name, aliases, uei = companies[0]
    assert (name, uei) == ("United States Antimony Corporation", USAC_UEI)
    # The SAM.gov spelling and the GDELT wire's "Corp" are the same company as the RSS article's.
    assert {"UNITED STATES ANTIMONY CORPORATION", "United States Antimony Corp"} <= set(aliases)


@pytest.mark.slow
def test_a_country_is_never_an_alias_of_a_company(night: Path) -> None:
    (aliases,) = _rows(night, "SELECT aliases FROM suppliers WHERE uei = ?", [USAC_UEI])[0]
    assert "United States" not in aliases


@pytest.mark.slow
def test_mineral_names_are_read_in_the_articles_language(night: Path) -> None:
    rows = _rows(
        night,
        """
        SELECT d.language, list(DISTINCT m.canonical ORDER BY m.canonical)
        FROM documents AS d JOIN mentions AS m USING (doc_id)
        WHERE m.kind = 'mineral' AND d.source = 'gdelt' AND d.language <> 'en'
        GROUP BY ALL ORDER BY 1
        """,
    )
    assert rows == [
        # "Antimon" and "Blei-Säure-Batterien" (a real use of lead)
        ("de", ["antimony", "lead"]),
        ("es", ["lithium"]),  # "litio"
        ("fr", ["antimony", "gallium", "germanium"]),  # "d'antimoine"
        # "oro e argento ... il litio" in passing; gold is not in the gazetteer
        ("it", ["lithium", "silver", "tungsten"]),
        ("ja", ["rare earth elements"]),  # "レアアース（希土類）"
        ("ko", ["antimony", "gallium", "germanium", "graphite"]),  # "갈륨·게르마늄·흑연 등"
        ("pt", ["cobalt", "lithium", "niobium", "rare earth elements"]),  # "o nióbio"
        # Names in the instrumental case: "гольмием, эрбием, тулием, европием, иттербием"
        ("ru", ["erbium", "europium", "holmium", "rare earth elements", "thulium", "ytterbium"]),
    ]


@pytest.mark.slow
def test_the_sources_a_solicitation_is_limited_to_are_its_suppliers(night: Path) -> None:
    suppliers = _rows(
        night,
        "SELECT DISTINCT canonical FROM mentions WHERE doc_id = ? AND kind = 'organization' "
        "AND role = 'supplier' ORDER BY 1",
        [COBALT_SOLICITATION],
    )
    assert [s for (s,) in suppliers] == [
        "Glencore Nikkelverk AS",
        "Sumitomo Metal Mining Co., Ltd.",
        "Vale Canada Limited",
    ]


@pytest.mark.slow
def test_the_three_sources_in_a_news_article_are_three_whole_names(night: Path) -> None:
    names = _rows(
        night,
        """
        SELECT DISTINCT m.text FROM mentions AS m JOIN documents AS d USING (doc_id)
        WHERE m.kind = 'organization'
          AND d.url LIKE '%/trade/2025/08/dla-cobalt-stockpile-tender-three-sources.html'
        """,
    )
    found = {n for (n,) in names}
    assert {"Vale Canada", "Sumitomo Metal Mining", "Glencore Nikkelverk"} <= found
    assert not [n for n in found if n.endswith(",") or " and " in n]
