"""A loopback HTTP server answering as Elasticsearch does, for the backend's tests.

It keeps index templates, indices, aliases and documents in memory and answers errors (401,
403, 429, 503, wrong product, wrong client version, documents refused by the mapping) with
Elasticsearch's bodies; like Elasticsearch 8+, it refuses to delete indices by wildcard. A new
index takes the mapping and analysis of the template whose patterns match its name, and
`_search` runs the query it is sent against them (tests/store/fake_es_search.py).
"""

from __future__ import annotations

import fnmatch
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from pannes.store.elastic_mapping import MAPPING_VERSION

from tests.store.fake_es_search import Index, QueryError, search


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
        self.refuse_ids: set[str] = set()  # documents refused every time (a mapping error)
        self.outdated: set[str] = set()  # indices built by an older pannes mapping

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def aliases(self, alias: str) -> list[str]:
        return sorted(n for n, i in self.indices.items() if alias in i["aliases"])

    def resolve(self, name: str) -> list[str]:
        if name in self.indices:
            return [name]
        return self.aliases(name) or sorted(fnmatch.filter(self.indices, name))

    def template_for(self, index: str) -> dict[str, Any]:
        """The mappings and settings a new index takes from the matching template."""
        for template in self.templates.values():
            if any(fnmatch.fnmatch(index, p) for p in template.get("index_patterns", [])):
                return template.get("template", {})
        return {}

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
            if method == "DELETE":
                srv.templates.pop(parts[1], None)
            else:
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
                template = srv.template_for(name)
                srv.indices[name] = {"aliases": set((body or {}).get("aliases") or {}),
                                     "docs": {}, "settings": (body or {}).get("settings"),
                                     "template": template}
                return self._send(200, {"acknowledged": True, "index": name})
            if method == "DELETE":
                names = name.split(",")
                if any("*" in n or n == "_all" for n in names):  # destructive_requires_name
                    return self._send(400, es_error(
                        400, "illegal_argument_exception",
                        "Wildcard expressions or all indices are not allowed"))
                if any(n not in srv.indices for n in names):
                    return self._send(404, es_error(404, "index_not_found_exception",
                                                    f"no such index [{name}]"))
                for n in names:
                    srv.indices.pop(n)
                return self._send(200, {"acknowledged": True})
            return self._send(200, {n: {} for n in srv.resolve(name)})
        targets = srv.resolve(name)
        if not targets:
            return self._send(404, es_error(404, "index_not_found_exception",
                                            f"no such index [{name}]"))
        if parts[1] == "_mapping":
            return self._send(200, {n: {"mappings": {"_meta": {
                "pannes_mapping_version": MAPPING_VERSION - (n in srv.outdated)}}}
                for n in targets})
        if parts[1] in {"_settings", "_refresh"}:
            return self._send(200, {"acknowledged": True})
        if parts[1] == "_search":
            return self._search(targets, body or {})
        return self._send(400, es_error(400, "illegal_argument_exception", path))

    def _search(self, targets: list[str], body: dict[str, Any]) -> None:
        indices = []
        for name in targets:
            index = self.server.indices[name]
            template = index.get("template") or {}
            indices.append(Index(index["docs"], template.get("mappings"),
                                 template.get("settings")))
        try:
            return self._send(200, search(indices, body))
        except QueryError as exc:
            return self._send(400, es_error(400, "parsing_exception", str(exc)))

    def _bulk(self, lines: list[dict[str, Any]]) -> None:
        srv = self.server
        items = []
        lines = list(lines)
        while lines:
            (op, meta), = lines.pop(0).items()
            source = lines.pop(0) if op in {"index", "create", "update"} else None
            item = {"_index": meta["_index"], "_id": meta["_id"]}
            if srv.reject_bulk_items > 0:
                srv.reject_bulk_items -= 1
                items.append({op: {**item, "status": 429, "error": es_error(
                    429, "es_rejected_execution_exception", "rejected execution")["error"]}})
                continue
            if meta["_id"] in srv.refuse_ids:
                items.append({op: {**item, "status": 400, "error": es_error(
                    400, "document_parsing_exception",
                    "[1:42] failed to parse field [published] of type [date]")["error"]}})
                continue
            target = srv.resolve(meta["_index"])[0]  # an alias writes to its one index
            docs = srv.indices[target]["docs"]
            if op == "delete":
                found = docs.pop(meta["_id"], None) is not None
                items.append({op: {**item, "status": 200 if found else 404,
                                   "result": "deleted" if found else "not_found"}})
                continue
            docs[meta["_id"]] = source
            items.append({op: {**item, "status": 201, "result": "created"}})
        errors = any(next(iter(i.values()))["status"] >= 300 for i in items)
        self._send(200, {"took": 1, "errors": errors, "items": items})

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _route
