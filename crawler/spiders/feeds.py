"""Discover articles through each source's RSS and Atom feeds."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

from pannes.crawler.feeds import parse_feed
from pannes.crawler.safexml import BrokenXML, UnsafeXML
from pannes.crawler.sources import Source
from pannes.crawler.spiders.articles import ArticleSpider
from scrapy.http import Request, Response


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

    def parse_feed(self, response: Response) -> Iterable[Request]:
        source: Source = self.sources[response.meta["source"]]
        url = response.meta["requested_url"]
        if response.status == 304:
            self.reporter.inc("listings_not_modified", source.name)
            return
        self.reporter.inc("listings", source.name)
        try:
            feed = parse_feed(response.body, response.url)
        except UnsafeXML as exc:
            self.reporter.error("xml_entity_expansion", url, f"feed refused: {exc}", source.name)
            return
        except BrokenXML as exc:
            self.reporter.error("broken_feed", url, str(exc), source.name)
            return
        if feed.repaired:
            self.reporter.error("broken_feed", url, f"{feed.repaired}; {len(feed.entries)} "
                                "entries recovered", source.name)
        elif not feed.entries:
            self.reporter.error("broken_feed", url, "the feed has no entries", source.name)
        for entry in feed.entries:
            request = self.article_request(source, entry)
            if request is not None:
                yield request
