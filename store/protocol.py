"""What the incidents stage needs of a store: a typed interface, met by `SQLiteStore`.

The incidents stage (grouping, corrections, exports, feeds, reliability figures) is written
against this Protocol, not against the SQLite store, so the layers stay one-way and a type
checker sees every call.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Any, Protocol

from pannes.records import (
    Article,
    Correction,
    Incident,
    SearchQuery,
    SearchResult,
    TaggedArticle,
    Tags,
)


class Store(Protocol):
    """Articles and their tags, incidents, corrections, figures and search."""

    def transaction(self) -> AbstractContextManager[None]:
        """One write transaction (BEGIN IMMEDIATE) around several calls."""
        ...

    # articles and tags
    def get_article(self, article_id: int, version: int | None = None) -> Article | None: ...
    def iter_articles(self, *, batch_size: int = 500) -> Iterator[Article]: ...
    def get_tags(self, article_id: int) -> Tags | None: ...
    def corrected_tags(self, article_id: int) -> Tags | None: ...
    def iter_tagged(self, *, outage_only: bool = True,
                    batch_size: int = 500) -> Iterator[TaggedArticle]: ...

    # incidents
    def get_incident(self, incident_id: str) -> Incident | None: ...
    def list_incidents(self, *, since: date | None = None, until: date | None = None,
                       vendor: str | None = None, limit: int | None = None, offset: int = 0,
                       newest_first: bool = True) -> list[Incident]: ...
    def incident_of_article(self, article_id: int) -> str | None: ...
    def save_incident(self, incident: Incident) -> None: ...
    def save_incidents(self, incidents: Sequence[Incident], *,
                       delete_ids: Sequence[str] = ()) -> None: ...

    # corrections
    def add_correction(self, correction: Correction) -> int: ...
    def corrections(self, target: str | None = None,
                    target_id: str | None = None) -> list[Correction]: ...

    # figures and feeds
    def incident_vendors(self) -> list[tuple[str, int]]: ...
    def vendor_groups(self) -> dict[str, str]: ...
    def top_vendors(self, limit: int | None = None, *, since: date | None = None,
                    until: date | None = None, include_mentioned: bool = True,
                    by_group: bool = False) -> list[tuple[str, int]]: ...
    def vendor_stats(self, vendors: list[str] | None = None, *, since: date | None = None,
                     until: date | None = None, include_mentioned: bool = True,
                     by_group: bool = False) -> list[dict[str, Any]]: ...
    def vendor_breakdown(self, by: str, vendors: list[str] | None = None, *,
                         since: date | None = None, until: date | None = None,
                         include_mentioned: bool = True,
                         by_group: bool = False) -> dict[str, list[tuple[str, int]]]: ...
    def incident_times(self, incident_ids: list[str]) -> dict[str, tuple[datetime, datetime]]: ...
    def recent_incident_ids(self, *, limit: int = 50, vendors: list[str] | None = None,
                            impact: list[str] | None = None,
                            among: list[str] | None = None) -> list[str]: ...

    # search
    def search(self, query: SearchQuery) -> SearchResult: ...
