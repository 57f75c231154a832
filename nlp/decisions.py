"""The learned decisions: the linear models, what each decides, and how they are saved.

`Models` holds one model per decision (outage, roles, impact labels, cause) and the
thresholds chosen with them; `decide_*` functions turn features (`nlp.features`) into tags.
The same functions serve tagging and cross-validation, so a cross-validated figure is the
figure of the tagger that ships. A decision whose model is absent falls back to the rules.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pannes.nlp.features import Candidate, Features
from pannes.nlp.linear import LinearModel

from pannes.records import Duration

MODEL_FILE = "models.json"
ROLE_CLASSES = ["other", "vendor", "affected"]


@dataclass
class Thresholds:
    outage: float = 0.5
    vendor_top: float = 0.2  # the likeliest vendor is kept above this
    vendor_more: float = 0.5  # further vendors above this
    vendor_child: float = 0.3  # a chosen group's own service or branch replaces it above this
    affected: float = 0.5
    impact: float = 0.5
    region: float = 0.4
    duration: float = 0.5  # a timing phrase belongs to the incident above this
    start: float = 0.0  # the likeliest day is the start above this


@dataclass
class Models:
    """The trained decisions and where they came from (`meta`: data hash, seeds, figures)."""

    outage: LinearModel | None = None
    roles: LinearModel | None = None
    impact: LinearModel | None = None  # P(label applies | article, label): one model, all labels
    cause: LinearModel | None = None  # P(label is the cause | article, label)
    region: LinearModel | None = None  # P(place was hit | place candidate)
    duration: LinearModel | None = None  # P(timing phrase belongs to the incident | phrase)
    start: LinearModel | None = None  # P(the incident began that day | a day named)
    thresholds: Thresholds = field(default_factory=Thresholds)
    use_rules: list[str] = field(default_factory=list)  # decisions where the rules won in CV
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "meta": self.meta,
            "thresholds": vars(self.thresholds),
            "use_rules": sorted(self.use_rules),
            "outage": self.outage.to_dict() if self.outage else None,
            "roles": self.roles.to_dict() if self.roles else None,
            "impact": self.impact.to_dict() if self.impact else None,
            "cause": self.cause.to_dict() if self.cause else None,
            "region": self.region.to_dict() if self.region else None,
            "duration": self.duration.to_dict() if self.duration else None,
            "start": self.start.to_dict() if self.start else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Models:
        def one(value: Any) -> LinearModel | None:
            return LinearModel.from_dict(value) if value else None

        return cls(
            outage=one(data.get("outage")), roles=one(data.get("roles")),
            impact=one(data.get("impact")),
            cause=one(data.get("cause")), region=one(data.get("region")), thresholds=Thresholds(**(data.get("thresholds") or {})),
            use_rules=list(data.get("use_rules") or []), meta=dict(data.get("meta") or {}),
            duration=one(data.get("duration")), start=one(data.get("start")))

    def save(self, directory: Path | str) -> Path:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / MODEL_FILE
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, indent=1) + "\n",
                        encoding="utf-8")
        return path

    @classmethod
    def load(cls, directory: Path | str) -> Models:
        path = Path(directory) / MODEL_FILE
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))


def packaged_models_dir() -> Path:
    from importlib import resources

    return Path(str(resources.files("pannes.nlp").joinpath("models")))


def load_packaged() -> Models | None:
    """The models shipped with pannes, or None when there are none (rules only)."""
    directory = packaged_models_dir()
    return Models.load(directory) if (directory / MODEL_FILE).is_file() else None


# ---------------------------------------------------------------------------- decisions


def decide_outage(models: Models, features: Features, rule: bool) -> tuple[bool, float]:
    """Outage or not, and the probability."""
    if models.outage is None or "outage" in models.use_rules:
        return rule, float(rule)
    if "outage_words" in models.use_rules:
        features = {k: v for k, v in features.items() if not k.startswith(("w:", "t:"))}
    p = models.outage.proba(features)[models.outage.classes[-1]]
    return p >= models.thresholds.outage, p


def decide_roles(models: Models, candidates: Sequence[Candidate],
                 rule: tuple[list[str], list[str]]) -> tuple[list[str], list[str], dict[str, float]]:
    """(vendors, affected, vendor probability by name) among the candidates."""
    if models.roles is None or not candidates:
        return list(rule[0]), list(rule[1]), {}
    vendors, affected, scores = _learned_roles(models, candidates)
    if "vendors" in models.use_rules:
        vendors = list(rule[0])
        affected = [a for a in affected if a not in vendors]
    if "affected" in models.use_rules:
        affected = list(rule[1])
    return vendors, affected, scores


def _learned_roles(models: Models, candidates: Sequence[Candidate]
                   ) -> tuple[list[str], list[str], dict[str, float]]:
    assert models.roles is not None
    probs = [models.roles.proba(c.features) for c in candidates]
    return roles_from_probabilities(candidates, probs, models.thresholds)


def roles_from_probabilities(candidates: Sequence[Candidate], probs: Sequence[Mapping[str, float]],
                             th: Thresholds) -> tuple[list[str], list[str], dict[str, float]]:
    """Vendors and affected from each candidate's role probabilities."""
    order = sorted(range(len(candidates)), key=lambda i: -probs[i]["vendor"])
    vendors: list[str] = []
    for rank, i in enumerate(order):
        p = probs[i]["vendor"]
        if (rank == 0 and p >= th.vendor_top) or p >= th.vendor_more:
            vendors.append(candidates[i].name)
    # a group's own service or national branch named as failing is the vendor, not the group:
    # PlayStation Network rather than Sony, Orange Côte d'Ivoire rather than Orange
    for i in order:
        child = candidates[i]
        if child.parent in vendors and child.name not in vendors and probs[i]["vendor"] >= th.vendor_child:
            vendors[vendors.index(child.parent)] = child.name
    affected = [candidates[i].name for i in range(len(candidates))
                if candidates[i].name not in vendors and probs[i]["affected"] >= th.affected
                and probs[i]["affected"] >= probs[i]["vendor"]]
    return vendors, affected, {candidates[i].name: round(probs[i]["vendor"], 3) for i in order}


def label_features(features: Features, label: str, kind: str, *, words: bool = True) -> Features:
    """Features of the pair (article, label) for a label decision (impact or cause).

    Most are shared by every label, so a rare label learns from the others how far to trust
    the rules' verdict and the cue scores; `label=` and the words crossed with the label let
    each label have its own bias and vocabulary."""
    f: dict[str, float] = {f"label={label}": 1.0}
    if features.get(f"rule_{kind}={label}"):
        f["rule_says"] = 1.0
        f[f"rule_says|{label}"] = 1.0
    score = features.get(f"{kind}_score={label}")
    if score:
        f["cue_score"] = score
    if features.get(f"ruled_out={label}"):
        f["ruled_out"] = 1.0
    for stage in ("seen", "own", "asserted", "kept"):
        value = features.get(f"{kind}_{stage}={label}")
        if value:
            f[f"cue_{stage}"] = value
            f[f"cue_{stage}|{label}"] = value
    for name, value in features.items():
        if name.startswith(f"{kind}_") and f"={label}/" in name:
            f[name[len(kind) + 1:]] = value  # a hint of this label: "seen=degraded_service/partial"
    for name, value in features.items():
        if name.startswith(("sector=", "vendor_sector=")):
            f[f"{label}|{name}"] = value
        elif words and name.startswith(("w:", "t:")):
            f[f"{label}|{name}"] = value
    return f


def label_probabilities(model: LinearModel, features: Features, labels: Sequence[str], kind: str,
                        words: bool = True) -> dict[str, float]:
    return {label: model.proba(label_features(features, label, kind, words=words))[model.classes[-1]]
            for label in labels}


def decide_impact(models: Models, features: Features, rule: list[str]) -> list[str]:
    if models.impact is None or "impact" in models.use_rules:
        return list(rule)
    from pannes.records import IMPACT_LABELS

    probs = label_probabilities(models.impact, features, IMPACT_LABELS, "impact",
                                "impact_words" not in models.use_rules)
    return [label for label in IMPACT_LABELS if probs[label] >= models.thresholds.impact]


def decide_cause(models: Models, features: Features, rule: str) -> str:
    if models.cause is None or "cause" in models.use_rules:
        return rule
    from pannes.records import CAUSE_LABELS

    probs = label_probabilities(models.cause, features, CAUSE_LABELS, "cause",
                                "cause_words" not in models.use_rules)
    return max(CAUSE_LABELS, key=lambda k: probs[k])


# What the place model does not read of a candidate's features: the rules' organisation role,
# the sector, and the organisation lists it is named in (`features._enumerated`)
PLACE_UNREAD = ("rule=", "sector=", "listed", "list_", "example")


# "l'aéroport de Zürich", "la gare d'Anvers-Berchem", "le canton de Vaud", "les communes de
# Fleurus", "la région du Mans": the place is the name after the kind of place
PLACE_KIND = re.compile(r"^(?:a[ée]roport(?: international)?|gare|ville|communes?|canton|r[ée]gion)"
                        r" (?P<link>de |d'|du )(?=[A-ZÉÈÎ])", re.I)


def place_name(name: str) -> str:
    """The place a candidate names: "Aéroport de Charleroi" -> "Charleroi", "Région du Mans" -> "Le Mans"."""
    match = PLACE_KIND.match(name.replace("’", "'"))
    if match is None:
        return name
    rest = name[match.end():]
    return "Le " + rest if match.group("link").lower() == "du " else rest


def place_candidates(candidates: Sequence[Candidate], rule: Sequence[str], places: Sequence[Any] = ()
                     ) -> list[tuple[str, Features]]:
    """The places an article names and the rules' regions, each with its features.

    Places are the model's LOC entities among the candidates, the gazetteer's places and
    motorways (`places`: nlp.region.PlaceMention, with what the rules see around each
    mention: scope, negation, locating words, preposition, enumeration), and the rules'
    regions; the features say where and how a place is named and whether the rules listed it."""
    from pannes.nlp.evaluate import name_key

    ruled = {name_key(r): r for r in rule}
    out: dict[str, tuple[str, Features]] = {}

    def add(name: str, features: Features) -> None:
        key = name_key(name)
        if key in out:
            merged = dict(out[key][1])
            for k, v in features.items():
                merged[k] = max(merged.get(k, v), v)
            out[key] = (out[key][0], merged)
        else:
            out[key] = (ruled.get(key, name), features)

    def flags_within(spans: Sequence[tuple[int, int]]) -> tuple[Features, str | None]:
        """The place mentions' flags over these spans, and the gazetteer's label when its
        places cover every span ("l'Hexagone" is France)."""
        f: Features = {}
        hits = 0
        for m in places:
            if any(m.start < e and s < m.end for s, e in spans):
                hits += 1
                for k, v in m.flags.items():
                    f[f"p:{k}"] = max(f.get(f"p:{k}", v), v)
        if hits:
            f["p:mentions"] = math.log1p(hits)
        labels = {next((m.label for m in places if m.label and m.start <= s and e <= m.end), None)
                  for s, e in spans}
        label = labels.pop() if len(labels) == 1 else None
        return f, label

    taken: set[tuple[int, int]] = set()
    for c in candidates:
        if c.restates and c.key not in ruled:
            continue  # "EMEA (Europe, Moyen-Orient, Afrique)": the name before is the place
        flags, label = flags_within(c.spans)
        if "ner=LOC" in c.features or c.key in ruled or label:
            name = label or place_name(c.name)
            f = {k: v for k, v in c.features.items() if not k.startswith(PLACE_UNREAD)}
            f.update(flags)
            f["rule_region"] = float(c.key in ruled or name_key(name) in ruled)
            add(name, f)
            taken.update(c.spans)
    by_label: dict[str, list[Any]] = {}
    for m in places:
        if m.label and (m.start, m.end) not in taken:
            by_label.setdefault(m.label, []).append(m)
    for label, mentions in by_label.items():
        if all(m.flags.get("restates") for m in mentions) and name_key(label) not in ruled:
            continue  # spells out the name before it, like a candidate that `restates`
        f, _ = flags_within([(m.start, m.end) for m in mentions])
        f["rule_region"] = float(name_key(label) in ruled)
        # the gazetteer's places no candidate names: those the rules kept, those they dropped
        f["not_a_candidate" if name_key(label) in ruled else "place_only"] = 1.0
        add(label, f)
    for key, name in ruled.items():
        if key not in out:
            add(name, {"rule_region": 1.0, "not_a_candidate": 1.0})
    # a place said to be spared or not hit ("La France ne serait pas affectée"), which the rules
    # do not list from another sentence, is no candidate
    return [(name, f) for name, f in out.values()
            if f.get("rule_region") or not (f.get("p:spared") or f.get("p:negated"))]


def decide_region(models: Models, candidates: Sequence[Candidate], rule: list[str],
                  places: Sequence[Any] = ()) -> list[str]:
    """The places the article says were hit."""
    if models.region is None or "region" in models.use_rules:
        return list(rule)
    yes = models.region.classes[-1]
    chosen = {name: f for name, f in place_candidates(candidates, rule, places)
              if models.region.proba(f)[yes] >= models.thresholds.region}
    # a zone chosen covers its parts named with it ("EMEA" and "Europe, Moyen-Orient, Afrique")
    return [name for name, f in chosen.items()
            if not any(k.startswith("p:part_of=") and k[len("p:part_of="):] in chosen for k in f)]


def decide_duration(models: Models, timing: Any, rule: Duration) -> Duration:
    """The incident's duration from the timing phrases the model says belong to it
    (`timing`: nlp.duration_choice.TimingCandidates); the rules' without a model or candidates."""
    if models.duration is None or "duration" in models.use_rules or timing is None:
        return rule
    from pannes.nlp.duration_choice import candidate_probabilities, choose

    probs = candidate_probabilities(models.duration, timing, words="duration_words" not in models.use_rules)
    return choose(timing, probs, models.thresholds.duration)


def decide_start(models: Models, timing: Any, rule: date | None) -> date | None:
    """The incident's start among the days the article names (`timing`:
    nlp.duration_choice.TimingCandidates); the rules' without a model or candidates."""
    if models.start is None or "start" in models.use_rules or timing is None:
        return rule
    from pannes.nlp.start_choice import choose_start, start_probabilities

    return choose_start(timing.starts, start_probabilities(models.start, timing.starts),
                        models.thresholds.start, timing.rule_resolved, rule)
