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

# Since pannes-tagger-2 the learned decisions are trained on these sets too (with the real
# ones; `make models`), so the figures below are in-sample: they guard against regressions,
# and say nothing of unseen text (the README's cross-validated figures do). Each threshold
# sits one article under the figure measured on 2026-12-07 (pannes-tagger-2).
# The history: probe was measured once held out, then the rules were written from it; probe2
# first held out: outage F1 0.78, vendors 0.73, affected 0.08, impact 0.73, region 0.57,
# cause 8/14, duration 8/14, start 9/14; probe3 first held out: outage 0.73, vendors 0.42,
# affected 0.25, impact 0.50, region 0.67, cause 6/14, duration 6/14, start 9/14.

# probe (19 outages): outage 1.00, vendors 0.97, affected 1.00, impact 0.92, region 0.97,
# cause 19/19, duration 18/19, start 19/19.
PROBE_TARGETS = {
    ("is_outage", "f1"): 0.94,
    ("vendors", "f1"): 0.92,
    ("affected", "f1"): 0.88,
    ("impact", "f1"): 0.89,
    ("region", "f1"): 0.92,
    ("cause", "accuracy"): 0.94,
    ("duration", "accuracy"): 0.89,
    ("start", "accuracy"): 0.94,
}

# probe2 (14 outages): outage 1.00, vendors 1.00, affected 1.00, impact 0.84, region 1.00
# (0.80 since the place model reads every place named, 2026-12-08: a storm's region lost, a
# town gained), cause 13/14, duration 13/14, start 14/14.
PROBE2_TARGETS = {
    ("is_outage", "f1"): 0.92,
    ("vendors", "f1"): 0.92,
    ("affected", "f1"): 0.95,
    ("impact", "f1"): 0.82,
    ("region", "f1"): 0.77,
    ("cause", "accuracy"): 0.85,
    ("duration", "accuracy"): 0.85,
    ("start", "accuracy"): 0.92,
}

# probe3 (14 outages): outage 1.00, vendors 1.00, affected 0.83, impact 0.75, region 0.90,
# cause 11/14, duration 11/14, start 14/14 (affected was 0.53 with the rules' affected; 0.92
# before the enumeration features, which raised affected on the real sets' cross-validation).
PROBE3_TARGETS = {
    ("is_outage", "f1"): 0.92,
    ("vendors", "f1"): 0.95,
    ("affected", "f1"): 0.79,
    ("impact", "f1"): 0.77,
    ("region", "f1"): 0.85,
    ("cause", "accuracy"): 0.71,
    ("duration", "accuracy"): 0.71,
    ("start", "accuracy"): 0.92,
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
