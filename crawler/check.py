"""`pannes sources check`: ask every feed and sitemap once and say which ones answer.

Plain HTTP GETs with the configured user agent and a timeout, a few at a time; each answer is
parsed with the crawler's own safe feed and sitemap readers.
"""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from pannes.crawler.feeds import parse_feed
from pannes.crawler.safexml import BrokenXML, UnsafeXML
from pannes.crawler.sitemaps import parse_sitemap
from pannes.crawler.sources import Source

MAX_BYTES = 20_000_000
NETWORK_PROBLEMS = {"dns", "connection", "timeout"}


@dataclass(frozen=True)
class CheckResult:
    """What one feed or sitemap answered."""

    source: str
    kind: str  # feed | sitemap
    url: str
    ok: bool
    problem: str | None = None  # http | dns | connection | timeout | broken | unsafe
    detail: str = ""
    entries: int = 0
    newest: datetime | None = None

    def line(self) -> str:
        if self.ok:
            newest = f", newest {self.newest:%Y-%m-%d}" if self.newest else ""
            return f"OK    {self.source} {self.kind} {self.url}: {self.entries} entries{newest}"
        return f"FAIL  {self.source} {self.kind} {self.url}: {self.problem} ({self.detail})"


def _fetch(url: str, user_agent: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": user_agent,
                                                   "Accept-Language": "fr-FR,fr;q=0.9"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
        return response.read(MAX_BYTES)


def check_url(source: str, kind: str, url: str, *, user_agent: str, timeout: float) -> CheckResult:
    """Fetch and parse one feed or sitemap; never raises."""
    try:
        body = _fetch(url, user_agent, timeout)
    except urllib.error.HTTPError as exc:
        return CheckResult(source, kind, url, False, "http", f"HTTP {exc.code}")
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, socket.timeout | TimeoutError):
            return CheckResult(source, kind, url, False, "timeout", f"no answer in {timeout:g} s")
        if isinstance(reason, socket.gaierror):
            return CheckResult(source, kind, url, False, "dns", "host not found")
        return CheckResult(source, kind, url, False, "connection", str(reason))
    except TimeoutError:
        return CheckResult(source, kind, url, False, "timeout", f"no answer in {timeout:g} s")
    except (OSError, ValueError) as exc:
        return CheckResult(source, kind, url, False, "connection", str(exc))
    try:
        entries = (parse_feed(body, url).entries if kind == "feed"
                   else parse_sitemap(body, url).entries)
    except UnsafeXML as exc:
        return CheckResult(source, kind, url, False, "unsafe", str(exc))
    except BrokenXML as exc:
        return CheckResult(source, kind, url, False, "broken", str(exc))
    if not entries:
        return CheckResult(source, kind, url, False, "broken", "no entries")
    dates = [e.date for e in entries if e.date is not None]
    return CheckResult(source, kind, url, True, entries=len(entries),
                       newest=max(dates) if dates else None)


def check_sources(
    sources: Iterable[Source],
    *,
    user_agent: str,
    timeout: float = 15.0,
    workers: int = 4,
    on_result: Callable[[CheckResult], None] | None = None,
) -> list[CheckResult]:
    """Check every feed and sitemap of the sources; results in the order of the sources file."""
    jobs = [(s.name, kind, url) for s in sources
            for kind, urls in (("feed", s.feeds), ("sitemap", s.sitemaps)) for url in urls]
    results: list[CheckResult] = []
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = [pool.submit(check_url, *job, user_agent=user_agent, timeout=timeout)
                   for job in jobs]
        for future in futures:
            result = future.result()
            results.append(result)
            if on_result is not None:
                on_result(result)
    return results
