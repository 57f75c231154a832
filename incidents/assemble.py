"""Turn grouped clusters into Incident records; `group_articles` runs the whole pure chain.

The chain: cluster outage articles (incidents.grouping) -> attach past incidents mentioned in
passing (incidents.mentions) -> merge each incident's fields from its articles
(incidents.merge). No store is involved, so evaluation and tests call `group_articles`
directly; `incidents.regroup` wraps the same chain around the store and editors' corrections.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from pannes.incidents.grouping import (
    DEFAULT_PARAMS,
    Cluster,
    Grouper,
    GroupingParams,
    cluster_articles,
)
from pannes.incidents.mentions import attach_mentions
from pannes.incidents.merge import build_incident, build_mentioned_incident
from pannes.incidents.timespan import Period, parse_when

from pannes.records import Incident, TaggedArticle


def build_incidents(grouper: Grouper, clusters: Iterable[Cluster] | None = None) -> list[Incident]:
    """Incident records for the grouper's clusters (or the ones given), by start date."""
    incidents = []
    for cluster in grouper.clusters if clusters is None else clusters:
        mentioned_in = [a for a, _ in cluster.mentions]
        if cluster.members:
            members = [grouper.outages[a] for a in cluster.members]
            incidents.append(build_incident(cluster.id, members, mentioned_in))
            continue
        refs = [(a, grouper.all[a].tags.mentions[i]) for a, i in cluster.mentions]
        periods = [p for p in (parse_when(m.when) for _, m in refs) if p is not None]
        if not refs or not periods:
            continue
        vendor = cluster.mention_vendor or refs[0][1].vendor or ""
        start = min(p.lo for p in periods)
        label = cluster.mention_period or periods[0].label
        incidents.append(build_mentioned_incident(cluster.id, vendor, label, start, refs))
    incidents.sort(key=lambda i: (i.start or date.max, i.id))
    return incidents


def group_articles(articles: Sequence[TaggedArticle], existing: Sequence[Incident] = (), *,
                   params: GroupingParams = DEFAULT_PARAMS,
                   published_periods: Mapping[int, Period] | None = None) -> list[Incident]:
    """Group tagged articles into incidents (pure: no store, no corrections).

    `articles` may include non-outage articles: only outages are grouped, but every article's
    mentions of past incidents are used. Articles without an id get their 1-based position.
    `existing` are incidents from an earlier run: they keep their ids and members.
    `published_periods` (article id -> period) date articles known only by month.
    """
    grouper = cluster_articles(articles, existing, params=params,
                               published_periods=published_periods)
    attach_mentions(grouper)
    return build_incidents(grouper)
