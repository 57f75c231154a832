"""The crawl's access to the store: writes in a thread of their own, retried while busy.

Scrapy runs everything on one reactor thread. A store write that waits for another process's
write lock (a full-text rebuild, a regroup, a migration) must not stall the downloads, and
must not lose the article either: each component that writes owns a `StoreWriter`, which
runs the writes one at a time in its own thread and tries again, with growing pauses, for as
long as `PANNES_STORE_PATIENCE` seconds allow.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from scrapy.exceptions import NotConfigured

from pannes.errors import StoreError

if TYPE_CHECKING:
    from pannes.store.sqlite import SQLiteStore

T = TypeVar("T")

log = logging.getLogger(__name__)

DEFAULT_PATIENCE = 900.0  # seconds a write keeps trying while another process holds the lock
FIRST_PAUSE = 0.5
LONGEST_PAUSE = 10.0


def is_busy(exc: BaseException) -> bool:
    """A write refused because another connection holds the database's write lock."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError | StoreError) and (
        "locked" in text or "busy" in text)


def db_path_setting(crawler: Any) -> Path:
    """The database of the crawl (`PANNES_DB_PATH`); without one, the component is off."""
    value = crawler.settings.get("PANNES_DB_PATH")
    if not value:
        raise NotConfigured("no PANNES_DB_PATH: pannes components need a store")
    return Path(value)


def open_crawl_store(path: Path | str) -> SQLiteStore:
    from pannes.store import open_store

    return open_store(path)


def retry_busy(fn: Callable[..., T], *args: Any, patience: float = DEFAULT_PATIENCE,
               on_wait: Callable[[], None] | None = None) -> T:
    """`fn(*args)`, tried again with growing pauses while the database is busy."""
    deadline = time.monotonic() + patience
    pause = FIRST_PAUSE
    waited = False
    while True:
        try:
            return fn(*args)
        except Exception as exc:
            if not is_busy(exc) or time.monotonic() + pause > deadline:
                raise
            if not waited:
                waited = True
                log.warning("the database is busy (another process is writing); the crawl "
                            "keeps its pages and tries again (%s)", exc)
                if on_wait is not None:
                    on_wait()
            time.sleep(pause)
            pause = min(LONGEST_PAUSE, pause * 2)


def _log_failure(future: Future[Any]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.warning("a store write failed: %s", future.exception())


class StoreWriter:
    """Runs store writes in one thread, in order; a busy database is waited for, not fatal."""

    def __init__(self, store: SQLiteStore, *, patience: float = DEFAULT_PATIENCE,
                 name: str = "store", on_wait: Callable[[], None] | None = None) -> None:
        self.store = store
        self.patience = patience
        self.on_wait = on_wait
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"pannes-{name}")

    def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Call `fn(*args)` now, in the calling thread, retrying while the database is busy."""
        return retry_busy(fn, *args, patience=self.patience, on_wait=self.on_wait)

    async def write(self, fn: Callable[..., T], *args: Any) -> T:
        """`run(fn, *args)` in the writer's thread, awaited without blocking the reactor."""
        return await self.in_thread(self.run, fn, *args)

    async def in_thread(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` as is in the writer's thread (`fn` calls `run` for each write)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, fn, *args)

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """`run(fn, *args)` in the writer's thread, not waited for (a failure is logged)."""
        future = self._executor.submit(self.run, fn, *args)
        future.add_done_callback(_log_failure)
        return future

    def close(self) -> None:
        """Wait for the writes already handed over, then close the store."""
        self._executor.shutdown(wait=True)
        self.store.close()
