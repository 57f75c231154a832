"""Elasticsearch as the search index for large collections (the only `elasticsearch` import).

SQLite stays the system of record; `reindex` copies articles and incidents (with their tags)
from it into a fresh versioned index, then swaps the alias searches use. Connection and auth
come from `Settings.elasticsearch` (PANNES_ES_URL, PANNES_ES_API_KEY or PANNES_ES_USERNAME /
PANNES_ES_PASSWORD, and `ca_certs` for a cluster with its own CA). Nothing is contacted before
the first call; every server or network problem is raised as a `PannesError` saying how to
fix it.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import elasticsearch
from elasticsearch import Elasticsearch, helpers
from pannes.store.base import DocumentKind, Progress, SearchSource, SyncReport, prepare
from pannes.store.elastic_mapping import (
    KINDS,
    MAPPING_VERSION,
    alias_name,
    index_pattern,
    index_template,
    new_index_name,
    to_source,
)
from pannes.store.elastic_query import parse_response, search_body

from pannes.config import ElasticSettings
from pannes.errors import ConfigError, NetworkError, PannesError, StoreError, UserInputError
from pannes.records import SearchQuery, SearchResult

log = logging.getLogger(__name__)

# Bulk indexing: documents per request, bytes per request, and back-pressure: documents the
# cluster rejects with 429 (queue full) are sent again after 2, 4, 8… seconds (max 60).
BULK_OPTIONS: dict[str, Any] = {
    "chunk_size": 500,
    "max_chunk_bytes": 10 * 1024 * 1024,
    "max_retries": 5,
    "initial_backoff": 2.0,
    "max_backoff": 60.0,
}


def _check_settings(settings: ElasticSettings) -> None:
    if not settings.url:
        raise ConfigError(
            "search_backend is 'elasticsearch' but no server is configured: set PANNES_ES_URL "
            "(e.g. http://localhost:9200) or [elasticsearch] url in the config file.")
    parts = urlsplit(settings.url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigError(
            f"PANNES_ES_URL {settings.url!r} is not a URL: write it as http://host:9200 "
            "or https://host:9200.")
    ca_certs = _ca_certs(settings)
    if ca_certs and not Path(ca_certs).expanduser().is_file():
        raise ConfigError(
            f"PANNES_ES_CA_CERTS {ca_certs!r} is not a file: point it at the cluster's CA "
            "certificate in PEM (on a self-managed Elasticsearch 8+, config/certs/http_ca.crt).")
    if bool(settings.username) != bool(settings.password) and not settings.api_key:
        raise ConfigError(
            "Elasticsearch basic auth needs both PANNES_ES_USERNAME and PANNES_ES_PASSWORD "
            "(or use PANNES_ES_API_KEY instead).")


def _ca_certs(settings: ElasticSettings) -> str:
    """The CA bundle to trust for HTTPS (PANNES_ES_CA_CERTS), or ''."""
    return settings.ca_certs or ""


def make_client(settings: ElasticSettings, *, request_timeout: float = 30.0,
                max_retries: int = 3) -> Elasticsearch:
    """An Elasticsearch client from settings (no request is made here)."""
    _check_settings(settings)
    # The transport logs each retry with a traceback; pannes reports the failure itself.
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        logging.getLogger("elastic_transport").setLevel(logging.ERROR)
    auth: dict[str, Any] = {}
    if settings.api_key:
        auth["api_key"] = settings.api_key
    elif settings.username:
        # Encoded here as UTF-8 (as Elasticsearch reads it): the client would refuse any
        # non-ASCII character ("é") in a (user, password) pair.
        pair = f"{settings.username}:{settings.password}".encode()
        auth["basic_auth"] = base64.b64encode(pair).decode("ascii")
    if ca_certs := _ca_certs(settings):
        auth["ca_certs"] = str(Path(ca_certs).expanduser())
    return Elasticsearch(
        settings.url,
        verify_certs=settings.verify_certs,
        request_timeout=request_timeout,
        max_retries=max_retries,
        retry_on_timeout=True,
        retry_on_status=(502, 503, 504),
        **auth,
    )


def _reason(exc: elasticsearch.ApiError) -> str:
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error")
    if isinstance(error, dict):
        return str(error.get("reason") or error.get("type") or exc.message)
    return str(error or exc.message)


def translate_error(exc: Exception, settings: ElasticSettings, *,
                    what: str = "Elasticsearch") -> PannesError:
    """A client exception as a pannes error whose message says what to do."""
    url = settings.url
    if isinstance(exc, elasticsearch.AuthenticationException):
        return ConfigError(
            f"{what} at {url} refused the credentials (401 {_reason(exc)}). Set "
            "PANNES_ES_API_KEY, or PANNES_ES_USERNAME and PANNES_ES_PASSWORD, to an account "
            "of this cluster.")
    if isinstance(exc, elasticsearch.AuthorizationException):
        return ConfigError(
            f"{what} at {url} refused the request (403 {_reason(exc)}). Give this user the "
            f"rights read, write, create_index, manage and view_index_metadata on "
            f"'{settings.index_prefix}-*' and manage_index_templates on the cluster.")
    if isinstance(exc, elasticsearch.NotFoundError) and "index_not_found" in str(exc.message) \
            + _reason(exc):
        return ConfigError(
            f"{what} has no pannes index at {url} ({_reason(exc)}). Fill it from the SQLite "
            "store with `pannes reindex --to elasticsearch`.")
    if isinstance(exc, elasticsearch.UnsupportedProductError):
        return ConfigError(
            f"The server at {url} does not answer as Elasticsearch. Check PANNES_ES_URL.")
    if isinstance(exc, elasticsearch.SSLError):
        trust = ("set PANNES_ES_CA_CERTS to its CA certificate (a self-managed Elasticsearch 8+ "
                 "writes config/certs/http_ca.crt), or ")
        return NetworkError(
            f"TLS failed with {what} at {url}: {exc}. Check the URL scheme and the server's "
            f"certificate ({trust}set verify_certs = false in [elasticsearch] only for a test "
            "cluster).")
    if isinstance(exc, elasticsearch.ConnectionTimeout):
        return NetworkError(
            f"{what} at {url} did not answer in time. Check that it is up and not overloaded.")
    if isinstance(exc, elasticsearch.ConnectionError):
        return NetworkError(
            f"{what} is unreachable at {url} ({exc.message if hasattr(exc, 'message') else exc})."
            " Start it, or fix PANNES_ES_URL; set search_backend = 'sqlite' to search the local "
            "store instead.")
    if isinstance(exc, elasticsearch.ApiError):
        status = exc.meta.status if exc.meta is not None else 0
        reason = _reason(exc)
        if "media_type_header_exception" in str(exc.message) + reason:
            return ConfigError(
                f"{what} at {url} rejected this client's version ({reason}). Install the "
                "Python client with the server's major version, e.g. "
                "pip install 'elasticsearch>=8,<9' for an 8.x server.")
        if status in {429, 502, 503, 504}:
            return NetworkError(
                f"{what} at {url} is unavailable ({status} {reason}): the cluster is starting, "
                "recovering or overloaded. Try again in a moment.")
        return StoreError(f"{what} at {url} refused a request ({status} {reason}).")
    return StoreError(f"{what} at {url} failed: {exc}")


class ElasticsearchBackend:
    """Search (and reindex) through Elasticsearch; same answers as the SQLite backend."""

    name = "elasticsearch"

    def __init__(self, settings: ElasticSettings, client: Elasticsearch | None = None, *,
                 bulk_options: dict[str, Any] | None = None) -> None:
        _check_settings(settings)
        self.settings = settings
        self.prefix = settings.index_prefix or "pannes"
        self._client = client
        self.bulk_options = {**BULK_OPTIONS, **(bulk_options or {})}

    @classmethod
    def from_settings(cls, settings: ElasticSettings) -> ElasticsearchBackend:
        return cls(settings)

    @property
    def client(self) -> Elasticsearch:
        if self._client is None:
            self._client = make_client(self.settings)
        return self._client

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except (elasticsearch.ApiError, elasticsearch.TransportError) as exc:
            raise translate_error(exc, self.settings) from None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # ------------------------------------------------------------------ searching

    def search(self, query: SearchQuery) -> SearchResult:
        """One page of hits with facets and highlighted snippets."""
        prepared = prepare(query)
        if prepared.empty_reason:
            return prepared.empty_result()
        kind = "incidents" if query.kind == "incidents" else "articles"
        with self._errors():
            response = self.client.search(index=alias_name(self.prefix, kind),
                                          body=search_body(prepared))
        return parse_response(prepared, dict(response))

    # ------------------------------------------------------------------ setting up

    def setup(self) -> dict[str, str]:
        """Create the index template and, for each kind, an index behind its alias.

        Safe to run again: existing indices and aliases are kept. Returns alias -> index.
        """
        targets: dict[str, str] = {}
        with self._errors():
            self.client.indices.put_index_template(**index_template(self.prefix))
            for kind in KINDS:
                alias = alias_name(self.prefix, kind)
                current = self._alias_targets(alias)
                if current:
                    targets[alias] = current[0]
                    self._warn_if_outdated(current[0])
                    continue
                if self.client.indices.exists(index=alias):
                    raise ConfigError(
                        f"Elasticsearch has an index named {alias!r} where pannes expects an "
                        f"alias. Delete it or choose another PANNES_ES_INDEX_PREFIX.")
                index = new_index_name(self.prefix, kind)
                self.client.indices.create(index=index, aliases={alias: {}})
                log.info("created index %s behind alias %s", index, alias)
                targets[alias] = index
        return targets

    def _alias_targets(self, alias: str) -> list[str]:
        if not self.client.indices.exists_alias(name=alias):
            return []
        return sorted(self.client.indices.get_alias(name=alias).body)

    def _mapping_version(self, index: str) -> Any:
        mapping = self.client.indices.get_mapping(index=index).body
        meta = (mapping.get(index, {}).get("mappings", {}).get("_meta") or {})
        return meta.get("pannes_mapping_version")

    def _warn_if_outdated(self, index: str) -> None:
        version = self._mapping_version(index)
        if version != MAPPING_VERSION:
            log.warning("index %s has mapping version %s, this pannes writes %s: run "
                        "`pannes reindex --to elasticsearch` to rebuild it", index,
                        version, MAPPING_VERSION)

    # ------------------------------------------------------------------ indexing

    def reindex(self, source: SearchSource, *, progress: Progress | None = None,
                since: datetime | None = None, keep_old: bool = False) -> dict[str, int]:
        """Copy articles and incidents from the store into Elasticsearch.

        Without `since`: fill new indices, then swap the aliases to them in one request and
        delete the old ones (unless `keep_old`); if any document is still refused after the
        retries, the new indices are deleted and searches keep the old ones. With `since`:
        update the current indices with the documents changed since then. Either way a
        refused document raises a `PannesError` saying how many and why.
        """
        self.setup()
        if since is not None:
            return self._update(source, since, progress)
        counts: dict[str, int] = {}
        outcomes: list[BulkOutcome] = []
        new: dict[str, str] = {}
        switched = False
        try:
            for kind in KINDS:
                index = new_index_name(self.prefix, kind)
                with self._errors():
                    self.client.indices.create(index=index,
                                               settings={"refresh_interval": "-1"})
                new[kind] = index
                total = source.count_search_documents(kind)
                outcome = self._load(index, kind, source.iter_search_documents(kind), total,
                                     progress)
                counts[kind] = outcome.indexed
                outcomes.append(outcome)
            if any(o.failed for o in outcomes):
                raise indexing_error(outcomes, switched=False)
            with self._errors():
                for index in new.values():
                    self.client.indices.put_settings(index=index,
                                                     settings={"refresh_interval": None})
                    self.client.indices.refresh(index=index)
                self._swap_aliases(new)
                switched = True
                if not keep_old:
                    self._delete_old(new)
        except BaseException:
            if not switched:
                self._drop_new(list(new.values()))
            raise
        return counts

    def _update(self, source: SearchSource, since: datetime,
                progress: Progress | None) -> dict[str, int]:
        """Send the documents changed since `since` into the indices behind the aliases."""
        counts: dict[str, int] = {}
        outcomes = []
        for kind in KINDS:
            alias = alias_name(self.prefix, kind)
            outcome = self._load(alias, kind, source.iter_search_documents(kind, since=since),
                                 source.count_search_documents(kind, since=since), progress)
            counts[kind] = outcome.indexed
            outcomes.append(outcome)
            with self._errors():
                self.client.indices.refresh(index=alias)
        if any(o.failed for o in outcomes):
            raise indexing_error(outcomes, switched=True)
        return counts

    def sync(self, source: SearchSource, *, since: datetime | None,
             progress: Progress | None = None) -> SyncReport:
        """Bring the indices up to date with the store after crawling, tagging or grouping.

        The documents changed since `since` are sent and the incidents the store no longer
        has (merged, split, regrouped) are deleted; without `since`, when an alias is missing
        or when an index has an older mapping, everything is reindexed into fresh indices.
        """
        with self._errors():
            targets = [self._alias_targets(alias_name(self.prefix, kind)) for kind in KINDS]
            rebuild = since is None or not all(targets) or any(
                self._mapping_version(index) != MAPPING_VERSION for t in targets for index in t)
        if rebuild:
            counts = self.reindex(source, progress=progress)
            return SyncReport(self.name, counts["articles"], counts["incidents"], full=True)
        counts = self.reindex(source, since=since, progress=progress)
        deleted = self.prune(source, "incidents")
        return SyncReport(self.name, counts["articles"], counts["incidents"], deleted=deleted)

    def prune(self, source: SearchSource, kind: DocumentKind) -> int:
        """Delete the documents of `kind` the store no longer has; how many were deleted."""
        alias = alias_name(self.prefix, kind)
        stale = sorted(self.indexed_ids(kind) - source.search_document_ids(kind))
        if not stale:
            return 0
        deleted = 0
        actions = ({"_op_type": "delete", "_index": alias, "_id": doc_id} for doc_id in stale)
        with self._errors():
            for ok, item in helpers.streaming_bulk(self.client, actions, raise_on_error=False,
                                                   yield_ok=True, **self.bulk_options):
                info = next(iter(item.values()))
                if ok or info.get("status") == 404:  # already gone
                    deleted += 1
                else:
                    log.warning("could not delete %s %s: %s", kind, info.get("_id"), item)
            self.client.indices.refresh(index=alias)
        log.info("deleted %d %s the store no longer has", deleted, kind)
        if deleted < len(stale):
            raise StoreError(
                f"Elasticsearch refused to delete {len(stale) - deleted} of {len(stale)} {kind} "
                f"the store no longer has (see the warnings above); run the sync again.")
        return deleted

    def indexed_ids(self, kind: DocumentKind, *, page_size: int = 5000) -> set[str]:
        """The ids of every document behind the alias of `kind` (pages sorted by id)."""
        ids: set[str] = set()
        after: list[Any] | None = None
        with self._errors():
            while True:
                body: dict[str, Any] = {"query": {"match_all": {}}, "size": page_size,
                                        "_source": False, "track_total_hits": False,
                                        "sort": [{"id": "asc"}]}
                if after is not None:
                    body["search_after"] = after
                hits = self.client.search(index=alias_name(self.prefix, kind),
                                          body=body)["hits"]["hits"]
                ids.update(hit["_id"] for hit in hits)
                if len(hits) < page_size:
                    return ids
                after = hits[-1]["sort"]

    def _drop_new(self, indices: list[str]) -> None:
        """Delete the indices a failed reindex created (searches never used them)."""
        for index in indices:
            try:
                self.client.indices.delete(index=index)
                log.info("deleted the partial index %s", index)
            except (elasticsearch.ApiError, elasticsearch.TransportError) as exc:
                log.warning("could not delete the partial index %s: %s", index, exc)

    def _swap_aliases(self, new: dict[str, str]) -> None:
        """Point every alias at its new index in one request."""
        actions: list[dict[str, Any]] = []
        for kind, index in new.items():
            alias = alias_name(self.prefix, kind)
            actions += [{"remove": {"index": name, "alias": alias}}
                        for name in self._alias_targets(alias) if name != index]
            actions.append({"add": {"index": index, "alias": alias}})
        self.client.indices.update_aliases(actions=actions)
        for kind, index in new.items():
            log.info("alias %s now points to %s", alias_name(self.prefix, kind), index)

    def _delete_old(self, new: dict[str, str]) -> None:
        """Delete the previous indices of each kind (by name: wildcards may be refused)."""
        for kind, index in new.items():
            stale = [name for name in self.client.indices.get(
                index=index_pattern(self.prefix, kind)).body if name != index]
            for name in stale:
                self.client.indices.delete(index=name)
                log.info("deleted old index %s", name)

    def _load(self, index: str, kind: DocumentKind, docs: Iterable[dict[str, Any]],
              total: int, progress: Progress | None) -> BulkOutcome:
        """Stream documents in bulk; rejected chunks (429) are retried with backoff."""
        outcome = BulkOutcome(kind)
        with self._errors():
            for ok, item in helpers.streaming_bulk(
                self.client, bulk_actions(index, docs), raise_on_error=False, yield_ok=True,
                **self.bulk_options,
            ):
                if ok:
                    outcome.indexed += 1
                else:
                    outcome.add_failure(item)
                    if outcome.failed <= 10:
                        log.warning("could not index %s: %s", kind, item)
                done = outcome.indexed + outcome.failed
                if progress and (done % 5000 == 0 or done == total):
                    progress(f"{kind}: {done}/{total} sent to Elasticsearch")
        if outcome.failed:
            log.warning("%d %s could not be indexed (see the first errors above)",
                        outcome.failed, kind)
        return outcome


MAX_REASONS = 3  # refusal reasons quoted in the error message


@dataclass
class BulkOutcome:
    """What one bulk load did: documents indexed, and those still refused after the retries."""

    kind: str
    indexed: int = 0
    failed: int = 0
    throttled: int = 0  # refused with 429 (queue full) every time
    reasons: list[str] = field(default_factory=list)  # the first few, for the message

    def add_failure(self, item: dict[str, Any]) -> None:
        self.failed += 1
        info = next(iter(item.values())) if len(item) == 1 else item  # {"index": {...}}
        status = info.get("status")
        if status == 429:
            self.throttled += 1
        if len(self.reasons) < MAX_REASONS:
            error = info.get("error")
            if isinstance(error, dict):
                error = f"{error.get('type', 'error')}: {error.get('reason', '')}".rstrip(": ")
            self.reasons.append(f"{self.kind} {info.get('_id', '?')}: {status} {error}")



def indexing_error(outcomes: list[BulkOutcome], *, switched: bool) -> PannesError:
    """The error for documents Elasticsearch still refused after the retries."""
    failed = [o for o in outcomes if o.failed]
    counts = " and ".join(f"{o.failed} {o.kind}" for o in failed)
    reasons = [r for o in failed for r in o.reasons][:MAX_REASONS]
    if switched:
        state = ("The others were written into the current indices; run the same command "
                 "again once the cause is fixed.")
    else:
        state = ("Nothing was switched: searches still use the previous indices, and the new "
                 "partial ones were deleted.")
    message = (f"Elasticsearch refused {counts} after the retries "
               f"(first: {'; '.join(reasons)}). {state}")
    if all(o.failed == o.throttled for o in failed):
        return NetworkError(message + " The cluster was overloaded (429): try again later.")
    return UserInputError(message)


def bulk_actions(index: str, docs: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Bulk `index` actions for store documents (same id again replaces the document)."""
    for doc in docs:
        yield {"_op_type": "index", "_index": index, "_id": doc["id"], "_source": to_source(doc)}

