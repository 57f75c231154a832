"""How an editor's correction is laid over a record, and reading an item's corrections.

The store applies corrections itself whenever it writes an article's searchable tags or an
incident, inside the same transaction: a stage writing machine output can never write over a
correction, however long it ran. Membership corrections (merge, split, moving an article to
an incident) are not fields: grouping replays them (pannes.incidents.overlay).
"""

from __future__ import annotations

import copy
import json
import sqlite3
from datetime import date, datetime
from typing import Any

from pannes.store.connection import marks

from pannes.records import Correction, Incident, Tags

MEMBERSHIP_FIELDS = ("merge", "split", "incident")
# Incident fields whose provenance is the duration's.
_DURATION_PARTS = {"hours_min": "duration", "hours_max": "duration", "ongoing": "duration"}


def _set_field(record: Tags | Incident, name: str, value: Any) -> None:
    if name in ("start", "end"):
        setattr(record, name, date.fromisoformat(value) if value else None)
    elif name == "duration":
        record.duration.hours_min = value["hours_min"]
        record.duration.hours_max = value["hours_max"]
    elif name in ("hours_min", "hours_max", "ongoing"):
        setattr(record.duration, name, value)
    else:
        setattr(record, name, copy.deepcopy(value))


def current_value(record: Tags | Incident, name: str) -> Any:
    """A field's value as a correction stores it (for `before`)."""
    if name in ("start", "end"):
        value = getattr(record, name)
        return value.isoformat() if value else None
    if name == "duration":
        return {"hours_min": record.duration.hours_min, "hours_max": record.duration.hours_max}
    if name in ("hours_min", "hours_max", "ongoing"):
        return getattr(record.duration, name)
    return copy.deepcopy(getattr(record, name, None))


def apply_to_tags(tags: Tags, name: str, value: Any) -> None:
    """Apply one article correction to tags in place (membership fields are not tags)."""
    if name == "incident":
        return
    _set_field(tags, name, value)


def apply_to_incident(incident: Incident, name: str, value: Any) -> None:
    """Apply one incident field correction in place; the field no longer comes from articles."""
    _set_field(incident, name, value)
    incident.provenance[_DURATION_PARTS.get(name, name)] = []


def corrected(tags: Tags, corrections: list[Correction]) -> Tags:
    """A copy of machine tags with an article's corrections applied (the last one wins)."""
    if not corrections:
        return tags
    tags = copy.deepcopy(tags)
    for c in corrections:
        apply_to_tags(tags, c.field, c.value)
    return tags


def field_corrections(conn: sqlite3.Connection, target: str,
                      target_id: str | int) -> list[Correction]:
    """The field corrections of one article or incident, in the order they were made."""
    rows = conn.execute(
        f"SELECT * FROM corrections WHERE target = ? AND target_id = ? AND field NOT IN "
        f"({marks(MEMBERSHIP_FIELDS)}) ORDER BY id",
        (target, str(target_id), *MEMBERSHIP_FIELDS)).fetchall()
    return [correction_from_row(r) for r in rows]


def correction_from_row(row: sqlite3.Row) -> Correction:
    def load(value: str | None) -> Any:
        return json.loads(value) if value is not None else None

    return Correction(
        id=row["id"],
        target=row["target"],
        target_id=row["target_id"],
        field=row["field"],
        value=load(row["value"]),
        before=load(row["before"]),
        editor=row["editor"],
        at=datetime.fromisoformat(row["at"]),
        note=row["note"],
    )
