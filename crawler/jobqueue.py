"""The crawl's request queue on disk, safe from a kill at any moment (SCHEDULER_PRIORITY_QUEUE).

Scrapy's own disk queues write their state when the crawl stops cleanly: after a SIGKILL they
cannot be trusted, and a resumed crawl had to read every feed and sitemap again. Here every
request is a row of one SQLite file in the job directory, committed when scheduled, so a
killed crawl resumes with its queue:

- a request handed to the downloader is marked as taken, not deleted: if the crawl dies
  before its answer is safe, the next run asks again (articles already stored by then are
  recognised and skipped before any download);
- feeds and sitemaps whose every announced article was scheduled are journalled as read, so
  the resumed crawl does not read them again.

Requests are popped as Scrapy's DownloaderAwarePriorityQueue does: from the download slot
(site) with the fewest active downloads, highest priority first; last in, first out within
a priority, first in, first out among start requests. Without a job directory (`--no-resume`)
Scrapy's own memory queue is used.
"""

from __future__ import annotations

import logging
import pickle
import sqlite3
from pathlib import Path
from typing import Any

from scrapy.http import Request
from scrapy.pqueues import DownloaderAwarePriorityQueue, DownloaderInterface
from scrapy.utils.request import request_from_dict

log = logging.getLogger(__name__)

QUEUE_FILE = "queue.sqlite"
QUEUE_DIR = "requests.queue"  # the directory Scrapy's scheduler gives its disk queue
RESUMED = "pannes_resumed"  # meta flag of a request restored after an interrupted crawl

_SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    url      TEXT NOT NULL,
    kind     TEXT,                      -- page_kind: feed | sitemap | article
    slot     TEXT NOT NULL,             -- the download slot (site)
    priority INTEGER NOT NULL,
    start    INTEGER NOT NULL,          -- a start request (feeds and sitemaps of the sources)
    data     BLOB NOT NULL,             -- the pickled request dict
    taken    INTEGER NOT NULL DEFAULT 0,
    resumed  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS requests_pending ON requests(taken, slot, priority);
CREATE INDEX IF NOT EXISTS requests_url ON requests(url);
CREATE TABLE IF NOT EXISTS listings_read (url TEXT PRIMARY KEY);
"""


class JobJournal:
    """The job directory's SQLite file: pending requests and the listings already read."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")  # WAL: a killed process loses nothing
        self.conn.executescript(_SCHEMA)

    @classmethod
    def for_jobdir(cls, jobdir: str | Path) -> JobJournal:
        return cls(Path(jobdir) / QUEUE_DIR / QUEUE_FILE)

    @staticmethod
    def usable(jobdir: Path) -> bool:
        """Whether a job directory's queue can be trusted after a kill (SQLite's own check)."""
        path = jobdir / QUEUE_DIR / QUEUE_FILE
        if not path.exists():
            return False
        try:
            conn = sqlite3.connect(path)
            try:
                return conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            finally:
                conn.close()
        except sqlite3.DatabaseError:
            return False

    def restore(self) -> tuple[int, int]:
        """After an interruption: taken requests are pending again, except listings read.

        Returns (requests restored, listings not read again).
        """
        with self.conn:
            dropped = self.conn.execute(
                "DELETE FROM requests WHERE taken = 1 AND url IN (SELECT url FROM listings_read)"
            ).rowcount
            restored = self.conn.execute(
                "UPDATE requests SET taken = 0, resumed = 1 WHERE taken = 1").rowcount
        return restored, dropped

    def mark_read(self, url: str) -> None:
        self.conn.execute("INSERT OR IGNORE INTO listings_read (url) VALUES (?)", (url,))

    def already_handled(self, url: str) -> bool:
        """A listing read in full, or still waiting in the queue, before an interruption."""
        row = self.conn.execute(
            "SELECT 1 FROM listings_read WHERE url = ? UNION ALL "
            "SELECT 1 FROM requests WHERE url = ? AND taken = 0 LIMIT 1", (url, url)).fetchone()
        return row is not None

    def listings_read(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM listings_read").fetchone()[0])

    def close(self) -> None:
        self.conn.close()


class JobQueue:
    """A scheduler priority queue in a `JobJournal`, committed request by request."""

    def __init__(self, crawler: Any, directory: Path) -> None:
        self.crawler = crawler
        self.journal = JobJournal(directory / QUEUE_FILE)
        self.conn = self.journal.conn
        self.downloader = DownloaderInterface(crawler)
        restored, dropped = self.journal.restore()
        if restored or dropped:
            log.info("resuming an interrupted crawl: %d requests asked again, %d feeds or "
                     "sitemaps already read", restored, dropped)

    @classmethod
    def from_crawler(cls, crawler: Any, downstream_queue_cls: Any, key: str,
                     startprios: Any = None, *, start_queue_cls: Any = None) -> Any:
        if not key:  # the scheduler's memory queue, or a crawl without a job directory
            return DownloaderAwarePriorityQueue.from_crawler(
                crawler, downstream_queue_cls, key, startprios or None,
                start_queue_cls=start_queue_cls)
        return cls(crawler, Path(key))

    def push(self, request: Request) -> None:
        try:
            data = pickle.dumps(request.to_dict(spider=self.crawler.spider), protocol=4)
        except Exception as exc:  # the scheduler keeps such a request in memory instead
            raise ValueError(f"cannot serialise {request}: {exc}") from exc
        self.conn.execute(
            "INSERT INTO requests (url, kind, slot, priority, start, data) VALUES (?, ?, ?, ?, ?, ?)",
            (request.meta.get("requested_url", request.url), request.meta.get("page_kind"),
             self.downloader.get_slot_key(request), request.priority,
             int(bool(request.meta.get("is_start_request"))), data))

    def pop(self) -> Request | None:
        while True:
            slots = self.conn.execute("SELECT slot, MAX(priority) FROM requests WHERE taken = 0 "
                                      "GROUP BY slot").fetchall()
            if not slots:
                return None
            best = dict(slots)
            _, _, slot = min((active, -best[slot], slot)
                             for active, slot in self.downloader.stats(best))
            row = self.conn.execute(
                "SELECT id, data, resumed FROM requests WHERE taken = 0 AND slot = ? "
                "ORDER BY priority DESC, start, CASE WHEN start THEN id ELSE -id END LIMIT 1",
                (slot,)).fetchone()
            self.conn.execute("UPDATE requests SET taken = 1 WHERE id = ?", (row[0],))
            try:
                request = request_from_dict(pickle.loads(row[1]), spider=self.crawler.spider)
            except Exception as exc:  # a request this version cannot read: logged, skipped
                log.warning("a queued request could not be read back and is skipped: %s", exc)
                continue
            if row[2]:
                request.meta[RESUMED] = True
            return request

    def peek(self) -> Request | None:
        raise NotImplementedError("the pannes job queue does not peek")

    def close(self) -> list[Any]:
        self.journal.close()
        return []  # the state is the SQLite file itself

    def __len__(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM requests WHERE taken = 0").fetchone()[0])

