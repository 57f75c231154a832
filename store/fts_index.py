"""The full-text tables: writing one entry, and rebuilding them without a long write lock.

article_fts (rowid = articles.id) and incident_fts (rowid = incident_fts_map.rowid) hold the
normalised text (pannes.textnorm) of titles and bodies; the store writes an entry whenever it
writes an article or an incident.

A rebuild (after a change of normalisation) fills shadow tables (`*_next`) in batches, each
read and normalised without the write lock and written in its own short transaction, while
searches keep using the current tables; writers meanwhile write their entries into both. One short transaction then swaps the tables. A rebuild that
dies leaves its mark (`SEARCH_REBUILD_KEY`); the next writer to open the store redoes it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pannes.store.schema import SEARCH_REBUILD_KEY

from pannes.errors import StoreError
from pannes.locks import exclusive_lock
from pannes.textnorm import normalize_text

if TYPE_CHECKING:
    from pannes.store.connection import Database

log = logging.getLogger(__name__)

TABLES = ("article_fts", "incident_fts")
SHADOW = "_next"
FTS_COLUMNS = "title, body, tokenize = 'unicode61 remove_diacritics 2'"
MERGE_PAGES = 500  # pages merged per step when tidying a rebuilt table


def _tables(conn: sqlite3.Connection, table: str) -> list[str]:
    """The table to write an entry into and, while a rebuild runs, its shadow."""
    shadow = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?",
                          (table + SHADOW,)).fetchone()
    return [table, table + SHADOW] if shadow else [table]


def _put(conn: sqlite3.Connection, tables: list[str], rowid: int, title: str, body: str) -> None:
    for table in tables:
        conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))
        conn.execute(f"INSERT INTO {table} (rowid, title, body) VALUES (?, ?, ?)",
                     (rowid, title, body))


def write_article_entry(conn: sqlite3.Connection, article_id: int, title: str,
                        text: str) -> None:
    """An article's full-text entry: its normalised title and text."""
    _put(conn, _tables(conn, "article_fts"), article_id, normalize_text(title),
         normalize_text(text))


def _incident_entry(conn: sqlite3.Connection, incident_id: str, title: str,
                    vendors: list[str], affected: list[str]) -> tuple[int, str, str]:
    titles = [r[0] for r in conn.execute(
        "SELECT a.title FROM incident_articles ia JOIN articles a ON a.id = ia.article_id "
        "WHERE ia.incident_id = ?", (incident_id,))]
    body = " ".join([*vendors, *affected, *titles])
    conn.execute("INSERT OR IGNORE INTO incident_fts_map (incident_id) VALUES (?)", (incident_id,))
    rowid = conn.execute("SELECT rowid FROM incident_fts_map WHERE incident_id = ?",
                         (incident_id,)).fetchone()[0]
    return rowid, normalize_text(title), normalize_text(body)


def write_incident_entry(conn: sqlite3.Connection, incident_id: str, title: str,
                         vendors: list[str], affected: list[str]) -> None:
    """The incident's full-text entry: its title, then its vendors, affected organisations and
    its articles' titles, normalised like the article index."""
    _put(conn, _tables(conn, "incident_fts"),
         *_incident_entry(conn, incident_id, title, vendors, affected))


def delete_incident_entry(conn: sqlite3.Connection, incident_id: str) -> None:
    row = conn.execute("SELECT rowid FROM incident_fts_map WHERE incident_id = ?",
                       (incident_id,)).fetchone()
    if row is not None:
        for table in _tables(conn, "incident_fts"):
            conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (row[0],))


# ---------------------------------------------------------------------- rebuilding


def rebuild_due(db: Database) -> bool:
    with db.read() as conn:
        return conn.execute("SELECT 1 FROM meta WHERE key = ?",
                            (SEARCH_REBUILD_KEY,)).fetchone() is not None


def rebuild(db: Database, *, progress: Callable[[str], None] | None = None,
            batch_size: int = 500) -> dict[str, int]:
    """Re-normalise both full-text tables from the stored texts, in batches (see above)."""
    lock = exclusive_lock(Path(f"{db.path}.search-rebuild-lock")) if not db.in_memory \
        else contextlib.nullcontext(True)
    with lock as mine:
        if not mine:
            raise StoreError(f"Another process is rebuilding the search index of {db.path}; "
                             "try again when it has finished.")
        with db.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, 'rebuild started')",
                         (SEARCH_REBUILD_KEY,))
            for table in TABLES:
                conn.execute(f"DROP TABLE IF EXISTS {table}{SHADOW}")
                conn.execute(f"CREATE VIRTUAL TABLE {table}{SHADOW} USING fts5({FTS_COLUMNS})")
            # Articles stored from now on are written into the shadow by their writers.
            last_id = conn.execute("SELECT COALESCE(MAX(id), 0) FROM articles").fetchone()[0]
        counts = {"articles": _fill_articles(db, last_id, batch_size, progress),
                  "incidents": _fill_incidents(db, batch_size)}
        for table in TABLES:
            _merge(db, table + SHADOW)
        with db.transaction() as conn:
            for table in TABLES:
                conn.execute(f"DROP TABLE {table}")
                conn.execute(f"ALTER TABLE {table}{SHADOW} RENAME TO {table}")
            conn.execute("DELETE FROM meta WHERE key = ?", (SEARCH_REBUILD_KEY,))
    if progress:
        progress(f"incidents: {counts['incidents']} indexed")
    log.info("search index rebuilt: %s", counts)
    return counts


def _fill_articles(db: Database, last_id: int, batch_size: int,
                   progress: Callable[[str], None] | None) -> int:
    """Index the articles up to `last_id` (the newer ones have their entries already).

    Each batch is read and normalised without the write lock, then written in one short
    transaction, skipping any article a writer changed meanwhile (it wrote its own entry).
    """
    done, last = 0, 0
    while True:
        with db.read() as conn:
            rows = conn.execute(
                "SELECT a.id, a.current_version, a.title, v.text FROM articles a "
                "JOIN article_versions v ON v.article_id = a.id AND v.version = a.current_version "
                "WHERE a.id > ? AND a.id <= ? ORDER BY a.id LIMIT ?",
                (last, last_id, batch_size)).fetchall()
        if not rows:
            return done
        entries = [(article_id, version, normalize_text(title), normalize_text(text))
                   for article_id, version, title, text in rows]
        done += len(rows)
        last = rows[-1][0]
        if progress:
            progress(f"articles: {done} normalised")
        with db.transaction() as conn:
            current = dict(conn.execute(
                "SELECT id, current_version FROM articles WHERE id BETWEEN ? AND ?",
                (rows[0][0], rows[-1][0])).fetchall())
            for article_id, version, title, body in entries:
                if current.get(article_id) == version:
                    _put(conn, [f"article_fts{SHADOW}"], article_id, title, body)


def _fill_incidents(db: Database, batch_size: int) -> int:
    done, last = 0, ""
    while True:
        with db.transaction() as conn:
            rows = conn.execute("SELECT id, data FROM incidents WHERE id > ? ORDER BY id LIMIT ?",
                                (last, batch_size)).fetchall()
            for incident_id, data_json in rows:
                data = json.loads(data_json)
                _put(conn, [f"incident_fts{SHADOW}"], *_incident_entry(
                    conn, incident_id, data.get("title") or "", data.get("vendors") or [],
                    data.get("affected") or []))
        if not rows:
            return done
        done += len(rows)
        last = rows[-1][0]


def _merge(db: Database, table: str) -> None:
    """Merge a freshly filled table's segments a few pages at a time (short transactions)."""
    while True:
        with db.transaction() as conn:
            before = conn.total_changes
            conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('merge', ?)",
                         (MERGE_PAGES,))
            if conn.total_changes - before < 2:  # no more work (FTS5's documented test)
                return
