"""The store: keeps raw pages, articles, tags, incidents and corrections, and searches them.

`open_store` gives the embedded SQLite store; Elasticsearch (store.elastic) is an alternative
search index for large collections, imported only when configured. `Store` (store.protocol)
is what the incidents stage needs of a store.
"""

from __future__ import annotations

from pathlib import Path

from pannes.store.sqlite import SQLiteStore

__all__ = ["SQLiteStore", "open_store"]


def open_store(path: Path | str, *, create: bool = True, read_only: bool = False) -> SQLiteStore:
    """Open (and create or migrate) the SQLite store at `path`; `create=False` wants it to
    exist; `read_only=True` reads through read-only connections (one per thread)."""
    return SQLiteStore(path, create=create, read_only=read_only)
