"""An Atom 1.0 feed (RFC 4287) of new incidents, filtered by vendor, impact or search query.

Newsrooms subscribe to it in their feed reader: one entry per incident, newest first (by the
time pannes first recorded it), with a French summary. `pannes feed -o FILE` writes it; any
static web server can serve the file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from lxml import etree
from pannes.incidents.export import iter_hit_ids
from pannes.incidents.merge import period_label_fr
from pannes.store.protocol import Store

from pannes.labels import cause_fr, impact_fr
from pannes.records import Incident, SearchFilters, SearchQuery
from pannes.urls import web_url

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_NS = "http://www.w3.org/XML/1998/namespace"
IMPACT_SCHEME = "https://pannes.invalid/impact"
VENDOR_SCHEME = "https://pannes.invalid/vendor"
MAX_LINKS = 10  # article links per entry
# The dashboard's Incident page and its parameter (dashboard/app.py url_path, dashboard/links.py
# INCIDENT_PARAM): kept here as plain strings, since incidents/ does not import the dashboard.
DASHBOARD_INCIDENT_PATH = "incident"
DASHBOARD_INCIDENT_PARAM = "id"


@dataclass
class FeedFilter:
    """Which incidents the feed carries (empty: all)."""

    vendors: list[str] = field(default_factory=list)
    impact: list[str] = field(default_factory=list)
    query: str = ""

    def describe(self) -> str:
        parts = []
        if self.vendors:
            parts.append("fournisseur : " + ", ".join(self.vendors))
        if self.impact:
            parts.append("impact : " + ", ".join(self.impact))
        if self.query:
            parts.append(f"recherche : « {self.query} »")
        return " ; ".join(parts)


def select_feed_incidents(store: Store, flt: FeedFilter, limit: int = 50) -> list[Incident]:
    """The incidents of the feed, most recently recorded first."""
    among = None
    if flt.query.strip():
        query = SearchQuery(text=flt.query, kind="incidents",
                            filters=SearchFilters(vendors=list(flt.vendors), impact=list(flt.impact)))
        among = list(iter_hit_ids(store, query))
    ids = store.recent_incident_ids(limit=limit, vendors=flt.vendors or None,
                                    impact=flt.impact or None, among=among)
    return [i for i in (store.get_incident(x) for x in ids) if i is not None]


def _stamp(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _hours_fr(hours_min: float | None, hours_max: float | None) -> str | None:
    def one(h: float) -> str:
        return f"{h / 24:.0f} jours" if h >= 48 else f"{h:.1f} h".replace(".0 h", " h").replace(".", ",")

    if hours_min is None and hours_max is None:
        return None
    if hours_min is None or hours_max is None or hours_min == hours_max:
        return one(hours_min if hours_min is not None else hours_max)  # type: ignore[arg-type]
    return f"{one(hours_min)} à {one(hours_max)}"


def summary_fr(incident: Incident) -> str:
    """A short French account of an incident for readers of the feed."""
    lines = []
    if incident.vendors:
        lines.append("Fournisseur : " + ", ".join(incident.vendors))
    if incident.start:
        when = period_label_fr(incident.start.isoformat())
        if incident.known_from_mentions:
            when = "date approximative, " + when
        lines.append("Début : " + when + (f" ; fin : {period_label_fr(incident.end.isoformat())}"
                                          if incident.end else ""))
    duration = _hours_fr(incident.duration.hours_min, incident.duration.hours_max)
    if duration:
        lines.append("Durée : " + duration + (" (en cours)" if incident.duration.ongoing else ""))
    if incident.affected:
        lines.append("Touchés : " + ", ".join(incident.affected))
    if incident.impact:
        lines.append("Impact : " + ", ".join(impact_fr(i) for i in incident.impact))
    if incident.cause and incident.cause != "unknown":
        lines.append("Cause : " + cause_fr(incident.cause))
    if incident.known_from_mentions:
        lines.append("Connu seulement par des mentions dans des articles ultérieurs.")
    else:
        lines.append(f"Articles : {len(incident.article_ids)}")
    return "\n".join(lines)


def incident_url(base_url: str, incident_id: str) -> str:
    """The address of an incident's page on the dashboard served at `base_url`."""
    query = urlencode({DASHBOARD_INCIDENT_PARAM: incident_id})
    return f"{base_url.rstrip('/')}/{DASHBOARD_INCIDENT_PATH}?{query}"




def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM_NS}}}{tag}", **attrs)
    if text is not None:
        element.text = text
    return element


def build_feed(store: Store, flt: FeedFilter | None = None, *, limit: int = 50,
               base_url: str | None = None, self_url: str | None = None,
               now: datetime | None = None) -> bytes:
    """The Atom document (UTF-8 bytes). `base_url` links each entry to the dashboard."""
    flt = flt or FeedFilter()
    incidents = select_feed_incidents(store, flt, limit)
    times = store.incident_times([i.id for i in incidents])
    key = hashlib.sha1(repr((sorted(flt.vendors), sorted(flt.impact), flt.query)).encode()).hexdigest()[:12]

    feed = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})
    feed.set(f"{{{XML_NS}}}lang", "fr")
    _sub(feed, "id", f"urn:pannes:feed:{key}")
    title = "pannes : nouveaux incidents"
    if flt.describe():
        title += f" ({flt.describe()})"
    _sub(feed, "title", title)
    _sub(feed, "subtitle", "Pannes informatiques et de services relevées dans la presse française")
    newest = max((times[i.id][1] for i in incidents if i.id in times), default=None)
    _sub(feed, "updated", _stamp(newest or now or datetime.now(UTC)))
    author = _sub(feed, "author")
    _sub(author, "name", "pannes")
    _sub(feed, "generator", "pannes")
    if self_url:
        _sub(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    if base_url:
        _sub(feed, "link", rel="alternate", href=base_url, type="text/html")

    for incident in incidents:
        created, updated = times.get(incident.id, (now or datetime.now(UTC),) * 2)
        entry = _sub(feed, "entry")
        _sub(entry, "id", f"urn:pannes:incident:{quote(incident.id, safe='-._~')}")
        _sub(entry, "title", incident.title or incident.id)
        _sub(entry, "updated", _stamp(updated))
        _sub(entry, "published", _stamp(created))
        articles = [a for a in (store.get_article(x) for x in
                                (incident.article_ids or incident.provenance.get("mentioned_in", []))[:MAX_LINKS])
                    if a is not None]
        if base_url:
            _sub(entry, "link", rel="alternate", href=incident_url(base_url, incident.id),
                 type="text/html")
        linked = [(a, url) for a in articles if (url := web_url(a.url)) is not None]
        for n, (article, url) in enumerate(linked):
            rel = "related" if base_url or n else "alternate"
            _sub(entry, "link", rel=rel, href=url, type="text/html", title=article.title)
        for vendor in incident.vendors:
            _sub(entry, "category", term=vendor, scheme=VENDOR_SCHEME, label=vendor)
        for impact in incident.impact:
            _sub(entry, "category", term=impact, scheme=IMPACT_SCHEME, label=impact_fr(impact))
        summary = summary_fr(incident)
        _sub(entry, "summary", "; ".join(summary.splitlines()[:3]) or incident.title, type="text")
        sources = [f"- {a.title} ({a.source})" + (f" : {url}" if (url := web_url(a.url)) else "")
                   for a in articles]
        _sub(entry, "content", summary + ("\n\nSources :\n" + "\n".join(sources) if sources else ""),
             type="text")
    return etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True)
