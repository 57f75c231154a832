"""Read RSS 2.0, RSS 1.0 (RDF) and Atom feeds into article links with their dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

from lxml import etree
from pannes.crawler.safexml import BrokenXML, child_text, local_name, parse_date, parse_xml


@dataclass(frozen=True)
class Entry:
    """A link announced by a feed or sitemap, with the latest date announced for it.

    Feed entries also carry what the item itself says (for sources kept from their feed):
    its summary or content (HTML as published), its author and the item's XML.
    """

    url: str
    date: datetime | None = None
    title: str | None = None
    summary: str | None = None
    author: str | None = None
    xml: bytes | None = None


def _atom_author(entry) -> str | None:
    for child in entry:
        if local_name(child) == "author":
            return child_text(child, "name")
    return None


def _atom_link(entry) -> str | None:
    fallback = None
    for child in entry:
        if local_name(child) != "link":
            continue
        href = (child.get("href") or "").strip()
        if not href:
            continue
        if child.get("rel", "alternate") == "alternate":
            return href
        fallback = fallback or href
    return fallback


def _latest(*values: str | None) -> datetime | None:
    dates = [d for d in (parse_date(v) for v in values) if d is not None]
    return max(dates) if dates else None


@dataclass
class Feed:
    """A parsed feed; `repaired` says what was wrong when broken XML had to be recovered."""

    entries: list[Entry]
    repaired: str | None = None


def parse_feed(body: bytes, base_url: str) -> Feed:
    """The entries of a feed; raises `BrokenXML` (or `UnsafeXML`) when it is not a usable feed."""
    root, repaired = parse_xml(body)
    kind = local_name(root)
    entries: list[Entry] = []
    if kind == "feed":  # Atom
        for item in root:
            if local_name(item) != "entry":
                continue
            link = _atom_link(item)
            if link:
                entries.append(Entry(urljoin(base_url, link),
                                     _latest(child_text(item, "updated"),
                                             child_text(item, "published")),
                                     child_text(item, "title"),
                                     child_text(item, "content", "summary"),
                                     _atom_author(item), etree.tostring(item)))
    elif kind in {"rss", "rdf"}:
        items = root.iter("{*}item") if kind == "rdf" else root.iter("item")
        for item in items:
            link = child_text(item, "link")
            if not link:
                guid = next((c for c in item if local_name(c) == "guid"), None)
                if guid is not None and guid.get("isPermaLink", "true") == "true" and guid.text:
                    link = guid.text.strip()
            if link:
                entries.append(Entry(urljoin(base_url, link),
                                     _latest(child_text(item, "pubdate", "date"),
                                             child_text(item, "updated", "modified")),
                                     child_text(item, "title"),
                                     child_text(item, "encoded", "description"),
                                     child_text(item, "creator", "author"), etree.tostring(item)))
    else:
        raise BrokenXML(f"not a feed: root element <{kind or '?'}>")
    return Feed(entries, repaired)
