"""Crawl bookkeeping in the SQLite store: runs with their statistics, per-URL fetch state."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pannes.records import FetchState


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class CrawlRun:
    id: int
    started_at: str
    finished_at: str | None
    status: str
    stats: dict[str, Any]


class CrawlMethods:
    """Store methods for crawl runs and fetch state."""

    def start_crawl_run(self, stats: dict[str, Any] | None = None) -> int:
        with self._tx() as conn:  # type: ignore[attr-defined]
            cursor = conn.execute(
                "INSERT INTO crawl_runs (started_at, status, stats) VALUES (?, 'running', ?)",
                (_now(), json.dumps(stats or {}, ensure_ascii=False)),
            )
            return int(cursor.lastrowid)

    def update_crawl_run(self, run_id: int, stats: dict[str, Any], *,
                         status: str | None = None, finished: bool = False) -> None:
        with self._tx() as conn:  # type: ignore[attr-defined]
            conn.execute(
                "UPDATE crawl_runs SET stats = ?, status = COALESCE(?, status), "
                "finished_at = CASE WHEN ? THEN ? ELSE finished_at END WHERE id = ?",
                (json.dumps(stats, ensure_ascii=False), status, 1 if finished else 0, _now(), run_id),
            )

    def crawl_runs(self, limit: int = 50) -> list[CrawlRun]:
        """The latest crawl runs, newest first."""
        with self._read() as conn:  # type: ignore[attr-defined]
            rows = conn.execute(
                "SELECT * FROM crawl_runs ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [CrawlRun(r["id"], r["started_at"], r["finished_at"], r["status"],
                         json.loads(r["stats"])) for r in rows]

    def get_fetch_state(self, url: str) -> FetchState | None:
        with self._read() as conn:  # type: ignore[attr-defined]
            row = conn.execute("SELECT * FROM fetch_state WHERE url = ?", (url,)).fetchone()
        return FetchState(**dict(row)) if row is not None else None

    def set_fetch_state(self, state: FetchState) -> None:
        with self._tx() as conn:  # type: ignore[attr-defined]
            conn.execute(
                "INSERT INTO fetch_state (url, etag, last_modified, lastmod, status, fetched_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
                "etag = COALESCE(excluded.etag, etag), "
                "last_modified = COALESCE(excluded.last_modified, last_modified), "
                "lastmod = COALESCE(excluded.lastmod, lastmod), status = excluded.status, "
                "fetched_at = excluded.fetched_at",
                (state.url, state.etag, state.last_modified, state.lastmod, state.status,
                 state.fetched_at or _now()),
            )

    def source_counts(self) -> list[dict[str, Any]]:
        """Per source: articles kept, latest publication date, latest fetch."""
        with self._read() as conn:  # type: ignore[attr-defined]
            rows = conn.execute(
                "SELECT a.source, COUNT(*) AS articles, MAX(a.published) AS latest_published, "
                "MAX(a.first_seen) AS latest_seen FROM articles a GROUP BY a.source "
                "ORDER BY a.source"
            ).fetchall()
        return [dict(r) for r in rows]

    def close_stale_crawl_runs(self, status: str = "interrupted") -> int:
        """Mark runs left 'running' by a crawl that died (call only while holding the crawl lock)."""
        with self._tx() as conn:  # type: ignore[attr-defined]
            cursor = conn.execute(
                "UPDATE crawl_runs SET status = ?, finished_at = COALESCE(finished_at, ?) "
                "WHERE status = 'running'",
                (status, _now()),
            )
            return int(cursor.rowcount)
