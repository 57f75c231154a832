"""The search contract runs on every backend: SQLite always, Elasticsearch when configured."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from pannes.store import open_store
from pannes.store.backends import SQLiteSearch
from pannes.store.base import SearchBackend

from pannes.config import load_settings
from pannes.records import SearchFilters, SearchQuery, SearchResult
from tests.store.contract.cleanup import drop_indices
from tests.store.contract.corpus import fill

ES_SKIP_REASON = "PANNES_ES_URL not set: Elasticsearch contract tests skipped"


@dataclass
class Contract:
    """A backend filled with the contract corpus, and helpers speaking in corpus keys."""

    backend: SearchBackend
    ids: dict[str, str]
    keys_by_id: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.keys_by_id = {v: k for k, v in self.ids.items()}

    def search(self, text: str = "", *, kind: str = "articles", **options: Any) -> SearchResult:
        filters = options.pop("filters", None) or SearchFilters()
        options.setdefault("per_page", 50)
        return self.backend.search(SearchQuery(text=text, filters=filters, kind=kind, **options))

    def keys(self, text: str = "", **options: Any) -> set[str]:
        return {self.keys_by_id[h.id] for h in self.search(text, **options).hits}

    def ordered(self, text: str = "", **options: Any) -> list[str]:
        return [self.keys_by_id[h.id] for h in self.search(text, **options).hits]


@pytest.fixture(scope="session")
def contract_store(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("contract") / "contract.db")
    ids = fill(store)
    yield store, ids
    store.close()


def _elastic(store, ids):
    from pannes.store.elastic import ElasticsearchBackend

    prefix = f"pannes-contract-{uuid.uuid4().hex[:8]}"
    settings = load_settings(env=os.environ, overrides={"elasticsearch": {"index_prefix": prefix}})
    backend = ElasticsearchBackend(settings.elasticsearch)
    backend.reindex(store)
    try:
        yield Contract(backend, ids)
    finally:
        drop_indices(backend.client, prefix)
        backend.close()


@pytest.fixture(scope="session", params=["sqlite", pytest.param("elasticsearch",
                                                                 marks=pytest.mark.elasticsearch)])
def contract(request, contract_store):
    store, ids = contract_store
    if request.param == "sqlite":
        yield Contract(SQLiteSearch(store), ids)
        return
    if not os.environ.get("PANNES_ES_URL"):
        pytest.skip(ES_SKIP_REASON)
    yield from _elastic(store, ids)
