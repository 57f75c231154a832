"""An editor's correction applied to the incidents of the vendors it concerns, not by
regrouping every incident.

The incidents a correction names and every incident of their vendors are read, with their
member articles and the articles mentioning them (the scope). Then:
- a merge, split or move, or an article field grouping does not read, is replayed on them as
  a full regroup replays it (incidents.overlay): `apply_correction`;
- an article field grouping reads (vendors, dates, outage or not) regroups that article
  among them (`regroup_article`), with the document frequencies and vendor classes kept by
  the last grouping run (incidents.features); when that cannot give what a full run gives
  (no such cache, other articles changed since, a vendor name never seen, an article with no
  vendor, which may join any incident) it says so and the caller runs a full grouping.
The mentions of those vendors are placed again (incidents.mentions) and the incidents that
changed are written. A full regroup afterwards finds nothing to change
(tests/incidents/test_corrections.py checks each kind).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from pannes.incidents.assemble import build_incidents
from pannes.incidents.features import (
    LazyTerms,
    load_cache,
    mark_grouped,
    save_cache,
    update_frequencies,
)
from pannes.incidents.grouping import Grouper
from pannes.incidents.mentions import attach_mentions
from pannes.incidents.overlay import CorrectionSet, apply_incident_fields, apply_membership
from pannes.incidents.similarity import TfidfIndex
from pannes.store.corrected import corrected
from pannes.store.protocol import Store

from pannes.records import Correction, Incident, TaggedArticle

log = logging.getLogger(__name__)


class StoredIds(set[str]):
    """Incident ids in use: those added here, and any the store holds (asked one at a time)."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store

    def __contains__(self, incident_id: object) -> bool:
        return super().__contains__(incident_id) or (
            isinstance(incident_id, str) and self._store.get_incident(incident_id) is not None)


def _articles(store: Store, ids: Iterable[int], corrections: CorrectionSet) -> list[TaggedArticle]:
    """Tagged articles with their editors' corrections, texts left out (read when compared)."""
    return [TaggedArticle(item.article, corrected(item.tags, corrections.article_fields.get(
        item.article.id, []))) for item in store.tagged_articles(ids, with_text=False)]


def _whole_classes(classes: dict[str, str], names: Iterable[str]) -> set[str]:
    """`names` and every other name of their vendor classes (as of the last grouping run)."""
    names = set(names)
    wanted = {classes[n] for n in names if n in classes}
    return names | {n for n, c in classes.items() if c in wanted}


def _scope(store: Store, incident_ids: Iterable[str], vendors: Iterable[str],
           article_ids: Iterable[int]) -> tuple[dict[str, Incident], set[int]]:
    """The stored incidents named, those of their vendors and of `vendors`; the ids of their
    members, of the articles mentioning them and of `article_ids`."""
    named = [i for i in (store.get_incident(x) for x in sorted(set(incident_ids)))
             if i is not None]
    previous = {i.id: i for i in named}
    for vendor in sorted({v for i in named for v in i.vendors} | set(vendors)):
        previous.update((i.id, i) for i in store.list_incidents(vendor=vendor))
    ids = set(article_ids)
    for incident in previous.values():
        ids.update(incident.article_ids)
        ids.update(incident.provenance.get("mentioned_in", []))
    return previous, ids


def _stored_mentions(grouper: Grouper, previous: dict[str, Incident]) -> None:
    """The mentions each incident with articles held when stored (those of other vendors
    than the ones placed again stay as they were)."""
    for cluster in grouper.clusters:
        incident = previous.get(cluster.id)
        if incident is not None and cluster.members:
            cluster.mentions = grouper.mentions_of(incident)


def _in_scope(corrections: CorrectionSet, previous: dict[str, Incident],
              ids: set[int]) -> CorrectionSet:
    """The merges, splits and moves touching the incidents or articles in scope."""
    out = CorrectionSet()
    for c in corrections.membership:
        value = c.value if isinstance(c.value, dict) else {}
        if (c.target == "article" and int(c.target_id) in ids) or c.target_id in previous \
                or value.get("from") in previous or value.get("new_id") in previous:
            out.membership.append(c)
    return out


def _finish(store: Store, grouper: Grouper, previous: dict[str, Incident],
            corrections: CorrectionSet, vendors: Iterable[str]) -> list[Incident]:
    """Place the mentions of `vendors` again, write the incidents that changed."""
    attach_mentions(grouper, corrections.pinned_mentions,
                    only=grouper.vendor_classes_of(vendors))
    built = [apply_incident_fields(i, corrections) for i in build_incidents(grouper)]
    written = [i for i in built if i.id not in previous
               or i.to_dict() != previous[i.id].to_dict()]
    gone = sorted(set(previous) - {i.id for i in built})
    store.save_incidents(written, delete_ids=gone)
    log.info("%d incident(s) written, %d removed, of %d in scope", len(written), len(gone),
             len(previous))
    return written


def apply_correction(store: Store, correction: Correction, incident_ids: Iterable[str],
                     corrections: CorrectionSet) -> list[Incident]:
    """Replay one correction on the stored incidents it names (and their vendors'); write
    those that change. `corrections` are all the store's (for pins and field corrections)."""
    value = correction.value if isinstance(correction.value, dict) else {}
    named = {int(a) for a in value.get("article_ids", [])}
    if correction.target == "article":
        named.add(int(correction.target_id))
    named_incidents = [i for i in (store.get_incident(x) for x in set(incident_ids)) if i]
    cache = load_cache(store)
    names = _whole_classes(cache.classes if cache else {},
                           {v for i in named_incidents for v in i.vendors})
    previous, ids = _scope(store, incident_ids, names, named)
    grouper = Grouper(_articles(store, ids, corrections), list(previous.values()),
                      pinned=corrections.pinned_articles, index=TfidfIndex({}))
    _stored_mentions(grouper, previous)
    one = CorrectionSet()
    one.membership.append(correction)
    apply_membership(grouper, one)
    written = _finish(store, grouper, previous, corrections, names)
    if correction.target == "article":
        mark_grouped(store, [int(correction.target_id)])
    return written


def regroup_article(store: Store, article_id: int, corrections: CorrectionSet) -> bool:
    """Regroup a corrected article among the incidents of its vendors, old and new; False
    (nothing written) when only a full grouping run can give the right result."""
    cache = load_cache(store)
    states = store.grouping_states()
    if cache is None or cache.changed(states) - {article_id}:
        return False
    [item] = _articles(store, [article_id], corrections) or [None]
    if item is None:
        return False
    names = list(item.tags.vendors) + [m.vendor for m in item.tags.mentions if m.vendor]
    if any(n not in cache.classes for n in names) or (item.tags.is_outage
                                                      and not item.tags.vendors):
        return False
    outages = {a: s[0] for a, s in states.items() if s[2]}
    df = update_frequencies(store, cache, outages)
    if df is None:
        return False
    own = store.incident_of_article(article_id)
    names = _whole_classes(cache.classes, item.tags.vendors)
    previous, ids = _scope(store, [own] if own else [], names, [article_id])
    # The incident it leaves, and the incidents naming several vendors, bring those vendors'
    # other incidents in too (once: their mentions are placed again among all of them).
    names = _whole_classes(cache.classes, {v for i in previous.values() for v in i.vendors})
    previous, ids = _scope(store, list(previous), names, [article_id])
    taken = StoredIds(store)
    grouper = Grouper(_articles(store, ids, corrections), list(previous.values()),
                      pinned=corrections.pinned_articles, classes=cache.classes,
                      index=TfidfIndex(LazyTerms(store, outages), df), taken=taken)
    _stored_mentions(grouper, previous)
    grouper.assign_new()
    apply_membership(grouper, _in_scope(corrections, previous, ids))
    _finish(store, grouper, previous, corrections, names)
    cache.df, cache.counted = df, outages
    cache.states[article_id] = states[article_id]
    save_cache(store, cache)
    return True
