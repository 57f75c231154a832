"""Grouping quality: pairwise precision / recall / F1 against gold incidents (gold tags).

The expected figures are the measured ones. They mean something: a vendor-only grouping (every
article of a vendor in one incident) is checked to fall well below them on the demo corpus,
where vendors have several incidents each.
"""

from __future__ import annotations

from collections import defaultdict

from pannes.incidents.assemble import group_articles
from pannes.incidents.evaluate import (
    clusters_from_incidents,
    clusters_from_labels,
    clusters_from_links,
    pairwise_scores,
    score_grouping,
)


def _vendor_only(items):
    groups = defaultdict(set)
    for item in items:
        if item.tags.is_outage and item.tags.vendors:
            groups[item.tags.vendors[0]].add(item.article.id)
    return list(groups.values())


def test_demo_corpus_grouping_matches_gold(demo_items):
    items, labels = demo_items
    gold = clusters_from_labels(labels)
    scores = pairwise_scores(gold, clusters_from_incidents(group_articles(items)))
    print(f"demo corpus pairwise: {scores}")
    # Measured on the gold tags: every one of the 37 gold pairs found, no other pair.
    assert (scores.true_pairs, scores.predicted_pairs, scores.gold_pairs) == (37, 37, 37)
    baseline = pairwise_scores(gold, _vendor_only(items))
    print(f"vendor-only baseline: {baseline}")
    assert baseline.precision < 0.8 < scores.precision


def test_seeds_000_and_001_are_one_incident_002_another(seed_items):
    items, links = seed_items
    incidents = group_articles(items)
    scores = pairwise_scores(clusters_from_links(links.keys(), links),
                             clusters_from_incidents(incidents))
    print(f"seeds pairwise: {scores}")
    assert (scores.precision, scores.recall) == (1.0, 1.0)
    by_article = {a: i for i in incidents for a in i.article_ids}
    assert by_article[1] is by_article[2]
    assert by_article[3] is not by_article[1]
    gli = by_article[1]
    assert gli.vendors == ["GLI"]
    assert gli.start.isoformat() == "2016-06-19"
    # 000 names the cause (a disk array) and rules out a cyberattack; 001 gives none.
    assert gli.cause == "hardware" and "cyberattack" in gli.cause_ruled_out
    assert set(gli.provenance["start"]) == {1, 2}


def test_dev_set_grouping(dev_items):
    items, labels = dev_items
    scores = pairwise_scores(clusters_from_labels(labels),
                             clusters_from_incidents(group_articles(items)))
    print(f"dev set pairwise: {scores}")
    # Measured on the gold tags: 5 of the 7 gold pairs, no other. The undated story of the
    # three-article incident is compared with the dated one at cosine 0.239, under the
    # "unknown" threshold (0.25, chosen by cross-validation on train+dev, where it gains far
    # more pairs than it loses); with 0.20 it was 7 of 7.
    assert (scores.true_pairs, scores.predicted_pairs, scores.gold_pairs) == (5, 5, 7)


def test_score_grouping_for_eval_keys_by_position(dev_items):
    items, labels = dev_items
    direct = pairwise_scores(clusters_from_labels(labels),
                             clusters_from_incidents(group_articles(items)))
    assert score_grouping(items, [labels[n] for n in range(1, len(items) + 1)]) == direct
