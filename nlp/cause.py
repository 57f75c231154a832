"""Cause label, and the causes the text rules out ("écartant l'éventualité d'une attaque").

Asserted cues in the incident's sentences vote (more when the sentence frames a cause: "dû à",
"en cause", "provoqué"); questioned or hedged ones ("piratage ? bug ?", "la piste d'une
cyberattaque") count for nothing; negated or excluded ones go to `ruled_out`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from nlp.component import LexiconComponent
from nlp.modality import assertion
from nlp.scopes import scope_at

CAUSAL_BOOST = 1.5


@dataclass
class CauseResult:
    cause: str = "unknown"
    ruled_out: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)


class CauseClassifier(LexiconComponent):
    """Votes for a cause label from the cue lexicon; keeps what is ruled out apart."""

    default_file = "cause_cues.jsonl"

    def __init__(self, nlp: Language, name: str = "pannes_cause", *, data_file: str = "",
                 min_score: float = 0.5) -> None:
        super().__init__(nlp, name, data_file=data_file)
        self.min_score = min_score

    def __call__(self, doc: Doc) -> Doc:
        cues = self.match(doc)
        causal_sents = {scope_at(doc, c.start).start for c in cues
                        if c.label == "_causal" and scope_at(doc, c.start) is not None}
        scores: dict[str, float] = defaultdict(float)
        evidence: dict[str, list[str]] = defaultdict(list)
        ruled_out: dict[str, list[str]] = defaultdict(list)
        for cue in cues:
            if cue.label.startswith("_"):
                continue
            scope = scope_at(doc, cue.start)
            if scope is None or not scope.own:
                continue
            sentence = doc[scope.start:scope.end].text.strip()
            state = assertion(doc[cue.start:cue.end].root)
            if state in {"negated", "excluded"}:
                ruled_out[cue.label].append(sentence)
                continue
            if state != "asserted":
                continue
            weight = cue.weight * (CAUSAL_BOOST if scope.start in causal_sents else 1.0)
            scores[cue.label] += weight
            if sentence not in evidence[cue.label]:
                evidence[cue.label].append(sentence)
        cause = "unknown"
        if scores:
            best, value = max(scores.items(), key=lambda kv: kv[1])
            if value >= self.min_score:
                cause = best
        result = CauseResult(cause, sorted(k for k in ruled_out if k != cause),
                             {k: round(v, 2) for k, v in scores.items()})
        if cause != "unknown":
            result.evidence["cause"] = evidence[cause][:3]
        if result.ruled_out:
            result.evidence["cause_ruled_out"] = [s for k in result.ruled_out for s in ruled_out[k]][:3]
        doc._.cause = result
        return doc


@Language.factory(
    "pannes_cause",
    assigns=["doc._.cause"],
    requires=["doc._.sent_scopes"],
    default_config={"data_file": "", "min_score": 0.5},
)
def make_cause_classifier(nlp: Language, name: str, data_file: str, min_score: float) -> CauseClassifier:
    return CauseClassifier(nlp, name, data_file=data_file, min_score=min_score)
