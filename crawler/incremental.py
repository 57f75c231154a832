"""Which discovered URLs to fetch, and in which order: a Scrapy spider middleware.

An article already fetched is skipped unless its feed or sitemap announces a newer date; URLs
that failed for a passing reason (5xx, timeouts) are tried again. Unseen articles go before
everything else, known ones being checked again come last: a crawl stopped early (killed by
a cron timeout) has stored new articles first. A child sitemap whose date in its index has
not moved since it was last read completely is not read again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pannes.crawler.items import PageItem
from pannes.crawler.jobqueue import JobJournal
from pannes.crawler.report import Reporter
from pannes.crawler.safexml import parse_date
from pannes.crawler.storage import db_path_setting, open_crawl_store
from scrapy import signals
from scrapy.http import Request

from pannes.records import FetchState

if TYPE_CHECKING:
    from pannes.store.sqlite import SQLiteStore

# Statuses after which a URL is worth trying again on the next crawl (0: network failure).
RETRY_LATER = {0, 408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524}

# Request priorities (higher first): new articles, then feeds and sitemaps, then known articles.
UNSEEN_PRIORITY = 20
LISTING_PRIORITY = 10
REVISIT_PRIORITY = 0


def iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="seconds") if value is not None else None


def conditional_headers(state: FetchState | None) -> dict[str, str]:
    """`If-None-Match` / `If-Modified-Since` from what the URL answered last time."""
    if state is None:
        return {}
    headers = {}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    return headers


@dataclass(frozen=True)
class Decision:
    fetch: bool
    priority: int = UNSEEN_PRIORITY


def article_decision(state: FetchState | None, announced: datetime | None, *,
                     refresh: bool = False) -> Decision:
    """Fetch a new URL first; a known one again only when it may have changed."""
    if state is None:
        return Decision(True, UNSEEN_PRIORITY)
    if refresh or state.status is None or state.status in RETRY_LATER:
        return Decision(True, REVISIT_PRIORITY)
    if announced is None:
        return Decision(False)
    known = parse_date(state.lastmod) or parse_date(state.fetched_at)
    if known is None or announced > known:
        return Decision(True, REVISIT_PRIORITY)
    return Decision(False)


def listing_unchanged(state: FetchState | None, announced: datetime | None, *,
                      refresh: bool = False) -> bool:
    """A child sitemap whose index date has not moved since it was last read completely."""
    if refresh or announced is None or state is None:
        return False
    known = parse_date(state.lastmod)
    return known is not None and announced <= known


LISTING_KINDS = ("feed", "sitemap")


class IncrementalMiddleware:
    """Drops unchanged articles and child sitemaps; orders the rest (new articles first).

    In a resumable crawl (a job directory) it also journals the feeds and sitemaps read in
    full, and a resumed crawl does not ask again for those, nor for those still queued.
    """

    def __init__(self, crawler: Any) -> None:
        self.db_path = db_path_setting(crawler)
        self.refresh = crawler.settings.getbool("PANNES_REFRESH")
        self.jobdir = crawler.settings.get("JOBDIR")
        self.reporter = Reporter(crawler)
        self.store: SQLiteStore | None = None
        self.journal: JobJournal | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> IncrementalMiddleware:
        return cls(crawler)

    def spider_opened(self, spider: Any = None) -> None:
        self.store = open_crawl_store(self.db_path)  # reads only, never waiting for a writer
        if self.jobdir:
            self.journal = JobJournal.for_jobdir(self.jobdir)

    def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        if self.store is not None:
            self.store.close()
            self.store = None
        if self.journal is not None:
            self.journal.close()
            self.journal = None

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for output in start:
            if self.journal is not None and isinstance(output, Request) \
                    and output.meta.get("page_kind") in LISTING_KINDS \
                    and self.journal.already_handled(output.meta.get("requested_url", output.url)):
                self.reporter.inc("resumed/listings_not_read_again")
                continue
            yield output

    def process_spider_output(self, response: Any, result: Iterable[Any],
                              spider: Any = None) -> Iterator[Any]:
        for output in result:
            kept = self.sort(output)
            if kept is not None:
                yield kept
        self.read_in_full(response)

    async def process_spider_output_async(self, response: Any, result: AsyncIterator[Any],
                                          spider: Any = None) -> AsyncIterator[Any]:
        async for output in result:
            kept = self.sort(output)
            if kept is not None:
                yield kept
        self.read_in_full(response)

    def read_in_full(self, response: Any) -> None:
        """Every request a feed or sitemap announced is scheduled: journal it as read."""
        meta = getattr(response, "meta", None) or {}
        if self.journal is not None and meta.get("page_kind") in LISTING_KINDS:
            self.journal.mark_read(meta.get("requested_url", response.url))

    def sort(self, output: Any) -> Any:
        """The output as is, re-prioritised, or None when the URL needs no fetch."""
        if isinstance(output, PageItem) and output.feed_entry is not None and self.store:
            state = self.store.get_fetch_state(output.requested_url)  # a feed-only source's item
            if not article_decision(state, output.announced, refresh=self.refresh).fetch:
                self.reporter.skip("unchanged", output.requested_url, output.source)
                return None
            return output
        if not isinstance(output, Request) or self.store is None:
            return output
        meta = output.meta
        kind = meta.get("page_kind")
        url = meta.get("requested_url", output.url)
        announced = parse_date(meta.get("announced"))
        if kind == "article":
            decision = article_decision(self.store.get_fetch_state(url), announced,
                                        refresh=self.refresh)
            if not decision.fetch:
                self.reporter.skip("unchanged", url, meta.get("source"))
                return None
            self.reporter.inc("discovered", meta.get("source"))
            return output.replace(priority=decision.priority)
        if kind == "sitemap" and meta.get("depth_in_index", 0) > 0:
            if listing_unchanged(self.store.get_fetch_state(url), announced, refresh=self.refresh):
                self.reporter.skip("unchanged", url, meta.get("source"))
                return None
        return output
