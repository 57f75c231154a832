"""French numbers as the press writes them ("deux", "vingt-quatre", "une dizaine", "1,5", "50.000").

Durations, clock times and user counts all start from a number written in words or digits; this
module reads them and exposes the regular-expression fragment the other extractors embed.
"""

from __future__ import annotations

import re
import unicodedata

_UNITS: dict[str, int] = {
    "zéro": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60,
}
_SCALES: dict[str, int] = {"cent": 100, "cents": 100, "mille": 1000, "million": 10**6,
                           "millions": 10**6, "milliard": 10**9, "milliards": 10**9}
# "une dizaine" and friends: approximate round numbers.
_APPROX: dict[str, int] = {
    "dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
    "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100, "millier": 1000,
}
_FRACTIONS: dict[str, float] = {"demi": 0.5, "demie": 0.5, "quart": 0.25}

_WORDS = sorted(list(_UNITS) + list(_SCALES), key=len, reverse=True)
_WORD = "(?:" + "|".join(_WORDS) + ")"
_APPROX_WORD = "(?:" + "|".join(_APPROX) + ")"

#: A number in digits: "48", "1,5", "50.000", "1 000" (thin and no-break spaces too).
DIGITS_PATTERN = r"\d{1,3}(?:[.\u00a0\u202f ]\d{3})+(?![\d,])|\d+(?:[.,]\d+)?"
#: A number in words: "deux", "vingt-quatre", "soixante et onze", "une dizaine" (no leading "de").
WORDS_PATTERN = (
    rf"(?:une?\s+(?:bonne\s+|petite\s+)?{_APPROX_WORD}"
    rf"|{_WORD}(?:(?:-|\s+et\s+|\s+|-et-){_WORD})*)"
)
#: Either form; embed it with word boundaries and re.IGNORECASE.
NUMBER_PATTERN = rf"(?:{DIGITS_PATTERN}|{WORDS_PATTERN})"

_DIGITS_RE = re.compile(rf"^(?:{DIGITS_PATTERN})$")
_SPACES_RE = re.compile(r"[\s\u00a0\u202f]+")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower().strip()
    text = text.replace("\u2019", "'").replace("\u2011", "-").replace("\u2010", "-")
    return _SPACES_RE.sub(" ", text)


def _parse_digits(text: str) -> float | None:
    if not _DIGITS_RE.match(text):
        return None
    if re.fullmatch(r"\d{1,3}(?:[. ]\d{3})+", text):  # thousands separators
        return float(re.sub(r"[. ]", "", text))
    return float(text.replace(",", "."))


def _parse_words(text: str) -> float | None:
    tokens = [t for t in re.split(r"[\s-]+", text) if t and t != "et"]
    if not tokens:
        return None
    total = 0
    current = 0
    for token in tokens:
        if token in _UNITS:
            value = _UNITS[token]
            if value == 20 and current and current % 100 == 4:  # quatre-vingt(s)
                current = current - 4 + 80
            else:
                current += value
        elif token in _SCALES:
            scale = _SCALES[token]
            if scale == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * scale
                current = 0
        else:
            return None
    return float(total + current)


def parse_french_number(text: str) -> float | None:
    """Read a number written the French way, in digits or words; None when it is not one.

    "deux" → 2, "vingt-quatre" → 24, "quatre-vingt-dix" → 90, "une dizaine" → 10,
    "une quinzaine" → 15, "1,5" → 1.5, "50.000" → 50000, "1er" → 1, "demi" → 0.5.
    """
    if not text:
        return None
    norm = _normalise(text)
    if norm in ("1er", "1re", "premier", "première"):
        return 1.0
    if norm in _FRACTIONS:
        return _FRACTIONS[norm]
    value = _parse_digits(norm)
    if value is not None:
        return value
    approx = re.fullmatch(rf"(?:une?\s+)?(?:bonne\s+|petite\s+)?({_APPROX_WORD})(?:\s+de|\s+d')?", norm)
    if approx:
        return float(_APPROX[approx.group(1)])
    return _parse_words(norm)


def is_approximate(text: str) -> bool:
    """Whether a number phrase is a round approximation ("une dizaine", "une quinzaine")."""
    return re.search(_APPROX_WORD, _normalise(text)) is not None
