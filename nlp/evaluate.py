"""Scores of predicted tags against gold, with the metrics of ANNOTATION.md (pure functions).

`score(triples)` returns a dict of sections; each section function takes the list of
(gold, predicted, text) triples and returns a dict of figures, so another section (e.g. the
incidents' pairwise grouping metrics) is one more entry in `SECTIONS`.

Names compare as ANNOTATION.md says: lowercased, without accents, apostrophes, hyphens or
spaces; and through `Names`, a company's former name and its current one, and a public body's
acronym and full name, count as one (the aliases of the vendor base). For vendors, a lenient
F1 also accepts a predicted name equal to one of the gold's `vendor_aliases_in_text`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

Record = Mapping[str, Any]
Triple = tuple[Record, Record, str]
NIGHT = re.compile(r"\bdans la nuit\b|\bpendant la nuit\b|\bdurant la nuit\b|\bcette nuit\b", re.I)
LABEL_FIELDS = ("vendors", "affected", "impact", "region", "cause_ruled_out")
NAME_FIELDS = ("vendors", "affected")


def name_key(label: str) -> str:
    """A label as ANNOTATION.md compares it: lowercase, no accents, no apostrophes, hyphens or
    spaces ("Centre hospitalier d'Armentières" == "centre hospitalier d Armentieres")."""
    text = unicodedata.normalize("NFKD", str(label))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\W_]+", "", text)


def normalise_label(label: str) -> str:
    """Kept for callers that compare labels: the same key as `name_key`."""
    return name_key(label)


class Names:
    """Equivalent names: each group (a canonical name and its aliases, former names, acronym)
    counts as one name when scoring."""

    def __init__(self, groups: Iterable[Iterable[str]] = ()) -> None:
        self._canonical: dict[str, str] = {}
        for group in groups:
            forms = [name_key(f) for f in group if name_key(f)]
            if not forms:
                continue
            for form in forms:
                self._canonical.setdefault(form, forms[0])

    def key(self, name: str) -> str:
        k = name_key(name)
        return self._canonical.get(k, k)

    @classmethod
    def from_vendor_files(cls, paths: Sequence[Path | str]) -> Names:
        """Groups from vendor-base files (`name` plus `aliases`)."""
        from pannes.nlp.lexicon import read_jsonl

        return cls([row["name"], *(row.get("aliases") or ())] for path in paths
                   for row in read_jsonl(path))


@cache
def default_names() -> Names:
    """The equivalences of the packaged vendor base."""
    from pannes.nlp.lexicon import packaged_data

    return Names.from_vendor_files([packaged_data("vendors.jsonl")])


def _keys(labels: Iterable[str] | None, field: str, names: Names | None) -> set[str]:
    names = names or default_names()
    if field in NAME_FIELDS:
        return {names.key(x) for x in labels or [] if name_key(x)}
    return {name_key(x) for x in labels or [] if name_key(x)}


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


def label_scores(triples: Sequence[Triple], field: str, names: Names | None = None
                 ) -> dict[str, float]:
    """Micro P/R/F1 over the canonical labels of one list field, over every article."""
    tp = fp = fn = 0
    for gold, pred, _ in triples:
        g = _keys(gold.get(field), field, names)
        p = _keys(pred.get(field), field, names) if pred.get("is_outage") else set()
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
    return prf(tp, fp, fn)


def lenient_vendor_scores(triples: Sequence[Triple], names: Names | None = None) -> dict[str, float]:
    """Vendors F1 where a predicted name also counts when it is one of the gold's
    `vendor_aliases_in_text` (a surface form of a gold vendor)."""
    tp = fp = fn = 0
    for gold, pred, _ in triples:
        g = _keys(gold.get("vendors"), "vendors", names)
        aliases = _keys(gold.get("vendor_aliases_in_text"), "vendors", names)
        p = _keys(pred.get("vendors"), "vendors", names) if pred.get("is_outage") else set()
        unmatched = set(g)
        for name in sorted(p, key=lambda n: n not in g):  # exact matches first
            if name in unmatched:
                unmatched.discard(name)
                tp += 1
            elif name in aliases and unmatched:
                unmatched.pop()
                tp += 1
            elif name not in g:
                fp += 1
        fn += len(unmatched)
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
    out["vendors_lenient"] = lenient_vendor_scores(triples)
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
        if _keys(gold.get(field), field, None) != _keys(pred.get(field), field, None):
            errors.append(field)
    if (gold.get("cause") or "unknown") != pred.get("cause"):
        errors.append("cause")
    if not duration_correct(gold.get("duration"), pred.get("duration")):
        errors.append("duration")
    if not start_correct(gold.get("start"), pred.get("start"), text):
        errors.append("start")
    return errors


# ---------------------------------------------------------------------------- gold files


def evaluate_items(items: Sequence[Any], predictions: Sequence[Record]
                   ) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Scores of predictions for gold items (`nlp.goldsets.GoldItem`), and per-article rows
    (id, wrong fields, predicted tags)."""
    scores = score((i.gold, p, i.text) for i, p in zip(items, predictions, strict=True))
    rows = [{"id": i.key, "errors": article_errors(i.gold, p, i.text), "tags": dict(p)}
            for i, p in zip(items, predictions, strict=True)]
    return scores, rows


def french_items(paths: Sequence[Path | str]) -> list[Any]:
    """The articles of gold files the tagger reads: French ones (the store keeps other
    languages out of tagging, so does evaluation)."""
    from pannes.nlp.goldsets import load_gold

    return [i for path in paths for i in load_gold(path)
            if not i.language or i.language.lower().startswith("fr")]


def tag_items(items: Sequence[Any], tagger: Any, *, batch_size: int = 16) -> list[dict[str, Any]]:
    """The tagger's tags (as dicts) for gold items, the outlet passed as the source."""
    return [t.to_dict() for t in tagger.tag_many(
        ((i.text, i.published, i.title, i.gold.get("source")) for i in items), batch_size=batch_size)]


def evaluate_file(gold_path: Path | str, tagger: Any, *, batch_size: int = 16
                  ) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Tag every article of a gold file; (scores by section, per-article rows)."""
    items = french_items([gold_path])
    return evaluate_items(items, tag_items(items, tagger, batch_size=batch_size))


SNAPSHOT_FIELDS = ("is_outage", "vendors", "affected", "impact", "cause", "cause_ruled_out",
                   "start", "hours_min", "hours_max", "region")


def snapshot_row(key: str, tags: Record) -> dict[str, Any]:
    """What a prediction snapshot keeps of an article's tags: its id and the scored fields
    (no text), so a committed snapshot shows which article moved and on which field."""
    duration = tags.get("duration") or {}
    values = {"is_outage": bool(tags.get("is_outage")),
              "vendors": list(tags.get("vendors") or []), "affected": list(tags.get("affected") or []),
              "impact": sorted(tags.get("impact") or []), "cause": tags.get("cause"),
              "cause_ruled_out": sorted(tags.get("cause_ruled_out") or []),
              "start": str(tags["start"])[:10] if tags.get("start") else None,
              "hours_min": duration.get("hours_min"), "hours_max": duration.get("hours_max"),
              "region": sorted(tags.get("region") or [])}
    return {"id": key, **values}


def snapshot_changes(old: Sequence[Record], new: Sequence[Record]) -> list[str]:
    """Readable differences between two snapshots: one line per article and field that moved,
    and the articles that appeared or vanished."""
    before = {r["id"]: r for r in old}
    after = {r["id"]: r for r in new}
    lines = [f"{key}: not in the snapshot" for key in after if key not in before]
    lines += [f"{key}: gone" for key in before if key not in after]
    for key in after.keys() & before.keys():
        for name in SNAPSHOT_FIELDS:
            if before[key].get(name) != after[key].get(name):
                lines.append(f"{key}: {name} {before[key].get(name)!r} -> {after[key].get(name)!r}")
    return sorted(lines)
