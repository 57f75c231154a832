"""One polite look at a site, for `pannes sources check`: robots.txt, a feed, a sitemap, a page.

Plain HTTP GETs with the crawl's full user agent and a timeout; robots.txt read with Scrapy's
parser (Protego) for our product token, as the crawl reads it; feeds and sitemaps with the
crawler's own safe readers; an article with the crawler's own extraction. Nothing raises:
every probe comes back with what went wrong, in the crawler's words.
"""

from __future__ import annotations

import re
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from pannes.crawler.extract import is_html
from pannes.crawler.feeds import Entry, parse_feed
from pannes.crawler.safexml import BrokenXML, UnsafeXML
from pannes.crawler.sitemaps import parse_sitemap
from scrapy.robotstxt import ProtegoRobotParser

MAX_BYTES = 20_000_000
NETWORK_PROBLEMS = ("dns", "connection", "timeout")
_FEED_LINK = re.compile(
    r"<link\b[^>]*\btype=[\"']application/(?:rss|atom)\+xml[\"'][^>]*>", re.I)
_HREF = re.compile(r"\bhref=[\"']([^\"']+)[\"']", re.I)


@dataclass
class Answer:
    """What one GET gave: a body, or the problem (http | dns | connection | timeout)."""

    url: str
    status: int = 0
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    problem: str | None = None
    detail: str = ""


@dataclass
class Listing:
    """A feed or sitemap as read now."""

    url: str
    ok: bool
    problem: str | None = None  # http | dns | connection | timeout | not_xml | broken | unsafe
    detail: str = ""            # | empty | robots
    entries: int = 0
    newest: datetime | None = None
    is_index: bool = False  # a sitemap index: its items are sitemaps, not articles
    items: list[Entry] = field(default_factory=list, repr=False)

    def describe(self) -> str:
        if self.ok:
            newest = f", newest {self.newest:%Y-%m-%d}" if self.newest else ", undated"
            return f"{self.entries} items{newest}"
        return f"{self.problem} ({self.detail})" if self.detail else str(self.problem)


class Prober:
    """GETs with one user agent and timeout; robots.txt files read once per site."""

    def __init__(self, user_agent: str, robots_token: str, timeout: float) -> None:
        self.user_agent = user_agent
        self.robots_token = robots_token
        self.timeout = timeout
        self._robots: dict[str, ProtegoRobotParser | None] = {}

    def get(self, url: str) -> Answer:
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent,
                                                       "Accept-Language": "fr-FR,fr;q=0.9"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return Answer(response.geturl(), response.status, response.read(MAX_BYTES),
                              {k.lower(): v for k, v in response.headers.items()})
        except urllib.error.HTTPError as exc:
            return Answer(url, exc.code, problem="http", detail=f"HTTP {exc.code}")
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, socket.timeout | TimeoutError):
                return Answer(url, problem="timeout", detail=f"no answer in {self.timeout:g} s")
            if isinstance(reason, socket.gaierror):
                return Answer(url, problem="dns", detail="host not found")
            return Answer(url, problem="connection", detail=str(reason))
        except TimeoutError:
            return Answer(url, problem="timeout", detail=f"no answer in {self.timeout:g} s")
        except (OSError, ValueError) as exc:
            return Answer(url, problem="connection", detail=str(exc))

    # ------------------------------------------------------------------ robots.txt

    def robots(self, url: str) -> ProtegoRobotParser | None:
        """The robots.txt of an URL's site (None: none, or it did not answer: all allowed)."""
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self._robots:
            answer = self.get(site + "/robots.txt")
            self._robots[site] = (ProtegoRobotParser(answer.body, None)
                                  if answer.problem is None else None)
        return self._robots[site]

    def allowed(self, url: str) -> bool:
        robots = self.robots(url)
        return robots is None or robots.allowed(url, self.robots_token)

    def announced_sitemaps(self, url: str) -> list[str]:
        robots = self.robots(url)
        return list(robots.rp.sitemaps) if robots is not None else []

    # ------------------------------------------------------------------ feeds, sitemaps

    def listing(self, url: str, kind: str) -> Listing:
        """Fetch and read a feed or a sitemap (not at all when robots.txt refuses it)."""
        if not self.allowed(url):
            return Listing(url, False, "robots", f"robots.txt refuses {self.robots_token!r}")
        answer = self.get(url)
        if answer.problem:
            return Listing(url, False, answer.problem, answer.detail)
        if is_html(answer.headers, answer.body) or answer.body.lstrip()[:15].lower().startswith(
                (b"<!doctype html", b"<html")):
            kind_of = answer.headers.get("content-type", "no content type")
            return Listing(url, False, "not_xml", f"an HTML page ({kind_of}), not a {kind}")
        is_index = False
        try:
            if kind == "feed":
                entries = parse_feed(answer.body, answer.url).entries
            else:
                sitemap = parse_sitemap(answer.body, answer.url)
                entries, is_index = sitemap.entries, sitemap.is_index
        except UnsafeXML as exc:
            return Listing(url, False, "unsafe", str(exc))
        except BrokenXML as exc:
            return Listing(url, False, "broken", str(exc))
        if not entries:
            return Listing(url, False, "empty", "no items")
        dates = [e.date for e in entries if e.date is not None]
        return Listing(url, True, entries=len(entries), newest=max(dates) if dates else None,
                       is_index=is_index, items=entries)

    def discover_feeds(self, homepage: str) -> list[str]:
        """Feeds a home page announces (`<link rel=alternate type=application/rss+xml>`)."""
        if not self.allowed(homepage):
            return []
        answer = self.get(homepage)
        if answer.problem:
            return []
        text = answer.body[:500_000].decode("utf-8", "replace")
        links = []
        for tag in _FEED_LINK.findall(text):
            href = _HREF.search(tag)
            if href:
                links.append(urljoin(answer.url, href.group(1)))
        return list(dict.fromkeys(links))
