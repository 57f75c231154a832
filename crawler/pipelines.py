"""Item pipelines: extract the article of each fetched page, then keep it in the store.

The store pipeline opens the store when the spider opens and closes it when it closes
(Scrapy's pipeline shape). Its writes run in a thread of their own, so a database held by
another process (a full-text rebuild, a regroup) stalls neither the downloads nor the other
pages, and an article waits for the lock instead of being dropped. Every article is
committed on its own, so a crawl killed at any moment loses nothing it had handed over; the
fetch state of the URL is written after the article, so a URL is never marked as done before
its article is safe.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from pannes.crawler.extract import extract_feed_item, extract_page, warm_up
from pannes.crawler.incremental import iso
from pannes.crawler.items import PageItem
from pannes.crawler.report import Reporter
from pannes.crawler.storage import DEFAULT_PATIENCE, StoreWriter, db_path_setting, open_crawl_store
from scrapy.exceptions import DropItem

from pannes.records import FetchState, UpsertResult

if TYPE_CHECKING:
    from pathlib import Path

log = logging.getLogger(__name__)

FRENCH = "fr"


class ExtractPipeline:
    """Page -> article (trafilatura, htmldate, courlan), or the reason the page is not one."""

    def __init__(self, crawler: Any) -> None:
        self.reporter = Reporter(crawler)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ExtractPipeline:
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        warm_up()  # load the language model now, not in the middle of the downloads

    async def process_item(self, item: PageItem, spider: Any = None) -> PageItem:
        # In a worker thread: parsing a page must not stall the downloads (or their timeouts).
        if item.feed_entry is not None:  # a feed-only source: the item is the article
            extraction = await asyncio.to_thread(
                extract_feed_item, item.feed_entry, source=item.source,
                fetched_at=item.raw.fetched_at, declared_language=item.language)
            item.raw = extraction.raw
        else:
            extraction = await asyncio.to_thread(
                extract_page,
                item.raw,
                source=item.source,
                requested_url=item.requested_url,
                prune_xpath=item.prune_xpath,
                announced=item.announced,
            )
        for warning in extraction.warnings:
            self.reporter.warning(warning, item.requested_url,
                                  extraction.warning_reasons.get(warning, "repaired"), item.source)
        item.extraction = extraction
        return item


class StorePipeline:
    """Article -> store (new, new version, unchanged, or alias of a syndicated copy)."""

    def __init__(self, crawler: Any, db_path: Path, patience: float) -> None:
        self.reporter = Reporter(crawler)
        self.db_path = db_path
        self.patience = patience
        self.writer: StoreWriter | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        return cls(crawler, db_path_setting(crawler),
                   crawler.settings.getfloat("PANNES_STORE_PATIENCE", DEFAULT_PATIENCE))

    def open_spider(self, spider: Any = None) -> None:
        self.writer = StoreWriter(open_crawl_store(self.db_path), patience=self.patience,
                                  name="articles", on_wait=lambda: self.reporter.inc("store_waits"))

    def close_spider(self, spider: Any = None) -> None:
        if self.writer is not None:
            self.writer.close()  # waits for the writes already handed over
            self.writer = None

    async def process_item(self, item: PageItem, spider: Any = None) -> PageItem:
        assert self.writer is not None, "the store pipeline is not open"
        extraction = item.extraction
        if extraction is None or extraction.article is None:
            problem = extraction.problem if extraction else None
            self.reporter.error(problem or "other", item.requested_url,
                                extraction.reason if extraction else "no extraction", item.source)
            await self.writer.write(self.writer.store.set_fetch_state, self._state(item))
            raise DropItem(f"{problem}: {item.requested_url}")
        try:
            result = await self.writer.in_thread(self._keep, item)
        except Exception as exc:  # still refused after the patience: counted, the crawl goes on
            self.reporter.error("store_failed", item.requested_url, repr(exc), item.source)
            raise DropItem(f"store_failed: {item.requested_url}") from exc
        article = extraction.article
        self.reporter.inc(f"articles/{result.status}", item.source)
        if article.language and article.language != FRENCH:
            self.reporter.inc("non_french", item.source)
            log.info("non-French page (%s) kept out of tagging: %s", article.language,
                     item.requested_url)
        log.debug("%s %s -> article %d v%d", result.status, article.url, result.article_id,
                  result.version)
        return item

    def _keep(self, item: PageItem) -> UpsertResult:
        """In the writer's thread: the article, then its URL's fetch state, each retried."""
        assert self.writer is not None and item.extraction and item.extraction.article
        store = self.writer.store
        result = self.writer.run(store.upsert_article, item.extraction.article, item.raw)
        self.writer.run(store.set_fetch_state, self._state(item))
        return result

    @staticmethod
    def _state(item: PageItem) -> FetchState:
        headers = {k.lower(): v for k, v in item.raw.headers.items()}
        return FetchState(
            item.requested_url,
            etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
            lastmod=iso(item.announced),
            status=item.raw.status,
        )
