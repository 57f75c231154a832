"""Past incidents mentioned in passing ("la panne mondiale d'octobre 2011") become incidents too.

A mention (vendor + approximate date) attaches to the incident of that vendor whose dates
fall in the mentioned period; failing that, to an incident already known only from mentions
of the same vendor and period; failing that, it creates one (`known_from_mentions=True`).
Mentions are re-attached from scratch on every grouping, so they follow the incidents.
"""

from __future__ import annotations

from collections.abc import Mapping

from pannes.incidents.grouping import MENTION_JOIN_RELATIONS, Cluster, Grouper
from pannes.incidents.ids import mention_incident_id
from pannes.incidents.timespan import RELATION_RANK, Span, parse_when, period_span, relation
from pannes.incidents.vendor_names import vendor_key


def attach_mentions(grouper: Grouper, pinned: Mapping[tuple[int, str], str] = {},
                    only: set[str] | None = None) -> None:
    """Attach every dated, vendor-named mention to an incident (creating some if needed).

    `pinned` maps (mentioning article id, vendor key) to the incident an editor attached that
    mention to (by merging); such mentions go there whatever their dates. With `only` (vendor
    classes), mentions of other vendors are left where they are.
    """

    def ours(article_id: int, index: int) -> bool:
        vendor = grouper.all[article_id].tags.mentions[index].vendor or ""
        return only is None or bool(grouper.vendor_classes_of([vendor]) & only)

    for cluster in grouper.clusters:
        cluster.mentions = [(a, i) for a, i in cluster.mentions if not ours(a, i)]
    by_id = {c.id: c for c in grouper.clusters}

    items = sorted(grouper.all.values(), key=lambda a: a.article.id)
    for item in items:
        own = grouper.cluster_of.get(item.article.id)
        for index, mention in enumerate(item.tags.mentions):
            if not mention.vendor or not ours(item.article.id, index):
                continue
            period = parse_when(mention.when)
            if period is None:
                continue
            target_id = pinned.get((item.article.id, vendor_key(mention.vendor)))
            if target_id in by_id:
                by_id[target_id].mentions.append((item.article.id, index))
                continue
            span = period_span(period)
            classes = grouper.vendor_classes_of([mention.vendor])
            if own is not None and classes & own.vendor_classes and \
                    relation(span, own.span) == "same":
                continue  # the article's own incident, not a past one
            target = _best_real(grouper, classes, span, own)
            if target is None:
                target = _mention_cluster(grouper, classes, span)
            if target is None:
                new_id = mention_incident_id(mention.vendor, period.label, item.article.id,
                                             grouper.taken)
                target = grouper.add_cluster(Cluster(new_id, mention_vendor=mention.vendor,
                                                     mention_period=period.label))
                by_id[new_id] = target
            target.mentions.append((item.article.id, index))
            if target.known_from_mentions:
                grouper._refresh(target)

    grouper.prune(lambda c: bool(c.members or c.mentions))
    for cluster in grouper.clusters:
        if not cluster.members:
            grouper._refresh(cluster)
            if cluster.mention_period is None:
                cluster.mention_period = grouper._period_label(cluster)


def _best_real(grouper: Grouper, classes: set[str], span: Span,
               own: Cluster | None) -> Cluster | None:
    """The incident with articles, of this vendor, whose dates fit the mentioned period."""
    best = None
    for cluster in grouper.clusters_naming(classes):
        if not cluster.members or cluster is own or not classes & cluster.vendor_classes:
            continue
        rel = relation(span, cluster.span)
        if rel not in MENTION_JOIN_RELATIONS:
            continue
        distance = abs((cluster.span.lo or cluster.span.pub_lo) - span.lo).days
        key = (RELATION_RANK[rel], -distance)
        if best is None or key > best[0]:
            best = (key, cluster)
    return best[1] if best else None


def _mention_cluster(grouper: Grouper, classes: set[str], span: Span) -> Cluster | None:
    """An incident known only from mentions, of this vendor, in an overlapping period."""
    for cluster in grouper.clusters_naming(classes):
        if cluster.members or not classes & cluster.vendor_classes:
            continue
        cluster_span = cluster.span
        if cluster_span.lo is None:
            period = parse_when(cluster.mention_period)
            if period is None:
                continue
            cluster_span = period_span(period)
        if relation(span, cluster_span) == "same":
            return cluster
    return None
