"""Times of day in French text: clock readings ("9h40", "à 20 h 30", "minuit") and parts of the
day introduced as times ("dans la soirée", "lundi matin"), as hour ranges."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pannes.nlp.dates import MONTH_PATTERN, WEEKDAY_PATTERN
from pannes.nlp.status import caseless, folded, plain

_FLAGS = re.IGNORECASE | re.UNICODE
_WD = WEEKDAY_PATTERN
_MONTH = MONTH_PATTERN


@cache
def _rx(pattern: str) -> re.Pattern[str]:
    """A compiled case-insensitive pattern, kept (cheaper than re's cache with enum flags)."""
    return re.compile(pattern, _FLAGS)


#: Parts of the day as hour ranges of the day they belong to ("nuit": 22 h the day before to 6 h).
PARTS_OF_DAY: dict[str, tuple[float, float]] = {
    "matin": (6, 12), "matinée": (6, 12), "début de matinée": (6, 9), "milieu de matinée": (9, 11),
    "fin de matinée": (10, 12), "mi-journée": (11, 14), "après-midi": (12, 18),
    "début d'après-midi": (12, 15), "milieu d'après-midi": (14, 16), "fin d'après-midi": (16, 18),
    "soir": (18, 24), "soirée": (18, 24), "début de soirée": (18, 21),
    "milieu de soirée": (20, 22), "fin de soirée": (21, 24), "nuit": (-2, 6),
    "début de nuit": (21, 24), "fin de nuit": (3, 6), "début de journée": (6, 10),
    "fin de journée": (17, 20), "milieu de journée": (11, 14), "petit matin": (4, 7), "aube": (5, 7),
}
_PART_WORD = r"(?:matinée|matin|après-midi|soirée|soir|nuit|mi-journée|aube)"
_PART = (
    rf"(?:(?:début|milieu|fin)\s+(?:de\s+|d')(?:la\s+|l')?(?:{_PART_WORD}|journée)"
    rf"|petit\s+matin|{_PART_WORD})"
)
_CLOCK = (
    r"(?:(?<![\d,.])(?:[01]?\d|2[0-4])\s?(?:h|heures?|:)(?:\s?[0-5]\d)?(?![\w:])"
    r"(?:\s+(?:du\s+matin|du\s+soir|de\s+l'après-midi|de\s+la\s+nuit))?"
    r"|(?<![\w-])(?:midi|minuit)(?:\s+(?:et\s+demie?|passée?|trente))?\b)"
)
#: A clock time, preceded by what says it is one ("à 9 h 40", "vers 19h00", "jusqu'à minuit").
CLOCK_PATTERN = _CLOCK
CLOCK_RE = caseless(_CLOCK)
# A part of the day, only when introduced as a time ("dans la soirée", "lundi après-midi").
_PART_LEAD = (
    rf"(?:dans\s+(?:la|l')\s*|pendant\s+(?:la|l')\s*|durant\s+(?:la|l')\s*|au\s+cours\s+de\s+(?:la|l')\s*"
    rf"|cette\s+|ce\s+|cet\s+|hier\s+|avant-hier\s+|{_WD}\s+|le\s+lendemain\s+|lendemain\s+|en\s+|au\s+"
    rf"|jusqu'(?:à|au|en)\s+(?:la\s+|l')?|depuis\s+(?:la\s+|l')?|à\s+partir\s+de\s+(?:la\s+|l')?"
    rf"|dès\s+(?:la\s+|l'|le\s+)?)"
)
PART_RE = caseless(rf"(?<![\w-])(?P<lead>{_PART_LEAD})(?P<part>{_PART})\b")


@dataclass(frozen=True)
class TimeOfDay:
    """A time of the day in a text, as an hour range (precise for a clock reading)."""

    text: str
    start_char: int
    end_char: int
    hour_min: float
    hour_max: float
    precise: bool
    next_day: bool = False  # "le lendemain matin"


def parse_clock(text: str, *, midnight: float = 0.0) -> float | None:
    """Hours after midnight of a clock reading: "9h40" → 9.67, "20 h 30" → 20.5, "midi" → 12."""
    norm = text.lower().strip()
    if norm.startswith("midi") or norm.startswith("minuit"):
        base = 12.0 if norm.startswith("midi") else midnight
        if "demi" in norm or "trente" in norm:
            base += 0.5
        return base
    match = re.match(r"(\d{1,2})\s?(?:h|heures?|:)\s?(\d{2})?", norm)
    if not match:
        return None
    hour = float(match.group(1))
    minutes = float(match.group(2) or 0)
    if hour > 24 or minutes >= 60:
        return None
    if ("du soir" in norm or "après-midi" in norm) and hour < 12:
        hour += 12
    return hour + minutes / 60


def part_of_day_hours(part: str) -> tuple[float, float]:
    key = re.sub(r"\s+", " ", part.lower()).replace("d' ", "d'")
    key = re.sub(r"\b(de|d')\s*(?:la |l')", r"\1 ", key).replace("d' ", "d'")
    return PARTS_OF_DAY.get(key, PARTS_OF_DAY.get(key.split()[-1], (0, 24)))


def find_times(text: str, *, midnight: float = 24.0) -> list[TimeOfDay]:
    """Clock readings and introduced parts of the day in a text, in order.

    `midnight` is the hour "minuit" stands for: 24 (the end of the named day) for an event,
    0 at the start of a "de minuit à 9h40" range.
    """
    shown, text = plain(text), folded(text)  # the patterns are caseless; the texts keep capitals
    found: list[TimeOfDay] = []
    taken: list[tuple[int, int]] = []
    for match in CLOCK_RE.finditer(text):
        raw = shown[match.start():match.end()]
        if _rx(r"\d{1,2}\s?heures?").fullmatch(raw) and not is_clock_context(text, match.start()):
            continue  # "pendant 2 heures" is a duration, not a time
        hour = parse_clock(raw, midnight=midnight)
        if hour is None:
            continue
        low, high = hour, hour
        before = text[max(0, match.start() - 12): match.start()].lower()
        if re.search(r"peu\s+après\s*$", before):
            high = hour + 0.5
        elif re.search(r"peu\s+avant\s*$", before):
            low = hour - 0.5
        if _rx(r"minuit\s+passé").match(raw):
            high = hour + 0.5
        nxt = _rx(r"\s+le\s+lendemain(?:\s+(?:matin|soir|après-midi))?").match(text[match.end():])
        found.append(TimeOfDay(raw, match.start(), match.end(), low, high, True, bool(nxt)))
        taken.append((match.start(), match.end() + (nxt.end() if nxt else 0)))
    for match in PART_RE.finditer(text):
        start, end = match.start("part"), match.end("part")
        if any(s < end and start < e for s, e in taken):
            continue
        low, high = part_of_day_hours(match.group("part"))
        nxt = "lendemain" in match.group("lead").lower()
        found.append(TimeOfDay(shown[match.start():match.end()], match.start(), end, low, high, False, nxt))
    return sorted(found, key=lambda t: t.start_char)


def is_clock_context(text: str, pos: int) -> bool:
    """Whether "N heures" at pos is a time of day ("à 6 heures", "depuis 13 heures")."""
    before = text[max(0, pos - 30): pos].lower()
    after = text[pos: pos + 30].lower()
    if re.match(r"\d{1,2}\s?heures?\s+(?:du\s+matin|du\s+soir|de\s+l'après-midi|de\s+la\s+nuit)", after):
        return True
    if re.search(r"(?:depuis|dès)\s+(?:plus\s+de|près\s+de|bientôt|maintenant|déjà|au\s+moins)\s*$", before):
        return False
    return bool(re.search(
        r"(?:\bà|\bvers|\bdès|\bdepuis|jusqu'à|jusqu'aux?|\bavant|\baprès|\bentre|\bde|\bet"
        r"|alentours\s+de|autour\s+de|partir\s+de|\bdu"
        rf"|{_WD}|hier|aujourd'hui|lendemain|veille|matin|soir|{_MONTH}(?:\s+\d{{4}})?)\s*,?\s*$",
        before,
    ))
