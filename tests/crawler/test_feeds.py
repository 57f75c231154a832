"""Feeds and sitemaps are read safely: RSS, Atom, news sitemaps, indexes, hostile XML."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest
from localsite import FIXTURES
from pannes.crawler.feeds import parse_feed
from pannes.crawler.safexml import BrokenXML, UnsafeXML
from pannes.crawler.sitemaps import parse_sitemap

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr"><title>Le Veilleur</title>
<entry><title>Panne du r\xc3\xa9seau</title><link rel="alternate" href="/actu/1"/>
<published>2024-03-12T08:00:00+01:00</published><updated>2024-03-13T10:00:00Z</updated></entry>
<entry><title>Sans date</title><link href="https://ex.fr/actu/2"/></entry>
</feed>"""

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://ex.fr/actu/3</loc><news:news><news:publication>
<news:name>Le Veilleur</news:name><news:language>fr</news:language></news:publication>
<news:publication_date>2024-03-14T09:00:00+01:00</news:publication_date>
<news:title>Coupure g\xc3\xa9ante</news:title></news:news></url>
</urlset>"""


def test_atom_entries_with_their_latest_date():
    feed = parse_feed(ATOM, "https://ex.fr/feed")
    assert [e.url for e in feed.entries] == ["https://ex.fr/actu/1", "https://ex.fr/actu/2"]
    assert feed.entries[0].date == datetime(2024, 3, 13, 10, tzinfo=UTC)
    assert feed.entries[0].title == "Panne du réseau"
    assert feed.entries[1].date is None and feed.repaired is None


def test_news_sitemap_and_gzipped_index():
    sitemap = parse_sitemap(NEWS_SITEMAP, "https://ex.fr/sitemap.xml")
    assert not sitemap.is_index
    [entry] = sitemap.entries
    assert entry.date == datetime(2024, 3, 14, 8, tzinfo=UTC) and entry.title == "Coupure géante"
    index = gzip.compress(b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                          b"<sitemap><loc>https://ex.fr/post-sitemap.xml</loc>"
                          b"<lastmod>2024-03-01</lastmod></sitemap></sitemapindex>")
    parsed = parse_sitemap(index, "https://ex.fr/sitemap_index.xml")
    assert parsed.is_index and parsed.entries[0].url == "https://ex.fr/post-sitemap.xml"


LAUGHS = (FIXTURES / "billion_laughs.xml").read_bytes()
PADDING = "<!-- " + "rembourrage " * 8000 + " -->\n"  # ~96 kB of DTD before the entities


def test_billion_laughs_is_refused_without_expanding():
    with pytest.raises(UnsafeXML, match="entity declarations refused"):
        parse_feed(LAUGHS, "https://ex.fr/feed")


@pytest.mark.parametrize("body", [
    LAUGHS.decode().replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16"),
    LAUGHS.replace(b"<!DOCTYPE rss [\n", b"<!DOCTYPE rss [\n" + PADDING.encode()),
    gzip.compress(LAUGHS.replace(b"<!DOCTYPE rss [\n", b"<!DOCTYPE rss [\n" + PADDING.encode())),
    LAUGHS.replace(b"<channel>", b"<channel><mal ferme='x'>"),  # and malformed besides
], ids=["utf-16", "padded-dtd", "padded-dtd-gzip", "malformed"])
def test_billion_laughs_in_any_encoding_or_position_is_refused(body):
    with pytest.raises(UnsafeXML, match="entity declarations refused"):
        parse_feed(body, "https://ex.fr/feed")


def test_a_harmless_declared_entity_keeps_the_feed_unexpanded():
    feed = ('<?xml version="1.0" encoding="utf-16"?>\n<!DOCTYPE rss [\n' + PADDING
            + '<!ENTITY nom "Orbitel">]>\n<rss version="2.0"><channel><title>Le Veilleur</title>'
            "<item><title>Panne chez &nom; ce matin</title><link>https://ex.fr/actu/1</link>"
            "<pubDate>Tue, 12 Mar 2024 08:00:00 +0100</pubDate></item></channel></rss>")

    parsed = parse_feed(feed.encode("utf-16"), "https://ex.fr/feed")

    assert parsed.repaired is None
    [entry] = parsed.entries
    assert entry.url == "https://ex.fr/actu/1"
    assert entry.date == datetime(2024, 3, 12, 7, tzinfo=UTC)
    assert entry.title == "Panne chez &nom; ce matin"  # the reference is kept, not expanded


def test_broken_feeds():
    feed = parse_feed((FIXTURES / "broken_feed.xml").read_bytes(), "https://ex.fr/")
    assert feed.repaired and [e.url for e in feed.entries] == ["https://ex.fr/actu/recupere"]
    for body in (b"", b"<html><body>Erreur 502</body></html>", b"\x00\x01\x02", b'{"a": 1}'):
        with pytest.raises(BrokenXML):
            parse_feed(body, "https://ex.fr/")
    with pytest.raises(BrokenXML):
        parse_sitemap(ATOM, "https://ex.fr/")
