"""Editors' corrections laid over machine output: they win, every time output is rebuilt.

Corrections live in their own table (store.add_correction), never in the tags table, so
`pannes tag --retag` cannot erase them; grouping reads machine tags, lays article corrections
over them, groups, replays merges, splits and moves in the order they were made, then lays
incident corrections over the merged fields.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from pannes.incidents.grouping import Cluster, Grouper
from pannes.incidents.vendor_names import vendor_key
from pannes.store.corrected import apply_to_incident, corrected
from pannes.store.protocol import Store

from pannes.records import Correction, Incident, TaggedArticle

log = logging.getLogger(__name__)

MEMBERSHIP_FIELDS = {"merge", "split"}


@dataclass
class CorrectionSet:
    """All corrections of a store, sorted by what they apply to."""

    article_fields: dict[int, list[Correction]] = field(default_factory=lambda: defaultdict(list))
    incident_fields: dict[str, list[Correction]] = field(default_factory=lambda: defaultdict(list))
    membership: list[Correction] = field(default_factory=list)

    @property
    def pinned_articles(self) -> set[int]:
        """Articles an editor placed: grouping never moves them out on its own."""
        pinned: set[int] = set()
        for c in self.membership:
            if c.target == "article":
                pinned.add(int(c.target_id))
            else:
                pinned.update(int(a) for a in c.value.get("article_ids", []))
        return pinned

    @property
    def pinned_mentions(self) -> dict[tuple[int, str], str]:
        """(mentioning article, vendor key) -> incident, from merges of mention-only incidents."""
        pins: dict[tuple[int, str], str] = {}
        for c in self.membership:
            if c.field == "merge":
                for article_id in c.value.get("mentioned_in", []):
                    for vendor in c.value.get("vendors", []):
                        pins[(int(article_id), vendor_key(vendor))] = c.target_id
        return pins


    @property
    def merged_into(self) -> dict[str, list[str]]:
        """Incident id -> ids of the incidents merged into it, in the order of the merges."""
        sources: dict[str, list[str]] = defaultdict(list)
        for c in self.membership:
            if c.field == "merge" and c.value.get("from"):
                sources[c.target_id].append(str(c.value["from"]))
        return sources

    def merged_away(self, incident_id: str) -> list[str]:
        """Every incident merged into this one, directly or through another merge; an
        incident comes after those merged into it."""
        sources, out, seen = self.merged_into, [], {incident_id}

        def walk(target: str) -> None:
            for source in sources.get(target, []):
                if source not in seen:
                    seen.add(source)
                    walk(source)
                    out.append(source)

        walk(incident_id)
        return out

    def fields_of(self, incident_id: str) -> list[Correction]:
        """The field corrections an incident gets, in the order they apply: those of the
        incidents merged into it first, its own last (so its own win on a field both set)."""
        carried = [c for source in self.merged_away(incident_id)
                   for c in self.incident_fields.get(source, [])]
        return carried + list(self.incident_fields.get(incident_id, []))


def load_corrections(store: Store) -> CorrectionSet:
    """Every correction in the store, in the order they were made."""
    result = CorrectionSet()
    for c in store.corrections():
        if c.target == "article" and c.field == "incident":
            result.membership.append(c)
        elif c.target == "article":
            result.article_fields[int(c.target_id)].append(c)
        elif c.field in MEMBERSHIP_FIELDS:
            result.membership.append(c)
        else:
            result.incident_fields[c.target_id].append(c)
    return result


def corrected_articles(store: Store, corrections: CorrectionSet, *,
                       with_text: bool = True) -> Iterator[TaggedArticle]:
    """Tagged articles with corrections applied; non-outages only when they mention incidents.

    The text of non-outage articles is dropped: grouping needs only their mentions.
    """
    for item in store.iter_tagged(outage_only=True, mentioning=True, with_text=with_text):
        tags = corrected(item.tags, corrections.article_fields.get(item.article.id, []))
        if not tags.is_outage:
            if not tags.mentions:
                continue
            item.article.text = ""
        yield TaggedArticle(item.article, tags)


def apply_membership(grouper: Grouper, corrections: CorrectionSet) -> set[str]:
    """Replay merges, splits and moves on the clusters; returns ids of clusters touched."""
    merged_into: dict[str, str] = {}

    def resolve(incident_id: str) -> str:
        seen = set()
        while incident_id in merged_into and incident_id not in seen:
            seen.add(incident_id)
            incident_id = merged_into[incident_id]
        return incident_id

    by_id = {c.id: c for c in grouper.clusters}
    touched: set[str] = set()
    dropped: set[str] = set()

    def move(article_id: int, target: Cluster) -> None:
        if article_id not in grouper.outages:
            return
        current = grouper.cluster_of.get(article_id)
        if current is target:
            return
        if current is not None:
            current.members.remove(article_id)
            touched.add(current.id)
        target.members.append(article_id)
        grouper.cluster_of[article_id] = target
        touched.add(target.id)

    for c in corrections.membership:
        if c.field == "merge":
            target = by_id.get(resolve(c.target_id))
            source_id = c.value.get("from")
            if target is None:
                log.warning("Correction %s: incident %s no longer exists", c.id, c.target_id)
                continue
            merged_into[source_id] = target.id
            for article_id in c.value.get("article_ids", []):
                move(int(article_id), target)
            source = by_id.get(source_id)
            if source is not None and source is not target:
                for article_id in list(source.members):
                    move(article_id, target)
                target.mentions += source.mentions
                source.mentions = []
                dropped.add(source.id)
        elif c.field == "split":
            new_id = c.value["new_id"]
            target = by_id.get(new_id)
            if target is None:
                target = grouper.add_cluster(Cluster(new_id))
                by_id[new_id] = target
            for article_id in c.value.get("article_ids", []):
                move(int(article_id), target)
        elif c.field == "incident":
            target = by_id.get(resolve(str(c.value)))
            if target is None:
                log.warning("Correction %s: incident %s no longer exists", c.id, c.value)
                continue
            move(int(c.target_id), target)

    # Incidents emptied by moves or merged away disappear; mention-only ones stay.
    grouper.prune(lambda c: c.id not in dropped and bool(c.members or c.mention_vendor is not None))
    for cluster in grouper.clusters:
        if cluster.id in touched:
            if cluster.members:
                cluster.mention_vendor = cluster.mention_period = None
            grouper._refresh(cluster)
    return touched


def apply_incident_fields(incident: Incident, corrections: CorrectionSet) -> Incident:
    """Lay an incident's field corrections over its merged fields (the last one wins), after
    those of the incidents merged into it, which editors' merges carry over."""
    for c in corrections.fields_of(incident.id):
        apply_to_incident(incident, c.field, c.value)
    return incident
