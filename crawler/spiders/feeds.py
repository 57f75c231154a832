"""Discover articles through each source's RSS and Atom feeds."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from typing import Any

from pannes.crawler.feeds import Entry, parse_feed
from pannes.crawler.items import PageItem
from pannes.crawler.sources import Source
from pannes.crawler.spiders.articles import ArticleSpider
from scrapy.http import Request, Response

from pannes.records import RawPage


class FeedSpider(ArticleSpider):
    """Reads every feed of every source and fetches the articles they announce."""

    name = "feeds"

    async def start(self) -> AsyncIterator[Any]:
        for request in self.feed_requests():
            yield request

    def feed_requests(self) -> Iterable[Request]:
        for source in self.sources.values():
            for url in source.feeds:
                yield self.listing_request(source, url, self.parse_feed, "feed")

    def parse_feed(self, response: Response) -> Iterable[Request | PageItem]:
        source: Source = self.sources[response.meta["source"]]
        feed = self.read_listing(response, parse_feed, "feed")
        if feed is None:
            return
        if not feed.repaired and not feed.entries:
            self.reporter.error("broken_feed", response.meta["requested_url"],
                                "the feed has no entries", source.name)
        for entry in feed.entries:
            if source.feed_only:
                item = self.feed_item(source, entry)
                if item is not None:
                    yield item
                continue
            request = self.article_request(source, entry)
            if request is not None:
                yield request

    def feed_item(self, source: Source, entry: Entry) -> PageItem | None:
        """The item itself, for a source whose site refuses crawlers on article pages."""
        url = self.wanted(source, entry)
        if url is None:
            return None
        self.reporter.inc("feed_items", source.name)
        return PageItem(
            raw=RawPage(url=url, body=b"", fetched_at=datetime.now(UTC).replace(microsecond=0)),
            source=source.name,
            requested_url=url,
            announced=entry.date,
            feed_entry=entry,
            language=source.language,
        )
