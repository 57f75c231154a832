"""The crawl process: `python -m pannes.crawler.child` reads a job (JSON on stdin), runs Scrapy.

Twisted's reactor cannot be restarted, so every crawl runs in its own process started by
`crawler.run`. Progress goes back as JSON lines on stdout; logs go to stderr. The store is
written article by article, so killing this process loses nothing already fetched.

The process dies with its parent (Linux's parent-death signal): a `pannes crawl` or
`pannes update` killed by a cron timeout or the OOM killer leaves no crawl running, and so no
lock refusing the next one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import logging
import os
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pannes.crawler.jobqueue import JobJournal
from pannes.crawler.progress import emit
from pannes.crawler.settings import scrapy_settings
from pannes.crawler.stats import CrawlStats
from pannes.crawler.storage import retry_busy

from pannes.config import CrawlSettings
from pannes.locks import exclusive_lock

log = logging.getLogger("pannes.crawler.child")

EXIT_LOCKED = 3
EXIT_ORPHANED = 4
RUNNING_MARKER = "pannes-running"
CLEAN_REASONS = {"finished", "closespider_itemcount"}
PARENT_ENV = "PANNES_CRAWL_PARENT"
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
LOCK_WAIT = 5.0  # seconds: a crawl that was just killed releases its lock within that time


def die_with_parent() -> bool:
    """Ask Linux to kill this process when its parent dies; False if the parent is gone.

    SIGKILL, not a gentler signal: the crawl loses nothing when killed, and a crawl still
    shutting down would hold the lock against the next one.
    """
    parent = os.environ.get(PARENT_ENV)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            log.warning("could not ask to die with the parent process (errno %d)",
                        ctypes.get_errno())
    # The parent may have died before the request above: then this process was adopted.
    return not parent or os.getppid() == int(parent)


@contextmanager
def crawl_lock(db_path: Path, wait: float = LOCK_WAIT) -> Iterator[bool]:
    """One crawl at a time per database; the OS drops the lock if this process dies.

    A crawl killed an instant ago may still be exiting: its lock is waited for a few seconds.
    The holder's process id is written in the lock file, for the message of a refused crawl.
    """
    path = Path(f"{db_path}.crawl-lock")
    deadline = time.monotonic() + wait
    while True:
        with exclusive_lock(path) as mine:
            if mine:
                path.write_text(f"{os.getpid()}\n")
            if mine or time.monotonic() >= deadline:
                yield mine
                return
        time.sleep(0.1)


def lock_holder(db_path: Path) -> int | None:
    """The process id written by the crawl holding (or last holding) the lock."""
    try:
        text = Path(f"{db_path}.crawl-lock").read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def prepare_jobdir(jobdir: Path) -> None:
    """Resume a paused or killed crawl with its queue; drop a queue that cannot be trusted."""
    jobdir.mkdir(parents=True, exist_ok=True)
    marker = jobdir / RUNNING_MARKER
    if marker.exists():
        if JobJournal.usable(jobdir):
            log.warning("the previous crawl was killed: it resumes with its queue")
        else:
            log.warning("the previous crawl was killed and its queue is damaged: it is "
                        "discarded; feeds and sitemaps are read again and stored URLs skipped")
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
            holder = lock_holder(db_path)
            by = f" (process {holder})" if holder else ""
            emit({"event": "error", "kind": "locked",
                  "message": f"another crawl is already running on {db_path}{by}"})
            return EXIT_LOCKED
        store = open_store(db_path, create=True)
        try:
            stale = retry_busy(store.close_stale_crawl_runs)
            if stale:
                log.warning("%d earlier crawl run(s) had been killed; marked interrupted", stale)
            run_id = retry_busy(store.start_crawl_run, {"kind": kind, "status": "running"})
            emit({"event": "started", "pid": os.getpid(), "run_id": run_id, "kind": kind})
            jobdir = Path(job["jobdir"]) if job.get("jobdir") else None
            if jobdir is not None:
                prepare_jobdir(jobdir)
            settings = scrapy_settings(crawl, data_dir=Path(job["data_dir"]), db_path=db_path,
                                       jobdir=jobdir, max_pages=job.get("max_pages"),
                                       refresh=bool(job.get("refresh")),
                                       overrides=job.get("scrapy") or {})
            settings.update({"PANNES_PROGRESS_INTERVAL": job.get("progress_interval", 1.0),
                             "PANNES_RUN_ID": run_id, "PANNES_RUN_KIND": kind})
            process = CrawlerProcess(settings)
            crawler = process.create_crawler(_spider_class(job.get("spider", "news")))
            process.crawl(crawler, sources=job.get("sources") or [],
                          **(job.get("spider_args") or {}))
            process.start()
            stats = CrawlStats.from_scrapy(crawler.stats.get_stats(), kind=kind, run_id=run_id)
            stats.status = "finished" if stats.finish_reason in CLEAN_REASONS else "interrupted"
            if jobdir is not None:
                finish_jobdir(jobdir, stats.finish_reason)
            retry_busy(lambda: store.update_crawl_run(run_id, stats.to_dict(),
                                                      status=stats.status, finished=True))
            emit({"event": "summary", **stats.to_dict()})
        finally:
            store.close()
    return 0


def main() -> int:
    # The parent forwards Ctrl-C itself (this process runs in its own session); a killed
    # parent takes this process with it (Linux), or shows as a broken stdout elsewhere.
    if not die_with_parent():
        return EXIT_ORPHANED
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    job = json.load(sys.stdin)
    return run_job(job)


if __name__ == "__main__":
    sys.exit(main())
