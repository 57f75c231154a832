"""Discover articles through each source's sitemaps, news sitemaps and sitemap indexes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

from pannes.crawler.incremental import iso
from pannes.crawler.safexml import BrokenXML, UnsafeXML
from pannes.crawler.sitemaps import parse_sitemap
from pannes.crawler.sources import Source
from pannes.crawler.spiders.articles import ArticleSpider
from scrapy.http import Request, Response

MAX_INDEX_DEPTH = 3


class SitemapDiscoverySpider(ArticleSpider):
    """Reads every sitemap of every source (following indexes) and fetches their articles."""

    name = "sitemaps"

    async def start(self) -> AsyncIterator[Any]:
        for request in self.sitemap_requests():
            yield request

    def sitemap_requests(self) -> Iterable[Request]:
        for source in self.sources.values():
            for url in source.sitemaps:
                yield self._sitemap_request(source, url, depth=0)

    def _sitemap_request(self, source: Source, url: str, *, depth: int,
                         announced: str | None = None) -> Request:
        return self.listing_request(source, url, self.parse_sitemap, "sitemap",
                                    dont_filter=depth == 0, depth_in_index=depth,
                                    announced=announced)

    def parse_sitemap(self, response: Response) -> Iterable[Request]:
        source: Source = self.sources[response.meta["source"]]
        url = response.meta["requested_url"]
        if response.status == 304:
            self.reporter.inc("listings_not_modified", source.name)
            return
        self.reporter.inc("listings", source.name)
        try:
            sitemap = parse_sitemap(response.body, response.url)
        except UnsafeXML as exc:
            self.reporter.error("xml_entity_expansion", url, f"sitemap refused: {exc}", source.name)
            return
        except BrokenXML as exc:
            self.reporter.error("broken_sitemap", url, str(exc), source.name)
            return
        if sitemap.repaired:
            self.reporter.error("broken_sitemap", url, f"{sitemap.repaired}; "
                                f"{len(sitemap.entries)} entries recovered", source.name)
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
