"""The pipeline: the model's unused components are left out, ours are factories that save and load."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from nlp.pipeline import COMPONENTS, EXCLUDED, register_components

TEXT = ("Depuis lundi, une panne chez Orange prive les abonnés de Sosh d'appels. "
        "L'opérateur évoque une opération de maintenance, écartant toute cyberattaque.")


def test_components_and_exclusions(pipeline) -> None:
    names = pipeline.pipe_names
    assert not set(EXCLUDED) & set(names)
    assert names[-len(COMPONENTS):] == list(COMPONENTS)
    assert names.index("pannes_line_breaks") < names.index("parser")


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
