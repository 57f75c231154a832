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
