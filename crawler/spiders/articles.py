"""What every pannes spider shares: sources, article requests, page items, error accounting.

Discovery (feeds, sitemaps, a list of URLs) lives in the subclasses; fetching an article,
handing it to the pipelines and naming every failure is the same for all of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import scrapy
from pannes.crawler.extract import clean_url
from pannes.crawler.failures import classify
from pannes.crawler.feeds import Entry
from pannes.crawler.incremental import FetchPolicy, iso
from pannes.crawler.items import PageItem
from pannes.crawler.report import Reporter
from pannes.crawler.safexml import MAX_XML_BYTES, parse_date
from pannes.crawler.sources import Source, load_sources
from scrapy import signals
from scrapy.http import Request, Response
from twisted.python.failure import Failure
from w3lib.url import canonicalize_url

from pannes.records import FetchState, RawPage

if TYPE_CHECKING:
    from pannes.store.sqlite import SQLiteStore


def flat_headers(response: Response) -> dict[str, str]:
    """Response headers as a plain dict of strings (last value wins)."""
    out = {}
    for key, values in response.headers.items():
        if values:
            out[key.decode("latin-1")] = values[-1].decode("latin-1", "replace")
    return out


class ArticleSpider(scrapy.Spider):
    """Base spider: fetch article pages found by a discovery strategy, account for failures."""

    name = "articles"

    def __init__(
        self,
        *,
        store: SQLiteStore,
        sources: Iterable[Mapping[str, Any] | Source] = (),
        refresh: bool = False,
        max_age_days: float | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.sources = {s.name: s for s in load_sources(list(sources))} if sources else {}
        self.policy = FetchPolicy(store, refresh=refresh)
        self.max_age_days = max_age_days
        self.reporter: Reporter | None = None
        # Validators of feeds and sitemaps, saved only when the crawl ends cleanly, so a
        # killed crawl reads them in full again and misses no article they announced.
        self.pending_listing_states: dict[str, FetchState] = {}
        domains = {d for s in self.sources.values() for d in s.allowed_domains}
        for source in self.sources.values():
            for url in (*source.feeds, *source.sitemaps):
                domains.add((urlsplit(url).hostname or "").lower())
        self.allowed_domains = sorted(d for d in domains if d) or None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ArticleSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.reporter = Reporter(crawler)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        return spider

    def request_dropped(self, request: Request, spider: Any = None) -> None:
        """A redirect the duplicate filter dropped: a loop if its target is in its own chain.

        Otherwise the target was already asked for in this run (`/a` -> `/a/`, or two
        announced URLs of one page): a duplicate, remembered so the next crawl skips it.
        """
        redirects = request.meta.get("redirect_urls")
        if not redirects:
            return
        meta = request.meta
        url = meta.get("requested_url", redirects[0])
        target = canonicalize_url(request.url)
        if any(canonicalize_url(u) == target for u in redirects):
            self.reporter.error("redirect_loop", url,
                                f"redirects back to {request.url} (a redirect loop)",
                                meta.get("source"))
            return
        self.reporter.skip("redirect_duplicate", url, meta.get("source"),
                           f"redirects to {request.url}, already asked for")
        reasons = meta.get("redirect_reasons") or []
        status = reasons[0] if reasons and isinstance(reasons[0], int) else 302
        state = FetchState(url, lastmod=meta.get("announced"), status=status)
        if meta.get("page_kind") == "article":
            self.store.set_fetch_state(state)
        elif meta.get("page_kind") == "sitemap":
            self.pending_listing_states[url] = state

    # ------------------------------------------------------------------ requests

    def listing_meta(self) -> dict[str, int]:
        """Size caps of a feed or sitemap request: the XML cap, not the page cap."""
        page_cap = self.settings.getint("DOWNLOAD_MAXSIZE", 0)
        cap = self.settings.getint("PANNES_XML_MAXSIZE", MAX_XML_BYTES)
        cap = max(cap, page_cap) if page_cap else 0  # 0: no cap at all
        return {"download_maxsize": cap, "download_warnsize": cap // 2}

    def too_old(self, announced: datetime | None) -> bool:
        if self.max_age_days is None or announced is None:
            return False
        age = datetime.now(UTC) - announced
        return age.total_seconds() > self.max_age_days * 86400

    def article_request(self, source: Source, entry: Entry) -> Request | None:
        """A request for an announced article, or None when policy says not to fetch it."""
        url = clean_url(entry.url)
        if not source.wants(url):
            self.reporter.skip("excluded", url, source.name)
            return None
        if self.too_old(entry.date):
            self.reporter.skip("too_old", url, source.name)
            return None
        decision = self.policy.for_article(url, entry.date)
        if not decision.fetch:
            self.reporter.skip("unchanged", url, source.name)
            return None
        self.reporter.inc("discovered", source.name)
        return Request(
            url,
            callback=self.parse_article,
            errback=self.on_error,
            headers=decision.headers or None,
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
        announced = parse_date(meta.get("announced"))
        if response.status == 304:
            self.reporter.inc("not_modified", meta.get("source"))
            self.store.set_fetch_state(FetchState(url, lastmod=iso(announced), status=304))
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
            announced=announced,
            prune_xpath=source.prune_xpath if source else (),
        )

    def on_error(self, failure: Failure) -> None:
        """Count and log a failed request with its URL and reason; the crawl goes on."""
        request = failure.request
        meta = request.meta
        url = meta.get("requested_url", request.url)
        source = meta.get("source")
        kind, reason = classify(failure)
        if kind.startswith("skip:"):
            self.reporter.skip(kind[5:], url, source, reason)
            return
        if meta.get("page_kind") == "article" or kind.startswith("http_"):
            status = failure.value.response.status if kind.startswith("http_") else 0
            if meta.get("page_kind") == "article":
                self.store.set_fetch_state(FetchState(url, status=status))
        self.reporter.error(kind, url, reason, source)

    # ------------------------------------------------------------------ close

    def remember_listing(self, response: Response, announced: datetime | None = None) -> None:
        """Keep a feed's or sitemap's validators, to be saved if the crawl ends cleanly."""
        url = response.meta.get("requested_url", response.url)
        self.pending_listing_states[url] = FetchState(
            url,
            etag=response.headers.get("ETag", b"").decode("latin-1") or None,
            last_modified=response.headers.get("Last-Modified", b"").decode("latin-1") or None,
            lastmod=iso(announced),
            status=response.status,
        )

    def closed(self, reason: str) -> None:
        if reason == "finished":
            for state in self.pending_listing_states.values():
                self.store.set_fetch_state(state)
