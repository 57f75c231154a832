"""The tagger on the demo corpus (fictional vendors, hard negatives), with its own thresholds.

The thresholds sit a little under the measured figures so that a regression fails while the
corpus, written by another helper, can still grow.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pannes.nlp.evaluate import evaluate_file
from pannes.nlp.tagger import Tagger

from tests.nlp.targets import below_targets

pytestmark = pytest.mark.slow

# Measured on 95 French articles (2026-12-07, pannes-tagger-2; in-sample since the learned
# decisions train on the demo corpus too): outage F1 1.00, vendors 1.00, affected 1.00 (learned
# since then), impact 0.84, cause 51/60, duration 56/60, start 57/60, region 0.97 (0.91 since
# the inner CV chose a more regularised place model, C 0.3, on 2026-12-07, timing2; 0.83 since
# the place model reads every place named, 2026-12-08: it lists towns named as hit, as the real
# sets do, where the demo gold keeps the broader region). Thresholds: one article under.
DEMO_TARGETS = {
    ("is_outage", "f1"): 0.98,
    ("vendors", "f1"): 0.98,
    ("affected", "f1"): 0.98,
    ("impact", "f1"): 0.85,
    ("cause", "accuracy"): 0.83,
    ("duration", "accuracy"): 0.91,
    ("start", "accuracy"): 0.93,
    ("region", "f1"): 0.81,
}


@pytest.fixture(scope="module")
def demo_tagger(project_root: Path) -> Tagger:
    return Tagger.load(extra_vendor_files=[project_root / "demo" / "vendors.jsonl"])


def test_demo_corpus_meets_its_thresholds(demo_tagger: Tagger, project_root: Path, demo_corpus) -> None:
    scores, _ = evaluate_file(project_root / "demo" / "corpus" / "articles.jsonl", demo_tagger)
    tagging = scores["tagging"]
    assert tagging["articles"] >= 80
    below = below_targets(tagging, DEMO_TARGETS)
    assert below == {}, f"below threshold: {below}"
