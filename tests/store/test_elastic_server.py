"""The Elasticsearch backend against a local HTTP server answering as Elasticsearch does.

No Elasticsearch runs here: a real `elasticsearch.Elasticsearch` client talks to a small
loopback server that keeps indices, aliases and documents in memory and answers errors
(401, 403, 429, 503, wrong product, wrong client version) with Elasticsearch's bodies.
"""

from __future__ import annotations

import fnmatch
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from pannes.config import ElasticSettings
from pannes.errors import ConfigError, NetworkError
from pannes.records import SearchQuery
from store.elastic import ElasticsearchBackend, bulk_actions
from store.elastic_mapping import MAPPING_VERSION
from tests.store.contract.corpus import fill


def es_error(status: int, kind: str, reason: str) -> dict[str, Any]:
    return {"error": {"root_cause": [{"type": kind, "reason": reason}], "type": kind,
                      "reason": reason}, "status": status}


class FakeElasticsearch(ThreadingHTTPServer):
    """Indices, aliases and documents in memory; `fail` forces an error answer."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, str, Any]] = []
        self.auth: list[str | None] = []  # Authorization header of each request
        self.templates: dict[str, Any] = {}
        self.indices: dict[str, dict[str, Any]] = {}  # name -> {"aliases", "docs", "settings"}
        self.fail: tuple[int, dict[str, Any]] | None = None
        self.product_header = True
        self.reject_bulk_items = 0  # answer 429 for this many bulk items, then accept

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def aliases(self, alias: str) -> list[str]:
        return sorted(n for n, i in self.indices.items() if alias in i["aliases"])

    def resolve(self, name: str) -> list[str]:
        if name in self.indices:
            return [name]
        return self.aliases(name) or sorted(fnmatch.filter(self.indices, name))

    def paths(self) -> list[str]:
        return [f"{method} {path}" for method, path, _ in self.requests]


class _Handler(BaseHTTPRequestHandler):
    server: FakeElasticsearch

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: Any = None) -> None:
        payload = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if self.server.product_header:
            self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return None
        if "/_bulk" in self.path:
            return [json.loads(line) for line in raw.decode().splitlines() if line.strip()]
        return json.loads(raw)

    def _route(self) -> None:
        srv = self.server
        path = unquote(urlsplit(self.path).path)
        body = self._body()
        srv.requests.append((self.command, path, body))
        srv.auth.append(self.headers.get("Authorization"))
        if srv.fail is not None:
            return self._send(*srv.fail)
        parts = [p for p in path.split("/") if p]
        method = self.command
        if parts[:1] == ["_index_template"]:
            srv.templates[parts[1]] = body
            return self._send(200, {"acknowledged": True})
        if parts[:1] == ["_alias"]:
            names = srv.aliases(parts[1])
            if not names:
                return self._send(404, es_error(404, "aliases_not_found_exception",
                                                f"aliases [{parts[1]}] missing"))
            return self._send(200, {n: {"aliases": {parts[1]: {}}} for n in names})
        if parts == ["_aliases"]:
            for action in body["actions"]:
                (op, spec), = action.items()
                aliases = srv.indices[spec["index"]]["aliases"]
                aliases.add(spec["alias"]) if op == "add" else aliases.discard(spec["alias"])
            return self._send(200, {"acknowledged": True})
        if parts == ["_bulk"]:
            return self._bulk(body)
        name = parts[0]
        if len(parts) == 1:
            if method == "HEAD":
                return self._send(200 if name in srv.indices else 404)
            if method == "PUT":
                srv.indices[name] = {"aliases": set((body or {}).get("aliases") or {}),
                                     "docs": {}, "settings": (body or {}).get("settings")}
                return self._send(200, {"acknowledged": True, "index": name})
            if method == "DELETE":
                srv.indices.pop(name, None)
                return self._send(200, {"acknowledged": True})
            return self._send(200, {n: {} for n in srv.resolve(name)})
        targets = srv.resolve(name)
        if not targets:
            return self._send(404, es_error(404, "index_not_found_exception",
                                            f"no such index [{name}]"))
        if parts[1] == "_mapping":
            return self._send(200, {n: {"mappings": {"_meta": {
                "pannes_mapping_version": MAPPING_VERSION}}} for n in targets})
        if parts[1] in {"_settings", "_refresh"}:
            return self._send(200, {"acknowledged": True})
        if parts[1] == "_search":
            docs = [d for t in targets for d in srv.indices[t]["docs"].values()]
            hits = [{"_id": d["id"], "_score": 1.0, "_source": d} for d in docs]
            return self._send(200, {"hits": {"total": {"value": len(docs), "relation": "eq"},
                                             "hits": hits[body["from"]:][:body["size"]]}})
        return self._send(400, es_error(400, "illegal_argument_exception", path))

    def _bulk(self, lines: list[dict[str, Any]]) -> None:
        srv = self.server
        items = []
        for action, source in zip(lines[::2], lines[1::2], strict=True):
            meta = action["index"]
            if srv.reject_bulk_items > 0:
                srv.reject_bulk_items -= 1
                items.append({"index": {"_index": meta["_index"], "_id": meta["_id"],
                                        "status": 429, "error": es_error(
                                            429, "es_rejected_execution_exception",
                                            "rejected execution")["error"]}})
                continue
            target = srv.resolve(meta["_index"])[0]  # an alias writes to its one index
            srv.indices[target]["docs"][meta["_id"]] = source
            items.append({"index": {"_index": meta["_index"], "_id": meta["_id"],
                                    "status": 201, "result": "created"}})
        errors = any(i["index"]["status"] >= 300 for i in items)
        self._send(200, {"took": 1, "errors": errors, "items": items})

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _route


@pytest.fixture
def es():
    server = FakeElasticsearch()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def backend_for(url: str, **settings: Any) -> ElasticsearchBackend:
    return ElasticsearchBackend(ElasticSettings(url=url, index_prefix="essai", **settings),
                                bulk_options={"initial_backoff": 0.01, "max_backoff": 0.05,
                                              "chunk_size": 5})


@pytest.fixture
def filled(make_store):
    store = make_store()
    fill(store)
    return store


# ------------------------------------------------------------------------------- setup


def test_setup_creates_template_and_aliased_indices_once(es):
    backend = backend_for(es.url)
    first = backend.setup()
    assert set(first) == {"essai-articles", "essai-incidents"}
    assert es.aliases("essai-articles") == [first["essai-articles"]]
    assert first["essai-articles"].startswith(f"essai-articles-v{MAPPING_VERSION}-")
    template = es.templates["essai-search"]
    assert template["index_patterns"] == ["essai-articles-v*", "essai-incidents-v*"]
    assert template["template"]["mappings"]["dynamic"] == "strict"
    # Again: nothing new is created.
    assert backend.setup() == first
    assert sorted(es.indices) == sorted(first.values())


def test_setup_refuses_an_index_where_the_alias_should_be(es):
    es.indices["essai-articles"] = {"aliases": set(), "docs": {}, "settings": None}
    with pytest.raises(ConfigError, match="where pannes expects an alias"):
        backend_for(es.url).setup()


# ------------------------------------------------------------------------------- reindex


def test_reindex_fills_new_indices_and_swaps_the_aliases(es, filled):
    backend = backend_for(es.url)
    old = backend.setup()
    counts = backend.reindex(filled)
    assert counts == {"articles": 12, "incidents": 4}
    new = es.aliases("essai-articles")
    assert len(new) == 1 and new != [old["essai-articles"]]
    assert old["essai-articles"] not in es.indices  # old index deleted after the swap
    docs = es.indices[new[0]]["docs"]
    assert len(docs) == 12
    doc = next(d for d in docs.values() if d["title"].startswith("Mise à jour"))
    assert doc["vendors"] == ["Monétia"] and doc["num_id"] == int(doc["id"])
    assert doc["body"].startswith("Une mise à jour")
    created = next(b for m, p, b in es.requests if m == "PUT" and p == f"/{new[0]}")
    assert created["settings"] == {"refresh_interval": "-1"}
    assert ("PUT", f"/{new[0]}/_settings", {"index": {"refresh_interval": None}}) in es.requests \
        or ("PUT", f"/{new[0]}/_settings", {"refresh_interval": None}) in es.requests
    # Searches then go through the alias.
    result = backend.search(SearchQuery(text="panne", per_page=50))
    assert result.total == 12
    assert es.paths()[-1] == "POST /essai-articles/_search"


def test_reindex_keep_old(es, filled):
    backend = backend_for(es.url)
    old = backend.setup()
    backend.reindex(filled, keep_old=True)
    assert old["essai-articles"] in es.indices
    assert old["essai-articles"] not in es.aliases("essai-articles")


def test_rejected_bulk_items_are_retried(es, filled):
    es.reject_bulk_items = 7
    counts = backend_for(es.url).reindex(filled)
    assert counts == {"articles": 12, "incidents": 4}
    index = es.aliases("essai-articles")[0]
    assert len(es.indices[index]["docs"]) == 12
    assert sum(1 for p in es.paths() if p.endswith("/_bulk")) > 4  # chunks were sent again


def test_bulk_actions_stream():
    docs = [{"id": "3", "kind": "article", "title": "t", "body": "b", "extra": 1}]
    assert list(bulk_actions("idx", iter(docs))) == [{
        "_op_type": "index", "_index": "idx", "_id": "3",
        "_source": {"id": "3", "kind": "article", "title": "t", "body": "b", "num_id": 3}}]


def test_incremental_reindex_writes_into_the_current_index(es, filled):
    from datetime import datetime, timedelta

    backend = backend_for(es.url)
    backend.reindex(filled)
    index = es.aliases("essai-articles")[0]
    es.requests.clear()
    future = datetime.now() + timedelta(days=1)
    assert backend.reindex(filled, since=future) == {"articles": 0, "incidents": 0}
    assert es.aliases("essai-articles") == [index]
    past = datetime(2000, 1, 1)
    assert backend.reindex(filled, since=past) == {"articles": 12, "incidents": 4}
    bulk = [b for m, p, b in es.requests if p == "/_bulk"]
    targets = {line["index"]["_index"] for b in bulk for line in b[::2]}
    assert targets == {"essai-articles", "essai-incidents"}  # the aliases, not new indices


# ------------------------------------------------------------------------------- errors


def test_unreachable_server(filled):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    backend = backend_for(f"http://127.0.0.1:{port}")
    with pytest.raises(NetworkError, match="unreachable at http://127.0.0.1.*PANNES_ES_URL"):
        backend.search(SearchQuery(text="panne"))
    with pytest.raises(NetworkError, match="unreachable"):
        backend.reindex(filled)


def test_wrong_credentials(es):
    es.fail = (401, es_error(401, "security_exception",
                             "unable to authenticate user [pannes] for REST request"))
    backend = backend_for(es.url, username="pannes", password="faux")
    with pytest.raises(ConfigError, match="refused the credentials.*PANNES_ES_API_KEY"):
        backend.search(SearchQuery(text="panne"))
    assert es.requests  # the request did reach the server


def test_missing_rights(es):
    es.fail = (403, es_error(403, "security_exception", "action [indices:data/read/search] is "
                                                        "unauthorized for user [lecteur]"))
    with pytest.raises(ConfigError, match="Give this user the rights.*essai-\\*"):
        backend_for(es.url, api_key="Y2xlZg==").setup()


def test_unavailable_cluster(es):
    es.fail = (503, es_error(503, "cluster_block_exception", "blocked by: [SERVICE_UNAVAILABLE]"))
    with pytest.raises(NetworkError, match="unavailable \\(503"):
        backend_for(es.url).search(SearchQuery(text="panne"))
    assert len(es.requests) > 1  # the client retried before giving up


def test_search_before_any_reindex(es):
    with pytest.raises(ConfigError, match="pannes reindex --to elasticsearch"):
        backend_for(es.url).search(SearchQuery(text="panne"))


def test_not_elasticsearch(es):
    es.product_header = False
    with pytest.raises(ConfigError, match="does not answer as Elasticsearch"):
        backend_for(es.url).setup()


def test_client_newer_than_server(es):
    es.fail = (400, es_error(400, "media_type_header_exception",
                             "Accept version must be either version 8 or 7, but found 9."))
    with pytest.raises(ConfigError, match="elasticsearch>=8,<9"):
        backend_for(es.url).search(SearchQuery(text="panne"))


@pytest.mark.parametrize("settings, message", [
    ({"url": ""}, "set PANNES_ES_URL"),
    ({"url": "localhost:9200"}, "is not a URL"),
    ({"url": "http://h:9200", "username": "u"}, "needs both PANNES_ES_USERNAME"),
])
def test_misconfiguration_is_caught_before_any_request(settings, message):
    with pytest.raises(ConfigError, match=message):
        ElasticsearchBackend(ElasticSettings(**settings))


def test_credentials_come_from_settings(es):
    backend_for(es.url, api_key="Y2xlZg==").setup()
    assert set(es.auth) == {"ApiKey Y2xlZg=="}
    es.auth.clear()
    backend_for(es.url, username="veille", password="secret").setup()
    assert set(es.auth) == {"Basic dmVpbGxlOnNlY3JldA=="}


def test_odd_queries_do_not_reach_the_server(es):
    result = backend_for(es.url).search(SearchQuery(text="-orange"))
    assert result.total == 0 and "exclusions" in result.message
    assert es.requests == []
