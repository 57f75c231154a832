"""Redirects: a true loop is an error; a redirect to a page already asked for is a duplicate."""

from __future__ import annotations

import pytest
from localsite import Route, article_page, rss, when
from pannes.store import open_store

pytestmark = pytest.mark.slow


def test_redirect_to_an_already_fetched_page_is_a_duplicate_not_refetched(site, crawl,
                                                                          crawl_settings):
    # The feed announces the page under two URLs; one of them redirects to the other.
    site.add("/actu/panne", article_page(1))
    site.add("/actu/panne-ancienne-adresse", Route(redirect="/actu/panne"))
    site.add("/feed.xml", Route(rss([(site.url("/actu/panne"), when(3)),
                                     (site.url("/actu/panne-ancienne-adresse"), when(3))]),
                                content_type="application/rss+xml"))

    first = crawl([site.source()])

    assert first.errors == {}
    assert first.articles == {"new": 1}
    assert first.skipped == {"redirect_duplicate": 1}
    assert site.count("/actu/panne") == 1

    site.reset_log()
    second = crawl([site.source()])

    assert second.errors == {}
    assert second.skipped == {"unchanged": 2}
    assert site.count("/actu/panne-ancienne-adresse") == 0
    assert site.count("/actu/panne") == 0
    with open_store(crawl_settings.db_path) as store:
        assert store.count_articles() == 1


def test_redirect_loop_is_still_an_error(site, crawl):
    site.add("/actu/1", article_page(1))
    site.add("/actu/boucle-a", Route(redirect="/actu/boucle-b"))
    site.add("/actu/boucle-b", Route(redirect="/actu/boucle-a"))
    site.add("/actu/sans-fin", Route(redirect="/actu/sans-fin?n=1"))
    for n in range(1, 8):
        site.add(f"/actu/sans-fin?n={n}", Route(redirect=f"/actu/sans-fin?n={n + 1}"))
    site.add("/feed.xml", Route(rss([(site.url("/actu/1"), when(3)),
                                     (site.url("/actu/boucle-a"), when(3)),
                                     (site.url("/actu/sans-fin"), when(3))]),
                                content_type="application/rss+xml"))

    stats = crawl([site.source()])

    assert stats.errors == {"redirect_loop": 2}  # a <-> b, and more than 5 redirections
    assert stats.articles == {"new": 1}
    assert "redirect_duplicate" not in stats.skipped
    reasons = {s["url"].removeprefix(site.base): s["reason"] for s in stats.error_samples}
    assert "a redirect loop" in reasons["/actu/boucle-a"]
    assert "too many redirections" in reasons["/actu/sans-fin"]
