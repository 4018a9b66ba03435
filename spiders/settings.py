"""Scrapy settings shared by every minwatch spider (leaves adjust theirs in custom_settings)."""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version

DEFAULT_CONTACT_URL = "https://github.com/minwatch/minwatch"


def user_agent(contact_url: str | None = None) -> str:
    """`minwatch/<version> (+<contact url>)`: names the project and where to reach its operator.

    The contact URL comes from the argument, else env MINWATCH_CONTACT_URL, else the project URL.
    """
    try:
        project_version = version("minwatch")
    except PackageNotFoundError:  # running from a checkout that was never installed
        project_version = "0+unknown"
    url = contact_url or os.environ.get("MINWATCH_CONTACT_URL", "").strip() or DEFAULT_CONTACT_URL
    return f"minwatch/{project_version} (+{url})"


BOT_NAME = "minwatch"
# SPIDER_MODULES stays unset (default []): spiders.registry resolves spiders, and Scrapy's
# loader would import every leaf module in every crawl process.

USER_AGENT = user_agent()  # default "Scrapy/VERSION (+https://scrapy.org)"

# default False; HTML sites are crawled as their robots.txt says (it is fetched once per crawl);
# API leaves may turn it off in custom_settings, saying why (the SAM API spider does).
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8  # default 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2  # default 8
DOWNLOAD_DELAY = 1.0  # default 0; per source in custom_settings
AUTOTHROTTLE_ENABLED = True  # default False
AUTOTHROTTLE_START_DELAY = 1.0  # default 5.0
AUTOTHROTTLE_MAX_DELAY = 30.0  # default 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0  # default 1.0

DOWNLOAD_TIMEOUT = 60  # default 180
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # default 1 GiB
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024  # default 32 MiB
HTTPCACHE_ENABLED = False  # default False; stated because a cache would hide source changes
COOKIES_ENABLED = False  # default True; none of the sources needs a session
TELNETCONSOLE_ENABLED = False  # default True
REMOTE_CONTROL_ENABLED = False  # default True; like the telnet console, a port nobody uses
# default 100: the workers that take a callback's output are started afresh for every
# response, and a minwatch callback yields one item (a feed: its entries' requests).
CONCURRENT_ITEMS = 16
# default True: the check re-reads a generator callback's source for every response (its
# cache is keyed weakly on bound methods, which die at once); ruff's B901 checks it instead.
WARN_ON_GENERATOR_RETURN_VALUE = False
LOG_LEVEL = "INFO"  # default "DEBUG"; DEBUG would log every request URL

RETRY_ENABLED = True  # default True
RETRY_TIMES = 3  # default 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]  # default (same list)
# Failures are data: every response reaches the spider, which lands non-2xx as FetchFailure.
HTTPERROR_ALLOW_ALL = True  # default False

# Only the open web: Scrapy also downloads file:, data:, ftp: and s3: URLs, and a hostile feed
# or redirect naming file:///proc/self/environ would land the crawl's environment (API keys).
# None removes a scheme's handler from DOWNLOAD_HANDLERS_BASE, which has all six.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}  # default {}
# A request's Referer would be the page that linked to it, and a SAM search page's URL carries
# the API key; no source needs a Referer it does not set itself (MOFCOM's API request does).
# The redirect middlewares warn once a crawl that they will drop Referer on redirects: wanted.
REFERER_ENABLED = False  # default True

# The allow-list (scheme, host, public address) sits before robots.txt (100), so a refused URL
# is not even asked for its robots.txt, and every redirect hop passes it again as a new
# request. Our RetryMiddleware subclass adds Retry-After and the SAM quota rule at the stock
# middleware's priority; conditional GET headers are added after retries (a retried request
# keeps them); the compressed-body check sits above HttpCompressionMiddleware (590) so it sees
# the raw stream. The secret check runs last, after every middleware that adds headers.
DOWNLOADER_MIDDLEWARES = {  # default: the stock middlewares only
    "minwatch.spiders.safety.OpenWebOnlyMiddleware": 40,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "minwatch.spiders.middlewares.CachedRobotsTxtMiddleware": 100,  # the stock one's place
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "minwatch.spiders.middlewares.RetryAfterMiddleware": 550,
    "minwatch.spiders.middlewares.ConditionalGetMiddleware": 560,
    "minwatch.spiders.safety.CompressedBodyMiddleware": 595,
    "minwatch.spiders.safety.SecretOriginMiddleware": 950,
}
# robots.txt kept between crawls (CachedRobotsTxtMiddleware): off unless a directory is set
# (the watcher sets one); never longer than a day.
MINWATCH_ROBOTS_CACHE_DIR = ""
MINWATCH_ROBOTS_CACHE_S = 86400.0
MINWATCH_RETRY_AFTER_MAX_S = 120  # a longer Retry-After is treated as "give up for tonight"
MINWATCH_RETRY_AFTER_DEFAULT_S = 5  # a 429 without Retry-After waits this long
# Pages and redirects may not lead to loopback/private/link-local hosts other than the source's
# configured base URL; tests and the demo (all on 127.0.0.1) may turn this on.
MINWATCH_ALLOW_PRIVATE_ADDRESSES = False

# Caps on what one crawl takes from a source, each hit recorded as a FetchFailure and retried
# another night (a hostile feed of 100,000 links would otherwise be followed at full speed).
SPIDER_MIDDLEWARES = {  # default: the stock middlewares only
    "minwatch.spiders.middlewares.CrawlCapsMiddleware": 950,
}
MINWATCH_MAX_LINKS_PER_PAGE = 1000  # requests followed from one feed, sitemap, list or API page
MINWATCH_MAX_DOCUMENTS_PER_SOURCE = 2000  # document (detail page) requests in one crawl
MINWATCH_MAX_PARSED_BYTES = 20 * 1024 * 1024  # a parsed feed or sitemap, and one landed document

ITEM_PIPELINES = {
    "minwatch.pipelines.Validate": 100,
    "minwatch.pipelines.RefuseOversized": 150,
    "minwatch.pipelines.Deduplicate": 200,
    "minwatch.pipelines.LandingWriter": 900,
}
FEED_EXPORT_ENCODING = "utf-8"
