"""Pairwise precision / recall / F1 of a grouping against gold incidents (ANNOTATION.md).

A pair is two articles put in the same incident. Precision: share of predicted pairs that
are gold pairs; recall: share of gold pairs that were predicted. Articles are any hashable
keys; an article absent from one side counts as alone there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date
from itertools import combinations
from typing import Any

from pannes.incidents.assemble import group_articles
from pannes.incidents.timespan import Period, parse_when

from pannes.records import Incident, TaggedArticle

Clusters = Iterable[Iterable[Hashable]]


@dataclass(frozen=True)
class PairwiseScores:
    """Pair counts and the scores derived from them."""

    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int
    gold_pairs: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _pairs(clusters: Clusters) -> set[frozenset]:
    pairs: set[frozenset] = set()
    for cluster in clusters:
        for a, b in combinations(sorted(set(cluster), key=repr), 2):
            pairs.add(frozenset((a, b)))
    return pairs


def pairwise_scores(gold_clusters: Clusters, predicted_clusters: Clusters) -> PairwiseScores:
    """Pairwise P/R/F1; with no predicted (gold) pairs, precision (recall) is 1.0."""
    gold, predicted = _pairs(gold_clusters), _pairs(predicted_clusters)
    true = len(gold & predicted)
    precision = true / len(predicted) if predicted else 1.0
    recall = true / len(gold) if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairwiseScores(precision, recall, f1, true, len(predicted), len(gold))


def clusters_from_labels(labels: Mapping[Hashable, Hashable | None]) -> list[set[Hashable]]:
    """Clusters from article -> incident label (None: the article is alone)."""
    groups: dict[Hashable, set[Hashable]] = defaultdict(set)
    for key, label in labels.items():
        groups[("label", label) if label is not None else ("alone", key)].add(key)
    return list(groups.values())


def clusters_from_links(keys: Iterable[Hashable],
                        links: Mapping[Hashable, Iterable[Hashable]]) -> list[set[Hashable]]:
    """Clusters from `same_incident_as` links (connected components)."""
    parent = {k: k for k in keys}

    def find(k: Hashable) -> Hashable:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for key, others in links.items():
        for other in others:
            if key in parent and other in parent:
                parent[find(key)] = find(other)
    groups: dict[Hashable, set[Hashable]] = defaultdict(set)
    for key in parent:
        groups[find(key)].add(key)
    return list(groups.values())


def clusters_from_incidents(incidents: Iterable[Incident]) -> list[set[int]]:
    """The article sets of predicted incidents."""
    return [set(i.article_ids) for i in incidents if i.article_ids]


def score_grouping(articles: Sequence[TaggedArticle],
                   gold_labels: Sequence[Hashable | None],
                   published_periods: Sequence[Period | None] = ()) -> PairwiseScores:
    """Group `articles` (predicted tags) and score against gold incident labels, in order.

    For `pannes eval`: gold_labels[i] is the gold incident id of articles[i] (None for a
    non-outage); published_periods[i], when given, the rough publication period of an article
    with no publication day. Articles are keyed by position, whatever their ids.
    """
    keyed = [TaggedArticle(replace(a.article, id=n), a.tags)
             for n, a in enumerate(articles, start=1)]
    periods = {n: p for n, p in enumerate(published_periods, start=1) if p is not None}
    predicted = clusters_from_incidents(group_articles(keyed, published_periods=periods))
    gold = clusters_from_labels({n: label for n, label in enumerate(gold_labels, start=1)})
    return pairwise_scores(gold, predicted)


def _published_date(value: str | None) -> date | None:
    """A gold publication date as a date; a month alone or nothing gives None."""
    if value and len(value) >= 10:
        return date.fromisoformat(value[:10])
    return None


def grouping_section(items: Sequence[Any], predictions: Sequence[dict[str, Any]]
                     ) -> dict[str, Any] | None:
    """Pairwise precision / recall / F1 of the incident grouping run on the predicted tags,
    against the gold incidents (`incident_id`, else `same_incident_as` links); None when the
    gold file says nothing about incidents."""
    from pannes.records import Article, Tags

    if not any(i.gold.get("incident_id") or i.gold.get("same_incident_as") for i in items):
        return None
    keys = [i.key for i in items]
    by_incident: dict[str, list[str]] = defaultdict(list)
    for i in items:
        if i.gold.get("incident_id"):
            by_incident[i.gold["incident_id"]].append(i.key)
    links = {i.key: [*(i.gold.get("same_incident_as") or []),
                     *by_incident.get(i.gold.get("incident_id") or "", [])] for i in items}
    component = {}
    for n, cluster in enumerate(clusters_from_links(keys, links)):
        for key in cluster:
            component[key] = n
    labels = [component[i.key] if i.gold.get("is_outage") else None for i in items]
    articles = [
        TaggedArticle(Article(url=f"gold:{i.key}", source=str(i.gold.get("source") or "gold"),
                              title=i.title or "", text=i.text,
                              published=_published_date(i.published)),
                      Tags.from_dict(p))
        for i, p in zip(items, predictions, strict=True)
    ]
    pairs = score_grouping(articles, labels, [parse_when(i.published) for i in items])
    return {
        "articles": len(items),
        "incident pairs": {
            "precision": pairs.precision, "recall": pairs.recall, "f1": pairs.f1,
            "tp": pairs.true_pairs, "fp": pairs.predicted_pairs - pairs.true_pairs,
            "fn": pairs.gold_pairs - pairs.true_pairs,
        },
    }
