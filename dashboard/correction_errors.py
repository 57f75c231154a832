"""Refused corrections in French: the dashboard words each `CorrectionError` from its `code`.

incidents.corrections raises English messages (the CLI prints them); each error also carries
a stable `code` and the data it is about (field, value, allowed values, a suggestion), from
which this module writes the sentence an editor reads. An error without a known code gets a
generic French sentence followed by the English text, so nothing is ever hidden.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pannes.dashboard.labels import cause_fr, field_fr, hours_fr, impact_fr
from pannes.incidents.fields import CorrectionError


def _quoted(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(f"« {v} »" for v in value) or "« »"
    return f"« {'' if value is None else value} »"


def _field(exc: CorrectionError) -> str:
    """The field's French name, to open a sentence."""
    return f"« {field_fr(exc.field)} »" if exc.field else "Ce champ"


def _label_fr(field: str | None, label: str) -> str:
    if field in ("cause", "cause_ruled_out"):
        return cause_fr(label)
    if field == "impact":
        return impact_fr(label)
    return label


def _labels(field: str | None, labels: Iterable[str]) -> str:
    return ", ".join(_label_fr(field, label) for label in labels)


def _unknown_field(exc: CorrectionError) -> str:
    hint = (f" Vouliez-vous dire « {field_fr(exc.suggestion)} » ?" if exc.suggestion else "")
    return (f"Le champ {_quoted(exc.value)} ne peut pas être corrigé.{hint} Champs "
            f"corrigeables : {', '.join(field_fr(f) for f in exc.allowed)}.")


def _unknown_label(exc: CorrectionError) -> str:
    hint = (f" Vouliez-vous dire « {_label_fr(exc.field, exc.suggestion)} » ?"
            if exc.suggestion else "")
    where = f"« {field_fr(exc.field)} »" if exc.field else "ce champ"
    return (f"{_quoted(exc.value)} n'est pas une valeur possible pour {where}.{hint} "
            f"Valeurs possibles : {_labels(exc.field, exc.allowed)}.")


def _duration_reversed(exc: CorrectionError) -> str:
    lo, hi = exc.details.get("hours_min"), exc.details.get("hours_max")
    if lo is None or hi is None:
        return "Durée : le maximum est inférieur au minimum."
    return (f"Durée : le maximum ({hours_fr(float(hi))}) est inférieur au minimum "
            f"({hours_fr(float(lo))}).")


def _not_in_incident(exc: CorrectionError) -> str:
    ids = exc.value if isinstance(exc.value, list | tuple) else [exc.value]
    which = "L'article" if len(ids) == 1 else "Les articles"
    verb = "ne fait" if len(ids) == 1 else "ne font"
    theirs = ", ".join(exc.allowed) or "aucun"
    return (f"{which} {', '.join(str(i) for i in ids)} {verb} pas partie de l'incident "
            f"« {exc.details.get('incident_id', '')} » (ses articles : {theirs}).")


FRENCH: dict[str, Callable[[CorrectionError], str]] = {
    # incidents.fields: reading the value typed in
    "unknown_target": lambda e: (f"Type de correction inconnu : {_quoted(e.value)} (on corrige "
                                 "un article ou un incident)."),
    "unknown_field": _unknown_field,
    "unknown_label": _unknown_label,
    "not_a_number": lambda e: f"{_field(e)} attend un nombre, pas {_quoted(e.value)}.",
    "negative_number": lambda e: f"{_field(e)} ne peut pas être négatif ({_quoted(e.value)}).",
    "empty_text": lambda e: f"{_field(e)} ne peut pas être vide.",
    "missing_incident_id": lambda e: "Indiquez l'identifiant de l'incident où placer l'article.",
    "not_yes_no": lambda e: f"{_field(e)} attend oui ou non, pas {_quoted(e.value)}.",
    "not_a_date": lambda e: (f"{_field(e)} attend une date au format AAAA-MM-JJ "
                             f"(par exemple 2024-10-17), pas {_quoted(e.value)}."),
    "not_a_duration": lambda e: ("La durée s'écrit en heures, par exemple « 5 » ou « 48-96 », "
                                 f"pas {_quoted(e.value)}."),
    "duration_reversed": _duration_reversed,
    "not_correctable": lambda e: f"{_field(e)} ne peut pas être corrigé de cette façon.",
    # incidents.corrections: what the correction is about
    "missing_editor": lambda e: ("Indiquez votre nom avant d'enregistrer : chaque correction "
                                 "est signée."),
    "unknown_incident": lambda e: f"Aucun incident ne porte l'identifiant {_quoted(e.value)}.",
    "bad_article_id": lambda e: f"Un numéro d'article est un nombre, pas {_quoted(e.value)}.",
    "unknown_article": lambda e: f"Aucun article ne porte le numéro {e.value}.",
    "article_not_tagged": lambda e: (f"L'article {e.value} n'a pas encore été analysé : "
                                     "lancez d'abord « pannes tag »."),
    "merge_with_itself": lambda e: "Un incident ne peut pas être fusionné avec lui-même.",
    "bad_article_ids": lambda e: "Les numéros d'articles sont des nombres.",
    "no_articles_to_split": lambda e: "Choisissez les articles à séparer de l'incident.",
    "articles_not_in_incident": _not_in_incident,
    "split_leaves_empty": lambda e: ("Séparer tous ses articles laisserait l'incident vide : "
                                     "corrigez plutôt ses champs."),
}

GENERIC = "La correction n'a pas pu être enregistrée."


def french_message(exc: CorrectionError) -> str:
    """The French sentence for a refused correction (generic, plus the English text, for an
    error this module does not know)."""
    word = FRENCH.get(getattr(exc, "code", None) or "")
    if word is not None:
        try:
            return word(exc)
        except (AttributeError, KeyError, TypeError, ValueError):
            pass  # data missing from the error: say it generically
    return f"{GENERIC} (Détail : {exc})"
