"""The learned choice of the day the incident reported began, among the days an article names.

Every article here is our own invention; the figures on real articles come from `make crossval`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pannes.nlp.decisions import Models, decide_start
from pannes.nlp.goldsets import GoldItem
from pannes.nlp.start_choice import start_labels
from pannes.nlp.tagger import Tagger
from pannes.nlp.training import Example, Settings, extract, fit_start

PUBLISHED = "2031-03-07"  # a Friday
MONDAY, WEDNESDAY = date(2031, 3, 3), date(2031, 3, 5)
VENDORS = ["Orange", "SFR", "Bouygues Telecom", "Free", "OVHcloud", "La Poste", "Doctolib", "Amazon"]
EVENTS = ["Le salon de l'automobile", "Le marché de Noël", "Le festival de jazz", "Le tournoi de tennis",
          "La foire aux vins", "Le congrès des maires", "Le carnaval", "Le semi-marathon"]


def article(i: int) -> str:
    """A day of another event first (perturbed on Monday), then the outage's own day (Wednesday)."""
    vendor, event = VENDORS[i % 8], EVENTS[(i * 3) % 8]
    return (f"Panne chez {vendor}\n\n"
            f"{event} a été perturbé lundi par une manifestation sans rapport. "
            f"Une panne géante a coupé le réseau de {vendor} mercredi matin, privant des milliers de clients. "
            f"Le service est désormais rétabli, a indiqué {vendor}.")


def gold_item(i: int) -> GoldItem:
    gold = {"is_outage": True, "vendors": [VENDORS[i % 8]], "start": WEDNESDAY.isoformat(),
            "incident_id": f"invented-start-{i}"}
    return GoldItem(f"invented-start-{i}", article(i), None, PUBLISHED, gold)


@pytest.fixture(scope="module")
def examples(rules_tagger: Tagger) -> list[Example]:
    return extract(rules_tagger, [gold_item(i) for i in range(16)])


@pytest.fixture(scope="module")
def trained(examples: list[Example]) -> Models:
    models = Models(use_rules=["outage", "vendors", "affected", "impact", "cause", "region", "duration"])
    models.start = fit_start(examples[:12], replace(Settings(), c_start=1.0))
    return models


def test_the_rules_take_the_earliest_day_named_with_a_disruption(examples: list[Example]) -> None:
    """What the learned choice has to fix: the other event's Monday comes first."""
    assert all(e.rule["start"] == MONDAY.isoformat() for e in examples)


def test_every_day_named_is_a_candidate_with_its_features(examples: list[Example]) -> None:
    starts = examples[0].timing.starts
    assert [c.value for c in starts] == [MONDAY, WEDNESDAY]
    monday, wednesday = (c.features for c in starts)
    assert monday.get("earliest") == 1.0 and wednesday.get("latest") == 1.0
    assert wednesday.get("w:a1:matin") == 1.0 and monday.get("w:b1:perturbé") == 1.0
    assert start_labels(starts, examples[0].gold) == ["no", "yes"]
    assert examples[0].timing.rule_resolved == MONDAY


def test_the_trained_choice_takes_the_outage_day(examples: list[Example], trained: Models) -> None:
    for e in examples[12:]:
        assert decide_start(trained, e.timing, MONDAY) == WEDNESDAY, e.key
    kept = replace(trained, use_rules=[*trained.use_rules, "start"])
    assert decide_start(kept, examples[12].timing, MONDAY) == MONDAY


def test_the_tagger_applies_the_shipped_start_model(trained: Models, rules_tagger: Tagger, tmp_path: Path) -> None:
    trained.save(tmp_path)
    tagger = Tagger.load(models_dir=tmp_path)
    text = article(14)
    learned, rules = tagger.tag(text, published=PUBLISHED), rules_tagger.tag(text, published=PUBLISHED)
    assert (learned.start, rules.start) == (WEDNESDAY, MONDAY)
    assert any("mercredi" in s for s in learned.evidence["start"])
