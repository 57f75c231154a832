"""What every search backend promises, and the query checks they share.

`SearchBackend` is the one interface the CLI and the dashboard use: SQLite FTS5 (the default,
kept in sync by the store) and Elasticsearch (scale-out, filled by `pannes reindex`) both
implement it. `SearchSource` is what an external index is filled from (the SQLite store).
`prepare` reads a `SearchQuery` once so both backends agree on pages, limits and messages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol, runtime_checkable

from pannes.store.fts import ParsedQuery, parse_query

from pannes.records import SearchQuery, SearchResult

# Facets every backend computes: counts of matching documents by value.
LABEL_FACETS = ("vendor", "affected", "impact", "cause", "region")
FACETS = (*LABEL_FACETS, "source", "month")
FACET_SIZE = 50  # values per label facet (months: all)
MAX_PER_PAGE = 200
MAX_RESULT_WINDOW = 10_000  # as Elasticsearch's index.max_result_window

DocumentKind = Literal["articles", "incidents"]
Progress = Callable[[str], None]


@runtime_checkable
class SearchBackend(Protocol):
    """A search index over articles and incidents: one query in, one page of results out."""

    name: str

    def search(self, query: SearchQuery) -> SearchResult:
        """Hits, total, facets and snippets for `query`; odd queries give `message`, not errors."""
        ...

    def reindex(self, source: SearchSource, *, progress: Progress | None = None,
                since: datetime | None = None) -> dict[str, int]:
        """Copy (or rebuild) the index from the system of record; counts per kind."""
        ...

    def close(self) -> None:
        ...


class SearchSource(Protocol):
    """The system of record an index is built from (the SQLite store)."""

    def iter_search_documents(self, kind: DocumentKind, *, since: datetime | None = None,
                              batch_size: int = 500) -> Iterator[dict[str, Any]]:
        """Backend-neutral documents (see store.sqlite_search) for articles or incidents."""
        ...

    def count_search_documents(self, kind: DocumentKind, *, since: datetime | None = None) -> int:
        ...

    def search_document_ids(self, kind: DocumentKind) -> set[str]:
        """The ids of every document of `kind` (to find what an index holds in excess)."""
        ...


@dataclass(frozen=True)
class SyncReport:
    """What bringing an external index up to date with the store did."""

    backend: str
    articles: int  # documents sent
    incidents: int
    deleted: int = 0  # incidents gone from the store, deleted from the index
    full: bool = False  # everything was copied (first sync, or the index was missing)

    def summary(self) -> str:
        how = "full reindex" if self.full else "updated"
        return (f"{self.backend} {how}: {self.articles} articles and {self.incidents} incidents "
                f"sent, {self.deleted} removed incidents deleted")


@dataclass(frozen=True)
class PreparedQuery:
    """A `SearchQuery` checked once: parsed text, bounded page, wanted facets, or why no hits."""

    query: SearchQuery
    parsed: ParsedQuery
    page: int
    per_page: int
    offset: int
    facets: tuple[str, ...]
    sort: str  # "relevance" (only with text), "date" or "date_asc"
    empty_reason: str | None = None  # set when nothing can match: say why
    notes: tuple[str, ...] = ()

    @property
    def message(self) -> str | None:
        parts = ([self.empty_reason] if self.empty_reason else []) + list(self.notes)
        return " ".join(parts) if parts else None

    def empty_result(self) -> SearchResult:
        return SearchResult(total=0, hits=[], facets={f: [] for f in self.facets},
                            page=self.page, per_page=self.per_page, message=self.message)


def prepare(query: SearchQuery) -> PreparedQuery:
    """Check a query the same way for every backend."""
    parsed = parse_query(query.text)
    per_page = max(1, min(int(query.per_page or 20), MAX_PER_PAGE))
    page = max(1, int(query.page or 1))
    notes = list(parsed.notes)
    empty_reason = parsed.error
    last_page = max(1, MAX_RESULT_WINDOW // per_page)
    if page > last_page:
        page = last_page
        notes.append(f"Seuls les {MAX_RESULT_WINDOW} premiers résultats peuvent être parcourus : "
                     "affinez la recherche avec des filtres.")
    f = query.filters
    if f.date_from and f.date_to and f.date_from > f.date_to:
        empty_reason = empty_reason or "La date de début est postérieure à la date de fin."
    if f.min_hours is not None and f.max_hours is not None and f.min_hours > f.max_hours:
        empty_reason = empty_reason or "La durée minimale dépasse la durée maximale."
    facets = tuple(dict.fromkeys(name for name in query.facets if name in FACETS))
    sort = query.sort if query.sort in {"date", "date_asc"} else "relevance"
    if sort == "relevance" and not parsed.has_text:
        sort = "date"
    return PreparedQuery(query=query, parsed=parsed, page=page, per_page=per_page,
                         offset=(page - 1) * per_page, facets=facets, sort=sort,
                         empty_reason=empty_reason, notes=tuple(notes))
