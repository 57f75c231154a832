"""A crawl killed at any moment and started again loses no article and doubles none."""

from __future__ import annotations

import os
import signal
from dataclasses import replace

import pytest
from localsite import Route, article_page, rss, when
from pannes.crawler.run import CrawlFailed, run_crawl
from pannes.store import open_store

pytestmark = pytest.mark.slow

ARTICLES = 24


def slow_site(site):
    items = []
    for n in range(ARTICLES):
        site.add(f"/actu/{n}", Route(article_page(n).encode(), delay=0.25))
        items.append((site.url(f"/actu/{n}"), when(1 + n % 28)))
    site.add("/feed.xml", Route(rss(items), content_type="application/rss+xml", etag='"v1"'))
    return site.source()


def stop_after(count: int, how: signal.Signals):
    """A progress callback that signals the crawl process once `count` articles are stored."""
    state = {"pid": None, "sent": False}

    def progress(event):
        if event["event"] == "started":
            state["pid"] = event["pid"]
        elif event["event"] == "progress" and not state["sent"]:
            if event["articles"].get("new", 0) >= count:
                state["sent"] = True
                os.kill(state["pid"], how)

    return progress


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["sigkill", "sigint"])
def test_interrupted_crawl_resumes_without_loss_or_duplicates(site, crawl_settings, tmp_path, how):
    source = slow_site(site)
    settings = replace(crawl_settings,
                       crawl=replace(crawl_settings.crawl, concurrent_requests_per_domain=1))
    options = {"sources": [source], "resume_dir": tmp_path / "job", "progress_interval": 0.2,
               "scrapy_overrides": {"CONCURRENT_REQUESTS": 1}}

    if how == signal.SIGKILL:
        with pytest.raises(CrawlFailed, match="signal 9"):
            run_crawl(settings, progress=stop_after(5, how), **options)
    else:
        first = run_crawl(settings, progress=stop_after(5, how), **options)
        assert first.status == "interrupted"
    with open_store(settings.db_path) as store:
        stored_before = {a.url for a in store.iter_articles()}
    assert 5 <= len(stored_before) < ARTICLES

    second = run_crawl(settings, **options)

    assert second.status == "finished"
    with open_store(settings.db_path) as store:
        articles = list(store.iter_articles())
        assert len(articles) == ARTICLES
        assert len({a.url for a in articles}) == ARTICLES
        assert all(len(store.article_versions(a.id)) == 1 for a in articles)
        runs = store.crawl_runs()
        assert [r.status for r in runs] == ["finished", "interrupted"]
    # What was stored before the stop is not fetched again, and the feed, read in full
    # before the stop, is not read again: the queue it filled was kept.
    for url in stored_before:
        assert site.count(url.removeprefix(site.base)) == 1, url
    assert site.count("/feed.xml") == 1
    assert second.listings == 0
    assert not (tmp_path / "job").exists()  # a finished crawl leaves nothing to resume


def test_a_killed_crawl_with_a_damaged_queue_starts_again_from_the_feeds(site, crawl_settings,
                                                                        tmp_path):
    source = slow_site(site)
    options = {"sources": [source], "resume_dir": tmp_path / "job", "progress_interval": 0.2,
               "scrapy_overrides": {"CONCURRENT_REQUESTS": 1}}
    with pytest.raises(CrawlFailed, match="signal 9"):
        run_crawl(crawl_settings, progress=stop_after(3, signal.SIGKILL), **options)
    queue = tmp_path / "job" / "requests.queue" / "queue.sqlite"
    for path in queue.parent.glob("queue.sqlite*"):  # as a bad copy or a failing disk leave it
        path.write_bytes(b"not a database " * 100)

    second = run_crawl(crawl_settings, **options)

    assert second.status == "finished"
    assert site.count("/feed.xml") == 2
    with open_store(crawl_settings.db_path) as store:
        urls = [a.url for a in store.iter_articles()]
    assert len(urls) == len(set(urls)) == ARTICLES


def test_new_articles_are_fetched_before_known_ones_are_checked_again(site, crawl_settings):
    """Unseen URLs go first: a crawl cut short has stored what is new, not re-read the old."""
    for n in range(16):
        site.add(f"/actu/{n}", article_page(n))
    first = [(site.url(f"/actu/{n}"), when(1)) for n in range(8)]
    site.add("/feed.xml", Route(rss(first), content_type="application/rss+xml"))
    options = {"sources": [site.source()], "scrapy_overrides": {"CONCURRENT_REQUESTS": 1}}
    settings = replace(crawl_settings,
                       crawl=replace(crawl_settings.crawl, concurrent_requests_per_domain=1))
    run_crawl(settings, **options)
    # Now the feed announces the 8 known articles as updated, between 8 new ones.
    items = [(site.url(f"/actu/{n}"), when(2 if n < 8 else 3)) for n in range(16)]
    site.add("/feed.xml", Route(rss(sorted(items, key=lambda i: i[0][-1])),
                                content_type="application/rss+xml"))
    site.reset_log()

    stats = run_crawl(settings, **options)

    articles = [p for p in site.paths() if p.startswith("/actu/")]
    assert len(articles) == 16
    assert sorted(articles[:8]) == sorted(f"/actu/{n}" for n in range(8, 16))
    assert stats.articles == {"new": 8, "unchanged": 8}


def test_a_second_crawl_on_the_same_database_is_refused(site, crawl_settings):
    import fcntl

    from pannes.errors import UserInputError

    crawl_settings.db_path.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{crawl_settings.db_path}.crawl-lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running crawl holds it
        with pytest.raises(UserInputError, match="another crawl is already running"):
            run_crawl(crawl_settings, sources=[site.source()])
    assert site.requests == []
