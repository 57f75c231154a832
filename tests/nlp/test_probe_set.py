"""The tagger on the probe sets: invented articles shaped like crawled pages, with thresholds.

Each set (tests/fixtures/nlp/probe.jsonl, 30 articles; probe2.jsonl and probe3.jsonl, 20 each)
was written and annotated before the tagger ever ran on it, in the shape the crawler stores:
page boilerplate, live-blog stamps, partial or missing publication dates, unknown vendors. Each
was measured once as held-out text, then used to find general rules: the first figures say how
the tagger does on text nobody tuned it for, the later ones what the rules bought. The next set
written is the next held-out measurement. The thresholds sit a little under the measured figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pannes.nlp.evaluate import evaluate_file
from pannes.nlp.tagger import Tagger

from tests.nlp.targets import below_targets

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "nlp"

# Measured on the 30 probe articles (pannes-tagger-1.4, unchanged since 1.3): outage F1 1.00 (0.97 before), vendors
# 0.97 (0.92), affected 1.00 (0.33, then 0.50), impact 0.92 (0.87), region 0.97 (0.86), cause 1.00
# (0.74), duration 0.95, start 1.00 (0.89).
PROBE_TARGETS = {
    ("is_outage", "f1"): 0.95,
    ("vendors", "f1"): 0.90,
    ("affected", "f1"): 0.90,
    ("impact", "f1"): 0.88,
    ("region", "f1"): 0.92,
    ("cause", "accuracy"): 0.89,
    ("duration", "accuracy"): 0.89,
    ("start", "accuracy"): 0.94,
}


# probe2 (pannes-tagger-1.4), first held-out measurement -> after the rules it showed were
# missing: outage F1 0.78 -> 1.00, vendors 0.73 -> 1.00, affected 0.08 -> 0.96, impact 0.73 -> 0.81,
# region 0.57 -> 0.89, cause 0.57 -> 0.93, duration 0.57 -> 0.93, start 0.64 -> 1.00.
PROBE2_TARGETS = {
    ("is_outage", "f1"): 0.95,
    ("vendors", "f1"): 0.95,
    ("affected", "f1"): 0.90,
    ("impact", "f1"): 0.78,
    ("region", "f1"): 0.85,
    ("cause", "accuracy"): 0.89,
    ("duration", "accuracy"): 0.89,
    ("start", "accuracy"): 0.95,
}

# probe3 (pannes-tagger-1.4), first held-out measurement -> after one round of general rules:
# outage F1 0.73 (recall 8/14) -> 0.92, vendors 0.42 -> 0.78, affected 0.25 -> 0.53, impact
# 0.50 -> 0.68, region 0.67 -> 0.82, cause 6/14 -> 9/14, duration 6/14 -> 9/14, start 9/14 -> 13/14.
PROBE3_TARGETS = {
    ("is_outage", "f1"): 0.88,
    ("vendors", "f1"): 0.75,
    ("affected", "f1"): 0.50,
    ("impact", "f1"): 0.65,
    ("region", "f1"): 0.80,
    ("cause", "accuracy"): 0.60,
    ("duration", "accuracy"): 0.60,
    ("start", "accuracy"): 0.90,
}


@pytest.mark.parametrize(("name", "articles", "targets"), [
    ("probe.jsonl", 30, PROBE_TARGETS),
    ("probe2.jsonl", 20, PROBE2_TARGETS),
    ("probe3.jsonl", 20, PROBE3_TARGETS),
])
def test_probe_set_meets_its_thresholds(tagger: Tagger, name: str, articles: int,
                                        targets: dict[tuple[str, str], float]) -> None:
    scores, _ = evaluate_file(FIXTURES / name, tagger)
    tagging = scores["tagging"]
    assert tagging["articles"] == articles
    below = below_targets(tagging, targets)
    assert below == {}, f"below threshold: {below}"
