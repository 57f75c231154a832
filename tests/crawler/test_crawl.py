"""The real crawler (Scrapy in a child process) against a local site: discovery, dedup,
versions, incremental re-crawls, and the bad input of the web."""

from __future__ import annotations

from datetime import date

import pytest
from localsite import Route, article_page, article_text, rss, sitemap, when
from pannes.store import open_store

pytestmark = pytest.mark.slow


def test_feed_and_sitemap_articles_are_stored_once(site, crawl, crawl_settings):
    feed_items, sitemap_items = [], []
    for n in range(4):
        site.add(f"/actu/{n}", article_page(n, published=date(2024, 3, 10 + n)))
        # The feed links carry tracking parameters; the article is stored under its clean URL.
        feed_items.append((site.url(f"/actu/{n}?utm_source=rss&utm_medium=flux"), when(10 + n)))
    for n in (3, 4):
        site.add(f"/actu/{n}", article_page(n, published=date(2024, 3, 10 + n)))
        sitemap_items.append((site.url(f"/actu/{n}"), when(10 + n)))
    site.add("/feed.xml", Route(rss(feed_items), content_type="application/rss+xml"))
    site.add("/sitemap.xml", Route(sitemap(sitemap_items), content_type="application/xml"))
    events = []

    stats = crawl([site.source(sitemaps=("/sitemap.xml",))], progress=events.append)

    assert stats.status == "finished"
    assert stats.articles == {"new": 5}
    assert stats.errors == {}
    # Article 3 is in both the feed and the sitemap: fetched once.
    assert [site.count(f"/actu/{n}") for n in range(5)] == [1, 1, 1, 1, 1]
    assert not [p for p in site.paths() if "utm_" in p]  # tracking parameters are not sent
    assert {e["event"] for e in events} >= {"started", "summary"}
    with open_store(crawl_settings.db_path) as store:
        assert store.count_articles() == 5
        article = store.find_article(site.url("/actu/2"))
        title, _ = article_text(2)
        assert article.title == title
        assert article.published == date(2024, 3, 12)
        assert article.language == "fr"
        assert article.author == "Claire Martin"
        assert "Commentaires" not in article.text and "cookies" not in article.text
        assert "À lire aussi" not in article.text
        assert store.raw_page(article.id).body.startswith(b"<!DOCTYPE html>")
        runs = store.crawl_runs()
        assert runs[0].status == "finished"
        assert runs[0].stats["articles"] == {"new": 5}


def test_user_agent_and_robots_txt(site, crawl, crawl_settings):
    site.add("/actu/1", article_page(1))
    site.add("/prive/2", article_page(2))
    site.add("/feed.xml", Route(rss([(site.url("/actu/1"), when(1)), (site.url("/prive/2"), when(2))]),
                                content_type="application/rss+xml"))

    stats = crawl([site.source()])

    assert stats.articles == {"new": 1}
    assert stats.skipped.get("robots") == 1
    assert site.count("/prive/2") == 0
    agents = {headers.get("User-Agent") for _, headers in site.requests}
    assert agents == {"pannes-tests/0.1 contact: veille@example.org"}


def test_syndicated_copy_is_an_alias_not_a_second_article(site, crawl, crawl_settings):
    # Two outlets publish the same text (a news-agency story) at their own URLs.
    site.add("/veilleur/depeche", article_page(7))
    site.add("/autre/depeche-reprise", article_page(7, title="Reprise : " + article_text(7)[0]))
    site.add("/feed.xml", Route(rss([(site.url("/veilleur/depeche"), when(5))]),
                                content_type="application/rss+xml"))
    site.add("/autre.xml", Route(rss([(site.url("/autre/depeche-reprise"), when(6))]),
                                 content_type="application/rss+xml"))
    sources = [site.source(), site.source("L'Autre Quotidien", feeds=("/autre.xml",),
                                          homepage=site.url("/autre/"))]

    stats = crawl(sources, scrapy_overrides={"CONCURRENT_REQUESTS": 1})

    assert sorted(stats.articles.items()) == [("duplicate", 1), ("new", 1)]
    with open_store(crawl_settings.db_path) as store:
        assert store.count_articles() == 1
        first = store.find_article(site.url("/veilleur/depeche"))
        copy = store.find_article(site.url("/autre/depeche-reprise"))
        assert copy.id == first.id
        assert {a["reason"] for a in store.article_aliases(first.id)} == {"syndicated-copy"}


def test_incremental_recrawl_fetches_only_new_and_changed(site, crawl, crawl_settings):
    items = []
    for n in range(3):
        site.add(f"/actu/{n}", Route(article_page(n).encode(), etag=f'"a{n}"'))
        items.append((site.url(f"/actu/{n}"), when(10 + n)))
    site.add("/feed.xml", Route(rss(items), content_type="application/rss+xml", etag='"v1"'))
    site.add("/sitemap.xml", Route(sitemap(items), content_type="application/xml",
                                   last_modified=when(12)))
    source = site.source(sitemaps=("/sitemap.xml",))

    first = crawl([source])
    assert first.articles == {"new": 3}

    # Nothing changed: feed and sitemap answer 304, no article is asked for.
    site.reset_log()
    second = crawl([source])
    assert second.articles == {}
    assert sorted(site.paths()) == ["/feed.xml", "/robots.txt", "/sitemap.xml"]
    assert second.not_modified == 2

    # Article 1 is updated, article 3 is new; the feed and sitemap say so.
    site.add("/actu/1", Route(article_page(1, variant=1).encode(), etag='"a1-v2"'))
    site.add("/actu/3", Route(article_page(3).encode(), etag='"a3"'))
    items = [items[0], (site.url("/actu/1"), when(20)), items[2], (site.url("/actu/3"), when(21))]
    site.add("/feed.xml", Route(rss(items), content_type="application/rss+xml", etag='"v2"'))
    site.add("/sitemap.xml", Route(sitemap(items), content_type="application/xml",
                                   last_modified=when(21)))
    site.reset_log()
    third = crawl([source])

    assert sorted(third.articles.items()) == [("new", 1), ("updated", 1)]
    article_requests = sorted(p for p in site.paths() if p.startswith("/actu/"))
    assert article_requests == ["/actu/1", "/actu/3"]
    # The re-fetch of a known article is conditional.
    headers = next(h for p, h in site.requests if p == "/actu/1")
    assert headers.get("If-None-Match") == '"a1"'
    with open_store(crawl_settings.db_path) as store:
        updated = store.find_article(site.url("/actu/1"))
        versions = store.article_versions(updated.id)
        assert [v.version for v in versions] == [1, 2]
        assert "Mise à jour 1" not in versions[0].text and "Mise à jour 1" in versions[1].text
        assert store.count_articles() == 4


def test_known_article_announced_again_with_same_content_is_unchanged(site, crawl, crawl_settings):
    site.add("/actu/1", article_page(1))
    site.add("/feed.xml", Route(rss([(site.url("/actu/1"), when(3))]),
                                content_type="application/rss+xml"))
    crawl([site.source()])
    # The feed announces a newer date, the page has not changed: one request, no new version.
    site.add("/feed.xml", Route(rss([(site.url("/actu/1"), when(4))]),
                                content_type="application/rss+xml"))
    stats = crawl([site.source()])
    assert stats.articles == {"unchanged": 1}
    with open_store(crawl_settings.db_path) as store:
        assert len(store.article_versions(store.find_article(site.url("/actu/1")).id)) == 1


def test_refresh_refetches_everything_conditionally(site, crawl):
    site.add("/actu/1", Route(article_page(1).encode(), etag='"x"'))
    site.add("/feed.xml", Route(rss([(site.url("/actu/1"), None)]), content_type="application/rss+xml"))
    crawl([site.source()])
    stats = crawl([site.source()], refresh=True)
    assert stats.not_modified == 1
    assert site.count("/actu/1") == 2


def test_sitemap_index_children_are_followed_by_pattern_and_date(site, crawl, crawl_settings):
    for n in range(3):
        site.add(f"/actu/{n}", article_page(n))
    site.add("/post-sitemap1.xml", Route(sitemap([(site.url("/actu/0"), when(2)),
                                                   (site.url("/actu/1"), when(3))]),
                                         content_type="application/xml"))
    site.add("/post-sitemap2.xml", Route(sitemap([(site.url("/actu/2"), when(4))]),
                                         content_type="application/xml"))
    site.add("/category-sitemap.xml", Route(sitemap([(site.url("/rubrique/cloud/"), when(4))]),
                                            content_type="application/xml"))
    index = [(site.url("/post-sitemap1.xml"), when(3)), (site.url("/post-sitemap2.xml"), when(4)),
             (site.url("/category-sitemap.xml"), when(4))]
    site.add("/sitemap_index.xml", Route(sitemap(index, index=True), content_type="application/xml"))
    source = site.source(feeds=(), sitemaps=("/sitemap_index.xml",), sitemap_follow=["post-"])

    first = crawl([source])

    assert first.articles == {"new": 3}
    assert site.count("/category-sitemap.xml") == 0
    # Next time, only the child sitemap whose date moved in the index is read again.
    site.add("/actu/3", article_page(3))
    site.add("/post-sitemap2.xml", Route(sitemap([(site.url("/actu/2"), when(4)),
                                                   (site.url("/actu/3"), when(9))]),
                                         content_type="application/xml"))
    index[1] = (site.url("/post-sitemap2.xml"), when(9))
    site.add("/sitemap_index.xml", Route(sitemap(index, index=True), content_type="application/xml"))
    site.reset_log()

    second = crawl([source])

    assert second.articles == {"new": 1}
    assert sorted(site.paths()) == ["/actu/3", "/post-sitemap2.xml", "/robots.txt",
                                    "/sitemap_index.xml"]


def test_http_cache_for_development(site, crawl_settings):
    from dataclasses import replace

    from pannes.crawler.run import run_crawl

    settings = replace(crawl_settings, crawl=replace(crawl_settings.crawl, http_cache=True))
    site.add("/actu/1", article_page(1))
    site.add("/feed.xml", Route(rss([(site.url("/actu/1"), when(3))]),
                                content_type="application/rss+xml"))
    first = run_crawl(settings, sources=[site.source()], refresh=True)
    site.reset_log()
    second = run_crawl(settings, sources=[site.source()], refresh=True)

    assert first.articles == {"new": 1} and second.articles == {"unchanged": 1}
    assert site.requests == []  # everything came from the cache
    assert (settings.data_dir / "httpcache").is_dir()


def test_feeds_and_sitemaps_larger_than_the_page_cap_are_read(site, crawl, crawl_settings):
    # A long sitemap and a long feed (listing pages, excluded) announce one article each;
    # both are larger than the maximum page size of the test settings (300 kB).
    site.add("/actu/1", article_page(1))
    site.add("/actu/2", article_page(2))
    listings = [(site.url(f"/tag/sujet-numero-{n}/"), when(3)) for n in range(6000)]
    big_sitemap = sitemap([(site.url("/actu/1"), when(3)), *listings])
    big_feed = rss([(site.url("/actu/2"), when(3)), *listings])
    assert len(big_sitemap) > crawl_settings.crawl.max_page_bytes
    assert len(big_feed) > crawl_settings.crawl.max_page_bytes
    site.add("/sitemap.xml", Route(big_sitemap, content_type="application/xml"))
    site.add("/feed.xml", Route(big_feed, content_type="application/rss+xml"))
    site.add("/actu/enorme", article_page(8, extra_body="<p>" + "remplissage " * 40_000 + "</p>"))
    site.add("/petit.xml", Route(rss([(site.url("/actu/enorme"), when(3))]),
                                 content_type="application/rss+xml"))

    stats = crawl([site.source(feeds=("/feed.xml", "/petit.xml"), sitemaps=("/sitemap.xml",))])

    assert stats.listings == 3
    assert stats.articles == {"new": 2}
    assert stats.skipped["excluded"] == 12000  # every listing URL of both
    assert stats.errors == {"oversized": 1}  # an article page over the cap still is refused
    assert stats.error_samples[0]["url"] == site.url("/actu/enorme")
