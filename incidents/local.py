"""An editor's merge, split or move (or an article field grouping does not read) applied to
the incidents of its vendors, not by regrouping all of them.

The incidents it names and every incident of their vendors are read, with their member
articles and the articles mentioning them; the correction is replayed on them as a full
regroup replays it (incidents.overlay), the mentions of those vendors are placed again
(incidents.mentions), and the incidents that changed are written. A full regroup afterwards
finds nothing to change (tests/incidents/test_corrections.py checks merge, split and move).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from pannes.incidents.assemble import build_incidents
from pannes.incidents.grouping import Grouper
from pannes.incidents.mentions import attach_mentions
from pannes.incidents.overlay import CorrectionSet, apply_incident_fields, apply_membership
from pannes.incidents.similarity import TfidfIndex
from pannes.store.corrected import corrected
from pannes.store.protocol import Store

from pannes.records import Correction, Incident, TaggedArticle

log = logging.getLogger(__name__)


class StoredIds:
    """Incident ids in use, asked of the store one at a time (for new ids)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def __contains__(self, incident_id: object) -> bool:
        return isinstance(incident_id, str) and self._store.get_incident(incident_id) is not None


def _articles(store: Store, ids: Iterable[int], corrections: CorrectionSet) -> list[TaggedArticle]:
    """Tagged articles with their editors' corrections, texts left out (not compared here)."""
    return [TaggedArticle(item.article, corrected(item.tags, corrections.article_fields.get(
        item.article.id, []))) for item in store.tagged_articles(ids, with_text=False)]


def apply_correction(store: Store, correction: Correction, incident_ids: Iterable[str],
                     corrections: CorrectionSet) -> list[Incident]:
    """Replay one correction on the stored incidents it names (and their vendors'); write
    those that change.

    `corrections` are all the store's corrections (for pins and field corrections); returns
    the incidents written.
    """
    named = [i for i in (store.get_incident(x) for x in sorted(set(incident_ids)))
             if i is not None]
    # Every incident of their vendors: the mentions of these vendors are placed again.
    previous = {i.id: i for i in named}
    for vendor in sorted({v for i in named for v in i.vendors}):
        previous.update((i.id, i) for i in store.list_incidents(vendor=vendor))
    value = correction.value if isinstance(correction.value, dict) else {}
    ids = {int(a) for a in value.get("article_ids", [])}
    if correction.target == "article":
        ids.add(int(correction.target_id))
    for incident in previous.values():
        ids.update(incident.article_ids)
        ids.update(incident.provenance.get("mentioned_in", []))
    articles = _articles(store, ids, corrections)
    grouper = Grouper(articles, list(previous.values()), pinned=corrections.pinned_articles,
                      index=TfidfIndex({}))
    for incident in previous.values():
        cluster = next((c for c in grouper.clusters if c.id == incident.id), None)
        if cluster is not None and cluster.members:
            cluster.mentions = grouper._mentions_of(incident)
    one = CorrectionSet()
    one.membership.append(correction)
    apply_membership(grouper, one)
    vendors = {v for i in named for v in i.vendors}
    attach_mentions(grouper, corrections.pinned_mentions, only=grouper.vendor_classes_of(vendors))
    built = [apply_incident_fields(i, corrections) for i in build_incidents(grouper)]
    written = [i for i in built if i.id not in previous
               or i.to_dict() != previous[i.id].to_dict()]
    gone = sorted(set(previous) - {i.id for i in built})
    store.save_incidents(written, delete_ids=gone)
    log.info("Correction %s: %d incident(s) written, %d removed", correction.id, len(written),
             len(gone))
    return written
