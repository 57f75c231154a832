"""How reliable is a vendor? Incident counts, durations, data loss, impacts, causes, trend.

Figures come from SQL aggregation in the store (store.sqlite_incidents), so they stay quick
on large collections. Periods filter on the incident's start date; incidents without a start
date only count when no period is given.

Unknown durations: an incident's duration is the middle of its [hours_min, hours_max] range
(or the one bound known). Incidents whose duration is unknown count in the number of
incidents, the data-loss share and the breakdowns, but not in the total, median or longest
duration; `unknown_duration` says how many they are, so a total over 3 of 10 incidents is
never mistaken for a total over 10.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from pannes.incidents.vendor_names import suggest_vendor, vendor_key
from pannes.store.protocol import Store

from pannes.errors import UserInputError

UNKNOWN_DURATION_NOTE = (
    "Durations are the middle of each incident's stated range; incidents of unknown duration "
    "count in the number of incidents but not in total, median or longest duration.")


@dataclass
class VendorReliability:
    """One vendor's record over a period."""

    vendor: str
    incidents: int
    with_duration: int
    unknown_duration: int
    total_hours: float | None
    median_hours: float | None
    longest_hours: float | None
    longest_incident: str | None
    data_loss_or_breach: int
    share_data_loss_or_breach: float
    first_start: date | None = None
    last_start: date | None = None
    by_impact: list[tuple[str, int]] = field(default_factory=list)
    by_cause: list[tuple[str, int]] = field(default_factory=list)
    by_year: list[tuple[str, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("first_start", "last_start"):
            data[key] = data[key].isoformat() if data[key] else None
        for key in ("by_impact", "by_cause", "by_year"):
            data[key] = dict(data[key])
        return data


def known_vendors(store: Store) -> list[tuple[str, int]]:
    """Vendors that have incidents, with their number of incidents, most first."""
    return store.incident_vendors()


def resolve_vendors(store: Store, names: list[str], *, by_group: bool = False) -> list[str]:
    """Canonical vendor names for names typed by a user (case and accents do not matter);
    with `by_group`, a group's name or one of its members' names gives the group."""
    known = [v for v, _ in known_vendors(store)]
    if by_group:
        groups = store.vendor_groups()
        known = list(dict.fromkeys(groups.get(v, v) for v in known))
        group_of = {vendor_key(member): group for member, group in groups.items()}
        names = [group_of.get(vendor_key(n), n) for n in names]
    by_key = {vendor_key(v): v for v in known}
    resolved = []
    for name in names:
        match = by_key.get(vendor_key(name))
        if match is None:
            close = suggest_vendor(name, known)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise UserInputError(f"No incident names the vendor {name!r}.{hint}")
        if match not in resolved:
            resolved.append(match)
    return resolved


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def vendor_reliability(store: Store, vendors: list[str] | None = None, *,
                       since: date | None = None, until: date | None = None,
                       include_mentioned: bool = True, limit: int | None = None,
                       breakdowns: bool = True, by_group: bool = False) -> list[VendorReliability]:
    """Reliability figures per vendor (the given ones, in that order, or all, most incidents
    first). Incidents known only from mentions count unless `include_mentioned` is False.
    With `by_group`, brands roll up into the group the vendor base gives as their parent
    (PlayStation Network into Sony); an incident of two brands of a group counts once."""
    if since is not None and until is not None and since > until:
        raise UserInputError(f"The period is empty: {since} is after {until}.")
    if vendors:
        names = resolve_vendors(store, vendors, by_group=by_group)
    else:  # the vendors with most incidents in the period, counted first (cheap)
        names = [v for v, _ in store.top_vendors(limit, since=since, until=until,
                                                 include_mentioned=include_mentioned,
                                                 by_group=by_group)]
        if not names:
            return []
    rows = store.vendor_stats(names, since=since, until=until,
                              include_mentioned=include_mentioned, by_group=by_group)
    order = {n: i for i, n in enumerate(names)}
    rows.sort(key=lambda r: order[r["vendor"]])
    scope = [r["vendor"] for r in rows]
    parts: dict[str, dict[str, list[tuple[str, int]]]] = {}
    if breakdowns and scope:
        for by in ("impact", "cause", "year"):
            parts[by] = store.vendor_breakdown(by, scope, since=since, until=until,
                                               include_mentioned=include_mentioned,
                                               by_group=by_group)
    out = []
    for r in rows:
        vendor, n = r["vendor"], int(r["incidents"])
        out.append(VendorReliability(
            vendor=vendor, incidents=n, with_duration=int(r["with_duration"]),
            unknown_duration=n - int(r["with_duration"]),
            total_hours=r["total_hours"], median_hours=r["median_hours"],
            longest_hours=r["longest_hours"], longest_incident=r["longest_id"],
            data_loss_or_breach=int(r["data_loss_or_breach"] or 0),
            share_data_loss_or_breach=(int(r["data_loss_or_breach"] or 0) / n) if n else 0.0,
            first_start=_d(r["first_start"]), last_start=_d(r["last_start"]),
            by_impact=parts.get("impact", {}).get(vendor, []),
            by_cause=parts.get("cause", {}).get(vendor, []),
            by_year=parts.get("year", {}).get(vendor, []),
        ))
    return out


def compare_vendors(store: Store, vendors: list[str], *, since: date | None = None,
                    until: date | None = None, include_mentioned: bool = True,
                    by_group: bool = False) -> list[VendorReliability]:
    """Several vendors side by side (in the order given)."""
    if len(vendors) < 2:
        raise UserInputError("Name at least two vendors to compare.")
    return vendor_reliability(store, vendors, since=since, until=until,
                              include_mentioned=include_mentioned, by_group=by_group)


def _hours(value: float | None) -> str:
    if value is None:
        return "-"
    if value >= 48:
        return f"{value:.0f} h ({value / 24:.1f} d)"
    return f"{value:.1f} h"


def format_table(stats: list[VendorReliability]) -> str:
    """The figures as a text table, one column per vendor."""
    if not stats:
        return "No incidents for these vendors and period."
    rows = [
        ("vendor", [s.vendor for s in stats]),
        ("incidents", [str(s.incidents) for s in stats]),
        ("known duration", [f"{s.with_duration} ({s.unknown_duration} unknown)" for s in stats]),
        ("total duration", [_hours(s.total_hours) for s in stats]),
        ("median duration", [_hours(s.median_hours) for s in stats]),
        ("longest", [_hours(s.longest_hours) for s in stats]),
        ("longest incident", [s.longest_incident or "-" for s in stats]),
        ("data loss/breach", [f"{s.data_loss_or_breach} ({s.share_data_loss_or_breach:.0%})"
                              for s in stats]),
        ("first / last", [f"{s.first_start or '?'} / {s.last_start or '?'}" for s in stats]),
        ("top impacts", [", ".join(f"{k} {n}" for k, n in s.by_impact[:3]) or "-" for s in stats]),
        ("causes", [", ".join(f"{k} {n}" for k, n in s.by_cause[:3]) or "-" for s in stats]),
        ("by year", [", ".join(f"{k}: {n}" for k, n in s.by_year) or "-" for s in stats]),
    ]
    label_width = max(len(label) for label, _ in rows)
    widths = [max(len(values[i]) for _, values in rows) for i in range(len(stats))]
    lines = []
    for label, values in rows:
        cells = "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True))
        lines.append(f"{label.ljust(label_width)}  {cells}".rstrip())
    return "\n".join(lines) + "\n\n" + UNKNOWN_DURATION_NOTE
