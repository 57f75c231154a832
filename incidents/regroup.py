"""Group the store's tagged articles into incidents, keeping editors' corrections on top.

`regroup(store)` is incremental: the stored incidents are the starting point, new articles
join them or found new ones, identifiers stay, and only incidents whose content changed are
written. `rebuild=True` groups from scratch and gives each new incident the id of the old
incident it overlaps most, so ids still do not churn. Either way a second run changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from pannes.incidents.assemble import build_incidents
from pannes.incidents.grouping import (
    DEFAULT_PARAMS,
    Grouper,
    GroupingParams,
    reuse_ids,
    reuse_mention_ids,
)
from pannes.incidents.mentions import attach_mentions
from pannes.incidents.overlay import (
    CorrectionSet,
    apply_incident_fields,
    apply_membership,
    corrected_articles,
    load_corrections,
)
from pannes.store.protocol import Store

from pannes.records import Incident

log = logging.getLogger(__name__)


@dataclass
class RegroupReport:
    """What a grouping run did."""

    articles: int = 0  # outage articles grouped
    incidents: int = 0  # incidents after the run
    known_from_mentions: int = 0  # of which known only from mentions
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def summary(self) -> str:
        return (f"{self.articles} outage articles in {self.incidents} incidents "
                f"({self.known_from_mentions} known only from mentions): "
                f"{len(self.created)} new, {len(self.updated)} updated, "
                f"{len(self.removed)} removed, {self.unchanged} unchanged")

    def to_dict(self) -> dict[str, Any]:
        return {"articles": self.articles, "incidents": self.incidents,
                "known_from_mentions": self.known_from_mentions, "created": self.created,
                "updated": self.updated, "removed": self.removed, "unchanged": self.unchanged}


def compute_incidents(store: Store, *, rebuild: bool = False,
                      params: GroupingParams = DEFAULT_PARAMS,
                      corrections: CorrectionSet | None = None) -> tuple[list[Incident], list[Incident], int]:
    """(incidents as they should be, incidents stored now, outage articles) — writes nothing."""
    corrections = corrections or load_corrections(store)
    articles = list(corrected_articles(store, corrections))
    previous = store.list_incidents()
    grouper = Grouper(articles, () if rebuild else previous,
                      pinned=corrections.pinned_articles, params=params)
    grouper.assign_new()
    if rebuild:
        reuse_ids(grouper.clusters, previous)
        grouper.taken |= {c.id for c in grouper.clusters}
    apply_membership(grouper, corrections)
    attach_mentions(grouper, corrections.pinned_mentions)
    if rebuild:
        reuse_mention_ids(grouper.clusters, previous)
    incidents = [apply_incident_fields(i, corrections) for i in build_incidents(grouper)]
    return incidents, previous, len(grouper.outages)


def regroup(store: Store, *, rebuild: bool = False,
            params: GroupingParams = DEFAULT_PARAMS) -> RegroupReport:
    """Bring the stored incidents up to date with tags and corrections; report what changed.

    One write transaction from the first read to the last write: a correction made meanwhile
    waits for it, then lands on top, and is never overwritten by incidents computed without it.
    """
    with store.transaction():
        return _regroup(store, rebuild=rebuild, params=params)


def _regroup(store: Store, *, rebuild: bool, params: GroupingParams) -> RegroupReport:
    incidents, previous, outages = compute_incidents(store, rebuild=rebuild, params=params)
    before = {i.id: i.to_dict() for i in previous}
    report = RegroupReport(articles=outages, incidents=len(incidents),
                           known_from_mentions=sum(i.known_from_mentions for i in incidents))
    to_write = []
    for incident in incidents:
        old = before.pop(incident.id, None)
        if old is None:
            report.created.append(incident.id)
        elif old != incident.to_dict():
            report.updated.append(incident.id)
        else:
            report.unchanged += 1
            continue
        to_write.append(incident)
    report.removed = sorted(before)
    if report.changed:
        store.save_incidents(to_write, delete_ids=report.removed)
    log.info("Grouping: %s", report.summary())
    return report
