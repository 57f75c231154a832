"""Every kind of bad input is counted and logged with its URL and reason; the crawl goes on."""

from __future__ import annotations

import pytest
from localsite import FIXTURES, Route, article_page, article_text, rss, when
from pannes.store import open_store

pytestmark = pytest.mark.slow

ENGLISH = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Cloud provider outage disrupts thousands of websites</title></head><body><article>
<h1>Cloud provider outage disrupts thousands of websites</h1>
<p>A major outage at a cloud hosting provider took thousands of websites offline for most of
Tuesday. The company blamed a faulty configuration change pushed to its load balancers during
routine maintenance, and said all services were restored by the evening.</p>
<p>Customers complained about the lack of communication during the incident, which lasted
nearly six hours and also affected e-mail delivery for many small businesses.</p>
</article></body></html>"""

MALFORMED = article_page(20).replace("</p>", "", 2).replace(
    "<h1>", "<h1><b><i>").replace("</h1>", "</b></h1><div><span></div></i>")


def latin1_page(n: int, *, declare: str | None) -> bytes:
    meta = f'<meta charset="{declare}">' if declare else ""
    return article_page(n, charset_meta=meta).encode("cp1252")


def bad_site(site):
    pages = {
        "/actu/ok": Route(article_page(1).encode()),
        "/actu/recupere": Route(article_page(2).encode()),
        "/actu/balises": Route(MALFORMED.encode()),
        "/actu/sans-charset": Route(latin1_page(3, declare=None), content_type="text/html"),
        "/actu/faux-charset": Route(latin1_page(4, declare=None),
                                    content_type="text/html; charset=utf-8"),
        "/actu/mojibake": Route(article_page(5, charset_meta="").encode("utf-8"),
                                content_type="text/html; charset=iso-8859-1"),
        "/actu/anglais": Route(ENGLISH.encode()),
        "/actu/document": Route(b"%PDF-1.4 binaire", content_type="application/pdf"),
        "/actu/tronque": Route(article_page(6).encode(), truncate_to=500),
        "/actu/boucle-a": Route(redirect="/actu/boucle-b"),
        "/actu/boucle-b": Route(redirect="/actu/boucle-a"),
        "/actu/erreur": Route(b"<html><body>Erreur interne</body></html>", status=500),
        "/actu/trop-vite": Route(b"<html><body>Trop de requetes</body></html>", status=429,
                                 headers={"Retry-After": "1"}),
        "/actu/lent": Route(article_page(7).encode(), delay=5),
        "/actu/enorme": Route(article_page(8, extra_body="<p>" + "remplissage " * 40_000 + "</p>").encode()),
        "/actu/enorme-flux": Route(article_page(9, extra_body="<p>" + "remplissage " * 40_000
                                                + "</p>").encode(), no_length=True),
        "/actu/vide": Route(b""),
        "/actu/court": Route(b"<html><body><p>Vid\xc3\xa9o : regardez.</p></body></html>"),
    }
    for path, route in pages.items():
        site.add(path, route)
    items = [(site.url(p), when(10)) for p in pages if p not in {"/actu/recupere", "/actu/boucle-b"}]
    items.append((site.url("/actu/absente"), when(10)))  # 404
    site.add("/feed.xml", Route(rss(items), content_type="application/rss+xml"))
    site.add("/casse.xml", Route((FIXTURES / "broken_feed.xml").read_bytes(),
                                 content_type="application/rss+xml"))
    site.add("/rires.xml", Route((FIXTURES / "billion_laughs.xml").read_bytes(),
                                 content_type="application/rss+xml"))
    laughs = (FIXTURES / "billion_laughs.xml").read_text(encoding="utf-8")
    site.add("/rires-utf16.xml", Route(laughs.replace('encoding="utf-8"', 'encoding="utf-16"')
                                       .encode("utf-16"), content_type="application/rss+xml"))
    site.add("/pas-un-flux.xml", Route(b"<html><body><p>Maintenance</p></body></html>"))
    return site.source(feeds=("/feed.xml", "/casse.xml", "/rires.xml", "/rires-utf16.xml",
                              "/pas-un-flux.xml"))


def test_bad_input_is_counted_logged_and_skipped(site, crawl, crawl_settings):
    source = bad_site(site)

    # The timeout leaves a loaded machine time to answer the other pages: a download the
    # client abandons never reaches the server's log, so a 1 s timeout made the counts flaky.
    stats = crawl([source], scrapy_overrides={"DOWNLOAD_TIMEOUT": 3, "RETRY_TIMES": 1,
                                              "RETRY_BACKOFF_BASE": 0.05})

    assert stats.status == "finished"
    assert stats.errors == {
        "broken_feed": 2,  # malformed XML (entries recovered), an HTML page instead of a feed
        "xml_entity_expansion": 2,  # UTF-8 and UTF-16 billion laughs
        "http_4xx": 2,  # 404, and 429 still refused after waiting its Retry-After
        "http_5xx": 1,
        "timeout": 1,
        "truncated": 1,
        "oversized": 2,  # announced too big, and found too big while streaming
        "redirect_loop": 1,
        "non_html": 1,
        "empty_body": 1,
        "no_text": 1,
    }, (site.paths(), stats.articles)
    assert stats.warnings["charset_missing"] == 1
    assert stats.warnings["charset_wrong"] == 2
    assert stats.warnings["malformed_html"] >= 1
    assert stats.non_french == 1
    # ok, recovered from the broken feed, malformed, three charset cases, English.
    assert stats.articles == {"new": 7}
    assert site.count("/actu/erreur") == 2, site.paths()  # retried once
    assert site.count("/actu/trop-vite") == 2

    with open_store(crawl_settings.db_path) as store:
        for path, n in (("/actu/sans-charset", 3), ("/actu/faux-charset", 4), ("/actu/mojibake", 5)):
            article = store.find_article(site.url(path))
            assert article.title == article_text(n)[0], path
            assert "privés" in article.text and "Ã" not in article.text and "\ufffd" not in article.text
        assert store.find_article(site.url("/actu/balises")).title == article_text(20)[0]
        english = store.find_article(site.url("/actu/anglais"))
        assert english.language == "en"
        assert store.find_article(site.url("/actu/document")) is None

    log = (crawl_settings.data_dir / "logs" / "crawl.log").read_text(encoding="utf-8")
    for sample in stats.error_samples:
        assert f"{sample['kind']} {sample['url']}: {sample['reason']}" in log
    assert {s["kind"] for s in stats.error_samples} == set(stats.errors)
