"""Discover articles through each source's sitemaps, news sitemaps and sitemap indexes:
those configured, and those the site's robots.txt announces (`Sitemap:` lines)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any
from urllib.parse import urlsplit

from pannes.crawler.incremental import iso
from pannes.crawler.sitemaps import parse_sitemap
from pannes.crawler.sources import Source
from pannes.crawler.spiders.articles import LISTING_PRIORITY, ArticleSpider
from scrapy import signals
from scrapy.http import Request, Response

MAX_INDEX_DEPTH = 3


def announced_sitemaps(robotparser: Any) -> list[str]:
    """The `Sitemap:` lines of a parsed robots.txt (Scrapy's default parser, Protego)."""
    protego = getattr(robotparser, "rp", None)
    return list(getattr(protego, "sitemaps", None) or ())


def netloc(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class SitemapDiscoverySpider(ArticleSpider):
    """Reads every sitemap of every source (following indexes) and fetches their articles."""

    name = "sitemaps"

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SitemapDiscoverySpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        return spider

    def reads_sitemaps(self) -> bool:
        return True

    def reads_feeds(self) -> bool:
        return False

    def robots_parsed(self, robotparser: Any, request: Request) -> None:
        """Read the sitemaps a site's robots.txt announces, for the sources on that site."""
        if not self.reads_sitemaps():
            return
        site = netloc(request.url)
        announced = announced_sitemaps(robotparser)
        for source in self.sources.values():
            if source.feed_only or not source.robots_sitemaps or netloc(source.homepage) != site:
                continue
            for url in announced:
                if url in source.sitemaps or not source.owns(url):
                    continue
                self.reporter.inc("robots_sitemaps", source.name)
                self.crawler.engine.crawl(self._sitemap_request(
                    source, url, depth=0, dont_filter=False))

    async def start(self) -> AsyncIterator[Any]:
        for request in self.sitemap_requests():
            yield request

    def sitemap_requests(self) -> Iterable[Request]:
        for source in self.sources.values():
            if source.feed_only:  # its article pages refuse us: a sitemap would give nothing
                continue
            for url in source.sitemaps:
                yield self._sitemap_request(source, url, depth=0)
            if source.robots_sitemaps and not self._reaches_site_early(source):
                # Nothing else asks this site: ask its robots.txt, whose `Sitemap:` lines
                # robots_parsed() reads (Scrapy's robots.txt middleware fetches it first).
                # Whatever it answers (a site may have none) is no error of the source.
                yield Request(netloc(source.homepage) + "/robots.txt", callback=self.robots_read,
                              priority=LISTING_PRIORITY,
                              meta={"source": source.name, "handle_httpstatus_all": True})

    def _reaches_site_early(self, source: Source) -> bool:
        """Whether a feed or sitemap of the crawl is on the site of the source's home page."""
        listings = [*source.sitemaps, *(source.feeds if self.reads_feeds() else ())]
        return any(netloc(url) == netloc(source.homepage) for url in listings)

    def robots_read(self, response: Response) -> Iterable[Request]:
        return ()

    def _sitemap_request(self, source: Source, url: str, *, depth: int,
                         announced: str | None = None, dont_filter: bool | None = None
                         ) -> Request:
        return self.listing_request(source, url, self.parse_sitemap, "sitemap",
                                    dont_filter=depth == 0 if dont_filter is None else dont_filter,
                                    depth_in_index=depth, announced=announced)

    def parse_sitemap(self, response: Response) -> Iterable[Request]:
        source: Source = self.sources[response.meta["source"]]
        sitemap = self.read_listing(response, parse_sitemap, "sitemap")
        if sitemap is None:
            return
        depth = response.meta.get("depth_in_index", 0)
        for entry in sitemap.entries:
            if not sitemap.is_index:
                request = self.article_request(source, entry)
                if request is not None:
                    yield request
                continue
            if depth >= MAX_INDEX_DEPTH or not source.follows(entry.url):
                self.reporter.skip("excluded", entry.url, source.name)
            elif self.too_old(entry.date):
                self.reporter.skip("too_old", entry.url, source.name)
            else:
                yield self._sitemap_request(source, entry.url, depth=depth + 1,
                                            announced=iso(entry.date))
