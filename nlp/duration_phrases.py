"""Phrases that state how long an outage lasted, as hours ranges, the way French articles say it.

Journalists filter incidents by duration; articles state it as figures ("48 heures", "8 à 10
jours", "de 9 h à 14 h"), vague phrases ("plusieurs heures"), time already elapsed, time still
needed. This module finds those phrases and reads each one (`nlp.duration` combines them per
ANNOTATION.md). It never uses a date parser.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from pannes.nlp.clock import (
    CLOCK_PATTERN,
    find_times,
    is_clock_context,
    parse_clock,
    part_of_day_hours,
)
from pannes.nlp.dates import MONTH_PATTERN, WEEKDAY_PATTERN, date_spans, day_range_spans
from pannes.nlp.numbers import DIGITS_PATTERN, WORDS_PATTERN, parse_french_number
from pannes.nlp.status import (
    RESTORED_CUE_RE,
    STILL_CUE_RE,
    HasText,
    as_text,
    caseless,
    clause_around,
    clause_status,
    folded,
    without_inner_dots,
)

_F = re.IGNORECASE | re.UNICODE


@cache
def _rx(pattern: str) -> re.Pattern[str]:
    """A compiled case-insensitive pattern, kept (cheaper than re's cache with enum flags)."""
    return re.compile(pattern, _F)



@dataclass(frozen=True)
class DurationPhrase:
    """A phrase stating how long an outage lasted, lasts so far, or will still last."""

    text: str
    start_char: int
    end_char: int
    hours_min: float | None
    hours_max: float | None
    kind: str  # "total" | "elapsed" | "remaining" | "recovery" | "clock_range" | "vague"
    ongoing: bool | None
    precise: bool = True  # an explicit figure, not a vague phrase ("plusieurs heures")
    at_least: bool = False  # "plus de X": open upper bound, X..2X unless another phrase bounds it
    cued: bool = True  # a word says it is a length; a bare "une semaine" in a quote is not


# ----------------------------------------------------------------------------- lexicon

_UNIT_HOURS: dict[str, tuple[float, float]] = {
    "seconde": (1 / 3600, 1 / 3600), "minute": (1 / 60, 1 / 60), "min": (1 / 60, 1 / 60),
    "mn": (1 / 60, 1 / 60), "heure": (1, 1), "h": (1, 1), "jour": (24, 24),
    "journée": (24, 24), "semaine": (168, 168), "mois": (672, 744), "nuit": (6, 12),
}
_UNIT = r"(?:secondes?|minutes?|min|mn|heures?|h|jours?|journées?|semaines?|mois|nuits?)(?![a-zà-ÿ])"
_NUM = rf"(?<![\w-])(?:(?:{DIGITS_PATTERN})(?!\d)|{WORDS_PATTERN}(?![\w-]))"

#: Vague phrases → hours (ANNOTATION.md table, plus a few neighbours it implies).
VAGUE_PHRASES: list[tuple[str, tuple[float, float]]] = [
    (r"quelques\s+(?:petites\s+)?secondes", (0.0003, 0.017)),
    (r"quelques\s+(?:petites\s+)?minutes|quelques\s+instants", (0.03, 0.25)),
    (r"plusieurs\s+minutes|de\s+longues\s+minutes", (0.05, 0.5)),
    (r"une\s+demi[-\s]heure", (0.5, 0.5)),
    (r"quelques\s+heures", (2, 6)),
    (r"plusieurs\s+heures|de\s+(?:longues|nombreuses)\s+heures|des\s+heures", (2, 12)),
    (r"une\s+demi[-\s]journée", (4, 6)),
    (r"toute\s+la\s+journée|(?:une|la)\s+journée\s+(?:entière|complète)|une\s+journée", (8, 24)),
    (r"(?:une\s+(?:bonne\s+|grande\s+)?|la\s+majeure\s+|la\s+plus\s+grande\s+)partie\s+de\s+la\s+journée",
     (4, 16)),
    (r"(?:une\s+(?:bonne|grande)|la\s+majeure|la\s+plus\s+grande)\s+partie\s+de\s+la\s+"
     r"(?:matinée|soirée|nuit|après-midi)|une\s+(?:bonne|grande)\s+partie\s+de\s+l'après-midi", (2, 6)),
    (r"toute\s+la\s+nuit|une\s+nuit\s+entière", (6, 12)),
    (r"toute\s+la\s+matinée|toute\s+la\s+soirée|tou(?:te|t)\s+l'après-midi", (3, 6)),
    (r"tout\s+le\s+week-?end", (48, 64)),
    (r"quelques\s+jours", (48, 120)),
    (r"plusieurs\s+jours|des\s+jours", (48, 240)),
    (r"toute\s+la\s+semaine", (120, 168)),
    (r"quelques\s+semaines", (336, 840)),
    (r"plusieurs\s+semaines|des\s+semaines", (336, 1008)),
    (r"quelques\s+mois|plusieurs\s+mois|des\s+mois", (1344, 4320)),
]
_VAGUE_RE = caseless(
    r"(?<![\w-])(?:" + "|".join(f"(?P<v{i}>{p})" for i, (p, _) in enumerate(VAGUE_PHRASES)) + r")\b")

_MOD = (
    r"(?P<mod>un\s+peu\s+plus\s+d[e']|bien\s+plus\s+d[e']|plus\s+d[e']|au\s+moins|au\s+minimum"
    r"|pas\s+moins\s+d[e']|un\s+peu\s+moins\s+d[e']|moins\s+d[e']|pas\s+plus\s+d[e']"
    r"|près\s+d[e']|presque|quasiment|pas\s+loin\s+d[e']|environ|approximativement|à\s+peine"
    r"|bientôt|jusqu'à|au\s+maximum|au\s+plus|quelque)\s*"
)
# Modifiers that come before a time of day as well as before a length ("environ 11h30")
_APPROX_MOD_RE = re.compile(r"(?:environ|approximativement|au\s+moins|près\s+d|presque|quasiment|pas\s+loin)", _F)
_QTY_RE = caseless(
    rf"(?<![\w-])(?:{_MOD})?(?P<n1>{_NUM})(?:\s*(?:à|-|–|ou)\s*(?P<n2>{_NUM}))?"
    rf"(?P<next>\s+prochaine?s)?(?:\s+(?:de|d')\s*|\s*)(?P<unit>{_UNIT})"
    r"(?:\s*(?P<mins>[0-5]\d)(?:\s*(?:min|minutes?))?(?!\s*(?:h|\d|:\d))"
    r"|\s+et\s+(?P<mins2>[0-5]?\d)\s*(?:min|minutes?)\b)?"
    r"(?:\s+et\s+(?P<half>demie?|quart))?"
    r"(?P<post>\s+(?:au\s+maximum|maximum|au\s+plus|tout\s+au\s+plus|au\s+minimum|minimum"
    r"|au\s+moins|environ|à\s+peine))?")
_BETWEEN_RE = caseless(
    rf"\bentre\s+(?P<n1>{_NUM})\s+et\s+(?P<n2>{_NUM})\s+(?P<unit>{_UNIT})")
_ONE_RE = caseless(
    r"\b(?:une?)\s+(?P<adj>bonne|bon|petite|petit|longue|long)\s+"
    r"(?P<unit>heure|journée|semaine|jour|minute|nuit|mois)\b")
_ENDPOINT = rf"(?:{CLOCK_PATTERN}|(?:la\s+|l')?(?:(?:début|milieu|fin)\s+(?:de\s+|d')(?:la\s+|l')?)?(?:matinée|matin|après-midi|soirée|soir|journée|nuit))"
_RANGE_RE = caseless(
    rf"(?:\bde\s+|\bdu\s+|\bentre\s+|\bdepuis\s+)(?:environ\s+|vers\s+)?(?P<a>{_ENDPOINT})\s+"
    rf"(?:à|au|et|jusqu'(?:à|au|en)|jusque\s+dans)\s+(?P<b>{_ENDPOINT})")
# A day range whose ends have times of day ("du 3 au 5 mars à 14 h"): the clock time line reads it.
_DAY_RANGE_TIMED_RE = caseless(
    r"\s*,?\s*(?:à\s+|vers\s+)?(?:\d{1,2}\s?h|midi|minuit|au\s+(?:soir|matin)|(?:en\s+)?(?:début|fin)\s+d"
    r"|soir|matin|après-midi|dans\s+la\s+(?:soirée|matinée|nuit|journée))")
# A service's opening hours ("le numéro vert est ouvert de 9 h à 18 h"): no outage length.
OPENING_HOURS_RE = re.compile(r"\b(?:ouverte?s?|joignables?|horaires?|permanence|guichets?)\b", _F)

# The days of a statement, not of the failure: "les opérateurs ont reconnu entre le 1er et le 2
# septembre avoir été confrontés à un incident".
_STATEMENT_BEFORE = re.compile(
    r"\b(?:a|ont|avait|avaient)\s+(?:expliqué|annoncé|indiqué|précisé|déclaré|assuré|affirmé|reconnu"
    r"|communiqué|admis|détaillé|révélé)\s*$", _F)

# Nouns that make "trois jours de X" the length of the outage itself.
_OUTAGE_NOUNS = (
    r"(?:panne|coupure|black-?out|paralysie|interruption|perturbation|dysfonctionnement|indisponibilité"
    r"|galère|chaos|crise|bug|blocage|arrêt|privation|silence\s+radio|écran\s+noir|incident|cauchemar"
    r"|désordre|pagaille|difficultés|service\s+dégradé|black-?out|fermeture|inaccessibilité)s?"
)
# After "trois jours de", what keeps the figure a length: the outage itself ("de panne"), an article
# or a date starting the next phrase ("toute la matinée de samedi", "pendant des heures des clients").
_NOT_A_COMPLEMENT = (
    rf"{_OUTAGE_NOUNS}\b|plus\b|suite\b|affilée|rang\b|s\s|la\s|l'|leurs?\s|ses\s|ces?\s|cette\s"
    rf"|nombreu|plusieurs\s|certain|{WEEKDAY_PATTERN}|{MONTH_PATTERN}"
)
# Words around a figure that make it something other than the outage's length.
_EXCLUDE_AFTER = re.compile(
    rf"^(?:\s*,\s*(?:et\s+)?{_NUM}\s*{_UNIT})*(?:"
    rf"\s*(?:de|d')\s*(?!{_NOT_A_COMPLEMENT})[a-zà-ÿ]"  # "un mois d'abonnement", not ", des clients"
    r"|\s*,?\s*(?:sur|/)\s*(?:\d|sept\b|vingt)"
    r"|\s*,?\s*(?:(?:par|chaque)\s+(?:jour|semaine|mois|an|année|nuit)\b|chrono|à\s+l'avance|d'âge|noire|historique"
    r"|(?:dernière|dernier|prochaine|prochain|suivante|suivant|précédente|précédent)s?\b|à\s+venir"
    r"|précédant|suivant|ayant\s+précédé|qui\s+(?:ont\s+)?précéd))",
    _F,
)
_EXCLUDE_BEFORE = re.compile(
    r"(?:(?:durée|temps)\s+(?:de\s+)?lecture\s*:?|lecture\s*:|toutes\s+les|tous\s+les|chaque|âgée?s?\s+de"
    r"|\bdans|(?:un|le|du)\s+délai\s+(?:de|d')|période\s+d'essai\s+de|garantie\s+de"
    r"|au\s+fil(?:\s+(?:des|du))?|plus\s+(?:haut|bas)\s+d[e']"
    r"|(?:dernière|dernier|prochaine|prochain|première|premier)s?|à\s+partir\s+d[e']|au-delà\s+d[e']"
    r"|seuil\s+d[e']|retard(?:ée?s?)?\s+d[e']"
    r"|\bpour\s*[\"«“]?"  # "fermées par mesure de sécurité pour 24 heures": a measure decided, not a length
    # "le délai d'obtention d'une carte grise dépasse un mois": a processing time
    r"|\bdélais?\s+(?:d[e']|pour)[^,.;:]{0,40}?\s(?:dépass\w*|excèd\w*|atteint|atteignent"
    r"|(?:est|était|sont|étaient|passe|passent)\s+(?:de|d'|à))"
    r"|(?:validité|chantier|contrat|préavis|amende|garantie|abonnement|engagement"
    r"|travaux|essai)\b.{0,25})\s*$",
    _F,
)
_OFFSET_AFTER = re.compile(r"^\s*(?:plus\s+tard|après|auparavant|plus\s+tôt|avant(?!\s+d[e'])|en\s+avance)\b", _F)
_PURPOSE_AFTER = re.compile(
    r"^(?:\s+(?:aux?|à)\s+[\w'-]+(?:\s+[\w'-]+)?)?"  # "trois heures aux techniciens pour …"
    r"\s*(?:pour|à|afin\s+de|avant\s+de|avant\s+d')\s*(?:(?:l'|le|la|les|se|s'|en|y|être|d'être)\s*)*"
    r"(?:totalement\s+|complètement\s+|entièrement\s+)?(?P<verb>[a-zà-ÿ]+)",
    _F,
)
_RESTORE_VERB = re.compile(
    r"^(?:rétabl|répar|résoudre|résolu|reven|retrouv|restaur|relanc|redémarr|corrig|remettre|remis"
    r"|récupér|reconnect|rebranch|fonctionn|reprendre|réglé|régler)",
    _F,
)
# What makes a "remaining" figure about the outage (not "un rapport sous quinze jours").
_SERVICE_CONTEXT = re.compile(
    r"\b(?:rétabl\w*|restaur\w*|répar\w*|résoudre|résolu\w*|retour|reven\w*|retrouv\w*|reprise|reprendre"
    r"|fonctionn\w*|utilis\w*|accéder|accès|récupér\w*|remise?\s+en\s+(?:service|route)|normale|réglé\w*"
    r"|pourr\w*\s+pas|ne\s+\w+\s+pas|impossible\w*|incapacité|perturbation\w*|durer|relancer|redémarr\w*)",
    _F,
)

_NOT_OUTAGE_SINCE = re.compile(
    r"(?:programmée?s?|prévue?s?|planifiée?s?|annoncée?s?|installée?s?|en\s+poste|en\s+service"
    r"|ouverte?s?|disponibles?|attendue?s?|lancée?s?|rétablie?s?|revenue?s?)\s+depuis\s*$",
    _F,
)
_ELAPSED_BEFORE = re.compile(
    r"(?:\bdepuis|\bvoilà|\bvoici|cela\s+fait|ça\s+fait|il\s+y\s+a)\s+"
    r"(?:maintenant\s+|déjà\s+|désormais\s+|seulement\s+)?[\"«“]?\s*$",
    _F,
)
_REMAINING_BEFORE = re.compile(
    r"(?:\bavant|d'ici(?:\s+à)?|\bsous|dans\s+un\s+délai\s+d[e']|dans\s+les|\bque\s+dans|au\s+cours\s+des"
    r"|(?:pendant|durant)\s+encore|\bencore|(?:faudra|faudrait|prendra|nécessitera|devrait\s+durer"
    r"|devrait\s+prendre|devraient\s+durer)(?:\s+\w+){0,3}?)\s*(?:prochaines?\s+)?[\"«“]?\s*$",
    _F,
)
_TOTAL_BEFORE = re.compile(
    r"(?:\bpendant|\bdurant|\bpdt|\ben|\bdur[ée]\w*|a\s+fallu|avait\s+fallu|aura\s+fallu|au\s+bout\s+d[e']"
    r"|(?:estimée?|évaluée?|chiffrée?|fixée?)s?\s+à|(?:panne|coupure|interruption|incident|perturbations?"
    r"|indisponibilité|black-?out|paralysie|arrêt|privés?|privées?)\s+(?:de\s+|d')?|\bmis|\bpris)"
    r"\s*[\"«“]?\s*$",
    _F,
)
_TOTAL_AFTER = re.compile(
    rf"^\s*(?:(?:de|d')\s*{_OUTAGE_NOUNS}|en\s+tout|au\s+total|d'affilée|de\s+suite|consécuti\w+|durant"
    r"|entiers?|entières?|sans\s+(?!doute|compter|interruption|arrêt|discontinuer|relâche|cesse)[a-zà-ÿ])",
    _F,
)
_FROM_NOW_BEFORE = re.compile(
    r"(?:\bencore|d'ici(?:\s+à)?|\bque\s+dans|(?:dans|au\s+cours)\s+(?:les|des)\s+(?:prochaine?s\s+)?)\s*[\"«“]?\s*$",
    _F)
_REMAINING_AFTER = re.compile(r"^\s*(?:supplémentaires?|de\s+plus)\b", _F)
# A length after the service came back ("résolus pendant environ une heure, avant de nouvelles
# pannes"): how long it stayed up, not how long it was down.
_RESPITE_BEFORE = re.compile(rf"(?:{RESTORED_CUE_RE.pattern})\s+(?:pendant|durant)\s*$", _F)
_FULL_RECOVERY = re.compile(
    r"\b(?:totalement|complètement|entièrement|pleinement|intégralement|définitivement)\b"
    r"|à\s+100\s*%|comme\s+avant|retour\s+complet",
    _F,
)


# ----------------------------------------------------------------------------- phrases


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    text = without_inner_dots(text)  # "exemple.gouv.fr" ends no sentence
    left = max(text.rfind(c, 0, start) for c in ".!?\n") + 1
    rights = [i for i in (text.find(c, end) for c in ".!?\n") if i != -1]
    return left, min(rights) if rights else len(text)


def _unit_key(unit: str) -> str:
    unit = unit.lower()
    if unit != "mois":
        unit = unit.rstrip("s")
    unit = {"h": "heure"}.get(unit, unit)
    return unit if unit in _UNIT_HOURS else "heure"


def _scale(n: float, unit: str) -> tuple[float, float]:
    key = _unit_key(unit)
    low, high = _UNIT_HOURS[key]
    if key == "journée":
        return (n - 1) * 24 + 8, n * 24
    return n * low, n * high


def _apply_mod(low: float, high: float, mod: str) -> tuple[float, float, bool]:
    """Hours range after a modifier ("plus de", "près de", "moins de"); third item: open-ended."""
    mod = re.sub(r"\s+", " ", mod.lower().replace("d'", "de").strip())
    if mod in ("plus de", "au moins", "au minimum", "minimum", "pas moins de", "bien plus de"):
        return low, 2 * high, True
    if mod == "un peu plus de":
        return low, 1.5 * high, False
    if mod in ("moins de", "un peu moins de", "pas plus de", "jusqu'à", "au maximum", "maximum",
               "au plus", "tout au plus", "sous"):
        return 0.0, high, False
    if mod in ("près de", "presque", "quasiment", "pas loin de", "bientôt", "à peine"):
        return round(low * 5 / 6, 2), high, False
    if mod in ("environ", "approximativement", "quelque"):
        return round(low * 0.8, 2), round(high * 1.2, 2), False
    return low, high, False


def _context(text: str, start: int, end: int) -> tuple[str, str, str]:
    left, right = _sentence_bounds(text, start, end)
    return text[max(left, start - 60): start], text[end: min(right, end + 80)], text[left:right]


def _classify(text: str, start: int, end: int, precise: bool) -> tuple[str, bool | None, bool] | None:
    """(kind, ongoing, cued) of a figure from its surroundings; None when it is no outage length.

    `cued`: a word around the figure says it is a length ("pendant", "de panne", "depuis");
    a bare figure ("une semaine" in a quote) counts only when nothing better is stated.
    """
    before, after, sentence = _context(text, start, end)
    if _EXCLUDE_AFTER.match(after) or _EXCLUDE_BEFORE.search(before):
        if not _FROM_NOW_BEFORE.search(before):  # "dans les prochaines 24 heures"
            return None
    status = clause_status(sentence)
    ongoing = True if status == "still" else False if status == "restored" else None
    if _rx(r"il\s+y\s+a\s*$").search(before) and not _rx(r"\s*(?:maintenant\s+)?qu").match(after):
        return None  # "il y a trois ans": a date, not a duration
    purpose = _PURPOSE_AFTER.match(after)
    if purpose and not _rx(r"\s*(?:pour|à)\s+(?:les|des|la|le|l'|ses|leurs|tous|toutes)\s").match(after):
        verb = purpose.group("verb")
        if _rx(r"(?:er|ir|re|oir)$").search(verb) and not _RESTORE_VERB.match(verb):
            return None  # "une heure pour repérer la panne": time taken by something else
    if _rx(r"au\s+bout\s+d[e']\s*$").search(before) and not (
            RESTORED_CUE_RE.search(sentence) or STILL_CUE_RE.search(sentence)):
        return None  # "se bloque au bout de quelques secondes": when the failure came, not its length
    if _RESPITE_BEFORE.search(before):
        return None  # "résolus pendant environ une heure" before failing again: a respite
    if _rx(r"^\s*(?:après|depuis)\s+(?:le\s+début|le\s+déclenchement|l'apparition)").match(after):
        return "elapsed", ongoing if ongoing is not None else True, True
    if _rx(r"^\s*après\s+(?:l'attaque|la\s+cyberattaque|la\s+panne|l'incident|la\s+coupure"
           r"|le\s+piratage)\b").match(after):
        # "dix jours après la panne": time elapsed since it began, when no length is stated
        return "elapsed", ongoing if ongoing is not None else True, False
    if _ELAPSED_BEFORE.search(before):
        local = clause_status(clause_around(before + text[start:end] + after, len(before), len(before) + end - start))
        if (local or status) not in ("outage", "still") or _NOT_OUTAGE_SINCE.search(before):
            return None  # "rétabli depuis trois jours", "une révision programmée depuis une semaine"
        return "elapsed", True, True
    if _REMAINING_BEFORE.search(before) or _REMAINING_AFTER.match(after):
        if not _SERVICE_CONTEXT.search(sentence):
            return None  # "un rapport sous quinze jours"
        right = _sentence_bounds(text, start, end)[1]
        if right < len(text) and text[right] == "?":
            return None  # "retour à la normale d'ici un mois ?": a prognosis asked, not stated
        # "encore", "supplémentaires", "d'ici", "dans les … prochains": counted from now, on top of
        # the time already elapsed, whatever the sentence promises
        more = _FROM_NOW_BEFORE.search(before) or _REMAINING_AFTER.match(after)
        recovers = not more and (_FULL_RECOVERY.search(sentence) or RESTORED_CUE_RE.search(sentence))
        return ("recovery" if recovers else "remaining"), True, True
    if offset := _OFFSET_AFTER.match(after):
        clause = clause_around(before + text[start:end] + after, len(before), len(before) + end - start)
        if _rx(r"\s*avant\s+(?:l'|les?\s|la\s|son\s|sa\s|ses\s|leurs?\s|chaque\s|une?\s)").match(after):
            # "relancés cinq jours avant l'échéance": an offset, unless what comes after is the
            # recovery ("trois heures avant le rétablissement")
            clause = after[offset.end():]
        elif _rx(r"\s*,").match(after, offset.end()):
            # "quelques heures après, la situation s'est stabilisée": the clause it opens says what came
            clause += after[offset.end():]
        if not RESTORED_CUE_RE.search(clause):
            return None  # "dix jours après": an offset between two events
        return "total", ongoing, True
    if _FULL_RECOVERY.search(sentence) and _rx(r"(?:faudra|compter|prendra)\W*$").search(before):
        return "recovery", True, True
    if _rx(r"\ben\s*$").search(before) and not RESTORED_CUE_RE.search(sentence):
        return None  # "3 000 signalements en 24 heures": a window, not a length
    cued = bool(_TOTAL_BEFORE.search(before) or _TOTAL_AFTER.match(after))
    return ("total" if precise else "vague"), ongoing, cued


def _is_clock(text: str, m: re.Match[str]) -> bool:
    """Whether an "N h" / "N heures" figure is a time of day ("à 6 heures", "9h40")."""
    if _unit_key(m.group("unit")) != "heure" or m.group("n2"):
        return False
    raw = m.group("n1")
    value = parse_french_number(raw)
    if value is None or value > 24 or value != int(value):
        return False
    if m.group("mod"):  # "jusqu'à 10 heures" is a time; "plus de 10 heures" a length
        mod = m.group("mod").lower()
        if mod.startswith("jusqu"):
            return True
        if not _APPROX_MOD_RE.match(mod):
            return False
        # "vers environ 10 h", "à environ 12 h 30", "il est environ 11h30": a time; "pendant
        # environ 2 h 30", "environ deux heures": a length
        lead = text[max(0, m.start() - 30): m.start()]
        if _rx(r"(?:\bà|\bvers|\bentre|\bdès|jusqu'à|\bil\s+est)\s*$").search(lead):
            return True
        if _rx(r"(?:\bpendant|\bdurant|\ben|\bde|\bd')\s*$").search(lead):
            return False
        return raw.isdigit() and bool(m.group("mins")) and value >= 6 and m.group("unit").lower() == "h"
    before = text[max(0, m.start() - 40): m.start()]
    after = text[m.end(): m.end() + 30]
    if _rx(r"\s*(?:du\s+matin|du\s+soir|de\s+l'après-midi|de\s+la\s+nuit)").match(after):
        return True
    if not raw.isdigit():  # "à trois heures" is a time, "pendant trois heures" a length
        return bool(_rx(r"(?:\bà|\bvers|\bdès|jusqu'à|alentours\s+de|autour\s+de|peu\s+après"
                        r"|peu\s+avant)\s*$").search(before))
    if _TOTAL_AFTER.match(after) or _TOTAL_BEFORE.search(before) or (
        _ELAPSED_BEFORE.search(before) and not _rx(r"depuis\s*$").search(before)
    ):
        return False
    if _rx(r"\s*(?:du\s+matin|du\s+soir|de\s+l'après-midi|de\s+la\s+nuit)").match(after):
        return True
    if _rx(r"depuis\s*$").search(before):  # "depuis 24 heures" is a length, "depuis 13 heures" a time
        return 6 <= int(raw) < 24 or bool(m.group("mins"))
    if m.group("mins") and not m.group("mins2"):
        return True
    return is_clock_context(text, m.start())


# What follows "une seconde" when it is the ordinal ("une seconde panne"), not a second: a word
# that is no preposition, conjunction or adverb ("une seconde de panne", "une seconde et demie").
_ORDINAL_AFTER = re.compile(
    r"\s+(?!(?:de|d|du|des|et|ou|à|au|aux|pour|par|sur|dans|en|avant|après|puis|pendant|durant"
    r"|seulement|environ|plus|près|tout|top|chrono|ni|mais|à\s+peine|a|ont|est|sont)\b)[a-zà-ÿ]", _F)


# The words kept in a phrase's text, so it reads as in the article ("depuis bientôt une semaine").
_LEAD_RE = re.compile(
    r"(?<![\w'])(?:depuis|pendant|durant|avant|d'ici|sous|encore|voilà|voici|au\s+bout\s+d[e']|après"
    r"|cela\s+fait|ça\s+fait)\s+(?:maintenant\s+|déjà\s+|désormais\s+)?$",
    _F,
)
_TAIL_RE = re.compile(r"\s+(?:en\s+tout|au\s+total|maximum|au\s+maximum)\b", _F)


def find_duration_phrases(text: str | HasText) -> list[DurationPhrase]:
    """Every phrase of a text that states a length of outage, with its hours and kind."""
    original = as_text(text)
    text = folded(original)  # the phrase patterns are caseless
    found: list[DurationPhrase] = []
    spans: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in spans)

    def add(start: int, end: int, low: float, high: float, kind: str, ongoing: bool | None,
            precise: bool = True, at_least: bool = False, cued: bool = True) -> None:
        spans.append((start, end))
        lead = _LEAD_RE.search(text, max(0, start - 30), start)
        tail = _TAIL_RE.match(text, end)
        start, end = (lead.start() if lead else start), (tail.end() if tail else end)
        found.append(DurationPhrase(original[start:end], start, end, round(low, 2), round(high, 2),
                                    kind, ongoing, precise, at_least, cued))

    for m in _RANGE_RE.finditer(text):
        hours = _range_hours(m.group("a"), m.group("b"))
        _, _, sentence = _context(text, m.start(), m.end())
        if hours is None or OPENING_HOURS_RE.search(sentence):
            continue
        status = clause_status(sentence)
        add(m.start(), m.end(), *hours, "clock_range", True if status == "still" else False)
    for start, end, days, first, last in day_range_spans(text):
        if free(start, end) and not _rx(r"nuit\s*[\[(]?\s*$").search(text, max(0, start - 10), start) \
                and not (last is None and _DAY_RANGE_TIMED_RE.match(text, end)):
            _, _, sentence = _context(text, start, end)
            kind = _classify(text, start, end, True)
            if kind and clause_status(sentence) and not OPENING_HOURS_RE.search(sentence) \
                    and not _STATEMENT_BEFORE.search(text, max(0, start - 40), start):
                # "du 3 au 5 mars" → 48 to 72 h, as one counts days; parts of the day narrow it
                low, high = days * 24.0, (days + 1) * 24.0
                if first or last:
                    a = part_of_day_hours(first) if first else (0.0, 24.0)
                    b = part_of_day_hours(last) if last else (0.0, 24.0)
                    low, high = max(0.0, days * 24 + b[0] - a[1]), days * 24 + b[1] - a[0]
                add(start, end, low, high, kind[0], kind[1], precise=first is None and last is None)
    for m in _BETWEEN_RE.finditer(text):
        if free(m.start(), m.end()):
            _add_quantity(text, m, add)
    for m in _QTY_RE.finditer(text):
        if free(m.start(), m.end()) and not _is_clock(text, m):
            _add_quantity(text, m, add)
    for m in _ONE_RE.finditer(text):
        if free(m.start(), m.end()):
            low, high = _scale(1, m.group("unit"))
            adj = m.group("adj").lower()
            low, high = (low, high * 1.5) if adj.startswith(("bon", "long")) else (low * 0.75, high)
            kind = _classify(text, m.start(), m.end(), True)
            if kind:
                add(m.start(), m.end(), low, high, kind[0], kind[1], cued=kind[2])
    for m in _VAGUE_RE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        index = next(i for i, value in enumerate(m.groups()) if value is not None)
        low, high = VAGUE_PHRASES[index][1]
        kind = _classify(text, m.start(), m.end(), False)
        if kind:
            add(m.start(), m.end(), low, high, kind[0], kind[1], precise=False,
                at_least=kind[0] == "elapsed" and bool(kind[1]), cued=kind[2])
    for phrase in _since_phrases(text):
        if free(phrase.start_char, phrase.end_char):
            spans.append((phrase.start_char, phrase.end_char))
            found.append(DurationPhrase(original[phrase.start_char:phrase.end_char],
                                        *list(phrase.__dict__.values())[1:]))
    return sorted(found, key=lambda p: p.start_char)


def _add_quantity(text: str, m: re.Match[str], add: Callable[..., None]) -> None:
    """Read a figure ("8 à 10 jours", "1 h 30", "plus de deux semaines") and add it if it is one."""
    n1 = parse_french_number(m.group("n1"))
    n2 = parse_french_number(m.group("n2")) if m.group("n2") else None
    if n1 is None or (m.group("n2") and n2 is None):
        return
    unit = m.group("unit")
    if unit.lower() == "seconde" and n2 is None and _ORDINAL_AFTER.match(text, m.end()):
        return  # "une seconde source", "une seconde panne": the ordinal, not a length
    extra = 0.0
    groups = m.groupdict()
    if groups.get("mins") or groups.get("mins2"):
        extra += int(groups.get("mins") or groups["mins2"]) / 60
    if groups.get("half"):
        extra += _scale(0.5 if groups["half"].lower().startswith("demi") else 0.25, unit)[1]
    low, high = _scale(n1, unit)
    if n2 is not None:
        if n2 < n1:
            return
        high = _scale(n2, unit)[1]
    low, high = low + extra, high + extra
    if high <= 0:
        return
    before = text[max(0, m.start() - 12): m.start()]
    mod = groups.get("mod") or groups.get("post") or ("sous" if _rx(r"\bsous\s*$").search(before) else "")
    low, high, at_least = _apply_mod(low, high, mod)
    # "une nuit", "une journée" are as vague as "toute la nuit" (ANNOTATION's table)
    precise = _unit_key(unit) != "nuit" and not (_unit_key(unit) == "journée" and n1 == 1 and n2 is None)
    kind = _classify(text, m.start(), m.end(), precise)
    if not kind or (groups.get("next") and kind[0] not in ("remaining", "recovery")):
        return  # "les 24 prochaines heures" are a window unless they say when it comes back
    if kind[0] == "elapsed" and kind[1]:
        at_least = True
    add(m.start(), m.end(), low, high, kind[0], kind[1], precise, at_least, kind[2] or bool(mod))


def _range_hours(a: str, b: str) -> tuple[float, float] | None:
    first, second = _endpoint(a, midnight=0.0), _endpoint(b, midnight=24.0)
    if first is None or second is None:
        return None
    if second[0] <= first[0]:
        second = (second[0] + 24, second[1] + 24)
    low, high = max(0.0, second[0] - first[1]), second[1] - first[0]
    if high <= 0 or high > 36:
        return None
    return low, high


def _endpoint(text: str, *, midnight: float) -> tuple[float, float] | None:
    hour = parse_clock(text, midnight=midnight)
    if hour is not None and _rx(r"\d|midi|minuit").search(text):
        return hour, hour
    part = re.sub(r"^(?:la\s+|l')", "", text.strip(), flags=re.I)
    if _rx(r"matin|après-midi|soir|journée|nuit").search(part):
        return part_of_day_hours(part)
    return None


def _since_phrases(text: str) -> list[DurationPhrase]:
    """ "depuis dimanche midi", "depuis le week-end dernier": ongoing, length unknown."""
    phrases = []
    marks = date_spans(text)
    marks += [(t.start_char, t.end_char) for t in find_times(text)]
    for start, end in marks:
        if _rx(r"depuis\s").match(text[start:end]):
            begin = start
        else:
            window = text[max(0, start - 16): start]
            lead = _rx(r"\bdepuis\s+(?:le\s+|la\s+|l'|ce\s+|cette\s+)?$").search(window)
            if not lead:
                continue
            begin = start - (len(window) - lead.start())
        tail = re.match(r"(?:\s+(?:à\s+)?(?:midi|minuit|\d{1,2}\s?h(?:\s?\d{2})?|au\s+soir|au\s+matin"
                        r"|dans\s+la\s+soirée|dans\s+la\s+matinée))?", text[end:], re.I)
        end += tail.end() if tail else 0
        _, _, sentence = _context(text, begin, end)
        if clause_status(sentence) == "restored":
            continue
        phrases.append(DurationPhrase(text[begin:end], begin, end, None, None, "elapsed", True, False))
    return phrases
