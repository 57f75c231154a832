"""Acceptance: the tagger on the shared seeds (every field right) and the real dev set (targets).

The texts are read from ../shared at run time (never copied into the project); the test is
skipped, with the reason, only when ../shared is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pannes.nlp.evaluate import article_errors, evaluate_file
from pannes.nlp.goldsets import load_gold
from pannes.nlp.tagger import Tagger

from tests.nlp.targets import below_targets

pytestmark = pytest.mark.slow

# The dev set trains the learned decisions (with train.jsonl), so these are in-sample figures
# (2026-12-07, pannes-tagger-2: outage 1.00, vendors 1.00, affected 0.97, impact 0.975, cause,
# duration and start 15/15), each threshold one article under; the honest figure is the
# cross-validation in the README.
DEV_TARGETS = {
    ("is_outage", "f1"): 0.93,
    ("vendors", "f1"): 0.93,
    ("affected", "f1"): 0.94,
    ("impact", "f1"): 0.95,
    ("cause", "accuracy"): 0.93,
    ("duration", "accuracy"): 0.93,
    ("start", "accuracy"): 0.93,
}


def test_seeds_every_field_right(tagger: Tagger, shared_dir: Path) -> None:
    gold_path = shared_dir / "seeds" / "gold.jsonl"
    items = load_gold(gold_path)
    assert len(items) == 3
    predictions = list(tagger.tag_many((i.text, i.published, i.title) for i in items))
    errors = {i.key: article_errors(i.gold, p.to_dict(), i.text) for i, p in zip(items, predictions, strict=True)}
    assert errors == {i.key: [] for i in items}


def test_dev_set_meets_the_targets(tagger: Tagger, shared_dir: Path) -> None:
    scores, rows = evaluate_file(shared_dir / "eval" / "dev.jsonl", tagger)
    tagging = scores["tagging"]
    assert tagging["articles"] == 24
    below = below_targets(tagging, DEV_TARGETS)
    assert below == {}, f"below target: {below}"
