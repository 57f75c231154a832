"""Fixtures of the store tests: a loopback server answering as Elasticsearch, and the search
backends a store can be searched through."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from pannes.store import open_store
from pannes.store.backends import SQLiteSearch
from pannes.store.base import SearchBackend
from pannes.store.sqlite import SQLiteStore

from pannes.config import ElasticSettings
from tests.store.contract.corpus import fill
from tests.store.fake_elasticsearch import FakeElasticsearch

ES_VARIABLES = ("PANNES_SEARCH_BACKEND", "PANNES_ES_URL", "PANNES_ES_API_KEY",
                "PANNES_ES_USERNAME", "PANNES_ES_PASSWORD", "PANNES_ES_INDEX_PREFIX",
                "PANNES_ES_CA_CERTS")


@pytest.fixture
def no_config(tmp_path, monkeypatch):
    """Settings from defaults only: an empty config file, no search settings in the
    environment (set the ones a test needs on the returned monkeypatch)."""
    config = tmp_path / "none.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("PANNES_CONFIG", str(config))
    for var in ES_VARIABLES:
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


@pytest.fixture
def es():
    server = FakeElasticsearch()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def contract_store(tmp_path_factory):
    """One store holding the contract corpus (tests/store/contract/corpus.py) for the whole
    run, and its ids by corpus key: for tests that only read."""
    store = open_store(tmp_path_factory.mktemp("contract") / "contract.db")
    ids = fill(store)
    yield store, ids
    store.close()


@pytest.fixture(params=["sqlite", "elasticsearch-standin"])
def searcher(request) -> Callable[[SQLiteStore], SearchBackend]:
    """`searcher(store)`: the store's own search, or the Elasticsearch backend filled from
    the store on the loopback stand-in (which runs the bodies the backend sends)."""
    if request.param == "sqlite":
        return SQLiteSearch
    from pannes.store.elastic import ElasticsearchBackend

    server = request.getfixturevalue("es")

    def _elastic(store: SQLiteStore) -> SearchBackend:
        backend = ElasticsearchBackend(ElasticSettings(url=server.url, index_prefix="essai"))
        backend.reindex(store)
        request.addfinalizer(backend.close)
        return backend

    return _elastic
