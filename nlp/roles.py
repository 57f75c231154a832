"""Roles of the organisations named: failing vendor, affected, quoted source, competitor, passing.

The vendor is the organisation the text ties to the failure ("une panne chez X", "le réseau
de X", "X a reconnu l'incident", in the title); affected organisations are hit by it (its
subsidiaries and brands, clients in a downstream sector, "les clients de Y ont aussi été
touchés"); sources are quoted ("selon Reuters", "a indiqué à l'AFP", "sur LCI").
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from nlp.extensions import register_extensions
from nlp.lexicon import load_rows, read_jsonl, write_jsonl
from nlp.modality import is_negated
from nlp.spans import sent_text, sentence_of
from nlp.vendors import OrgMention

ROLE_NOUNS = frozenset({"prestataire", "opérateur", "groupe", "société", "entreprise", "hébergeur",
                        "fournisseur", "constructeur", "fabricant", "filiale", "banque", "éditeur",
                        "plateforme", "marque", "firme", "compagnie", "service", "site", "chaîne",
                        "géant", "spécialiste", "FAI", "enseigne", "start-up", "application"})
LINK_DEPS = frozenset({"nmod", "appos", "flat:name", "compound", "flat", "obl:arg", "obl:mod",
                       "obl", "nmod:poss", "conj", "amod"})
ANALYST_NOUNS = frozenset({"analyste", "expert", "experte", "consultant", "consultante", "chercheur",
                           "chercheuse", "économiste", "associé", "associée", "spécialiste"})
# People quoted for their view, not for their organisation's part in the incident.
COMMENTATOR_NOUNS = ANALYST_NOUNS | {"délégué", "déléguée", "syndicaliste", "économiste"}
SOURCE_PREPS = frozenset({"selon", "d'après", "d’après"})
# Words that join the names of a list ("dont X, Y et Z", "celui de W").
LIST_LINKS = frozenset({",", "et", "ou", "ainsi", "que", "de", "d'", "d’", "du", "des", "le", "la", "les",
                        "l'", "l’", "celui", "celle", "ceux", "celles", "lesquels", "lesquelles",
                        "eux", "elles", "aussi", "(", ")"})
# Markers a list of examples follows: "ses clients, dont X", "parmi lesquels", "notamment".
LIST_MARKERS = frozenset({"dont", "parmi", "notamment", "comme", "tels", "telles", "tel", "telle", ":",
                          "particulier", "compris", "exemple"})
TIGHT_MARKERS = frozenset({"comme", "tels", "telles", "tel", "telle"})
LIST_VERBS = frozenset({"figurer", "compter", "trouver"})
# Fronted places: "Chez X, les caisses...", "À la Ville de X, le conseil...", "Côté X, ...".
LOCATIVE_PREPS = frozenset({"chez", "à", "au", "aux", "côté", "sur"})
SENTENCE_ENDS = frozenset({".", "!", "?", ";", "»", "\n", "\n\n"})
OPINION_VERBS = frozenset({"estimer", "juger", "penser", "croire", "considérer", "analyser"})
CONTACT_VERBS = frozenset({"joindre", "contacter", "commenter", "répondre", "démentir", "nier", "rassurer",
                           "réagir"})
SPEAKER_NOUNS = frozenset({"groupe", "gestionnaire", "exploitant"})
SOURCE_NOUNS = frozenset({"site", "quotidien", "journal", "magazine", "chaîne", "radio", "confrère",
                          "confrères", "spécialisé", "agence", "cabinet", "analyste", "analystes",
                          "britannique", "anglais", "américain", "régional", "national", "économique",
                          "le", "la", "les", "l'", "l’", "du", "des", "de"})


@dataclass
class OrgStats:
    """What the text says about one organisation, summed over its mentions."""

    name: str
    sector: str = ""
    parent: str | None = None
    known: bool = True
    vendor: float = 0.0
    mentions: int = 0
    own_mentions: int = 0
    source_hits: int = 0
    hit: bool = False
    audience: bool = False
    provider: bool = False
    client: bool = False
    in_incident: bool = False
    cued: str = ""  # how the text names it as hit: "client_of", "list", "locative", ...
    cue_sentence: str = ""
    sentences: list[str] = field(default_factory=list)


@dataclass
class RoleResult:
    vendors: list[str] = field(default_factory=list)
    affected: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    competitors: list[str] = field(default_factory=list)
    passing: list[str] = field(default_factory=list)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)


class RoleAssigner:
    """Tells the failing vendor from affected organisations, sources and competitors."""

    default_file = "roles.jsonl"

    def __init__(self, nlp: Language, name: str = "pannes_roles", *, data_file: str = "",
                 min_vendor_score: float = 1.0) -> None:
        register_extensions()
        self.nlp = nlp
        self.name = name
        self.data_file = data_file
        self.min_vendor_score = min_vendor_score
        self.rows: list[dict[str, Any]] = []
        self.lex: dict[str, frozenset[str]] = {}
        self.client_sectors: dict[str, frozenset[str]] = {}

    def initialize(self, get_examples: Any = None, *, nlp: Language | None = None,
                   data_file: str | None = None) -> None:
        self.set_rows(load_rows(data_file if data_file is not None else self.data_file,
                                self.default_file))

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        lex: dict[str, set[str]] = defaultdict(set)
        clients: dict[str, frozenset[str]] = {}
        for row in rows:
            if row["lexicon"] == "client_sectors":
                clients[row["sector"]] = frozenset(row["words"])
            elif row["lexicon"] != "anaphors":
                lex[row["lexicon"]].update(row["words"])
        anaphors: dict[str, frozenset[str]] = {}
        for row in rows:
            if row["lexicon"] == "anaphors":
                for word in row["words"]:
                    anaphors[word] = frozenset(row.get("sectors") or ())
        self.lex = {k: frozenset(v) for k, v in lex.items() if k != "anaphors"}
        self.lex["anaphor_sectors_rows"] = anaphors  # type: ignore[assignment]
        self.client_sectors = clients

    def to_disk(self, path: Path | str, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        write_jsonl(path / "roles.jsonl", self.rows)

    def from_disk(self, path: Path | str, *, exclude: Iterable[str] = ()) -> RoleAssigner:
        self.set_rows(read_jsonl(Path(path) / "roles.jsonl"))
        return self

    # ------------------------------------------------------------------ contexts

    def _chain(self, head: Token) -> list[Token]:
        """Governors of an organisation's name, through role nouns ("du prestataire GLI")."""
        out: list[Token] = []
        current = head
        for _ in range(3):
            if current.dep_ not in LINK_DEPS or current.head is current:
                break
            current = current.head
            out.append(current)
            if current.lemma_ not in ROLE_NOUNS and current.pos_ != "PROPN":
                break
        return out

    def _is_source(self, doc: Doc, m: OrgMention, head: Token) -> bool:
        lex = self.lex
        if m.sector in lex.get("source_sectors", ()):
            return True
        cases = {c.lower_ for c in head.children if c.dep_ in {"case", "mark"}}
        before = doc[max(0, m.start - 3) : m.start]
        speaking_sector = m.sector in lex.get("speaking_sectors", ()) or not m.known
        if "chez" in cases and head.head.lemma_.lower() in ANALYST_NOUNS:
            return True  # "analyste chez Altermetrix"
        if self._commentator_of(doc, m):
            return True
        if any(t.lower_ in {"cabinet", "institut", "observatoire"} for t in before[-2:]):
            return True
        if cases & SOURCE_PREPS:
            return speaking_sector  # "selon Monétia, l'incident provient...": the vendor speaks
        for tok in reversed(doc[max(0, m.start - 5) : m.start]):
            if tok.lower_ in SOURCE_PREPS:
                # "selon le groupe X, le trafic était revenu": X speaks, whatever its sector
                return speaking_sector or any(t.lower_ in SPEAKER_NOUNS for t in doc[tok.i + 1 : m.start])
            if tok.lower_ not in SOURCE_NOUNS | SPEAKER_NOUNS:
                break
        gov = head.head
        gov_lemma = gov.lemma_.lower()
        declarative = lex.get("declarative_verbs", frozenset())
        if cases & {"à", "au", "aux"} and gov_lemma in declarative:
            return True
        if "par" in cases and (gov.lower_ in lex.get("source_markers", ()) or gov_lemma in declarative):
            return True
        before_words = [t for t in doc[max(0, m.start - 3) : m.start] if t.pos_ != "DET"]
        after = doc[m.end] if m.end < len(doc) else None
        if before_words and before_words[-1].lemma_ in declarative and (
                after is None or after.is_punct) and "Inf" not in before_words[-1].morph.get("VerbForm"):
            return True  # inverted subject: "..., écrit Le Monde." (not "entendu parler : X")
        speaking = m.sector in lex.get("speaking_sectors", ()) or not m.known
        if head.dep_.startswith("nsubj") and gov_lemma in declarative and speaking:
            return True
        if "sur" in cases and m.sector in lex.get("channel_sectors", ()) and not self._failure_before(doc, m.start):
            return True  # "sur LCI", but not "écran noir sur Azur TV"
        if m.sector in lex.get("channel_sectors", ()) and any(
            t.lower_ in {"site", "quotidien", "journal", "magazine", "chaîne", "radio", "confrère", "confrères"}
            for t in before):
            return any(t.lemma_ in declarative for t in sentence_of(head))
        return False

    @staticmethod
    def _commentator_of(doc: Doc, m: OrgMention) -> bool:
        """"analyste chez X", "expert au cabinet X", "délégué syndical de X": X employs the
        person quoted for a view."""
        before = [t for t in doc[max(0, m.start - 5) : m.start] if t.pos_ != "DET"]
        if not before or before[-1].lower_ not in {"chez", "de", "d'", "d’", "du", "au", "à"}:
            return False
        for tok in reversed(before[:-1]):
            if tok.lower_ in COMMENTATOR_NOUNS or tok.lemma_.lower() in COMMENTATOR_NOUNS:
                return True
            if tok.pos_ not in {"ADJ", "NOUN"} or tok.lower_ in {"cabinet", "institut"}:
                return False
        return False

    @staticmethod
    def _failure_before(doc: Doc, start: int, window: int = 4) -> bool:
        """True when a kept outage cue ends just before a preposition that precedes `start`."""
        return any(start - window <= cue.end <= start - 1 for scope in doc._.sent_scopes or []
                   if scope.start < start for cue in scope.cues)

    def _is_provider(self, doc: Doc, m: OrgMention, head: Token) -> bool:
        """"son prestataire X", "fourni à Y par X", "hébergé chez X": X serves the others."""
        lex = self.lex
        providers = lex.get("provider_nouns", frozenset())
        for gov in self._chain(head):
            if gov.lemma_.lower() in providers and not self._category(gov):
                return True
        for child in head.children:
            if child.dep_ == "appos" and child.lemma_.lower() in providers and not self._category(child):
                return True
        before = [t for t in doc[max(0, m.start - 4) : m.start] if not t.is_punct and t.pos_ != "ADJ"]
        if before and before[-1].lemma_.lower() in providers and not self._category(before[-1]):
            return True  # "son prestataire informatique, Corail"
        cases = {c.lower_ for c in head.children if c.dep_ == "case"}
        gov = head.head
        if "par" in cases and gov.lemma_.lower() in lex.get("provided_verbs", ()):
            return True
        if "chez" in cases and gov.lemma_.lower() in {"héberger", "externaliser", "sous-traiter"}:
            return True
        return False

    @staticmethod
    def _category(noun: Token) -> bool:
        """A plural role noun without a possessive names a kind of firm, not someone's provider:
        "les éditeurs comme X", "deux opérateurs virtuels"."""
        if "Plur" not in noun.morph.get("Number"):
            return False
        return not any(c.dep_ == "det" and "Yes" in c.morph.get("Poss") for c in noun.children)

    def _is_client(self, head: Token) -> bool:
        """"Y, qui utilise le réseau de X", "fourni à Y par X": Y is a client of someone."""
        users = self.lex.get("user_verbs", frozenset())
        if head.dep_.startswith("nsubj") and head.head.lemma_.lower() in users:
            return True
        for child in head.children:
            if child.dep_ in {"acl:relcl", "acl", "appos"} and (
                    child.lemma_.lower() in users
                    or any(g.dep_ in {"acl:relcl", "acl"} and g.lemma_.lower() in users for g in child.children)):
                return True
        cases = {c.lower_ for c in head.children if c.dep_ == "case"}
        return bool(cases & {"à", "au", "aux"}) and head.head.lemma_.lower() in self.lex.get("provided_verbs", ())

    # ------------------------------------------------------------------ named as hit

    def _victim_cue(self, doc: Doc, m: OrgMention, head: Token, org_tokens: set[int]) -> str:
        """How the text names the organisation as hit by the failure, or "".

        General French ways of saying it: "X, client de Y", "ses clients, dont X et Y",
        "parmi les victimes, X", "Chez X, les caisses...", "X a dû fermer", "X n'a pas pu",
        "X estime avoir perdu...", "X a été parmi les plus touchés", "les agents de X".
        """
        for name, rule in (("headline", self._headline_subject), ("client_of", self._client_of),
                           ("list", self._listed), ("predicate", self._hit_predicate),
                           ("dependents", self._dependents_hit)):
            if rule(doc, m, org_tokens):
                return name
        place = self._fronted_place(doc, m, org_tokens)
        if place is None:
            return ""
        return "locative" if self._consequence_in(doc, place[0], place[1]) else "place"

    def _headline_subject(self, doc: Doc, m: OrgMention, org_tokens: set[int]) -> bool:
        """"X : l'application bancaire au ralenti" in the title: what failed is X's (the vendor
        excepted, X is then hit)."""
        if doc[m.start].idx >= (doc._.title_end or 0):
            return False
        opening = [t for t in doc[: m.start] if not t.is_space and t.pos_ != "DET"]
        if opening or m.end >= len(doc) or doc[m.end].lower_ not in {":", ","}:
            return False
        title_end = next((t.i for t in doc[m.end :] if t.idx >= doc._.title_end), len(doc))
        return self._failure_within(doc, m.end, title_end)

    def _following(self, doc: Doc, m: OrgMention, org_tokens: set[int], limit: int = 8) -> list[Token]:
        """The words after the name and any names coordinated with it ("X et Y ont dû..."),
        up to the end of the clause."""
        out: list[Token] = []
        i = m.end
        while i < len(doc) and i < m.end + 12:
            if i in org_tokens:
                i += 1
                continue
            gap = 0  # ", la Banque Y", "et de la Banque Y"
            while i + gap < len(doc) and gap < 3 and (doc[i + gap].lower_ in {",", "et", "ou", "de", "d'", "d’"}
                                                    or doc[i + gap].pos_ == "DET"):
                gap += 1
            if gap and i + gap in org_tokens:
                i += gap
                continue
            break
        for tok in doc[i : i + limit]:
            if tok.lower_ in SENTENCE_ENDS or tok.lower_ in {":", "«", "—"} or tok.is_space:
                break
            out.append(tok)
        return out

    def _client_of(self, doc: Doc, m: OrgMention, org_tokens: set[int]) -> bool:
        """"X, client de Y", "X, l'un des clients de Y", "son client X"."""
        clients = self.lex.get("client_nouns", frozenset())
        after = doc[m.end : m.end + 7]
        if len(after) > 1 and after[0].lower_ == ",":
            for k, tok in enumerate(after[1:], start=1):
                if tok.lemma_.lower() in clients:
                    # "client de Y", "client historique d'Y" (not "de nombreux utilisateurs ont...")
                    return any(t.lower_ in {"de", "d'", "d’", "du", "des"} for t in after[k + 1 : k + 3])
                if not (tok.pos_ in {"DET", "ADJ", "NUM", "ADV", "PRON", "AUX"}
                        or tok.lower_ in {"un", "une", "des", "qui", "est", "sont"}):
                    break
        before = [t for t in doc[max(0, m.start - 3) : m.start] if not t.is_punct and t.pos_ != "ADJ"]
        if before and before[-1].lemma_.lower() in clients:
            return any(c.dep_ == "det" and "Yes" in c.morph.get("Poss") for c in before[-1].children)
        return False

    def _user_clause(self, doc: Doc, m: OrgMention, org_tokens: set[int]) -> bool:
        """"X, qui utilise le réseau de Y", "X et Z, deux opérateurs qui louent...", "X, dont les
        commerçants utilisent la plateforme de Y", "X, qui doit renouveler son contrat avec Y"."""
        words = self._following(doc, m, org_tokens, limit=12)
        if not words or words[0].lower_ != ",":
            return False
        before = [t for t in doc[max(0, m.start - 3) : m.start] if t.pos_ != "DET"]
        if len(words) > 1 and words[1].lower_ in {"qui", "dont"} and before \
                and before[-1].lower_ in {"de", "d'", "d’", "du", "des"}:
            return False  # "les clients de SFR, qui utilisent...": the clause is about the clients
        users = self.lex.get("user_verbs", frozenset())
        for k, tok in enumerate(words[1:], start=1):
            if tok.lower_ in {",", ")"}:
                return False
            if tok.lower_ in {"qui", "dont"}:
                for word in words[k + 1 : k + 6]:
                    if word.lower_ == "," or word.lower_ in {"autre", "autres", "propre", "propres"}:
                        return False  # "qui utilisent un autre réseau"
                    lemma = word.lemma_.lower()
                    if (word.pos_ == "VERB" and lemma in users) or (word.pos_ == "NOUN" and lemma == "contrat"):
                        return True
                return False
        return False

    def _listed(self, doc: Doc, m: OrgMention, org_tokens: set[int]) -> bool:
        """A name in a list of the organisations hit: "ses clients, dont X et Y", "les titres
        concernés, parmi lesquels X", "trois chaînes : X, Y et Z", "parmi les clients figure X"."""
        nxt = doc[m.end] if m.end < len(doc) else None
        if nxt is not None and nxt.pos_ in {"VERB", "AUX"} and nxt.lemma_.lower() not in LIST_VERBS:
            return False  # "dont X est responsable": a relative clause, not a list
        i = m.start - 1
        while i >= 0 and m.start - i <= 30 and (i in org_tokens or doc[i].lower_ in LIST_LINKS
                                                or doc[i].pos_ == "PROPN"):
            i -= 1
        if i < 0 or doc[i].is_space:
            return False
        marker = doc[i]
        if marker.lemma_.lower() in LIST_VERBS and marker.pos_ == "VERB":
            # "Parmi les clients hébergés figure X"
            start = max(0, i - 12)
            parmi = [t for t in doc[start:i] if t.lower_ == "parmi"]
            return bool(parmi) and self._victim_group(doc, parmi[-1].i + 1, i)
        if marker.lower_ not in LIST_MARKERS:
            return self._forward_group(doc, m)
        if marker.lower_ == "parmi" and self._victim_group(doc, i + 1, m.start):
            return True  # "parmi les victimes, X"
        reach = 4 if marker.lower_ in TIGHT_MARKERS else 25
        start = i
        while start > 0 and i - start < reach and doc[start - 1].lower_ not in SENTENCE_ENDS \
                and not doc[start - 1].is_space:
            start -= 1
        return self._victim_group(doc, start, i)

    def _forward_group(self, doc: Doc, m: OrgMention) -> bool:
        """"X figure parmi les clients touchés", "X a été parmi les plus touchés"."""
        after = doc[m.end : m.end + 6]
        for tok in after:
            if tok.lower_ in SENTENCE_ENDS or tok.lower_ == ",":
                return False
            if tok.lower_ == "parmi":
                return self._victim_group(doc, tok.i + 1, min(len(doc), tok.i + 6))
        return False

    def _victim_group(self, doc: Doc, start: int, end: int) -> bool:
        """True when doc[start:end] names a group of victims: a plural of clients, titles,
        banks... (not competitors), or says they were hit ("concernés", "touchés")."""
        groups = self.lex.get("victim_groups", frozenset()) | self.lex.get("audience_nouns", frozenset())
        hit = self.lex.get("hit_verbs", frozenset())
        spared = self.lex.get("spared_words", frozenset())
        found = False
        for tok in doc[start:end]:
            lemma = tok.lemma_.lower()
            if lemma in spared or tok.lower_ in spared:
                return False
            if lemma in groups and tok.pos_ == "NOUN" and not is_negated(tok):
                found = True
            elif lemma in hit and tok.pos_ in {"VERB", "ADJ"} and not is_negated(tok):
                found = True
        return found

    def _fronted_place(self, doc: Doc, m: OrgMention, org_tokens: set[int]) -> tuple[int, int] | None:
        """"Chez X, les caisses sont restées bloquées", "À la Ville de X, le conseil a été
        reporté", "Sur X, la coupure est intervenue": the sentence tells what happened there.
        Returns the span of what follows the place, or None."""
        i = m.start - 1
        if i >= 0 and doc[i].pos_ == "DET":
            i -= 1
        if i < 0 or doc[i].lower_ not in LOCATIVE_PREPS:
            return None
        prep = doc[i]
        # "Chez X et chez Y, ...": walk back over the places named before this one
        while i >= 2 and doc[i - 1].lower_ in {"et", "ou"} and (i - 2) in org_tokens:
            j = i - 2
            while j > 0 and (j - 1) in org_tokens:
                j -= 1
            if j > 0 and doc[j - 1].pos_ == "DET":
                j -= 1
            if j <= 0 or doc[j - 1].lower_ not in LOCATIVE_PREPS:
                break
            i, prep = j - 1, doc[j - 1]
        before = doc[i - 1] if i > 0 else None
        if not (before is None or prep.is_sent_start or before.is_space or before.lower_ in SENTENCE_ENDS):
            return None
        end = m.end
        # ... and forward over the places named after it
        while end + 2 < len(doc) and doc[end].lower_ in {"et", "ou"} and doc[end + 1].lower_ in LOCATIVE_PREPS:
            k = end + 2
            if doc[k].pos_ == "DET":
                k += 1
            if k not in org_tokens:
                break
            while k in org_tokens:
                k += 1
            end = k
        if end >= len(doc) or doc[end].lower_ != ",":
            return None
        sent = sentence_of(doc[end])
        rest = doc[end : min(sent.end, end + 40)]
        if any(t.lemma_.lower() in OPINION_VERBS for t in rest):
            return None  # "Chez Altermetrix, on estime que..."
        spared = self.lex.get("spared_words", frozenset())
        hit = self.lex.get("hit_verbs", frozenset())
        if any(t.lower_ in spared or (t.lemma_.lower() in hit and is_negated(t)) for t in rest):
            return None  # "Chez X, on n'a pas été touché"
        if prep.lower_ == "sur":  # a channel or a site where the failure showed, not "sur Twitter"
            if m.sector not in self.lex.get("screen_sectors", ()) or not self._failure_within(doc, end, rest.end):
                return None
        return end, rest.end

    def _consequence_in(self, doc: Doc, start: int, end: int) -> bool:
        """True when doc[start:end] tells of a consequence: a failure, a hit, something that
        could not be done, had to be done or was lost."""
        lex = self.lex
        hit = lex.get("hit_verbs", frozenset())
        marks = lex.get("forced_verbs", frozenset()) | lex.get("loss_words", frozenset())
        for tok in doc[start:end]:
            lemma = tok.lemma_.lower()
            if lemma in marks or (lemma in hit and not is_negated(tok)):
                return True
            if lemma == "pouvoir" and (is_negated(tok) or any(c.lower_ in {"ne", "n'", "n’"} for c in tok.children)):
                return True  # "ce qu'ils ne pouvaient faire en ligne"
        return self._failure_within(doc, start, end)

    def _hit_predicate(self, doc: Doc, m: OrgMention, org_tokens: set[int]) -> bool:
        """What the clause says of X (and the names coordinated with it): "X a dû fermer",
        "X n'a pas pu", "X a été parmi les plus touchés", "X estime avoir perdu..."."""
        words = self._following(doc, m, org_tokens)
        opener = [t for t in doc[max(0, m.start - 2) : m.start] if t.pos_ != "DET"]
        if not words or (opener and opener[-1].lower_ in {"si", "s'", "s’", "comme", "quand", "lorsque"}):
            return False  # "si la SNCF rembourse...", "comme Orange l'a fait"
        lex = self.lex
        hit = lex.get("hit_verbs", frozenset()) - {"victime", "subir"}
        forced = lex.get("forced_verbs", frozenset())
        losses = lex.get("loss_words", frozenset())
        not_forced = lex.get("declarative_verbs", frozenset()) | lex.get("responsible_verbs", frozenset()) \
            | CONTACT_VERBS
        if words[0].lower_ == "," and len(words) > 1 and words[1].lemma_.lower() in hit \
                and words[1].pos_ in {"VERB", "ADJ"}:
            return True  # "X, privé de réseau, ..."
        for k, tok in enumerate(words):
            lemma = tok.lemma_.lower()
            if tok.lower_ == "," or tok.pos_ in {"NOUN", "PROPN"} and lemma not in losses:
                break
            if lemma in losses:
                return True
            if lemma in hit and tok.pos_ in {"VERB", "ADJ"}:
                return not is_negated(tok)
            modal = lemma in forced or (lemma == "pouvoir" and any(
                t.lower_ in {"pas", "plus", "guère"} for t in words[max(0, k - 2) : k + 2]))
            if modal:
                verbs = [t for t in words[k + 1 : k + 4] if t.pos_ == "VERB"]
                return not verbs or verbs[0].lemma_.lower() not in not_forced
        return False

    def _dependents_hit(self, doc: Doc, m: OrgMention, org_tokens: set[int]) -> bool:
        """"les commerçants de la banque X n'ont pas pu...", "les agents de X, privés de
        messagerie": people or sites belonging to X, in a sentence that tells of the failure."""
        dependents = self.lex.get("dependent_nouns", frozenset())
        before = [t for t in doc[max(0, m.start - 6) : m.start] if t.pos_ != "DET"]
        if not before or before[-1].lower_ not in {"de", "d'", "d’", "du", "des"}:
            return False
        root = m.span(doc).root
        nouns = [root.head] if root.head.pos_ == "NOUN" and root.dep_.startswith("nmod") else []
        nouns += [t for t in reversed(before[:-1]) if t.pos_ == "NOUN"][:1]
        noun = next((t for t in nouns if t.lemma_.lower() in dependents), None)  # "les services en ligne du"
        if noun is None:
            return False
        if is_negated(noun):
            return False  # "les clients de SFR n'ont rien remarqué"
        sent = sentence_of(noun)
        hit = self.lex.get("hit_verbs", frozenset())
        for tok in sent:
            if tok.lemma_.lower() in hit and tok.pos_ in {"VERB", "ADJ"} and not is_negated(tok):
                return True
            if tok.lemma_.lower() == "pouvoir" and is_negated(tok):
                return True
        return self._failure_within(doc, sent.start, sent.end)

    @staticmethod
    def _failure_within(doc: Doc, start: int, end: int) -> bool:
        """True when an outage cue the scoper kept (not denied, not hedged) starts in doc[start:end]."""
        return any(start <= cue.start < end for scope in doc._.sent_scopes or []
                   if scope.start < end and scope.end > start for cue in scope.cues)

    def _vendor_points(self, doc: Doc, m: OrgMention, head: Token, scope_kind: str) -> tuple[float, bool]:
        lex = self.lex
        points = 0.3 + (0.5 if scope_kind == "incident" else 0.0)
        audience = False
        cases = {c.lower_ for c in head.children if c.dep_ == "case"}
        if "chez" in cases and scope_kind == "incident":
            points += 2.0
        for gov in self._chain(head):
            lemma = gov.lemma_.lower()
            if lemma in lex.get("outage_nouns", ()):
                points += 2.0
                break
            if lemma in lex.get("infra_nouns", ()):
                points += 1.2 if self._near_failure(doc, gov) else 0.4
                break
            if lemma in lex.get("audience_nouns", ()):
                points += 0.8
                audience = True
                break
        if head.dep_ in {"nsubj", "nsubj:pass"} and head.head.lemma_.lower() in lex.get("responsible_verbs", ()):
            points += 1.0
        elif (head.dep_ == "nsubj" and head.head.lemma_.lower() in lex.get("outage_nouns", ())
              and any(c.dep_ == "cop" for c in head.head.children)):
            points += 2.0  # "X est en panne": the subject of the failure itself
        return points, audience

    def _near_failure(self, doc: Doc, token: Token, window: int = 6) -> bool:
        """True when an outage cue of the sentence sits within a few words of the token."""
        for cue in doc._.cues or []:
            if cue.label == "outage" and abs(cue.start - token.i) <= window \
                    and sentence_of(token).start <= cue.start < sentence_of(token).end:
                return True
        return False

    def _anaphora(self, doc: Doc, scopes: list, stats: dict[str, OrgStats],
                  order: list[tuple[int, str]]) -> None:
        """Credit "l'opérateur", "la banque", "le prestataire" tied to a failure to the named
        organisation of that kind mentioned last before it."""
        kinds = self.lex.get("anaphor_sectors_rows", {})
        for scope in scopes:
            if scope.kind != "incident":
                continue
            for tok in doc[scope.start:scope.end]:
                sectors = kinds.get(tok.lower_)
                if sectors is None or tok.pos_ != "NOUN" or not any(
                        c.lower_ in {"l'", "l’", "le", "la", "ce", "cette", "cet"} for c in tok.children):
                    continue
                if not self._near_failure(doc, tok, 8):
                    continue
                previous = [name for start, name in order if start < tok.i
                            and (not sectors or stats[name].sector in sectors)
                            and stats[name].sector not in self.lex.get("speaking_sectors", ())]
                if previous:
                    stats[previous[-1]].vendor += 1.0

    # ------------------------------------------------------------------ article

    def __call__(self, doc: Doc) -> Doc:
        if not self.lex:
            self.initialize()
        scopes = doc._.sent_scopes or []
        starts = [s.start for s in scopes]
        stats: dict[str, OrgStats] = {}
        hit_lemmas = self.lex.get("hit_verbs", frozenset())
        orgs = list(doc._.orgs or [])
        org_tokens = {i for m in orgs for i in range(m.start, m.end)}
        cues, clients = self._coordinated_cues(doc, orgs, org_tokens)
        quoted_at: set[int] = set()
        for k, m in enumerate(orgs):
            st = stats.setdefault(m.name, OrgStats(m.name, m.sector, m.parent, m.known))
            st.mentions += 1
            idx = bisect.bisect_right(starts, m.start) - 1
            scope = scopes[idx] if idx >= 0 else None
            kind = scope.kind if scope else "other"
            if kind in {"retro", "hypothetical"}:
                continue
            st.own_mentions += 1
            head = m.span(doc).root
            sent = sentence_of(head)
            cue = cues[k]
            if cue and not st.cued:
                st.cued, st.cue_sentence = cue, sent_text(sent).strip()
            echo = k > 0 and orgs[k - 1].name == m.name and all(t.is_punct for t in doc[orgs[k - 1].end : m.start])
            if not cue and ((echo and k - 1 in quoted_at) or self._is_source(doc, m, head)):
                st.source_hits += 1  # an acronym in brackets is quoted with the name it follows
                quoted_at.add(k)
                continue
            points, audience = self._vendor_points(doc, m, head, kind)
            if kind == "incident":
                st.in_incident = True
            client = clients[k]
            if client:
                st.client = True
            if not client and self._is_provider(doc, m, head):
                st.provider = True
                points += 1.5
            if scope is not None and scope.in_title:
                points += 1.0 + (0.5 if kind == "incident" else 0.0)
            st.vendor += points
            if kind == "incident" and audience:
                st.audience = True
            if kind == "incident" and any(t.lemma_.lower() in hit_lemmas and t.i not in range(m.start, m.end)
                                          for t in sent):
                st.hit = True
            text = sent_text(sent).strip()
            if text not in st.sentences:
                st.sentences.append(text)
        order = [(m.start, m.name) for m in doc._.orgs or []]
        self._anaphora(doc, scopes, stats, order)
        doc._.roles = self._assign(doc, stats)
        return doc

    def _coordinated_cues(self, doc: Doc, orgs: list[OrgMention], org_tokens: set[int]
                          ) -> tuple[list[str], list[bool]]:
        """Per mention: how it is named as hit, and whether it is a client; names coordinated
        with each other ("X et Y ne peuvent plus...", "les services de X et de Y") share both."""
        cues = [self._victim_cue(doc, m, m.span(doc).root, org_tokens) for m in orgs]
        clients = [self._is_client(m.span(doc).root) or self._user_clause(doc, m, org_tokens) for m in orgs]
        groups: list[list[int]] = []
        for k, m in enumerate(orgs):
            if groups:
                prev = orgs[groups[-1][-1]]
                gap = doc[prev.end : m.start]
                if len(gap) <= 3 and all(t.lower_ in {",", "et", "ou", "de", "d'", "d’", "du", "des"}
                                         or t.pos_ == "DET" for t in gap):
                    groups[-1].append(k)
                    continue
            groups.append([k])
        for group in groups:
            cue = next((cues[k] for k in group if cues[k]), "")
            client = any(clients[k] for k in group)
            for k in group:
                cues[k] = cues[k] or cue
                clients[k] = clients[k] or client
        return cues, clients

    def _fallback(self, stats: dict[str, OrgStats]) -> OrgStats | None:
        """With no clear evidence, the provider named most often in the incident's sentences."""
        speaking = self.lex.get("speaking_sectors", frozenset())
        pool = [s for s in stats.values() if s.own_mentions >= 2 and s.sector not in speaking
                and s.known and s.vendor > s.source_hits * 0.8]
        if not pool:
            # a brief naming one organisation, in the sentence that tells of the failure
            alone = [s for s in stats.values() if s.in_incident and s.known
                     and s.sector not in speaking and not s.source_hits]
            return alone[0] if len(alone) == 1 else None
        pool.sort(key=lambda s: (-s.own_mentions, -s.vendor))
        if len(pool) > 1 and pool[1].own_mentions == pool[0].own_mentions:
            return None
        return pool[0]

    def _upstream(self, top: OrgStats, candidates: list[OrgStats]) -> OrgStats:
        """Prefer the provider when the top candidate is its client or its own brand.

        "la base d'abonnés du Figaro" scores the newspaper, but a subscriber-management firm
        named beside it is the one whose system failed; the same holds for a group and its
        channels, a bank and its subsidiary, a device maker and the operators reselling it.
        """
        if not top.provider:
            for other in candidates[1:]:
                if other.provider and other.vendor >= 0.2 * top.vendor:
                    return other
        for other in candidates[1:]:
            if other.vendor < 0.35 * top.vendor:
                break
            if top.parent == other.name:
                return other
            if top.sector and top.sector in self.client_sectors.get(other.sector, frozenset()):
                return other
        return top

    def _assign(self, doc: Doc, stats: dict[str, OrgStats]) -> RoleResult:
        result = RoleResult(scores={n: round(s.vendor, 2) for n, s in stats.items()})
        candidates = [s for s in stats.values()
                      if s.sector not in self.lex.get("source_sectors", ())
                      and s.vendor >= self.min_vendor_score
                      and s.vendor > s.source_hits * 0.8]
        candidates.sort(key=lambda s: (-s.vendor, -s.own_mentions))
        vendor = self._upstream(candidates[0], candidates) if candidates else None
        if vendor is None:
            vendor = self._fallback(stats)
        if vendor is not None:
            result.vendors.append(vendor.name)
            result.evidence["vendors"] = vendor.sentences[:3]
        clients = self.client_sectors.get(vendor.sector, frozenset()) if vendor else frozenset()
        affected_evidence: list[str] = []
        for st in stats.values():
            if vendor is not None and st.name == vendor.name:
                continue
            if st.own_mentions == 0:
                result.passing.append(st.name)
                continue
            is_child = vendor is not None and st.parent is not None and st.parent == vendor.name
            quoted = st.source_hits and st.source_hits * 2 > st.own_mentions
            if quoted and not (st.hit or st.audience or is_child or st.cued):
                result.sources.append(st.name)
                continue
            if vendor is None:
                result.passing.append(st.name)
                continue
            is_parent = vendor.parent is not None and vendor.parent == st.name
            same_sector = bool(st.sector) and st.sector == vendor.sector
            never = self.lex.get("source_sectors", frozenset())
            speaking = self.lex.get("speaking_sectors", frozenset())
            if is_parent or st.sector in never:
                result.passing.append(st.name)
            elif same_sector and st.cued == "place" and not (st.hit or st.client):
                result.competitors.append(st.name)  # "Chez SFR, on observe la situation": a rival looks on
            elif is_child or st.hit or st.audience or st.client or st.cued or (st.sector and st.sector in clients):
                result.affected.append(st.name)
                shown = [st.cue_sentence] if st.cue_sentence else st.sentences[:1]
                affected_evidence.extend(s for s in shown if s not in affected_evidence)
            elif same_sector:
                result.competitors.append(st.name)
            elif st.known and st.sector not in speaking and (
                    vendor.sector in self.lex.get("b2b_sectors", ()) or st.in_incident):
                result.affected.append(st.name)  # a named client of a provider, or hit in the text
                affected_evidence.extend(s for s in st.sentences[:1] if s not in affected_evidence)
            else:
                result.passing.append(st.name)
        if affected_evidence:
            result.evidence["affected"] = affected_evidence[:5]
        return result


@Language.factory(
    "pannes_roles",
    assigns=["doc._.roles"],
    requires=["doc._.orgs", "doc._.sent_scopes"],
    default_config={"data_file": "", "min_vendor_score": 1.0},
)
def make_role_assigner(nlp: Language, name: str, data_file: str, min_vendor_score: float) -> RoleAssigner:
    return RoleAssigner(nlp, name, data_file=data_file, min_vendor_score=min_vendor_score)
