"""Fetch a given list of article URLs (backfill with `pannes import-urls`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any
from urllib.parse import urlsplit

from pannes.crawler.feeds import Entry
from pannes.crawler.sources import Source, host_source, source_for_url
from pannes.crawler.spiders.articles import ArticleSpider


class UrlListSpider(ArticleSpider):
    """Fetches each listed URL once, attributed to the configured source owning its domain."""

    name = "urls"

    def __init__(self, *, urls: Iterable[str] = (), source_name: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = list(urls)
        self.source_name = source_name
        self.allowed_domains = None  # the list decides, not the sources file

    async def start(self) -> AsyncIterator[Any]:
        for url in self.urls:
            if self.source_name and self.source_name in self.sources:
                source = self.sources[self.source_name]
            else:
                source = source_for_url(self.sources.values(), url) or host_source(url)
            # A listed URL is wanted even where a sitemap filter would skip it.
            source = Source(**{**source.to_dict(), "name": self.source_name or source.name,
                               "exclude": (), "url_pattern": None,
                               "allowed_domains": (*source.allowed_domains,
                                                   (urlsplit(url).hostname or "").lower())})
            self.sources.setdefault(source.name, source)
            request = self.article_request(source, Entry(url))
            if request is not None:
                yield request
