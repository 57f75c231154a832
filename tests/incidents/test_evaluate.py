"""Pairwise scores on small hand-counted cases."""

from __future__ import annotations

import pytest
from pannes.incidents.evaluate import clusters_from_labels, clusters_from_links, pairwise_scores


def test_perfect_grouping():
    s = pairwise_scores([{1, 2, 3}, {4}], [{3, 2, 1}, {4}])
    assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0)
    assert (s.true_pairs, s.gold_pairs) == (3, 3)


def test_over_merging_costs_precision_and_splitting_costs_recall():
    # gold pairs: 12 13 23 45; predicted pairs: 12 45 34 35 -> true 12, 45
    s = pairwise_scores([{1, 2, 3}, {4, 5}], [{1, 2}, {3, 4, 5}])
    assert s.true_pairs == 2 and s.predicted_pairs == 4 and s.gold_pairs == 4
    assert s.precision == pytest.approx(0.5)
    assert s.recall == pytest.approx(0.5)
    assert s.f1 == pytest.approx(0.5)


def test_no_pairs_at_all_is_not_a_division_by_zero():
    s = pairwise_scores([{1}, {2}], [{1}, {2}])
    assert (s.precision, s.recall) == (1.0, 1.0)
    s = pairwise_scores([{1, 2}], [{1}, {2}])
    assert (s.precision, s.recall, s.f1) == (1.0, 0.0, 0.0)


def test_clusters_from_labels_and_links():
    assert sorted(map(sorted, clusters_from_labels({1: "a", 2: "a", 3: None, 4: None}))) == \
        [[1, 2], [3], [4]]
    assert sorted(map(sorted, clusters_from_links([1, 2, 3, 4], {1: [2], 2: [3]}))) == \
        [[1, 2, 3], [4]]
