"""French wording of what the dashboard shows: tag labels, field names, dates and durations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from pannes.french import MONTHS, MONTHS_SHORT
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
    "hours_min": "Durée minimale",
    "hours_max": "Durée maximale",
    "ongoing": "En cours",
    "incident": "Incident",
    "mentions": "Incidents mentionnés",
    "merge": "Fusion",
    "split": "Scission",
}

# What a crawl reports (the kinds of crawler/report.py), as an editor reads them.
CRAWL_PROBLEM_FR: dict[str, str] = {
    # errors: a page or a listing lost
    "http_4xx": "Page refusée ou introuvable (erreur HTTP 4xx)",
    "http_5xx": "Erreur du serveur du site (HTTP 5xx)",
    "timeout": "Délai d'attente dépassé",
    "connection": "Connexion au site impossible",
    "dns": "Nom de domaine introuvable (DNS)",
    "tls": "Erreur de certificat ou de chiffrement (TLS)",
    "truncated": "Réponse tronquée",
    "oversized": "Page trop volumineuse",
    "redirect_loop": "Boucle de redirections",
    "non_html": "Contenu qui n'est pas une page web",
    "empty_body": "Réponse vide",
    "no_text": "Aucun texte d'article dans la page",
    "extraction_failed": "Échec de l'extraction du texte",
    "broken_feed": "Flux RSS ou Atom illisible",
    "broken_sitemap": "Plan du site (sitemap) illisible",
    "xml_entity_expansion": "XML refusé (entités en cascade)",
    "store_failed": "Échec de l'enregistrement dans la base",
    "other": "Autre erreur",
    # warnings: a page kept after a repair
    "charset_missing": "Encodage des caractères non déclaré",
    "charset_wrong": "Encodage des caractères erroné (corrigé)",
    "malformed_html": "Code HTML mal formé (réparé)",
    # skips: a URL not fetched on purpose
    "unchanged": "Inchangée depuis la dernière collecte",
    "robots": "Interdite par le fichier robots.txt du site",
    "offsite": "Hors du site de la source",
    "too_old": "Trop ancienne",
    "excluded": "Exclue par la configuration de la source",
    "redirect_duplicate": "Redirection vers une adresse déjà connue",
}



def field_fr(name: str) -> str:
    return FIELD_FR.get(name, name.replace("_", " ").capitalize())


def crawl_problem_fr(kind: str) -> str:
    """A crawl error, warning or skip kind in French (« http_404 » as « Erreur HTTP 404 »)."""
    if kind in CRAWL_PROBLEM_FR:
        return CRAWL_PROBLEM_FR[kind]
    if kind.startswith("http_") and kind[5:].isdigit():
        return f"Erreur HTTP {kind[5:]}"
    return f"Autre problème ({kind})" if kind else CRAWL_PROBLEM_FR["other"]


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
    return f"{day} {MONTHS_SHORT[value.month - 1]} {value.year}"


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
            return f"{MONTHS[int(value[5:7]) - 1]} {value[:4]}"
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


def yes_no_fr(value: bool | None) -> str:
    """« oui », « non », or the unknown mark."""
    if value is None:
        return UNKNOWN
    return "oui" if value else "non"


def articles_fr(ids: Iterable[object] | None) -> str:
    """Article ids as « article 12 », « articles 12, 13 », « aucun article »."""
    ids = [str(i) for i in ids or []]
    if not ids:
        return "aucun article"
    return ("article " if len(ids) == 1 else "articles ") + ", ".join(ids)


def _labels_fr(name: str, values: Iterable[object]) -> str:
    words = [cause_fr(str(v)) if name in ("cause", "cause_ruled_out") else
             impact_fr(str(v)) if name == "impact" else str(v) for v in values]
    return ", ".join(words) or UNKNOWN


def _merge_fr(value: dict[str, Any]) -> str:
    if "into" in value:  # the state before a merge: both incidents' articles
        return (f"cet incident : {articles_fr(value.get('into'))} ; l'autre : "
                f"{articles_fr(value.get('from'))}")
    text = f"incident « {value.get('from', UNKNOWN)} » ({articles_fr(value.get('article_ids'))})"
    if value.get("vendors"):
        text += " ; fournisseurs : " + ", ".join(str(v) for v in value["vendors"])
    return text


def correction_value_fr(name: str, value: Any) -> str:
    """A correction's value (before or after) as an editor reads it, for the audit trail."""
    if value is None:
        return UNKNOWN
    if name == "merge" and isinstance(value, dict):
        return _merge_fr(value)
    if name == "split":
        if isinstance(value, dict):
            return (f"{articles_fr(value.get('article_ids'))} vers le nouvel incident "
                    f"« {value.get('new_id', UNKNOWN)} »")
        if isinstance(value, list):
            return articles_fr(value)
    if name == "duration" and isinstance(value, dict):
        return duration_fr(value.get("hours_min"), value.get("hours_max"),
                           value.get("ongoing"))
    if name in ("hours_min", "hours_max") and isinstance(value, int | float):
        return hours_fr(float(value))
    if name in ("start", "end"):
        return date_fr(value)
    if isinstance(value, bool):
        return yes_no_fr(value)
    if isinstance(value, int | float):
        return f"{value:,}".replace(",", "\u202f").replace(".", ",")
    if isinstance(value, str):
        return _labels_fr(name, [value]) if name in ("cause", "impact") else value
    if isinstance(value, list):
        return _labels_fr(name, value)
    if isinstance(value, dict):
        return " ; ".join(f"{field_fr(str(k)).lower()} : {correction_value_fr(str(k), v)}"
                          for k, v in value.items())
    return str(value)
