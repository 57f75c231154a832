"""`pannes sources check`: a report with one row per source, and the fix to try.

For each source: how well public evidence backs its addresses (the `evidence` field, from
the sources check of the project's research), then what the site answers now — its feeds
parsed (items, newest date), a sitemap read, robots.txt read for our product token, and one
article fetched and extracted as the crawl would (for a source kept from its feed: the
newest item read as a summary). A source that fails gets the fix to try: an alternate
address that answers, the feed its home page announces, `articles = "feed"` for a site that
refuses crawlers on article pages, disabling it when robots.txt refuses us. A few sources
are checked at a time, each one request after the other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pannes.crawler.extract import extract_feed_item, extract_page
from pannes.crawler.probe import NETWORK_PROBLEMS, Listing, Prober
from pannes.crawler.sources import Source
from pannes.crawler.spiders.sitemaps import MAX_INDEX_DEPTH

from pannes.records import RawPage

STALE_DAYS = 30
REFUSED = (401, 403)


@dataclass
class ArticleProbe:
    """One article of the source, fetched and extracted (or its feed item read)."""

    url: str
    ok: bool
    problem: str | None = None  # robots | http | refused | no_text | … (extraction problems)
    detail: str = ""
    title: str = ""
    chars: int = 0

    def describe(self) -> str:
        if self.ok:
            return f"{self.chars} chars"
        return f"{self.problem} ({self.detail})" if self.detail else str(self.problem)


@dataclass
class SourceReport:
    """One row of the report."""

    source: str
    evidence: str
    enabled: bool
    articles: str  # page | feed
    policy: str = ""
    verdict: str = "ok"  # ok | disabled | unreachable | feed_missing | not_a_feed | robots_refused
    fix: str = ""        # | articles_refused | stale | no_article | broken_feed
    robots: str = ""     # allowed | refused | ""
    feeds: list[Listing] = field(default_factory=list)
    sitemaps: list[Listing] = field(default_factory=list)
    announced_sitemaps: list[str] = field(default_factory=list)
    article: ArticleProbe | None = None

    @property
    def ok(self) -> bool:
        return self.verdict in ("ok", "disabled")

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for listing in (*data["feeds"], *data["sitemaps"]):
            listing.pop("items", None)
            if listing["newest"] is not None:
                listing["newest"] = listing["newest"].isoformat()
        data["ok"] = self.ok
        return data


def _newest_entry(listings: list[Listing]):
    entries = [e for listing in listings if listing.ok for e in listing.items]
    dated = [e for e in entries if e.date is not None]
    return max(dated, key=lambda e: e.date) if dated else (entries[0] if entries else None)


class SourceChecker:
    def __init__(self, prober: Prober, *, stale_days: float = STALE_DAYS,
                 now: datetime | None = None) -> None:
        self.prober = prober
        self.stale_days = stale_days
        self.now = now or datetime.now(UTC)

    def check(self, source: Source) -> SourceReport:
        report = SourceReport(source.name, source.evidence or "unknown", source.enabled,
                              source.articles, source.policy)
        if not source.enabled:
            report.verdict = "disabled"
            report.fix = (f"disabled: {source.policy or source.notes or 'no reason given'}; "
                          "enable it knowingly (enabled = true in your sources file)")
            return report
        probe = self.prober
        report.robots = "allowed" if probe.allowed(source.homepage) else "refused"
        report.feeds = [probe.listing(url, "feed") for url in source.feeds]
        report.announced_sitemaps = [u for u in probe.announced_sitemaps(source.homepage)
                                     if u not in source.sitemaps and source.owns(u)]
        if not source.feed_only:
            first = source.sitemaps[:1] or report.announced_sitemaps[:1]
            report.sitemaps = [probe.listing(url, "sitemap") for url in first]
        report.article = self._article(source, report)
        report.verdict, report.fix = self._verdict(source, report)
        return report

    def _article_listings(self, report: SourceReport) -> list[Listing]:
        """The sitemaps listing articles: a sitemap index's newest child sitemap, if need be."""
        listings = []
        for listing in report.sitemaps:
            depth = 0
            while listing.ok and listing.is_index and depth < MAX_INDEX_DEPTH:
                child = _newest_entry([listing])
                listing = self.prober.listing(child.url, "sitemap") if child else listing
                depth += 1
            listings.append(listing)
        return listings

    def _article(self, source: Source, report: SourceReport) -> ArticleProbe | None:
        entry = (_newest_entry(report.feeds)
                 or _newest_entry([x for x in self._article_listings(report) if not x.is_index]))
        if entry is None:
            return None
        if source.feed_only:
            extraction = extract_feed_item(entry, source=source.name)
            article = extraction.article
            if article is None:
                return ArticleProbe(entry.url, False, extraction.problem, extraction.reason)
            return ArticleProbe(entry.url, True, title=article.title, chars=len(article.text))
        if not self.prober.allowed(entry.url):
            return ArticleProbe(entry.url, False, "robots",
                                f"robots.txt refuses {self.prober.robots_token!r}")
        answer = self.prober.get(entry.url)
        if answer.status in REFUSED:
            return ArticleProbe(entry.url, False, "refused", f"HTTP {answer.status}")
        if answer.problem:
            return ArticleProbe(entry.url, False, answer.problem, answer.detail)
        raw = RawPage(answer.url, answer.body, answer.status, answer.headers)
        extraction = extract_page(raw, source=source.name, requested_url=entry.url,
                                  prune_xpath=source.prune_xpath, announced=entry.date)
        if extraction.article is None:
            return ArticleProbe(entry.url, False, extraction.problem, extraction.reason)
        return ArticleProbe(entry.url, True, title=extraction.article.title,
                            chars=len(extraction.article.text))

    def _verdict(self, source: Source, report: SourceReport) -> tuple[str, str]:
        feeds = report.feeds
        working = [f for f in feeds if f.ok]
        if report.robots == "refused" or (feeds and all(f.problem == "robots" for f in feeds)):
            return "robots_refused", (f"the site's robots.txt refuses our bot "
                                      f"({self.prober.robots_token!r}): respect it; disable the "
                                      "source (enabled = false) or ask the publisher for access")
        problems = [f.problem for f in feeds if not f.ok]
        everything = [*feeds, *report.sitemaps]
        if everything and all(x.problem in NETWORK_PROBLEMS for x in everything):
            return "unreachable", ("the site did not answer: check the network, then the "
                                   "addresses on the site itself")
        if feeds and not working:
            verdict = {"http": "feed_missing", "not_xml": "not_a_feed"}.get(problems[0] or "",
                                                                            "broken_feed")
            fix = self._other_feed(source, feeds)
            if any(x.ok for x in report.sitemaps):
                fix += "; meanwhile its sitemap still answers and the crawl reads it"
            return verdict, fix
        article = report.article
        if article is not None and article.problem == "refused":
            return "articles_refused", (f"article pages refuse our bot ({article.detail}) while "
                                        "the feed answers: set articles = \"feed\" to keep the "
                                        "feed items as summaries (never pretend to be a "
                                        "browser), or disable the source")
        newest = max((f.newest for f in working if f.newest), default=None)
        if newest is not None and newest < self.now - timedelta(days=self.stale_days):
            return "stale", (f"the newest feed item is from {newest:%Y-%m-%d}, over "
                             f"{self.stale_days:g} days ago: the site may publish elsewhere now; "
                             + self._other_feed(source, feeds))
        if article is not None and not article.ok:
            hint = ("add a prune_xpath for the page's extra blocks" if article.problem == "no_text"
                    else "look at the page")
            return "no_article", f"the article {article.url} gave no text ({article.detail}): {hint}"
        if failing := [f for f in feeds if not f.ok]:
            return "broken_feed", f"{failing[0].url}: {failing[0].describe()}; " + \
                self._other_feed(source, failing)
        return "ok", ""

    def _other_feed(self, source: Source, failing: list[Listing]) -> str:
        """An address that answers instead: a listed alternate, else one the home page gives."""
        tried = {f.url for f in failing}
        for url in source.alternates:
            if url in tried:
                continue
            listing = self.prober.listing(url, "feed" if "sitemap" not in url else "sitemap")
            if listing.ok:
                return f"use {url} instead ({listing.describe()})"
        for url in self.prober.discover_feeds(source.homepage):
            if url in tried or url in source.feeds:
                continue
            listing = self.prober.listing(url, "feed")
            if listing.ok:
                return f"the home page announces {url} ({listing.describe()}): use it"
        return ("no other address found: look for the feed on the site, or disable the source "
                "(enabled = false)")


def check_sources(sources: Iterable[Source], *, user_agent: str, robots_token: str,
                  timeout: float = 15.0, workers: int = 4, stale_days: float = STALE_DAYS,
                  now: datetime | None = None,
                  on_report: Callable[[SourceReport], None] | None = None) -> list[SourceReport]:
    """Check each source (a few at a time); reports in the order of the sources file."""
    checker = SourceChecker(Prober(user_agent, robots_token, timeout), stale_days=stale_days,
                            now=now)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = [pool.submit(checker.check, source) for source in sources]
        reports = []
        for future in futures:
            reports.append(future.result())
            if on_report is not None:
                on_report(reports[-1])
    return reports


def _cell(listings: list[Listing]) -> str:
    if not listings:
        return "-"
    listing = next((x for x in listings if x.ok), listings[0])
    text = ("OK " if listing.ok else "FAIL ") + listing.describe()
    return text + (f" (+{len(listings) - 1})" if len(listings) > 1 else "")


COLUMNS = (("Source", 24), ("Evidence", 9), ("Feed", 34), ("Sitemap", 30), ("Robots", 8),
           ("Article", 24), ("Verdict", 16))


def header() -> str:
    return "  ".join(name.ljust(width) for name, width in COLUMNS).rstrip()


def row(report: SourceReport) -> str:
    """The report's row, then its fix on a line of its own."""
    article = "-"
    if report.article is not None:
        article = ("OK " if report.article.ok else "FAIL ") + report.article.describe()
        if report.articles == "feed":
            article = "feed item: " + article
    robots = report.robots or "-"
    cells = (report.source, report.evidence, _cell(report.feeds), _cell(report.sitemaps), robots,
             article, report.verdict)
    line = "  ".join(str(c)[:w].ljust(w) for c, (_, w) in zip(cells, COLUMNS, strict=True))
    line = line.rstrip()
    return line + f"\n    fix: {report.fix}" if report.fix else line
