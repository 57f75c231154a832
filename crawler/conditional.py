"""Conditional requests, and what each URL answered: a Scrapy downloader middleware.

A feed, sitemap or article asked for again carries the `ETag` and `Last-Modified` it answered
last time (`If-None-Match` / `If-Modified-Since`); what it answers now is remembered for the
next crawl. Articles that answered 200 are remembered by the store pipeline, after their text
is safe. Feeds and sitemaps are remembered only when the crawl ends cleanly, so a killed crawl
reads them in full again and misses no article they announced.

It sits after the retry middleware (a lower number), so it sees only final answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pannes.crawler.incremental import LISTING_KINDS, article_decision, conditional_headers
from pannes.crawler.jobqueue import RESUMED
from pannes.crawler.report import Reporter
from pannes.crawler.safexml import parse_date
from pannes.crawler.storage import DEFAULT_PATIENCE, StoreWriter, db_path_setting, open_crawl_store
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from w3lib.url import canonicalize_url

from pannes.records import FetchState

if TYPE_CHECKING:
    from pannes.store.sqlite import SQLiteStore

ALREADY_DONE = "already fetched"


def _header(response: Response, name: str) -> str | None:
    return response.headers.get(name, b"").decode("latin-1") or None


class ConditionalRequestMiddleware:
    def __init__(self, crawler: Any) -> None:
        self.db_path = db_path_setting(crawler)
        self.refresh = crawler.settings.getbool("PANNES_REFRESH")
        self.patience = crawler.settings.getfloat("PANNES_STORE_PATIENCE", DEFAULT_PATIENCE)
        self.reporter = Reporter(crawler)
        self.reader: SQLiteStore | None = None
        self.writer: StoreWriter | None = None
        self.listings: dict[str, FetchState] = {}
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.request_dropped, signal=signals.request_dropped)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ConditionalRequestMiddleware:
        return cls(crawler)

    def spider_opened(self, spider: Any = None) -> None:
        self.reader = open_crawl_store(self.db_path)
        self.writer = StoreWriter(open_crawl_store(self.db_path), patience=self.patience,
                                  name="fetch-state")

    async def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        if self.writer is None or self.reader is None:
            return
        if reason == "finished":
            for state in self.listings.values():
                await self.writer.write(self.writer.store.set_fetch_state, state)
        self.writer.close()
        self.reader.close()
        self.writer = self.reader = None

    # ------------------------------------------------------------------ requests and answers

    def process_request(self, request: Request, spider: Any = None) -> None:
        kind = request.meta.get("page_kind")
        if kind is None or self.reader is None or (self.refresh and kind in LISTING_KINDS):
            return  # --refresh reads feeds and sitemaps in full, asks articles conditionally
        if b"If-None-Match" in request.headers or b"If-Modified-Since" in request.headers:
            return  # a retry or redirect of a request already made conditional
        url = request.meta.get("requested_url", request.url)
        state = self.reader.get_fetch_state(url)
        # Decided again when it leaves the queue: a request queued twice (restored after an
        # interruption, and found again in a feed read anew) is not fetched twice.
        if kind == "article" and not article_decision(
                state, parse_date(request.meta.get("announced")), refresh=self.refresh).fetch:
            when = ("before the crawl was interrupted" if request.meta.get(RESUMED)
                    else "since it was queued")
            raise IgnoreRequest(f"{ALREADY_DONE}: stored {when}")
        for name, value in conditional_headers(state).items():
            request.headers[name] = value

    async def process_response(self, request: Request, response: Response,
                               spider: Any = None) -> Response:
        meta = request.meta
        kind = meta.get("page_kind")
        url = meta.get("requested_url", request.url)
        if kind == "article" and (response.status == 304 or response.status >= 400):
            lastmod = meta.get("announced") if response.status == 304 else None
            await self._remember(FetchState(url, lastmod=lastmod, status=response.status))
        elif kind in LISTING_KINDS and response.status == 200:
            self.listings[url] = FetchState(url, etag=_header(response, "ETag"),
                                            last_modified=_header(response, "Last-Modified"),
                                            lastmod=meta.get("announced"), status=200)
        return response

    async def process_exception(self, request: Request, exception: BaseException,
                                spider: Any = None) -> None:
        """A network failure of an article: tried again on the next crawl (status 0)."""
        if request.meta.get("page_kind") == "article" and not isinstance(exception, IgnoreRequest):
            url = request.meta.get("requested_url", request.url)
            await self._remember(FetchState(url, status=0))

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
        if meta.get("page_kind") == "article" and self.writer is not None:
            self.writer.submit(self.writer.store.set_fetch_state, state)
        elif meta.get("page_kind") == "sitemap":
            self.listings[url] = state

    async def _remember(self, state: FetchState) -> None:
        if self.writer is not None:
            await self.writer.write(self.writer.store.set_fetch_state, state)
