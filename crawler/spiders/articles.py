"""What every pannes spider shares: sources, article requests, page items, error accounting.

Discovery (feeds, sitemaps, a list of URLs) lives in the subclasses; fetching an article,
handing it to the pipelines and naming every failure is the same for all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from pannes.crawler.extract import clean_url
from pannes.crawler.failures import classify
from pannes.crawler.feeds import Entry
from pannes.crawler.incremental import LISTING_PRIORITY, UNSEEN_PRIORITY, iso
from pannes.crawler.items import PageItem
from pannes.crawler.report import Reporter
from pannes.crawler.safexml import MAX_XML_BYTES, BrokenXML, UnsafeXML, parse_date
from pannes.crawler.sources import Source, load_sources
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from pannes.records import RawPage


def flat_headers(response: Response) -> dict[str, str]:
    """Response headers as a plain dict of strings (last value wins)."""
    out = {}
    for key, values in response.headers.items():
        if values:
            out[key.decode("latin-1")] = values[-1].decode("latin-1", "replace")
    return out


class ArticleSpider(scrapy.Spider):
    """Base spider: request the article pages a discovery strategy finds, name every failure.

    It holds no store: the incremental middleware decides which URLs to fetch, the conditional
    request middleware remembers what they answered, and the pipelines keep the articles.
    """

    name = "articles"

    def __init__(
        self,
        *,
        sources: Iterable[Mapping[str, Any] | Source] = (),
        max_age_days: float | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.sources = ({s.name: s for s in load_sources(list(sources), include_disabled=True)}
                        if sources else {})  # chosen by the run: named disabled ones too
        self.max_age_days = max_age_days
        self.reporter: Reporter | None = None
        domains = {d for s in self.sources.values() for d in s.allowed_domains}
        for source in self.sources.values():
            for url in (*source.feeds, *source.sitemaps):
                domains.add((urlsplit(url).hostname or "").lower())
        self.allowed_domains = sorted(d for d in domains if d) or None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ArticleSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.reporter = Reporter(crawler)
        return spider

    # ------------------------------------------------------------------ requests

    def listing_meta(self) -> dict[str, int]:
        """Size caps of a feed or sitemap request: the XML cap, not the page cap."""
        page_cap = self.settings.getint("DOWNLOAD_MAXSIZE", 0)
        cap = self.settings.getint("PANNES_XML_MAXSIZE", MAX_XML_BYTES)
        cap = max(cap, page_cap) if page_cap else 0  # 0: no cap at all
        return {"download_maxsize": cap, "download_warnsize": cap // 2}

    def listing_request(self, source: Source, url: str, callback: Any, kind: str, *,
                        dont_filter: bool = True, **meta: Any) -> Request:
        """A request for a feed or a sitemap, read before the articles already known."""
        return Request(
            url,
            callback=callback,
            errback=self.on_error,
            dont_filter=dont_filter,
            priority=LISTING_PRIORITY,
            meta={"source": source.name, "requested_url": url, "page_kind": kind,
                  "handle_httpstatus_list": [304], **meta, **self.listing_meta()},
        )

    def read_listing(self, response: Response, parse: Callable[[bytes, str], Any],
                     kind: str) -> Any | None:
        """The feed or sitemap (`kind`) a listing response holds, parsed by `parse`; None when
        there is nothing to read: not modified (counted), refused or broken (reported). A
        listing repaired on the way is read, and reported as broken."""
        source: Source = self.sources[response.meta["source"]]
        url = response.meta["requested_url"]
        if response.status == 304:
            self.reporter.inc("listings_not_modified", source.name)
            return None
        self.reporter.inc("listings", source.name)
        try:
            listing = parse(response.body, response.url)
        except UnsafeXML as exc:
            self.reporter.error("xml_entity_expansion", url, f"{kind} refused: {exc}", source.name)
            return None
        except BrokenXML as exc:
            self.reporter.error(f"broken_{kind}", url, str(exc), source.name)
            return None
        if listing.repaired:
            self.reporter.error(f"broken_{kind}", url, f"{listing.repaired}; "
                                f"{len(listing.entries)} entries recovered", source.name)
        return listing

    def too_old(self, announced: datetime | None) -> bool:
        if self.max_age_days is None or announced is None:
            return False
        age = datetime.now(UTC) - announced
        return age.total_seconds() > self.max_age_days * 86400

    def wanted(self, source: Source, entry: Entry) -> str | None:
        """The clean URL of an announced article worth considering, else None (counted)."""
        url = clean_url(entry.url)
        if not source.wants(url):
            self.reporter.skip("excluded", url, source.name)
            return None
        if self.too_old(entry.date):
            self.reporter.skip("too_old", url, source.name)
            return None
        return url

    def article_request(self, source: Source, entry: Entry) -> Request | None:
        """A request for an announced article (the incremental middleware may still drop it)."""
        url = self.wanted(source, entry)
        if url is None:
            return None
        return Request(
            url,
            callback=self.parse_article,
            errback=self.on_error,
            priority=UNSEEN_PRIORITY,
            meta={
                "source": source.name,
                "requested_url": url,
                "announced": iso(entry.date),
                "page_kind": "article",
                "handle_httpstatus_list": [304],
            },
        )

    # ------------------------------------------------------------------ responses

    def parse_article(self, response: Response) -> Iterable[PageItem]:
        meta = response.meta
        source = self.sources.get(meta.get("source", ""))
        url = meta.get("requested_url", response.url)
        if response.status == 304:
            self.reporter.inc("not_modified", meta.get("source"))
            return
        self.reporter.inc("pages", meta.get("source"))
        yield PageItem(
            raw=RawPage(
                url=response.url,
                body=response.body,
                status=response.status,
                headers=flat_headers(response),
                fetched_at=datetime.now(UTC).replace(microsecond=0),
            ),
            source=source.name if source else meta.get("source", ""),
            requested_url=url,
            announced=parse_date(meta.get("announced")),
            prune_xpath=source.prune_xpath if source else (),
        )

    def on_error(self, failure: Failure) -> None:
        """Count and log a failed request with its URL and reason; the crawl goes on."""
        meta = failure.request.meta
        url = meta.get("requested_url", failure.request.url)
        source = meta.get("source")
        kind, reason = classify(failure)
        if kind.startswith("skip:"):
            self.reporter.skip(kind[5:], url, source, reason)
            return
        if kind == "http_4xx" and meta.get("page_kind") == "article":
            status = failure.value.response.status
            if status in (401, 403):  # the site refuses us the page (a bot wall, a paywall)
                self.reporter.inc("articles_refused", source)
        self.reporter.error(kind, url, reason, source)
