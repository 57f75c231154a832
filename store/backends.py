"""Choose the search backend from the settings: the one place the CLI and dashboard ask.

    backend = open_search(settings, store)          # as configured (search_backend)
    backend = open_search(settings, store, backend="elasticsearch")   # e.g. for reindex
    result = backend.search(SearchQuery(text="panne orange", facets=["vendor"]))
    report = sync_search_index(settings, store)     # after crawl/tag/group (`pannes update`)

SQLite is always the system of record; its FTS5 index is kept in sync by the store itself.
Elasticsearch is imported only when chosen, and brought up to date by `sync_search_index`
from the time of its last successful sync, which the SQLite store remembers.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pannes.store.base import Progress, SearchBackend, SearchSource, SyncReport

from pannes.config import ElasticSettings, Settings
from pannes.errors import ConfigError
from pannes.records import SearchQuery, SearchResult

if TYPE_CHECKING:
    from pannes.store.sqlite import SQLiteStore

BACKENDS = ("sqlite", "elasticsearch")


class SQLiteSearch:
    """The store's own FTS5 index as a `SearchBackend`."""

    name = "sqlite"

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store

    def search(self, query: SearchQuery) -> SearchResult:
        return self.store.search(query)

    def reindex(self, source: SearchSource, *, progress: Progress | None = None,
                since: datetime | None = None) -> dict[str, int]:
        """Re-normalise the FTS5 tables from the stored texts (`since` is ignored)."""
        return self.store.rebuild_search_index(progress=progress)

    def close(self) -> None:
        """The store belongs to the caller: nothing to close here."""


def open_search(settings: Settings, sqlite_store: SQLiteStore, *,
                backend: str | None = None) -> SearchBackend:
    """The configured search backend (or `backend`), searching what `sqlite_store` holds."""
    name = (backend or settings.search_backend or "sqlite").lower()
    if name == "sqlite":
        return SQLiteSearch(sqlite_store)
    if name == "elasticsearch":
        from pannes.store.elastic import ElasticsearchBackend

        return ElasticsearchBackend.from_settings(settings.elasticsearch)
    raise ConfigError(f"Unknown search backend {name!r}: use one of {', '.join(BACKENDS)}.")


def sync_key(settings: ElasticSettings) -> str:
    """The store's meta key holding when this cluster's indices (prefix) were last synced."""
    parts = urlsplit(settings.url)
    where = f"{parts.hostname}:{parts.port or ''}{parts.path.rstrip('/')}"  # no credentials
    return f"elasticsearch_synced_at {where}/{settings.index_prefix or 'pannes'}"


def last_sync(settings: Settings, store: SQLiteStore) -> datetime | None:
    """When the Elasticsearch indices were last brought up to date (None: never)."""
    value = store.get_meta(sync_key(settings.elasticsearch))
    return datetime.fromisoformat(value) if value else None


def remember_sync(settings: Settings, store: SQLiteStore, started: datetime) -> None:
    """Record a successful sync that read the store from `started` on."""
    store.set_meta(sync_key(settings.elasticsearch),
                   started.astimezone(UTC).isoformat(timespec="seconds"))


def sync_search_index(settings: Settings, store: SQLiteStore, *,
                      progress: Progress | None = None) -> SyncReport | None:
    """Bring the configured external search index up to date (None: SQLite, always in sync).

    Elasticsearch gets what changed since its last successful sync (everything the first
    time) and loses the incidents the store no longer has; the sync time is recorded only
    when every document was accepted, so what a failed sync missed is sent next time.
    """
    if (settings.search_backend or "sqlite").lower() != "elasticsearch":
        return None
    from pannes.store.elastic import ElasticsearchBackend

    backend = ElasticsearchBackend.from_settings(settings.elasticsearch)
    try:
        started = datetime.now(UTC)
        report = backend.sync(store, since=last_sync(settings, store), progress=progress)
    finally:
        backend.close()
    remember_sync(settings, store, started)
    return report
