"""`pannes tag-text`, `pannes eval` and `pannes tag` as a user runs them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from pannes.nlp.version import pipeline_version
from pannes.store import open_store

from pannes.app.cli import main
from pannes.records import Article

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "nlp"
OUTAGE = ("Panne chez SFR : le réseau mobile coupé une partie de la journée\n\n"
          "Depuis lundi matin, les abonnés de SFR ne peuvent plus passer d'appels. "
          "L'opérateur a reconnu un incident logiciel et promet un retour à la normale dans la soirée.")


def test_tag_text_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "article.txt"
    article.write_text(OUTAGE, encoding="utf-8")
    assert main(["tag-text", "--published", "2025-06-16", str(article), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["is_outage"] is True
    assert data["vendors"] == ["SFR"]
    assert data["cause"] == "software_bug"
    assert data["start"] == "2025-06-16"
    assert data["pipeline_version"] == pipeline_version()


def test_tag_text_rejects_a_bad_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "article.txt"
    article.write_text(OUTAGE, encoding="utf-8")
    assert main(["tag-text", "--published", "16/06/2025", str(article)]) == 65
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_eval_table_json_and_predictions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "predictions.jsonl"
    code = main(["eval", str(FIXTURES / "gold_small.jsonl"), "--vendors", str(FIXTURES / "vendors_extra.jsonl"),
                 "--predictions-out", str(out), "--json"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    tagging = report["scores"]["tagging"]
    assert tagging["articles"] == 3
    assert tagging["is_outage"]["f1"] == 1.0
    assert tagging["vendors"]["f1"] == 1.0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["inline-outage", "negative_match.txt", "demo-style"]
    assert lines[0]["tags"]["vendors"] == ["Nuagix"]
    assert main(["eval", str(FIXTURES / "gold_small.jsonl"), "--vendors",
                 str(FIXTURES / "vendors_extra.jsonl")]) == 0
    table = capsys.readouterr().out
    assert "is_outage" in table and "duration" in table


def test_tag_the_store_is_idempotent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "pannes.db"
    with open_store(db) as store:
        for i, (title, text) in enumerate([("Panne SFR", OUTAGE),
                                           ("Budget", "Le conseil municipal a voté le budget de la piscine.")]):
            store.upsert_article(Article(url=f"http://example.test/{i}", source="test", title=title,
                                         text=text, published=date(2025, 6, 16), language="fr"))
    assert main(["tag", "--db", str(db)]) == 0
    assert "tagged 2 articles (1 outages)" in capsys.readouterr().out
    with open_store(db) as store:
        first = [store.get_tags(a.id).to_dict() for a in store.iter_articles()]
    assert main(["tag", "--db", str(db)]) == 0
    assert "tagged 0 articles" in capsys.readouterr().out
    assert main(["tag", "--db", str(db), "--retag"]) == 0
    assert "tagged 2 articles" in capsys.readouterr().out
    with open_store(db) as store:
        tags = [store.get_tags(a.id) for a in store.iter_articles()]
    assert [t.to_dict() for t in tags] == first  # a retag gives every field back alike
    assert [t.is_outage for t in tags] == [True, False]
    assert tags[0].vendors == ["SFR"] and tags[0].pipeline_version == pipeline_version()
