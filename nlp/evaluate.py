"""Scores of predicted tags against gold, with the metrics of ANNOTATION.md (pure functions).

`score(pairs)` returns a dict of sections; each section function takes the list of
(gold, predicted, text) triples and returns a dict of figures, so another section (e.g. the
incidents' pairwise grouping metrics) is one more entry in `SECTIONS`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

Record = Mapping[str, Any]
Triple = tuple[Record, Record, str]
NIGHT = re.compile(r"\bdans la nuit\b|\bpendant la nuit\b|\bdurant la nuit\b|\bcette nuit\b", re.I)
LABEL_FIELDS = ("vendors", "affected", "impact", "region", "cause_ruled_out")


def normalise_label(label: str) -> str:
    """Labels compare without case, accents-as-typed or apostrophe style differences."""
    text = unicodedata.normalize("NFC", str(label)).replace("’", "'").strip().casefold()
    return re.sub(r"\s+", " ", text)


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 (1.0 when there is nothing to find and nothing found)."""
    precision = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn}


def outage_scores(triples: Sequence[Triple]) -> dict[str, float]:
    tp = sum(1 for g, p, _ in triples if g.get("is_outage") and p.get("is_outage"))
    fp = sum(1 for g, p, _ in triples if not g.get("is_outage") and p.get("is_outage"))
    fn = sum(1 for g, p, _ in triples if g.get("is_outage") and not p.get("is_outage"))
    return prf(tp, fp, fn)


def label_scores(triples: Sequence[Triple], field: str) -> dict[str, float]:
    """Micro P/R/F1 over the canonical labels of one list field, over every article."""
    tp = fp = fn = 0
    for gold, pred, _ in triples:
        g = {normalise_label(x) for x in gold.get(field) or []}
        p = {normalise_label(x) for x in pred.get(field) or []} if pred.get("is_outage") else set()
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
    return prf(tp, fp, fn)


def _outages(triples: Sequence[Triple]) -> list[Triple]:
    return [t for t in triples if t[0].get("is_outage")]


def cause_accuracy(triples: Sequence[Triple]) -> dict[str, float]:
    """Accuracy of the cause label over the articles that are outages in the gold."""
    rows = _outages(triples)
    right = sum(1 for g, p, _ in rows if (g.get("cause") or "unknown") == (p.get("cause") or None))
    return {"accuracy": round(right / len(rows), 4) if rows else 1.0, "correct": right, "total": len(rows)}


def _range(duration: Mapping[str, Any] | None) -> tuple[float, float] | None:
    duration = duration or {}
    low, high = duration.get("hours_min"), duration.get("hours_max")
    if low is None and high is None:
        return None
    low = high if low is None else low
    high = low if high is None else high
    return float(low), float(high)


def duration_correct(gold: Mapping[str, Any] | None, pred: Mapping[str, Any] | None) -> bool:
    """Overlap of the [min, max] ranges; both unknown counts as correct."""
    g, p = _range(gold), _range(pred)
    if g is None or p is None:
        return g is None and p is None
    return p[0] <= g[1] + 1e-6 and g[0] <= p[1] + 1e-6


def duration_overlap(triples: Sequence[Triple]) -> dict[str, float]:
    rows = _outages(triples)
    right = sum(1 for g, p, _ in rows if duration_correct(g.get("duration"), p.get("duration")))
    return {"accuracy": round(right / len(rows), 4) if rows else 1.0, "correct": right, "total": len(rows)}


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def start_correct(gold: Any, pred: Any, text: str = "") -> bool:
    """Equal dates (both unknown counts); ±1 day when the text says "dans la nuit"."""
    g, p = _date(gold), _date(pred)
    if g is None or p is None:
        return g is None and p is None
    if g == p:
        return True
    return bool(NIGHT.search(text)) and abs(g - p) <= timedelta(days=1)


def start_accuracy(triples: Sequence[Triple]) -> dict[str, float]:
    rows = _outages(triples)
    right = sum(1 for g, p, t in rows if start_correct(g.get("start"), p.get("start"), t))
    return {"accuracy": round(right / len(rows), 4) if rows else 1.0, "correct": right, "total": len(rows)}


def tagging_section(triples: Sequence[Triple]) -> dict[str, Any]:
    out: dict[str, Any] = {"is_outage": outage_scores(triples)}
    for field in LABEL_FIELDS:
        out[field] = label_scores(triples, field)
    out["cause"] = cause_accuracy(triples)
    out["duration"] = duration_overlap(triples)
    out["start"] = start_accuracy(triples)
    out["articles"] = len(triples)
    return out


SECTIONS: dict[str, Callable[[Sequence[Triple]], dict[str, Any]]] = {"tagging": tagging_section}


def score(triples: Iterable[Triple],
          sections: Mapping[str, Callable[[Sequence[Triple]], dict[str, Any]]] | None = None,
          ) -> dict[str, dict[str, Any]]:
    """Every section's figures for (gold, predicted, text) triples (dicts in the Tags schema)."""
    rows = list(triples)
    return {name: fn(rows) for name, fn in (sections or SECTIONS).items()}


def article_errors(gold: Record, pred: Record, text: str = "") -> list[str]:
    """The fields of one article that are wrong, for reports and for the seed acceptance test."""
    errors = []
    if bool(gold.get("is_outage")) != bool(pred.get("is_outage")):
        errors.append("is_outage")
    if not gold.get("is_outage"):
        return errors
    for field in LABEL_FIELDS:
        g = {normalise_label(x) for x in gold.get(field) or []}
        p = {normalise_label(x) for x in pred.get(field) or []}
        if g != p:
            errors.append(field)
    if (gold.get("cause") or "unknown") != pred.get("cause"):
        errors.append("cause")
    if not duration_correct(gold.get("duration"), pred.get("duration")):
        errors.append("duration")
    if not start_correct(gold.get("start"), pred.get("start"), text):
        errors.append("start")
    return errors
