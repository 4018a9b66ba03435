"""Google News sitemaps (reached through a sitemap index), then each article page."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from lxml import etree
from parsel import Selector
from scrapy.http import Request, Response, TextResponse

from minwatch.spiders.base import ListDetailSpider, SpiderOutput, response_text

# Never resolve entities or fetch DTDs: a sitemap is untrusted input.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def parse_w3c_datetime(value: str | None) -> datetime | None:
    """W3C datetime of news:publication_date: a date, or a date-time with offset."""
    if not value or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _json_ld_objects(response: TextResponse) -> Iterator[Mapping[str, Any]]:
    """The objects of the page's JSON-LD blocks, a Yoast `@graph` unfolded; bad JSON skipped."""
    for block in response.css('script[type="application/ld+json"]::text').getall():
        try:
            payload = json.loads(block)
        except ValueError:
            continue
        stack = payload if isinstance(payload, list) else [payload]
        for found in stack:
            if isinstance(found, dict):
                graph = found.get("@graph")
                if isinstance(graph, list):
                    yield from (g for g in graph if isinstance(g, dict))
                yield found


_ARTICLE_TYPES = {"Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle"}


def page_metadata(response: Response) -> tuple[str | None, datetime | None]:
    """Title and publication time a page states itself, in the order publishers fill them.

    Title: og:title, a JSON-LD article's headline, the first <h1>, then <title>.
    Published: article:published_time, a JSON-LD article's datePublished, then the first
    <time datetime> of the page (the post meta line of templates without either).
    """
    if not isinstance(response, TextResponse):
        return None, None
    articles = [
        o
        for o in _json_ld_objects(response)
        if (o.get("@type") if isinstance(o.get("@type"), str) else "") in _ARTICLE_TYPES
    ]
    titles = [
        response.css('meta[property="og:title"]::attr(content)').get(),
        *(str(o.get("headline") or "") for o in articles),
        " ".join(response.css("h1 ::text").getall()),
        response.css("title::text").get(),
    ]
    dates = [
        response.css('meta[property="article:published_time"]::attr(content)').get(),
        *(str(o.get("datePublished") or "") for o in articles),
        response.css("time::attr(datetime)").get(),
    ]
    title = next((" ".join(t.split()) for t in titles if t and t.strip()), None)
    published = next((d for d in map(parse_w3c_datetime, dates) if d is not None), None)
    return title, published


class NewsSitemapSpider(ListDetailSpider):
    """A publication's Google News sitemap, through its sitemap index, then each article page.

    Source: the index (`<sitemapindex>`, `<sitemap><loc/><lastmod/>`) of a fictional trade
    publication, "The Metals Ledger"; each `<urlset>` child lists articles with `news:news`
    (`news:publication_date`, `news:title`), or, in a plain post sitemap, only `<loc>` and
    `<lastmod>`. One RawDocument per article (format "article_html", kind "news").

    Caveats:
    - A news sitemap holds only the last 2 days of articles (at most 1,000): crawl nightly.
    - An empty `<urlset>` is legal and means nothing new.
    - The XML is parsed strictly: a malformed sitemap lands a FetchFailure "malformed_xml"
      and the other sitemaps still go on (a lenient parser would silently drop articles).
    - Title and publication time come from the sitemap's `news:news`; a plain sitemap
      (WordPress/Yoast `post-sitemap.xml`: loc, lastmod, image:image) has neither, and
      they come from the page (`page_metadata`: og:title / JSON-LD / h1, and
      article:published_time / JSON-LD datePublished / <time>); never from `<lastmod>`,
      the last edit. A page that fails is a FetchFailure, and its `<url>` entry lands too
      when it has a `news:title` or a date, as a RawDocument with format "feed_entry" (title,
      URL, date, language; no body; `data.page_error` says why), as GDELT and the feeds do:
      the news item is not lost, and the page is asked for again the next night.
    - A `<urlset>` given as `list_path` works too (no index).
    - Incremental: the index is read in full every night (publishers do not always bump a
      child's `<lastmod>`), the child sitemaps are conditional GETs (304 when unchanged), and
      an article whose `<lastmod>` (else `news:publication_date`) is unchanged since it
      landed is not fetched again.
    - A sitemap cannot be queried by date: with `from_date` / `until_date`, an article whose
      `news:publication_date` lies outside the window is skipped (stats
      minwatch/skipped_outside_window); one without a date is fetched.
    - A `<loc>` that is not http(s) (file:, data:, ftp:...) lands a FetchFailure "refused_url",
      never a request. Entity declarations are removed before parsing ("xml_entities"), and
      a sitemap with one that cannot be removed is refused unread; so is one holding more text
      than MINWATCH_MAX_PARSED_BYTES ("parsed_too_large"). An index listing more than
      `max_list_pages` sitemaps lands a "cap_links" failure naming the ones left out.

    Spider arguments: `list_path` (index or sitemap path, default /sitemap_index.xml),
    `from_date`, `until_date` (ISO dates, optional: the window above), `base_url` (default
    https://www.metalsledger.example.com).
    """

    # BaseSpider
    source_name = "news_sitemaps"
    kind = "news"
    default_base_url = "https://www.metalsledger.example.com"
    custom_settings = {
        "DOWNLOAD_DELAY": 2.0,  # default 1.0 (project settings)
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,  # default 2 (project settings)
    }

    # ListDetailSpider (read by this leaf's XML reading, after namespaces are removed)
    list_path = "/sitemap_index.xml"
    detail_link_css = "urlset > url"
    next_page_css = "sitemapindex > sitemap > loc::text"
    max_list_pages = 50  # child sitemaps followed from one index

    # NewsSitemapSpider
    loc_css: ClassVar[str] = "loc::text"
    news_title_css: ClassVar[str] = "news > title::text"
    news_date_css: ClassVar[str] = "news > publication_date::text"
    lastmod_css: ClassVar[str] = "lastmod::text"
    news_language_css: ClassVar[str] = "news > publication > language::text"
    publication_css: ClassVar[str] = "news > publication > name::text"

    async def start(self) -> AsyncIterator[Any]:
        # Not conditional: a 304 on the index would hide a changed child sitemap.
        yield self.request(
            self.url(self.list_path),
            "parse_list",
            cb_kwargs={"page_number": 1},
            dont_filter=True,
        )

    def parse_list(self, response: Response, page_number: int) -> SpiderOutput:
        # lxml is told not to resolve entities; removing their declarations first does not
        # depend on that (nor on libxml2's own amplification limits).
        body, refusals = self.xml_without_entities(response, "sitemap")
        yield from refusals
        if body is None:
            return
        try:
            root = etree.fromstring(body, parser=_PARSER)
        except etree.XMLSyntaxError as exc:
            yield self.fetch_failure(
                url=response.url,
                error="malformed_xml",
                message=f"sitemap is not well-formed XML: {exc}",
                http_status=response.status,
            )
            return
        too_large = self.parsed_too_large(
            response, sum(len(t.encode("utf-8")) for t in root.itertext()), "the sitemap"
        )
        if too_large is not None:
            yield too_large
            return
        selector = Selector(root=root, type="xml")
        selector.remove_namespaces()
        tag = etree.QName(root).localname
        if tag == "sitemapindex":
            children = selector.css(self.next_page_css).getall()
            if len(children) > self.max_list_pages:
                yield self.fetch_failure(
                    url=response.url,
                    error="cap_links",
                    message=(
                        f"the index lists {len(children)} sitemaps, more than `max_list_pages` "
                        f"({self.max_list_pages}); the other {len(children) - self.max_list_pages}"
                        " are not read"
                    ),
                    http_status=response.status,
                )
            for loc in children[: self.max_list_pages]:
                target = self.follow_link(response, loc, what="child sitemap")
                if not isinstance(target, str):
                    yield target
                    continue
                yield self.request(
                    target,
                    "parse_list",
                    cb_kwargs={"page_number": page_number + 1},
                    conditional=True,
                )
            return
        if tag != "urlset":
            yield self.fetch_failure(
                url=response.url,
                error="unexpected_payload",
                message=f"expected <sitemapindex> or <urlset>, got <{tag}>",
                http_status=response.status,
            )
            return
        urls = selector.css(self.detail_link_css)
        if not urls:
            self.logger.info("Sitemap %s lists no articles", response.url)
        for url in urls:
            loc = (url.css(self.loc_css).get() or "").strip()
            if not loc:
                yield self.fetch_failure(
                    url=response.url,
                    error="entry_without_link",
                    message="a sitemap <url> has no <loc>",
                    http_status=response.status,
                )
                continue
            target = self.follow_link(response, loc, what="sitemap <loc>")
            if not isinstance(target, str):
                yield target
                continue
            link = target
            record = {
                "loc": loc,
                "title": (url.css(self.news_title_css).get() or "").strip() or None,
                "publication_date": url.css(self.news_date_css).get(),
                "lastmod": url.css(self.lastmod_css).get(),
                "language": url.css(self.news_language_css).get(),
                "publication": url.css(self.publication_css).get(),
            }
            if self.outside_window(self.listed_published(link, record)):
                continue
            source_id = self.canonical_id(link)
            fingerprint = self.detail_fingerprint(link, record)
            if self.seen_unchanged(source_id, fingerprint):
                continue
            info = {"source_id": source_id, "list_url": response.url, "record": record}
            yield self.request(
                link,
                "parse_detail",
                cb_kwargs={"info": info},
                meta={"minwatch_source_id": info["source_id"]},
                fingerprint=fingerprint,
            )

    def handle_request_failure(
        self, request: Request, *, error: str, message: str, http_status: int | None
    ) -> SpiderOutput:
        yield from super().handle_request_failure(
            request, error=error, message=message, http_status=http_status
        )
        info = request.cb_kwargs.get("info")
        if not isinstance(info, dict) or not isinstance(info.get("record"), dict):
            return  # a sitemap, not an article: no entry to land
        record = info["record"]
        published = parse_w3c_datetime(record.get("publication_date"))
        if not record.get("title") and published is None:
            return  # a plain sitemap's bare <loc>: nothing but the failure to say
        # Not seen (no page_parsed for a failed page): the page is asked for again next night.
        item = self.raw_document(
            source_id=info["source_id"],
            format="feed_entry",
            url=record.get("loc") or info["source_id"],
            # the sitemap answer the entry comes from (only 2xx answers are read)
            http_status=200,
            content_type="application/xml",
            title=record.get("title"),
            published_at=published,
            body=None,
            data={"sitemap_url": info["list_url"], "news": record, "page_error": error},
        )
        language = (record.get("language") or "").strip().lower()
        if language:
            item["language"] = language
        yield item

    def listed_published(self, link: str, record: Mapping[str, Any]) -> datetime | date | None:
        return parse_w3c_datetime(record.get("publication_date"))

    def detail_fingerprint(self, link: str, record: Mapping[str, Any]) -> str:
        """`<lastmod>`, else `news:publication_date` (as UTC ISO): a re-dated URL is refetched.

        A URL with neither is fingerprinted by its title.
        """
        for key in ("lastmod", "publication_date"):
            when = parse_w3c_datetime(record.get(key))
            if when is not None:
                return when.isoformat()
        return self.fingerprint([record.get("title")])

    def parse_detail(self, response: Response, info: dict[str, Any]) -> SpiderOutput:
        record = info["record"]
        title = record["title"]
        published = parse_w3c_datetime(record["publication_date"])
        if title is None or published is None:
            page_title, page_published = page_metadata(response)
            title = title or page_title
            published = published or page_published
        content_type = response.headers.get("Content-Type")
        item = self.raw_document(
            source_id=info["source_id"],
            format="article_html",
            url=response.url,
            http_status=response.status,
            content_type=content_type.decode("latin-1") if content_type else None,
            title=title,
            published_at=published,
            body=response_text(response),
            data={"sitemap_url": info["list_url"], "news": record},
        )
        language = (record.get("language") or "").strip().lower()
        if language:
            item["language"] = language
        yield item
