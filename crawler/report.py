"""Count and log what happens to every URL of a crawl, so bad input never goes unnoticed.

Counters live in Scrapy's stats collector under `pannes/…` keys (one source of truth for the
live progress, the summary and the stored run); each error is also logged with its URL and
reason, and the latest ones are kept as samples for the summary, in the stats collector too,
so every component (spider, middlewares, pipelines) reports through its own `Reporter`.
"""

from __future__ import annotations

import logging
from collections import deque
from typing import Any

log = logging.getLogger("pannes.crawler.report")

PREFIX = "pannes/"
ERROR_KINDS = (
    "http_4xx", "http_5xx", "timeout", "connection", "dns", "tls", "truncated", "oversized",
    "redirect_loop", "non_html", "empty_body", "no_text", "extraction_failed", "broken_feed",
    "broken_sitemap", "xml_entity_expansion", "store_failed", "broken_warc", "other",
)
WARNING_KINDS = ("charset_missing", "charset_wrong", "malformed_html")
SKIP_KINDS = ("unchanged", "robots", "offsite", "too_old", "excluded", "redirect_duplicate")
MAX_SAMPLES = 100
SAMPLES_KEY = PREFIX + "error_samples"


class Reporter:
    """Counts outcomes per kind and per source, and logs each problem with URL and reason."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler  # its stats collector exists only once the crawl starts

    @property
    def samples(self) -> deque[dict[str, str]]:
        """The latest errors, shared by every reporter of the crawl."""
        stats = self.crawler.stats
        samples = stats.get_value(SAMPLES_KEY)
        if samples is None:
            samples = deque(maxlen=MAX_SAMPLES)
            stats.set_value(SAMPLES_KEY, samples)
        return samples

    def inc(self, key: str, source: str | None = None, count: int = 1) -> None:
        stats = self.crawler.stats
        stats.inc_value(PREFIX + key, count)
        if source:
            stats.inc_value(f"{PREFIX}source/{source}/{key}", count)

    def error(self, kind: str, url: str, reason: str, source: str | None = None) -> None:
        """A page or listing lost to bad remote input."""
        self.inc(f"errors/{kind}", source)
        self.samples.append({"kind": kind, "url": url, "reason": reason, "source": source or ""})
        log.warning("%s %s: %s", kind, url, reason)

    def warning(self, kind: str, url: str, reason: str, source: str | None = None) -> None:
        """A page kept after a repair (charset, markup)."""
        self.inc(f"warnings/{kind}", source)
        # Most real pages have some broken markup: worth a count, not a log line each.
        log.log(logging.DEBUG if kind == "malformed_html" else logging.INFO,
                "%s %s: %s", kind, url, reason)

    def skip(self, kind: str, url: str, source: str | None = None, reason: str = "") -> None:
        """A URL not fetched on purpose (unchanged, robots.txt, another site, too old, duplicate)."""
        self.inc(f"skipped/{kind}", source)
        log.debug("skipped (%s) %s %s", kind, url, reason)
