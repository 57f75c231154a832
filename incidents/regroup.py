"""Group the store's tagged articles into incidents, keeping editors' corrections on top.

`regroup(store)` is incremental: the stored incidents are the starting point, new articles
join them or found new ones, identifiers stay, and only incidents whose content changed are
written. Texts are read only for the articles compared, with the document frequencies kept
by the last run (incidents.features), and an incident whose members and mentions are
unchanged is not merged again; `recompute=True` ignores that cache, with the same result.
`rebuild=True` groups from scratch and gives each new incident the id of the old incident it
overlaps most, so ids still do not churn. Either way a second run changes nothing. Editors'
corrections apply to the incidents of their vendors only (incidents.local).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pannes.incidents.assemble import build_incidents
from pannes.incidents.features import (
    GroupingCache,
    LazyTerms,
    load_cache,
    save_cache,
    update_frequencies,
)
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
from pannes.incidents.similarity import TfidfIndex, terms
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


@dataclass
class Computed:
    """A grouping's result: the incidents as they should be, those stored before it, the
    number of outage articles, and the cache to keep once the incidents are written."""

    incidents: list[Incident]
    previous: list[Incident]
    outages: int
    cache: GroupingCache
    kept: set[str] = field(default_factory=set)  # incidents taken as stored, unchanged


def compute_incidents(store: Store, *, rebuild: bool = False,
                      params: GroupingParams = DEFAULT_PARAMS,
                      corrections: CorrectionSet | None = None,
                      recompute: bool = False) -> Computed:
    """The incidents as they should be, from the store's articles and corrections (writes
    nothing).

    With a cache from an earlier run (and not `rebuild` or `recompute`), texts are read only
    for the articles compared, document frequencies are updated from the articles that
    changed, and an incident whose members, mentions and their articles are unchanged is
    taken as stored instead of being merged again: the result is the same.
    """
    corrections = corrections or load_corrections(store)
    states = store.grouping_states()
    cache = None if rebuild or recompute else load_cache(store)
    previous = store.list_incidents()
    articles = list(corrected_articles(store, corrections, with_text=cache is None))
    outages = {a.article.id: states[a.article.id][0] for a in articles
               if a.tags.is_outage and a.article.id in states}
    df = update_frequencies(store, cache, outages) if cache is not None else None
    if df is None:
        index = TfidfIndex({a.article.id: terms(a.article.title, a.article.text)
                            for a in articles if a.tags.is_outage})
        cache = None
    else:
        index = TfidfIndex(LazyTerms(store, outages), df)
    grouper = Grouper(articles, () if rebuild else previous,
                      pinned=corrections.pinned_articles, params=params, index=index)
    grouper.assign_new()
    if rebuild:
        reuse_ids(grouper.clusters, previous)
        grouper.taken |= {c.id for c in grouper.clusters}
    apply_membership(grouper, corrections)
    attach_mentions(grouper, corrections.pinned_mentions)
    if rebuild:
        reuse_mention_ids(grouper.clusters, previous)
    changed = cache.changed(states) if cache is not None else None
    incidents, kept = _incidents(grouper, previous, corrections, changed)
    return Computed(incidents, previous, len(grouper.outages),
                    GroupingCache(Counter(index.df), outages, states,
                                  dict(grouper.classes)), kept)


def _incidents(grouper: Grouper, previous: list[Incident], corrections: CorrectionSet,
               changed: set[int] | None) -> tuple[list[Incident], set[str]]:
    """Incident records of the grouper's clusters; with `changed` (the articles that changed
    since the last run), a cluster equal to its stored incident and made of unchanged
    articles is the stored incident."""
    stored = {i.id: i for i in previous} if changed is not None else {}
    kept, to_build = [], []
    for cluster in grouper.clusters:
        old = stored.get(cluster.id)
        mentioners = {a for a, _ in cluster.mentions}
        if old is not None and changed is not None \
                and set(cluster.members) == set(old.article_ids) \
                and mentioners == set(old.provenance.get("mentioned_in", [])) \
                and not (set(cluster.members) | mentioners) & changed \
                and bool(cluster.members) != old.known_from_mentions:
            kept.append(old)
        else:
            to_build.append(cluster)
    built = [apply_incident_fields(i, corrections) for i in build_incidents(grouper, to_build)]
    incidents = kept + built
    incidents.sort(key=lambda i: (i.start or date.max, i.id))
    return incidents, {i.id for i in kept}


def regroup(store: Store, *, rebuild: bool = False, params: GroupingParams = DEFAULT_PARAMS,
            recompute: bool = False) -> RegroupReport:
    """Bring the stored incidents up to date with tags and corrections; report what changed.

    One write transaction from the first read to the last write: a correction made meanwhile
    waits for it, then lands on top, and is never overwritten by incidents computed without it.
    `recompute` ignores grouping's cache (incidents.features): every text is read again.
    """
    with store.transaction():
        return _regroup(store, rebuild=rebuild, params=params, recompute=recompute)


def _regroup(store: Store, *, rebuild: bool, params: GroupingParams,
             recompute: bool) -> RegroupReport:
    computed = compute_incidents(store, rebuild=rebuild, params=params, recompute=recompute)
    incidents, previous = computed.incidents, computed.previous
    before = {i.id: i for i in previous}
    report = RegroupReport(articles=computed.outages, incidents=len(incidents),
                           known_from_mentions=sum(i.known_from_mentions for i in incidents))
    to_write = []
    for incident in incidents:
        if incident.id in computed.kept:
            before.pop(incident.id)
            report.unchanged += 1
            continue
        stored = before.pop(incident.id, None)
        old = stored.to_dict() if stored is not None else None
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
    save_cache(store, computed.cache)
    log.info("Grouping: %s", report.summary())
    return report
