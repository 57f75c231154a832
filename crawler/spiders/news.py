"""The default crawl: every source's feeds and sitemaps, one spider so one URL is fetched once."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

from pannes.crawler.spiders.feeds import FeedSpider
from pannes.crawler.spiders.sitemaps import SitemapDiscoverySpider

STRATEGIES = ("feeds", "sitemaps")


class NewsSpider(FeedSpider, SitemapDiscoverySpider):
    """Both discovery strategies in one crawl, sharing the duplicate filter and fetch state."""

    name = "news"

    def __init__(self, *, strategies: Iterable[str] = STRATEGIES, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.strategies = tuple(strategies)

    def reads_sitemaps(self) -> bool:
        return "sitemaps" in self.strategies

    def reads_feeds(self) -> bool:
        return "feeds" in self.strategies

    async def start(self) -> AsyncIterator[Any]:
        if "feeds" in self.strategies:
            for request in self.feed_requests():
                yield request
        if "sitemaps" in self.strategies:
            for request in self.sitemap_requests():
                yield request
