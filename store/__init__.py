"""The store: keeps raw pages, articles, tags, incidents and corrections, and searches them.

`open_store` gives the embedded SQLite store; Elasticsearch (store.elastic) is an alternative
search index for large collections, imported only when configured.
"""

from __future__ import annotations

from pathlib import Path

from pannes.store.sqlite import SQLiteStore

__all__ = ["SQLiteStore", "open_store"]


def open_store(path: Path | str, *, create: bool = True) -> SQLiteStore:
    """Open (and create or migrate) the SQLite store at `path`; `create=False` wants it to exist."""
    return SQLiteStore(path, create=create)
