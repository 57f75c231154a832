"""Schema 9: a version can be a feed item's summary instead of the page's full text."""

from __future__ import annotations

import sqlite3
from datetime import date

from pannes.store import open_store
from pannes.store.schema import migrate

from pannes.records import Article


def test_a_database_of_version_8_keeps_its_versions_as_full_texts(tmp_path):
    path = tmp_path / "v8.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=8)
    conn.execute("INSERT INTO articles (url, source, first_seen, current_version, title, "
                 "content_hash) VALUES ('https://a.example.fr/1', 'Octet Hebdo', '2026-01-01', 1, "
                 "'Panne', 'h')")
    conn.execute("INSERT INTO article_versions (article_id, version, title, text, content_hash, "
                 "fetched_at) VALUES (1, 1, 'Panne', 'Une panne de courant.', 'h', '2026-01-01')")
    conn.close()

    with open_store(path) as store:
        assert store.get_article(1).is_summary is False


def test_a_summary_then_the_full_text_are_two_versions(tmp_path):
    url = "https://www.gazette-reseaux.example/actu/coupure-fibre"
    summary = Article(url=url, source="La Gazette des réseaux", title="Coupure de fibre à Vannes",
                      text="Des milliers d'abonnés privés d'internet depuis ce matin.",
                      published=date(2026, 2, 3), is_summary=True)
    with open_store(tmp_path / "p.db") as store:
        first = store.upsert_article(summary)
        full = Article(url=url, source=summary.source, title=summary.title,
                       text=summary.text + "\n\nL'opérateur évoque un câble sectionné par une "
                       "pelleteuse lors de travaux de voirie.", published=summary.published)
        second = store.upsert_article(full)

        assert (first.status, second.status) == ("new", "updated")
        assert [v.is_summary for v in store.article_versions(first.article_id)] == [True, False]
        assert store.get_article(first.article_id).is_summary is False
