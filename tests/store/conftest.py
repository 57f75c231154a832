"""Fixtures of the store tests: a loopback server answering as Elasticsearch."""

from __future__ import annotations

import threading

import pytest

from tests.store.fake_elasticsearch import FakeElasticsearch


@pytest.fixture
def es():
    server = FakeElasticsearch()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
