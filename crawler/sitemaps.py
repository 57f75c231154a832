"""Read sitemaps, news sitemaps and sitemap indexes into links with their dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin

from pannes.crawler.feeds import Entry
from pannes.crawler.safexml import BrokenXML, child_text, local_name, parse_date, parse_xml


@dataclass
class Sitemap:
    """A parsed sitemap: article links (`urlset`) or child sitemaps (`sitemapindex`)."""

    is_index: bool
    entries: list[Entry] = field(default_factory=list)
    repaired: str | None = None  # what was wrong when broken XML had to be recovered


def _news_date(url_element) -> str | None:
    for child in url_element:
        if local_name(child) == "news":
            return child_text(child, "publication_date")
    return None


def _news_title(url_element) -> str | None:
    for child in url_element:
        if local_name(child) == "news":
            return child_text(child, "title")
    return None


def parse_sitemap(body: bytes, base_url: str) -> Sitemap:
    """A sitemap's entries; raises `BrokenXML` (or `UnsafeXML`) when it is not a sitemap."""
    root, repaired = parse_xml(body)
    kind = local_name(root)
    if kind not in {"urlset", "sitemapindex"}:
        raise BrokenXML(f"not a sitemap: root element <{kind or '?'}>")
    sitemap = Sitemap(is_index=kind == "sitemapindex", repaired=repaired)
    wanted = "sitemap" if sitemap.is_index else "url"
    for element in root:
        if local_name(element) != wanted:
            continue
        loc = child_text(element, "loc")
        if not loc:
            continue
        dates = [parse_date(child_text(element, "lastmod")), parse_date(_news_date(element))]
        known = [d for d in dates if d is not None]
        sitemap.entries.append(Entry(urljoin(base_url, loc), max(known) if known else None,
                                     _news_title(element)))
    return sitemap
