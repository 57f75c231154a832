"""An incident known only from later mentions ranks after one its articles report (SQLite and
the Elasticsearch backend)."""

from __future__ import annotations

from datetime import date

from pannes.records import Article, Duration, Incident, SearchQuery


def test_reported_incident_ranks_before_one_known_from_mentions(make_store, searcher):
    store = make_store()
    article = store.upsert_article(Article(
        url="https://octet.example.fr/armor-panne.html", source="Octet Hebdo",
        title="Panne chez Télécom Armor : les abonnés privés de réseau mobile",
        text="Le réseau mobile de Télécom Armor est tombé en panne mardi matin. " * 5,
        published=date(2026, 3, 3)))
    store.save_incidents([
        Incident(id="armor-2026-03-03-a1", title="Télécom Armor : réseau mobile coupé",
                 vendors=["Télécom Armor"], start=date(2026, 3, 3),
                 duration=Duration([], 8, 24), article_ids=[article.article_id]),
        # Its title matches the query words more closely, and it has no article.
        Incident(id="armor-2022-06-m1", title="Télécom Armor : panne de juin 2022",
                 vendors=["Télécom Armor"], start=date(2022, 6, 1), known_from_mentions=True),
    ])
    search = searcher(store).search
    hits = search(SearchQuery(text="Armor panne", kind="incidents")).hits
    assert [h.id for h in hits] == ["armor-2026-03-03-a1", "armor-2022-06-m1"]
    # Both found; by date, the order is the calendar's.
    by_date = search(SearchQuery(text="Armor panne", kind="incidents", sort="date")).hits
    assert [h.id for h in by_date] == ["armor-2026-03-03-a1", "armor-2022-06-m1"]
    oldest_first = search(SearchQuery(text="Armor", kind="incidents", sort="date_asc")).hits
    assert [h.id for h in oldest_first] == ["armor-2022-06-m1", "armor-2026-03-03-a1"]
