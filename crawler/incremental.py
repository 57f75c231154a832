"""Decide, from what the store remembers of a URL, whether to fetch it again and how.

An article already fetched is skipped unless its feed or sitemap announces a newer date; a
re-fetch, and every feed or sitemap fetch, carries `If-None-Match` / `If-Modified-Since`.
URLs that failed for a passing reason (5xx, timeouts) are tried again next time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from pannes.crawler.safexml import parse_date

from pannes.records import FetchState

if TYPE_CHECKING:
    from pannes.store.sqlite import SQLiteStore

# Statuses after which a URL is worth trying again on the next crawl (0: network failure).
RETRY_LATER = {0, 408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524}


@dataclass(frozen=True)
class Decision:
    fetch: bool
    headers: dict[str, str] = field(default_factory=dict)


def conditional_headers(state: FetchState | None) -> dict[str, str]:
    if state is None:
        return {}
    headers = {}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    return headers


def iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="seconds") if value is not None else None


class FetchPolicy:
    """Incremental fetching rules over the store's fetch state."""

    def __init__(self, store: SQLiteStore, *, refresh: bool = False) -> None:
        self.store = store
        self.refresh = refresh

    def for_article(self, url: str, announced: datetime | None) -> Decision:
        """Fetch a new URL; re-fetch a known one only when announced as changed since."""
        state = self.store.get_fetch_state(url)
        if state is None:
            return Decision(True)
        headers = conditional_headers(state)
        if self.refresh or state.status is None or state.status in RETRY_LATER:
            return Decision(True, headers)
        if announced is None:
            return Decision(False)
        known = parse_date(state.lastmod) or parse_date(state.fetched_at)
        if known is None or announced > known:
            return Decision(True, headers)
        return Decision(False)

    def for_listing(self, url: str) -> Decision:
        """Feeds and sitemaps are always asked for, conditionally when we have validators."""
        if self.refresh:
            return Decision(True)
        return Decision(True, conditional_headers(self.store.get_fetch_state(url)))

    def listing_unchanged(self, url: str, announced: datetime | None) -> bool:
        """A child sitemap whose index date has not moved since it was last read completely."""
        if self.refresh or announced is None:
            return False
        state = self.store.get_fetch_state(url)
        known = parse_date(state.lastmod) if state is not None else None
        return known is not None and announced <= known
