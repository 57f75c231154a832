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

from pannes.nlp.extensions import register_extensions
from pannes.nlp.lexicon import load_rows, read_jsonl, write_jsonl
from pannes.nlp.spans import sent_text, sentence_of
from pannes.nlp.vendors import OrgMention
from pannes.nlp.victims import VictimCues
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

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
# Words a name's description does not end with: "X et les clients de Y" names Y's clients.
DESCRIPTION_ENDS = frozenset({"de", "d'", "d’", "du", "des", "à", "au", "aux", "en", "le", "la", "les", "l'",
                              "l’", "par", "pour", "sur", "chez"})
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
        self.victims = VictimCues(self.lex)

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
        self.victims = VictimCues(self.lex)

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
        if head.dep_ in {"appos", "nmod", "flat:name", "flat", "acl"} and gov.lemma_ in ROLE_NOUNS \
                and any(c.dep_ == "case" and c.lower_ == "par" for c in gov.children) \
                and gov.head.lemma_.lower() in lex.get("provided_verbs", ()):
            return True  # "exploité par la société X"
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
        cues, clients, groups = self._coordinated_cues(doc, orgs, org_tokens)
        quoted_at: set[int] = set()
        for k, m in enumerate(orgs):
            st = stats.setdefault(m.name, OrgStats(m.name, m.sector, m.parent, m.known))
            st.mentions += 1
            idx = bisect.bisect_right(starts, m.start) - 1
            scope = scopes[idx] if idx >= 0 else None
            kind = scope.kind if scope else "other"
            if kind in {"hypothetical", "incident"} and cues[k] \
                    and self.victims.states_inability(sentence_of(m.span(doc).root)):
                kind = "other"  # "les lecteurs de X ne peuvent plus payer": X is hit, not failing
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
        doc._.org_stats = stats
        doc._.roles = self._assign(doc, stats, [{orgs[k].name for k in g} for g in groups if len(g) > 1])
        return doc

    def _coordinated_cues(self, doc: Doc, orgs: list[OrgMention], org_tokens: set[int]
                          ) -> tuple[list[str], list[bool], list[list[int]]]:
        """Per mention: how it is named as hit, and whether it is a client; names coordinated
        with each other ("X et Y ne peuvent plus...", "les services de X et de Y", "le site X et
        l'application de paiement Y, tous deux clients de Z") share both. Also the groups."""
        cues = [self.victims.cue(doc, m, org_tokens) for m in orgs]
        clients = [self.victims.is_client(m.span(doc).root) or self.victims.user_clause(doc, m, org_tokens)
                   for m in orgs]
        groups: list[list[int]] = []
        for k, m in enumerate(orgs):
            if groups:
                prev = orgs[groups[-1][-1]]
                gap = doc[prev.end : m.start]
                if len(gap) <= 3 and all(t.lower_ in {",", "et", "ou", "de", "d'", "d’", "du", "des"}
                                         or t.pos_ == "DET" for t in gap) or self._described_conjunct(gap) \
                        or self._conjunct_after_relative(gap):
                    groups[-1].append(k)
                    continue
            groups.append([k])
        for group in groups:
            cue = next((cues[k] for k in group if cues[k]), "")
            client = any(clients[k] for k in group)
            for k in group:
                cues[k] = cues[k] or cue
                clients[k] = clients[k] or client
        return cues, clients, groups

    @staticmethod
    def _described_conjunct(gap: Span) -> bool:
        """"X et l'application de paiement Y": the words between two names coordinate them and
        describe the second (not "X et les clients de Y", nor a clause)."""
        if not 3 <= len(gap) <= 8 or gap[0].lower_ not in {"et", "ou"} or gap[1].pos_ != "DET" \
                or gap[2].pos_ != "NOUN" or gap[-1].lower_ in DESCRIPTION_ENDS:
            return False
        return not any(t.pos_ in {"VERB", "AUX", "PROPN", "PUNCT"} for t in gap)

    @staticmethod
    def _conjunct_after_relative(gap: Span) -> bool:
        """"X, dont la chaîne a été arrêtée, et la coopérative Y": a relative clause about the
        first name, then the second name coordinated with it."""
        if len(gap) < 4 or len(gap) > 16 or gap[0].lower_ != "," or gap[1].lower_ not in {"dont", "qui"}:
            return False
        commas = [t.i - gap.start for t in gap if t.lower_ == ","]
        if len(commas) != 2 or commas[1] + 1 >= len(gap) or gap[commas[1] + 1].lower_ not in {"et", "ou"}:
            return False
        tail = gap[commas[1] + 2 :]
        return len(tail) <= 3 and all(t.pos_ in {"DET", "NOUN", "ADJ"} for t in tail) \
            and not (len(tail) and tail[-1].lower_ in DESCRIPTION_ENDS)

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

    def _assign(self, doc: Doc, stats: dict[str, OrgStats], coordinated: list[set[str]]) -> RoleResult:
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
        unplaced: list[str] = []  # organisations with no role but passing
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
                unplaced.append(st.name)
        for name in unplaced:  # "les compagnies Air France et Lufthansa": named with one hit, hit too
            if any(name in group and group & set(result.affected) for group in coordinated):
                result.passing.remove(name)
                result.affected.append(name)
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
