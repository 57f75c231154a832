"""Geographic scope of the incident as the text states it ("en Île-de-France", "zone EMEA").

Places count in the incident's sentences, when they bound the failure or the people hit by it:
not the datacenter's location ("situé à Slough"), not a witness's home town, not the origin of
an attack ("des machines du monde entier"), not a negated or spared scope ("La France ne serait pas affectée"), not the
country inside a company name. In the article's other sentences a place counts when it bounds
the people or things hit ("les kiosques de Vendée", "12 000 comptes, en France"), when it is a
zone or the world ("sur sa zone EMEA"), or when it heads the title ("Savoie : ..."). A local
"pays" is a place too ("le pays de Brest"). Demonyms count when they describe the people or
market hit ("les clients britanniques"), not when those people were spared or are a source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pannes.nlp.component import LexiconComponent
from pannes.nlp.modality import ancestors_within, governing_verb, is_negated, is_negated_word
from pannes.nlp.scopes import scope_at
from pannes.nlp.spans import enumerations, list_size, restates_name, span_text
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

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
# where an attack or its traffic came from is not where the failure was felt
ORIGIN_LEMMAS = frozenset({"machine", "requête", "attaquant", "pirate", "hacker", "botnet"})
# things hit by a failure, besides people: a place bounding them bounds the incident
HIT_THING_LEMMAS = frozenset({"kiosque", "compte", "commune", "ville", "village", "région", "foyer",
                              "habitant", "ligne", "box", "agence", "magasin", "guichet", "gare",
                              "connexion", "réseau", "service", "zone", "téléviseur", "terminal",
                              "distributeur"})
HIT_VERBS = frozenset({"toucher", "concerner", "affecter", "frapper", "priver", "subir", "paralyser",
                       "perturber", "couper", "impacter", "refuser", "bloquer", "tomber",
                       "incapable", "impossible", "inaccessible", "indisponible"})
# "les sites internet de ... des Pays de la Loire": a website, not a place where things stand
WEB_WORDS = frozenset({"internet", "web"})
# verbs whose denial tells of the failure: "n'aboutissaient pas", "ne fonctionne plus"
FUNCTION_VERBS = frozenset({"aboutir", "fonctionner", "marcher", "répondre", "passer", "charger",
                            "pouvoir", "accéder", "joindre", "recevoir", "envoyer"})
SPARED_VERBS = frozenset({"épargner"})
# a market size or a debate names a place that is not the incident's scope
BACKGROUND_LEMMAS = frozenset({"débat", "dépendance", "revendiquer", "concentration", "souveraineté",
                               "marché"})
BROAD_KINDS = frozenset({"zone", "world"})


# Words before a place that say it is where something happened ("à Liège", "en Flandre") or
# that it qualifies a noun ("de Liège"); read as a feature by the place decision
PLACE_PREPOSITIONS = frozenset({"à", "en", "au", "aux", "dans", "sur", "de", "d'", "d’", "du", "des", "vers",
                                "partout", "depuis", "pour", "entre"})
# "les autoroutes A10, A71 et A19", "l'A10": a motorway named as hit is a place (the real sets list them)
ROAD = re.compile(r"^A\d{1,3}$")
ROAD_WORDS = frozenset({"autoroute", "autoroutes", "l'", "l’", "l", "sur", "de", "des", ",", "et", "ou"})


@dataclass
class PlaceMention:
    """One place the article names (the gazetteer's, a motorway, or the model's LOC entity),
    with what the rules see around it: the place decision reads these as features."""

    start: int
    end: int
    label: str | None  # the gazetteer's label; None for the model's entities
    flags: dict[str, float] = field(default_factory=dict)


@dataclass
class RegionResult:
    regions: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)


class RegionTagger(LexiconComponent):
    """Matches the place and demonym gazetteer in incident sentences."""

    default_file = "regions.jsonl"

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self._places = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self._demonyms = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.covers: dict[str, list[str]] = {}
        self.kinds: dict[str, str] = {}
        self._local_pays = Matcher(self.nlp.vocab)
        self._local_pays.add("pays", [[{"LOWER": "pays"}, {"LOWER": {"IN": ["de", "du", "d'", "d’"]}},
                                       {"IS_TITLE": True}]])
        for row in rows:
            label = row["label"]
            self.kinds[label] = row.get("kind", "")
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
        return any((h.lemma_.lower() in LOCATING_LEMMAS | ORIGIN_LEMMAS or h.lower_ in LOCATING_LEMMAS)
                   and not (h.i + 1 < len(h.doc) and h.doc[h.i + 1].lower_ in WEB_WORDS)
                   for h in ancestors_within(token, 3))

    @staticmethod
    def _background(token: Token) -> bool:
        """A market size or a debate ("la dépendance des entreprises européennes")."""
        return any(h.lemma_.lower() in BACKGROUND_LEMMAS for h in ancestors_within(token, 4))

    @staticmethod
    def _spared(token: Token) -> bool:
        """Said to be untouched: "les commerçants français n'ont pas été affectés", "épargnés"."""
        verb = governing_verb(token)
        if verb is None or verb is token:
            return False
        lemma = verb.lemma_.lower()
        return lemma in SPARED_VERBS or (lemma in HIT_VERBS and is_negated(verb))

    @staticmethod
    def _town_department(doc: Doc, start: int, end: int) -> bool:
        """ "Brest (Finistère)": a town's département in brackets."""
        return (start >= 2 and end < len(doc) and doc[start - 1].text == "(" and doc[end].text == ")"
                and doc[start - 2].is_title)

    @staticmethod
    def _heads_the_title(doc: Doc, start: int, end: int) -> bool:
        """ "Savoie : trois jours sans télévision": the headline's leading place."""
        title_end = doc._.title_end or 0
        return (doc[start].idx < title_end and (start == 0 or doc[start - 1].is_space)
                and end < len(doc) and doc[end].text == ":")

    def _bounds_the_hit(self, token: Token, label: str) -> bool:
        """In a sentence without outage cue: the place bounds who or what was hit."""
        if self.kinds.get(label) in BROAD_KINDS:
            return True
        for head in ancestors_within(token, 3):
            lemma = head.lemma_.lower()
            if head.pos_ in {"NOUN", "PROPN"} and (lemma in POPULATION_LEMMAS or lemma in HIT_THING_LEMMAS
                                                  or lemma == "vente" and head.head.lemma_ == "point"):
                return True
            if head.pos_ in {"VERB", "ADJ"} and lemma in HIT_VERBS:
                return True
        return False

    def _places_in(self, doc: Doc) -> list[Span]:
        spans = [Span(doc, s, e, label=m) for m, s, e in self._places(doc)]
        covered = {i for span in spans for i in range(span.start, span.end)}
        for _, s, e in self._local_pays(doc):
            if not covered & set(range(s, e)):
                label = "pays " + span_text(doc, s + 1, e).strip()
                spans.append(Span(doc, s, e, label=label))
        return filter_spans(spans)

    def __call__(self, doc: Doc) -> Doc:
        self.match(doc)
        found: dict[str, str] = {}
        mentions: list[PlaceMention] = []
        for place in self._places_in(doc):
            label, start, end = place.label_, place.start, place.end
            flags = self._flags(doc, start, end, label)
            mentions.append(PlaceMention(start, end, label, flags))
            if _kept(flags):
                scope = scope_at(doc, start)
                found.setdefault(label, span_text(doc, scope.start, scope.end).strip())
        for match_id, start, end in self._demonyms(doc):
            label = doc.vocab.strings[match_id]
            scope = scope_at(doc, start)
            inside = scope is None or not scope.own or self._inside_org(doc, start, end)
            tok = doc[start]
            population = tok.pos_ in {"NOUN", "PROPN"} and tok.text[0].isupper()
            near = [tok.head, *[c for c in tok.head.children if c.dep_ == "nmod"]] if tok.dep_ == "amod" else []
            population = population or any(t.lemma_.lower() in POPULATION_LEMMAS for t in near)
            speaker = tok.head if tok.dep_ == "amod" else tok
            source = speaker.dep_.startswith("nsubj") and _declarative(speaker.head)
            spared = self._spared(speaker) or self._background(tok)
            flags = {"demonym": 1.0}
            for name, value in (("not_own", inside), ("source", source), ("spared", spared),
                                ("population", population), ("negated", is_negated(tok))):
                if value:
                    flags[name] = 1.0
            if scope is not None:
                flags[f"scope={scope.kind}"] = 1.0
            mentions.append(PlaceMention(start, end, label, flags))
            if inside or source or spared:
                continue  # "la presse britannique indique que..." is a source
            if population and not is_negated(tok):
                found.setdefault(label, span_text(doc, scope.start, scope.end).strip())
        for zone, parts in self.covers.items():
            if zone in found:
                for part in parts:
                    found.pop(part, None)
        # "la zone EMEA (Europe, Moyen-Orient, Afrique)": the parts of a zone named in the article
        named = {m.label for m in mentions}
        for m in mentions:
            zone = next((z for z, parts in self.covers.items() if m.label in parts and z in named), None)
            if zone is not None:
                m.flags[f"part_of={zone}"] = 1.0
        taken = {i for m in mentions for i in range(m.start, m.end)}
        for ent in doc.ents:
            if ent.label_ == "LOC" and not taken & set(range(ent.start, ent.end)):
                mentions.append(PlaceMention(ent.start, ent.end, None, self._flags(doc, ent.start, ent.end, "")))
        for tok in doc:
            if ROAD.match(tok.text) and tok.i > 0 and (doc[tok.i - 1].lower_ in ROAD_WORDS
                                                        or doc[tok.i - 1].text == "l"):
                if any(t.lower_.startswith("autoroute") for t in doc[max(0, tok.i - 12):tok.i + 1]):
                    flags = self._flags(doc, tok.i, tok.i + 1, "")
                    flags["road"] = 1.0
                    mentions.append(PlaceMention(tok.i, tok.i + 1, tok.text, flags))
                    if _kept(flags):
                        scope = scope_at(doc, tok.i)
                        found.setdefault(tok.text, span_text(doc, scope.start, scope.end).strip())
        doc._.region = RegionResult(list(found), list(dict.fromkeys(found.values()))[:3],
                                    sorted(mentions, key=lambda m: (m.start, m.end)))
        _listed_together(doc, doc._.region.places)
        return doc

    def _flags(self, doc: Doc, start: int, end: int, label: str) -> dict[str, float]:
        """What the rules see of one place mention: the checks that keep or drop it."""
        flags: dict[str, float] = {}
        kind = self.kinds.get(label)
        flags[f"kind={kind or 'none'}"] = 1.0
        scope = scope_at(doc, start)
        if scope is None or not scope.own:
            flags["not_own"] = 1.0
        else:
            flags[f"scope={scope.kind}"] = 1.0
        if self._inside_org(doc, start, end):
            flags["inside_org"] = 1.0
        head = doc[start:end].root
        bracketed = kind == "department" and self._town_department(doc, start, end)
        checks = (("negated", is_negated(head) and not _failed_to_work(head)), ("spared", self._spared(head)),
                  ("locates", not bracketed and self._locates_something_else(head)),
                  ("background", self._background(head)), ("bracketed", bracketed),
                  ("bounds_hit", self._bounds_the_hit(head, label)), ("failed_to_work", _failed_to_work(head)),
                  ("heads_title", self._heads_the_title(doc, start, end)),
                  ("department_after", end + 2 < len(doc) and doc[end].text == "("
                   and doc[end + 1].is_title and doc[end + 2].text == ")"))
        for name, value in checks:
            if value:
                flags[name] = 1.0
        if restates_name(doc, start):
            flags["restates"] = 1.0
        if start > 0 and doc[start - 1].lower_ in PLACE_PREPOSITIONS:
            flags[f"prep={doc[start - 1].lower_.replace('’', chr(39))}"] = 1.0
        if any(t.lemma_.lower() in HIT_VERBS for t in doc[start].sent):
            flags["hit_sentence"] = 1.0
        return flags


def _listed_together(doc: Doc, mentions: list[PlaceMention]) -> None:
    """Places named in one enumeration ("à Liège, à Huy et à Namur"): each knows the list's size."""
    for indexes in enumerations(doc, [(m.start, m.end) for m in mentions], PLACE_PREPOSITIONS):
        if len(indexes) > 1:
            for k in indexes:
                flags = mentions[k].flags
                flags["listed"] = 1.0
                flags["list_size"] = max(flags.get("list_size", 0.0), list_size(len(indexes)))


def _kept(flags: dict[str, float]) -> bool:
    """The rules' verdict on a place mention: in the incident's sentences, or bounding who or
    what was hit, and neither denied, spared, the location of something else nor background."""
    return not any(k in flags for k in ("not_own", "inside_org", "negated", "spared", "locates", "background")) \
        and any(k in flags for k in ("scope=incident", "bounds_hit", "failed_to_work", "heads_title"))


def _failed_to_work(token: Token) -> bool:
    """"les appels n'avaient pas abouti dans toute la France": the denial is the failure."""
    verb = governing_verb(token)
    return verb is not None and verb is not token and verb.lemma_.lower() in FUNCTION_VERBS \
        and is_negated(verb) and not is_negated_word(token)


def _declarative(token: Token) -> bool:
    """A verb of saying, also when the lemmatizer leaves it inflected ("indique")."""
    lemma = token.lemma_.lower()
    if lemma in DECLARATIVE:
        return True
    return token.pos_ in {"VERB", "NOUN", "ADJ"} and any(
        len(verb) >= 6 and lemma.startswith(verb[:-2]) for verb in DECLARATIVE)


@Language.factory(
    "pannes_region",
    assigns=["doc._.region"],
    requires=["doc._.sent_scopes", "doc._.orgs"],
    default_config={"data_file": ""},
)
def make_region_tagger(nlp: Language, name: str, data_file: str) -> RegionTagger:
    return RegionTagger(nlp, name, data_file=data_file)
