"""Cached access to the store: one store per database, queries cached until new data lands.

Pages read through a read-only store (`st.cache_resource`, one per database for the whole
server) that gives each thread its own read-only connection, so sessions read in parallel and
never wait for a writer (SQLite's WAL). Corrections go through a separate read-write store,
opened only when an editor corrects something. Every query is a `st.cache_data` keyed on the
database's data version (the size and time of its last write), so a crawl or a correction
shows on the next rerun. Queries go to the store (search with filters, facets and pages; SQL
counts): no whole table is ever loaded here.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

import streamlit as st
from pannes.incidents.corrections import corrected_tags, history
from pannes.incidents.reliability import VendorReliability, known_vendors, vendor_reliability
from pannes.incidents.timespan import parse_when
from pannes.incidents.vendor_names import vendor_key
from pannes.store import SQLiteStore, open_store
from pannes.store.backends import open_search
from pannes.store.base import SearchBackend

from pannes.config import Settings, load_settings
from pannes.records import (
    Article,
    Correction,
    Incident,
    Mention,
    SearchFilters,
    SearchQuery,
    SearchResult,
    Tags,
)

log = logging.getLogger(__name__)

CACHE_TTL = 600  # seconds; the data version usually invalidates sooner
DataVersion = tuple[int, ...]
StoreStatus = Literal["missing", "empty", "ready"]


# ---------------------------------------------------------------------------- settings


def script_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The options given after `--` to `streamlit run dashboard/app.py -- --db PATH`."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--db", default=None)
    parser.add_argument("--config", default=None)
    args, _ = parser.parse_known_args(list(sys.argv[1:] if argv is None else argv))
    return args


def dashboard_settings(argv: Sequence[str] | None = None) -> Settings:
    """Settings for this dashboard process: `--db`/`--config` script options, else the usual
    chain (config file, PANNES_DB, defaults)."""
    args = script_arguments(argv)
    settings = load_settings(config_file=args.config)
    return settings.with_db(args.db) if args.db else settings


# ---------------------------------------------------------------------------- resources


def data_version(db_path: Path) -> DataVersion:
    """Changes whenever the database file (or its write-ahead log) is written."""
    parts: list[int] = []
    for suffix in ("", "-wal"):
        try:
            stat = os.stat(f"{db_path}{suffix}")
        except FileNotFoundError:
            parts += [0, 0]
        else:
            parts += [stat.st_mtime_ns, stat.st_size]
    return tuple(parts)


@st.cache_resource(show_spinner=False)
def get_store(db_path: str) -> SQLiteStore:
    """The store pages read from: read-only, one connection per thread (opening an older
    database migrates it first)."""
    log.info("opening the store %s for the dashboard (read-only)", db_path)
    return open_store(db_path, create=False, read_only=True)


@st.cache_resource(show_spinner=False)
def get_writer(db_path: str) -> SQLiteStore:
    """The store editors' corrections are written through (one read-write connection)."""
    log.info("opening the store %s for corrections", db_path)
    return open_store(db_path, create=False)


@st.cache_resource(show_spinner=False)
def get_search(settings: Settings) -> SearchBackend:
    """The configured search backend (SQLite FTS5 by default, Elasticsearch when chosen)."""
    return open_search(settings, get_store(str(settings.db_path)))


def store_status(settings: Settings) -> StoreStatus:
    """Whether there is a database and something in it."""
    if not Path(settings.db_path).is_file():
        return "missing"
    return "ready" if article_count(settings, data_version(settings.db_path)) else "empty"


def version_of(settings: Settings) -> DataVersion:
    return data_version(settings.db_path)


# ---------------------------------------------------------------------------- queries


@st.cache_data(ttl=CACHE_TTL, show_spinner=False, max_entries=500)
def search(settings: Settings, version: DataVersion, query: SearchQuery) -> SearchResult:
    """One page of search results (with facets), from the configured backend."""
    return get_search(settings).search(query)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False, max_entries=50)
def search_all(settings: Settings, version: DataVersion, query: SearchQuery,
               limit: int) -> SearchResult:
    """Up to `limit` results of a query, page after page (for exports and the timeline)."""
    per_page = 200
    first = get_search(settings).search(replace(query, page=1, per_page=per_page, facets=[]))
    hits = list(first.hits)
    page = 1
    while len(hits) < min(limit, first.total) and len(hits) == page * per_page:
        page += 1
        more = get_search(settings).search(replace(query, page=page, per_page=per_page,
                                                   facets=[]))
        if not more.hits:
            break
        hits += more.hits
    return SearchResult(total=first.total, hits=hits[:limit], page=1, per_page=limit,
                        message=first.message)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def article_count(settings: Settings, version: DataVersion) -> int:
    return get_store(str(settings.db_path)).count_articles()


@st.cache_data(ttl=CACHE_TTL, show_spinner=False, max_entries=20)
def collection_counts(settings: Settings, version: DataVersion) -> dict[str, int]:
    """Articles, tagged articles, outages and incidents in the store (SQL counts)."""
    store = get_store(str(settings.db_path))
    counts = dict(store.tag_counts())
    counts["incidents"] = store.count_incidents()
    return counts


@st.cache_data(ttl=CACHE_TTL, show_spinner=False, max_entries=20)
def source_counts(settings: Settings, version: DataVersion) -> list[dict[str, Any]]:
    """Per source: articles kept, latest publication, latest fetch."""
    return get_store(str(settings.db_path)).source_counts()


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def crawl_runs(settings: Settings, version: DataVersion, limit: int = 50) -> list[Any]:
    return get_store(str(settings.db_path)).crawl_runs(limit)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def recent_incidents(settings: Settings, version: DataVersion, since: date | None,
                     until: date | None, limit: int) -> list[Incident]:
    """Incidents that started in a period, newest first."""
    return get_store(str(settings.db_path)).list_incidents(since=since, until=until,
                                                           limit=limit)


# How far back an incident may have started and still count as ongoing this week.
ONGOING_DAYS = 90
# Articles of a week read to find the incidents they report (pages of the article search).
WEEK_ARTICLES = 4000


@dataclass
class ActiveIncident:
    """An incident with activity in a period, and what that activity was."""

    incident: Incident
    started: bool = False  # its start date is in the period
    reported: date | None = None  # the latest of its articles published in the period
    ongoing: bool = False  # started earlier, not over

    @property
    def last_activity(self) -> date | None:
        days = [d for d in (self.incident.start if self.started else None, self.reported) if d]
        return max(days) if days else self.incident.start


@st.cache_data(ttl=CACHE_TTL, show_spinner=False, max_entries=50)
def active_incidents(settings: Settings, version: DataVersion, since: date, until: date,
                     limit: int) -> list[ActiveIncident]:
    """Incidents with activity in a period: started in it, reported in it (one of their
    articles published then, whatever their start), or still ongoing; latest activity first."""
    store = get_store(str(settings.db_path))
    found: dict[str, ActiveIncident] = {}
    for incident in store.list_incidents(since=since, until=until, limit=limit):
        found[incident.id] = ActiveIncident(incident, started=True)
    # Articles published in the period, through the store's search (its incident membership).
    articles = SearchQuery(kind="articles", sort="date", per_page=200,
                           filters=SearchFilters(date_from=since, date_to=until))
    reported: dict[str, date] = {}
    for page in range(1, WEEK_ARTICLES // articles.per_page + 1):
        result = store.search(replace(articles, page=page))
        for hit in result.hits:
            if hit.incident_id and hit.published:
                reported[hit.incident_id] = max(hit.published, reported.get(hit.incident_id,
                                                                             hit.published))
        if page * articles.per_page >= result.total:
            break
    for incident_id, day in reported.items():
        if incident_id not in found:
            incident = store.get_incident(incident_id)
            if incident is None:
                continue
            found[incident_id] = ActiveIncident(incident)
        found[incident_id].reported = day
    # Ongoing: started before the period (within ONGOING_DAYS) with no end before it.
    earlier = store.list_incidents(since=since - timedelta(days=ONGOING_DAYS),
                                   until=since - timedelta(days=1))
    for incident in earlier:
        if incident.duration.ongoing and (incident.end is None or incident.end >= since):
            found.setdefault(incident.id, ActiveIncident(incident)).ongoing = True
    ordered = sorted(found.values(), key=lambda a: (a.last_activity or date.min, a.incident.id),
                     reverse=True)
    return ordered[:limit]


@dataclass
class IncidentArticle:
    """One article of an incident, with its tags and the other addresses it was found at."""

    article: Article
    tags: Tags | None
    aliases: list[dict[str, str]] = field(default_factory=list)


@dataclass
class IncidentMention:
    """A later article that mentions the incident in passing, with the sentences doing so."""

    article: Article
    sentences: list[str] = field(default_factory=list)


@dataclass
class IncidentDetail:
    incident: Incident
    articles: list[IncidentArticle]
    corrections: list[Correction]
    mentions: list[IncidentMention] = field(default_factory=list)


def _distance(incident: Incident, mention: Mention) -> int:
    """Days between a mention's period and the incident's dates (0 when they overlap)."""
    period = parse_when(mention.when)
    if period is None or incident.start is None:
        return 10**6
    end = incident.end or incident.start
    return max(0, (period.lo - end).days, (incident.start - period.hi).days)


def _mentions(store: SQLiteStore, incident: Incident) -> list[IncidentMention]:
    """The articles that mention the incident (provenance "mentioned_in"), oldest first, with
    the sentences of their mentions of it (its vendor, the period nearest its dates)."""
    vendors = {vendor_key(v) for v in incident.vendors}
    out = []
    for article_id in incident.provenance.get("mentioned_in") or []:
        article = store.get_article(article_id)
        if article is None:
            continue
        tags = store.get_tags(article_id)
        candidates = [m for m in (tags.mentions if tags else [])
                      if m.evidence and (not vendors or vendor_key(m.vendor or "") in vendors)]
        nearest = min((_distance(incident, m) for m in candidates), default=0)
        sentences = list(dict.fromkeys(m.evidence for m in candidates
                                       if _distance(incident, m) == nearest))
        out.append(IncidentMention(article, sentences))
    out.sort(key=lambda m: (m.article.published or date.max, m.article.id or 0))
    return out


@st.cache_data(ttl=CACHE_TTL, show_spinner=False, max_entries=200)
def incident_detail(settings: Settings, version: DataVersion,
                    incident_id: str) -> IncidentDetail | None:
    """An incident with its articles (text and tags) and the corrections made to it."""
    store = get_store(str(settings.db_path))
    incident = store.get_incident(incident_id)
    if incident is None:
        return None
    articles = []
    for article_id in incident.article_ids:
        article = store.get_article(article_id)
        if article is None:
            continue
        articles.append(IncidentArticle(article, store.get_tags(article_id),
                                        store.article_aliases(article_id)))
    articles.sort(key=lambda a: (a.article.published or date.max, a.article.id or 0))
    return IncidentDetail(incident, articles, history(store, "incident", incident_id),
                          _mentions(store, incident))


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def vendors_with_incidents(settings: Settings, version: DataVersion,
                           by_group: bool = False) -> list[tuple[str, int]]:
    """Every vendor named by an incident (or, `by_group`, every group: a brand counts in its
    parent company's), with its number of incidents, most first."""
    store = get_store(str(settings.db_path))
    return store.top_vendors(by_group=True) if by_group else known_vendors(store)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def vendor_groups(settings: Settings, version: DataVersion) -> dict[str, str]:
    """Brand -> its group (the vendor base's parent), as the last tagging recorded them."""
    return get_store(str(settings.db_path)).vendor_groups()


@st.cache_data(ttl=CACHE_TTL, show_spinner=False, max_entries=100)
def reliability(settings: Settings, version: DataVersion, vendors: tuple[str, ...],
                since: date | None, until: date | None,
                by_group: bool = False) -> list[VendorReliability]:
    """Reliability figures (SQL aggregates) of a few vendors or groups, side by side."""
    return vendor_reliability(get_store(str(settings.db_path)), list(vendors),
                              since=since, until=until, by_group=by_group)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False, max_entries=50)
def vendor_ranking(settings: Settings, version: DataVersion, since: date | None,
                   until: date | None, by_group: bool = False) -> list[VendorReliability]:
    """Every vendor's (or group's) figures for a period, most incidents first (a
    whole-collection scan)."""
    return vendor_reliability(get_store(str(settings.db_path)), None, since=since, until=until,
                              breakdowns=False, by_group=by_group)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False, max_entries=100)
def incidents_per_month(settings: Settings, version: DataVersion, vendors: tuple[str, ...],
                        since: date | None, until: date | None) -> list[tuple[str, int]]:
    """Incidents naming any of `vendors` (one vendor, or a group's brands), counted once each
    by month of start (a facet of the incident search)."""
    query = SearchQuery(kind="incidents", per_page=1, facets=["month"],
                        filters=SearchFilters(vendors=list(vendors), date_from=since,
                                              date_to=until))
    return list(get_search(settings).search(query).facets.get("month", []))


@st.cache_data(ttl=CACHE_TTL, show_spinner=False, max_entries=200)
def article_tags(settings: Settings, version: DataVersion, article_id: int) -> Tags | None:
    """An article's tags as editors left them (machine tags with corrections applied)."""
    return corrected_tags(get_store(str(settings.db_path)), article_id)


def clear_caches() -> None:
    """Forget cached queries (after this dashboard wrote to the store)."""
    st.cache_data.clear()
