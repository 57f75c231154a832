"""The learned choice of the timing phrases that belong to the incident reported.

Every article here is our own invention. The figures of the choice on real articles are
measured by cross-validation (`make crossval`), not here: these tests check that the candidates
and their features are read, that a model trained on annotated articles learns to leave out a
figure of another event, and that the shipped component applies the model.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pannes.nlp.decisions import Models, decide_duration
from pannes.nlp.duration_choice import belongs, candidate_labels, combine_chosen
from pannes.nlp.goldsets import GoldItem
from pannes.nlp.tagger import Tagger
from pannes.nlp.training import Example, Settings, extract, fit_duration

from pannes.records import Duration

VENDORS = ["Orange", "SFR", "Bouygues Telecom", "Free", "OVHcloud", "La Poste", "Doctolib", "Amazon"]
SERVICES = ["le réseau mobile", "la messagerie", "le site internet", "l'application", "le paiement en ligne",
            "la plateforme de réservation", "le service client", "la box internet"]
LENGTHS = [("deux heures", 2.0), ("trois heures", 3.0), ("quatre heures", 4.0), ("cinq heures", 5.0),
           ("six heures", 6.0), ("sept heures", 7.0), ("huit heures", 8.0), ("neuf heures", 9.0)]
# A figure of another event, in a sentence that says nothing of the failure.
OTHER = ["L'audit commandé par la direction a duré {n} jours.", "La campagne de publicité a duré {n} jours.",
         "Le salon professionnel de la ville a duré {n} jours.", "Les négociations salariales ont duré {n} jours.",
         "La formation des nouveaux conseillers a duré {n} jours.", "Le festival de musique a duré {n} jours.",
         "La visite du ministre a duré {n} jours.", "Le déménagement du siège a duré {n} jours."]
DAYS = ["cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze"]


def article(i: int) -> tuple[str, str, float]:
    """(text, the incident's length phrase, its hours) of invented article number i."""
    vendor, service = VENDORS[i % 8], SERVICES[(i * 3) % 8]
    phrase, hours = LENGTHS[(i * 5) % 8]
    other = OTHER[(i * 7) % 8].format(n=DAYS[i % 8])
    text = (f"Panne chez {vendor} : {service} coupé mardi\n\n"
            f"Une panne géante a coupé {service} de {vendor} mardi matin. "
            f"Les clients ont été privés de service pendant {phrase}, selon l'opérateur. "
            f"{other} "
            f"Le service est désormais rétabli, a indiqué {vendor}.")
    return text, f"pendant {phrase}", hours


def gold_item(i: int) -> GoldItem:
    text, phrase, hours = article(i)
    gold = {"is_outage": True, "vendors": [VENDORS[i % 8]], "incident_id": f"invented-{i}",
            "duration": {"text": [phrase], "hours_min": hours, "hours_max": hours, "ongoing": False}}
    return GoldItem(f"invented-{i}", text, None, "2031-03-06", gold)


@pytest.fixture(scope="module")
def examples(rules_tagger: Tagger) -> list[Example]:
    return extract(rules_tagger, [gold_item(i) for i in range(16)])


@pytest.fixture(scope="module")
def trained(examples: list[Example]) -> Models:
    """A model fitted on the first twelve invented articles; the others are held out."""
    models = Models(use_rules=["outage", "vendors", "affected", "impact", "cause", "region"])
    models.duration = fit_duration(examples[:12], replace(Settings(), c_duration=1.0))
    return models


def test_the_rules_span_the_other_events_figure(examples: list[Example]) -> None:
    """What the learned choice has to fix: the rules take the audit's days as the outage's."""
    wrong = [e for e in examples if e.rule["duration"]["hours_max"] != e.gold["duration"]["hours_max"]]
    assert len(wrong) >= 12


def test_candidates_carry_both_figures_and_what_their_sentences_say(examples: list[Example]) -> None:
    timing = examples[0].timing
    texts = [c.text for c in timing.candidates]
    assert "pendant deux heures" in texts
    assert "cinq jours" in texts
    own = timing.candidates[texts.index("pendant deux heures")].features
    other = timing.candidates[texts.index("cinq jours")].features
    assert own.get("cue_outage") == 1.0 and "cue_outage" not in other
    assert own.get("kind=total") == 1.0 and own.get("precise") == 1.0
    assert own.get("w:in:pendant") == 1.0 and own.get("w:b1:service") == 1.0
    assert any(k.startswith("w:verb:") for k in own)


def test_gold_phrases_label_the_candidates(examples: list[Example]) -> None:
    labels = candidate_labels(examples[0].timing, examples[0].gold)
    texts = [c.text for c in examples[0].timing.candidates]
    assert labels[texts.index("pendant deux heures")] == "yes"
    assert labels[texts.index("cinq jours")] == "no"


@pytest.mark.parametrize(
    ("candidate", "gold", "expected"),
    [
        ("pendant trois heures", ["privés de réseau pendant trois heures"], True),
        ("Depuis  jeudi", ["depuis jeudi matin"], True),
        ("trois heures de panne", ["pendant trois heures"], True),
        ("cinq jours", ["pendant trois heures"], False),
        ("9h40", [], False),
    ],
)
def test_belongs(candidate: str, gold: list[str], expected: bool) -> None:
    assert belongs(candidate, gold) is expected


def test_combining_only_the_kept_phrases(examples: list[Example]) -> None:
    timing = examples[0].timing
    keep = [c.text == "pendant deux heures" for c in timing.candidates]
    chosen = combine_chosen(timing, keep)
    assert (chosen.hours_min, chosen.hours_max, chosen.text) == (2.0, 2.0, ["pendant deux heures"])
    nothing = combine_chosen(timing, [False] * len(timing.candidates))
    assert (nothing.hours_min, nothing.hours_max, nothing.text) == (None, None, [])


def test_the_trained_choice_leaves_the_other_events_figure_out(examples: list[Example], trained: Models) -> None:
    held_out = examples[12:]
    for e in held_out:
        duration = decide_duration(trained, e.timing, Duration.from_dict(e.rule["duration"]))
        assert (duration.hours_min, duration.hours_max) == (e.gold["duration"]["hours_min"],
                                                           e.gold["duration"]["hours_max"]), e.key


def test_the_rules_stay_when_the_inner_cross_validation_chose_them(examples: list[Example],
                                                                   trained: Models) -> None:
    rules_kept = replace(trained, use_rules=[*trained.use_rules, "duration"])
    e = examples[12]
    rule = Duration.from_dict(e.rule["duration"])
    assert decide_duration(rules_kept, e.timing, rule) == rule


def test_the_tagger_applies_the_shipped_duration_model(trained: Models, rules_tagger: Tagger,
                                                       tmp_path: Path) -> None:
    trained.save(tmp_path)
    tagger = Tagger.load(models_dir=tmp_path)
    text, phrase, hours = article(13)
    learned = tagger.tag(text, published="2031-03-06")
    rules = rules_tagger.tag(text, published="2031-03-06")
    assert (learned.duration.hours_min, learned.duration.hours_max) == (hours, hours)
    assert rules.duration.hours_max != hours
    assert learned.duration.text == [phrase]
    assert any(phrase in s for s in learned.evidence["duration"])


def test_phrase_candidates_are_gathered_only_when_a_model_reads_them(trained: Models, tagger: Tagger,
                                                                      rules_tagger: Tagger, tmp_path: Path) -> None:
    """Training reads every candidate; a tagger whose models leave duration to the rules skips
    gathering them (time saved), and gives the rules' duration."""
    assert rules_tagger.nlp.get_pipe("pannes_timing").duration_candidates
    shipped = tagger.nlp.get_pipe("pannes_learned_details").models
    reads = shipped is not None and shipped.duration is not None and "duration" not in shipped.use_rules
    assert tagger.nlp.get_pipe("pannes_timing").duration_candidates == reads
    rules_kept = replace(trained, use_rules=[*trained.use_rules, "duration"])
    rules_kept.save(tmp_path)
    skipping = Tagger.load(models_dir=tmp_path)
    assert not skipping.nlp.get_pipe("pannes_timing").duration_candidates
    text = article(13)[0]
    assert skipping.tag(text, published="2031-03-06").duration == \
        rules_tagger.tag(text, published="2031-03-06").duration
    # reading features for training still gathers them, whatever the loaded models read
    [example] = extract(skipping, [gold_item(13)])
    assert example.timing is not None and example.timing.candidates
    assert not skipping.nlp.get_pipe("pannes_timing").duration_candidates
