"""French full-text matching: accents and inflections do not get in the way."""

from __future__ import annotations

from datetime import date

import pytest

from pannes.records import Article, SearchQuery

ARTICLES = [
    ("Défaillance chez l'hébergeur Nuvola", "Une défaillance électrique a coupé les serveurs."),
    ("Coupures en série pour les abonnés", "Les coupures de réseau se multiplient en Île-de-France."),
    ("Des pannes à répétition", "Trois pannes informatiques en une semaine chez l'opérateur."),
    ("Lancement réussi", "Le nouveau service démarre sans interruption, annonce l'éditeur."),
    ("Une cyber-attaque vise la messagerie", "Les e-mails des clients ne partent plus."),
]


@pytest.fixture
def store(make_store):
    store = make_store()
    for i, (title, text) in enumerate(ARTICLES):
        store.upsert_article(Article(url=f"https://demo.example.fr/{i}", source="Octet Hebdo",
                                     title=title, text=text, published=date(2026, 1, 1 + i)))
    return store


def titles(store, text: str) -> set[str]:
    return {h.title for h in store.search(SearchQuery(text=text, per_page=50)).hits}


@pytest.mark.parametrize("query, expected", [
    ("defaillance", {"Défaillance chez l'hébergeur Nuvola"}),
    ("DÉFAILLANCES", {"Défaillance chez l'hébergeur Nuvola"}),
    ("panne", {"Des pannes à répétition"}),
    ("coupure", {"Coupures en série pour les abonnés"}),
    ("abonne", {"Coupures en série pour les abonnés"}),
    ("hebergeur", {"Défaillance chez l'hébergeur Nuvola"}),
    ("operateur", {"Des pannes à répétition"}),
    ("ile-de-france", {"Coupures en série pour les abonnés"}),
    ("serveur électrique", {"Défaillance chez l'hébergeur Nuvola"}),
])
def test_accents_and_inflections_match(store, query, expected):
    assert titles(store, query) == expected


def test_unrelated_word_matches_nothing(store):
    assert titles(store, "incendie") == set()


def test_snippet_marks_the_inflected_word_in_the_original_text(store):
    hit = store.search(SearchQuery(text="coupure")).hits[0]
    marked = [text for text, highlighted in hit.snippet.segments if highlighted]
    assert marked == ["coupures"]
    assert "Les coupures de réseau" in hit.snippet.text


@pytest.mark.parametrize("query, expected", [
    ("cyberattaque", {"Une cyber-attaque vise la messagerie"}),
    ("cyber-attaque", {"Une cyber-attaque vise la messagerie"}),
    ('"cyberattaque vise"', {"Une cyber-attaque vise la messagerie"}),
    ("email", {"Une cyber-attaque vise la messagerie"}),
    ("attaque", {"Une cyber-attaque vise la messagerie"}),
])
def test_hyphenated_compounds_match_written_joined_or_not(store, query, expected):
    assert titles(store, query) == expected


def test_snippet_marks_the_hyphenated_compound(store):
    hit = store.search(SearchQuery(text="emails")).hits[0]
    assert [text for text, highlighted in hit.snippet.segments if highlighted] == ["e-mails"]


def test_an_older_index_is_renormalised_for_compounds(tmp_path):
    """A store indexed before compounds were joined finds them once migrated."""
    import sqlite3

    from pannes.store import open_store
    from pannes.store.schema import migrate

    path = tmp_path / "v7.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=7)
    conn.execute("INSERT INTO articles (url, source, first_seen, current_version, title, "
                 "content_hash) VALUES ('https://a.example.fr/1', 'Octet Hebdo', '2026-01-01', 1, "
                 "'Cyber-attaque', 'h')")
    conn.execute("INSERT INTO article_versions (article_id, version, title, text, content_hash, "
                 "fetched_at) VALUES (1, 1, 'Cyber-attaque', 'Une cyber-attaque.', 'h', "
                 "'2026-01-01')")
    conn.execute("INSERT INTO article_fts (rowid, title, body) VALUES "
                 "(1, 'cyber attaqu', 'une cyber attaqu')")  # as version 7 indexed it
    conn.close()
    with open_store(path) as store:
        assert titles(store, "cyberattaque") == {"Cyber-attaque"}
