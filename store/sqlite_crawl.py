"""Crawl bookkeeping in the SQLite store: runs with their statistics, per-URL fetch state."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pannes.store.connection import Database, utc_now

from pannes.records import FetchState


@dataclass(frozen=True)
class CrawlRun:
    id: int
    started_at: str
    finished_at: str | None
    status: str
    stats: dict[str, Any]


class CrawlLog:
    """The store's part for crawl runs and fetch state."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def start_crawl_run(self, stats: dict[str, Any] | None = None) -> int:
        with self.db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO crawl_runs (started_at, status, stats) VALUES (?, 'running', ?)",
                (utc_now(), json.dumps(stats or {}, ensure_ascii=False)),
            )
            return int(cursor.lastrowid or 0)

    def update_crawl_run(self, run_id: int, stats: dict[str, Any], *,
                         status: str | None = None, finished: bool = False) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "UPDATE crawl_runs SET stats = ?, status = COALESCE(?, status), "
                "finished_at = CASE WHEN ? THEN ? ELSE finished_at END WHERE id = ?",
                (json.dumps(stats, ensure_ascii=False), status, 1 if finished else 0, utc_now(), run_id),
            )

    def crawl_runs(self, limit: int = 50) -> list[CrawlRun]:
        """The latest crawl runs, newest first."""
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT * FROM crawl_runs ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [CrawlRun(r["id"], r["started_at"], r["finished_at"], r["status"],
                         json.loads(r["stats"])) for r in rows]

    def get_fetch_state(self, url: str) -> FetchState | None:
        with self.db.read() as conn:
            row = conn.execute("SELECT * FROM fetch_state WHERE url = ?", (url,)).fetchone()
        return FetchState(**dict(row)) if row is not None else None

    def set_fetch_state(self, state: FetchState) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO fetch_state (url, etag, last_modified, lastmod, status, fetched_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
                "etag = COALESCE(excluded.etag, etag), "
                "last_modified = COALESCE(excluded.last_modified, last_modified), "
                "lastmod = COALESCE(excluded.lastmod, lastmod), status = excluded.status, "
                "fetched_at = excluded.fetched_at",
                (state.url, state.etag, state.last_modified, state.lastmod, state.status,
                 state.fetched_at or utc_now()),
            )

    def source_counts(self) -> list[dict[str, Any]]:
        """Per source: articles kept, latest publication date, latest fetch."""
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT a.source, COUNT(*) AS articles, MAX(a.published) AS latest_published, "
                "MAX(a.first_seen) AS latest_seen FROM articles a GROUP BY a.source "
                "ORDER BY a.source"
            ).fetchall()
        return [dict(r) for r in rows]

    def close_stale_crawl_runs(self, status: str = "interrupted") -> int:
        """Mark runs left 'running' by a crawl that died (call only while holding the crawl lock)."""
        with self.db.transaction() as conn:
            cursor = conn.execute(
                "UPDATE crawl_runs SET status = ?, finished_at = COALESCE(finished_at, ?) "
                "WHERE status = 'running'",
                (status, utc_now()),
            )
            return int(cursor.rowcount)
