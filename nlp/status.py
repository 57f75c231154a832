"""What a clause says about the service at the time it names: down, still down, or back.

Dates, clock readings and durations all need to know whether the words around them tell of the
failure ("tombé en panne à 9 h"), of its persistence ("toujours pas rétabli") or of the return to
normal ("rétabli mardi"); the patterns live here, with the plain-text helpers they read.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

_FLAGS = re.IGNORECASE | re.UNICODE

OUTAGE_CUE_RE = re.compile(
    r"\b(?:pannes?|en panne|coupure|coupé(?:e|s|es)?|se coupe(?:nt)?|tomb(?:é|ée|és|ées|e|ent)\b"
    r"|en rade|hors[- ]service|hors[- ]ligne|inaccessibles?|indisponibles?|inopérant\w*"
    r"|interrompu(?:e|s|es)?|interromp(?:t|ent)\b|perturbé(?:e|s|es)?|perturbe(?:nt)?\b"
    r"|perturbations?|paralysé\w*|paralyse\w*|privé(?:e|s|es)?|bloqué(?:e|s|es)?"
    r"|entravé(?:e|s|es)?|impacté(?:e|s|es)?|affecté(?:e|s|es)?|touché(?:e|s|es)?|incidents?|dysfonctionnement\w*"
    r"|défaillan\w*|black-?out|écran noir|dans le noir|impossibles?|muets?|muettes?"
    r"|ne\s+(?:pouv|peuv|peut|pourr|parvien|parven|arriv)\w*\s+(?:ni|pas|plus)|n'(?:arriv|all)\w*\s+plus|survenu\w*"
    r"|n'(?:ont|a|avait|avaient|aura|auront)\s+(?:(?:pas|plus|jamais)\s+pu|pu\s+ni)\b"
    r"|dans\s+l'incapacité|incapables?|à\s+l'arrêt|sans\s+(?:réseau|courant|électricité|internet|connexion)"
    r"|frappée?s?|cess\w+\s+d(?:e\s+|')(?:émettre|fonctionner)|ne\s+(?:fonctionn|répond)\w*\s+plus|hors\s+d'usage|planté\w*"
    r"|plus de (?:réseau|service|connexion)|problèmes?|couacs?|bugs?|pannes?"
    r"|(?:a|ont|avait|avaient)\s+(?:débuté|commencé|démarré)|(?:s'est|se sont)\s+(?:produit|déclaré)\w*"
    r"|apparu(?:e|s|es)?|signalé(?:e|s|es)?)",
    _FLAGS,
)
RESTORED_CUE_RE = re.compile(
    r"(?:\brétabli(?:e|s|es)?\b|\brétablissement|\bretour(?:\s+\w+)?\s+à\s+la\s+normale"
    r"|\brevenu(?:e|s|es)?\s+à\s+la\s+normale|\brevenu(?:e|s|es)?\s+en\s+service|\bretour\s+complet"
    r"|\b(?:à|de)\s+nouveau\s+(?:\w+\s+){0,2}?(?:fonctionn\w*|disponibles?|accessibles?"
    r"|opérationnel\w*|passer|appeler|émettre|recevoir|joindre|utiliser|accéder|payer|diffuser"
    r"|se connecter|en (?:service|ligne))|\bfonctionne\w*\s+(?:normalement|depuis)|\bfonctionn\w*\s+(?:de|à)\s+nouveau|\bterminée?s?\b|\brésolue?s?\b|\bréparée?s?\b|\bcorrigée?s?\b|\brepris(?:e|es)?\b"
    r"|\bpu\s+reprendre|\breprend(?:re|ent)?\s+(?:leur|leurs|ses|son|sa|les)\b"
    r"|\brelancée?s?\b|\bredémarrée?s?\b|\bremise?s?\s+(?:en\s+(?:service|route|ligne)|sous\s+tension)"
    r"|\brestaurée?s?\b|\brésorbée?s?\b|\bs'est\s+stabilisée?\b|\brentrée?s?\s+dans\s+l'ordre"
    r"|\bredevenue?s?\s+(?:disponibles?|accessibles?|opérationnel\w*|fonctionnel\w*|normal\w*))",
    _FLAGS,
)
STILL_CUE_RE = re.compile(
    r"(?:\btoujours\s+pas\b|\bpas\s+encore\b|\bne\s+\w+\s+(?:toujours|encore)\s+pas\b"
    r"|\btoujours\s+(?:en\s+panne|inaccessible|indisponible|perturbé|impossible|hors\s+service"
    r"|privé|bloqué|coupé|paralysé)\w*|\bencore\s+(?:impossible|inaccessible|indisponible"
    r"|perturbé|en\s+panne|hors\s+service)\w*|\bimpossible\s+encore\b"
    r"|\b(?:demeur|rest)\w*\s+(?:impossible|inaccessible|injoignable|indisponible|perturbé|en\s+panne"
    r"|hors\s+service|coupé|paralysé)\w*|\bactuellement\b|\bpersist\w*"
    r"|\bne\s+(?:\w+\s+){0,2}pas\s+(?:de\s+)?(?:rétablir|redémarrer|relancer|réparer)"
    r"|\btoujours\s+(?:largement\s+|bien\s+)?présents?\b)",
    _FLAGS,
)


_PLAIN = (("\u2019", "'"), ("\u2018", "'"), ("\u02bc", "'"), ("\u00a0", " "), ("\u202f", " "),
          ("\u2009", " "), ("\u2011", "-"), ("\u2010", "-"))


class HasText(Protocol):
    """A spaCy Span or Doc (or anything with .text): accepted wherever a str is."""

    text: str


def as_text(value: str | HasText) -> str:
    """The string of a str or of a spaCy Span/Doc; offsets are then relative to it."""
    return value if isinstance(value, str) else value.text


def plain(text: str) -> str:
    """The text with typographic apostrophes and spaces made plain, same length (offsets hold)."""
    for fancy, simple in _PLAIN:
        if fancy in text:
            text = text.replace(fancy, simple)
    return text


# A web address or a dotted number, whose dots end no sentence ("exemple.gouv.fr", "0.800.400.070").
_DOTTED_RE = re.compile(
    r"(?:https?://|www\.)\S+?(?=[.,;:!?)»\"]*(?:\s|$))"
    r"|(?<![\w.])[\w-]+(?:\.[\w-]+)*\.(?:fr|com|org|net|eu|be|ch|ca|io|info|gouv|tv)\b"
    r"|(?<![\w.])\d+(?:\.\d+)+\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=8)
def without_inner_dots(text: str) -> str:
    """The text with the dots of web addresses and dotted numbers made "·", same length (offsets
    hold): what sentence splitting reads ("normale.Dans", a missing space, still ends a sentence)."""
    if "." not in text:
        return text
    return _DOTTED_RE.sub(lambda m: m.group(0).replace(".", "·"), text)


def folded(text: str) -> str:
    """The plain text in lowercase, same length (offsets hold): what `caseless` patterns read."""
    text = plain(text)
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def caseless(pattern: str) -> re.Pattern[str]:
    """A pattern written in lowercase, compiled to match `folded` text: without re.IGNORECASE
    Python's engine runs it several times faster."""
    literals = re.sub(r"\\.|\(\?P<\w+>|\{[^}]*\}", "", pattern)
    if any(c.isupper() for c in literals):
        raise ValueError(f"a caseless pattern must be written in lowercase: {pattern[:60]!r}")
    return re.compile(pattern, re.UNICODE)


_STATUS = [(status, caseless(regex.pattern)) for status, regex in
           (("still", STILL_CUE_RE), ("restored", RESTORED_CUE_RE), ("outage", OUTAGE_CUE_RE))]


def clause_status(text: str) -> str | None:
    """What a clause says about the service: "still" down, "restored", "outage", or None."""
    text = folded(text)
    for status, regex in _STATUS:
        if regex.search(text):
            return status
    return None


_CLAUSE_MARKS = ",;:«»\"“”()"


_CLAUSE_WORD_RE = re.compile(r"\s(?:et|puis|mais|avant\s+d[e'])\s", _FLAGS)


def clause_around(sentence: str, start: int, end: int) -> str:
    """The clause around a span: between punctuation or "et", "puis", "mais"."""
    left = max((sentence.rfind(c, 0, start) for c in _CLAUSE_MARKS), default=-1) + 1
    rights = [i for i in (sentence.find(c, end) for c in _CLAUSE_MARKS) if i != -1]
    right = min(rights) if rights else len(sentence)
    for word in _CLAUSE_WORD_RE.finditer(sentence, left, right):
        if word.end() <= start:
            left = word.end()
        elif word.start() >= end:
            right = word.start()
            break
    return sentence[left:right]
