"""Impact labels (ANNOTATION.md taxonomy) from cue words in the sentences of the incident.

A cue counts only in a sentence that tells of the article's own incident, and only when it is
asserted: "Aucune donnée client n'est perdue" is no data loss, "il n'y a pas eu
d'interruption" vetoes `service_unavailable`. A topic word ("internet", "paiements") outside
the incident's key sentences counts when its clause says it failed, never when it says it was
spared. Row keys read here: `standalone`, `negation_ok` (a topic), `strict`, `polarity`,
`veto_when_negated`, `unless_after` / `unless_before` / `unless_case` (another sense of the
word), `clause` (`requires_any` must be in the cue's clause or tied to it by the parse),
`clause_negation` (a denied clause cancels the cue), `signal` (a hint row: counted for the
learned decision under "label/signal", never a label of the rules).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pannes.nlp.component import LexiconComponent
from pannes.nlp.cues import Cue
from pannes.nlp.modality import ancestors_within, assertion, is_negated
from pannes.nlp.scopes import scope_at
from pannes.nlp.spans import sentence_of, span_text
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

ORG_NOUNS = frozenset({"firme", "société", "entreprise", "groupe", "spécialiste", "géant", "acteur",
                       "marché", "opérateur", "fabricant", "constructeur", "secteur", "chaîne"})
# Words saying that what they bear on stopped, failed or suffered: a topic cue ("internet",
# "paiements", "messagerie") outside the incident's key sentences counts when its clause has
# one ("les terminaux de paiement ont dû refuser les cartes", "appels coupés").
DISRUPTION_LEMMAS = frozenset({
    "priver", "couper", "coupure", "interrompre", "interruption", "bloquer", "blocage", "paralyser",
    "paralysie", "suspendre", "geler", "figer", "refuser", "rejeter", "échouer", "échec", "planter",
    "fermer", "perturber", "perturbation", "ralentir", "saturer", "panne", "erreur", "arrêt",
    "arrêter", "toucher", "affecter", "impacter", "souffrir", "disparaître", "tomber", "cesser",
    "impossible", "impossibilité", "inaccessible", "indisponible", "injoignable", "inopérant",
    "introuvable", "incapable", "incapacité", "privation", "hors", "noir", "dégrader",
})
# Denied, these say the topic was spared ("les foyers équipés d'une box n'ont pas été affectés").
SPARING_LEMMAS = DISRUPTION_LEMMAS | {"menacer", "concerner", "perdre", "exposer", "compromettre"}
CLAUSE_BREAKS = frozenset({",", ";", ":", "(", ")", "«", "»", "\"", "–", "—", "?", "!"})
CLAUSE_NEGATORS = frozenset({"pas", "plus", "ni", "aucun", "aucune", "jamais", "rien"})


@dataclass
class ImpactResult:
    labels: list[str] = field(default_factory=list)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    # label -> how far its cues went, counted per stage (`STAGES`): the learned decision reads
    # the cues the rules set aside (a topic named but not said to fail, a cue outside the
    # incident's sentences), which the rules' verdict alone hides
    signals: dict[str, dict[str, int]] = field(default_factory=dict)


# A cue's stages: matched in any sentence, in a sentence of the article's own incident,
# asserted there, kept by the rules' scope test
STAGES = ("seen", "own", "asserted", "kept")


class ImpactLabeler(LexiconComponent):
    """Finds impact cues in incident sentences and keeps the asserted ones."""

    default_file = "impact_cues.jsonl"

    @staticmethod
    def _clause(head: Token) -> Span:
        """The words around a token up to the nearest punctuation of its sentence."""
        doc = head.doc
        sent = sentence_of(head)
        start = head.i
        while start > sent.start and doc[start - 1].text not in CLAUSE_BREAKS:
            start -= 1
        end = head.i + 1
        while end < sent.end and doc[end].text not in CLAUSE_BREAKS:
            end += 1
        return doc[start:end]

    @classmethod
    def _disrupted(cls, head: Token, state: str) -> bool:
        """True when the clause of a topic cue says it failed: a disruption word bears on it
        or the clause is denied ("ne peuvent plus facturer"), and nothing says it was spared."""
        clause = cls._clause(head)
        if cls._spared(clause):
            return False
        if state == "negated":
            return True
        if any(t.lemma_.lower() in DISRUPTION_LEMMAS or t.lower_ in DISRUPTION_LEMMAS
               for t in clause if t.i != head.i):
            return True
        return cls._clause_denied(clause)

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

    @classmethod
    def _ruled_out(cls, doc: Doc, cue: Cue) -> bool:
        """True when the cue's context gives the word another sense: "appel d'offres", "payer
        la rançon", "prévenus par courriel", or its clause lacks the word it requires."""
        row = cue.row
        after = doc[cue.end:cue.end + 3].text.lower()
        if any(after.startswith(words) for words in row.get("unless_after", [])):
            return True
        before = doc[cue.start - 1].lower_ if cue.start > 0 else ""
        if before in row.get("unless_before", []):
            return True
        head = doc[cue.start:cue.end].root
        if any(c.dep_ == "case" and c.lower_ in row.get("unless_case", []) for c in head.children):
            return True
        if row.get("clause_negation") and cls._clause_denied(cls._clause(head)):
            return True  # "aucune donnée n'a été exposée"
        if row.get("clause") and row.get("requires_any"):
            near = [*cls._clause(head), *cls._linked(head)]
            words = {t.lower_ for t in near} | {t.lemma_.lower() for t in near}
            return not words & set(row["requires_any"])
        return False

    @staticmethod
    def _linked(head: Token) -> list[Token]:
        """The words the parse ties to a token: its heads (three up), its dependents (two
        down) and the negations of its heads ("n'ont plus accès aux fiches")."""
        heads = ancestors_within(head, 3)
        below = [g for c in head.children for g in (c, *c.children)]
        negations = [c for h in heads for c in h.children if c.dep_ in {"advmod", "det"}]
        return [*heads, *below, *negations]

    @staticmethod
    def _spared(clause: Span) -> bool:
        """True when the clause says the topic was spared or kept working ("la box n'a pas été
        touchée", "la messagerie a continué de fonctionner normalement")."""
        return any((t.lemma_.lower() in SPARING_LEMMAS and is_negated(t))
                   or t.lower_ == "normalement" or t.lemma_.lower() == "continuer" for t in clause)

    @staticmethod
    def _clause_denied(clause: Span) -> bool:
        words = {t.lower_ for t in clause}
        return bool(words & {"aucun", "aucune", "nul", "nulle"}) or (
            bool(words & {"ne", "n'", "n’"}) and bool(words & CLAUSE_NEGATORS))

    def __call__(self, doc: Doc) -> Doc:
        cues = self.match(doc)
        found: dict[str, list[str]] = {}
        vetoed: set[str] = set()
        near_incident = self._near_incident(doc)
        signals: dict[str, dict[str, int]] = {}

        def reached(label: str, stage: str) -> None:
            counts = signals.setdefault(label, {})
            counts[stage] = counts.get(stage, 0) + 1

        for cue in cues:
            if cue.label.startswith("_"):
                continue
            scope = scope_at(doc, cue.start)
            if scope is None or self._ruled_out(doc, cue):
                continue
            # a hint row counts under its own name ("degraded_service/partial")
            signal = f"{cue.label}/{cue.row['signal']}" if cue.row.get("signal") else cue.label
            reached(signal, "seen")
            if not scope.own:
                continue
            reached(signal, "own")
            head = doc[cue.start:cue.end].root
            if cue.row.get("polarity") == "function":
                if not is_negated(head):
                    continue
                state = "asserted"
            else:
                state = assertion(head, strict=bool(cue.row.get("strict")))
            if state in {"negated", "excluded"} and cue.row.get("veto_when_negated") and not cue.row.get("signal"):
                vetoed.add(cue.label)
            topic = bool(cue.row.get("negation_ok"))
            if topic and self._spared(self._clause(head)):
                continue
            disrupted = topic and self._disrupted(head, state)
            if state == "negated" and topic:
                state = "asserted"  # "ne pouvaient ni passer ni recevoir d'appels"
            if state != "asserted":
                continue
            reached(signal, "asserted")
            allowed = scope.kind == "incident" or cue.row.get("standalone") or disrupted or (
                topic and scope.start in near_incident)
            if not allowed or head.head.lemma_.lower() in ORG_NOUNS:
                continue
            reached(signal, "kept")
            if cue.row.get("signal"):
                continue  # a hint for the learned decision, not a label of the rules
            sentence = span_text(doc, scope.start, scope.end).strip()
            found.setdefault(cue.label, [])
            if sentence not in found[cue.label]:
                found[cue.label].append(sentence)
        for label in vetoed:
            found.pop(label, None)
        for row in self.rows:
            # "écran noir, programmes interrompus": the interruption is the broadcast itself;
            # a label with sentences of its own ("abonnés privés de service") stays.
            if row["label"] == "_drop" and row.get("when") in found:
                for label in row.get("drop", []):
                    if set(found.get(label, [])) <= set(found[row["when"]]):
                        found.pop(label, None)
        doc._.impact = ImpactResult(sorted(found), {k: v[:3] for k, v in found.items()}, signals)
        return doc


@Language.factory(
    "pannes_impact",
    assigns=["doc._.impact"],
    requires=["doc._.sent_scopes"],
    default_config={"data_file": ""},
)
def make_impact_labeler(nlp: Language, name: str, data_file: str) -> ImpactLabeler:
    return ImpactLabeler(nlp, name, data_file=data_file)
