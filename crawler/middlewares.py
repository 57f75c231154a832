"""Downloader middleware: wait before each retry, longer every time (exponential backoff).

Scrapy's RetryMiddleware re-schedules a failed request at once; a server that is struggling
deserves a pause first. The wait grows as `RETRY_BACKOFF_BASE * 2**(n-1)` seconds up to
`RETRY_BACKOFF_MAX`, with some jitter so retries do not arrive together, and never less than
a server's own `Retry-After` (in seconds) when it sent one.
"""

from __future__ import annotations

import asyncio
import random
from typing import Any

from scrapy.exceptions import NotConfigured


class RetryBackoffMiddleware:
    def __init__(self, base: float, maximum: float) -> None:
        self.base = base
        self.maximum = maximum

    @classmethod
    def from_crawler(cls, crawler: Any) -> RetryBackoffMiddleware:
        base = crawler.settings.getfloat("RETRY_BACKOFF_BASE", 0.0)
        if base <= 0 or not crawler.settings.getbool("RETRY_ENABLED"):
            raise NotConfigured("no retry backoff")
        return cls(base, crawler.settings.getfloat("RETRY_BACKOFF_MAX", 60.0))

    def delay(self, retries: int) -> float:
        wait = min(self.maximum, self.base * 2 ** max(0, retries - 1))
        return wait * random.uniform(0.8, 1.2)

    async def process_request(self, request: Any, spider: Any = None) -> None:
        retries = request.meta.get("retry_times", 0)
        if retries:
            wait = max(self.delay(retries), min(self.maximum, request.meta.get("retry_after", 0)))
            await asyncio.sleep(wait)

    def process_response(self, request: Any, response: Any, spider: Any = None) -> Any:
        """Note a server's Retry-After (429, 503) so the retry waits at least that long."""
        if response.status in (429, 503):
            value = response.headers.get("Retry-After", b"").decode("latin-1").strip()
            if value.isdigit():
                request.meta["retry_after"] = float(value)
        return response
