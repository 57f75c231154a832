"""Scrapy extension: report progress while crawling, and keep the run's row up to date.

Every `PANNES_PROGRESS_INTERVAL` seconds it writes a JSON line on stdout (the runner in the
parent process reads them) and saves the statistics in the store's `crawl_runs` row, in a
thread of its own: a busy database delays that bookkeeping, never the crawl.
"""

from __future__ import annotations

import json
import logging
import sys
from concurrent.futures import Future
from typing import Any

from pannes.crawler.stats import CrawlStats
from pannes.crawler.storage import StoreWriter, open_crawl_store
from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

log = logging.getLogger(__name__)


def emit(event: dict[str, Any]) -> None:
    """One JSON line on stdout for the parent process."""
    sys.stdout.write(json.dumps(event, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


class ProgressExtension:
    def __init__(self, crawler: Any, interval: float, run_id: int | None, kind: str) -> None:
        self.crawler = crawler
        self.interval = interval
        self.run_id = run_id
        self.kind = kind
        self.loop: task.LoopingCall | None = None
        self.db_path = crawler.settings.get("PANNES_DB_PATH")
        self.writer: StoreWriter | None = None
        self.pending: Future[Any] | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProgressExtension:
        interval = crawler.settings.getfloat("PANNES_PROGRESS_INTERVAL", 0.0)
        if interval <= 0:
            raise NotConfigured("no progress reporting")
        ext = cls(crawler, interval, crawler.settings.getint("PANNES_RUN_ID") or None,
                  crawler.settings.get("PANNES_RUN_KIND", "crawl"))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def snapshot(self) -> CrawlStats:
        return CrawlStats.from_scrapy(self.crawler.stats.get_stats(), kind=self.kind,
                                      run_id=self.run_id)

    def tick(self) -> None:
        stats = self.snapshot()
        emit({"event": "progress", **stats.to_dict()})
        if self.writer is None or (self.pending is not None and not self.pending.done()):
            return  # the previous save still waits for the database: skip this one
        self.pending = self.writer.submit(self.writer.store.update_crawl_run, self.run_id,
                                          stats.to_dict())

    def spider_opened(self, spider: Any = None) -> None:
        if self.db_path and self.run_id:
            self.writer = StoreWriter(open_crawl_store(self.db_path), patience=self.interval,
                                      name="progress")
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(self.interval, now=False)

    def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.writer is not None:
            self.writer.close()
