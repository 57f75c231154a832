"""Item pipelines: extract the article of each fetched page, then keep it in the store.

The store commits every article on its own, so a crawl killed at any moment loses nothing it
had already handed over; the fetch state of the URL is written after the article, so a URL
is never marked as done before its article is safe.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from pannes.crawler.extract import extract_page, warm_up
from pannes.crawler.incremental import iso
from pannes.crawler.items import PageItem
from scrapy.exceptions import DropItem, NotConfigured

from pannes.records import FetchState

log = logging.getLogger(__name__)

FRENCH = "fr"


class _SpiderBound:
    """Pipelines reach the store and the reporter through the running spider."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> _SpiderBound:
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        spider = spider or self.crawler.spider
        if getattr(spider, "store", None) is None or getattr(spider, "reporter", None) is None:
            raise NotConfigured("pannes pipelines need a spider with a store and a reporter")
        self.store = spider.store
        self.reporter = spider.reporter

    def remember(self, item: PageItem, status: int) -> None:
        headers = {k.lower(): v for k, v in item.raw.headers.items()}
        self.store.set_fetch_state(FetchState(
            item.requested_url,
            etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
            lastmod=iso(item.announced),
            status=status,
        ))


class ExtractPipeline(_SpiderBound):
    """Page -> article (trafilatura, htmldate, courlan); pages that are not articles are dropped."""

    def open_spider(self, spider: Any = None) -> None:
        super().open_spider(spider)
        warm_up()  # load the language model now, not in the middle of the downloads

    async def process_item(self, item: PageItem, spider: Any = None) -> PageItem:
        # In a worker thread: parsing a page must not stall the downloads (or their timeouts).
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
        if extraction.article is None:
            self.reporter.error(extraction.problem or "other", item.requested_url,
                                extraction.reason, item.source)
            self.remember(item, item.raw.status)
            raise DropItem(f"{extraction.problem}: {item.requested_url}")
        item.extraction = extraction
        return item


class StorePipeline(_SpiderBound):
    """Article -> store: new, new version, unchanged, or alias of a syndicated copy."""

    def process_item(self, item: PageItem, spider: Any = None) -> PageItem:
        article = item.extraction.article if item.extraction else None
        if article is None:  # pragma: no cover - ExtractPipeline drops those
            raise DropItem(f"no article: {item.requested_url}")
        try:
            result = self.store.upsert_article(article, item.raw)
        except Exception as exc:  # a store failure is counted; the crawl goes on
            self.reporter.error("store_failed", item.requested_url, repr(exc), item.source)
            raise DropItem(f"store_failed: {item.requested_url}") from exc
        self.reporter.inc(f"articles/{result.status}", item.source)
        if article.language and article.language != FRENCH:
            self.reporter.inc("non_french", item.source)
            log.info("non-French page (%s) kept out of tagging: %s", article.language,
                     item.requested_url)
        self.remember(item, item.raw.status)
        log.debug("%s %s -> article %d v%d", result.status, article.url, result.article_id,
                  result.version)
        return item
