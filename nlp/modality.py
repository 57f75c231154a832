"""Negation, hedging, questions and tense read from spaCy's parse and morphology.

Shared by the components that must tell "a cyberattack" from "no cyberattack", "a possible
cyberattack" and "a cyberattack two years ago".
"""

from __future__ import annotations

import re

from pannes.nlp.spans import sentence_of
from spacy.tokens import Span, Token

# "sans" is no negation in a fixed compound: "paiement sans contact", "réseau sans fil".
SANS_COMPOUNDS = frozenset({"contact", "fil", "fils"})
NOBODY = frozenset({"personne", "rien", "aucun", "aucune", "nul", "nulle"})  # as a clause subject
NEGATORS = frozenset({"pas", "aucun", "aucune", "jamais", "nullement", "aucunement", "nul", "nulle", "ni"})
# Verbs and nouns whose object is excluded: "écartant l'éventualité d'une attaque".
EXCLUDING_LEMMAS = frozenset({"écarter", "exclure", "démentir", "nier", "réfuter", "infirmer",
                              "démenti", "contester", "rejeter", "balayer"})
# Their inflected forms, for the parses that miss the verb ("ce que dément l'opérateur").
EXCLUDING_FORMS = re.compile(
    r"^(dément|démentent|démentait|démentaient|démenti|démentie|démentis|démenties|nie|nient|niait|"
    r"nié|niée|conteste|contestent|contesté|contestée|réfute|réfutent|réfuté|réfutée|écarte|écartent|"
    r"écarté|écartée|exclut|excluent|infirme|infirment|infirmé|infirmée|rejette|rejettent|rejeté|rejetée)$")
# What an excluding relative or a short denial refers back to: "ce que dément", "cette hypothèse".
ANAPHORS = frozenset({"ce", "hypothèse", "piste", "information", "informations", "thèse", "version",
                      "rumeur", "rumeurs", "affirmation", "affirmations", "allégation", "allégations",
                      "explication", "scénario"})
# Words that make what they govern uncertain or feared.
HEDGING_LEMMAS = frozenset({"craindre", "redouter", "crainte", "peur", "risque", "risquer",
                            "hypothèse", "éventualité", "rumeur", "soupçonner", "soupçon",
                            "envisager", "possible", "possiblement", "éventuel", "éventuellement",
                            "supposer", "piste", "spéculation", "menacer", "menace", "redoute"})
# Words that make what they govern a drill, not an event: "un exercice de simulation de cyberattaque".
SIMULATION_LEMMAS = frozenset({"exercice", "simulation", "simuler", "scénario", "entraînement",
                               "fictif", "fictive"})
# Verbs that plan what they govern: "une coupure est prévue dimanche".
PLANNING_LEMMAS = frozenset({"prévoir", "programmer", "planifier"})
CLAUSE_HEADS = frozenset({"VERB", "AUX"})
AUXILIARIES = frozenset({"avoir", "être"})


def ancestors_within(token: Token, hops: int = 6) -> list[Token]:
    """The token's heads up the tree, nearest first, at most `hops` of them."""
    out: list[Token] = []
    current = token
    for _ in range(hops):
        if current.head is current:
            break
        current = current.head
        out.append(current)
    return out


def governing_verb(token: Token) -> Token | None:
    """The nearest verb or predicate (an adjective or noun with a copula) above the token."""
    if token.pos_ in CLAUSE_HEADS:
        return token
    for head in ancestors_within(token, 8):
        if head.pos_ in CLAUSE_HEADS or any(c.dep_ == "cop" for c in head.children):
            return head
    return None


def _negated_here(token: Token) -> bool:
    words = {child.lower_ for child in token.children}
    if "plus" in words and words & {"ne", "n'", "n’"}:
        return True  # "n'arrivaient plus", "ne répond plus": "plus" carries no Polarity=Neg
    for child in token.children:
        if child.lower_ in NEGATORS or (child.dep_ == "advmod" and "Neg" in child.morph.get("Polarity")
                                         and child.lower_ not in {"ne", "n'", "n’"}):
            return True
        if child.dep_ == "det" and child.lower_ in {"aucun", "aucune", "nul", "nulle"}:
            return True
        if child.dep_ == "case" and is_negating_sans(child):
            return True
    return False


def is_negating_sans(token: Token) -> bool:
    """True for a "sans" that denies what follows ("sans incident"), not one that makes a
    compound noun ("sans contact", "sans fil")."""
    if token.lower_ != "sans":
        return False
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return following is None or following.lower_ not in SANS_COMPOUNDS


def is_negated_word(token: Token) -> bool:
    """True when the word itself is denied ("aucune attaque", "pas de panne", "sans incident")."""
    if _negated_here(token):
        return True
    for prev in token.doc[max(sentence_of(token).start, token.i - 3) : token.i]:
        if prev.lower_ in {"aucun", "aucune"} or is_negating_sans(prev):
            return True
        if prev.lower_ == "pas" and any(t.lower_ in {"de", "d'", "d’"} for t in token.doc[prev.i + 1 : token.i]):
            return True
    return False


def _nobody(subject: Token) -> bool:
    """A subject that denies its clause: "aucun service", "nul client", "personne", "rien"."""
    dets = [d.lower_ for d in subject.children if d.dep_ == "det"]
    if subject.lower_ in NOBODY:
        return not dets
    return any(d in {"aucun", "aucune", "nul", "nulle"} for d in dets)


def is_negated(token: Token) -> bool:
    """True when the word, or the clause that states it, is negated ("pas de panne")."""
    if _negated_here(token):
        return True
    # "pas de panne", "aucune panne": a negator just before the noun
    for prev in token.doc[max(sentence_of(token).start, token.i - 3) : token.i]:
        if prev.lower_ in {"aucun", "aucune"} or is_negating_sans(prev):
            return True
        if prev.lower_ == "pas" and token.i - prev.i <= 3 and any(
            t.lower_ in {"de", "d'", "d’"} for t in token.doc[prev.i + 1 : token.i]
        ):
            return True
    if predicate_of(token) is token and any(c.dep_.startswith("nsubj") and _nobody(c) for c in token.children):
        return True  # "aucun service n'a été perturbé", "personne n'a été privé de réseau"
    verb = governing_verb(token)
    if verb is not None and verb is not token and _negated_here(verb):
        # the negation bears on the verb: "la France n'a pas été touchée"
        return token.dep_.startswith(("nsubj", "obj", "obl")) or token.head is verb
    return False


def excluding_head(token: Token) -> Token | None:
    """The excluding verb the word hangs on ("écartant l'éventualité d'...", "une attaque
    démentie"), if any."""
    for child in token.children:
        if child.dep_ in {"amod", "acl"} and child.lemma_.lower() in EXCLUDING_LEMMAS | {"exclure"}:
            return child
    for head in ancestors_within(token, 5):
        if head.lemma_.lower() in EXCLUDING_LEMMAS or head.lower_ in {"exclue", "exclu", "exclus", "exclues"}:
            return head
    return None


def _excluding_word(token: Token) -> bool:
    return token.lemma_.lower() in EXCLUDING_LEMMAS or bool(EXCLUDING_FORMS.match(token.lower_))


def denied_afterwards(token: Token) -> bool:
    """True when a relative clause later in the sentence denies what precedes it ("une
    cyberattaque serait à l'origine de la panne, ce que dément l'opérateur")."""
    doc, sent = token.doc, sentence_of(token)
    for rel in doc[token.i + 2 : sent.end]:
        if rel.lower_ not in {"que", "qu'", "qu’"} or doc[rel.i - 1].lower_ not in ANAPHORS:
            continue
        for word in doc[rel.i + 1 : min(sent.end, rel.i + 7)]:
            if word.lower_ in {"ne", "n'", "n’"} or word.is_punct:
                break  # "ce que ne dément pas l'opérateur" confirms it
            if _excluding_word(word):
                return True
    return False


def _beside_a_negation(word: Token) -> bool:
    """"ne dément pas", "n'a pas démenti": read from the words when the parse misses the verb."""
    doc = word.doc
    before = [t.lower_ for t in doc[max(0, word.i - 3) : word.i]]
    after = [t.lower_ for t in doc[word.i + 1 : word.i + 2]]
    return bool({"ne", "n'", "n’"} & set(before)) or bool(NEGATORS & set(after + before))


def denies_previous(sent: Span) -> bool:
    """True for a short denial that refers back to the previous sentence: "L'opérateur dément.",
    "Ce que dément l'opérateur.", "Orange a démenti cette information."."""
    words = [t for t in sent if not t.is_space]
    if words[:2] and [t.lower_ for t in words[:2]] in (["ce", "que"], ["ce", "qu'"], ["ce", "qu’"]):
        return any(_excluding_word(t) for t in words[2:7])
    for word in words:
        if not _excluding_word(word) or is_negated(word) or _beside_a_negation(word):
            continue
        rest = [t for t in sent.doc[word.i + 1 : sent.end] if not t.is_space and t.pos_ != "ADV"]
        if not rest or rest[0].is_punct or rest[0].lower_ == "par":
            return True  # "L'opérateur dément.", "une version démentie par l'opérateur"
        if len(rest) > 1 and rest[0].lower_ in {"cette", "ces", "cet", "ce", "l'", "l’", "les", "la", "le"} \
                and rest[1].lower_ in ANAPHORS:
            return True  # "Orange a démenti cette information."
    return False


def is_excluded(token: Token) -> bool:
    """True when the word is ruled out; "n'est pas exclue" keeps it possible (not excluded)."""
    head = excluding_head(token)
    return head is not None and not _negated_here(head)


def is_hedged(token: Token) -> bool:
    """True when a fear, rumour, hypothesis or possibility word governs the token."""
    if token.lemma_.lower() in HEDGING_LEMMAS:
        return False
    heads = ancestors_within(token, 6)
    if any(h.lemma_.lower() in HEDGING_LEMMAS for h in heads):
        return True
    # a condition: "si quelques effets (lenteur du réseau) seront à craindre"
    if any(c.dep_ == "mark" and c.lower_ in {"si", "s'", "s’"} for h in [token, *heads] for c in h.children):
        return True
    window = list(token.doc[max(sentence_of(token).start, token.i - 10) : token.i])
    for k, t in enumerate(window):
        if t.lower_ == "si" and t.pos_ == "SCONJ" and not any(w.text in {",", ";", ":"} for w in window[k:]):
            return True
    return False
    return any(c.lemma_.lower() in HEDGING_LEMMAS for c in token.children)


def is_simulated(token: Token) -> bool:
    """True when a drill or a scenario governs the word ("exercice de simulation de cyberattaque",
    "l'hôpital a simulé une panne")."""
    if any(c.dep_ == "amod" and c.lemma_.lower() in SIMULATION_LEMMAS for c in token.children):
        return True
    for head in ancestors_within(token, 4):
        if head.lemma_.lower() in SIMULATION_LEMMAS:
            return True
        if head.pos_ in CLAUSE_HEADS:
            return False  # another clause: "l'exercice préparé après la coupure de 2025"
    return False


def predicate_of(token: Token) -> Token | None:
    """The word that heads the token's clause: itself when it is a verb or has a copula
    ("sera indisponible"), else its governing verb."""
    if any(c.dep_ == "cop" for c in token.children):
        return token
    return governing_verb(token)


def is_future(token: Token) -> bool:
    """True when the clause stating the word is in the future ("sera indisponible", "va être
    coupé", "les abonnés ne pourront pas appeler")."""
    pred = predicate_of(token)
    if pred is None:
        return False
    auxes = [c for c in pred.children if c.dep_.startswith("aux") or c.dep_ == "cop"]
    if any(c.dep_ == "aux:tense" and c.lemma_ in AUXILIARIES for c in auxes):
        return False  # "auront été privés": a future perfect looks back on the event
    if any("Fut" in t.morph.get("Tense") for t in [pred, *auxes]):
        return True
    if pred.dep_ == "xcomp" and pred.head.lemma_ in {"aller", "pouvoir", "devoir"} and pred.head is not pred:
        head = pred.head
        return head.lemma_ == "aller" and "Pres" in head.morph.get("Tense") or "Fut" in head.morph.get("Tense")
    return any(c.lemma_ == "aller" and c.dep_.startswith("aux") for c in pred.children)


def is_planned(token: Token) -> bool:
    """True when a planning verb governs the word ("une coupure est prévue", "l'interruption
    programmée")."""
    if any(c.dep_ in {"amod", "acl"} and c.lemma_.lower() in PLANNING_LEMMAS for c in token.children):
        return True
    return any(h.lemma_.lower() in PLANNING_LEMMAS for h in ancestors_within(token, 2))


def in_question(token: Token) -> bool:
    """True when the clause the token sits in ends with a question mark."""
    sent = sentence_of(token)
    for t in token.doc[token.i + 1 : sent.end]:
        if t.text in {"?", "?»", "? »"}:
            return True
        if t.text in {".", "!", ")", "…", ";"}:
            return False
    return False


def is_conditional(token: Token) -> bool:
    """True when the clause verb (or its auxiliary or copula) is in the conditional or
    subjunctive ("aurait été piratée", "serait à l'origine")."""
    verb = predicate_of(token)
    if verb is None:
        return False
    forms = [verb, *[c for c in verb.children if c.dep_.startswith("aux") or c.dep_ == "cop"]]
    return any(set(t.morph.get("Mood")) & {"Cnd", "Sub"} for t in forms)


def is_modal(token: Token) -> bool:
    """True when the clause verb hangs on a modal ("peuvent bloquer", "pourrait toucher")."""
    verb = governing_verb(token)
    if verb is None:
        return False
    if verb.lemma_ in {"pouvoir", "devoir"}:
        return True
    return verb.head.lemma_ in {"pouvoir", "devoir"} and verb.dep_ == "xcomp"


def denies_ability(token: Token) -> bool:
    """True for a denied "pouvoir" stated as a fact: "les clients ne peuvent plus payer", "n'ont
    pas pu se connecter"; not "ne pourront plus", "ne pourraient plus", "n'aurait pas pu".

    The future and the conditional are read from the form too: the model's morphology often
    tags "pourront" and "pourraient" as present indicative.
    """
    if token.lemma_ != "pouvoir" or token.lower_.startswith("pourr"):
        return False
    words = {c.lower_ for c in token.children}
    if not (words & {"ne", "n'", "n’"} and words & {"pas", "plus", "jamais", "guère"}):
        return False  # "ne peut que constater" denies nothing
    forms = [token, *(c for c in token.children if c.dep_.startswith("aux"))]
    if any(t.lower_.startswith(("pourr", "aur", "ser")) for t in forms):
        return False
    moods = [t for t in forms if t.morph.get("Mood")]
    return all("Ind" in t.morph.get("Mood") and "Fut" not in t.morph.get("Tense") for t in moods)


def is_pluperfect(verb: Token) -> bool:
    """True for a past participle with an auxiliary in the imperfect ("avait plongé")."""
    if "Part" not in verb.morph.get("VerbForm"):
        return False
    for child in verb.children:
        if (child.dep_ == "aux:tense" or child.dep_ == "aux") and child.lemma_ in AUXILIARIES:
            if "Imp" in child.morph.get("Tense") and "Ind" in child.morph.get("Mood"):
                return True
    return False


def finite_tenses(sent: Span) -> set[str]:
    """Tenses of the clauses in a sentence: "pluperfect", "perfect", "present", "imperfect", ..."""
    tenses: set[str] = set()
    for tok in sent:
        if tok.pos_ not in CLAUSE_HEADS or tok.dep_.startswith("aux"):
            continue
        if is_pluperfect(tok):
            tenses.add("pluperfect")
            continue
        auxes = [c for c in tok.children if c.dep_.startswith("aux") and c.lemma_ in AUXILIARIES]
        if "Part" in tok.morph.get("VerbForm") and auxes:
            aux = auxes[0]
            if "Cnd" in aux.morph.get("Mood"):
                tenses.add("conditional")
            elif "Fut" in aux.morph.get("Tense"):
                tenses.add("future")
            else:
                tenses.add("perfect")
            continue
        if "Fin" not in tok.morph.get("VerbForm"):
            continue
        mood = tok.morph.get("Mood")
        tense = tok.morph.get("Tense")
        if "Cnd" in mood:
            tenses.add("conditional")
        elif "Imp" in tense:
            tenses.add("imperfect")
        elif "Fut" in tense:
            tenses.add("future")
        elif "Past" in tense:
            tenses.add("simple_past")
        elif "Pres" in tense:
            tenses.add("present")
    return tenses


def assertion(token: Token, *, strict: bool = False) -> str:
    """How the text states the word: "asserted", "negated", "excluded", "hedged" or "question".

    `strict` also treats the conditional and subjunctive as hedges (for claims such as data
    loss, which journalists report in the conditional when unconfirmed).
    """
    if in_question(token):
        return "question"
    if excluding_head(token) is not None:
        return "excluded" if is_excluded(token) else "hedged"
    if denied_afterwards(token):
        return "excluded"
    if is_negated(token):
        return "negated"
    if is_hedged(token) or (strict and is_conditional(token)):
        return "hedged"
    return "asserted"
