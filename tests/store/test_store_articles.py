"""The SQLite store keeps articles, versions, raw pages and tags, and never loses one."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

import pytest
from pannes.store import open_store

from pannes.errors import StoreError
from pannes.records import Article, Duration, Mention, RawPage, SearchQuery, Tags

LONG_TEXT = (
    "Les abonnés de Télécom Armor ont été privés de réseau mobile pendant plusieurs heures "
    "mardi. L'opérateur évoque une défaillance d'un équipement de cœur de réseau à Rennes, "
    "sans plus de précision, et promet un geste commercial aux clients touchés."
)


def make_article(url: str = "https://octet.example.fr/telecoms/panne-armor.html", **kw) -> Article:
    values = dict(
        url=url,
        source="Octet Hebdo",
        title="Panne mobile chez Télécom Armor",
        text=LONG_TEXT,
        published=date(2026, 3, 3),
        author="Claire Le Goff",
        language="fr",
        fetched_at=datetime(2026, 3, 3, 10, 0),
    )
    values.update(kw)
    return Article(**values)


def test_round_trip_keeps_every_field(make_store):
    store = make_store()
    raw = RawPage(url="https://octet.example.fr/telecoms/panne-armor.html?utm_source=rss",
                  body="<html><body>Panne é</body></html>".encode(), status=200,
                  headers={"Content-Type": "text/html; charset=utf-8"})
    result = store.upsert_article(make_article(fetched_url=raw.url), raw)

    assert result.status == "new" and result.version == 1
    got = store.get_article(result.article_id)
    assert got.title == "Panne mobile chez Télécom Armor"
    assert got.text == LONG_TEXT
    assert got.published == date(2026, 3, 3)
    assert got.author == "Claire Le Goff"
    assert got.source == "Octet Hebdo"
    page = store.raw_page(result.article_id)
    assert page.body == raw.body  # compressed in the file, identical when read back
    assert page.headers["Content-Type"].startswith("text/html")
    # The tracking URL it was fetched under leads to the same article.
    assert store.find_article(raw.url).id == result.article_id


def test_same_article_twice_is_unchanged(make_store):
    store = make_store()
    first = store.upsert_article(make_article())
    second = store.upsert_article(make_article())
    assert (second.status, second.article_id, second.version) == ("unchanged", first.article_id, 1)
    assert store.count_articles() == 1
    assert len(store.article_versions(first.article_id)) == 1


def test_changed_article_becomes_a_new_version_and_keeps_the_old(make_store):
    store = make_store()
    first = store.upsert_article(make_article())
    updated_text = LONG_TEXT + " Mise à jour : le service est rétabli depuis 18 heures."
    second = store.upsert_article(make_article(text=updated_text))

    assert second.status == "updated" and second.version == 2
    assert second.article_id == first.article_id
    versions = store.article_versions(first.article_id)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].text == LONG_TEXT
    assert store.get_article(first.article_id).text == updated_text
    assert store.get_article(first.article_id, version=1).text == LONG_TEXT
    # Search sees the current version only.
    assert store.search(SearchQuery(text="rétabli")).total == 1


def test_syndicated_copy_on_another_site_is_an_alias(make_store):
    store = make_store()
    original = store.upsert_article(make_article())
    copy = store.upsert_article(make_article(
        url="https://journal-reseaux.example.fr/article/991-armor",
        source="Le Journal des Réseaux",
        title="Télécom Armor : panne mobile (avec AFP)",
    ))
    assert copy.status == "duplicate" and copy.article_id == original.article_id
    assert store.count_articles() == 1
    aliases = store.article_aliases(original.article_id)
    assert [(a["url"], a["reason"]) for a in aliases] == [
        ("https://journal-reseaux.example.fr/article/991-armor", "syndicated-copy")]


def test_short_texts_are_not_merged_as_copies(make_store):
    store = make_store()
    a = store.upsert_article(make_article(text="Brève : panne."))
    b = store.upsert_article(make_article(url="https://autre.example.fr/b", text="Brève : panne."))
    assert b.status == "new" and b.article_id != a.article_id


def test_tags_round_trip_and_retag_selection(make_store):
    store = make_store()
    result = store.upsert_article(make_article())
    assert [a.id for a in store.articles_to_tag("v1")] == [result.article_id]

    tags = Tags(
        is_outage=True, outage_score=0.93, vendors=["Télécom Armor"], impact=["telephony_mobile"],
        cause="hardware", duration=Duration(["pendant plusieurs heures"], 2, 12, False),
        start=date(2026, 3, 3), region=["Bretagne"], users_affected=12000,
        evidence={"cause": ["L'opérateur évoque une défaillance d'un équipement."]},
        mentions=[Mention(vendor="Télécom Armor", when="2025-01", duration_text="trois jours")],
        pipeline_version="v1",
    )
    store.save_tags(result.article_id, result.version, tags)
    assert store.get_tags(result.article_id) == tags
    assert list(store.articles_to_tag("v1")) == []
    assert [a.id for a in store.articles_to_tag("v1", retag=True)] == [result.article_id]
    assert [a.id for a in store.articles_to_tag("v2")] == [result.article_id]

    # A new version of the article needs tagging again.
    store.upsert_article(make_article(text=LONG_TEXT + " Le service est revenu."))
    assert [a.version for a in store.articles_to_tag("v1")] == [2]
    assert store.tag_counts() == {"articles": 1, "tagged": 1, "outages": 1}


def test_foreign_language_pages_are_kept_but_not_tagged(make_store):
    store = make_store()
    store.upsert_article(make_article(url="https://x.example.com/en", language="en",
                                      text="A wire story in English about an outage. " * 8))
    assert store.count_articles() == 1
    assert list(store.articles_to_tag("v1")) == []


def test_missing_database_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="No pannes database"):
        open_store(tmp_path / "absent.db", create=False)
    assert not (tmp_path / "absent.db").exists()


def test_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("ceci n'est pas une base SQLite", encoding="utf-8")
    with pytest.raises(StoreError, match="Cannot open the database"):
        open_store(path)


def test_file_uses_wal_and_foreign_keys(make_store):
    store = make_store()
    store.upsert_article(make_article())
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    with store.db.read() as c:
        assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_copy_with_an_added_standfirst_is_still_recognised(make_store):
    store = make_store()
    paragraphs = [
        "Les abonnés de Télécom Armor ont été privés de réseau mobile pendant plusieurs heures "
        "mardi, de Brest à Rennes.",
        "L'opérateur évoque une défaillance d'un équipement de cœur de réseau, sans plus de "
        "précision sur son origine.",
        "Un geste commercial sera proposé aux clients touchés, promet la direction, qui "
        "présentera un rapport d'incident sous quinze jours.",
    ]
    original = store.upsert_article(make_article(text="\n".join(paragraphs)))
    copy = store.upsert_article(make_article(
        url="https://ouest.example.fr/nouvelles/armor.htm", source="Ouest Horizon",
        text="\n".join(["Trois heures sans réseau : le récit d'une journée noire pour les "
                        "clients bretons de l'opérateur.", *paragraphs, "Avec AFP"]),
    ))
    assert copy.status == "duplicate" and copy.article_id == original.article_id

    # Sharing one paragraph out of four is a follow-up, not a copy.
    follow_up = store.upsert_article(make_article(
        url="https://octet.example.fr/telecoms/armor-rapport.html",
        text="\n".join([paragraphs[0],
                        "Le rapport publié vendredi attribue la panne à une carte réseau "
                        "défectueuse, remplacée dans la nuit de mardi à mercredi.",
                        "L'opérateur annonce un second site de secours à Nantes d'ici la fin "
                        "de l'année et un audit de ses équipements les plus anciens.",
                        "Les associations de consommateurs jugent le geste commercial "
                        "insuffisant et réclament une indemnisation automatique."]),
    ))
    assert follow_up.status == "new"


def test_raw_pages_are_stored_compressed(make_store, tmp_path):
    store = make_store("raw.db")
    body = ("<html><body>" + "<p>Une panne de réseau chez Télécom Armor.</p>" * 400
            + "</body></html>").encode()
    result = store.upsert_article(make_article(), RawPage(url=make_article().url, body=body,
                                                          status=200))
    conn = sqlite3.connect(tmp_path / "raw.db")
    stored, size = conn.execute("SELECT body, body_size FROM raw_pages").fetchone()
    conn.close()
    assert size == len(body)
    assert len(stored) < len(body) / 10  # repetitive HTML shrinks a lot
    assert store.raw_page(result.article_id).body == body


def test_a_page_with_more_paragraphs_than_sqlite_binds_is_stored_and_its_copy_recognised(
        make_store):
    """A very long page (40,000 paragraphs, more than the 32,766 values a default SQLite build
    binds in one statement) is stored, and a copy with a standfirst added is recognised."""
    store = make_store()
    with store.db.read() as conn:  # this build allows more: hold it to SQLite's default
        conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 32_766)
    paragraphs = [f"Relevé automatique numéro {n} des coupures signalées par les abonnés de "
                  f"Télécom Armor dans la journée." for n in range(40_000)]
    original = store.upsert_article(make_article(text="\n".join(paragraphs)))
    copy = store.upsert_article(make_article(
        url="https://ouest.example.fr/nouvelles/armor-releves.htm", source="Ouest Horizon",
        text="\n".join(["Le relevé complet publié par l'opérateur, reproduit ci-dessous en "
                        "intégralité.", *paragraphs])))
    assert original.status == "new"
    assert copy.status == "duplicate" and copy.article_id == original.article_id
