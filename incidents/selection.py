"""Check the filters typed on the command line against what the store and taxonomies know.

`pannes export` and `pannes feed` filter with exact values; a typo there would select nothing
and say nothing. Vendors are matched as `pannes vendors` matches them (case and accents do
not matter); impact and cause labels must be ones of the taxonomy. An unknown value raises
a `UserInputError` that says what was meant or what is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Literal

from pannes.incidents.vendor_names import suggest_vendor, vendor_key
from pannes.store.protocol import Store

from pannes.errors import UserInputError
from pannes.records import CAUSE_LABELS, IMPACT_LABELS, SearchFilters, SearchQuery


def known_vendor_names(store: Store, kind: Literal["articles", "incidents"]) -> list[str]:
    """Vendor names the store can filter on: those of incidents (and, for articles, the
    most-tagged vendors of articles)."""
    names = [v for v, _ in store.incident_vendors()]
    if kind == "articles":
        result = store.search(SearchQuery(kind="articles", facets=["vendor"], per_page=1))
        names += [v for v, _ in result.facets.get("vendor", [])]
    return list(dict.fromkeys(names))


def resolve_vendor_names(names: Iterable[str], known: Sequence[str], *,
                         keep_unknown: bool = False) -> list[str]:
    """Every known spelling of each typed vendor name (case and accents do not matter).

    A name no known one matches raises a `UserInputError` suggesting close names, or is kept
    as typed with `keep_unknown` (a search for it then says it found nothing).
    """
    by_key: dict[str, list[str]] = {}
    for name in known:
        by_key.setdefault(vendor_key(name), []).append(name)
    resolved: list[str] = []
    for name in names:
        matches = by_key.get(vendor_key(name)) if vendor_key(name) else None
        if not matches and keep_unknown:
            matches = [name]
        elif not matches:
            close = suggest_vendor(name, known)
            hint = f" Did you mean {', '.join(close)}?" if close else \
                " `pannes vendors` lists the vendors with incidents."
            raise UserInputError(f"No incident names the vendor {name!r}.{hint}")
        resolved += [m for m in matches if m not in resolved]
    return resolved


def _label_key(text: str) -> str:
    return "_".join(text.strip().lower().replace("-", " ").split())


def check_labels(values: Iterable[str], allowed: Sequence[str], what: str) -> list[str]:
    """The labels as the taxonomy spells them ("Data-Breach" -> "data_breach"), or an error
    listing the allowed ones."""
    checked: list[str] = []
    for value in values:
        label = _label_key(value)
        if label not in allowed:
            close = suggest_vendor(value, allowed, limit=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise UserInputError(f"Unknown {what} label {value!r}.{hint} "
                                 f"Allowed {what} labels: {', '.join(allowed)}.")
        if label not in checked:
            checked.append(label)
    return checked


def checked_filters(store: Store, filters: SearchFilters,
                    kind: Literal["articles", "incidents"]) -> SearchFilters:
    """The filters with vendors resolved and labels checked (see the module docstring)."""
    vendors = filters.vendors
    if vendors:
        vendors = resolve_vendor_names(vendors, known_vendor_names(store, kind))
    return replace(filters, vendors=vendors,
                   impact=check_labels(filters.impact, IMPACT_LABELS, "impact"),
                   cause=check_labels(filters.cause, CAUSE_LABELS, "cause"))
