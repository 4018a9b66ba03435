"""News feeds: mining.com (WordPress RSS 2.0) and a trade publication's Atom feed."""

from __future__ import annotations

from minwatch.spiders.base import FeedSpider


class MiningDotComFeedSpider(FeedSpider):
    """MINING.COM news, from its WordPress RSS 2.0 feed, then each article page.

    Source: https://www.mining.com/feed/ (RSS 2.0 with content:encoded, dc:creator, category,
    guid isPermaLink="false", RFC-822 pubDate).

    Caveats:
    - Article URLs end with a slash (WordPress); the slash is part of the identity.
    - A page that fails to load still lands the entry as a "feed_entry" document built from
      the feed's content:encoded/description, next to a FetchFailure for the page.

    - Feed caveats of `FeedSpider`: no query by date (entries outside `from_date` /
      `until_date` are skipped by their pubDate), non-http(s) links refused, entity
      declarations removed or the feed refused.

    Spider arguments: `base_url` (default https://www.mining.com); `feed_path`;
    `from_date`, `until_date` (ISO dates, optional).
    """

    # BaseSpider
    source_name = "mining_com"
    kind = "news"
    default_base_url = "https://www.mining.com"
    custom_settings = {
        "AUTOTHROTTLE_ENABLED": True,
        "DOWNLOAD_DELAY": 2.0,
    }

    # FeedSpider
    feed_path = "/feed/"


class TradeAtomFeedSpider(FeedSpider):
    """A critical-minerals trade publication's Atom feed, then each article page.

    Source: an Atom 1.0 feed (entry link rel="alternate", published/updated in RFC 3339).

    Caveats:
    - Entries without `published` fall back to `updated` for published_at.
    - A page that fails to load lands a "feed_entry" document from the entry's summary.

    - Feed caveats of `FeedSpider`: no query by date (entries outside `from_date` /
      `until_date` are skipped by their published, else updated, date), non-http(s) links
      refused, entity declarations removed or the feed refused.

    Spider arguments: `base_url` (required in practice: the sample server's URL); `feed_path`;
    `from_date`, `until_date` (ISO dates, optional).
    """

    # BaseSpider
    source_name = "trade_atom"
    kind = "news"
    default_base_url = "https://trade.example.com"
    custom_settings = {
        "AUTOTHROTTLE_ENABLED": True,
        "DOWNLOAD_DELAY": 2.0,
    }

    # FeedSpider
    feed_path = "/news/trade_atom.xml"
