"""The embedded store: one SQLite file (WAL, foreign keys, FTS5) holding everything.

`SQLiteStore` is assembled from one class per concern (articles and tags, crawl bookkeeping,
incidents and corrections, search), each in its own module, sharing one connection.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pannes.store.schema import LATEST_VERSION, migrate, schema_version
from pannes.store.sqlite_articles import ArticleMethods
from pannes.store.sqlite_crawl import CrawlMethods
from pannes.store.sqlite_incidents import IncidentMethods
from pannes.store.sqlite_search import SearchMethods

from pannes.errors import StoreError

log = logging.getLogger(__name__)


class SQLiteStore(ArticleMethods, CrawlMethods, IncidentMethods, SearchMethods):
    """All of pannes' data in one SQLite file; safe to share between threads."""

    def __init__(self, path: Path | str, *, create: bool = True) -> None:
        self.path = Path(path) if str(path) != ":memory:" else Path(":memory:")
        in_memory = str(path) == ":memory:"
        if not in_memory:
            self.path = self.path.expanduser()
            if not self.path.exists():
                if not create:
                    raise StoreError(
                        f"No pannes database at {self.path}. Fill one with `pannes crawl` "
                        "(or try `pannes demo`), or choose another with --db / PANNES_DB."
                    )
                self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(
                str(path) if in_memory else str(self.path),
                isolation_level=None,  # explicit transactions only
                check_same_thread=False,
                timeout=30,
            )
            self._conn.row_factory = sqlite3.Row
            self._conn.execute("PRAGMA foreign_keys = ON")
            if not in_memory:
                self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("PRAGMA busy_timeout = 30000")
            migrate(self._conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"Cannot open the database {path}: {exc}") from None
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ plumbing

    @property
    def schema_version(self) -> int:
        return schema_version(self._conn)

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; everything in it lands or nothing does."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """The connection for reads (serialised with writes of this process)."""
        with self._lock:
            yield self._conn

    def get_meta(self, key: str) -> str | None:
        """A value kept in the store's key-value table (None when never set)."""
        with self._read() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row is not None else None

    def set_meta(self, key: str, value: str) -> None:
        with self._tx() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) "
                         "DO UPDATE SET value = excluded.value", (key, value))

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self.path)!r}, schema={LATEST_VERSION})"
