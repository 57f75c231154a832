"""Sources whose sites refuse crawlers on article pages: kept from their feed, never forced.

A source marked `articles = "feed"` stores each feed item (title, summary, date, link) as an
article marked as a summary, and its article pages are never asked for. A source left on
pages whose articles keep answering 403 is reported with that remedy.
"""

from __future__ import annotations

from datetime import date

import pytest
from localsite import Route, article_page, rss, when
from pannes.store import open_store

pytestmark = pytest.mark.slow

OUTLET = "fil-regional"


def feed_only_sources(site):
    sources = site.sources()
    name = site.corpus.outlet(OUTLET).name
    [source] = [s for s in sources if s["name"] == name]
    source["articles"] = "feed"
    return [source]


def test_a_feed_only_source_stores_its_feed_items_as_summaries(fresh_demo_site, crawl,
                                                                crawl_settings):
    site = fresh_demo_site
    site.set_fault(OUTLET, "articles_403")  # the site refuses crawlers on article pages
    articles = [a for a in site.corpus.articles if a.outlet == OUTLET]
    start = len(site.requests())

    stats = crawl(feed_only_sources(site))

    assert stats.status == "finished", stats.summary()
    assert stats.articles == {"new": len(articles)} and stats.feed_items == len(articles)
    assert stats.errors == {} and stats.refused_sources == {}
    assert all(r.status == 200 for r in site.requests(OUTLET)[start:])  # no article asked
    with open_store(crawl_settings.db_path) as store:
        for demo in articles:
            stored = store.find_article(site.article_url(demo.id))
            assert stored is not None and stored.is_summary
            assert stored.title == site.article(demo.id).title
            expected = demo.standfirst or demo.paragraphs[0]
            assert stored.text == " ".join(expected.split())
            assert stored.published == demo.published.date()
            assert stored.language == "fr"
            assert store.raw_page(stored.id).body.startswith(b"<item")  # the feed item is kept as raw

    # Summaries are tagged like any article: the demo's outage is found in its standfirst.
    from pannes.app.stages import tag_stage

    with open_store(crawl_settings.db_path) as store:
        report = tag_stage(store, crawl_settings)
    assert report.tagged == len(articles) and report.outages >= 1

    # The next crawl finds the same items unchanged: nothing stored twice.
    again = crawl(feed_only_sources(site))
    assert again.articles.get("new", 0) == again.articles.get("updated", 0) == 0
    with open_store(crawl_settings.db_path) as store:
        assert store.count_articles() == len(articles)


def test_article_pages_refused_to_our_bot_are_reported_with_the_remedy(site, crawl,
                                                                        crawl_settings):
    for n in range(4):
        site.add(f"/actu/{n}", Route(b"<html><body>Acces refuse</body></html>", status=403))
    site.add("/actu/9", article_page(9, published=date(2024, 3, 19)))
    site.add("/feed.xml", Route(rss([(site.url(f"/actu/{n}"), when(10 + n)) for n in (0, 1, 2, 3, 9)]),
                                content_type="application/rss+xml"))

    stats = crawl([site.source()])

    assert stats.articles == {"new": 1}
    assert stats.errors == {"http_4xx": 4}
    assert stats.refused_sources == {"Le Veilleur": 4}
    assert 'articles = "feed"' in stats.summary()
    with open_store(crawl_settings.db_path) as store:  # what the Collecte page reads
        assert store.crawl_runs()[0].stats["refused_sources"] == {"Le Veilleur": 4}
    # Every page was asked for once, as ourselves: no retry with another identity.
    assert [site.count(f"/actu/{n}") for n in (0, 1, 2, 3)] == [1, 1, 1, 1]
    assert {h.get("User-Agent") for _, h in site.requests} == {"pannes-tests/0.1 contact: "
                                                                 "veille@example.org"}
