"""`pannes eval --cv` and `pannes train` (with editors' corrections) through the CLI, on the
project's own invented probe sets (real sets are measured the same way, see the README)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pannes.nlp.decisions import Models

from pannes.app.cli import main
from pannes.records import Correction

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "nlp"
PROBES = [str(FIXTURES / name) for name in ("probe.jsonl", "probe2.jsonl", "probe3.jsonl")]


def test_cross_validation_reports_each_field_learned_and_rules(capsys) -> None:
    assert main(["eval", *PROBES, "--cv", "3", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["folds"] == 3 and report["articles"] == 70
    fields = report["fields"]
    for name in ("outage F1", "vendors F1", "affected F1", "impact micro-F1", "cause accuracy",
                 "duration overlap", "start", "region F1"):
        row = fields[name]
        assert 0.0 <= row["learned"] <= 1.0 and 0.0 <= row["rules"] <= 1.0
        assert row["spread"] >= 0.0
    # The rules were written from these very sets: they score far above chance on them.
    assert fields["outage F1"]["rules"] >= 0.9


def test_other_draws_of_the_folds_keep_incidents_whole_and_are_averaged(capsys) -> None:
    from pannes.nlp.folds import assign_folds, incident_groups
    from pannes.nlp.goldsets import load_gold

    items = [i for path in PROBES for i in load_gold(path)]
    groups = incident_groups(items)
    draws = [assign_folds(items, 3, split) for split in range(3)]
    for fold_of in draws:
        for key, group in groups.items():
            assert fold_of[key] == fold_of[group], "an incident was split across folds"
    assert draws[0] != draws[1] and draws[1] != draws[2]
    assert main(["eval", *PROBES, "--cv", "3", "--draws", "2", "--json"]) == 0
    row = json.loads(capsys.readouterr().out)["fields"]["vendors F1"]
    assert len(row["draws"]) == 2 and row["draws"][0] == row["learned"]
    assert row["draws_mean"] == pytest.approx(sum(row["draws"]) / 2, abs=1e-4)


def test_too_few_folds_is_a_clear_error(capsys) -> None:
    assert main(["eval", *PROBES, "--cv", "1"]) != 0
    assert "at least 2 folds" in capsys.readouterr().err


def test_training_is_deterministic_and_records_its_data(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert main(["train", *PROBES, "--out", str(first)]) == 0
    assert main(["train", *PROBES, "--out", str(second)]) == 0
    assert (first / "models.json").read_bytes() == (second / "models.json").read_bytes()
    meta = Models.load(first).meta
    assert meta["articles"] == 70 and meta["data"] == ["probe.jsonl", "probe2.jsonl", "probe3.jsonl"]
    assert len(meta["data_sha256"]) == 64
    # models trained on other data are another pipeline version, and tag
    assert main(["eval", PROBES[0], "--models", str(first), "--json"]) == 0


def test_models_trained_on_gold_without_affected_organisations_still_tag(tmp_path: Path, capsys) -> None:
    """A small newsroom set may name no affected organisation: the role model then learns two
    of its three roles, and tagging with it must still work (it failed with a KeyError)."""
    gold = tmp_path / "sans-victimes.jsonl"
    with gold.open("w", encoding="utf-8") as out, open(PROBES[0], encoding="utf-8") as probe:
        for line in probe:
            item = json.loads(line)
            item["gold"]["affected"] = []
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    models = tmp_path / "models"
    assert main(["train", str(gold), "--out", str(models)]) == 0
    assert Models.load(models).roles.classes == ["other", "vendor", "affected"]
    capsys.readouterr()
    assert main(["eval", str(gold), "--models", str(models), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)["scores"]["tagging"]
    assert scores["vendors"]["f1"] > 0.5 and scores["affected"]["fp"] == 0


def test_corrections_of_a_newsroom_join_the_training_gold(tmp_path: Path, gold_store, capsys) -> None:
    article = next(a for a in gold_store.iter_articles() if (gold_store.get_tags(a.id) or None)
                   and gold_store.get_tags(a.id).is_outage)
    gold_store.add_correction(Correction(target="article", target_id=str(article.id), field="vendors",
                                         value=["Fournisseur Corrigé"], editor="test@example.org"))
    db = gold_store.path
    gold_store.close()
    out = tmp_path / "models"
    assert main(["train", *PROBES, "--with-corrections", str(db), "--out", str(out)]) == 0
    assert "adding 1 articles corrected by editors" in capsys.readouterr().err
    meta = Models.load(out).meta
    assert meta["articles"] == 71 and meta["data"][-1] == f"corrections:{Path(db).name}"


def test_corrected_articles_become_gold_with_the_editors_values(gold_store) -> None:
    from pannes.app.corrections_gold import corrected_gold

    article = next(a for a in gold_store.iter_articles() if gold_store.get_tags(a.id).is_outage)
    gold_store.add_correction(Correction(target="article", target_id=str(article.id), field="cause",
                                         value="power", editor="test@example.org"))
    db = gold_store.path
    gold_store.close()
    [item] = corrected_gold(db)
    assert item.text == article.text and item.gold["cause"] == "power"
    assert item.gold["is_outage"] is True


def test_a_database_is_tagged_with_the_models_it_is_given(tmp_path: Path, gold_store, capsys) -> None:
    """`pannes tag --models DIR` tags with other models, as a new pipeline version; a directory
    without models is refused with a clear message, and nothing is re-tagged."""
    db = gold_store.path
    gold_store.close()
    out = tmp_path / "models"
    assert main(["train", PROBES[0], "--out", str(out)]) == 0
    assert main(["tag", "--db", str(db), "--models", str(tmp_path), "--limit", "3"]) != 0
    assert "No models.json" in capsys.readouterr().err
    assert main(["tag", "--db", str(db), "--models", str(out), "--limit", "3"]) == 0
    summary = capsys.readouterr().out
    assert "tagged 3 articles" in summary and "pannes-tagger-2+" in summary


def test_a_new_vendor_file_retags_what_is_stored(tmp_path: Path, make_store, demo_corpus, capsys) -> None:
    """The pipeline version is derived from the data, the models and the extra vendor files:
    adding a vendor file re-tags the stored articles, a second run with it tags nothing."""
    from tests.conftest import fill_store

    store = make_store("small.db")
    fill_store(store, [r for r in demo_corpus if r["language"] == "fr"][:4])
    db = store.path
    store.close()
    assert main(["tag", "--db", str(db)]) == 0
    assert "tagged 4 articles" in capsys.readouterr().out
    assert main(["tag", "--db", str(db)]) == 0
    assert "tagged 0 articles" in capsys.readouterr().out
    vendors = tmp_path / "ours.jsonl"
    vendors.write_text(json.dumps({"name": "Abonnis", "aliases": [], "sector": "software"}) + "\n",
                       encoding="utf-8")
    assert main(["tag", "--db", str(db), "--vendors", str(vendors)]) == 0
    assert "tagged 4 articles" in capsys.readouterr().out
    assert main(["tag", "--db", str(db)]) == 0  # the database remembers the file
    assert "tagged 0 articles" in capsys.readouterr().out
