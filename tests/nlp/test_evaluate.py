"""Metrics of ANNOTATION.md, on hand-made gold/prediction pairs."""

from __future__ import annotations

from pannes.nlp.evaluate import (
    article_errors,
    duration_correct,
    label_scores,
    outage_scores,
    prf,
    score,
    start_correct,
)

GOLD_A = {"is_outage": True, "vendors": ["GLI"], "affected": ["Le Figaro", "Libération"],
          "impact": ["service_unavailable"], "region": ["France"], "cause": "hardware",
          "cause_ruled_out": ["cyberattack"], "duration": {"hours_min": 336, "hours_max": 744},
          "start": "2016-06-19"}
GOLD_NEG = {"is_outage": False, "vendors": [], "affected": [], "impact": [], "cause": None,
            "duration": {"hours_min": None, "hours_max": None}, "start": None}


def test_prf_edge_cases() -> None:
    assert prf(0, 0, 0)["f1"] == 1.0
    assert prf(1, 1, 0) == {"precision": 0.5, "recall": 1.0, "f1": 0.6667, "tp": 1, "fp": 1, "fn": 0}


def test_outage_scores() -> None:
    triples = [(GOLD_A, {"is_outage": True}, ""), (GOLD_NEG, {"is_outage": True}, ""),
               (GOLD_A, {"is_outage": False}, "")]
    assert outage_scores(triples) == prf(1, 1, 1)


def test_micro_labels_normalise_apostrophes_and_case() -> None:
    pred = {"is_outage": True, "affected": ["le figaro", "L’Express"]}
    gold = dict(GOLD_A, affected=["Le Figaro", "L'Express", "Libération"])
    assert label_scores([(gold, pred, "")], "affected") == prf(2, 0, 1)


def test_labels_of_a_predicted_negative_do_not_count() -> None:
    pred = {"is_outage": False, "vendors": ["GLI"]}
    assert label_scores([(GOLD_NEG, pred, "")], "vendors") == prf(0, 0, 0)


def test_duration_overlap_rule() -> None:
    assert duration_correct({"hours_min": 336, "hours_max": 744}, {"hours_min": 192, "hours_max": 360})
    assert not duration_correct({"hours_min": 2, "hours_max": 6}, {"hours_min": 7, "hours_max": 8})
    assert duration_correct({"hours_min": None, "hours_max": None}, {"hours_min": None, "hours_max": None})
    assert not duration_correct({"hours_min": None, "hours_max": None}, {"hours_min": 1, "hours_max": 2})
    assert duration_correct({"hours_min": 5, "hours_max": None}, {"hours_min": 5, "hours_max": 5})


def test_start_with_a_night_tolerance() -> None:
    assert start_correct("2025-06-21", "2025-06-21")
    assert not start_correct("2025-06-21", "2025-06-20", "minuit passé")
    assert start_correct("2025-06-21", "2025-06-20", "Dans la nuit du vendredi 20 au samedi 21 juin")
    assert start_correct(None, None)
    assert not start_correct("2025-06-21", None)


def test_score_sections_and_article_errors() -> None:
    pred = dict(GOLD_A, cause="unknown", start="2016-06-20")
    sections = score([(GOLD_A, pred, ""), (GOLD_NEG, {"is_outage": False}, "")])
    tagging = sections["tagging"]
    assert tagging["articles"] == 2
    assert tagging["cause"] == {"accuracy": 0.0, "correct": 0, "total": 1}
    assert tagging["duration"]["accuracy"] == 1.0
    assert tagging["vendors"]["f1"] == 1.0
    assert article_errors(GOLD_A, pred) == ["cause", "start"]


def test_extra_sections_plug_in() -> None:
    sections = score([(GOLD_A, GOLD_A, "")], {"count": lambda rows: {"n": len(rows)}})
    assert sections == {"count": {"n": 1}}
