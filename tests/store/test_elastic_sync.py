"""`pannes update` keeps Elasticsearch in step with the store: changes sent, gone incidents deleted.

The store is a real SQLite file filled with the contract corpus (tags from the current
pipeline version, so nothing needs the tagger); Elasticsearch is the loopback server.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest
from pannes.incidents.corrections import merge_incidents
from pannes.store.backends import last_sync, sync_key

from pannes.app.cli import main
from pannes.config import load_settings
from tests.store.contract.corpus import ARTICLES, _tags, fill


@pytest.fixture
def env(es, tmp_path, no_config):
    """A configured Elasticsearch backend; the path of a store filled last year, and its ids."""
    from pannes.nlp.version import pipeline_version

    no_config.setenv("PANNES_SEARCH_BACKEND", "elasticsearch")
    no_config.setenv("PANNES_ES_URL", es.url)
    no_config.setenv("PANNES_ES_INDEX_PREFIX", "maj")
    from pannes.store import open_store

    db = tmp_path / "maj.db"
    with open_store(db) as store:
        ids = fill(store)
        for key, (*_, spec) in ARTICLES.items():
            store.save_tags(int(ids[key]), 1, replace(_tags(spec),
                                                      pipeline_version=pipeline_version()))
    # Crawled and tagged long ago (the store's times have a one-second resolution).
    conn = sqlite3.connect(db)
    with conn:
        for table, column in (("article_versions", "fetched_at"), ("tags", "tagged_at"),
                              ("incidents", "updated_at")):
            conn.execute(f"UPDATE {table} SET {column} = '2025-01-01T00:00:00+00:00'")
    conn.close()
    return str(db), ids


def indexed(es, kind):
    (index,) = es.aliases(f"maj-{kind}")
    return es.indices[index]["docs"]


def update(capsys, db):
    code = main(["update", "--skip-crawl", "--db", db])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out.strip().splitlines()[-1]


def test_update_after_a_merge_leaves_no_stale_incident(env, es, capsys):
    from pannes.store import open_store

    db, ids = env
    # First update: never synced, so everything is copied into fresh indices.
    assert update(capsys, db).startswith("elasticsearch full reindex: 12 articles and ")
    with open_store(db) as store:
        assert set(indexed(es, "incidents")) == store.search_document_ids("incidents")
        assert last_sync(load_settings(), store) is not None
        into, other = sorted(store.search_document_ids("incidents"))[:2]
        moved = store.get_incident(other).article_ids
        merge_incidents(store, into, other, "alice")  # the store only: ES is now stale
    assert other in indexed(es, "incidents")
    aliases = es.aliases("maj-articles"), es.aliases("maj-incidents")
    es.requests.clear()

    line = update(capsys, db)

    assert line.startswith("elasticsearch updated: ")
    assert line.endswith(", 1 removed incidents deleted")
    assert (es.aliases("maj-articles"), es.aliases("maj-incidents")) == aliases  # incremental
    with open_store(db) as store:
        expected = store.search_document_ids("incidents")
    assert set(indexed(es, "incidents")) == expected and other not in expected
    merged = indexed(es, "incidents")[into]
    assert set(moved) <= set(merged["article_ids"])
    for article_id in moved:  # the moved articles now point at the incident they joined
        assert indexed(es, "articles")[str(article_id)]["incident_id"] == into
    # Incremental: articles in no incident, unchanged since they were stored, are not sent.
    sent = {line["index"]["_id"] for m, p, body in es.requests if p == "/_bulk"
            for line in body[::2] if "index" in line}
    assert {str(a) for a in moved} <= sent
    assert not sent & {ids[k] for k in ("banques_analyse", "missivo_lancement",
                                         "chronique_reseaux")}


def test_reindex_records_the_sync_so_update_stays_incremental(env, es, capsys):
    from pannes.store import open_store

    db, _ = env
    assert main(["reindex", "--db", db]) == 0
    capsys.readouterr()
    with open_store(db) as store:
        synced = last_sync(load_settings(), store)
        assert synced is not None
        # Another cluster or prefix has its own sync time.
        other = replace(load_settings().elasticsearch, index_prefix="autre")
        assert store.get_meta(sync_key(other)) is None
    assert update(capsys, db).startswith("elasticsearch updated: ")


def test_a_failed_sync_is_not_recorded(env, es, capsys):
    from pannes.store import open_store

    db, _ = env
    update(capsys, db)
    with open_store(db) as store:
        before = last_sync(load_settings(), store)
        into, other = sorted(store.search_document_ids("incidents"))[:2]
        merge_incidents(store, into, other, "alice")
    es.refuse_ids = {into}
    code = main(["update", "--skip-crawl", "--db", db])
    _, err = capsys.readouterr()
    assert code == 65 and f"incidents {into}: 400" in err
    with open_store(db) as store:
        assert last_sync(load_settings(), store) == before
    es.refuse_ids = set()
    assert update(capsys, db).endswith(", 1 removed incidents deleted")
    assert other not in indexed(es, "incidents")


def test_an_index_with_an_older_mapping_is_rebuilt(env, es, capsys):
    db, _ = env
    update(capsys, db)
    old = es.aliases("maj-articles")
    es.outdated.update(old)
    assert update(capsys, db).startswith("elasticsearch full reindex: 12 articles and ")
    assert es.aliases("maj-articles") != old and not set(old) & set(es.indices)


def test_sqlite_backend_update_contacts_no_server(env, es, capsys, monkeypatch):
    monkeypatch.setenv("PANNES_SEARCH_BACKEND", "sqlite")
    update(capsys, env[0])
    assert es.requests == []


def test_a_merge_from_the_command_line_reaches_elasticsearch_at_once(env, es, capsys):
    from pannes.store import open_store

    db, _ = env
    update(capsys, db)
    with open_store(db) as store:
        into, other = sorted(store.search_document_ids("incidents"))[:2]
    code = main(["correct", "merge", into, other, "--editor", "alice", "--db", db])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "1 removed incidents deleted" in err and out.startswith(f"{into}:")
    assert other not in indexed(es, "incidents")
    with open_store(db) as store:
        assert set(indexed(es, "incidents")) == store.search_document_ids("incidents")


def test_a_dashboard_correction_reaches_elasticsearch_or_says_it_did_not(env, es, capsys,
                                                                          monkeypatch):
    from pannes.dashboard.correction_form import _sync_search
    from pannes.store import open_store

    db, _ = env
    update(capsys, db)
    store = open_store(db)
    into, other = sorted(store.search_document_ids("incidents"))[:2]
    merge_incidents(store, into, other, "alice")
    settings = load_settings().with_db(db)
    assert _sync_search(settings, store) is None
    assert other not in indexed(es, "incidents")

    monkeypatch.setenv("PANNES_ES_URL", "http://127.0.0.1:9")  # nothing listens there
    warning = _sync_search(load_settings().with_db(db), store)
    store.close()
    assert warning.startswith("La correction est enregistrée, mais l'index Elasticsearch")
    assert "pannes update" in warning
