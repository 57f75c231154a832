"""Geographic scope of the incident as the text states it ("en Île-de-France", "zone EMEA").

Places count in the incident's sentences only, when they bound the failure or the people hit
by it: not the datacenter's location ("situé à Slough"), not a witness's home town, not a
negated scope ("La France ne serait pas affectée"), not the country inside a company name.
Demonyms count when they describe the people or market hit ("les clients britanniques").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from nlp.component import LexiconComponent
from nlp.modality import ancestors_within, is_negated
from nlp.scopes import scope_at
from nlp.spans import span_text

LOCATING_LEMMAS = frozenset({"situer", "baser", "siège", "habitant", "habitante", "résident",
                             "implanter", "installer", "localiser", "datacenter", "data", "centre",
                             "site", "locaux", "bureau", "quotidien", "journal", "branche",
                             "filiale", "originaire", "domicilier", "établir", "né", "naître",
                             "ouest", "est", "nord", "sud", "bourse", "euronext", "siéger"})
POPULATION_LEMMAS = frozenset({"presse", "marché", "client", "utilisateur", "abonné", "usager",
                               "internaute", "foyer", "consommateur", "entreprise", "titre",
                               "journal", "lecteur", "particulier", "éditeur", "opérateur",
                               "banque", "commerçant", "automobiliste", "voyageur", "téléspectateur",
                               "mobinaute", "possesseur", "propriétaire"})


DECLARATIVE = frozenset({"indiquer", "affirmer", "rapporter", "écrire", "révéler", "expliquer",
                         "préciser", "annoncer", "estimer", "dire", "évoquer", "assurer", "noter"})


@dataclass
class RegionResult:
    regions: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


class RegionTagger(LexiconComponent):
    """Matches the place and demonym gazetteer in incident sentences."""

    default_file = "regions.jsonl"

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self._places = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self._demonyms = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.covers: dict[str, list[str]] = {}
        for row in rows:
            label = row["label"]
            self._places.add(label, [self.nlp.make_doc(p) for p in row.get("phrases", [])])
            if row.get("demonyms"):
                self._demonyms.add(label, [self.nlp.make_doc(p) for p in row["demonyms"]])
            if row.get("covers"):
                self.covers[label] = list(row["covers"])
        self.matcher = None

    def match(self, doc: Doc) -> list:  # type: ignore[override]
        if not self.rows:
            self.initialize()
        return []

    def _inside_org(self, doc: Doc, start: int, end: int) -> bool:
        return any(m.start <= start and end <= m.end and (m.start, m.end) != (start, end)
                   or (m.start < end and start < m.end) for m in doc._.orgs or [])

    @staticmethod
    def _locates_something_else(token: Token) -> bool:
        return any(h.lemma_.lower() in LOCATING_LEMMAS or h.lower_ in LOCATING_LEMMAS
                   for h in ancestors_within(token, 3))

    def __call__(self, doc: Doc) -> Doc:
        self.match(doc)
        found: dict[str, str] = {}
        places = filter_spans([Span(doc, s, e, label=m) for m, s, e in self._places(doc)])
        for match_id, start, end in ((p.label, p.start, p.end) for p in places):
            label = doc.vocab.strings[match_id]
            scope = scope_at(doc, start)
            if scope is None or scope.kind != "incident" or self._inside_org(doc, start, end):
                continue
            head = doc[start:end].root
            if is_negated(head) or self._locates_something_else(head):
                continue
            found.setdefault(label, span_text(doc, scope.start, scope.end).strip())
        for match_id, start, end in self._demonyms(doc):
            label = doc.vocab.strings[match_id]
            scope = scope_at(doc, start)
            if scope is None or not scope.own or self._inside_org(doc, start, end):
                continue
            tok = doc[start]
            population = tok.pos_ in {"NOUN", "PROPN"} and tok.text[0].isupper()
            near = [tok.head, *[c for c in tok.head.children if c.dep_ == "nmod"]] if tok.dep_ == "amod" else []
            population = population or any(t.lemma_.lower() in POPULATION_LEMMAS for t in near)
            speaker = tok.head if tok.dep_ == "amod" else tok
            if speaker.dep_.startswith("nsubj") and speaker.head.lemma_ in DECLARATIVE:
                continue  # "la presse britannique indique que..." is a source
            if population and not is_negated(tok):
                found.setdefault(label, span_text(doc, scope.start, scope.end).strip())
        for zone, parts in self.covers.items():
            if zone in found:
                for part in parts:
                    found.pop(part, None)
        doc._.region = RegionResult(list(found), list(dict.fromkeys(found.values()))[:3])
        return doc


@Language.factory(
    "pannes_region",
    assigns=["doc._.region"],
    requires=["doc._.sent_scopes", "doc._.orgs"],
    default_config={"data_file": ""},
)
def make_region_tagger(nlp: Language, name: str, data_file: str) -> RegionTagger:
    return RegionTagger(nlp, name, data_file=data_file)
