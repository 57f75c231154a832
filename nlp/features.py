"""What the rules and the model's parse say about an article, as features for learned decisions.

The rule components (scopes, vendors, roles, impact, cause, region, timing) stay: they find
candidates and give evidence, and their verdicts become features. `nlp.decisions` applies the
linear models trained on real annotated news (`nlp.training`) to these features. Features are
plain `{name: value}` dicts so that training, cross-validation and tagging read the very same
ones.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pannes.nlp.evaluate import name_key
from pannes.nlp.spans import doc_text, enumerations, list_size, restates_name, sentence_of
from spacy.attrs import IS_PUNCT, LEMMA, LIKE_NUM
from spacy.tokens import Doc, Span, Token

Features = dict[str, float]

# Lemmas that carry no signal on their own; the others are bag-of-words features.
STOP_LEMMAS = frozenset(
    "le la les l' l’ un une des de d' d’ du au aux à et ou en ce cet cette ces son sa ses leur "
    "leurs il elle ils elles on nous vous je tu se s' s’ qui que qu' qu’ dont ne n' n’ pas plus "
    "par pour sur dans avec sans être avoir y ».".split())
WORD = re.compile(r"^[a-zàâäçéèêëîïôöùûüÿœæ][a-zàâäçéèêëîïôöùûüÿœæ'’-]{2,}$")
NER_LABELS = frozenset({"ORG", "MISC", "LOC", "PER"})
LEADING_WORDS = frozenset({"le", "la", "les", "l'", "l’", "un", "une", "des", "du", "de", "d'", "d’",
                           "au", "aux", "à", "chez", "selon", "par", "pour", "sur", "en"})
# Public bodies named by their kind and their town: "la mairie de Chaville" is the town's
# administration, named "Ville de Chaville" (ANNOTATION.md names an organisation in full).
TOWN_HALL = re.compile(r"^(?:mairie|ville|hôtel de ville|commune)\s+(?:de\s+|d['’]\s*)(?P<town>[A-ZÉÈÎ].+)$",
                       re.I)
BODY_KINDS = re.compile(
    r"\b(?P<kind>centre hospitalier(?: universitaire| régional| intercommunal)?|CHU|CHR|CHRU|"
    r"hôpital|clinique|mairie|ville|commune|conseil départemental|conseil régional|"
    r"département|préfecture|université|aéroport)\s+(?P<prep>de\s+|d['’]\s*|du\s+)"
    r"(?P<name>[A-ZÉÈÎ][\w'’-]+(?:[ -](?:[A-ZÉÈÎ][\w'’-]+|sur|sous|en|les|de|du)(?=[ -]?[A-ZÉÈÎ]))*"
    r"(?:[ -][A-ZÉÈÎ][\w'’-]+)?)")


@dataclass
class Candidate:
    """An organisation the article names: the vendor base's, the context patterns', or the
    model's named entities, merged by canonical name."""

    name: str
    key: str
    known: bool = False
    sector: str = ""
    parent: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)
    via: set[str] = field(default_factory=set)
    ner: set[str] = field(default_factory=set)
    features: Features = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)  # names of the candidates merged into this one
    # every mention spells out the name just before it, in parentheses: "la zone EMEA (Europe,
    # Moyen-Orient, Afrique)" names one place, EMEA (read by the place decision only)
    restates: bool = False


def _sent_index(doc: Doc) -> list[int]:
    return [s.start for s in doc._.sent_scopes or []]


def _scope_of(doc: Doc, token_i: int) -> Any:
    scopes = doc._.sent_scopes or []
    lo, hi = 0, len(scopes)
    while lo < hi:  # the last scope starting at or before the token
        mid = (lo + hi) // 2
        if scopes[mid].start <= token_i:
            lo = mid + 1
        else:
            hi = mid
    return scopes[lo - 1] if lo else None


# ---------------------------------------------------------------------------- outage


def outage_features(doc: Doc) -> Features:
    """Article-level features for the outage decision (before the detail components run)."""
    f: Features = {}
    outage = doc._.outage
    if outage is not None:
        f["rule_outage"] = float(outage.is_outage)
        f["rule_score"] = outage.score
        for name, value in outage.features.items():
            f[f"rule_{name}"] = min(float(value), 10.0)
    scopes = doc._.sent_scopes or []
    kinds = Counter(s.kind for s in scopes)
    for kind in ("incident", "retro", "hypothetical", "other"):
        f[f"scope_{kind}"] = math.log1p(kinds.get(kind, 0))
    f["title_incident"] = float(any(s.in_title and s.kind == "incident" for s in scopes))
    f["anchored_incident"] = float(any(s.anchored and s.kind == "incident" for s in scopes))
    for label, n in Counter(c.label for c in doc._.cues or []).items():
        f[f"cue_{label}"] = math.log1p(n)
    roles = doc._.roles
    if roles is not None:
        f["rule_has_vendor"] = float(bool(roles.vendors))
        f["rule_vendor_score"] = min(max(roles.scores.values(), default=0.0), 10.0) / 10.0
    f["orgs"] = math.log1p(len({m.name for m in doc._.orgs or []}))
    f["length"] = math.log1p(len(doc)) / 10.0
    f.update(words(doc, [(0, _title_token_end(doc))], "t:"))
    f.update(words(doc, [(0, len(doc))], "w:"))
    return f


def _title_token_end(doc: Doc) -> int:
    end = doc._.title_end or 0
    for token in doc:
        if token.idx >= end:
            return token.i
    return len(doc)


# ---------------------------------------------------------------------------- organisations


def _clean_surface(span: Span) -> tuple[int, int] | None:
    """The span without leading articles and prepositions, or None when nothing is left."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in LEADING_WORDS:
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in {"'s"}):
        end -= 1
    if start >= end or not any(t.is_alpha for t in doc[start:end]) and not (
            span.label_ == "LOC" and any(ch.isalpha() for t in doc[start:end] for ch in t.text)):
        return None  # a place written "Louvain-la-Neuve" or "A10" is one token, not alphabetic as a whole
    return start, end


def canonical_surface(text: str) -> str:
    """The name an unknown organisation is given: its words as written, a town hall as
    "Ville de X"."""
    text = re.sub(r"\s+", " ", text.replace("’", "'")).strip(" ,.;:«»\"()")
    town = TOWN_HALL.match(text)
    if town:
        return f"Ville de {town.group('town')}"
    return text[:1].upper() + text[1:] if text else text


def org_candidates(doc: Doc, base: Any = None, *, source: str | None = None) -> list[Candidate]:
    """Every organisation the article names, with the features the role model reads."""
    by_key: dict[str, Candidate] = {}

    def add(name: str, start: int, end: int, via: str, *, known: bool = False, sector: str = "",
            parent: str | None = None, ner: str = "") -> None:
        key = name_key(name)
        if not key or (len(key) < 2 and not known):
            return
        cand = by_key.get(key)
        if cand is None:
            cand = by_key[key] = Candidate(name, key, known, sector, parent)
        cand.spans.append((start, end))
        cand.via.add(via)
        if ner:
            cand.ner.add(ner)
        if known and not cand.known:
            cand.known, cand.sector, cand.parent = True, sector, parent

    taken: set[int] = set()
    for m in doc._.orgs or []:
        add(m.name, m.start, m.end, m.via, known=m.known, sector=m.sector, parent=m.parent)
        taken.update(range(m.start, m.end))
    for match in BODY_KINDS.finditer(doc_text(doc)):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None:
            continue
        surface = match.group(0)
        org = base.resolve(surface) if base is not None else None
        if org is not None:
            add(org.name, span.start, span.end, "body", known=True, sector=org.sector, parent=org.parent)
        else:
            add(canonical_surface(surface), span.start, span.end, "body")
        taken.update(range(span.start, span.end))
    for ent in doc.ents:
        if ent.label_ not in NER_LABELS:
            continue
        bounds = _clean_surface(ent)
        if bounds is None:
            continue
        start, end = bounds
        if any(i in taken for i in range(start, end)):
            inner = [c for c in by_key.values() if any(start <= s and e <= end for s, e in c.spans)]
            for cand in by_key.values():  # the entity covers a known name: count it there
                if any(s <= start < e or start <= s < end for s, e in cand.spans):
                    cand.ner.add(ent.label_)
            # "Orange Côte d'Ivoire", "Société Générale Maroc": a named part of a known group
            if len(inner) == 1 and inner[0].known and ent.label_ == "ORG" and not all(i in taken for i in range(start, end)):
                group = inner[0]
                surface = doc[start:end].text
                org = base.resolve(surface) if base is not None else None
                if org is not None:
                    add(org.name, start, end, "ner", known=True, sector=org.sector, parent=org.parent,
                        ner=ent.label_)
                elif doc[start:end].text.startswith(group.name) and end - start <= 5:
                    add(canonical_surface(surface), start, end, "extends", sector=group.sector,
                        parent=group.name, ner=ent.label_)
            continue
        surface = doc[start:end].text
        org = base.resolve(surface) if base is not None else None
        if org is not None:
            add(org.name, start, end, "ner", known=True, sector=org.sector, parent=org.parent,
                ner=ent.label_)
        else:
            add(canonical_surface(surface), start, end, "ner", ner=ent.label_)
    _merge_bodies(by_key)
    candidates = list(by_key.values())
    _describe(doc, candidates, source)
    return candidates


BODY_NAME = re.compile(r"^(?P<kind>.+?) (?:de |d'|du )(?P<town>[A-ZÉÈÎ].*)$")
# Kinds naming one hospital, the formal ones first: "CHU de Brest" is the name the annotation
# keeps over "hôpital de Brest" (ANNOTATION.md, conventions: named in full, never the town).
HOSPITAL_KINDS = {"centrehospitalier": 3, "centrehospitalieruniversitaire": 3,
                  "centrehospitalierregional": 3, "centrehospitalierintercommunal": 3,
                  "chu": 3, "chr": 3, "chru": 3, "hopital": 1}
BARE_KINDS = {"chu": "hospital", "chr": "hospital", "chru": "hospital", "hopital": "hospital",
              "centrehospitalier": "hospital", "mairie": "ville", "ville": "ville"}


def _merge(into: Candidate, other: Candidate) -> None:
    into.spans.extend(other.spans)
    into.via |= other.via
    into.ner |= other.ner
    into.merged.extend([other.name, *other.merged])


def _merge_bodies(by_key: dict[str, Candidate]) -> None:
    """One candidate per public body: the hospital named several ways ("hôpital de Brest",
    "CHU de Brest") is one, under its formal name; the body's bare kind ("le CHU") and its
    town alone ("Armentières", where the rules saw a name) are mentions of it when the
    article names one such body."""
    bodies: dict[tuple[str, str], list[tuple[int, Candidate]]] = {}
    for cand in by_key.values():
        match = BODY_NAME.match(cand.name) if "body" in cand.via else None
        if match is None:
            continue
        kind = name_key(match.group("kind"))
        family = "hospital" if kind in HOSPITAL_KINDS else "ville" if kind == "ville" else kind
        bodies.setdefault((family, name_key(match.group("town"))), []).append(
            (HOSPITAL_KINDS.get(kind, 0), cand))
    primary: dict[tuple[str, str], Candidate] = {}
    for (family, town), group in bodies.items():
        group.sort(key=lambda rc: (-rc[0], -len(rc[1].spans), rc[1].name))
        first = primary[(family, town)] = group[0][1]
        for _, other in group[1:]:
            _merge(first, other)
            by_key.pop(other.key, None)
    for key, cand in list(by_key.items()):
        if "body" in cand.via or cand.known:
            continue
        family = BARE_KINDS.get(key)
        targets = [p for (fam, town), p in primary.items() if fam == family] if family else \
            [p for (fam, town), p in primary.items() if town == key]
        if len(targets) == 1 and targets[0] is not cand:
            _merge(targets[0], cand)
            by_key.pop(key, None)


def _describe(doc: Doc, candidates: list[Candidate], source: str | None) -> None:
    """Fill each candidate's features: the rule roles' view and the words around it."""
    roles = doc._.roles
    rule_role: dict[str, str] = {}
    if roles is not None:
        for role in ("sources", "competitors", "passing", "affected", "vendors"):
            for name in getattr(roles, role):
                rule_role[name_key(name)] = role
    stats = getattr(doc._, "org_stats", None) or {}
    title_end = doc._.title_end or 0
    n_tokens = max(1, len(doc))
    source_key = name_key(source) if source else ""
    total = Counter({c.key: len(c.spans) for c in candidates})
    ranked = [k for k, _ in total.most_common()]
    sectors_named = {c.sector for c in candidates if c.sector}
    priority = ("vendors", "affected", "passing", "competitors", "sources")
    for cand in candidates:
        f = cand.features
        first = min(s for s, _ in cand.spans)
        own_names = [cand.name, *cand.merged]
        roles_seen = [rule_role[name_key(n)] for n in own_names if name_key(n) in rule_role]
        f["mentions"] = math.log1p(len(cand.spans))
        f["rank_1"] = float(ranked[:1] == [cand.key])
        f["first_pos"] = first / n_tokens
        f["in_title"] = float(any(doc[s].idx < title_end for s, _ in cand.spans))
        f["known"] = float(cand.known)
        f["unknown_name_words"] = math.log1p(len(cand.name.split())) if not cand.known else 0.0
        f["outlet"] = float(bool(source_key) and (source_key == cand.key or source_key in cand.key))
        if cand.sector:
            f[f"sector={cand.sector}"] = 1.0
        for via in cand.via:
            f[f"via={via}"] = 1.0
        for label in cand.ner:
            f[f"ner={label}"] = 1.0
        f[f"rule={min(roles_seen, key=priority.index) if roles_seen else 'none'}"] = 1.0
        if roles is not None:
            scores = [roles.scores[n] for n in own_names if n in roles.scores]
            if scores:
                f["rule_vendor_score"] = min(max(scores), 10.0) / 5.0
        st = next((stats[n] for n in own_names if n in stats), None)
        if st is not None:
            f["own_mentions"] = math.log1p(st.own_mentions)
            f["source_hits"] = math.log1p(st.source_hits)
            for flag in ("hit", "audience", "provider", "client", "in_incident"):
                if getattr(st, flag):
                    f[flag] = 1.0
            if st.cued:
                f[f"cued={st.cued}"] = 1.0
        if cand.parent and any(c.name == cand.parent for c in candidates):
            f["parent_named"] = 1.0
        if any(c.parent == cand.name for c in candidates):
            f["child_named"] = 1.0
        if cand.sector and len(sectors_named) > 1:
            f["other_sectors"] = 1.0
        incident = 0
        for start, end in cand.spans:
            scope = _scope_of(doc, start)
            if scope is not None:
                f[f"scope={scope.kind}"] = 1.0
                incident += scope.kind == "incident"
            _context(doc, start, end, f)
        f["incident_mentions"] = math.log1p(incident)
        cand.restates = all(restates_name(doc, start) for start, _ in cand.spans)
    _coordinated(doc, candidates)
    _enumerated(doc, candidates, rule_role)
    _relative(candidates)


def _coordinated(doc: Doc, candidates: list[Candidate]) -> None:
    """Candidates listed together ("SFR et Bouygues Telecom"): each knows it is coordinated
    with another, and whether that one is of its sector."""
    owner = {}
    for cand in candidates:
        for start, end in cand.spans:
            for i in range(start, end):
                owner[i] = cand
    for cand in candidates:
        for start, end in cand.spans:
            head = doc[start:end].root
            linked = [t for t in (*head.children, head.head) if t.dep_ == "conj" or head.dep_ == "conj"]
            for tok in linked:
                other = owner.get(tok.i)
                if other is None or other is cand:
                    continue
                cand.features["coordinated"] = 1.0
                if cand.sector and other.sector == cand.sector:
                    cand.features["coordinated_same_sector"] = 1.0

# What the rules say of an organisation hit by the failure
HIT_FLAGS = ("hit", "client", "audience")
# Words that introduce examples ("dont X et Y", "comme X", "tels X", "notamment X", "parmi eux X").
EXAMPLE_MARKERS = frozenset({"dont", "comme", "tels", "telles", "tel", "telle", "notamment", "parmi",
                             "compris", "exemple"})
# Lemmas telling that someone was hit: "touchés", "victimes", "perturbé", "privés de".
VICTIM_LEMMAS = frozenset({"toucher", "affecter", "impacter", "concerner", "perturber", "paralyser", "priver",
                           "bloquer", "victime", "perturbation", "pénaliser", "gêner", "frapper", "handicaper",
                           "souffrir", "subir", "sinistrer"})


def _enumerated(doc: Doc, candidates: list[Candidate], rule_role: dict[str, str]) -> None:
    """Candidates named in one enumeration ("France Inter, France Culture et FIP", which the
    parse seldom coordinates): each knows the list's size and whether another member is named
    as hit, so a list of hit clients is read as one."""
    mentions = sorted(((s, e, cand) for cand in candidates for s, e in cand.spans), key=lambda m: m[:2])
    for indexes in enumerations(doc, [(s, e) for s, e, _ in mentions]):
        group = [mentions[k] for k in indexes]
        members = list({id(c): c for _, _, c in group}.values())
        first = group[0][0]
        sent = doc[first].sent
        victim_sent = any(t.lemma_.lower() in VICTIM_LEMMAS for t in sent)
        marked = any(t.lower_ in EXAMPLE_MARKERS for t in doc[max(sent.start, first - 4):first])
        for cand in members:
            f = cand.features
            if marked:
                f["example"] = 1.0
                if victim_sent:
                    f["example_victim"] = 1.0
        if len(members) < 2:
            continue
        for cand in members:
            f = cand.features
            if victim_sent:
                f["listed_victim"] = 1.0
            others = [c for c in members if c is not cand]
            f["listed"] = 1.0
            f["list_size"] = max(f.get("list_size", 0.0), list_size(len(members)))
            if any(rule_role.get(c.key) == "affected" or any(c.features.get(x) for x in HIT_FLAGS)
                   or any(k.startswith("cued=") for k in c.features) for c in others):
                f["list_hit"] = 1.0
            if any(rule_role.get(c.key) == "vendors" for c in others):
                f["list_with_vendor"] = 1.0
            if cand.sector and any(c.sector == cand.sector for c in others):
                f["list_same_sector"] = 1.0


def _relative(candidates: list[Candidate]) -> None:
    """How each candidate compares with the article's others: a linear model reads each
    candidate alone, so "the most named one" must be a feature."""
    if not candidates:
        return
    def top(name: str) -> float:
        return max(c.features.get(name, 0.0) for c in candidates)
    best = {name: top(name) for name in ("mentions", "incident_mentions", "rule_vendor_score")}
    known = [c for c in candidates if c.known]
    most_known = max((c.features["mentions"] for c in known), default=None)
    first_known = min((c.features["first_pos"] for c in known), default=None)
    for cand in candidates:
        f = cand.features
        for name, value in best.items():
            mine = f.get(name, 0.0)
            f[f"gap_{name}"] = mine - value
            if mine > 0 and mine == value:
                f[f"max_{name}"] = 1.0
        if cand.known:
            if f["mentions"] == most_known:
                f["max_known"] = 1.0
            if f["first_pos"] == first_known:
                f["first_known"] = 1.0
        f[f"candidates={min(len(candidates), 10) // 3}"] = 1.0


def _context(doc: Doc, start: int, end: int, f: Features) -> None:
    """The words and syntax around one mention."""
    head = doc[start:end].root
    f[f"dep={head.dep_.split(':')[0]}"] = 1.0
    gov = _governor(head)
    if gov is not None:
        f[f"gov={gov.lemma_.lower()}"] = 1.0
    for tok in doc[max(0, start - 3):start]:
        if not tok.is_punct:
            f[f"before={tok.lower_}"] = 1.0
    for tok in doc[end:end + 3]:
        if not tok.is_punct:
            f[f"after={tok.lemma_.lower()}"] = 1.0
    if start > 0 and doc[start - 1].is_punct and doc[start - 1].text in "(«\"":
        f["bracketed"] = 1.0
    sent = sentence_of(head)
    for tok in sent:
        lemma = tok.lemma_.lower()
        if tok.pos_ in {"VERB", "NOUN", "ADJ"} and lemma not in STOP_LEMMAS and WORD.match(lemma):
            f[f"sent={lemma}"] = 1.0


def _governor(token: Token) -> Token | None:
    """The verb or noun the mention depends on, through prepositions and appositions."""
    current = token
    for _ in range(3):
        if current.head is current:
            return None
        current = current.head
        if current.pos_ in {"VERB", "NOUN", "ADJ"}:
            return current
    return None


# ---------------------------------------------------------------------------- details


def detail_features(doc: Doc) -> Features:
    """Article-level features for impact and cause: the rules' labels and cue scores, and the
    words of the sentences that tell of the incident."""
    f: Features = {}
    impact = doc._.impact
    if impact is not None:
        for label in impact.labels:
            f[f"rule_impact={label}"] = 1.0
        for label, counts in impact.signals.items():
            for stage, n in counts.items():
                f[f"impact_{stage}={label}"] = math.log1p(n)
    cause = doc._.cause
    if cause is not None:
        f[f"rule_cause={cause.cause}"] = 1.0
        for label, score in cause.scores.items():
            f[f"cause_score={label}"] = min(score, 5.0) / 5.0
        for label in cause.ruled_out:
            f[f"ruled_out={label}"] = 1.0
    for m in doc._.orgs or []:
        if m.sector:
            f[f"sector={m.sector}"] = 1.0
    roles = doc._.roles
    if roles is not None:
        for name in roles.vendors:
            for m in doc._.orgs or []:
                if m.name == name and m.sector:
                    f[f"vendor_sector={m.sector}"] = 1.0
    own = [(s.start, s.end) for s in doc._.sent_scopes or [] if s.own]
    f.update(words(doc, own or [(0, len(doc))], "w:"))
    f.update(words(doc, [(0, _title_token_end(doc))], "t:"))
    return f


def words(doc: Doc, ranges: list[tuple[int, int]], prefix: str) -> Features:
    """Bag of lemmas (log counts) of the tokens in these ranges, stop words and numbers left
    out; read from the token arrays (a Token object per word was half the learned decisions' time)."""
    if not len(doc):
        return {}
    table = doc.to_array([LEMMA, IS_PUNCT, LIKE_NUM])
    strings = doc.vocab.strings
    counts: Counter[str] = Counter()
    for start, end in ranges:
        for lemma, punct, number in table[start:end].tolist():
            if not punct and not number:
                counts[strings[lemma].lower()] += 1
    return {f"{prefix}{w}": math.log1p(n) for w, n in counts.items()
            if w not in STOP_LEMMAS and WORD.match(w)}
