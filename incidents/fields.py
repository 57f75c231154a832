"""The fields an editor may correct, how a typed-in value is read, and how it is applied.

One table per target (article tags, incident) says each field's kind and allowed labels;
`parse_value` turns CLI text or a form's value into the stored JSON value, or raises a
`CorrectionError` that names the field, the value and what is allowed. How a value is laid
over tags or an incident is the store's (pannes.store.corrected), which applies corrections
whenever it writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from pannes.incidents.vendor_names import suggest_vendor
from pannes.store.corrected import apply_to_incident, apply_to_tags, current_value

from pannes.errors import UserInputError
from pannes.records import CAUSE_LABELS, IMPACT_LABELS

__all__ = ["ARTICLE_FIELDS", "INCIDENT_FIELDS", "CorrectionError", "FieldSpec", "apply_to_incident",
           "apply_to_tags", "current_value", "field_specs", "parse_value", "spec_for"]


class CorrectionError(UserInputError):
    """A correction that cannot be made; `field`, `value` and `allowed` say why.

    The message is English (the CLI prints it); `code` names the reason, stably, so another
    interface (the French dashboard) can word it itself from `code`, `field`, `value`,
    `allowed`, `suggestion` and `details`.
    """

    def __init__(self, message: str, *, code: str, field: str | None = None, value: Any = None,
                 allowed: Iterable[str] = (), suggestion: str | None = None,
                 **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.field = field
        self.value = value
        self.allowed = list(allowed)
        self.suggestion = suggestion
        self.details = details


@dataclass(frozen=True)
class FieldSpec:
    """What a correctable field holds: kind ('bool', 'text', 'names', 'labels', 'label',
    'date', 'int', 'hours', 'duration', 'incident') and, for labels, the allowed values."""

    kind: str
    help: str
    allowed: tuple[str, ...] = ()


_COMMON = {
    "vendors": FieldSpec("names", "organisations whose system failed (comma-separated)"),
    "affected": FieldSpec("names", "organisations hit by the failure (comma-separated)"),
    "impact": FieldSpec("labels", "impact labels (comma-separated)", IMPACT_LABELS),
    "cause": FieldSpec("label", "cause label", CAUSE_LABELS),
    "cause_ruled_out": FieldSpec("labels", "causes explicitly ruled out (comma-separated)",
                                 CAUSE_LABELS),
    "start": FieldSpec("date", "start date, YYYY-MM-DD (or 'none')"),
    "end": FieldSpec("date", "end date, YYYY-MM-DD (or 'none')"),
    "region": FieldSpec("names", "geographic scope (comma-separated)"),
    "users_affected": FieldSpec("int", "number of users affected (or 'none')"),
    "duration": FieldSpec("duration", "duration in hours: '5', '48-96' or 'none'"),
    "hours_min": FieldSpec("hours", "lower bound of the duration in hours (or 'none')"),
    "hours_max": FieldSpec("hours", "upper bound of the duration in hours (or 'none')"),
    "ongoing": FieldSpec("bool", "still unresolved: yes/no (or 'none')"),
}

ARTICLE_FIELDS: dict[str, FieldSpec] = {
    "is_outage": FieldSpec("bool", "the article reports a concrete outage: yes/no"),
    **_COMMON,
    "incident": FieldSpec("incident", "move the article to this incident (its id)"),
}

INCIDENT_FIELDS: dict[str, FieldSpec] = {
    "title": FieldSpec("text", "the incident's title"),
    **_COMMON,
}

_TRUE = {"true", "yes", "oui", "1", "vrai", "y", "o"}
_FALSE = {"false", "no", "non", "0", "faux", "n"}
_NONE = {"", "none", "null", "unknown", "inconnu", "inconnue", "-"}


def field_specs(target: str) -> dict[str, FieldSpec]:
    """The correctable fields of 'article' or 'incident'."""
    if target == "article":
        return ARTICLE_FIELDS
    if target == "incident":
        return INCIDENT_FIELDS
    raise CorrectionError(f"Unknown correction target {target!r}: use 'article' or 'incident'.",
                          code="unknown_target", value=target, allowed=("article", "incident"))


def spec_for(target: str, name: str) -> FieldSpec:
    specs = field_specs(target)
    if name not in specs:
        close = suggest_vendor(name, specs)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise CorrectionError(
            f"Unknown field {name!r} for an {target}.{hint} Correctable fields: "
            f"{', '.join(specs)}.", code="unknown_field", field=name, value=name,
            allowed=specs, suggestion=close[0] if close else None, target=target)
    return specs[name]


def _is_none(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in _NONE)


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        parts = value.split(",")
    else:
        parts = [str(v) for v in value]
    out: list[str] = []
    for part in (p.strip() for p in parts):
        if part and part not in out:
            out.append(part)
    return out


def _check_labels(name: str, labels: list[str], allowed: tuple[str, ...]) -> None:
    for label in labels:
        if label not in allowed:
            close = suggest_vendor(label, allowed, limit=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise CorrectionError(f"Unknown label {label!r} for {name}.{hint} Allowed: "
                                  f"{', '.join(allowed)}.", code="unknown_label", field=name,
                                  value=label, allowed=allowed,
                                  suggestion=close[0] if close else None)


def _number(name: str, value: Any, kind: type) -> Any:
    try:
        number = kind(str(value).replace(",", ".").strip()) if isinstance(value, str) else kind(value)
    except (TypeError, ValueError):
        raise CorrectionError(f"{name} must be a number, not {value!r}.", code="not_a_number",
                              field=name, value=value) from None
    if number < 0:
        raise CorrectionError(f"{name} cannot be negative ({value!r}).", code="negative_number",
                              field=name, value=value)
    return number


def parse_value(target: str, name: str, value: Any) -> Any:
    """The JSON value to store for a correction of `name`, from text or a typed value."""
    spec = spec_for(target, name)
    kind = spec.kind
    if kind == "names":
        return [] if _is_none(value) else _as_list(value)
    if kind == "labels":
        labels = [] if _is_none(value) else _as_list(value)
        _check_labels(name, labels, spec.allowed)
        return labels
    if kind == "label":
        label = "unknown" if _is_none(value) else str(value).strip()
        _check_labels(name, [label], spec.allowed)
        return label
    if kind == "text":
        text = "" if value is None else str(value).strip()
        if not text:
            raise CorrectionError(f"{name} cannot be empty.", code="empty_text", field=name,
                                  value=value)
        return text
    if kind == "incident":
        text = "" if value is None else str(value).strip()
        if not text:
            raise CorrectionError("Give the id of the incident to move the article to.",
                                  code="missing_incident_id", field=name, value=value)
        return text
    if _is_none(value) and kind != "bool":
        return None
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if name != "is_outage" and _is_none(value):
            return None
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise CorrectionError(f"{name} must be yes or no, not {value!r}.", code="not_yes_no",
                              field=name, value=value, allowed=("yes", "no"))
    if kind == "date":
        if isinstance(value, date):
            return value.isoformat()
        try:
            return date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise CorrectionError(f"{name} must be a date as YYYY-MM-DD, not {value!r}.",
                                  code="not_a_date", field=name, value=value) from None
    if kind == "int":
        return _number(name, value, int)
    if kind == "hours":
        return _number(name, value, float)
    if kind == "duration":
        if isinstance(value, dict):
            lo, hi = value.get("hours_min"), value.get("hours_max")
        else:
            parts = [p for p in str(value).replace("–", "-").split("-") if p.strip()]
            if not 1 <= len(parts) <= 2:
                raise CorrectionError(f"duration must be hours like '5' or '48-96', not "
                                      f"{value!r}.", code="not_a_duration", field=name,
                                      value=value)
            lo, hi = parts[0], parts[-1]
        lo = None if _is_none(lo) else _number(name, lo, float)
        hi = None if _is_none(hi) else _number(name, hi, float)
        if lo is not None and hi is not None and hi < lo:
            raise CorrectionError(f"duration: {hi} is less than {lo}.", code="duration_reversed",
                                  field=name, value=value, hours_min=lo, hours_max=hi)
        return {"hours_min": lo, "hours_max": hi}
    raise CorrectionError(f"Field {name!r} cannot be corrected this way.",
                          code="not_correctable", field=name)
