"""How many users the incident hit: a count when the text gives one, else the vague phrase."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pannes.nlp.extensions import register_extensions
from pannes.nlp.numbers import parse_french_number
from pannes.nlp.spans import span_text
from spacy.language import Language
from spacy.tokens import Doc

POPULATION = (r"(?:clients?|utilisateurs?|abonnés?|usagers?|personnes|foyers|internautes|"
              r"mobinautes|consommateurs|particuliers|entreprises|titulaires|porteurs|voyageurs|"
              r"passagers|téléspectateurs|lecteurs|Français|Françaises|comptes|patients)")
COUNT = re.compile(
    r"(?P<phrase>(?:(?:plus|près|moins)\s+de\s+|quelque\s+|environ\s+)?"
    r"(?P<num>\d[\d\s.,\u202f\u00a0]*\d|\d+|[a-zéèêàûç-]+)\s*(?P<scale>millions?|milliers|milliards?|mille|000)?"
    r"\s+(?:de\s+|d['’])?" + POPULATION + r")", re.IGNORECASE)
VAGUE = re.compile(r"(?:des|les|plusieurs|de nombreux|nombreux|quelques)\s+(?:millions|milliers|centaines(?:\s+de\s+milliers)?|dizaines(?:\s+de\s+milliers)?)\s+(?:de\s+|d['’])" + POPULATION, re.IGNORECASE)
SCALES = {"million": 1e6, "millions": 1e6, "milliers": 1e3, "mille": 1e3, "milliard": 1e9, "milliards": 1e9}
HIT = re.compile(r"touch|concern|affect|impact|priv|privé|ne pouv|n'ont pas pu|n’ont pas pu|victime|bloqu|paralys|perturb|ont vu|sans", re.IGNORECASE)


@dataclass
class UsersResult:
    count: int | None = None
    text: str | None = None
    evidence: str | None = None


def users_in_sentence(sentence: str) -> UsersResult | None:
    """A count (or a vague phrase) of people hit, read from one sentence that reports the hit."""
    if not HIT.search(sentence):
        return None
    for match in COUNT.finditer(sentence):
        number = parse_french_number(match.group("num"))
        if number is None:
            continue
        scale = match.group("scale") or ""
        number *= SCALES.get(scale.lower(), 1.0)
        if number < 10 or (not scale and re.fullmatch(r"(?:19|20)\d\d", match.group("num").strip())):
            continue
        return UsersResult(int(number), match.group("phrase"), sentence)
    vague = VAGUE.search(sentence)
    if vague:
        return UsersResult(None, vague.group(0), sentence)
    return None


class UsersCounter:
    """Reads the users affected from the incident's sentences (first statement wins)."""

    def __init__(self, nlp: Language, name: str = "pannes_users") -> None:
        register_extensions()
        self.name = name

    def initialize(self, *args: object, **kwargs: object) -> None:
        """Nothing to load: the patterns are in the module."""

    def __call__(self, doc: Doc) -> Doc:
        result = UsersResult()
        for scope in doc._.sent_scopes or []:
            if scope.kind != "incident":
                continue
            found = users_in_sentence(span_text(doc, scope.start, scope.end))
            if found is None:
                continue
            if found.count is not None:
                result = found
                break
            if result.text is None:
                result = found
        doc._.users = result
        return doc


@Language.factory("pannes_users", assigns=["doc._.users"], requires=["doc._.sent_scopes"])
def make_users_counter(nlp: Language, name: str) -> UsersCounter:
    return UsersCounter(nlp, name)
