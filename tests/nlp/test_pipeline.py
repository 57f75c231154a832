"""The pipeline: the model's unused components are left out, ours are factories that save and load."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from pannes.nlp.pipeline import COMPONENTS, EXCLUDED, LEARNED_COMPONENTS, register_components

TEXT = ("Depuis lundi, une panne chez Orange prive les abonnés de Sosh d'appels. "
        "L'opérateur évoque une opération de maintenance, écartant toute cyberattaque.")


def test_components_and_exclusions(tagger, pipeline) -> None:
    names = tagger.nlp.pipe_names
    assert not set(EXCLUDED) & set(names)
    assert names[-len(COMPONENTS):] == list(COMPONENTS)
    assert names.index("pannes_line_breaks") < names.index("parser")
    assert names.index("pannes_learned_outage") == names.index("pannes_outage") + 1
    assert names[-1] == "pannes_learned_details"
    # the rules alone: the same pipeline without the learned decisions
    assert pipeline.pipe_names == [n for n in names if n not in LEARNED_COMPONENTS]


@pytest.mark.slow
def test_saved_pipeline_loads_and_tags_alike(pipeline, run, tmp_path: Path) -> None:
    pipeline.to_disk(tmp_path / "pipeline")
    assert (tmp_path / "pipeline" / "pannes_vendors" / "vendors.jsonl").is_file()
    assert (tmp_path / "pipeline" / "pannes_scopes" / "patterns.jsonl").is_file()
    register_components()
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names == pipeline.pipe_names
    before = run(TEXT)
    after = loaded(TEXT)
    assert after._.roles.vendors == before._.roles.vendors == ["Orange"]
    assert after._.roles.affected == ["Sosh"]
    assert after._.cause.cause == before._.cause.cause == "configuration_change"
    assert after._.cause.ruled_out == ["cyberattack"]
    assert after._.impact.labels == before._.impact.labels


FULL_TEXT = ("Panne chez Orange : 5 000 clients de Sosh privés d'appels en Bretagne\n\n"
             "Lundi 29 avril, de 9 heures à 14 heures, une panne chez Orange a privé 5 000 "
             "clients de Sosh d'appels en Bretagne. L'opérateur évoque une opération de "
             "maintenance, écartant toute cyberattaque. En octobre 2021, une panne de "
             "plusieurs heures avait déjà touché SFR.")


@pytest.mark.slow
def test_saved_pipeline_gives_every_field_alike(tagger, tmp_path: Path) -> None:
    from pannes.nlp.tagger import Tagger

    tagger.nlp.to_disk(tmp_path / "pipeline")
    register_components()
    loaded = Tagger(spacy.load(tmp_path / "pipeline"), tagger.prefilter)
    before = tagger.tag(FULL_TEXT, published="2024-05-02").to_dict()
    after = loaded.tag(FULL_TEXT, published="2024-05-02").to_dict()
    assert after == before
    # The text exercises every field, so the comparison covers them all.
    assert before["is_outage"] and before["duration"]["hours_min"] == 5
    assert before["start"] == "2024-04-29" and before["region"] and before["users_affected"]
    assert before["cause_ruled_out"] == ["cyberattack"] and before["mentions"]


def test_a_live_blog_stamp_stays_with_its_entry(run) -> None:
    doc = run("EN DIRECT\n17 h 40 : l'opérateur annonce le rétablissement complet de ses services.\n"
              "12 h 10 : l'opérateur confirme une panne de son réseau.\n"
              "Des milliers d'abonnés sont privés d'Internet depuis ce mardi vers 10 h.",
              published="2030-06-11")
    sentences = [s.text.strip() for s in doc.sents]
    assert "17 h 40 : l'opérateur annonce le rétablissement complet de ses services." in sentences
    duration = doc._.timing.duration
    # 10 h to 17 h 40: 7 h 40, read to the tenth of an hour
    assert (duration.hours_min, duration.hours_max) == (7.6, 7.7)
