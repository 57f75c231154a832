"""Fixtures of the crawler tests: a local web site, loopback-friendly settings, a crawl runner."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests import `localsite`

from localsite import LocalSite, Route  # noqa: E402

from pannes.config import CrawlSettings, Settings  # noqa: E402


@pytest.fixture
def site() -> Iterator[LocalSite]:
    local = LocalSite().start()
    local.add("/robots.txt", Route(b"User-agent: *\nDisallow: /prive/\n",
                                   content_type="text/plain"))
    yield local
    local.stop()


@pytest.fixture
def crawl_settings(tmp_path: Path) -> Settings:
    """Settings for crawling loopback: no delay, short timeouts, small maximum page size."""
    return Settings(
        db_path=tmp_path / "pannes.db",
        data_dir=tmp_path / "data",
        crawl=CrawlSettings(
            user_agent="pannes-tests/0.1",
            contact="veille@example.org",
            download_delay=0.0,
            concurrent_requests_per_domain=4,
            autothrottle=False,
            max_page_bytes=300_000,
            timeout=3,
        ),
    )


# Faster retries for tests (backoff still on, to exercise it).
FAST = {"RETRY_BACKOFF_BASE": 0.05, "RETRY_TIMES": 1, "DNS_TIMEOUT": 3}


@pytest.fixture
def crawl(crawl_settings: Settings) -> Callable[..., Any]:
    """Run the real crawler (child process) against the given sources."""
    from pannes.crawler.run import run_crawl

    def _crawl(sources: list[dict[str, Any]], **kwargs: Any) -> Any:
        kwargs.setdefault("scrapy_overrides", FAST)
        return run_crawl(crawl_settings, sources=sources, **kwargs)

    return _crawl
