"""The demo web site: what a crawler sees when it visits the fictional outlets over HTTP."""

from __future__ import annotations

import http.client
import json
import re
import signal
import subprocess
import sys
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import pytest
import trafilatura
from markupsafe import escape
from pannes.demo.content import Outlet
from pannes.demo.layouts import LAYOUTS, assign_layouts
from pannes.demo.reader_comments import COMMENTS
from pannes.demo.render import DEMO_NOTICE
from pannes.demo.site import DemoSite

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_CORPUS = ROOT / "tests" / "fixtures" / "demo"
PACKAGED_CORPUS = ROOT / "demo" / "corpus"

# Page chrome that must never reach an article's extracted text.
BOILERPLATE = (
    DEMO_NOTICE,
    "Contenu de démonstration",
    "Espace publicitaire",
    "Publicité",
    "cookies",
    "Tout accepter",
    "Les plus lus",
    "Dernières dépêches",
    "Articles récents",
    "À lire aussi",
    "Sur le même sujet",
    "Voir aussi",
    "Similaire",
    "Répondre",
    "Réactions",
    "Se connecter",
    "Il vous reste 80 %",
    "Contenus sponsorisés",
    "Dans la même rubrique",
    "Chaque vendredi",
    "Publié le",
    "Mis à jour le",
    *COMMENTS,
)


def fetch(url: str, *, method: str = "GET", headers: dict[str, str] | None = None):
    """(status, headers, body) of one request, redirects not followed."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, target or "/", headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def packaged_corpus_ready() -> bool:
    path = PACKAGED_CORPUS / "articles.jsonl"
    return (
        path.is_file() and path.stat().st_size > 0 and (PACKAGED_CORPUS / "outlets.json").is_file()
    )


def source_of(site: DemoSite, template: str) -> tuple[dict, Outlet]:
    """The crawler source and outlet rendered with a given template."""
    for source, outlet in zip(site.sources(), site.outlets, strict=True):
        if site.layout(outlet.key).name == template:
            return source, outlet
    raise LookupError(template)


@pytest.fixture(scope="module", params=["fixture", "packaged"])
def any_site(request):
    """The site on our fixture corpus, then on the packaged demo corpus when it is written."""
    if request.param == "packaged":
        if not packaged_corpus_ready():
            pytest.skip("the packaged demo corpus is not written yet")
        corpus_dir = PACKAGED_CORPUS
    else:
        corpus_dir = FIXTURE_CORPUS
    with DemoSite(corpus_dir) as running:
        yield running


def outlet_views(site: DemoSite, key: str):
    from pannes.demo.render import OutletRenderer

    return OutletRenderer(
        site._env, site.corpus.outlet(key), site.layout(key), site.corpus, site.base_url(key)
    ).views


def test_fixture_corpus_uses_five_distinct_templates(demo_site):
    names = {demo_site.layout(o.key).name for o in demo_site.outlets}
    assert len(demo_site.outlets) == 5
    assert names == set(LAYOUTS) == {"magazine", "quotidien", "portail", "depeche", "hebdo"}


def test_unknown_template_names_get_distinct_layouts():
    outlets = [
        Outlet(key=f"o{i}", name=f"O{i}", kind="tech", template=t)
        for i, t in enumerate(["a", "b", "quotidien", "c", "a", "d"])
    ]
    layouts = assign_layouts(outlets)
    assert layouts["o2"].name == "quotidien"
    assert len({layouts[k].name for k in ("o0", "o1", "o2", "o3")}) == 4
    assert layouts["o4"] == layouts["o0"]
    assert {layout.name for layout in layouts.values()} <= set(LAYOUTS)


def test_home_feed_sitemaps_and_robots_are_served(any_site):
    site = any_site
    for source, outlet in zip(site.sources(), site.outlets, strict=True):
        count = sum(1 for a in site.corpus.articles if a.outlet == outlet.key)
        status, headers, body = fetch(source["homepage"])
        assert status == 200
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert b"/recherche/" in body and b"/compte/" in body  # links robots.txt forbids

        status, headers, body = fetch(source["feeds"][0])
        assert status == 200 and "charset=utf-8" in headers["Content-Type"]
        root = ET.fromstring(body)
        if outlet.feed == "atom":
            assert root.tag == "{http://www.w3.org/2005/Atom}feed"
            entries = root.findall("{*}entry")
            dates = [datetime.fromisoformat(e.findtext("{*}published")) for e in entries]
        else:
            assert root.tag == "rss" and root.get("version") == "2.0"
            entries = root.findall("channel/item")
            dates = [parsedate_to_datetime(e.findtext("pubDate")) for e in entries]
        assert len(entries) == min(30, count)
        assert dates == sorted(dates, reverse=True)
        titles = [
            e.findtext("{*}title") if outlet.feed == "atom" else e.findtext("title")
            for e in entries
        ]
        assert titles == [v.title for v in outlet_views(site, outlet.key)[:30]]

        status, headers, body = fetch(source["homepage"] + "robots.txt")
        assert status == 200 and headers["Content-Type"] == "text/plain; charset=utf-8"
        robots = body.decode()
        assert "Disallow: /recherche/" in robots and "Disallow: /compte/" in robots
        assert robots.startswith("# contenu de démonstration")
        assert [
            line.split(" ", 1)[1] for line in robots.splitlines() if line.startswith("Sitemap:")
        ] == source["sitemaps"]


def sitemap_articles(url: str) -> dict[str, ET.Element]:
    """Every <url> of a sitemap, following a sitemap index, by <loc>."""
    status, headers, body = fetch(url)
    assert status == 200 and headers["Content-Type"] == "application/xml; charset=utf-8"
    assert "contenu de démonstration" in body.decode()  # an XML comment
    root = ET.fromstring(body)
    if root.tag.endswith("sitemapindex"):
        found: dict[str, ET.Element] = {}
        for child in root.findall("{*}sitemap"):
            assert child.findtext("{*}lastmod")
            found.update(sitemap_articles(child.findtext("{*}loc")))
        return found
    return {u.findtext("{*}loc"): u for u in root.findall("{*}url")}


def test_sitemaps_list_every_article_with_its_dates(any_site):
    site = any_site
    styles = set()
    for source, outlet in zip(site.sources(), site.outlets, strict=True):
        styles.add(site.layout(outlet.key).sitemap)
        urls = sitemap_articles(source["sitemaps"][0])
        views = outlet_views(site, outlet.key)
        assert set(urls) == {v.url for v in views}
        for view in views:
            entry = urls[view.url]
            lastmod = datetime.fromisoformat(entry.findtext("{*}lastmod"))
            assert lastmod == view.article.last_change
            news = entry.find("{*}news")
            if site.layout(outlet.key).sitemap == "news":
                published = news.findtext("{*}publication_date")
                assert datetime.fromisoformat(published) == view.published
                assert news.findtext("{*}title") == view.title
            else:
                assert news is None
    assert {"index", "news", "plain"} <= styles


def test_each_template_presents_dates_its_own_way(demo_site):
    seen = set()
    for outlet in demo_site.outlets:
        layout = demo_site.layout(outlet.key)
        for view in outlet_views(demo_site, outlet.key):
            html = fetch(view.url)[2].decode()
            iso = view.published.isoformat(timespec="seconds")
            if layout.date_style == "meta":
                assert f'<meta property="article:published_time" content="{iso}">' in html
            elif layout.date_style == "jsonld":
                data = json.loads(
                    re.search(
                        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
                    ).group(1)
                )
                assert data["@type"] == "NewsArticle" and data["datePublished"] == iso
                assert data["dateModified"] == view.article.last_change.isoformat(
                    timespec="seconds"
                )
            elif layout.date_style == "time":
                assert f'<time class="entry-date published" datetime="{iso}">' in html
            elif layout.date_style == "microdata":
                assert f'<span itemprop="datePublished" content="{iso}">' in html
            else:
                assert "datetime" not in html and "ld+json" not in html
                assert "published_time" not in html and 'rel="canonical"' not in html
                assert re.search(r"Publié le \w+ \d{1,2} \w+ \d{4} à \d{1,2}h\d\d", html)
            if view.updated:
                assert "Mis à jour le" in html
            seen.add(layout.date_style)
    assert seen == {"meta", "jsonld", "time", "visible", "microdata"}


def test_article_urls_are_shaped_per_outlet_and_canonical(demo_site):
    shapes = {
        "magazine": r"^/[a-z0-9-]+/\d{4}/\d\d/\d\d/[a-z0-9-]+\.html$",
        "quotidien": r"^/article/\d{5}-[a-z0-9-]+$",
        "portail": r"^/actualites/[a-z0-9-]+/$",
        "depeche": r"^/nouvelles/[a-z0-9-]+\.htm$",
        "hebdo": r"^/actualites/lire-[a-z0-9-]+-\d{5}\.html$",
    }
    for source, outlet in zip(demo_site.sources(), demo_site.outlets, strict=True):
        layout = demo_site.layout(outlet.key)
        for view in outlet_views(demo_site, outlet.key):
            assert re.match(shapes[layout.name], view.path)
            assert re.search(source["url_pattern"], view.url)
            html = fetch(view.url)[2].decode()
            if layout.canonical:
                assert f'<link rel="canonical" href="{view.url}">' in html


def test_feed_links_carry_tracking_parameters_on_one_outlet(demo_site):
    source, _ = source_of(demo_site, "portail")
    feed = ET.fromstring(fetch(source["feeds"][0])[2])
    links = [item.findtext("link") for item in feed.findall("channel/item")]
    assert links and all("?utm_source=rss&utm_medium=flux" in link for link in links)
    status, _, body = fetch(links[0])
    canonical = links[0].split("?")[0]
    assert status == 200
    assert f'<link rel="canonical" href="{canonical}">'.encode() in body


def test_conditional_get_head_404_and_redirect(demo_site):
    source = demo_site.sources()[0]
    url = source["homepage"]
    status, headers, body = fetch(url)
    assert status == 200 and headers["ETag"] and headers["Last-Modified"]
    status, headers304, body304 = fetch(url, headers={"If-None-Match": headers["ETag"]})
    assert status == 304 and body304 == b"" and headers304["ETag"] == headers["ETag"]
    status, _, _ = fetch(url, headers={"If-Modified-Since": headers["Last-Modified"]})
    assert status == 304
    status, _, _ = fetch(url, headers={"If-Modified-Since": "Thu, 01 Jan 2015 00:00:00 GMT"})
    assert status == 200
    status, _, _ = fetch(
        url, headers={"If-None-Match": '"other"', "If-Modified-Since": headers["Last-Modified"]}
    )
    assert status == 200  # If-None-Match wins over If-Modified-Since

    status, head_headers, head_body = fetch(url, method="HEAD")
    assert status == 200 and head_body == b""
    assert head_headers["Content-Length"] == str(len(body))

    status, headers, body = fetch(url + "pas-de-page-ici")
    assert status == 404 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert DEMO_NOTICE.encode() in body and b"Page introuvable" in body

    portail, outlet = source_of(demo_site, "portail")
    article_path = outlet_views(demo_site, outlet.key)[0].path
    status, headers, _ = fetch(portail["homepage"].rstrip("/") + article_path.rstrip("/"))
    assert status == 301 and headers["Location"] == article_path


def test_every_html_page_shows_the_demo_banner(any_site):
    site = any_site
    for outlet in site.outlets:
        base = site.base_url(outlet.key)
        html_paths = [
            p
            for p in site.paths(outlet.key)
            if site.page(outlet.key, p).content_type.startswith("text/html")
        ]
        assert len(html_paths) > 5
        for path in html_paths:
            status, _, body = fetch(base + path)
            assert status == 200
            assert DEMO_NOTICE in body.decode(), path


def test_trafilatura_extracts_each_article_without_boilerplate(any_site):
    """The demo is realistic yet crawlable: title, date and full text, none of the chrome."""
    site = any_site
    failures = []
    for outlet in site.outlets:
        views = outlet_views(site, outlet.key)
        for view in views:
            html = fetch(view.url)[2].decode()
            result = json.loads(
                trafilatura.extract(html, url=view.url, with_metadata=True, output_format="json")
            )
            text = norm(result["text"] or "")
            paragraphs = [norm(p.removeprefix("## ")) for p in view.article.paragraphs]
            problems = []
            if result["title"] != view.title:
                problems.append(f"title {result['title']!r}")
            if result["date"] != view.published.date().isoformat():
                problems.append(f"date {result['date']}")
            if paragraphs[0] not in text or paragraphs[-1] not in text:
                problems.append("first or last paragraph missing")
            own = norm(" ".join([view.title, view.article.standfirst, view.article.text]))
            chrome = [*BOILERPLATE, outlet.tagline, *(v.title for v in views if v.id != view.id)]
            problems += [
                f"boilerplate {b[:40]!r}"
                for b in chrome
                if b and norm(b) in text and norm(b) not in own  # the article may say it too
            ]
            if problems:
                failures.append((outlet.key, site.layout(outlet.key).name, view.id, problems))
    assert failures == []


def test_script_in_a_title_is_escaped_in_page_and_feed(any_site):
    site = any_site
    articles = [a for a in site.corpus.articles if "<script>" in a.title]
    assert articles, "the corpus should hold a title with a literal <script> tag"
    for article in articles:
        html = fetch(site.article_url(article.id))[2].decode()
        assert "<script>alert" not in html and article.title not in html
        assert str(escape(article.title)) in html
        source = site.sources()[[o.key for o in site.outlets].index(article.outlet)]
        body = fetch(source["feeds"][0])[2]
        titles = [t.text for t in ET.fromstring(body).iter() if t.tag.endswith("title")]
        if article.title in titles:  # among the latest 30 items
            assert b"&lt;script&gt;" in body and b"<script>" not in body


def test_title_closing_a_script_tag_stays_inside_json_ld(fresh_demo_site):
    site = fresh_demo_site
    source, outlet = source_of(site, "quotidien")
    article = next(a for a in site.corpus.articles if a.outlet == outlet.key)
    title = 'Panne : </script><script>alert("x")</script> & « guillemets »'
    url = site.update_article(article.id, title=title)
    html = fetch(url)[2].decode()
    assert "<script>alert" not in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert data["headline"] == title
    feed = ET.fromstring(fetch(source["feeds"][0])[2])
    assert title in [t.text for t in feed.iter() if t.tag.endswith("title")]


def test_syndicated_copy_keeps_original_text_under_its_own_url_with_a_credit(demo_site):
    copy = next(a for a in demo_site.corpus.articles if a.syndicated_from)
    original = demo_site.article(copy.syndicated_from)
    assert copy.outlet != original.outlet
    url = demo_site.article_url(copy.id)
    html = fetch(url)[2].decode()
    assert url != demo_site.article_url(original.id)
    assert f"Avec {demo_site.corpus.outlet(original.outlet).name}" in html.replace("&#39;", "'")
    for paragraph in original.paragraphs:
        assert paragraph.replace("'", "&#39;") in html


def test_english_article_is_marked_english(demo_site):
    article = next(a for a in demo_site.corpus.articles if a.language == "en")
    assert fetch(demo_site.article_url(article.id))[2].startswith(b'<!DOCTYPE html>\n<html lang="en">')
    french = next(a for a in demo_site.corpus.articles if a.language == "fr")
    assert b'<html lang="fr">' in fetch(demo_site.article_url(french.id))[2]


def test_paywall_teaser_follows_the_full_text(demo_site):
    key = next(o.key for o in demo_site.outlets if demo_site.layout(o.key).paywall)
    premium = [v for v in outlet_views(demo_site, key) if v.premium]
    assert premium
    for view in premium:
        html = fetch(view.url)[2].decode()
        last = view.article.paragraphs[-1].replace("'", "&#39;")
        assert last in html
        assert html.index(last) < html.index("Il vous reste 80 %")
        assert '"isAccessibleForFree": false' in html


def test_updating_an_article_changes_etag_and_last_modified(fresh_demo_site):
    site = fresh_demo_site
    article = site.corpus.articles[0]
    url = site.article_url(article.id)
    _, before, _ = fetch(url)
    other = site.article_url(site.corpus.articles[1].id)
    _, other_before, _ = fetch(other)

    new_text = article.text + "\n\nMise à jour : le service est pleinement rétabli."
    assert site.update_article(article.id, text=new_text) == url
    status, after, body = fetch(url, headers={"If-None-Match": before["ETag"]})
    assert status == 200
    assert after["ETag"] != before["ETag"]
    assert parsedate_to_datetime(after["Last-Modified"]) > parsedate_to_datetime(
        before["Last-Modified"]
    )
    assert "le service est pleinement rétabli" in body.decode()
    status, _, _ = fetch(url, headers={"If-Modified-Since": before["Last-Modified"]})
    assert status == 200
    assert fetch(url, headers={"If-None-Match": after["ETag"]})[0] == 304
    assert fetch(other)[1]["ETag"] == other_before["ETag"]  # other pages untouched

    site.update_article(article.id, updated="2026-03-09T10:15")
    html = fetch(url)[2].decode()
    assert "Mis à jour le" in html and "9 mars 2026" in html


def test_added_article_appears_in_feed_and_sitemap_and_leaves_older_pages_alone(fresh_demo_site):
    site = fresh_demo_site
    source, outlet = source_of(site, "depeche")
    _, feed_before, _ = fetch(source["feeds"][0])
    older = [v.url for v in outlet_views(site, outlet.key)]
    etags = {url: fetch(url)[1]["ETag"] for url in older}
    url = site.add_article(
        {
            "id": "fil-nouvelle-breve-2026-03-10",
            "outlet": outlet.key,
            "slug": "coupure-d-eau-informatique",
            "section": "Économie",
            "title": "Une nouvelle brève ajoutée pendant le test",
            "standfirst": "",
            "author": None,
            "published": "2026-03-10T07:00",
            "updated": None,
            "language": "fr",
            "text": "Premier paragraphe de la brève.\n\nDernier paragraphe de la brève.",
            "syndicated_from": None,
        }
    )
    status, feed_after, body = fetch(
        source["feeds"][0], headers={"If-None-Match": feed_before["ETag"]}
    )
    assert status == 200 and url.encode() in body
    assert url in sitemap_articles(source["sitemaps"][0])
    assert fetch(url)[0] == 200
    for old_url, etag in etags.items():  # an incremental crawl gets 304 for them
        assert fetch(old_url, headers={"If-None-Match": etag})[0] == 304


def test_sources_are_accepted_by_the_crawler(demo_site):
    sources_module = pytest.importorskip("pannes.crawler.sources")
    loaded = sources_module.load_sources(demo_site.sources())
    assert [s.name for s in loaded] == [o.name for o in demo_site.outlets]
    for source, outlet in zip(loaded, demo_site.outlets, strict=True):
        view = outlet_views(demo_site, outlet.key)[0]
        assert source.wants(view.url) and source.wants(view.feed_link)
        assert not source.wants(source.homepage + "recherche/")


def test_run_demo_site_prints_addresses_in_french_and_stops_on_ctrl_c():
    # A shell's Ctrl-C reaches a foreground process whose SIGINT is not ignored; the test
    # process may have inherited or set SIG_IGN (another test's server), which a child keeps
    # across exec, so the child first takes Python's default handler, as from a terminal.
    code = (
        "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
        "from pathlib import Path; from pannes.demo.site import run_demo_site; "
        "run_demo_site('127.0.0.1', 0, Path(sys.argv[1]))"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(FIXTURE_CORPUS)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if "Ctrl-C" in line:
                break
        urls = re.findall(r"http://127\.0\.0\.1:\d+/", "".join(lines))
        assert len(urls) == 5
        assert "Site de démonstration" in lines[0]
        assert fetch(urls[0])[0] == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
        assert "Arrêt" in process.stdout.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_partial_corpus_still_serves(tmp_path):
    """The corpus may be half-written: bad lines are skipped, clashing slugs get distinct URLs."""
    (tmp_path / "outlets.json").write_text(
        (FIXTURE_CORPUS / "outlets.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    lines = (FIXTURE_CORPUS / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    lines.append(json.dumps({**first, "id": "same-slug-again", "published": "2026-03-09T08:00"}))
    lines.append(json.dumps({**first, "id": "without-text", "text": ""}))
    lines.append('{"id": "cut-in-the-middle", "outl')
    (tmp_path / "articles.jsonl").write_text("\n".join(lines), encoding="utf-8")
    with DemoSite(tmp_path) as site:
        ids = {a.id for a in site.corpus.articles}
        assert "same-slug-again" in ids and "without-text" not in ids
        assert len(ids) == len(lines) - 2
        first_url, again_url = site.article_url(first["id"]), site.article_url("same-slug-again")
        assert first_url != again_url
        assert fetch(first_url)[0] == fetch(again_url)[0] == 200
