"""The search contract runs on every backend: SQLite always, Elasticsearch when configured.

Without an Elasticsearch, the Elasticsearch backend still runs the contract against the
loopback stand-in (tests/store/fake_elasticsearch.py), which runs the bodies the backend sends
(bool queries, filters, sorts, aggregations, highlights) with the index template's analysis:
what it checks is the backend's translation of each query, not Elasticsearch itself.
"""

from __future__ import annotations

import os
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from pannes.store.backends import SQLiteSearch
from pannes.store.base import SearchBackend

from pannes.config import load_settings
from pannes.records import SearchFilters, SearchQuery, SearchResult
from tests.store.contract.cleanup import drop_indices
from tests.store.fake_elasticsearch import FakeElasticsearch

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


def _elastic(store, ids, env):
    from pannes.store.elastic import ElasticsearchBackend

    prefix = f"pannes-contract-{uuid.uuid4().hex[:8]}"
    settings = load_settings(env=env, overrides={"elasticsearch": {"index_prefix": prefix}})
    backend = ElasticsearchBackend(settings.elasticsearch)
    backend.reindex(store)
    try:
        yield Contract(backend, ids)
    finally:
        drop_indices(backend.client, prefix)
        backend.close()


@pytest.fixture(scope="session", params=["sqlite", "elasticsearch-standin",
                                         pytest.param("elasticsearch",
                                                      marks=pytest.mark.elasticsearch)])
def contract(request, contract_store):
    store, ids = contract_store
    if request.param == "sqlite":
        yield Contract(SQLiteSearch(store), ids)
        return
    if request.param == "elasticsearch-standin":
        server = FakeElasticsearch()
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        try:
            yield from _elastic(store, ids, {"PANNES_SEARCH_BACKEND": "elasticsearch",
                                             "PANNES_ES_URL": server.url})
        finally:
            server.shutdown()
            server.server_close()
        return
    if not os.environ.get("PANNES_ES_URL"):
        pytest.skip(ES_SKIP_REASON)
    yield from _elastic(store, ids, os.environ)
