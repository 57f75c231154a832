"""French wording of what the dashboard shows: tag labels, field names, dates and durations."""

from __future__ import annotations

from datetime import date, datetime

from pannes.labels import CAUSE_FR, IMPACT_FR, UNKNOWN, cause_fr, impact_fr  # noqa: F401

# Fields of tags and incidents, as an editor reads them.
FIELD_FR: dict[str, str] = {
    "title": "Titre",
    "is_outage": "Panne",
    "vendors": "Fournisseurs en cause",
    "vendor": "Fournisseur en cause",
    "affected": "Organisations touchées",
    "impact": "Impact",
    "cause": "Cause",
    "cause_ruled_out": "Causes écartées",
    "duration": "Durée",
    "start": "Début",
    "end": "Fin",
    "region": "Zone géographique",
    "users_affected": "Utilisateurs touchés",
    "users_affected_text": "Utilisateurs touchés",
    "mentions": "Incidents mentionnés",
    "merge": "Fusion",
    "split": "Scission",
}

MONTHS_FR = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
             "oct.", "nov.", "déc.")
MONTHS_FR_LONG = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                  "septembre", "octobre", "novembre", "décembre")


def field_fr(name: str) -> str:
    return FIELD_FR.get(name, name.replace("_", " ").capitalize())


def date_fr(value: date | datetime | str | None) -> str:
    """A date as a French newsroom writes it: « 21 sept. 2012 », « 1er mars 2013 »."""
    if value is None or value == "":
        return UNKNOWN
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS_FR[value.month - 1]} {value.year}"


def datetime_fr(value: datetime | str | None) -> str:
    """A timestamp as « 21 sept. 2012 à 14 h 05 » (crawl runs)."""
    if value is None or value == "":
        return UNKNOWN
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    return f"{date_fr(value)} à {value.hour} h {value.minute:02d}"


def month_fr(value: str) -> str:
    """A "YYYY-MM" period as « mars 2025 »; "YYYY" stays as is."""
    if len(value) == 7 and value[4] == "-":
        try:
            return f"{MONTHS_FR_LONG[int(value[5:7]) - 1]} {value[:4]}"
        except (ValueError, IndexError):
            return value
    return value


def _hours_fr(hours: float) -> tuple[float, str]:
    if hours < 1:
        return round(hours * 60), "min"
    if hours < 48:
        return round(hours, 1), "h"
    return round(hours / 24, 1), "jours"


def _in_unit(hours: float, unit: str) -> float:
    """`hours` in the unit chosen for the upper bound of a range."""
    if unit == "min":
        return round(hours * 60)
    if unit == "h":
        return round(hours, 1)
    return round(hours / 24, 1)


def _number_fr(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def duration_fr(hours_min: float | None, hours_max: float | None,
                ongoing: bool | None = None) -> str:
    """An hours range in words: « 5 h », « 2 à 6 h », « 8 à 10 jours », « 15 min »."""
    if hours_min is None and hours_max is None:
        text = UNKNOWN
    else:
        low = hours_min if hours_min is not None else hours_max
        high = hours_max if hours_max is not None else hours_min
        assert low is not None and high is not None
        high_value, unit = _hours_fr(high)
        low_value = _in_unit(low, unit)
        if low_value == high_value:
            text = f"{_number_fr(high_value)} {unit}"
        else:
            text = f"{_number_fr(low_value)} à {_number_fr(high_value)} {unit}"
        if hours_min is None:
            text = f"jusqu'à {text}"
        elif hours_max is None:
            text = f"au moins {text}"
    if ongoing:
        text = "en cours" if text == UNKNOWN else f"{text} (en cours)"
    return text


def hours_fr(hours: float | None) -> str:
    """A number of hours for tables: « 12,5 h », « 3 jours »."""
    if hours is None:
        return UNKNOWN
    value, unit = _hours_fr(hours)
    return f"{_number_fr(value)} {unit}"


def plural_fr(count: int, singular: str, plural: str | None = None) -> str:
    """« 1 article », « 3 articles », « 12 345 articles » (thin spaces between thousands)."""
    word = singular if count in (0, 1) else (plural or singular + "s")
    return f"{count:,}".replace(",", "\u202f") + f" {word}"
