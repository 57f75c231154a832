"""The item a spider hands to the pipelines: one fetched page (or, for a source kept from
its feed, one feed item) and what is known about it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pannes.crawler.extract import Extraction
from pannes.crawler.feeds import Entry

from pannes.records import RawPage


@dataclass
class PageItem:
    """A fetched article page on its way to extraction and the store."""

    raw: RawPage
    source: str
    requested_url: str  # the URL as discovered (the fetch state is kept under it)
    announced: datetime | None = None  # date given by the feed or sitemap
    prune_xpath: tuple[str, ...] = ()
    feed_entry: Entry | None = field(default=None, repr=False)  # a feed-only source's item
    language: str | None = None  # the language the source declares
    extraction: Extraction | None = field(default=None, repr=False)

    def __repr__(self) -> str:  # Scrapy logs dropped items: never dump the body
        return f"PageItem({self.requested_url!r}, source={self.source!r})"
