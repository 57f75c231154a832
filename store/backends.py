"""Choose the search backend from the settings: the one place the CLI and dashboard ask.

    backend = open_search(settings, store)          # as configured (search_backend)
    backend = open_search(settings, store, backend="elasticsearch")   # e.g. for reindex
    result = backend.search(SearchQuery(text="panne orange", facets=["vendor"]))

SQLite is always the system of record; its FTS5 index is kept in sync by the store itself.
Elasticsearch is imported only when chosen.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from pannes.config import Settings
from pannes.errors import ConfigError
from pannes.records import SearchQuery, SearchResult
from store.base import Progress, SearchBackend, SearchSource

if TYPE_CHECKING:
    from store.sqlite import SQLiteStore

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
        from store.elastic import ElasticsearchBackend

        return ElasticsearchBackend.from_settings(settings.elasticsearch)
    raise ConfigError(f"Unknown search backend {name!r}: use one of {', '.join(BACKENDS)}.")
