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

# Measured on 95 French articles (2026-11-25): outage F1 0.99, vendors 1.00 and affected 0.98
# (0.93 and 0.77 before the role rules read general phrasings of who was hit), impact 0.82
# (0.72 before the impact rules were generalised), cause 0.83, duration 0.93, start 0.92,
# region 0.95 (0.64 before places outside the outage sentences were read).
DEMO_TARGETS = {
    ("is_outage", "f1"): 0.95,
    ("vendors", "f1"): 0.88,
    ("affected", "f1"): 0.90,
    ("impact", "f1"): 0.78,
    ("cause", "accuracy"): 0.75,
    ("duration", "accuracy"): 0.85,
    ("start", "accuracy"): 0.85,
    ("region", "f1"): 0.88,
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
