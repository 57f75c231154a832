"""Scrapy settings of the pannes crawler: polite by default, filled from `pannes.config`.

The module-level names are the fixed part (Scrapy reads them like a project settings module);
`scrapy_settings()` adds what comes from the user's configuration.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pannes.crawler.safexml import MAX_XML_BYTES

from pannes.config import CrawlSettings

BOT_NAME = "pannes"
SPIDER_MODULES = ["pannes.crawler.spiders"]

ROBOTSTXT_OBEY = True
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REDIRECT_MAX_TIMES = 5
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_BACKOFF_BASE = 2.0  # seconds before the first retry, doubled for each next one
RETRY_BACKOFF_MAX = 60.0
DOWNLOAD_FAIL_ON_DATALOSS = True
DNS_TIMEOUT = 20
CONCURRENT_REQUESTS = 16
CONCURRENT_ITEMS = 16  # pages waiting for extraction, each with its body in memory
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DEFAULT_DROPITEM_LOG_LEVEL = "DEBUG"  # the pipelines log each dropped page with its reason
LOG_LEVEL = "INFO"
LOGSTATS_INTERVAL = 60.0
MEMUSAGE_ENABLED = False
STATS_DUMP = False
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "fr-FR,fr;q=0.9",
}

DOWNLOADER_MIDDLEWARES = {
    "pannes.crawler.conditional.ConditionalRequestMiddleware": 540,  # below retries: final answers
    "pannes.crawler.middlewares.RetryBackoffMiddleware": 560,
}
# Requests committed one by one in the job directory: a killed crawl resumes with its queue.
SCHEDULER_PRIORITY_QUEUE = "pannes.crawler.jobqueue.JobQueue"
SPIDER_MIDDLEWARES = {"pannes.crawler.incremental.IncrementalMiddleware": 100}  # after the filters
ITEM_PIPELINES = {
    "pannes.crawler.pipelines.ExtractPipeline": 100,
    "pannes.crawler.pipelines.StorePipeline": 200,
}
EXTENSIONS = {
    "pannes.crawler.progress.ProgressExtension": 500,
    "scrapy.extensions.remote_control.RemoteControl": None,  # no listening port, ever
}
HTTPCACHE_IGNORE_HTTP_CODES = [304, 408, 429, 500, 502, 503, 504]
# Feeds and sitemaps may be larger than an article page (DOWNLOAD_MAXSIZE): up to what the
# XML reader accepts (sitemaps.org allows 50 MB).
PANNES_XML_MAXSIZE = MAX_XML_BYTES

_FIXED = {name: value for name, value in dict(globals()).items() if name.isupper()}


def robots_token(user_agent: str) -> str:
    """The product token robots.txt rules are matched against: "pannes" in "pannes/0.1 (…)".

    Matching the whole header would let a short group of a site's robots.txt (`rma`, `fetch`,
    `wget`) hit a word of the description or of the contact address, and refuse every page of
    that site; the full user agent is still sent with every request.
    """
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", user_agent)
    return match.group(1) if match else BOT_NAME


def scrapy_settings(
    crawl: CrawlSettings,
    *,
    data_dir: Path,
    db_path: Path | None = None,
    jobdir: Path | None = None,
    max_pages: int | None = None,
    refresh: bool = False,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The Scrapy settings for a crawl with the user's `[crawl]` configuration."""
    settings = dict(_FIXED)
    settings.update({
        "PANNES_DB_PATH": str(db_path) if db_path else None,
        "PANNES_REFRESH": refresh,
        "USER_AGENT": crawl.full_user_agent,
        "ROBOTSTXT_USER_AGENT": robots_token(crawl.user_agent),
        "DOWNLOAD_DELAY": crawl.download_delay,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrent_requests_per_domain,
        "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
        "DOWNLOAD_MAXSIZE": crawl.max_page_bytes,
        "DOWNLOAD_WARNSIZE": max(1, crawl.max_page_bytes // 2),
        "DOWNLOAD_TIMEOUT": crawl.timeout,
        "HTTPCACHE_ENABLED": crawl.http_cache,
        "HTTPCACHE_DIR": str(Path(data_dir) / "httpcache"),
    })
    if jobdir is not None:
        settings["JOBDIR"] = str(jobdir)
    if max_pages:
        settings["CLOSESPIDER_ITEMCOUNT"] = max_pages
    settings.update(overrides or {})
    return settings
