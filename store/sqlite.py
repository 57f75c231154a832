"""The embedded store: one SQLite file (WAL, foreign keys, FTS5) holding everything.

`SQLiteStore` is one object made of parts, one per concern and module, sharing one
`Database` (store.connection):

    store.articles      articles, versions, raw pages, tags      (sqlite_articles)
    store.crawl_log     crawl runs and fetch state                (sqlite_crawl)
    store.incidents     incidents and their members               (sqlite_incidents)
    store.figures       incidents counted per vendor, feeds       (sqlite_incidents)
    store.edits         editors' corrections                      (sqlite_corrections)
    store.index         full-text search, documents for Elasticsearch (sqlite_search)

Each part's methods are also the store's own (`store.upsert_article` is
`store.articles.upsert_article`), which is the interface the stages use.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pannes.store.connection import Database
from pannes.store.fts_index import rebuild, rebuild_due
from pannes.store.sqlite_articles import Articles
from pannes.store.sqlite_corrections import Corrections
from pannes.store.sqlite_crawl import CrawlLog
from pannes.store.sqlite_incidents import IncidentFigures, Incidents
from pannes.store.sqlite_search import SearchIndex

from pannes.errors import StoreError

log = logging.getLogger(__name__)

class SQLiteStore:
    """All of pannes' data in one SQLite file; safe to share between threads.

    `read_only=True` reads through one read-only connection per thread (the dashboard);
    any write then raises `StoreError`.
    """

    def __init__(self, path: Path | str, *, create: bool = True, read_only: bool = False) -> None:
        self.db = Database(path, create=create, read_only=read_only)
        self.path = self.db.path
        if not read_only and rebuild_due(self.db):
            try:
                rebuild(self.db)  # left due by a migration or an interrupted rebuild
            except StoreError as exc:  # another process is on it
                log.info("search index not rebuilt now: %s", exc)

        self.articles = Articles(self.db)
        self.upsert_article = self.articles.upsert_article
        self.get_article = self.articles.get_article
        self.find_article = self.articles.find_article
        self.article_versions = self.articles.article_versions
        self.article_aliases = self.articles.article_aliases
        self.raw_page = self.articles.raw_page
        self.count_articles = self.articles.count_articles
        self.iter_articles = self.articles.iter_articles
        self.articles_to_tag = self.articles.articles_to_tag
        self.save_tags = self.articles.save_tags
        self.get_tags = self.articles.get_tags
        self.corrected_tags = self.articles.corrected_tags
        self.iter_tagged = self.articles.iter_tagged
        self.article_texts = self.articles.article_texts
        self.tagged_articles = self.articles.tagged_articles
        self.grouping_states = self.articles.grouping_states
        self.tag_counts = self.articles.tag_counts

        self.crawl_log = CrawlLog(self.db)
        self.start_crawl_run = self.crawl_log.start_crawl_run
        self.update_crawl_run = self.crawl_log.update_crawl_run
        self.crawl_runs = self.crawl_log.crawl_runs
        self.close_stale_crawl_runs = self.crawl_log.close_stale_crawl_runs
        self.get_fetch_state = self.crawl_log.get_fetch_state
        self.set_fetch_state = self.crawl_log.set_fetch_state
        self.source_counts = self.crawl_log.source_counts

        self.incidents = Incidents(self.db)
        self.save_incident = self.incidents.save_incident
        self.save_incidents = self.incidents.save_incidents
        self.get_incident = self.incidents.get_incident
        self.list_incidents = self.incidents.list_incidents
        self.count_incidents = self.incidents.count_incidents
        self.incident_of_article = self.incidents.incident_of_article

        self.figures = IncidentFigures(self.db)
        self.incident_vendors = self.figures.incident_vendors
        self.vendor_groups = self.figures.vendor_groups
        self.top_vendors = self.figures.top_vendors
        self.vendor_stats = self.figures.vendor_stats
        self.vendor_breakdown = self.figures.vendor_breakdown
        self.incident_times = self.figures.incident_times
        self.recent_incident_ids = self.figures.recent_incident_ids

        self.edits = Corrections(self.db)
        self.add_correction = self.edits.add_correction
        self.corrections = self.edits.corrections

        self.index = SearchIndex(self.db)
        self.search = self.index.search
        self.rebuild_search_index = self.index.rebuild_search_index
        self.count_search_documents = self.index.count_search_documents
        self.search_document_ids = self.index.search_document_ids
        self.iter_search_documents = self.index.iter_search_documents

    # ------------------------------------------------------------------ the store itself

    @property
    def schema_version(self) -> int:
        return self.db.schema_version

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run several store calls as one write transaction (BEGIN IMMEDIATE).

        It takes the database's write lock before its first read, so nothing read inside can
        change before the writes inside land: `with store.transaction(): read, compute,
        write`. Other writers wait; readers (WAL) see the state before it until it commits.
        """
        with self.db.transaction():
            yield

    def get_meta(self, key: str) -> str | None:
        """A value kept in the store's key-value table (None when never set)."""
        with self.db.read() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row is not None else None

    def set_meta(self, key: str, value: str) -> None:
        with self.db.transaction() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) "
                         "DO UPDATE SET value = excluded.value", (key, value))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = ", read_only" if self.db.read_only else ""
        return f"SQLiteStore({str(self.path)!r}{mode})"
