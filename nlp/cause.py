"""Cause label, and the causes the text rules out ("écartant l'éventualité d'une attaque").

Asserted cues in the incident's sentences vote (more when the sentence frames a cause: "dû à",
"en cause", "provoqué"); questioned or hedged ones ("piratage ? bug ?", "la piste d'une
cyberattaque", "une cyberattaque serait à l'origine") count for nothing; negated or excluded
ones ("écartant l'éventualité d'une attaque", "..., ce que dément l'opérateur") go to
`ruled_out`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from pannes.nlp.component import LexiconComponent
from pannes.nlp.modality import (
    assertion,
    denies_previous,
    governing_verb,
    is_conditional,
    is_negated_word,
    is_pluperfect,
)
from pannes.nlp.scopes import scope_at
from pannes.nlp.spans import sent_text, sentence_of, span_text
from spacy.language import Language
from spacy.tokens import Doc

CAUSAL_BOOST = 1.5
# Verbs that attribute a cause: "il ne s'agit pas d'une attaque", "ce n'est pas dû à".
ATTRIBUTION_LEMMAS = frozenset({"être", "agir", "provenir", "venir", "lier", "devoir", "causer",
                                "provoquer", "expliquer", "avoir", "résulter", "tenir", "confirmer",
                                "soupçonner", "exister", "y"})


@dataclass
class CauseResult:
    cause: str = "unknown"
    ruled_out: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)


def _speculative_sentence(text: str) -> bool:
    lowered = text.lower()
    return any(marker in lowered for marker in SPECULATIVE)


class CauseClassifier(LexiconComponent):
    """Votes for a cause label from the cue lexicon; keeps what is ruled out apart."""

    default_file = "cause_cues.jsonl"

    def __init__(self, nlp: Language, name: str = "pannes_cause", *, data_file: str = "",
                 min_score: float = 0.5) -> None:
        super().__init__(nlp, name, data_file=data_file)
        self.min_score = min_score

    @staticmethod
    def _failed_not_denied(head) -> bool:
        """True when the negation bears on what the thing did, not on the thing as a cause."""
        if is_negated_word(head):
            return False
        verb = governing_verb(head)
        return verb is not None and verb is not head and verb.lemma_ not in ATTRIBUTION_LEMMAS

    @staticmethod
    def _speculative(doc: Doc, cue) -> bool:
        """"un problème qui pourrait être lié à...", "sans confirmation officielle"."""
        head = doc[cue.start:cue.end].root
        sent = sentence_of(head)
        if _speculative_sentence(sent_text(sent)):
            return True
        if any(t.lemma_ in SEEMING_LEMMAS for t in doc[max(sent.start, cue.start - 6):cue.start]):
            return True  # "suite à ce qui semblerait être une attaque"
        for tok in [head, *list(head.ancestors)[:5]]:
            if tok.lemma_ == "pouvoir" and "Cnd" in tok.morph.get("Mood"):
                return True
            if tok is not head and tok.lemma_ in SEEMING_LEMMAS:
                return True  # "ce qui semblerait être une attaque", "il semble s'agir d'un piratage"
            if any(c.lemma_ == "pouvoir" and "Cnd" in c.morph.get("Mood") for c in tok.children):
                return True
        return False

    def _named_more_precisely(self, cue, cues) -> bool:
        """"attaque par déni de service": the general word opens a phrase naming the specific
        kind, which alone is ruled out."""
        specific = {k for row in self.rows if row["label"] == "_specific" and row["general"] == cue.label
                    for k in row["specific"]}
        return any(o.label in specific and cue.end <= o.start <= cue.end + 2 for o in cues)

    def _nested(self, doc: Doc, cue, cues) -> bool:
        """"un bug dans une nouvelle version": a cue complementing another cue's noun tells
        where that cause lay; only the governing cue votes (a more precise kind still does)."""
        for other in cues:
            if other.label.startswith("_") or other.label == cue.label or self._more_precise(cue.label, other.label):
                continue
            between = doc[other.end:cue.start]
            if 0 < len(between) <= 3 and between[0].lower_ in NESTING:
                return True
        return False

    def _more_precise(self, label: str, general: str) -> bool:
        return any(row["label"] == "_specific" and row["general"] == general and label in row["specific"]
                   for row in self.rows)

    @staticmethod
    def _update_stamp(doc: Doc, cue) -> bool:
        """"Mise à jour 14 h 30 :" heads a live-blog entry; it is no software update."""
        after = doc[cue.end:cue.end + 2]
        if not after:
            return False
        if CLOCK.match(after[0].text):
            return True
        return after[0].text.isdigit() and len(after) == 2 and after[1].lower_ in {"h", "heures"}

    def _state(self, doc: Doc, cue, scope, denied: set[int]) -> str:
        """How the text states the cue: "asserted", "negated", "excluded", "hedged"..."""
        root = doc[cue.start:cue.end].root
        if scope.start in denied:
            return "excluded"
        state = assertion(root)
        if state == "asserted" and (around := _denied_around(doc, cue, root)) != "asserted":
            return around
        # the conditional hedges a cause as much as "la piste de" ("une cyberattaque serait à
        # l'origine"), unless someone named gives it: "d'après la ministre, une erreur humaine
        # serait à l'origine" (ANNOTATION.md: the journalistic conditional of an attributed cause)
        if state == "asserted" and (is_conditional(root) or _conditional_form(root)) and \
                not ATTRIBUTED.search(NOT_ATTRIBUTED.sub(" ", span_text(doc, scope.start, scope.end).lower())):
            return "hedged"
        if state == "negated" and self._failed_not_denied(root):
            return "asserted"  # "le commutateur de secours n'a pas fonctionné" is a failure
        return state

    def _inside_longer(self, doc: Doc, cue, cues, scope, denied: set[int]) -> bool:
        """"bug informatique" and "bug", "attaque malveillante" and "malveillante": a cue inside a
        longer cue of the same label is not read again. An adjective follows its noun even where
        the parse states them differently ("aucun signe d'attaque malveillante"); a noun stands
        for the longer cue when the parse lost that one ("une baie de disques")."""
        adjective = doc[cue.start:cue.end].root.pos_ == "ADJ"
        return any(o.label == cue.label and o.start <= cue.start and cue.end <= o.end
                   and o.end - o.start > cue.end - cue.start
                   and (adjective or self._state(doc, o, scope, denied) == "asserted") for o in cues)

    @staticmethod
    def _preceded_by(doc: Doc, cue) -> bool:
        """"pour des raisons de maintenance", "les équipes de maintenance": the words before the
        cue (row key `unless_preceded_by`) make it a planned work or a team, not a cause; so do
        the words after it (`unless_followed_by`: "le contrôleur aérien" is no disk controller)."""
        before = " ".join(t.lower_ for t in doc[max(0, cue.start - 3):cue.start])
        after = " ".join(t.lower_ for t in doc[cue.end:cue.end + 3])
        return any(before == words or before.endswith(" " + words) for words in cue.row.get("unless_preceded_by", [])) \
            or any(after == words or after.startswith(words + " ") for words in cue.row.get("unless_followed_by", []))

    @staticmethod
    def _denied_sentences(doc: Doc) -> set[int]:
        """Starts of the sentences that a short denial right after them rules out ("Une
        cyberattaque serait en cause. L'opérateur dément.")."""
        scopes = doc._.sent_scopes or []
        return {before.start for before, after in zip(scopes, scopes[1:], strict=False)
                if denies_previous(doc[after.start:after.end])}

    def __call__(self, doc: Doc) -> Doc:
        cues = self.match(doc)
        causal_sents = {scope_at(doc, c.start).start for c in cues
                        if c.label == "_causal" and scope_at(doc, c.start) is not None}
        scores: dict[str, float] = defaultdict(float)
        evidence: dict[str, list[str]] = defaultdict(list)
        ruled_out: dict[str, list[str]] = defaultdict(list)
        dominant: set[str] = set()
        denied = self._denied_sentences(doc)
        for cue in cues:
            if cue.label.startswith("_"):
                continue
            scope = scope_at(doc, cue.start)
            if scope is None or not scope.own or self._update_stamp(doc, cue) or self._nested(doc, cue, cues) \
                    or self._preceded_by(doc, cue) or self._inside_longer(doc, cue, cues, scope, denied):
                continue
            sentence = span_text(doc, scope.start, scope.end).strip()
            state = self._state(doc, cue, scope, denied)
            if state in {"negated", "excluded"}:
                if not self._named_more_precisely(cue, cues):
                    ruled_out[cue.label].append(sentence)
                continue
            if state != "asserted" or self._speculative(doc, cue):
                continue
            verb = governing_verb(doc[cue.start:cue.end].root)
            if scope.kind != "incident" and verb is not None and is_pluperfect(verb):
                continue  # "en mars, plusieurs sites avaient été mis hors ligne par des pirates"
            if cue.row.get("requires_any") and UNSTATED.search(sentence.lower()):
                continue  # "serveurs" + "origine" in "sans en préciser l'origine" names no cause
            causal = scope.start in causal_sents
            if cue.row.get("requires_causal") and not causal:
                continue
            if cue.row.get("dominant") and causal:
                dominant.add(cue.label)
            weight = cue.weight * (CAUSAL_BOOST if causal else 1.0)
            scores[cue.label] += weight
            if sentence not in evidence[cue.label]:
                evidence[cue.label].append(sentence)
        cause = "unknown"
        if scores:
            best, value = max(scores.items(), key=lambda kv: kv[1])
            if dominant:
                best = max(dominant, key=lambda k: scores[k])
                value = scores[best]
            for row in self.rows:  # "rançongiciel" says more than "cyberattaque"
                if row["label"] == "_specific" and best == row["general"]:
                    specific = [k for k in row["specific"] if scores.get(k)]
                    if specific:
                        best = max(specific, key=lambda k: scores[k])
                        value = max(value, scores[best])
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


def _conditional_form(root) -> bool:
    """The conditional read from the verb's form, which the model's morphology often takes for
    the imperfect ("il s'agirait d'une attaque")."""
    verb = governing_verb(root)
    if verb is None:
        return False
    forms = [verb, *(c for c in verb.children if c.dep_.startswith("aux") or c.dep_ == "cop")]
    return any(t.lower_ in CONDITIONAL_FORMS for t in forms)


def _denied_around(doc: Doc, cue, root) -> str:
    """"il ne s'agit « en aucun cas » d'une intrusion" denies the cue; so does a denied noun that
    governs it ("aucun signe d'activité malveillante"). "Pas de demande de rançon" says no ransom
    was asked (yet), which neither states nor rules out a ransomware: "unstated"."""
    sent = sentence_of(root)
    before = [t.lower_ for t in doc[max(sent.start, cue.start - 10):cue.start] if t.text not in QUOTES]
    joined = " ".join(before)
    if {"ne", "n'", "n’"} & set(before) and ("en aucun cas" in joined or {"nullement", "aucunement"} & set(before)):
        return "negated"
    head = root
    for _ in range(2):
        if head.head is head or head.dep_ not in {"nmod", "amod", "obl", "obl:arg"} or head.head.pos_ != "NOUN":
            break
        head = head.head
        if is_negated_word(head):
            return "unstated" if head.lemma_.lower() in DEMAND_NOUNS else "negated"
    return "asserted"


# "un bug dans une nouvelle version", "une panne lors d'une maintenance"
NESTING = frozenset({"dans", "lors", "pendant", "durant", "au"})
CLOCK = re.compile(r"^\d{1,2}(h\d{0,2}|:\d\d)$", re.I)
# A sentence saying the cause is not known: the words a weak cue needs around it ("origine",
# "cause") are there, but no cause is stated.
UNSTATED = re.compile(
    r"\bsans (?:en )?(?:préciser|indiquer|donner|expliquer|dévoiler|révéler) (?:l[’']origine|la cause|les causes|la raison)"
    r"|\b(?:origine|cause|causes|raison)s? (?:reste |restent |demeure |demeurent |encore |toujours )*"
    r"(?:inconnue|indéterminée|inexpliquée|mystérieuse)s?\b")
# Who gives a cause: "selon la ministre", "d'après l'opérateur", "a indiqué le porte-parole";
# rumours and unnamed media are no attribution.
ATTRIBUTED = re.compile(
    r"\b(?:selon|d['’]après)\s+(?!(?:plusieurs|des|certains|certaines|de nombreux|nombre de|les)\s+"
    r"(?:médias|sources|rumeurs|internautes|utilisateurs|observateurs|experts|spécialistes)\b)"
    r"|\b(?:a|ont|avait|avaient) (?:indiqué|expliqué|précisé|affirmé|déclaré|annoncé|reconnu|confirmé|assuré|communiqué)\b"
    r"|\b(?:indique|explique|précise|affirme|déclare|annonce|reconnaît|confirme|assure)(?:nt)?\b")
CONDITIONAL_FORMS = frozenset({"serait", "seraient", "aurait", "auraient", "agirait", "agiraient", "proviendrait",
                               "proviendraient", "viendrait", "viendraient", "résulterait", "résulteraient",
                               "expliquerait", "expliqueraient", "pourrait", "pourraient", "devrait", "devraient"})
# Verbs that make what they govern an impression: "ce qui semblerait être une attaque".
SEEMING_LEMMAS = frozenset({"sembler", "paraître"})
# A denied demand names no cause and rules none out: "pas de demande de rançon".
DEMAND_NOUNS = frozenset({"demande", "revendication", "exigence"})
QUOTES = frozenset({"«", "»", "\"", "“", "”"})
# An attribution the text denies is none: "même si l'entreprise ne le précise pas".
NOT_ATTRIBUTED = re.compile(
    r"\b(?:ne|n['’])\s*(?:l['’]\s*|le |la |les |lui |leur )?(?:a |ont |avait |avaient )?(?:pas |jamais |guère )?"
    r"(?:indiqu|expliqu|précis|affirm|déclar|annonc|reconn|confirm|assur|communiqu)\w*")
SPECULATIVE = frozenset({"pensant que", "pensant qu'", "pensant qu’", "croyant que", "croyant qu'", "croyant qu’",
                         "sans confirmation", "non confirmée", "non confirmé", "pas confirmé",
                         "pas confirmée", "selon une hypothèse", "hypothèse"})


@Language.factory(
    "pannes_cause",
    assigns=["doc._.cause"],
    requires=["doc._.sent_scopes"],
    default_config={"data_file": "", "min_score": 0.5},
)
def make_cause_classifier(nlp: Language, name: str, data_file: str, min_score: float) -> CauseClassifier:
    return CauseClassifier(nlp, name, data_file=data_file, min_score=min_score)
