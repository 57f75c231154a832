"""The learned decisions as spaCy components, after the rule components they read.

`pannes_learned_outage` runs after `pannes_outage` and replaces its verdict with the outage
model's; `pannes_learned_details` runs last, on outages only, and replaces the rules' vendors,
affected organisations, impact labels, cause, places hit and duration with the models'. Both read the models from
`nlp/models/models.json` (written by `pannes train`), and save and load them with the
pipeline (`to_disk` / `from_disk`). Without models they leave the rules' verdicts alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from pannes.nlp.decisions import (
    MODEL_FILE,
    Models,
    decide_cause,
    decide_duration,
    decide_impact,
    decide_outage,
    decide_region,
    decide_roles,
    decide_start,
    load_packaged,
)
from pannes.nlp.extensions import register_extensions
from pannes.nlp.features import detail_features, org_candidates, outage_features
from pannes.nlp.timing import duration_evidence, own_sentences, sentence_texts
from spacy.language import Language
from spacy.tokens import Doc


class _WithModels:
    def __init__(self, nlp: Language, name: str, models_dir: str = "") -> None:
        register_extensions()
        self.nlp = nlp
        self.name = name
        self.models_dir = models_dir
        self.models: Models | None = None

    def initialize(self, get_examples: Any = None, *, nlp: Language | None = None,
                   models: Models | None = None) -> None:
        if models is not None:
            self.models = models
        elif self.models_dir:
            self.models = Models.load(self.models_dir)
        else:
            self.models = load_packaged()

    def to_disk(self, path: Path | str, *, exclude: Iterable[str] = ()) -> None:
        if self.models is not None:
            self.models.save(path)

    def from_disk(self, path: Path | str, *, exclude: Iterable[str] = ()) -> _WithModels:
        self.models = Models.load(path) if (Path(path) / MODEL_FILE).is_file() else None
        return self


class LearnedOutage(_WithModels):
    """Replaces the rules' outage verdict with the outage model's."""

    def __call__(self, doc: Doc) -> Doc:
        rule = doc._.outage
        if self.models is None or rule is None:
            return doc
        is_outage, p = decide_outage(self.models, outage_features(doc), rule.is_outage)
        doc._.rule_outage = rule
        doc._.outage = replace(rule, is_outage=is_outage, score=round(p, 3))
        return doc


class LearnedDetails(_WithModels):
    """Replaces the rules' roles, impact labels, cause, places and duration with the models'
    decisions."""

    def initialize(self, get_examples: Any = None, *, nlp: Language | None = None,
                   models: Models | None = None) -> None:
        super().initialize(get_examples, nlp=nlp, models=models)
        self._tell_timing()

    def from_disk(self, path: Path | str, *, exclude: Iterable[str] = ()) -> LearnedDetails:
        super().from_disk(path, exclude=exclude)
        self._tell_timing()
        return self

    def _tell_timing(self) -> None:
        """The timing component gathers duration phrase candidates only when a model reads them."""
        if "pannes_timing" in self.nlp.pipe_names:
            m = self.models
            self.nlp.get_pipe("pannes_timing").duration_candidates = \
                m is not None and m.duration is not None and "duration" not in m.use_rules

    def __call__(self, doc: Doc) -> Doc:
        outage = doc._.outage
        if self.models is None or outage is None or not outage.is_outage:
            return doc
        base = self.nlp.get_pipe("pannes_vendors").base if "pannes_vendors" in self.nlp.pipe_names else None
        candidates = org_candidates(doc, base, source=doc._.source)
        details = detail_features(doc)
        roles = doc._.roles
        if roles is not None:
            vendors, affected, scores = decide_roles(self.models, candidates,
                                                     (roles.vendors, roles.affected))
            evidence = dict(roles.evidence)
            for field, names in (("vendors", vendors), ("affected", affected)):
                evidence[field] = _sentences(doc, candidates, names)
            doc._.roles = replace(roles, vendors=vendors, affected=affected, evidence=evidence,
                                  scores=scores or roles.scores)
        impact = doc._.impact
        if impact is not None:
            labels = decide_impact(self.models, details, impact.labels)
            doc._.impact = replace(impact, labels=labels,
                                   evidence={k: v for k, v in impact.evidence.items() if k in labels})
        region = doc._.region
        if region is not None:
            doc._.region = replace(region, regions=decide_region(self.models, candidates,
                                                                 list(region.regions), region.places))
        timing = doc._.timing
        if timing is not None and timing.candidates is not None:
            duration = decide_duration(self.models, timing.candidates, timing.duration)
            if duration != timing.duration:
                evidence = dict(timing.evidence)
                evidence["duration"] = duration_evidence(own_sentences(doc), duration)
                doc._.timing = timing = replace(timing, duration=duration, evidence=evidence)
            start = decide_start(self.models, timing.candidates, timing.start)
            if start != timing.start:
                evidence = {k: v for k, v in timing.evidence.items() if k not in ("start", "end")}
                chosen = [c for c in timing.candidates.starts if c.value == start]
                sentences = sentence_texts(doc)
                if chosen:
                    evidence["start"] = [sentences[chosen[0].sentence]]
                end = timing.end if start is None or timing.end is None or timing.end >= start else None
                if end is not None and "end" in timing.evidence:
                    evidence["end"] = timing.evidence["end"]
                doc._.timing = replace(timing, start=start, end=end, evidence=evidence)
        cause = doc._.cause
        if cause is not None:
            label = decide_cause(self.models, details, cause.cause)
            if label != cause.cause:
                evidence = {k: v for k, v in cause.evidence.items() if k != "cause"}
                sentences = list(cause.evidence.get(label) or [])[:3]  # the cue sentences of that label
                if sentences:
                    evidence["cause"] = sentences
                doc._.cause = replace(cause, cause=label,
                                      ruled_out=[c for c in cause.ruled_out if c != label],
                                      evidence=evidence)
        return doc


def _sentences(doc: Doc, candidates: list[Any], names: list[str]) -> list[str]:
    """The first sentences naming the chosen organisations (the evidence shown to editors)."""
    out: list[str] = []
    for cand in candidates:
        if cand.name not in names:
            continue
        for start, _ in sorted(cand.spans)[:2]:
            text = doc[start].sent.text.strip()
            if text not in out:
                out.append(text)
    return out[:3]


@Language.factory("pannes_learned_outage", assigns=["doc._.outage"],
                  requires=["doc._.outage", "doc._.sent_scopes", "doc._.roles"],
                  default_config={"models_dir": ""})
def make_learned_outage(nlp: Language, name: str, models_dir: str) -> LearnedOutage:
    return LearnedOutage(nlp, name, models_dir)


@Language.factory("pannes_learned_details",
                  assigns=["doc._.roles", "doc._.impact", "doc._.cause", "doc._.region", "doc._.timing"],
                  requires=["doc._.roles", "doc._.impact", "doc._.cause", "doc._.orgs"],
                  default_config={"models_dir": ""})
def make_learned_details(nlp: Language, name: str, models_dir: str) -> LearnedDetails:
    return LearnedDetails(nlp, name, models_dir)
