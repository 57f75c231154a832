"""Impact labels (ANNOTATION.md taxonomy) from cue words in the sentences of the incident.

A cue counts only in a sentence that tells of the article's own incident, and only when it is
asserted: "Aucune donnée client n'est perdue" is no data loss, "il n'y a pas eu
d'interruption" vetoes `service_unavailable`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from nlp.component import LexiconComponent
from nlp.modality import assertion, is_negated
from nlp.scopes import scope_at
from nlp.spans import span_text

ORG_NOUNS = frozenset({"firme", "société", "entreprise", "groupe", "spécialiste", "géant", "acteur",
                       "marché", "opérateur", "fabricant", "constructeur", "secteur", "chaîne"})


@dataclass
class ImpactResult:
    labels: list[str] = field(default_factory=list)
    evidence: dict[str, list[str]] = field(default_factory=dict)


class ImpactLabeler(LexiconComponent):
    """Finds impact cues in incident sentences and keeps the asserted ones."""

    default_file = "impact_cues.jsonl"

    @staticmethod
    def _near_incident(doc: Doc) -> set[int]:
        """Starts of the sentences next to an incident sentence in the same paragraph."""
        scopes = doc._.sent_scopes or []
        near: set[int] = set()
        for i, scope in enumerate(scopes):
            if scope.kind != "other":
                continue
            for j in (i - 1, i + 1):
                if 0 <= j < len(scopes) and scopes[j].kind == "incident":
                    a, b = sorted((scope, scopes[j]), key=lambda s: s.start)
                    if "\n\n" not in span_text(doc, a.start, b.end):
                        near.add(scope.start)
        return near

    def __call__(self, doc: Doc) -> Doc:
        cues = self.match(doc)
        found: dict[str, list[str]] = {}
        vetoed: set[str] = set()
        near_incident = self._near_incident(doc)
        for cue in cues:
            if cue.label.startswith("_"):
                continue
            scope = scope_at(doc, cue.start)
            if scope is None or not scope.own:
                continue
            head = doc[cue.start:cue.end].root
            if cue.row.get("polarity") == "function":
                if not is_negated(head):
                    continue
                state = "asserted"
            else:
                state = assertion(head, strict=bool(cue.row.get("strict")))
            if state in {"negated", "excluded"} and cue.row.get("veto_when_negated"):
                vetoed.add(cue.label)
            if state == "negated" and cue.row.get("negation_ok"):
                state = "asserted"  # "ne pouvaient ni passer ni recevoir d'appels"
            if state != "asserted":
                continue
            allowed = scope.kind == "incident" or cue.row.get("standalone") or (
                cue.row.get("negation_ok") and scope.start in near_incident)
            if not allowed or head.head.lemma_.lower() in ORG_NOUNS:
                continue
            sentence = span_text(doc, scope.start, scope.end).strip()
            found.setdefault(cue.label, [])
            if sentence not in found[cue.label]:
                found[cue.label].append(sentence)
        for label in vetoed:
            found.pop(label, None)
        for row in self.rows:
            if row["label"] == "_drop" and row.get("when") in found:
                for label in row.get("drop", []):
                    found.pop(label, None)
        doc._.impact = ImpactResult(sorted(found), {k: v[:3] for k, v in found.items()})
        return doc


@Language.factory(
    "pannes_impact",
    assigns=["doc._.impact"],
    requires=["doc._.sent_scopes"],
    default_config={"data_file": ""},
)
def make_impact_labeler(nlp: Language, name: str, data_file: str) -> ImpactLabeler:
    return ImpactLabeler(nlp, name, data_file=data_file)
