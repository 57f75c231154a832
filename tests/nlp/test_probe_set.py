"""The tagger on the probe sets: invented articles shaped like crawled pages, with thresholds.

The texts (tests/fixtures/nlp/probe.jsonl, 30 articles; probe2.jsonl, 20 more) were written and
annotated before the tagger ran on them, in the shape the crawler stores: page boilerplate,
live-blog stamps, partial or missing publication dates, unknown vendors. Rules are tuned on the
first set only; probe2 stays held out, to show how the tagger does on text nobody tuned it for.
The thresholds sit a little under the measured figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.tagger import Tagger
from pannes.commands.tag import evaluate_file
from tests.nlp.targets import below_targets

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "nlp"

# Measured on the 30 probe articles (pannes-tagger-1.3): outage F1 1.00 (0.97 before), vendors
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


# Measured on the 20 held-out probe2 articles (pannes-tagger-1.3, before and after the affected
# rules tuned on probe: unchanged): outage F1 0.78 (recall 0.64), vendors 0.73, affected 0.08
# (1 of 25: most clients there are unknown names the recogniser does not find), impact 0.73,
# region 0.57, cause 0.57, duration 0.57, start 0.64.
PROBE2_TARGETS = {
    ("is_outage", "f1"): 0.75,
    ("vendors", "f1"): 0.70,
    ("affected", "f1"): 0.05,
    ("impact", "f1"): 0.70,
    ("region", "f1"): 0.55,
    ("cause", "accuracy"): 0.55,
    ("duration", "accuracy"): 0.55,
    ("start", "accuracy"): 0.60,
}


@pytest.mark.parametrize(("name", "articles", "targets"), [
    ("probe.jsonl", 30, PROBE_TARGETS),
    ("probe2.jsonl", 20, PROBE2_TARGETS),
])
def test_probe_set_meets_its_thresholds(tagger: Tagger, name: str, articles: int,
                                        targets: dict[tuple[str, str], float]) -> None:
    scores, _ = evaluate_file(FIXTURES / name, tagger)
    tagging = scores["tagging"]
    assert tagging["articles"] == articles
    below = below_targets(tagging, targets)
    assert below == {}, f"below threshold: {below}"
