"""The Elasticsearch backend against a local HTTP server answering as Elasticsearch does.

No Elasticsearch runs here: a real `elasticsearch.Elasticsearch` client talks to a small
loopback server (tests/store/fake_elasticsearch.py, the `es` fixture) that keeps indices,
aliases and documents in memory and answers errors with Elasticsearch's bodies.
"""

from __future__ import annotations

import socket
from typing import Any

import pytest
from pannes.store.elastic import ElasticsearchBackend, bulk_actions
from pannes.store.elastic_mapping import MAPPING_VERSION

from pannes.config import ElasticSettings
from pannes.errors import ConfigError, NetworkError, UserInputError
from pannes.records import SearchQuery
from tests.store.contract.corpus import fill
from tests.store.fake_elasticsearch import es_error


def backend_for(url: str, **settings: Any) -> ElasticsearchBackend:
    return ElasticsearchBackend(ElasticSettings(url=url, index_prefix="essai", **settings),
                                bulk_options={"initial_backoff": 0.01, "max_backoff": 0.05,
                                              "chunk_size": 5})


# The contract corpus's articles that speak of a "panne" (tests/store/contract).
PANNE = {"orange_panne", "sfr_mobile", "orange_retabli", "chronique_reseaux"}


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


def test_reindex_fills_new_indices_and_swaps_the_aliases(es, make_store):
    filled = make_store()
    ids = fill(filled)
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
    # Searches then go through the alias, and find what the new index holds.
    result = backend.search(SearchQuery(text="panne", per_page=50))
    assert {h.id for h in result.hits} == {ids[k] for k in PANNE}
    assert es.paths()[-1] == "POST /essai-articles/_search"


def test_scores_are_kept_when_sorted_by_date(es, filled):
    backend = backend_for(es.url)
    backend.reindex(filled)
    by_date = backend.search(SearchQuery(text="panne", sort="date_asc", per_page=50)).hits
    assert len(by_date) == len(PANNE) and all(h.score > 0 for h in by_date)
    dated = [h.published for h in by_date if h.published]
    assert dated == sorted(dated) and len(dated) == 3 and by_date[-1].published is None


def test_pages_past_the_result_window_are_bounded_not_refused(es, filled):
    backend = backend_for(es.url)
    backend.reindex(filled)
    result = backend.search(SearchQuery(text="panne", page=10_000, per_page=100))
    assert result.total == len(PANNE) and result.hits == []


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


def test_documents_refused_for_good_keep_the_old_indices(es, make_store):
    store = make_store()
    ids = fill(store)
    backend = backend_for(es.url)
    backend.reindex(store)
    before = {kind: es.aliases(f"essai-{kind}") for kind in ("articles", "incidents")}
    indices = set(es.indices)
    es.refuse_ids = {ids["orange_panne"], ids["sfr_mobile"]}
    with pytest.raises(UserInputError) as error:
        backend.reindex(store)
    message = str(error.value)
    assert message.startswith("Elasticsearch refused 2 articles after the retries")
    assert f"articles {ids['orange_panne']}: 400 document_parsing_exception" in message
    assert "searches still use the previous indices" in message
    # Aliases untouched, old indices kept, the partial new ones deleted.
    assert {kind: es.aliases(f"essai-{kind}") for kind in before} == before
    assert set(es.indices) == indices
    assert not any(p.startswith("POST /_aliases") for p in es.paths()[-5:])
    # Searches still use the old indices: the refused articles are found as before.
    found = backend.search(SearchQuery(text="panne", per_page=50))
    assert {h.id for h in found.hits} == {ids[k] for k in PANNE} >= es.refuse_ids


def test_documents_still_throttled_after_the_retries(es, filled):
    es.reject_bulk_items = 10_000  # every attempt answers 429
    backend = backend_for(es.url)
    with pytest.raises(NetworkError, match="refused 12 articles and 4 incidents.*try again later"):
        backend.reindex(filled)
    assert es.aliases("essai-articles") and all(
        not es.indices[name]["docs"] for name in es.indices)  # only the empty setup() indices


def test_refused_documents_in_an_incremental_update_are_reported(es, make_store):
    from datetime import datetime

    store = make_store()
    ids = fill(store)
    backend = backend_for(es.url)
    backend.reindex(store)
    es.refuse_ids = {"inc-ovh"}
    with pytest.raises(UserInputError, match="refused 1 incidents.*incidents inc-ovh.*again"):
        backend.reindex(store, since=datetime(2000, 1, 1))
    assert len(es.indices[es.aliases("essai-articles")[0]]["docs"]) == len(ids) - 4


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


def test_contract_cleanup_deletes_by_concrete_names(es, filled):
    from tests.store.contract.cleanup import drop_indices

    backend = backend_for(es.url)
    backend.reindex(filled, keep_old=True)  # two indices per kind
    es.indices["autre-articles-v2-1"] = {"aliases": set(), "docs": {}, "settings": None}
    created = sorted(n for n in es.indices if n.startswith("essai-"))
    assert len(created) == 4
    assert drop_indices(backend.client, "essai") == created
    assert sorted(es.indices) == ["autre-articles-v2-1"] and "essai-search" not in es.templates
    deletes = [p for m, p, _ in es.requests if m == "DELETE"]
    assert deletes and not any("*" in p for p in deletes)


def test_wildcard_delete_is_refused_as_by_elasticsearch_8(es, filled):
    import elasticsearch

    backend = backend_for(es.url)
    backend.reindex(filled)
    with pytest.raises(elasticsearch.BadRequestError, match="Wildcard expressions"):
        backend.client.indices.delete(index="essai-articles-v*")


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
