"""Cues that an organisation is hit by the failure, told by how the text names it.

General French ways of saying it: "X, client de Y", "ses clients, dont X et Y", "parmi les
victimes, X", "Chez X, les caisses...", "X a dû fermer", "X n'a pas pu", "les agents de X".
`VictimCues` reads the role lexicons of nlp/data/roles.jsonl it is built with.
"""

from __future__ import annotations

from pannes.nlp.modality import denies_ability, governing_verb, is_negated
from pannes.nlp.spans import sentence_of
from pannes.nlp.vendors import OrgMention
from spacy.tokens import Doc, Span, Token

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
# Words that make a clause a hypothesis: "si la panne dure", "en cas de coupure", "au risque de".
HYPOTHESIS_WORDS = frozenset({"si", "s'", "s’", "cas", "risque", "risquent", "risquerait", "éventuel",
                              "éventuelle", "éventuellement"})


class VictimCues:
    """How the text names an organisation as hit, read with the role lexicons `lex`."""

    def __init__(self, lex: dict[str, frozenset[str]]) -> None:
        self.lex = lex

    def is_client(self, head: Token) -> bool:
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

    def cue(self, doc: Doc, m: OrgMention, org_tokens: set[int]) -> str:
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

    @staticmethod
    def states_inability(sent: Span) -> bool:
        """"les lecteurs de X ne peuvent plus...", "X n'a pas pu...": a denied ability in the
        present or past indicative tells what happened, though it reads as a modal."""
        if any(t.lower_ in HYPOTHESIS_WORDS for t in sent):
            return False
        return any(denies_ability(tok) for tok in sent)

    @staticmethod
    def _unable(noun: Token) -> bool:
        """"les lecteurs de X ne peuvent plus...", "n'ont pas pu...": the negation denies what
        they could do, not that they were hit."""
        verb = governing_verb(noun)
        return verb is not None and verb.lemma_ == "pouvoir" and not verb.lower_.startswith("pourr")

    def _headline_subject(self, doc: Doc, m: OrgMention, org_tokens: set[int]) -> bool:
        """"X : l'application bancaire au ralenti" in the title: what failed is X's (the vendor
        excepted, X is then hit)."""
        if doc[m.start].idx >= (doc._.title_end or 0):
            return False
        opening = [t for t in doc[: m.start] if not t.is_space and t.pos_ != "DET"]
        if opening or m.end >= len(doc) or doc[m.end].lower_ not in {":", ","}:
            return False
        title_end = next((t.i for t in doc[m.end :] if t.idx >= doc._.title_end), len(doc))
        return failure_within(doc, m.end, title_end)

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

    def user_clause(self, doc: Doc, m: OrgMention, org_tokens: set[int]) -> bool:
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
        provided = self.lex.get("provided_verbs", frozenset())
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
                    if lemma in provided and word.i + 1 < len(doc) and doc[word.i + 1].lower_ == "par":
                        return True  # "X, dont la messagerie est hébergée par Y"
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
            if m.sector not in self.lex.get("screen_sectors", ()) or not failure_within(doc, end, rest.end):
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
        return failure_within(doc, start, end)

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
        setbacks = lex.get("setback_verbs", frozenset())
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
            if lemma in setbacks and tok.pos_ == "VERB":
                return not is_negated(tok)  # "X a annulé douze vols", "X a reporté des opérations"
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
        if is_negated(noun) and not self._unable(noun):
            return False  # "les clients de SFR n'ont rien remarqué"
        sent = sentence_of(noun)
        hit = self.lex.get("hit_verbs", frozenset())
        for tok in sent:
            if tok.lemma_.lower() in hit and tok.pos_ in {"VERB", "ADJ"} and not is_negated(tok):
                return True
            if tok.lemma_.lower() == "pouvoir" and is_negated(tok):
                return True
        return failure_within(doc, sent.start, sent.end)


def failure_within(doc: Doc, start: int, end: int) -> bool:
    """True when an outage cue the scoper kept (not denied, not hedged) starts in doc[start:end]."""
    return any(start <= cue.start < end for scope in doc._.sent_scopes or []
               if scope.start < end and scope.end > start for cue in scope.cues)
