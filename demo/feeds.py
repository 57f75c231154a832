"""RSS 2.0 and Atom 1.0 feeds of a demo outlet, built with lxml so text is always escaped."""

from __future__ import annotations

from lxml import etree
from pannes.demo.content import Outlet
from pannes.demo.french_dates import iso, rfc822
from pannes.demo.views import ArticleView

ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
FEED_SIZE = 30
DEMO_FEED_NOTICE = "contenu de démonstration, site et événements fictifs"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _sub(
    parent: etree._Element, tag: str, text: str | None = None, **attrib: str
) -> etree._Element:
    element = etree.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = text
    return element


def _serialize(root: etree._Element) -> bytes:
    etree.indent(root)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def summary(view: ArticleView) -> str:
    """The standfirst, or the first paragraph when the article has none."""
    paragraphs = [p for p in view.article.paragraphs if not p.startswith("## ")]
    return view.article.standfirst or (paragraphs[0] if paragraphs else "")


def rss_feed(outlet: Outlet, base_url: str, feed_url: str, views: list[ArticleView]) -> bytes:
    """RSS 2.0 with the latest items (views come newest first); links carry tracking if any."""
    items = views[:FEED_SIZE]
    rss = etree.Element("rss", {"version": "2.0"}, nsmap={"atom": ATOM_NS, "dc": DC_NS})
    channel = _sub(rss, "channel")
    _sub(channel, "title", outlet.name)
    _sub(channel, "link", base_url + "/")
    _sub(channel, "description", f"{outlet.tagline or outlet.name} ({DEMO_FEED_NOTICE})")
    _sub(channel, "language", outlet.language)
    _sub(channel, f"{{{ATOM_NS}}}link", href=feed_url, rel="self", type="application/rss+xml")
    if items:
        _sub(channel, "lastBuildDate", rfc822(max(v.article.last_change for v in items)))
    for view in items:
        item = _sub(channel, "item")
        _sub(item, "title", view.title)
        _sub(item, "link", view.feed_link)
        _sub(item, "guid", view.url, isPermaLink="true")
        _sub(item, "pubDate", rfc822(view.published))
        if view.article.author:
            _sub(item, f"{{{DC_NS}}}creator", view.article.author)
        _sub(item, "category", view.article.section)
        _sub(item, "description", summary(view))
    return _serialize(rss)


def atom_feed(outlet: Outlet, base_url: str, feed_url: str, views: list[ArticleView]) -> bytes:
    """Atom 1.0 with the latest entries, `published` and `updated` on each."""
    items = views[:FEED_SIZE]
    feed = etree.Element(f"{{{ATOM_NS}}}feed", {XML_LANG: outlet.language}, nsmap={None: ATOM_NS})
    _sub(feed, f"{{{ATOM_NS}}}title", outlet.name)
    _sub(feed, f"{{{ATOM_NS}}}subtitle", f"{outlet.tagline or outlet.name} ({DEMO_FEED_NOTICE})")
    _sub(feed, f"{{{ATOM_NS}}}id", base_url + "/")
    _sub(feed, f"{{{ATOM_NS}}}link", href=base_url + "/", rel="alternate", type="text/html")
    _sub(feed, f"{{{ATOM_NS}}}link", href=feed_url, rel="self", type="application/atom+xml")
    newest = max((v.article.last_change for v in items), default=None)
    _sub(feed, f"{{{ATOM_NS}}}updated", iso(newest) if newest else "1970-01-01T00:00:00Z")
    for view in items:
        entry = _sub(feed, f"{{{ATOM_NS}}}entry")
        _sub(entry, f"{{{ATOM_NS}}}title", view.title, type="text")
        _sub(entry, f"{{{ATOM_NS}}}link", href=view.feed_link, rel="alternate", type="text/html")
        _sub(entry, f"{{{ATOM_NS}}}id", view.url)
        _sub(entry, f"{{{ATOM_NS}}}published", iso(view.published))
        _sub(entry, f"{{{ATOM_NS}}}updated", iso(view.article.last_change))
        author = _sub(entry, f"{{{ATOM_NS}}}author")
        _sub(author, f"{{{ATOM_NS}}}name", view.article.author or outlet.name)
        _sub(entry, f"{{{ATOM_NS}}}category", term=view.article.section)
        if view.article.standfirst:
            _sub(entry, f"{{{ATOM_NS}}}summary", view.article.standfirst, type="text")
    return _serialize(feed)
