"""Train the learned decisions on annotated articles: read features once, fit, predict.

`extract(tagger, items)` runs the rule pipeline once per article and keeps what the
decisions read (`Example`); `fit_models(examples)` fits the linear models; `predict(models,
example)` gives the tags the tagger would give with those models. Cross-validation
(`nlp.crossval`) is these three functions over folds.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pannes.nlp.decisions import (
    ROLE_CLASSES,
    Models,
    Thresholds,
    decide_cause,
    decide_duration,
    decide_impact,
    decide_outage,
    decide_region,
    decide_roles,
    decide_start,
    label_features,
    place_candidates,
)
from pannes.nlp.duration_choice import candidate_labels, without_context_words
from pannes.nlp.evaluate import Names, default_names, name_key
from pannes.nlp.features import Candidate, Features
from pannes.nlp.goldsets import GoldItem
from pannes.nlp.linear import fit

from pannes.records import CAUSE_LABELS, IMPACT_LABELS, Duration

logger = logging.getLogger(__name__)

SEED = 0


@dataclass
class Example:
    """One annotated article as the decisions see it."""

    key: str
    incident: str
    gold: dict[str, Any]
    text: str
    passed: bool  # through the prefilter
    outage: Features = field(default_factory=dict)
    candidates: list[Candidate] = field(default_factory=list)
    surfaces: list[list[str]] = field(default_factory=list)  # per candidate: its texts
    details: Features = field(default_factory=dict)
    rule: dict[str, Any] = field(default_factory=dict)  # the rules' tags (details forced)
    timing: Any = None  # nlp.duration_choice.TimingCandidates: the duration phrases to choose from
    places: list[Any] = field(default_factory=list)  # nlp.region.PlaceMention: the places named
    invented: bool = False  # from the project's invented sets: trained on, not scored when tuning


def incident_of(item: GoldItem) -> str:
    """The incident an article belongs to (for folds): its incident id, else its own key."""
    return str(item.gold.get("incident_id") or item.key)


def data_hash(paths: Iterable[Path | str], extra: bytes = b"") -> str:
    """sha256 of the training files' bytes (and of corrections, when given)."""
    digest = hashlib.sha256()
    for path in sorted(str(p) for p in paths):
        digest.update(Path(path).read_bytes())
    digest.update(extra)
    return digest.hexdigest()


# ---------------------------------------------------------------------------- extraction


def extract(tagger: Any, items: Sequence[GoldItem], *, batch_size: int = 16) -> list[Example]:
    """Run the rule pipeline once per article and keep every feature the decisions read."""
    examples = []
    for item, doc in zip(items, tagger.feature_docs((i.text, i.published, i.title, i.gold.get("source"))
                                                    for i in items), strict=True):
        example = Example(item.key, incident_of(item), dict(item.gold), item.text, doc is not None)
        if doc is not None:
            features = tagger.article_features(doc)
            example.outage = features.outage
            example.candidates = features.candidates
            example.surfaces = [sorted({doc[s:e].text for s, e in c.spans}) for c in features.candidates]
            example.details = features.details
            example.rule = features.rule_tags
            example.places = features.places
            example.timing = doc._.timing.candidates if doc._.timing is not None else None
        else:
            example.rule = tagger.not_outage().to_dict()
        examples.append(example)
    return examples


# ---------------------------------------------------------------------------- labels


def candidate_roles(candidates: Sequence[Candidate], gold: dict[str, Any], names: Names
                    ) -> list[str]:
    """The gold role of each candidate: vendor, affected or other.

    A candidate named like a gold vendor is a vendor; one named like a surface form the gold
    gives for it (`vendor_aliases_in_text`: "Sony" for PlayStation Network) is one only when
    no candidate has the gold name itself, so the models learn to prefer the exact service."""
    vendors = {names.key(v) for v in gold.get("vendors") or []}
    aliases = {names.key(v) for v in gold.get("vendor_aliases_in_text") or []}
    affected = {names.key(a) for a in gold.get("affected") or []}
    keys = [names.key(c.name) for c in candidates]
    exact = {k for k in keys if k in vendors}
    roles = []
    for key in keys:
        if key in vendors:
            roles.append("vendor")
        elif key in aliases and len(exact) < len(vendors):
            roles.append("vendor")
        elif key in affected:
            roles.append("affected")
        else:
            roles.append("other")
    return roles


# ---------------------------------------------------------------------------- fitting


@dataclass
class Settings:
    """Regularisation of each model (inverse strength: larger fits the data more), and
    whether its words are read; `nlp.tuning` chooses them by inner cross-validation."""

    c_outage: float = 1.0
    c_roles: float = 1.0
    c_impact: float = 1.0
    c_cause: float = 1.0
    c_region: float = 1.0
    c_duration: float = 1.0
    c_start: float = 0.1
    min_count: int = 2
    outage_words: bool = True
    impact_words: bool = False
    cause_words: bool = False
    duration_words: bool = True


def without_words(features: Features) -> Features:
    return {k: v for k, v in features.items() if not k.startswith(("w:", "t:"))}


def fit_outage(examples: Sequence[Example], s: Settings) -> Any:
    passed = [e for e in examples if e.passed]
    rows = [e.outage if s.outage_words else without_words(e.outage) for e in passed]
    return fit(rows, ["yes" if e.gold.get("is_outage") else "no" for e in passed],
               c=s.c_outage, min_count=s.min_count, classes=["no", "yes"])


def fit_roles(examples: Sequence[Example], s: Settings, names: Names) -> Any:
    rows, labels = [], []
    for e in examples:
        if e.passed and e.gold.get("is_outage"):
            rows.extend(c.features for c in e.candidates)
            labels.extend(candidate_roles(e.candidates, e.gold, names))
    return fit(rows, labels, c=s.c_roles, min_count=s.min_count, classes=ROLE_CLASSES)


def fit_labels(examples: Sequence[Example], kind: str, s: Settings) -> Any:
    """One model for every impact label (or cause label): P(label | article, label)."""
    labels = IMPACT_LABELS if kind == "impact" else CAUSE_LABELS
    words = s.impact_words if kind == "impact" else s.cause_words
    c = s.c_impact if kind == "impact" else s.c_cause
    rows, y = [], []
    for e in examples:
        if not (e.passed and e.gold.get("is_outage")):
            continue
        for label in labels:
            rows.append(label_features(e.details, label, kind, words=words))
            applies = label in (e.gold.get("impact") or []) if kind == "impact" \
                else (e.gold.get("cause") or "unknown") == label
            y.append("yes" if applies else "no")
    return fit(rows, y, c=c, min_count=s.min_count, classes=["no", "yes"])


def fit_region(examples: Sequence[Example], s: Settings) -> Any:
    """P(place was hit | place candidate), over the gold outages' place candidates."""
    rows, y = [], []
    for e in examples:
        if not (e.passed and e.gold.get("is_outage")):
            continue
        gold = {name_key(r) for r in e.gold.get("region") or []}
        for name, features in place_candidates(e.candidates, e.rule.get("region") or [], e.places):
            rows.append(features)
            y.append("yes" if name_key(name) in gold else "no")
    return fit(rows, y, c=s.c_region, min_count=s.min_count, classes=["no", "yes"])


def fit_duration(examples: Sequence[Example], s: Settings) -> Any:
    """P(timing phrase belongs to the incident | phrase), over the gold outages' timing
    candidates: a phrase belongs when the annotator gave it for the duration."""
    rows, y = [], []
    for e in examples:
        if not (e.passed and e.gold.get("is_outage")) or e.timing is None:
            continue
        rows.extend(c.features if s.duration_words else without_context_words(c.features) for c in e.timing.candidates)
        y.extend(candidate_labels(e.timing, e.gold))
    return fit(rows, y, c=s.c_duration, min_count=s.min_count, classes=["no", "yes"])


def fit_start(examples: Sequence[Example], s: Settings) -> Any:
    """P(the incident began that day | a day the article names), over the gold outages."""
    from pannes.nlp.start_choice import start_labels

    rows, y = [], []
    for e in examples:
        if not (e.passed and e.gold.get("is_outage")) or e.timing is None:
            continue
        rows.extend(c.features for c in e.timing.starts)
        y.extend(start_labels(e.timing.starts, e.gold))
    return fit(rows, y, c=s.c_start, min_count=s.min_count, classes=["no", "yes"])


def word_flags(s: Settings) -> list[str]:
    """The `use_rules` entries that tell the decisions to leave words out."""
    return [flag for flag, on in (("outage_words", s.outage_words), ("impact_words", s.impact_words),
                                  ("cause_words", s.cause_words), ("duration_words", s.duration_words))
            if not on]


def fit_models(examples: Sequence[Example], *, settings: Settings | None = None,
               thresholds: Thresholds | None = None, use_rules: Sequence[str] = (),
               names: Names | None = None) -> Models:
    """Fit every decision on the examples (deterministic for the same examples)."""
    s = settings or Settings()
    names = names or default_names()
    models = Models(thresholds=thresholds or Thresholds())
    models.outage = fit_outage(examples, s)
    models.roles = fit_roles(examples, s, names)
    models.impact = fit_labels(examples, "impact", s)
    models.cause = fit_labels(examples, "cause", s)
    models.region = fit_region(examples, s)
    models.duration = fit_duration(examples, s)
    models.start = fit_start(examples, s)
    models.use_rules = sorted(set(word_flags(s)) | set(use_rules))
    return models


def train(examples: Sequence[Example], *, settings: Settings | None = None,
          names: Names | None = None) -> Models:
    """Choose the settings, thresholds and rule-or-model per decision by an inner
    cross-validation of these examples (`nlp.tuning`), then fit on all of them. With
    `settings` given, only the thresholds and rule-or-model choices are tuned."""
    from pannes.nlp.tuning import tune

    choice = tune(examples, settings=settings, names=names)
    models = fit_models(examples, settings=choice.settings, thresholds=choice.thresholds,
                        use_rules=choice.use_rules, names=names)
    models.meta["tuning"] = choice.report
    return models


# ---------------------------------------------------------------------------- prediction


def predict(models: Models, example: Example) -> dict[str, Any]:
    """The tags (as a dict) the tagger gives this article with these models."""
    rule = example.rule
    if not example.passed:
        return dict(rule)
    is_outage, score = decide_outage(models, example.outage, bool(rule.get("rule_outage",
                                                                           rule.get("is_outage"))))
    tags = dict(rule)
    tags["is_outage"], tags["outage_score"] = is_outage, round(score, 3)
    if not is_outage:
        for key in ("vendors", "affected", "impact", "cause_ruled_out", "region"):
            tags[key] = []
        tags["cause"] = None
        return tags
    tags["vendors"], tags["affected"], _ = decide_roles(
        models, example.candidates, (rule.get("vendors") or [], rule.get("affected") or []))
    tags["impact"] = decide_impact(models, example.details, rule.get("impact") or [])
    tags["cause"] = decide_cause(models, example.details, rule.get("cause") or "unknown")
    tags["cause_ruled_out"] = [c for c in rule.get("cause_ruled_out") or [] if c != tags["cause"]]
    tags["region"] = decide_region(models, example.candidates, rule.get("region") or [], example.places)
    tags["duration"] = decide_duration(models, example.timing, Duration.from_dict(rule.get("duration"))).to_dict()
    start = decide_start(models, example.timing, _day(rule.get("start")))
    tags["start"] = start.isoformat() if start is not None else None
    return tags


def _day(value: Any) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def rules_only(example: Example) -> dict[str, Any]:
    """The tags the rules alone give (the baseline cross-validation compares with)."""
    tags = dict(example.rule)
    if not tags.get("rule_outage", tags.get("is_outage")):
        return replace_outage(tags, False)
    return replace_outage(tags, True)


def replace_outage(tags: dict[str, Any], value: bool) -> dict[str, Any]:
    out = dict(tags)
    out["is_outage"] = value
    if not value:
        for key in ("vendors", "affected", "impact", "cause_ruled_out", "region"):
            out[key] = []
        out["cause"] = None
    return out


__all__ = ["Example", "Settings", "extract", "fit_models", "train", "predict", "rules_only",
           "data_hash", "incident_of", "candidate_roles", "SEED"]
