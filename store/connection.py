"""How pannes talks to its SQLite file: one writer at a time, readers in parallel.

`Database` opens the file (WAL, foreign keys, migrated to the latest schema) and hands out
connections to the store's parts:

- read-write (the CLI, the crawler, an editor's correction): one connection shared by the
  threads of a process behind a lock; `transaction()` is `BEGIN IMMEDIATE`, so it takes the
  database's write lock before reading anything it will write, and every store call made
  inside it (in the same thread) joins it.
- read-only (`read_only=True`, the dashboard's pages): one `mode=ro` connection per thread,
  so sessions read in parallel and never wait for each other or for a writer (WAL).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pannes.store.schema import LATEST_VERSION, migrate, schema_version

from pannes.errors import StoreError

log = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 30  # how long a writer waits for another one before "database is locked"


def utc_now() -> str:
    """Now, as the store writes times (UTC, to the second)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def iso(value: Any) -> str | None:
    """A date or datetime as ISO text (None stays None)."""
    return value.isoformat() if value is not None else None


def marks(values: Any) -> str:
    """`?, ?, ?` placeholders for an `IN (...)` list of `values`."""
    return ",".join("?" * len(values))


class Database:
    """One SQLite file: write transactions, reads, and the schema kept up to date."""

    def __init__(self, path: Path | str, *, create: bool = True, read_only: bool = False) -> None:
        self.in_memory = str(path) == ":memory:"
        self.path = Path(":memory:") if self.in_memory else Path(path).expanduser()
        self.read_only = read_only
        if read_only and self.in_memory:
            raise StoreError("An in-memory database cannot be opened read-only.")
        if not self.in_memory and not self.path.exists():
            if not create or read_only:
                raise StoreError(
                    f"No pannes database at {self.path}. Fill one with `pannes crawl` "
                    "(or try `pannes demo`), or choose another with --db / PANNES_DB.")
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()  # the read-write connection, and the depth below
        self._depth = 0  # nesting of transaction() in the thread holding the lock
        self._local = threading.local()  # read-only: this thread's connection
        self._readers: dict[int, sqlite3.Connection] = {}  # read-only: by thread id
        self._conn: sqlite3.Connection | None = None
        if read_only:
            self._check_version(self._reader())
        else:
            self._conn = self._connect()
            try:
                if not self.in_memory:
                    self._conn.execute("PRAGMA journal_mode = WAL")
                migrate(self._conn)
            except sqlite3.DatabaseError as exc:
                self._conn.close()
                raise StoreError(f"Cannot open the database {self.path}: {exc}") from None

    # ------------------------------------------------------------------ connections

    def _connect(self) -> sqlite3.Connection:
        try:
            if self.read_only:
                target, uri = f"file:{quote(str(self.path.resolve()))}?mode=ro", True
            else:
                target, uri = str(self.path), False
            conn = sqlite3.connect(target, uri=uri, isolation_level=None,  # explicit transactions
                                   check_same_thread=False, timeout=BUSY_TIMEOUT_S)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            if not self.read_only:
                conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"Cannot open the database {self.path}: {exc}") from None
        return conn

    def _reader(self) -> sqlite3.Connection:
        """This thread's read-only connection (opened on first use)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            with self._lock:
                alive = {t.ident for t in threading.enumerate()}
                for ident in [i for i in self._readers if i not in alive]:
                    self._readers.pop(ident).close()  # its thread has ended
                self._readers[threading.get_ident()] = conn
        return conn

    def _check_version(self, conn: sqlite3.Connection) -> None:
        """A read-only open needs the latest schema: an older file is migrated first."""
        try:
            version = schema_version(conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"Cannot open the database {self.path}: {exc}") from None
        if version < LATEST_VERSION:
            log.info("migrating %s before reading it", self.path)
            Database(self.path, create=False).close()
        elif version > LATEST_VERSION:
            migrate(conn)  # raises: a newer pannes wrote it

    @property
    def schema_version(self) -> int:
        with self.read() as conn:
            return schema_version(conn)

    # ------------------------------------------------------------------ reads and writes

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (BEGIN IMMEDIATE): everything in it lands or nothing does.

        It holds the database's write lock from its first statement, so what it reads cannot
        change before it writes. Nested calls in the same thread join the outer transaction.
        """
        if self._conn is None:
            raise StoreError(f"The database {self.path} is open read-only here.")
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self._conn
                finally:
                    self._depth -= 1
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")
            finally:
                self._depth = 0

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A connection to read with: this thread's own when read-only, else the shared one
        (inside a transaction of this thread, the reads see its writes)."""
        if self._conn is None:
            yield self._reader()
            return
        with self._lock:
            yield self._conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
            for conn in self._readers.values():
                conn.close()
            self._readers.clear()
