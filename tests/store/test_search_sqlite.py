"""SQLite-specific search behaviour: indexes used, FTS kept in sync, rebuilt, migrated."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from pannes.store import open_store
from pannes.store.base import prepare
from pannes.store.schema import migrate
from pannes.store.sqlite_search import SearchIndex

from pannes.records import Article, Correction, SearchFilters, SearchQuery
from tests.store.contract.corpus import fill


def sql(store, statement: str, params: tuple = ()) -> list[tuple]:
    """Run SQL on the store's file (to look inside it, or to damage it)."""
    with store.db.transaction() as conn:
        return [tuple(r) for r in conn.execute(statement, params).fetchall()]


def plan(store, query: SearchQuery) -> str:
    p = prepare(query)
    sql_plan = SearchIndex._article_plan(p)
    rows = sql(store, f"EXPLAIN QUERY PLAN SELECT s.article_id {sql_plan.sql} "
                      f"ORDER BY s.published DESC, s.article_id DESC LIMIT 20",
               tuple(sql_plan.params))
    return "\n".join(r[-1] for r in rows)


def test_label_filters_use_the_lookup_index(make_store):
    store = make_store()
    text = plan(store, SearchQuery(filters=SearchFilters(vendors=["Orange"])))
    assert "tag_labels_lookup" in text


def test_listing_by_date_walks_the_date_index(make_store):
    text = plan(make_store(), SearchQuery())
    assert "search_facts_published" in text and "TEMP B-TREE" not in text


def test_text_search_is_driven_by_fts(make_store):
    # Never the other way round: FTS5 re-runs the whole query for each row it is asked about.
    query = SearchQuery(text='"centre de données"', filters=SearchFilters(
        min_hours=2, is_outage=True, impact=["internet_access"]))
    text = plan(make_store(), query)
    assert text.split("\n")[0].startswith("SCAN f VIRTUAL TABLE INDEX")


def test_search_facts_follow_articles_and_tags(make_store):
    store = make_store()
    fill(store)
    facts = "SELECT published, month, source, is_outage, hours_low, hours_high, cause " \
            "FROM search_facts WHERE article_id = ?"
    article = store.find_article("https://contrat.example.fr/missivo_interruption")
    assert sql(store, facts, (article.id,))[0] == (
        "2024-07-20", "2024-07", "Octet Hebdo", 1, 0.5, 0.5, "configuration_change")
    article.published = date(2024, 9, 1)
    article.text += " Mise à jour : tout fonctionne."
    store.upsert_article(article)
    tags = store.get_tags(article.id)
    tags.is_outage, tags.duration.hours_min, tags.duration.hours_max = False, None, 3.0
    tags.cause = None
    store.save_tags(article.id, 2, tags)
    assert sql(store, facts, (article.id,))[0] == (
        "2024-09-01", "2024-09", "Octet Hebdo", 0, 3.0, 3.0, None)
    total = sql(store, "SELECT COUNT(*) FROM search_facts")[0][0]
    assert total == store.count_articles()


def test_new_version_replaces_the_indexed_text(make_store):
    store = make_store()
    article = Article(url="https://v.example.fr/1", source="Octet Hebdo", title="Alerte",
                      text="Une panne touche la messagerie.", published=date(2024, 1, 2))
    store.upsert_article(article)
    article.text = "Une coupure touche la messagerie."
    store.upsert_article(article)
    assert store.search(SearchQuery(text="panne")).total == 0
    assert store.search(SearchQuery(text="coupure")).total == 1


def test_filter_values_are_parameters_not_sql(make_store):
    store = make_store()
    fill(store)
    hostile = "'; DROP TABLE tags; --"
    result = store.search(SearchQuery(filters=SearchFilters(
        vendors=[hostile], sources=[hostile], impact=[hostile], cause=[hostile],
        affected=[hostile])))
    assert result.total == 0
    assert store.tag_counts()["tagged"] == 12


def test_rebuild_restores_a_lost_index(make_store):
    store = make_store()
    fill(store)
    sql(store, "DELETE FROM article_fts")
    sql(store, "DELETE FROM incident_fts")
    assert store.search(SearchQuery(text="panne")).total == 0
    messages = []
    counts = store.rebuild_search_index(progress=messages.append, batch_size=5)
    assert counts == {"articles": 12, "incidents": 4}
    assert len(messages) >= 3
    assert store.search(SearchQuery(text="panne")).total == 4
    assert store.search(SearchQuery(text="incendie", kind="incidents")).total == 1


class Interrupted(Exception):
    """Stands for Ctrl-C or a crash in the middle of a rebuild."""


def test_interrupted_rebuild_leaves_the_old_index(make_store):
    store = make_store()
    fill(store)
    seen = []

    def stop_after_first_batch(message: str) -> None:
        seen.append(message)
        raise Interrupted

    with pytest.raises(Interrupted):
        store.rebuild_search_index(progress=stop_after_first_batch, batch_size=5)
    assert seen == ["articles: 5 normalised"]
    assert sql(store, "SELECT COUNT(*) FROM article_fts") == [(12,)]
    assert store.search(SearchQuery(text="panne")).total == 4
    assert store.search(SearchQuery(text="incendie", kind="incidents")).total == 1
    assert store.rebuild_search_index(batch_size=5) == {"articles": 12, "incidents": 4}


def test_searches_meanwhile_see_the_whole_old_index(make_store, tmp_path):
    store = make_store("rebuilt.db")
    fill(store)
    totals = []
    with open_store(tmp_path / "rebuilt.db") as dashboard:  # another connection, e.g. the UI
        store.rebuild_search_index(
            progress=lambda _: totals.append(dashboard.search(SearchQuery(text="panne")).total),
            batch_size=5)
        assert dashboard.search(SearchQuery(text="panne")).total == 4
    assert totals == [4, 4, 4, 4]  # after 5, 10 and 12 articles, then the incidents


def test_migration_renormalises_an_old_index(tmp_path):
    path = tmp_path / "v2.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=2)
    conn.execute("INSERT INTO articles (id, url, source, first_seen, current_version, title, "
                 "published, content_hash) VALUES (1, 'https://a.example.fr/1', 'Octet Hebdo', "
                 "'2024-01-01', 1, 'Failles de sécurité', '2024-01-01', 'h')")
    conn.execute("INSERT INTO article_versions (article_id, version, title, text, content_hash, "
                 "fetched_at) VALUES (1, 1, 'Failles de sécurité', 'Des données exposées.', 'h',"
                 " '2024-01-01')")
    # As version 2 indexed it: stemmed first, accents folded after ("secur", "don").
    conn.execute("INSERT INTO article_fts (rowid, title, body) VALUES "
                 "(1, 'faill de secur', 'de don expos')")
    conn.close()
    store = open_store(path)
    assert store.search(SearchQuery(text="securite donnees")).total == 1
    store.close()


def test_documents_changed_since(make_store):
    store = make_store()
    fill(store)
    assert store.count_search_documents("articles") == 12
    assert store.count_search_documents("incidents") == 4
    later = datetime.now() + timedelta(days=1)
    assert list(store.iter_search_documents("articles", since=later)) == []
    assert store.count_search_documents("incidents", since=datetime(2000, 1, 1)) == 4
    docs = list(store.iter_search_documents("articles", batch_size=5))
    assert [int(d["id"]) for d in docs] == sorted(int(d["id"]) for d in docs)
    assert len(docs) == 12


def test_demo_corpus_facets_match_the_stored_tags(gold_store):
    result = gold_store.search(SearchQuery(facets=["vendor", "cause", "source"], per_page=1))
    assert result.total == gold_store.count_articles()
    tagged = list(gold_store.iter_tagged(outage_only=False))
    vendors = Counter(v for t in tagged for v in set(t.tags.vendors))
    causes = Counter(t.tags.cause for t in tagged if t.tags.cause)
    assert dict(result.facets["vendor"]) == dict(vendors.most_common(50))
    assert dict(result.facets["cause"]) == dict(causes)
    outages = gold_store.search(SearchQuery(filters=SearchFilters(is_outage=True))).total
    assert outages == gold_store.tag_counts()["outages"] > 0
    assert gold_store.search(SearchQuery(text="panne")).total > 0


def test_hits_and_exported_documents_show_corrected_tags(make_store):
    store = make_store()
    ids = fill(store)
    article_id = int(ids["monetia_caisse"])
    for name, value in (("vendors", ["Monétia", "Caissix"]), ("cause", "third_party")):
        store.add_correction(Correction(target="article", target_id=str(article_id), field=name,
                                        value=value, editor="relecture"))
    hit = store.search(SearchQuery(text="monétia")).hits[0]
    assert hit.vendors == ["Monétia", "Caissix"] and hit.cause == "third_party"
    assert store.search(SearchQuery(filters=SearchFilters(cause=["third_party"]))).total == 1
    doc = next(d for d in store.iter_search_documents("articles") if d["id"] == str(article_id))
    assert doc["vendors"] == ["Monétia", "Caissix"] and doc["cause"] == "third_party"
    assert store.get_tags(article_id).vendors == ["Monétia"]  # machine tags kept as they came


def test_corrected_articles_count_as_changed(make_store):
    store = make_store()
    ids = fill(store)
    now = datetime.now() - timedelta(seconds=1)
    sql(store, "UPDATE tags SET tagged_at = '2000-01-01'")
    sql(store, "UPDATE article_versions SET fetched_at = '2000-01-01'")
    sql(store, "UPDATE incidents SET updated_at = '2000-01-01'")
    assert store.count_search_documents("articles", since=now) == 0
    store.add_correction(Correction(target="article", target_id=ids["sfr_mobile"],
                                    field="cause", value="power", editor="relecture"))
    changed = list(store.iter_search_documents("articles", since=now))
    assert [d["id"] for d in changed] == [ids["sfr_mobile"]]
