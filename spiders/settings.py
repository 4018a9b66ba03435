"""Scrapy settings shared by every minwatch spider (leaves adjust theirs in custom_settings)."""

from __future__ import annotations

import os

BOT_NAME = "minwatch"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

CONTACT_URL = os.environ.get("MINWATCH_CONTACT_URL", "https://github.com/minwatch/minwatch")
USER_AGENT = f"minwatch/0.1 (+{CONTACT_URL})"  # default "Scrapy/VERSION (+https://scrapy.org)"

ROBOTSTXT_OBEY = True  # default False; the SAM API spider turns it off (an API has no robots.txt)
CONCURRENT_REQUESTS = 8  # default 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2  # default 8
DOWNLOAD_DELAY = 1.0  # default 0; per source in custom_settings
RANDOMIZE_DOWNLOAD_DELAY = True  # default True
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
LOG_LEVEL = "INFO"  # default "DEBUG"; DEBUG would log every request URL

RETRY_ENABLED = True  # default True
RETRY_TIMES = 3  # default 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]  # default (same list)
# Failures are data: every response reaches the spider, which lands non-2xx as FetchFailure.
HTTPERROR_ALLOW_ALL = True  # default False

# Our subclass adds Retry-After and the SAM quota rule at the stock middleware's priority.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spiders.middlewares.RetryAfterMiddleware": 550,
}
MINWATCH_RETRY_AFTER_MAX_S = 120  # a longer Retry-After is treated as "give up for tonight"
MINWATCH_RETRY_AFTER_DEFAULT_S = 5  # a 429 without Retry-After waits this long

ITEM_PIPELINES = {
    "pipelines.Validate": 100,
    "pipelines.Deduplicate": 200,
    "pipelines.LandingWriter": 900,
}
FEED_EXPORT_ENCODING = "utf-8"
