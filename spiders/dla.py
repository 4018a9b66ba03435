"""DLA Strategic Materials: news releases and the Annual Materials Plan (AMP) reports."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from datetime import date
from typing import Any, ClassVar

from bs4 import BeautifulSoup
from scrapy.http import Request, Response

from minwatch.spiders import documents
from minwatch.spiders.base import ListDetailSpider, SpiderOutput
from minwatch.spiders.documents import Document, extract_main_text
from minwatch.spiders.items import RawDocument

# List row dates: "Sept. 23, 2025" (news releases) or "2025-10-01" (reports).
_ROW_DATE = re.compile(r"\b([A-Z][a-z]{2,8})\.?\s+(\d{1,2}),\s+(\d{4})\b")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


def parse_row_date(text: str) -> date | None:
    """The date of a list row ("Sept. 23, 2025" or "2025-10-01"); None when it shows none."""
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        pass
    found = _ROW_DATE.search(text)
    month = _MONTHS.get(found.group(1).lower()) if found else None
    if found is None or month is None:
        return None
    try:
        return date(int(found.group(3)), month, int(found.group(2)))
    except ValueError:
        return None


class DlaStrategicMaterialsSpider(ListDetailSpider):
    """DLA Strategic Materials news releases and AMP tables.

    Source: https://www.dla.mil/Strategic-Materials/ (news releases list) and
    …/Strategic-Materials/Reports/ ("AMP – Potential Acquisitions of New NDS Stocks – Fiscal
    Year N"), each linking to a detail page.

    Caveats:
    - The real AMP is a PDF; the sample serves an HTML rendering of its table (material,
      unit, maximum quantity). A page holding that table lands with kind "procurement", a
      news release with kind "news".
    - dla.mil's robots.txt is obeyed (project setting).
    - Incremental: both lists are conditional GETs (304 when unchanged), and a page whose
      list row shows the same date as when it landed is not fetched again; a re-dated row is.
    - The site cannot be queried by date: with `from_date` / `until_date`, a page whose list
      row shows a date outside the window is skipped; a row without a date is followed.

    Spider arguments: `base_url`; `site_path` (path prefix of the site under `base_url`,
    e.g. "/dla" on the sample server); `from_date`, `until_date` (ISO dates, optional).
    """

    # BaseSpider
    source_name = "dla_strategic_materials"
    kind = "news"
    default_base_url = "https://www.dla.mil"
    custom_settings = {
        "DOWNLOAD_DELAY": 2.0,  # default 1.0 (project)
    }

    # ListDetailSpider
    list_path = "/Strategic-Materials/"
    detail_link_css = "ul.news-releases a::attr(href), table.reports a.amp::attr(href)"
    title_css = "h1::text"
    published_css = "time::attr(datetime)"
    detail_format = "dla_page"

    # DlaStrategicMaterialsSpider
    reports_path: ClassVar[str] = "/Strategic-Materials/Reports/"
    procurement_css: ClassVar[str] = "table.amp"
    # A list row (news release or report) and its date, the detail page's fingerprint.
    row_css: ClassVar[str] = "ul.news-releases li, table.reports tbody tr"
    row_date_css: ClassVar[str] = "span.date::text, td:nth-child(2)::text"

    def __init__(self, *args: Any, site_path: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if site_path:
            self.base_url = self.base_url + "/" + site_path.strip("/")
        self.row_dates: dict[str, str] = {}

    def fetch_url(self, url: str) -> str:
        """Where to fetch a real-site URL: the same path under `base_url`."""
        real = self.default_base_url.rstrip("/")
        if url == real or url.startswith(real + "/"):
            return self.base_url + url[len(real) :]
        return url

    def request(self, url: str, callback: str, **kwargs: Any) -> Request:
        return super().request(self.fetch_url(url), callback, **kwargs)

    def parse_list(self, response: Response, page_number: int) -> SpiderOutput:
        # Site-relative links ("/About-DLA/...") resolve against the real page URL, so they
        # stay under `site_path`; `request` maps them back to `base_url` for fetching.
        real = response.replace(url=self.canonical_id(response.url))
        for row in real.css(self.row_css):
            href = row.css("a::attr(href)").get()
            if href:
                day = " ".join(" ".join(row.css(self.row_date_css).getall()).split())
                self.row_dates[real.urljoin(href.strip())] = day
        yield from super().parse_list(real, page_number)

    def detail_fingerprint(self, link: str, record: Mapping[str, Any]) -> str:
        """The date beside the link in its list row ("" without one: fetched once)."""
        return self.row_dates.get(link, "")

    def listed_published(self, link: str, record: Mapping[str, Any]) -> date | None:
        return parse_row_date(self.row_dates.get(link, ""))

    async def start(self) -> AsyncIterator[Any]:
        for number, path in enumerate((self.list_path, self.reports_path), start=1):
            yield self.request(
                self.url(path),
                "parse_list",
                cb_kwargs={"page_number": number},
                dont_filter=True,
                conditional=True,
            )

    def parse_detail(self, response: Response, info: dict[str, Any]) -> SpiderOutput:
        is_table = bool(response.css(self.procurement_css)) if hasattr(response, "css") else False
        for item in super().parse_detail(response, info):
            if isinstance(item, dict) and is_table:
                item["kind"] = "procurement"
            yield item


def amp_lines(html: str) -> list[str]:
    """ "Antimony ingots: up to 1,100 short tons" for each row of an AMP table."""
    soup = BeautifulSoup(html, "lxml")
    lines = []
    for row in soup.select("table.amp tbody tr"):
        cells = row.find_all("td")
        if len(cells) < 3:
            continue
        # The table abbreviates units (ST, KG); the full name is in the <abbr> title.
        abbr = cells[1].find("abbr")
        unit = abbr.get("title") if abbr is not None and abbr.get("title") else None
        unit_text = str(unit or cells[1].get_text(" ", strip=True))
        material = cells[0].get_text(" ", strip=True)
        quantity = cells[2].get_text(" ", strip=True)
        lines.append(f"{material}: up to {quantity} {unit_text}")
    return lines


def dla_document(raw: RawDocument) -> Document:
    """A DLA page: an AMP table as one line a material, or a news release's main text."""
    html = raw.body or ""
    rows = amp_lines(html)
    if rows:
        soup = BeautifulSoup(html, "lxml")
        notes = [
            " ".join(p.get_text(" ", strip=True).split())
            for p in soup.select("article p:not(.info)")
        ]
        text = "\n".join([notes[0], "", *rows, "", *notes[1:]] if notes else rows).strip()
    else:
        text = extract_main_text(html) if html else ""
    return documents.document_from_raw(raw, text)


documents.CONVERTERS["dla_page"] = dla_document
