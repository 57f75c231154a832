"""Sitemaps (plain, monthly index, Google News) and robots.txt of a demo outlet."""

from __future__ import annotations

from lxml import etree
from pannes.demo.content import Outlet
from pannes.demo.feeds import DEMO_FEED_NOTICE as DEMO_NOTICE
from pannes.demo.french_dates import iso
from pannes.demo.layouts import Layout
from pannes.demo.views import ArticleView

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
DISALLOWED = ("/recherche/", "/compte/")


def _sm(tag: str) -> str:
    return f"{{{SITEMAP_NS}}}{tag}"


def _news(tag: str) -> str:
    return f"{{{NEWS_NS}}}{tag}"


def _text(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, tag)
    element.text = text
    return element


def _serialize(root: etree._Element) -> bytes:
    root.insert(0, etree.Comment(f" {DEMO_NOTICE} "))
    etree.indent(root)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def month_path(month: str) -> str:
    """Path of the monthly sitemap for "YYYY-MM"."""
    return f"/sitemaps/sitemap-{month}.xml"


def months(views: list[ArticleView]) -> dict[str, list[ArticleView]]:
    """Articles grouped by publication month ("2026-03"), newest month first."""
    grouped: dict[str, list[ArticleView]] = {}
    for view in views:
        grouped.setdefault(f"{view.published:%Y-%m}", []).append(view)
    return dict(sorted(grouped.items(), reverse=True))


def urlset(views: list[ArticleView]) -> bytes:
    """A plain sitemap: one <url> per article with its <lastmod>."""
    root = etree.Element(_sm("urlset"), nsmap={None: SITEMAP_NS})
    for view in views:
        url = etree.SubElement(root, _sm("url"))
        _text(url, _sm("loc"), view.url)
        _text(url, _sm("lastmod"), iso(view.article.last_change))
    return _serialize(root)


def sitemap_index(base_url: str, views: list[ArticleView]) -> bytes:
    """A sitemap index pointing to one sitemap per publication month."""
    root = etree.Element(_sm("sitemapindex"), nsmap={None: SITEMAP_NS})
    for month, group in months(views).items():
        sitemap = etree.SubElement(root, _sm("sitemap"))
        _text(sitemap, _sm("loc"), base_url + month_path(month))
        _text(sitemap, _sm("lastmod"), iso(max(v.article.last_change for v in group)))
    return _serialize(root)


def news_sitemap(outlet: Outlet, views: list[ArticleView]) -> bytes:
    """A Google News sitemap: <news:news> with publication name, date and title."""
    root = etree.Element(_sm("urlset"), nsmap={None: SITEMAP_NS, "news": NEWS_NS})
    for view in views:
        url = etree.SubElement(root, _sm("url"))
        _text(url, _sm("loc"), view.url)
        _text(url, _sm("lastmod"), iso(view.article.last_change))
        news = etree.SubElement(url, _news("news"))
        publication = etree.SubElement(news, _news("publication"))
        _text(publication, _news("name"), outlet.name)
        _text(publication, _news("language"), view.article.language)
        _text(news, _news("publication_date"), iso(view.published))
        _text(news, _news("title"), view.title)
    return _serialize(root)


def sitemap_documents(
    outlet: Outlet, layout: Layout, base_url: str, views: list[ArticleView]
) -> dict[str, bytes]:
    """Every sitemap document of the outlet, by path."""
    if layout.sitemap == "index":
        documents = {"/sitemap_index.xml": sitemap_index(base_url, views)}
        for month, group in months(views).items():
            documents[month_path(month)] = urlset(group)
        return documents
    if layout.sitemap == "news":
        return {"/sitemap-news.xml": news_sitemap(outlet, views)}
    return {"/sitemap.xml": urlset(views)}


def robots_txt(layout: Layout, base_url: str) -> str:
    """robots.txt: disallow search and account pages (which the site links to), list sitemaps."""
    lines = [f"# {DEMO_NOTICE}", "User-agent: *"]
    lines += [f"Disallow: {path}" for path in DISALLOWED]
    lines.append("")
    lines += [f"Sitemap: {base_url}{path}" for path in layout.sitemap_entry_paths()]
    return "\n".join(lines) + "\n"
