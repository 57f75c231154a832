"""Editors' corrections in the SQLite store: an audit trail, applied as soon as recorded.

Recording a field correction updates, in the same transaction, what the store shows of its
target: the article's searchable tags (filters, facets, counts) or the stored incident.
Membership corrections (merge, split, move) take effect at the next grouping, which replays
them all.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from pannes.store.connection import Database
from pannes.store.corrected import MEMBERSHIP_FIELDS, correction_from_row
from pannes.store.sqlite_articles import reindex_corrected_tags
from pannes.store.sqlite_incidents import write_incident

from pannes.records import Correction, Incident


class Corrections:
    """The store's part for editors' corrections."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add_correction(self, correction: Correction) -> int:
        """Record an editor's correction and apply it to its article or incident; its id."""
        at = (correction.at or datetime.now(UTC)).isoformat(timespec="seconds")
        with self.db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO corrections (target, target_id, field, value, before, editor, at, note)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (correction.target, str(correction.target_id), correction.field,
                 json.dumps(correction.value, ensure_ascii=False, default=str),
                 json.dumps(correction.before, ensure_ascii=False, default=str),
                 correction.editor, at, correction.note),
            )
            if correction.field not in MEMBERSHIP_FIELDS:
                _apply(conn, correction.target, str(correction.target_id))
            return int(cursor.lastrowid or 0)

    def corrections(self, target: str | None = None,
                    target_id: str | None = None) -> list[Correction]:
        """Corrections in the order they were made, optionally for one target."""
        clauses, params = [], []
        if target is not None:
            clauses.append("target = ?")
            params.append(target)
        if target_id is not None:
            clauses.append("target_id = ?")
            params.append(str(target_id))
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        with self.db.read() as conn:
            rows = conn.execute(f"SELECT * FROM corrections {where} ORDER BY id", params).fetchall()
        return [correction_from_row(r) for r in rows]


def _apply(conn: sqlite3.Connection, target: str, target_id: str) -> None:
    """Show a new field correction at once: re-index the article's tags, or rewrite the
    stored incident (both lay every field correction of their target over the record)."""
    if target == "article":
        reindex_corrected_tags(conn, int(target_id))
        return
    row = conn.execute("SELECT data FROM incidents WHERE id = ?", (target_id,)).fetchone()
    if row is not None:
        write_incident(conn, Incident.from_dict(json.loads(row["data"])))
