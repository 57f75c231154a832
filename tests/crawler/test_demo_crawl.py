"""The real spider on the demo site: every corpus article stored once, right title, date and
standfirst."""

from __future__ import annotations

import pytest
from pannes.store import open_store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def packaged_demo_site():
    """The demo site on the packaged corpus, as `make demo` crawls it."""
    demo = pytest.importorskip("pannes.demo.site")
    site = demo.DemoSite().start()
    yield site
    site.stop()


def test_demo_site_crawl_stores_each_corpus_article_once(packaged_demo_site, crawl, crawl_settings):
    stats = crawl(packaged_demo_site.sources())

    corpus = packaged_demo_site.corpus.articles
    assert stats.status == "finished"
    assert stats.errors == {}, stats.error_samples
    assert stats.non_french == sum(1 for a in corpus if a.language != "fr")
    # A syndicated copy and its original are one article (whichever was fetched first).
    groups: dict[str, list] = {}
    for article in corpus:
        groups.setdefault(article.syndicated_from or article.id, []).append(article)
    assert stats.articles == {"new": len(groups), "duplicate": len(corpus) - len(groups)}
    with open_store(crawl_settings.db_path) as store:
        assert store.count_articles() == len(groups)
        for members in groups.values():
            stored = {store.find_article(packaged_demo_site.article_url(a.id)).id for a in members}
            assert len(stored) == 1, [a.id for a in members]
            kept = store.get_article(stored.pop())
            match = [a for a in members if kept.url == packaged_demo_site.article_url(a.id)]
            assert match, kept.url
            assert kept.title == match[0].title
            assert kept.published == match[0].published.date(), match[0].id
            assert kept.language == match[0].language
            # The standfirst opens the text on every layout, also those where trafilatura
            # leaves it out.
            if match[0].standfirst:
                assert " ".join(kept.text.split()).startswith(
                    " ".join(match[0].standfirst.split())), match[0].id
