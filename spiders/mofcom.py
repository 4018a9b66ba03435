"""MOFCOM (China's Ministry of Commerce): export-control announcements in Chinese and English.

Leaves over one family base (`MofcomSpider`, a `ListDetailSpider`): the Chinese policy list
(built by JavaScript from the jpaas API), the server-rendered policy releases list (/zcfb/),
the Security and Control Bureau's home page (aqygzj, server-rendered), the English
announcements list and the export-control portal's column API. Detail pages land as
"mofcom_article" with the announcement parsed from the text layout (`parse_announcement`);
the patterns live in `spiders/data/mofcom_announcements.json`.

Article pages (`parse_page`) come in every template the sites have used, since a page keeps
the template it was published with; each part is taken from the first place that states it:
- body: `div[ergodic=article]` (jpaas, 2024-), `#zoom`, `.art-con-bottonmLine` (2020-era
  template, Chinese and English), `div.article` (English site), `.artCon` (older Chinese
  pages), `div.bd` (the export-control portal), `.TRS_Editor`, `.art-con`; of several
  containers matching one selector, the longest (a page may carry several
  `div.art-con.art-con-bottonmLine`, the first a metadata box);
- labels: 【发布单位】/【发布文号】/【发文日期】 or the colon form 发布单位：/发布文号：/发文日期：
  (/zcfb/ pages), and [Issuing Unit]/[Issuing Document Number]/[Issuing Date]; a label box
  apart from the body (the jpaas `.art-con-gonggao`, or a `.art-con-bottonmLine` holding
  only labels) is put in front of the body, one label a line;
- title: `<meta name="ArticleTitle">`, the portal's `var title`, `.art-title` (its heading),
  `#artitle`, `h1`, `<title>` without the site name; the "来源 / 类型 / date" line some
  templates put inside the title element is cut off;
- publication time (Beijing): `.art-time`, `<meta name="PubDate">` ("2025-09-26 17:34" or
  "2025-09-26T17:34"), `<meta name="MakeTime">`, the portal's
  `var publishTime`, `.art-info`, the line inside `.art-title`, `.article-tool`, `#arsource`
  (numeric dates, English month names, or the English site's `parseToData(<ms>)` script),
  then the list row's date, then the 【发文日期】 / [Issuing Date] label.
- a page the server failed to assemble (an SSI error, "[an error occurred while processing
  this directive]", answered with HTTP 200) is a failed fetch, not a document
  (`MofcomSpider.parse_detail`); a page with no article text lands and is refused by the
  converter, which the nightly flow records and fetches again.
- an article URL answered with no HTML page (a PDF or Word attachment, an image, the jpaas
  gateway's JSON) is a failed fetch "not_html", in every leaf.
- a redirect stub (no article text, next to no visible text, and a script setting `location`
  or a `<meta http-equiv="refresh">` Scrapy did not follow) is a failed fetch
  "redirect_stub" naming its target, not followed (`redirect_stub`). Scrapy's
  MetaRefreshMiddleware already follows a refresh of up to 100 s in the first 4 KiB. No
  public capture or scraper of the MOFCOM sites shows a script stub (searched: public code
  and pages for mofcom + window.location / location.href / meta refresh; none of the
  scrapers hulelan/china-governance crawlers/mofcom.py, KeeMeng/mofcom-scraper and
  josherich/RSS-GOV handles one), so a stub is recorded rather than guessed at; every
  failed page is asked for again next night.

Identity: every MOFCOM host (mofcom.gov.cn and its subdomains) is one site whatever the
scheme a link names (`mofcom_identity`): the bureau's home page mixes http:// and https://
links, and exportcontrol pages are cited with both, so `http://` is read as `https://`.

Announcement dates (`parse_announcement`, see `spiders.documents.ANNOUNCEMENT_KEYS`):
- `clauses`: every effective-date clause, `{"clause", "effective_on"}` in text order; the
  clause is the part the sentence names ("第一条第（一）项、第（二）项", "the remaining
  provisions") or "本公告" / "This announcement" for the whole; "from publication" (自公布之日起,
  自即日起... 实施/施行/生效/执行) is the issue date.
- `effective_on`: the date the announcement's main measures take effect: the latest of its
  clauses' dates, i.e. the day everything it introduces is in force. No. 61 of 2025 applies
  its clause 1 (3) at publication (2025-10-09) and its main measures, the extraterritorial
  controls of clause 1 (1)-(2), from 2025-12-01: effective_on is 2025-12-01, `clauses` keeps
  both. One date for the whole announcement is that date. A suspending announcement that
  states no effect clause takes effect when its suspension starts.
- Suspensions are read from each sentence that suspends ("暂停实施", "suspend") announcements
  it cites, wherever the verb and the span sit ("自即日起至2026年11月10日，……暂停实施",
  "暂停实施……，至2026年11月10日"): `suspends` (the announcements cited there),
  `suspended_from` ("自即日起" / "自…起" / "from …", else the day the announcement takes
  effect) and `suspended_until` ("至…" / "until …", or the day the measures resume: "自…起
  恢复实施", "shall be implemented from …"). A date inside a suspending sentence bounds the
  suspension and is never an effective date of the announcement.
- A suspension may name clauses of the announcement it cites, after the citation in Chinese
  ("商务部公告2024年第46号（《…》）第二款暂停实施", "暂停实施《…》（商务部公告2024年第46号）第二款",
  "…第46号公告第二条"), before it in English ("suspend the implementation of Article 2 of
  MOFCOM Announcement No. 46 of 2024", "the second paragraph of …"): `suspensions` holds, per
  target, {"announcement", "clauses", "suspended_from", "suspended_until"}, clauses numbered
  "2" (第二款 / Article 2 / Article II) or "1(2)" (第一条第（二）项), [] for the whole; the
  span is its own sentence's, else the announcement's. `suspends` still lists every target.
- `numbered_clauses`: the announcement's own top-level clause numbers ("一、" lines, "I." or
  "Article 1" lines in English), so a clause left in force by a partial suspension is known.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, Literal
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag
from parsel import Selector
from scrapy.http import Request, Response
from w3lib.html import get_meta_refresh

from minwatch.spiders import documents
from minwatch.spiders.base import ListDetailSpider, SpiderConfigError, SpiderOutput
from minwatch.spiders.documents import Document, DocumentError, html_fragment_to_text
from minwatch.spiders.items import RawDocument
from minwatch.spiders.urls import normalise_url

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
    clause_boundary: re.Pattern[str]
    clause_lead: re.Pattern[str]
    clause_tail: re.Pattern[str]
    whole_announcement: re.Pattern[str]
    clause_words: re.Pattern[str]
    whole_name: str
    sentence_end: re.Pattern[str]
    suspends_sentence: re.Pattern[str]
    suspended_until: re.Pattern[str]
    suspended_from_publication: re.Pattern[str]
    suspended_from_date: re.Pattern[str]
    clause_reference: re.Pattern[str]
    clause_separator: re.Pattern[str]
    numbered_clause: re.Pattern[str]
    amends_sentence: re.Pattern[str]
    cited_announcements: re.Pattern[str]
    more_numbers: re.Pattern[str]
    hs_block: re.Pattern[str]
    item_end: re.Pattern[str]
    title_info: re.Pattern[str]
    title_site_suffix: re.Pattern[str]
    authority_members: re.Pattern[str]
    authority_names: dict[str, str]
    control_item: re.Pattern[str]
    plain_item: re.Pattern[str]
    hs_code: re.Pattern[str]
    compact_date: re.Pattern[str] | None
    published_line: re.Pattern[str] | None
    announcement_prefix: re.Pattern[str] | None
    # Clauses a suspension names beside the announcement it cites: after it (zh), before it (en).
    suspended_clauses_after: re.Pattern[str] | None
    suspended_clauses_before: re.Pattern[str] | None


_OPTIONAL = (
    "compact_date",
    "published_line",
    "announcement_prefix",
    "suspended_clauses_after",
    "suspended_clauses_before",
)
_PLAIN = ("whole_name",)


@cache
def patterns(language: Language, path: Path = PATTERNS_PATH) -> _Patterns:
    data = json.loads(path.read_text(encoding="utf-8"))
    own: dict[str, Any] = data[language]
    members: dict[str, str] = own["authority_members"]
    # Longest first, so "GACC" is not read as "GAC" + "C".
    alternation = "|".join(re.escape(m) for m in sorted(members, key=len, reverse=True))
    keys = [
        f
        for f in _Patterns.__dataclass_fields__
        if isinstance(own.get(f), str) and f not in _OPTIONAL and f not in _PLAIN
    ]
    compiled = {key: re.compile(own[key], re.MULTILINE) for key in keys}

    def optional(key: str) -> re.Pattern[str] | None:
        return re.compile(own[key]) if key in own else None

    return _Patterns(
        **compiled,
        compact_date=optional("compact_date"),
        published_line=optional("published_line"),
        announcement_prefix=optional("announcement_prefix"),
        suspended_clauses_after=optional("suspended_clauses_after"),
        suspended_clauses_before=optional("suspended_clauses_before"),
        whole_name=own["whole_name"],
        authority_members=re.compile(alternation),
        authority_names=members,
        control_item=re.compile(data["control_item"], re.MULTILINE),
        plain_item=re.compile(data["plain_item"], re.MULTILINE),
        hs_code=re.compile(data["hs_code"]),
    )


# -- detail pages ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ArticlePage:
    """The parts of a MOFCOM article page, whichever template it uses (see the module doc)."""

    title: str | None
    info: str  # "来源:安全与管制局 类型:原创"
    published_at: datetime | None
    text: str  # the label box (when apart) and the article body, one block a line
    body_selector: str | None = None  # where the body was found: which template this is
    label_date: datetime | None = None  # 【发文日期】 / [Issuing Date], the last resort

    @property
    def full_text(self) -> str:
        header = [self.info, self.title or ""]
        return "\n".join([*[h for h in header if h], self.text])


# Body containers, best first; a page matching none has no article body.
_BODY_SELECTORS = (
    '[ergodic="article"]',  # jpaas template (2024-): <div ergodic="article" class="art-con ...">
    "#zoom",
    ".art-con-bottonmLine",  # 2020-era template, Chinese and English sites
    "div.article",  # English site
    ".artCon",  # older Chinese pages
    "div.bd",  # export-control portal (edi_ecms), after its <script> of page variables
    ".TRS_Editor",
    ".art-con",
)
# Page parts that sit inside some templates' body container and are not article text.
_NOT_BODY = (
    "script",
    "style",
    "h1",
    ".art-title",
    ".art-info",
    ".art-time",
    ".art-share",
    ".article-tool",
    ".art-con-gonggao",
    ".u-disclaimer-box",
    ".u-art-box-footer",
)
# Elements that state a publication time, after .art-time, <meta name="PubDate"> and the
# portal's `var publishTime` (read as markup: the English site's time is a script).
_TIME_SELECTORS = (".art-info", ".article-tool", "#arsource")
# The English site's notice that its pages are translations; a page note, not text. Both
# wordings are in use ("published on this website", "published in this website").
_DISCLAIMER = re.compile(
    r"^\(?All information published (?:on|in) this website is authentic in Chinese", re.IGNORECASE
)
# What an Apache server writes in place of a server-side include it could not process; such
# a page (seen on exportcontrol.mofcom.gov.cn, HTTP 200) has its page variables empty.
_SSI_ERROR = "[an error occurred while processing this directive]"
# A label box holds labels only: what is left without them has no sentence and is short.
_SENTENCE = re.compile(r"[。；!?！？]|[.;](?:\s|$)")
_LABEL_BOX_REST = 300
# The English site writes dates with a script: parseToData(1760015400000,1) (milliseconds).
_SCRIPT_TIME = re.compile(r"parseToData\(\s*(\d{12,13})\s*[,)]")
_JS_VARIABLE = r"var\s+{name}\s*=\s*(['\"])(?P<value>.*?)\1"


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _js_variable(html: str, name: str) -> str | None:
    found = re.search(_JS_VARIABLE.format(name=re.escape(name)), html)
    return _clean(found["value"]) or None if found else None


def _meta(soup: BeautifulSoup, name: str) -> str | None:
    tag = soup.find("meta", attrs={"name": re.compile(f"^{re.escape(name)}$", re.IGNORECASE)})
    content = tag.get("content") if isinstance(tag, Tag) else None
    return _clean(str(content)) or None if content else None


def clean_title(value: str | None) -> str | None:
    """A title without the "来源 / 类型 / date" line or site name some templates add to it."""
    text = _clean(value)
    languages: tuple[Language, ...] = ("zh", "en")
    for language in languages:
        p = patterns(language)
        text = p.title_site_suffix.sub("", p.title_info.sub("", text)).strip()
    # A date left at the end ("… 2025-10-09 09:00", "[2025-10-09]").
    text = re.sub(
        r"\s*[\[【(（]?\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?[\]】)）]?$",
        "",
        text,
    )
    return text.strip() or None


def _heading_text(tag: Tag) -> str:
    """A title element's own heading: its h1-h3 when it wraps one, else its text."""
    heading = tag.find(["h1", "h2", "h3"]) if tag.name not in ("h1", "h2", "h3") else None
    return _clean((heading or tag).get_text(" "))


def _page_title(soup: BeautifulSoup, html: str) -> str | None:
    candidates = [_meta(soup, "ArticleTitle"), _js_variable(html, "title")]
    for selector in (".art-title", "#artitle", "h1"):
        tag = soup.select_one(selector)
        if tag is not None:
            candidates.append(_heading_text(tag))
    if soup.title is not None:
        candidates.append(soup.title.get_text(" "))
    for candidate in candidates:
        if cleaned := clean_title(candidate):
            return cleaned
    return None


def datetime_in(text: str | None) -> datetime | None:
    """The first date (and time) stated in `text`, Beijing time when it carries no zone.

    Reads "2025-04-04 18:00", "2025年4月4日", "April 4, 2025" and the English site's
    `parseToData(<milliseconds>)`.
    """
    if not text:
        return None
    if scripted := _SCRIPT_TIME.search(text):
        return datetime.fromtimestamp(int(scripted[1]) / 1000, tz=UTC).astimezone(BEIJING)
    numeric = patterns("zh").published_line
    if numeric is not None and (found := numeric.search(text)) is not None:
        try:
            return datetime(
                int(found["y"]),
                int(found["m"]),
                int(found["d"]),
                int(found["H"] or 0),
                int(found["M"] or 0),
                tzinfo=BEIJING,
            )
        except ValueError:
            pass
    if (named := patterns("en").date.search(text)) is not None:
        try:
            return datetime(
                int(named["y"]), _MONTHS[named["month"]], int(named["d"]), tzinfo=BEIJING
            )
        except ValueError:
            return None
    return None


def parse_published(value: str) -> datetime | None:
    """ "2025-04-04 18:00" (Beijing time), a bare date, or any form `datetime_in` reads."""
    return datetime_in(value.strip())


def _markup(soup: BeautifulSoup, selector: str) -> str | None:
    tag = soup.select_one(selector)
    return str(tag) if tag is not None else None


def _published_candidates(soup: BeautifulSoup, html: str, title: str | None) -> list[str]:
    """The places a page states its publication time, best first."""
    places = [
        _markup(soup, ".art-time"),
        _meta(soup, "PubDate"),
        # jpaas pages without PubDate still carry the time the page was made.
        _meta(soup, "MakeTime"),
        _js_variable(html, "publishTime"),
    ]
    places += [_markup(soup, selector) for selector in _TIME_SELECTORS]
    if (tag := soup.select_one(".art-title")) is not None:
        # Only what the title element holds besides the title: the title itself may name a
        # date ("关于暂停实施2025年10月9日公布的…").
        tail = _clean(tag.get_text(" "))
        places.append(tail.replace(title, " ") if title else tail)
    return [place for place in places if place]


def _label_day(p: _Patterns, value: str) -> str | None:
    """The ISO day a date label states: "20251009", "2025年10月9日", "October 9, 2025"."""
    value = value.strip()
    compact = p.compact_date.match(value) if p.compact_date else None
    numeric = p.published_line.search(value) if p.published_line else None
    return _date(compact or p.date.search(value) or numeric)


def _label_date(text: str) -> datetime | None:
    languages: tuple[Language, ...] = ("zh", "en")
    for language in languages:
        p = patterns(language)
        label = p.label_date.search(text)
        if label is not None and (day := _label_day(p, label["value"])):
            return datetime.fromisoformat(day).replace(tzinfo=BEIJING)
    return None


def _labels() -> Iterator[re.Pattern[str]]:
    """The issuer, number and date label patterns of both languages."""
    languages: tuple[Language, ...] = ("zh", "en")
    for language in languages:
        p = patterns(language)
        yield from (p.label_issuer, p.label_number, p.label_date)


def _label_lines(text: str) -> str:
    """`text` with each issuer / number / date label starting a line of its own."""
    starts: set[int] = set()
    for label in _labels():
        starts.update(m.start() for m in label.finditer(text) if m.start() > 0)
    if not starts:
        return text
    parts, last = [], 0
    for start in sorted(starts):
        parts.append(text[last:start].rstrip(" \t"))
        last = start
    parts.append(text[last:])
    return re.sub(r"\n{2,}", "\n", "\n".join(parts)).strip()


def _labels_only(tag: Tag) -> bool:
    """True for a box holding issuer / number / date labels and no article text.

    /zcfb/ pages put 发布单位：/发布文号：/发文日期： in a `.art-con-bottonmLine` of their own
    before the one holding the article (which may restate them).
    """
    if tag.get("ergodic") == "article":
        return False
    text = _label_lines(html_fragment_to_text(str(tag)))
    rest = text
    for label in _labels():
        rest = label.sub("", rest)
    rest = rest.strip()
    return rest != text.strip() and len(rest) <= _LABEL_BOX_REST and not _SENTENCE.search(rest)


def _label_box(soup: BeautifulSoup) -> tuple[Tag | None, str]:
    """The label box apart from the body (jpaas `.art-con-gonggao`, a `.art-con-bottonmLine`
    holding labels only), and its labels one a line."""
    box = soup.select_one(".art-con-gonggao")
    if box is None:
        box = next((t for t in soup.select(".art-con-bottonmLine") if _labels_only(t)), None)
    if box is None:
        return None, ""
    # The box may put the labels on one line.
    return box, _label_lines(re.sub(r"\s*【", "\n【", _clean(box.get_text(" ")))).strip()


def _body(soup: BeautifulSoup, label_box: Tag | None) -> tuple[Tag | None, str | None]:
    """The article body container and the selector that found it (which template it is).

    Of several containers a selector matches, the longest: a metadata box may come first.
    """
    for selector in _BODY_SELECTORS:
        candidates = [
            candidate
            for candidate in soup.select(selector)
            # The jpaas label box is an .art-con too; it is read apart.
            if candidate is not label_box
            and "art-con-gonggao" not in (candidate.get("class") or [])
        ]
        if candidates:
            longest = max(candidates, key=lambda c: len(_clean(c.get_text(" "))))
            return longest, selector
    return None, None


def parse_page(html: str) -> ArticlePage:
    """Title, source line, publication time and text of an article page in any template."""
    soup = BeautifulSoup(html, "lxml")
    title = _page_title(soup, html)
    info_tag = soup.select_one(".art-info")
    info = _clean(info_tag.get_text(" ")) if info_tag is not None else ""
    if not info and (source := _js_variable(html, "source") or _meta(soup, "ContentSource")):
        info = f"来源:{source}"
    published = None
    for place in _published_candidates(soup, html, title):
        if (published := datetime_in(place)) is not None:
            break
    label_box, header = _label_box(soup)
    body, selector = _body(soup, label_box)
    text = ""
    if body is not None:
        for part in body.select(", ".join(_NOT_BODY)):
            part.decompose()
        if label_box is not None and any(parent is body for parent in label_box.parents):
            label_box.decompose()
        lines = html_fragment_to_text(str(body)).splitlines()
        text = "\n".join(line for line in lines if not _DISCLAIMER.match(line)).strip()
    if header and text and header.splitlines()[0] not in text:
        text = f"{header}\n{text}"
    return ArticlePage(
        title=title,
        info=info,
        published_at=published,
        text=text,
        body_selector=selector,
        label_date=_label_date(f"{header}\n{text}"),
    )


# A script sending the browser elsewhere: `[window.|self.|top.|document.]location[.href] = "…"`
# or `location.replace("…")` / `location.assign("…")`. Only read on a page without article text.
_SCRIPT_REDIRECT = re.compile(
    r"""(?<![\w.])(?:(?:window|self|top|parent|document)\.)?location(?:\.href)?\s*=\s*"""
    r"""(?P<q1>['"])(?P<to1>[^'"\s]{1,2000})(?P=q1)"""
    r"""|(?<![\w.])(?:(?:window|self|top|parent|document)\.)?location\.(?:replace|assign)\(\s*"""
    r"""(?P<q2>['"])(?P<to2>[^'"\s]{1,2000})(?P=q2)\s*\)"""
)
# A redirect stub is tiny: more visible text than this is a page (of a template the parser does
# not know), landed and refused by the converter like any page without article text.
_STUB_TEXT = 200


def redirect_stub(html: str, page: ArticlePage | None = None) -> tuple[str, str] | None:
    """("script" or "meta refresh", the target as written) of a page that is only a redirect.

    A stub holds no article text and next to no visible text, and sends the browser on with a
    script setting `location` or with `<meta http-equiv="refresh">`. None for any other page:
    an article page's own scripts (a switch to the mobile site) do not make it a stub.
    `page` is `parse_page(html)` when the caller has it.
    """
    if (page or parse_page(html)).text:
        return None
    soup = BeautifulSoup(html, "lxml")
    refresh = soup.find("meta", attrs={"http-equiv": re.compile(r"^\s*refresh\s*$", re.I)})
    scripts = [tag.get_text() for tag in soup.find_all("script")]
    for tag in soup.find_all(["script", "style", "noscript"]):
        tag.decompose()
    if len(_clean(soup.get_text(" "))) > _STUB_TEXT:
        return None
    if isinstance(refresh, Tag):
        _, target = get_meta_refresh(f"<html><head>{refresh}</head></html>")
        if target:
            return "meta refresh", target
    for script in scripts:
        if (found := _SCRIPT_REDIRECT.search(script)) is not None:
            return "script", found["to1"] or found["to2"]
    return None


def _unusable_page(html: str, size: int) -> tuple[str, str] | None:
    """Why a fetched page is no article page, as (error, message), or None when it is one."""
    if "</html>" not in html[-4096:].lower():
        return "truncated_html", f"page ends without </html> after {size} bytes"
    if _SSI_ERROR in html.lower():
        # The server answered 200 with its include failure in place of the page: the page
        # variables (title, publishTime) are empty and `div.bd` is. Asked again next night,
        # as any failed page.
        return "ssi_error", f"the server could not assemble the page: {_SSI_ERROR!r} in the body"
    return None


def is_mofcom_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    return host == "mofcom.gov.cn" or host.endswith(".mofcom.gov.cn")


def mofcom_identity(url: str) -> str:
    """The normalised URL of a page as its identity; a MOFCOM host's http:// read as https://.

    The bureau's home page lists http:// and https:// links to the same article, and
    exportcontrol pages are cited with both: one scheme keeps them one document.
    """
    normalised = normalise_url(url)
    parts = urlsplit(normalised)
    if parts.scheme == "http" and is_mofcom_host(parts.hostname or ""):
        return urlunsplit(parts._replace(scheme="https"))
    return normalised


# The words of a list's pager ("首页 上一页 1 2 3 下一页 尾页 跳转"), in either language.
_PAGER_WORDS = re.compile(
    r"^(?:\d{1,4}|首页|尾页|末页|上一页|下一页|上页|下页|跳转|确定|GO|first|last|prev(?:ious)?"
    r"|next|»|«|>|<|>>|<<|…|\.\.\.)$",
    re.IGNORECASE,
)


def is_pager_control(row: Selector) -> bool:
    """True for a list item that is a pager control, not an article row.

    A jpaas fragment or list page may close with its pager in `<li>`s like the rows (readers
    of other jpaas sites look for `data-page` controls): a control's link is a script, an
    anchor or a page number, where an article row links a page and names its title.
    """
    link = row.css("a")[0]
    href = (link.attrib.get("href") or "").strip().lower()
    if link.attrib.get("data-page") is not None or href.startswith(("javascript:", "#")):
        return True
    text = _clean(" ".join(link.css("*::text").getall()))
    return not link.attrib.get("title") and bool(_PAGER_WORDS.match(text))


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


def _citations(p: _Patterns, sentence: str, own: str | None) -> list[tuple[int, int, list[str]]]:
    """Each citation of announcements in `sentence`: (start, end, keys other than `own`)."""
    found: list[tuple[int, int, list[str]]] = []
    for match in p.cited_announcements.finditer(sentence):
        groups = match.groupdict()
        year = groups["y"]
        numbers: list[str] = []
        if groups.get("n"):
            numbers.append(groups["n"])
        tail = groups.get("more") or groups.get("nums") or ""
        numbers += [m["n"] for m in p.more_numbers.finditer(tail)]
        keys = [f"{year}-{int(number)}" for number in numbers]
        found.append((match.start(), match.end(), [k for k in keys if k != own]))
    return found


def _cited(p: _Patterns, sentence: str, own: str | None) -> list[str]:
    cited: list[str] = []
    for _, _, keys in _citations(p, sentence, own):
        cited += [key for key in keys if key not in cited]
    return cited


_ZH_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
_ORDINALS = {
    w: i
    for i, w in enumerate(
        ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"),
        start=1,
    )
} | {"tenth": 10}


def _numeral(value: str) -> int | None:
    """1 to 99 written in digits, Chinese numerals, Roman numerals or an English ordinal."""
    value = value.strip()
    if value.isdigit():
        return int(value)
    if value.lower() in _ORDINALS:
        return _ORDINALS[value.lower()]
    if value and all(c in _ROMAN for c in value):
        total = 0
        for i, c in enumerate(value):
            later = _ROMAN[value[i + 1]] if i + 1 < len(value) else 0
            total += -_ROMAN[c] if _ROMAN[c] < later else _ROMAN[c]
        return total
    if value and all(c in _ZH_DIGITS or c == "十" for c in value):
        if "十" not in value:
            return int("".join(str(_ZH_DIGITS[c]) for c in value))
        tens, _, ones = value.partition("十")
        return (_ZH_DIGITS[tens] if tens else 1) * 10 + (_ZH_DIGITS[ones] if ones else 0)
    return None


def _clause_numbers(p: _Patterns, refs: str) -> list[str]:
    """The clause numbers a run of clause references names, "2" or "1(2)" for a sub-clause.

    "第一条第（一）项、第（二）项" is "1(1)", "1(2)"; "Articles 2 and 3" is "2", "3"; a
    parenthesised number is a level below the number before it.
    """
    clauses: list[str] = []
    current: list[str] = []
    last_end = 0
    for match in p.clause_reference.finditer(refs):
        number = _numeral(match["n"])
        if number is None:
            continue
        separated = bool(p.clause_separator.match(refs[last_end : match.start()]))
        if current and not separated:
            current = [*current, str(number)]  # a level below: "第一条第（一）项", "1(2)"
            clauses[-1] = _clause_key(current)
        else:
            if current and separated and match["paren"] and len(current) > 1:
                current = [*current[:-1], str(number)]  # a sibling: "…第（一）项、第（二）项"
            else:
                current = [str(number)]
            clauses.append(_clause_key(current))
        last_end = match.end()
    return list(dict.fromkeys(clauses))


def _clause_key(levels: list[str]) -> str:
    return levels[0] + "".join(f"({level})" for level in levels[1:])


def _suspended_clauses(
    p: _Patterns, sentence: str, citations: list[tuple[int, int, list[str]]], index: int
) -> list[str]:
    """The clauses of the announcements cited at `citations[index]` that the sentence names
    beside them; [] when it names none (the whole announcement)."""
    start, end, _ = citations[index]
    if p.suspended_clauses_after is not None:
        stop = citations[index + 1][0] if index + 1 < len(citations) else len(sentence)
        if found := p.suspended_clauses_after.match(sentence[end:stop]):
            return _clause_numbers(p, found["refs"])
    if p.suspended_clauses_before is not None:
        begin = citations[index - 1][1] if index > 0 else 0
        if found := p.suspended_clauses_before.search(sentence[begin:start]):
            return _clause_numbers(p, found["refs"])
    return []


def _numbered_clauses(p: _Patterns, text: str) -> list[str]:
    """The numbers of an announcement's own top-level clauses ("一、", "I."), in text order."""
    numbers = []
    for match in p.numbered_clause.finditer(text):
        value = match["n"] or match.groupdict().get("a") or ""
        if (number := _numeral(value)) is not None:
            numbers.append(str(number))
    return list(dict.fromkeys(numbers))


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


def _clause_name(p: _Patterns, segment: str) -> str:
    name = p.clause_tail.sub("", p.clause_lead.sub("", segment)).strip()
    if p.announcement_prefix is not None:
        name = p.announcement_prefix.sub("", name).strip()
    return name


def _clause_scope(p: _Patterns, text: str, start: int) -> str:
    """What an effective-date phrase at `start` applies to: the clause its sentence names.

    The subject runs back to the previous boundary; "…规定的措施，自…起实施" puts it one
    segment further back. A scope naming no clause ("经国务院批准，自…起实施") is the whole
    announcement.
    """
    line = text[text.rfind("\n", 0, start) + 1 : start]
    for segment in reversed(p.clause_boundary.split(line)):
        name = _clause_name(p, segment)
        if not name:
            continue
        if p.whole_announcement.match(name) or not p.clause_words.search(name):
            return p.whole_name
        return name
    return p.whole_name


def _effective_clauses(
    p: _Patterns, text: str, issued_on: str | None, suspensions: list[tuple[int, int]]
) -> list[dict[str, str | None]]:
    """Every effective-date clause in text order: {"clause", "effective_on"}.

    A date inside a sentence that suspends announcements bounds the suspension (the day it
    starts, or the day the measures resume), not a day this announcement takes effect.
    """
    found: list[tuple[int, str, str | None]] = []
    for match in p.effective_on_publication.finditer(text):
        found.append((match.start(), _clause_scope(p, text, match.start()), issued_on))
    for match in p.effective_on_date.finditer(text):
        if not any(lo <= match.start() < hi for lo, hi in suspensions):
            found.append((match.start(), _clause_scope(p, text, match.start()), _date(match)))
    clauses: list[dict[str, str | None]] = []
    for _, clause, effective_on in sorted(found, key=lambda f: f[0]):
        entry = {"clause": clause, "effective_on": effective_on}
        if entry not in clauses:
            clauses.append(entry)
    return clauses


def _suspension_span(
    p: _Patterns, sentence: str, issued_on: str | None
) -> tuple[str | None, str | None]:
    """The (first, last) day of the suspension one sentence states, each None if unstated.

    "自即日起至…" / "from the date of promulgation until …" start at publication; a dated
    effect phrase in the sentence is its start when an end is stated ("shall take effect on
    … and last until …"), else the day the measures resume (its end).
    """
    until = _date(p.suspended_until.search(sentence))
    effect = [d for m in p.effective_on_date.finditer(sentence) if (d := _date(m))]
    if until is None and effect:
        until = effect[-1]
    if p.suspended_from_publication.search(sentence):
        return issued_on, until
    # Any other stated day is the start ("自2026年11月10日起恢复实施" names the end only).
    starts = [d for m in p.suspended_from_date.finditer(sentence) if (d := _date(m))]
    start = next((day for day in [*starts, *effect] if day != until), None)
    return start, until


def _sentences(p: _Patterns, text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for end in p.sentence_end.finditer(text):
        spans.append((start, end.start()))
        start = end.end()
    spans.append((start, len(text)))
    return [(lo, hi) for lo, hi in spans if text[lo:hi].strip()]


def parse_announcement(
    text: str, *, title: str | None, language: Language, published: datetime | None = None
) -> dict[str, Any] | None:
    """The announcement dict (see `spiders.documents.ANNOUNCEMENT_KEYS`), or None.

    A page is an announcement when its 【发布文号】/[Issuing Document Number] label or its
    title names one; a spokesperson's Q&A that merely cites numbers is not. Dates follow the
    rules of the module docstring.
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
        issued_on = _label_day(p, label_date["value"])
    if issued_on is None and published is not None:
        issued_on = published.astimezone(BEIJING).date().isoformat()
    # Sentences that suspend announcements they cite.
    suspensions: list[tuple[int, int]] = []
    suspends: list[str] = []
    # Per target: the clauses suspended ([] for the whole announcement) and the sentence's span.
    targets: dict[str, tuple[list[str], tuple[str | None, str | None]]] = {}
    for lo, hi in _sentences(p, text):
        sentence = text[lo:hi]
        if not p.suspends_sentence.search(sentence):
            continue
        citations = _citations(p, sentence, number)
        if not any(keys for _, _, keys in citations):
            continue
        suspensions.append((lo, hi))
        span = _suspension_span(p, sentence, issued_on)
        for index, (_, _, keys) in enumerate(citations):
            named = _suspended_clauses(p, sentence, citations, index)
            for key in keys:
                # Chinese names the clauses after the last number they belong to.
                own = named if (key == keys[-1] or p.suspended_clauses_after is None) else []
                if key in targets:
                    known = targets[key][0]
                    # Suspended whole anywhere is suspended whole.
                    own = [] if not known or not own else list(dict.fromkeys(known + own))
                targets[key] = (own, targets[key][1] if key in targets else span)
                if key not in suspends:
                    suspends.append(key)
    clauses = _effective_clauses(p, text, issued_on, suspensions)
    dates = [c["effective_on"] for c in clauses if c["effective_on"]]
    suspended_from = suspended_until = None
    for lo, hi in suspensions:
        suspended_from, suspended_until = _suspension_span(p, text[lo:hi], issued_on)
        if suspended_from or suspended_until:
            break  # the first suspension stating a span is the announcement's
    if suspends and suspended_from is None:
        # Unstated, the suspension starts when the announcement takes effect.
        suspended_from = max(dates) if dates else issued_on
    # A suspension without an effect clause of its own takes effect when it starts.
    effective_on = max(dates) if dates else suspended_from
    # A target's span is its own sentence's, else the announcement's.
    suspended_parts = [
        {
            "announcement": key,
            "clauses": named,
            "suspended_from": start if (start or end) else suspended_from,
            "suspended_until": end if (start or end) else suspended_until,
        }
        for key, (named, (start, end)) in targets.items()
    ]
    for part in suspended_parts:
        if part["suspended_from"] is None:
            part["suspended_from"] = suspended_from
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
        "effective_on": effective_on,
        "clauses": clauses,
        "items": _items(p, text),
        "suspends": suspends,
        "amends": list(dict.fromkeys(amends)),
        "suspended_from": suspended_from if suspends else None,
        "suspended_until": suspended_until if suspends else None,
        "suspensions": suspended_parts,
        "numbered_clauses": _numbered_clauses(p, text),
    }


# -- spiders --------------------------------------------------------------------------------
class MofcomSpider(ListDetailSpider):
    """Family base: list rows `<li><a href title>TITLE</a><span>DATE</span></li>`, then articles.

    Pages are decoded as UTF-8 whatever they declare (a `charset=gb2312` meta on UTF-8 pages
    garbles the titles otherwise). A page cut short (no `</html>`) lands a FetchFailure
    "truncated_html" instead of half an announcement; an answer that is no HTML page (PDF,
    .doc, image, JSON) lands "not_html", a redirect stub "redirect_stub". Absolute links to
    the real host are fetched from `base_url` and keep the real host in their identity.

    Incremental: an article whose list row (date and title) is unchanged since it landed is
    not fetched again; the HTML lists are conditional GETs, the jpaas API (no validators) is
    read in full every night. A page that failed is asked for again next night.

    Caveats (every MOFCOM leaf): the lists cannot be queried by date: with `from_date` /
    `until_date`, a row whose date lies outside the window is skipped, a row without a date
    is followed. A row link that is not http(s) lands a FetchFailure "refused_url".

    Spider arguments: `base_url`; `site_path` (a path prefix under `base_url` where the site
    lives, e.g. "/mofcom" on the sample server); `from_date`, `until_date` (ISO dates,
    optional); `max_list_pages` (list pages read, default the leaf's; the watcher reads 1:
    lists are newest first).
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
    sites_prefix: ClassVar[str] = "/sites/"  # other MOFCOM hosts under an overridden base_url

    def __init__(
        self,
        *args: Any,
        site_path: str = "",
        max_list_pages: str | int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if site_path:
            self.base_url = self.base_url + "/" + site_path.strip("/")
        if max_list_pages is not None:
            self.max_list_pages = int(max_list_pages)
            if self.max_list_pages < 1:
                raise SpiderConfigError(
                    f"{type(self).__name__} got `max_list_pages` {max_list_pages}; give 1 or more."
                )

    def fetch_url(self, url: str) -> str:
        """Where to fetch a real-site URL: the same path under `base_url`.

        A list may link to another MOFCOM host (the bureau's home page to the former
        export-control portal); with `base_url` overridden (the sample server), such a page
        is fetched from `<base_url>/sites/<host>/<path>`. Its identity stays the real URL
        (`canonical_id`).
        """
        real = self.default_base_url.rstrip("/")
        # Either scheme names the real host (links mix them): fetched from `base_url`.
        site = real.split("://", 1)[-1]
        scheme, _, rest = url.partition("://")
        if scheme.lower() in ("http", "https") and (rest == site or rest.startswith(site + "/")):
            return self.base_url + rest[len(site) :]
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if self.base_url != real and is_mofcom_host(host):
            query = f"?{parts.query}" if parts.query else ""
            return f"{self.base_url}{self.sites_prefix}{host}{parts.path}{query}"
        return url

    def request(self, url: str, callback: str, **kwargs: Any) -> Request:
        return super().request(self.fetch_url(url), callback, **kwargs)

    def canonical_id(self, url: str) -> str:
        """The base's identity (the real host), with a MOFCOM host's scheme made https."""
        return mofcom_identity(super().canonical_id(url))

    def list_rows(self, html: str, page_url: str) -> list[tuple[str, dict[str, Any]]]:
        rows = []
        for row in Selector(text=html).css(self.row_css):
            # A row may link its policy interpretation (政策解读) after the article: title
            # and page are the first link's alone, not the two titles run together.
            link = row.css("a[href]")[:1]
            href = link.attrib.get("href")
            if not href or is_pager_control(row):
                continue
            title = link.attrib.get("title") or " ".join(link.css("*::text").getall())
            raw_date = _clean(" ".join(row.css("span::text").getall())).strip("[]")
            published = parse_published(raw_date) if raw_date else None
            if published is None:
                # The English site writes row dates with a script (parseToData(<ms>,1)).
                published = datetime_in(" ".join(row.css("script::text").getall()))
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
            # http:// and https:// links to one page are one identity (and one seen key).
            source_id = self.canonical_id(link)
            if self.seen_unchanged(source_id, fingerprint):
                continue
            info = {"source_id": source_id, "list_url": list_url, "record": record}
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
        request = response.request
        assert request is not None
        # A PDF or Word attachment, an image, the gateway's JSON: no article page.
        if (refusal := self.not_an_html_page(request, response)) is not None:
            yield from refusal
            return
        html = response.body.decode("utf-8", errors="replace")
        if (refused := _unusable_page(html, len(response.body))) is None:
            page = parse_page(html)
            if (stub := redirect_stub(html, page)) is not None:
                how, target = stub
                # Not followed: no MOFCOM page is known to be such a stub (see the module doc).
                shown = urljoin(info["source_id"], target)[:300]
                refused = (
                    "redirect_stub",
                    f"the page holds no article, only a redirect ({how}) to {shown}; not followed",
                )
        if refused is not None:
            error, message = refused
            yield self.fetch_failure(
                url=response.url,
                error=error,
                message=message,
                http_status=response.status,
                source_id=info["source_id"],
            )
            return
        record = info["record"] or {}
        title = page.title or record.get("title")
        listed = record.get("date")
        # The page's own time, else the list's date, else the announcement's issue date.
        published = (
            page.published_at
            or (datetime.fromisoformat(listed).replace(tzinfo=BEIJING) if listed else None)
            or page.label_date
        )
        announcement = parse_announcement(
            page.full_text, title=title, language=self.language, published=published
        )
        content_type = response.headers.get("Content-Type")
        item = self.raw_document(
            source_id=info["source_id"],
            format=self.detail_format,
            url=response.url,
            http_status=response.status,
            content_type=content_type.decode("latin-1") if content_type else None,
            title=title,
            published_at=published,
            body=html,
            data={
                "list_url": info["list_url"],
                "list_record": record or None,
                "declared_charset": declared_charset(html),
                "body_selector": page.body_selector,
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
    - Paging by `pageNo` until a page lists no item, or only items listed already (a page
      past the end repeating the last); pager controls in the fragment are no items.
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
        self._listed_links: set[str] = set()

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
            # Validators are used if the API ever sends them (it has not been seen to).
            conditional=page_no == 1,
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
        links = {link for link, _ in rows}
        if rows and links <= self._listed_links:
            # A page past the end answered with items already listed (a gateway that clamps
            # pageNo): the list is read; paging on would repeat it up to max_list_pages.
            if self.crawler is not None:
                self.crawler.stats.inc_value("minwatch/mofcom_zh/repeated_list_page")
            return
        self._listed_links |= links
        yield from self.follow_rows(rows, response.url)
        if rows and page_no < self.max_list_pages:
            yield self.api_request(page_no + 1)


class MofcomPolicyReleasesSpider(MofcomSpider):
    """MOFCOM policy releases (政策发布), the server-rendered list, Chinese.

    Source: https://www.mofcom.gov.cn/zcfb/index.html, rows `<ul class="policy-list f-mt20">
    <li><a href>TITLE</a><a href="/zcjd/…">政策解读</a><span>YYYY-MM-DD</span></li>` (the
    second link only on some rows), linking (absolute http:// or site-relative) to pages of
    the column's sub-columns: orders and announcements (部令公告)
    /zcfb/blgg/gg/YYYY/art/YYYY/art_<32hex>.html, /zcfb/blgg/bl/YYYY/art/YYYY/…,
    /zcfb/blgg/art/YYYY/…, and /zcfb/zc/, /zcfb/zgdwjjmywg/, /zcfb/dwmygl/ (…/art/YYYY/…).
    Pages are the 2020-era template: body in `div.art-con.art-con-bottonmLine`, the labels in
    colon form (发布单位：/发布文号：/发文日期：), the time in `<meta name="PubDate">`. Known
    from a third-party public scraper of this list (`MofcomPolicyReleasesScraper`: rows
    `ul.policy-list.f-mt20 > li`, date in the row's `span`, body and 发文日期： as above) and
    its test fixture, from other scrapers reading the list with a plain GET, and from article
    URLs cited in public texts (2025 No. 72 at /zcfb/blgg/gg/2025/art/2025/
    art_bc4513421bb24faaa84e44c2e4f36dc5.html, 2023 No. 23 at /zcfb/blgg/art/2023/…) [T].

    Caveats:
    - A row's title and page are its first link's: the policy interpretation a row may link
      after it (政策解读, /zcjd/…) is neither its title nor fetched.
    - Only the list's first page is read (newest first): how the list pages is not known, nor
      the layout of the 部令公告 indexes (/zcfb/blgg/index.html, /zcfb/blgg/gg/YYYY/index.html).
    - An announcement also on the jpaas list (`mofcom_zh`, /zwgk/zcfb/…) has another URL
      there, so it is two documents; both carry its `announcement_key` (ministry and number),
      which the warehouse's status views and the alerts group by: one announcement, one alert.
    - Non-announcements (regulations, notices without a number) land with kind "news".

    Spider arguments: `base_url`, `site_path`, `from_date`, `until_date`.
    """

    # BaseSpider
    source_name = "mofcom_zcfb"
    default_base_url = "https://www.mofcom.gov.cn"

    # ListDetailSpider
    list_path = "/zcfb/index.html"

    # MofcomSpider
    row_css = "ul.policy-list > li"


class MofcomSecurityBureauSpider(MofcomSpider):
    """MOFCOM Security and Control Bureau (安全与管制局) home page news, Chinese.

    Source: https://aqygzj.mofcom.gov.cn/ (only the home page is server-rendered); rows link
    absolutely to https://aqygzj.mofcom.gov.cn/{gzdt,zhxx,qdml}/art/YYYY/art_<hex>.html, and
    to pages kept on the bureau's former portal http://exportcontrol.mofcom.gov.cn/article/…
    (edi_ecms template: page variables in a script, body in `div.bd`).

    Caveats:
    - Row dates have no brackets and are sometimes missing (the page's own time is used).
    - Republished announcements use the compact 【发文日期】20251009 form, in a label box
      that may put the three labels on one line.

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

    Caveats:
    - The "number" is the Chinese original's (`2025-61`), so an English page links to its
      original by authority + number.
    - Pages come in the site's current template (body in `div.article`, time written by a
      `parseToData(<ms>)` script) and the 2020-era one (`.art-title`, `.article-tool` time,
      `.art-con-bottonmLine` body ending with the "authentic in Chinese" note, left out).

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


class MofcomExportControlSpider(MofcomSpider):
    """MOFCOM export-control information portal (出口管制信息网), Chinese.

    Source: http://exportcontrol.mofcom.gov.cn, the Security and Control Bureau's portal. Its
    column lists are a JSON API: `POST /edi_ecms_web_front/front/column/getColumnList` with
    the form body `pageNumber=<n>&columnID=<id>`, answering `{"pageInfo": {"rows": [{"title",
    "url", "publishTimeStr", "source", "id"}, ...]}}`; `url` is site-relative
    (/article/zcfg/gnzcfg/zcfggzqd/202408/1024.html, /article/gndt/202505/1137.html) and
    `publishTimeStr` is "YYYY-MM-DD HH:MM:SS" (Beijing). Columns: 13 laws (法律), 14
    regulations (法规), 15 rules and normative documents (规章及规范性文件, the announcements),
    1 domestic news (国内动态), 2 international news (国际动态). Known from a public scraper of
    the portal (weiqi-kids/agent.cross-border-trade, cn_export_control/fetch.sh) [T]. Article
    pages are the portal's `edi_ecms` template (page variables in a script, text in `<p>`s
    of `div.bd`), read by `parse_page`.

    Caveats:
    - The page size is the portal's own (the request names none); each column is paged by
      `pageNumber` until a page lists no row, a page whose rows are all older than
      `from_date` (rows are newest first), or `max_list_pages`.
    - A list answer that is not JSON (an HTML error page), deeper than the parser allows,
      or without a `pageInfo.rows` list lands a FetchFailure ("malformed_json",
      "unexpected_payload") and ends that column's paging; a row without a `url` lands
      "invalid_record"; the other columns and rows go on.
    - Listing dates are the portal's, which may be later than the announcement's own
      (2024 No. 33, issued 2024-08-15, is listed 2024-08-26); the 【发文日期】 label gives
      `issued_on`.
    - A page also linked from the bureau's home page (`mofcom_aqygzj`) has the same identity
      (its real URL, read as https like every MOFCOM host's) in both sources: the warehouse
      keeps one document.
    - The portal may answer 200 with its server-side include failure in place of a page
      ("[an error occurred while processing this directive]", empty page variables and
      `div.bd`): landed as a FetchFailure "ssi_error", and asked for again next night.

    Spider arguments: `base_url`, `site_path`, `from_date`, `until_date`, `max_list_pages`
    (pages read per column); `columns` (comma-separated column IDs, default "15,14,13,1").
    """

    # BaseSpider
    source_name = "mofcom_exportcontrol"
    default_base_url = "http://exportcontrol.mofcom.gov.cn"

    # ListDetailSpider
    list_path = "/article/zcfg/"  # the portal's policy page, sent as Referer (as a browser would)
    max_list_pages = 20

    # MofcomExportControlSpider
    api_path: ClassVar[str] = "/edi_ecms_web_front/front/column/getColumnList"
    column_names: ClassVar[Mapping[int, str]] = {
        13: "法律",
        14: "法规",
        15: "规章及规范性文件",
        1: "国内动态",
        2: "国际动态",
    }
    columns: tuple[int, ...] = (15, 14, 13, 1)  # also the `columns` spider argument

    def __init__(self, *args: Any, columns: str | None = None, **kwargs: Any) -> None:
        # Read before the base checks the configuration, which covers the columns.
        self._columns_refused: list[str] = []
        if columns is not None:
            parts = [part.strip() for part in str(columns).split(",")]
            ids = [p for p in parts if re.fullmatch(r"[1-9][0-9]{0,8}", p)]
            self._columns_refused = [p for p in parts if p not in ids]
            self.columns = tuple(dict.fromkeys(int(p) for p in ids))
        super().__init__(*args, **kwargs)

    def configuration_problems(self) -> list[str]:
        problems = super().configuration_problems()
        cls = type(self).__name__
        if not self.api_path.startswith("/"):
            problems.append(f"{cls} sets `api_path` to {self.api_path!r}; start it with /.")
        refused = getattr(self, "_columns_refused", [])
        if refused or not self.columns:
            shown = ", ".join(repr(p) for p in refused) or "nothing"
            problems.append(
                f"{cls} got `columns` naming {shown} as column IDs; give comma-separated "
                'positive integers such as "15,14,13,1".'
            )
        return problems

    def column_request(self, column: int, page_number: int) -> Request:
        form = urlencode({"pageNumber": page_number, "columnID": column})
        request = self.request(
            self.default_base_url + self.api_path,
            "parse_column_page",
            cb_kwargs={"column": column, "page_number": page_number},
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": self.url(self.list_path),
            },
            # One URL for every column and page: only the form body tells them apart.
            dont_filter=True,
            next_page=page_number > 1,
        )
        return request.replace(method="POST", body=form)

    async def start(self) -> AsyncIterator[Any]:
        for column in self.columns:
            yield self.column_request(column, 1)

    def parse_column_page(self, response: Response, column: int, page_number: int) -> SpiderOutput:
        where = f"column {column} page {page_number}"
        if (too_large := self.parsed_too_large(response, len(response.body), where)) is not None:
            yield too_large
            return
        try:
            payload = json.loads(response.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            message = str(exc) if not isinstance(exc, RecursionError) else "nested too deeply"
            yield self.fetch_failure(
                url=response.url,
                error="malformed_json",
                message=f"{where} is not JSON: {message}"[:500],
                http_status=response.status,
            )
            return
        page_info = payload.get("pageInfo") if isinstance(payload, dict) else None
        rows = page_info.get("rows") if isinstance(page_info, dict) else None
        if not isinstance(rows, list):
            found = sorted(payload)[:8] if isinstance(payload, dict) else type(payload).__name__
            yield self.fetch_failure(
                url=response.url,
                error="unexpected_payload",
                message=f"{where} has no `pageInfo.rows` list (found {found})",
                http_status=response.status,
            )
            return
        listed: list[tuple[str, dict[str, Any]]] = []
        for row in rows:
            entry = self.column_row(row, column)
            if entry is None:
                yield self.fetch_failure(
                    url=response.url,
                    error="invalid_record",
                    message=f"a row of {where} has no `url`: {str(row)[:200]}",
                    http_status=response.status,
                )
                continue
            listed.append(entry)
        yield from self.follow_rows(listed, response.url)
        if rows and page_number < self.max_list_pages and not self._older_than_window(listed):
            yield self.column_request(column, page_number + 1)

    def column_row(self, row: object, column: int) -> tuple[str, dict[str, Any]] | None:
        """(the article's real URL, its list record) of one `pageInfo.rows` entry."""
        if not isinstance(row, dict):
            return None
        href = row.get("url")
        if not isinstance(href, str) or not href.strip():
            return None
        title = row.get("title")
        raw_time = row.get("publishTimeStr")
        published = parse_published(raw_time) if isinstance(raw_time, str) else None
        row_id = row.get("id")
        source = row.get("source")
        record = {
            "title": _clean(title) or None if isinstance(title, str) else None,
            "date": published.date().isoformat() if published else None,
            "published": raw_time if isinstance(raw_time, str) else None,
            "source": source if isinstance(source, str) else None,
            "id": str(row_id) if isinstance(row_id, int | str) else None,
            "column": column,
            "column_name": self.column_names.get(column),
        }
        # Site-relative URLs resolve against the real portal, so identities keep its host.
        return urljoin(self.default_base_url + "/", href.strip()), record

    def _older_than_window(self, listed: list[tuple[str, dict[str, Any]]]) -> bool:
        """True when every row of a page is dated before `from_date` (the rest are older)."""
        if self.from_date is None or not listed:
            return False
        days = [record.get("date") for _, record in listed]
        return all(isinstance(d, str) and date.fromisoformat(d) < self.from_date for d in days)


# -- converter ------------------------------------------------------------------------------
def mofcom_document(raw: RawDocument) -> Document:
    """A MOFCOM article: its body text, with the landed announcement as structured fields."""
    page = parse_page(raw.body or "")
    if not page.text:
        places = ", ".join(_BODY_SELECTORS)
        raise DocumentError(f"{raw.source} {raw.source_id}: no article body found ({places})")
    data = raw.data or {}
    announcement = data.get("announcement")
    if not isinstance(announcement, dict):
        announcement = None
    identity = raw.source_id if "://" in raw.source_id else raw.url
    return documents.document_from_raw(
        raw,
        page.text,
        # Pages landed before identities were scheme-free read as https too.
        doc_id=f"web:{mofcom_identity(identity)}",
        announcement=announcement,
        drop_title=True,
    )


documents.CONVERTERS["mofcom_article"] = mofcom_document

__all__ = [
    "ArticlePage",
    "MofcomEnglishSpider",
    "MofcomExportControlSpider",
    "MofcomPolicyReleasesSpider",
    "MofcomPolicySpider",
    "MofcomSecurityBureauSpider",
    "MofcomSpider",
    "clean_title",
    "datetime_in",
    "mofcom_document",
    "mofcom_identity",
    "parse_announcement",
    "parse_page",
]
