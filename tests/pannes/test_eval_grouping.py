"""`pannes eval` also scores the incident grouping run on the predicted tags."""

from __future__ import annotations

import json

import pytest

from pannes.app.cli import main

pytestmark = pytest.mark.slow


def test_seeds_000_and_001_are_one_incident_and_002_another(shared_dir, capsys):
    assert main(["eval", str(shared_dir / "seeds" / "gold.jsonl"), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)["scores"]
    pairs = scores["grouping"]["incident pairs"]
    # One gold pair (000, 001); 002 alone. Any other predicted pair is a false positive.
    assert (pairs["tp"], pairs["fp"], pairs["fn"]) == (1, 0, 0)


def test_grouping_section_on_demo_corpus_keeps_its_measured_figures(project_root, capsys):
    gold = project_root / "demo" / "corpus" / "articles.jsonl"
    vendors = project_root / "demo" / "vendors.jsonl"
    assert main(["eval", str(gold), "--vendors", str(vendors), "--json"]) == 0
    pairs = json.loads(capsys.readouterr().out)["scores"]["grouping"]["incident pairs"]
    # Measured on the tagger's own tags (pannes-tagger-1.4): all 36 gold pairs, no other.
    assert (pairs["tp"], pairs["fp"], pairs["fn"]) == (36, 0, 0)
