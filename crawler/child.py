"""The crawl process: `python -m crawler.child` reads a job (JSON on stdin), runs Scrapy once.

Twisted's reactor cannot be restarted, so every crawl runs in its own process started by
`crawler.run`. Progress goes back as JSON lines on stdout; logs go to stderr. The store is
written article by article, so killing this process loses nothing already fetched.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from pannes.crawler.progress import emit
from pannes.crawler.settings import scrapy_settings
from pannes.crawler.stats import CrawlStats

from pannes.config import CrawlSettings
from pannes.locks import exclusive_lock

log = logging.getLogger("pannes.crawler.child")

EXIT_LOCKED = 3
RUNNING_MARKER = "pannes-running"
CLEAN_REASONS = {"finished", "closespider_itemcount"}


def crawl_lock(db_path: Path) -> AbstractContextManager[bool]:
    """One crawl at a time per database; the OS drops the lock if this process dies."""
    return exclusive_lock(Path(f"{db_path}.crawl-lock"))


def prepare_jobdir(jobdir: Path) -> None:
    """Resume a paused crawl; after a crash, drop Scrapy's queue and seen-set (maybe torn)."""
    jobdir.mkdir(parents=True, exist_ok=True)
    marker = jobdir / RUNNING_MARKER
    if marker.exists():
        log.warning("the previous crawl was killed: its request queue is discarded; "
                    "feeds and sitemaps are read again and stored URLs are skipped")
        for child in jobdir.iterdir():
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
    marker.touch()


def finish_jobdir(jobdir: Path, reason: str) -> None:
    """A finished crawl leaves nothing to resume; a paused one keeps its queue."""
    if reason == "finished":
        shutil.rmtree(jobdir, ignore_errors=True)
    else:
        (jobdir / RUNNING_MARKER).unlink(missing_ok=True)


def _spider_class(name: str) -> Any:
    if name == "urls":
        from pannes.crawler.spiders.urls import UrlListSpider

        return UrlListSpider
    from pannes.crawler.spiders.news import NewsSpider

    return NewsSpider


def run_job(job: dict[str, Any]) -> int:
    from pannes.store import open_store
    from scrapy.crawler import CrawlerProcess

    db_path = Path(job["db_path"])
    kind = job.get("kind", "crawl")
    crawl = CrawlSettings(**{k: (Path(v) if k == "sources" and v else v)
                             for k, v in job["crawl"].items()})
    with crawl_lock(db_path) as locked:
        if not locked:
            emit({"event": "error", "kind": "locked",
                  "message": f"another crawl is already running on {db_path}"})
            return EXIT_LOCKED
        store = open_store(db_path, create=True)
        try:
            stale = store.close_stale_crawl_runs()
            if stale:
                log.warning("%d earlier crawl run(s) had been killed; marked interrupted", stale)
            run_id = store.start_crawl_run({"kind": kind, "status": "running"})
            emit({"event": "started", "pid": os.getpid(), "run_id": run_id, "kind": kind})
            jobdir = Path(job["jobdir"]) if job.get("jobdir") else None
            if jobdir is not None:
                prepare_jobdir(jobdir)
            settings = scrapy_settings(crawl, data_dir=Path(job["data_dir"]), jobdir=jobdir,
                                       max_pages=job.get("max_pages"),
                                       overrides=job.get("scrapy") or {})
            settings.update({"PANNES_PROGRESS_INTERVAL": job.get("progress_interval", 1.0),
                             "PANNES_RUN_ID": run_id, "PANNES_RUN_KIND": kind})
            process = CrawlerProcess(settings)
            crawler = process.create_crawler(_spider_class(job.get("spider", "news")))
            process.crawl(crawler, store=store, sources=job.get("sources") or [],
                          **(job.get("spider_args") or {}))
            process.start()
            raw = crawler.stats.get_stats()
            stats = CrawlStats.from_scrapy(raw, kind=kind, run_id=run_id)
            reporter = getattr(crawler.spider, "reporter", None)
            if reporter is not None:
                stats.error_samples = list(reporter.samples)
            stats.status = "finished" if stats.finish_reason in CLEAN_REASONS else "interrupted"
            if jobdir is not None:
                finish_jobdir(jobdir, stats.finish_reason)
            store.update_crawl_run(run_id, stats.to_dict(), status=stats.status, finished=True)
            emit({"event": "summary", **stats.to_dict()})
        finally:
            store.close()
    return 0


def main() -> int:
    # The parent forwards Ctrl-C itself (this process runs in its own session); a vanished
    # parent shows as a broken stdout, which ends the crawl cleanly.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    job = json.load(sys.stdin)
    return run_job(job)


if __name__ == "__main__":
    sys.exit(main())
