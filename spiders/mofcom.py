"""MOFCOM (China's Ministry of Commerce): export-control announcements in Chinese and English.

Three leaves over one family base (`MofcomSpider`, a `ListDetailSpider`): the Chinese policy
list (built by JavaScript from the jpaas API), the Security and Control Bureau's home page
(aqygzj, server-rendered) and the English announcements list. Detail pages land as
"mofcom_article" with the announcement parsed from the text layout (`parse_announcement`);
the patterns live in `spiders/data/mofcom_announcements.json`.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, Literal
from urllib.parse import urlencode, urljoin

from bs4 import BeautifulSoup
from parsel import Selector
from scrapy.http import Request, Response

from spiders import documents
from spiders.base import ListDetailSpider, SpiderOutput
from spiders.documents import Document, DocumentError, html_fragment_to_text
from spiders.items import RawDocument

PATTERNS_PATH = Path(__file__).parent / "data" / "mofcom_announcements.json"
BEIJING = timezone(timedelta(hours=8))
Language = Literal["zh", "en"]
_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        start=1,
    )
}


# -- patterns -------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Patterns:
    label_issuer: re.Pattern[str]
    label_number: re.Pattern[str]
    label_date: re.Pattern[str]
    number: re.Pattern[str]
    title_number: re.Pattern[str]
    date: re.Pattern[str]
    effective_on_publication: re.Pattern[str]
    effective_on_date: re.Pattern[str]
    suspends_sentence: re.Pattern[str]
    amends_sentence: re.Pattern[str]
    cited_announcements: re.Pattern[str]
    more_numbers: re.Pattern[str]
    suspended_until: re.Pattern[str]
    hs_block: re.Pattern[str]
    item_end: re.Pattern[str]
    authority_members: re.Pattern[str]
    authority_names: dict[str, str]
    control_item: re.Pattern[str]
    plain_item: re.Pattern[str]
    hs_code: re.Pattern[str]
    compact_date: re.Pattern[str] | None
    published_line: re.Pattern[str] | None


@cache
def patterns(language: Language, path: Path = PATTERNS_PATH) -> _Patterns:
    data = json.loads(path.read_text(encoding="utf-8"))
    own: dict[str, Any] = data[language]
    members: dict[str, str] = own["authority_members"]
    # Longest first, so "GACC" is not read as "GAC" + "C".
    alternation = "|".join(re.escape(m) for m in sorted(members, key=len, reverse=True))
    optional = ("compact_date", "published_line")
    keys = [
        f
        for f in _Patterns.__dataclass_fields__
        if isinstance(own.get(f), str) and f not in optional
    ]
    compiled = {key: re.compile(own[key], re.MULTILINE) for key in keys}
    return _Patterns(
        **compiled,
        authority_members=re.compile(alternation),
        authority_names=members,
        control_item=re.compile(data["control_item"], re.MULTILINE),
        plain_item=re.compile(data["plain_item"], re.MULTILINE),
        hs_code=re.compile(data["hs_code"]),
        compact_date=re.compile(own["compact_date"]) if "compact_date" in own else None,
        published_line=re.compile(own["published_line"]) if "published_line" in own else None,
    )


# -- detail pages ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ArticlePage:
    """The parts of a MOFCOM article page (all three sites share the template)."""

    title: str | None
    info: str  # "来源:安全与管制局 类型:原创"
    published_at: datetime | None
    text: str  # the article body, one block a line

    @property
    def full_text(self) -> str:
        header = [self.info, self.title or ""]
        return "\n".join([*[h for h in header if h], self.text])


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def parse_page(html: str) -> ArticlePage:
    soup = BeautifulSoup(html, "lxml")
    title_tag = soup.select_one(".art-title") or soup.find("h1")
    info_tag = soup.select_one(".art-info")
    time_tag = soup.select_one(".art-time")
    body = soup.select_one("#zoom") or soup.select_one(".art-con")
    published = None
    if time_tag is not None:
        published = parse_published(_clean(time_tag.get_text(" ")))
    return ArticlePage(
        title=_clean(title_tag.get_text(" ")) if title_tag else None,
        info=_clean(info_tag.get_text(" ")) if info_tag else "",
        published_at=published,
        text=html_fragment_to_text(str(body)) if body is not None else "",
    )


def parse_published(value: str) -> datetime | None:
    """ "2025-04-04 18:00" (Beijing time) or a bare date."""
    line = patterns("zh").published_line
    match = line.search(value.strip()) if line else None
    if match is None:
        return None
    hour, minute = int(match["H"] or 0), int(match["M"] or 0)
    return datetime(int(match["y"]), int(match["m"]), int(match["d"]), hour, minute, tzinfo=BEIJING)


def declared_charset(html: str) -> str | None:
    match = re.search(r"<meta[^>]+charset=[\"']?([\w-]+)", html[:2048], re.IGNORECASE)
    return match.group(1).lower() if match else None


# -- announcements --------------------------------------------------------------------------
def _date(match: re.Match[str] | None) -> str | None:
    if match is None:
        return None
    groups = match.groupdict()
    month = _MONTHS[groups["month"]] if groups.get("month") else int(groups["m"])
    try:
        return date(int(groups["y"]), month, int(groups["d"])).isoformat()
    except ValueError:
        return None


def _authority(p: _Patterns, text: str) -> str:
    names: list[str] = []
    for member in p.authority_members.findall(text):
        name = p.authority_names[member]
        if name not in names:
            names.append(name)
    return "/".join(names)


def _cited(p: _Patterns, sentence: str, own: str | None) -> list[str]:
    cited: list[str] = []
    for match in p.cited_announcements.finditer(sentence):
        groups = match.groupdict()
        year = groups["y"]
        numbers: list[str] = []
        if groups.get("n"):
            numbers.append(groups["n"])
        tail = groups.get("more") or groups.get("nums") or ""
        numbers += [m["n"] for m in p.more_numbers.finditer(tail)]
        for number in numbers:
            key = f"{year}-{int(number)}"
            if key != own and key not in cited:
                cited.append(key)
    return cited


def _items(p: _Patterns, text: str) -> list[dict[str, Any]]:
    items: dict[str, dict[str, Any]] = {}
    plain: list[dict[str, Any]] = []
    for line in text.splitlines():
        match = p.control_item.match(line)
        if match is not None:
            code, rest = match["code"], match["rest"]
        elif p.hs_block.search(line):
            code, rest = None, p.plain_item.match(line)["rest"]  # type: ignore[index]
        else:
            continue
        end = p.item_end.search(rest)
        description = (rest[: end.start()] if end else rest).strip(" ，,；;。.:：")
        hs_codes = [
            hs for block in p.hs_block.finditer(rest) for hs in p.hs_code.findall(block["codes"])
        ]
        if code is None:
            plain.append({"code": None, "description": description, "hs_codes": hs_codes})
        elif code in items:
            # A code listed again adds its customs numbers, not a second item.
            known = items[code]["hs_codes"]
            known += [hs for hs in hs_codes if hs not in known]
        else:
            items[code] = {"code": code, "description": description, "hs_codes": hs_codes}
    return [*items.values(), *plain]


def parse_announcement(
    text: str, *, title: str | None, language: Language, published: datetime | None = None
) -> dict[str, Any] | None:
    """The announcement dict (see `spiders.documents.ANNOUNCEMENT_KEYS`), or None.

    A page is an announcement when its 【发布文号】/[Issuing Document Number] label or its
    title names one; a spokesperson's Q&A that merely cites numbers is not.
    """
    p = patterns(language)
    labelled = p.label_number.search(text)
    number_match = p.number.search(labelled["value"]) if labelled else None
    if number_match is None and title:
        number_match = p.title_number.search(title)
    if number_match is None:
        return None
    number = f"{number_match['y']}-{int(number_match['n'])}"
    issued_on = None
    if (label_date := p.label_date.search(text)) is not None:
        value = label_date["value"].strip()
        compact = p.compact_date.match(value) if p.compact_date else None
        issued_on = _date(compact or p.date.search(value))
    if issued_on is None and published is not None:
        issued_on = published.date().isoformat()
    effective = [
        issued_on for _ in p.effective_on_publication.finditer(text) if issued_on is not None
    ]
    effective += [d for m in p.effective_on_date.finditer(text) if (d := _date(m))]
    suspends = [
        key
        for sentence in p.suspends_sentence.finditer(text)
        for key in _cited(p, sentence.group(0), number)
    ]
    amends = [
        key
        for sentence in p.amends_sentence.finditer(text)
        for key in _cited(p, sentence.group(0), number)
    ]
    return {
        "authority": _authority(p, number_match["auth"]),
        "number": number,
        "title": title,
        "language": language,
        "issued_on": issued_on,
        # Clauses may start on different days; the measure takes effect with the first.
        "effective_on": min(effective) if effective else None,
        "items": _items(p, text),
        "suspends": list(dict.fromkeys(suspends)),
        "amends": list(dict.fromkeys(amends)),
        "suspended_until": _date(p.suspended_until.search(text)) if suspends else None,
    }


# -- spiders --------------------------------------------------------------------------------
class MofcomSpider(ListDetailSpider):
    """Family base: list rows `<li><a href title>TITLE</a><span>DATE</span></li>`, then articles.

    Pages are decoded as UTF-8 whatever they declare (a `charset=gb2312` meta on UTF-8 pages
    garbles the titles otherwise). A page cut short (no `</html>`) lands a FetchFailure
    "truncated_html" instead of half an announcement. Absolute links to the real host are
    fetched from `base_url` and keep the real host in their identity.

    Incremental: an article whose list row (date and title) is unchanged since it landed is
    not fetched again; the HTML lists are conditional GETs, the jpaas API (no validators) is
    read in full every night. A page that failed is asked for again next night.

    Caveats (every MOFCOM leaf): the lists cannot be queried by date: with `from_date` /
    `until_date`, a row whose date lies outside the window is skipped, a row without a date
    is followed. A row link that is not http(s) lands a FetchFailure "refused_url".

    Spider arguments: `base_url`; `site_path` (a path prefix under `base_url` where the site
    lives, e.g. "/mofcom" on the sample server); `from_date`, `until_date` (ISO dates,
    optional).
    """

    # BaseSpider
    kind = "export_control"
    language: ClassVar[Language] = "zh"
    custom_settings = {
        "DOWNLOAD_DELAY": 2.0,  # default 1.0 (project)
    }

    # ListDetailSpider
    detail_link_css = "li a::attr(href)"
    detail_format = "mofcom_article"

    # MofcomSpider
    row_css: ClassVar[str] = "li"
    kind_without_announcement: ClassVar[str] = "news"

    def __init__(self, *args: Any, site_path: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if site_path:
            self.base_url = self.base_url + "/" + site_path.strip("/")

    def fetch_url(self, url: str) -> str:
        """Where to fetch a real-site URL: the same path under `base_url`."""
        real = self.default_base_url.rstrip("/")
        if url == real or url.startswith(real + "/"):
            return self.base_url + url[len(real) :]
        return url

    def request(self, url: str, callback: str, **kwargs: Any) -> Request:
        return super().request(self.fetch_url(url), callback, **kwargs)

    def list_rows(self, html: str, page_url: str) -> list[tuple[str, dict[str, Any]]]:
        rows = []
        for row in Selector(text=html).css(self.row_css):
            href = row.css("a::attr(href)").get()
            if not href:
                continue
            title = row.css("a::attr(title)").get() or " ".join(row.css("a *::text").getall())
            raw_date = _clean(" ".join(row.css("span::text").getall())).strip("[]")
            published = parse_published(raw_date) if raw_date else None
            record = {
                "title": _clean(title) or None,
                "date": published.date().isoformat() if published else None,
            }
            # Links resolve against the real page, so "/zwgk/..." stays inside `site_path`.
            rows.append((urljoin(self.canonical_id(page_url), href.strip()), record))
        return rows

    def follow_rows(self, rows: list[tuple[str, dict[str, Any]]], list_url: str) -> SpiderOutput:
        for href, record in rows:
            link = self.follow_link(list_url, href, what="list link")
            if not isinstance(link, str):
                yield link
                continue
            if self.outside_window(self.listed_published(link, record)):
                continue
            fingerprint = self.detail_fingerprint(link, record)
            if self.seen_unchanged(link, fingerprint):
                continue
            info = {"source_id": link, "list_url": list_url, "record": record}
            yield self.request(
                link,
                "parse_detail",
                cb_kwargs={"info": info},
                meta={"minwatch_source_id": info["source_id"]},
                fingerprint=fingerprint,
            )

    def listed_published(self, link: str, record: Mapping[str, Any]) -> date | None:
        listed = record.get("date")
        return date.fromisoformat(listed) if isinstance(listed, str) else None

    def detail_fingerprint(self, link: str, record: Mapping[str, Any]) -> str:
        """The list row's date and title: a re-dated or retitled row is fetched again.

        The row is all MOFCOM publishes about a change (no validators on the jpaas API, no
        modification time on the pages); a row without a date is fingerprinted by its title.
        """
        return f"{record.get('date') or '-'} {record.get('title') or ''}".strip()

    def parse_list(self, response: Response, page_number: int) -> SpiderOutput:
        html = response.body.decode("utf-8", errors="replace")
        yield from self.follow_rows(self.list_rows(html, response.url), response.url)

    def parse_detail(self, response: Response, info: dict[str, Any]) -> SpiderOutput:
        html = response.body.decode("utf-8", errors="replace")
        if "</html>" not in html[-4096:].lower():
            yield self.fetch_failure(
                url=response.url,
                error="truncated_html",
                message=f"page ends without </html> after {len(response.body)} bytes",
                http_status=response.status,
                source_id=info["source_id"],
            )
            return
        page = parse_page(html)
        record = info["record"] or {}
        title = page.title or record.get("title")
        announcement = parse_announcement(
            page.full_text, title=title, language=self.language, published=page.published_at
        )
        content_type = response.headers.get("Content-Type")
        item = self.raw_document(
            source_id=info["source_id"],
            format=self.detail_format,
            url=response.url,
            http_status=response.status,
            content_type=content_type.decode("latin-1") if content_type else None,
            title=title,
            published_at=page.published_at,
            body=html,
            data={
                "list_url": info["list_url"],
                "list_record": record or None,
                "declared_charset": declared_charset(html),
                "announcement": announcement,
            },
        )
        if announcement is None:
            item["kind"] = self.kind_without_announcement
        yield item


class MofcomPolicySpider(MofcomSpider):
    """MOFCOM policy releases (政务公开 > 政策发布), Chinese.

    Source: https://www.mofcom.gov.cn/zwgk/zcfb/index.html, whose list is built by JavaScript
    from the jpaas "build unit" API; articles at /zwgk/zcfb/art/YYYY/art_<32hex>.html (and
    older or catalogued paths the list links to).

    Caveats:
    - The API answers 403 without `Referer: …/zwgk/zcfb/index.html`.
    - It answers 200 `{"success": false, ...}` to a bad query: landed as "jpaas_error".
    - Paging by `pageNo` until a page lists no item.
    - Non-announcements (news, Q&A) land with kind "news".

    Spider arguments: `base_url`, `site_path`, `from_date`, `until_date`; `page_size` (items
    per API page, default 15).
    """

    # BaseSpider
    source_name = "mofcom_zh"
    default_base_url = "https://www.mofcom.gov.cn"

    # ListDetailSpider
    list_path = "/zwgk/zcfb/index.html"
    max_list_pages = 50

    # MofcomPolicySpider
    api_path: ClassVar[str] = "/api-gateway/jpaas-publish-server/front/page/build/unit"
    api_params: ClassVar[dict[str, str]] = {
        "parseType": "bulidstatic",  # sic: the API's own spelling
        "webId": "8f43c7ad3afc411fb56f281724b73708",
        "tplSetId": "52551ea0e2c14bca8c84792f7aa37ead",
        "pageType": "column",
        "tagId": "分页列表",
        "editType": "null",
        "pageId": "fc8bdff48fa345a48b651c1285b70b8f",
    }
    page_size: int = 15

    def __init__(self, *args: Any, page_size: str | int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if page_size is not None:
            self.page_size = int(page_size)

    def api_request(self, page_no: int) -> Any:
        params = {
            **self.api_params,
            "paramJson": json.dumps(
                {"pageNo": page_no, "pageSize": self.page_size}, separators=(",", ":")
            ),
        }
        return self.request(
            f"{self.url(self.api_path)}?{urlencode(params)}",
            "parse_api_page",
            cb_kwargs={"page_no": page_no},
            headers={"Referer": self.url(self.list_path)},
            dont_filter=True,
            next_page=page_no > 1,
        )

    async def start(self) -> AsyncIterator[Any]:
        yield self.api_request(1)

    def parse_api_page(self, response: Response, page_no: int) -> SpiderOutput:
        try:
            payload = json.loads(response.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            yield self.fetch_failure(
                url=response.url,
                error="malformed_json",
                message=f"jpaas page {page_no} is not JSON: {exc}",
                http_status=response.status,
            )
            return
        data = payload.get("data") if isinstance(payload, dict) else None
        html = data.get("html") if isinstance(data, dict) else None
        if not (isinstance(payload, dict) and payload.get("success") is True) or not isinstance(
            html, str
        ):
            detail = (
                payload.get("message") or payload.get("msg") if isinstance(payload, dict) else None
            )
            yield self.fetch_failure(
                url=response.url,
                error="jpaas_error",
                message=f"jpaas page {page_no} answered without success: {detail or payload!r}"[
                    :500
                ],
                http_status=response.status,
            )
            return
        rows = self.list_rows(html, self.default_base_url + self.list_path)
        yield from self.follow_rows(rows, response.url)
        if rows and page_no < self.max_list_pages:
            yield self.api_request(page_no + 1)


class MofcomSecurityBureauSpider(MofcomSpider):
    """MOFCOM Security and Control Bureau (安全与管制局) home page news, Chinese.

    Source: https://aqygzj.mofcom.gov.cn/ (only the home page is server-rendered); rows link
    absolutely to https://aqygzj.mofcom.gov.cn/{gzdt,zhxx,qdml}/art/YYYY/art_<hex>.html.

    Caveats:
    - Row dates have no brackets and are sometimes missing (the page's own time is used).
    - Republished announcements use the compact 【发文日期】20251009 form.

    Spider arguments: `base_url`, `site_path`, `from_date`, `until_date`.
    """

    # BaseSpider
    source_name = "mofcom_aqygzj"
    default_base_url = "https://aqygzj.mofcom.gov.cn"

    # ListDetailSpider
    list_path = "/"

    # MofcomSpider
    row_css = "ul.news-list li"


class MofcomEnglishSpider(MofcomSpider):
    """MOFCOM announcements and orders, English translations.

    Source: https://english.mofcom.gov.cn/Policies/AnnouncementsOrders/ (HTML list) and
    …/Policies/AnnouncementsOrders/art/YYYY/art_<32hex>.html pages labelled
    `[Issuing Unit] … [Issuing Document Number] MOFCOM Announcement No. 61 of 2025 [Issuing
    Date] October 9, 2025`.

    Caveats: the "number" is the Chinese original's (`2025-61`), so an English page links to
    its original by authority + number.

    Spider arguments: `base_url`, `site_path`, `from_date`, `until_date`.
    """

    # BaseSpider
    source_name = "mofcom_en"
    language = "en"
    default_base_url = "https://english.mofcom.gov.cn"

    # ListDetailSpider
    list_path = "/Policies/AnnouncementsOrders/"

    # MofcomSpider
    row_css = "ul.list li"


# -- converter ------------------------------------------------------------------------------
def mofcom_document(raw: RawDocument) -> Document:
    """A MOFCOM article: its body text, with the landed announcement as structured fields."""
    page = parse_page(raw.body or "")
    if not page.text:
        raise DocumentError(f"{raw.source} {raw.source_id}: no article body (#zoom) found")
    data = raw.data or {}
    announcement = data.get("announcement")
    if not isinstance(announcement, dict):
        announcement = None
    return documents.document_from_raw(raw, page.text, announcement=announcement)


documents.CONVERTERS["mofcom_article"] = mofcom_document

__all__ = [
    "ArticlePage",
    "MofcomEnglishSpider",
    "MofcomPolicySpider",
    "MofcomSecurityBureauSpider",
    "MofcomSpider",
    "mofcom_document",
    "parse_announcement",
    "parse_page",
]
