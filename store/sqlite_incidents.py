"""Incidents, their member articles and editors' corrections in the SQLite store."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime
from typing import Any

from pannes.records import Correction, Incident
from store.textnorm import normalize_text

INCIDENT_LABEL_FIELDS = {"vendor": "vendors", "affected": "affected", "impact": "impact",
                         "region": "region"}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class IncidentMethods:
    """Store methods for incidents and corrections."""

    def save_incident(self, incident: Incident) -> None:
        """Create or replace an incident, its labels, members and full-text entry."""
        with self._tx() as conn:  # type: ignore[attr-defined]
            self._write_incident(conn, incident)

    def save_incidents(self, incidents: list[Incident], *, delete_ids: list[str] = ()) -> None:
        """Write several incidents and drop others in one transaction (a regrouping)."""
        with self._tx() as conn:  # type: ignore[attr-defined]
            for incident_id in delete_ids:
                self._delete_incident(conn, incident_id)
            for incident in incidents:
                self._write_incident(conn, incident)

    def delete_incident(self, incident_id: str) -> None:
        with self._tx() as conn:  # type: ignore[attr-defined]
            self._delete_incident(conn, incident_id)

    @staticmethod
    def _delete_incident(conn: sqlite3.Connection, incident_id: str) -> None:
        row = conn.execute(
            "SELECT rowid FROM incident_fts_map WHERE incident_id = ?", (incident_id,)
        ).fetchone()
        if row is not None:
            conn.execute("DELETE FROM incident_fts WHERE rowid = ?", (row[0],))
        conn.execute("DELETE FROM incidents WHERE id = ?", (incident_id,))

    @staticmethod
    def _write_incident(conn: sqlite3.Connection, incident: Incident) -> None:
        data = incident.to_dict()
        now = _now()
        conn.execute(
            "INSERT INTO incidents (id, title, start, \"end\", hours_min, hours_max, cause, "
            "known_from_mentions, data, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
            "title = excluded.title, start = excluded.start, \"end\" = excluded.\"end\", "
            "hours_min = excluded.hours_min, hours_max = excluded.hours_max, "
            "cause = excluded.cause, known_from_mentions = excluded.known_from_mentions, "
            "data = excluded.data, updated_at = excluded.updated_at",
            (incident.id, incident.title, data["start"], data["end"],
             incident.duration.hours_min, incident.duration.hours_max, incident.cause,
             int(incident.known_from_mentions), json.dumps(data, ensure_ascii=False), now, now),
        )
        conn.execute("DELETE FROM incident_labels WHERE incident_id = ?", (incident.id,))
        labels = [(incident.id, fld, v) for fld, attr in INCIDENT_LABEL_FIELDS.items()
                  for v in getattr(incident, attr)]
        if incident.cause:
            labels.append((incident.id, "cause", incident.cause))
        conn.executemany(
            "INSERT OR IGNORE INTO incident_labels (incident_id, field, value) VALUES (?, ?, ?)",
            labels,
        )
        conn.execute("DELETE FROM incident_articles WHERE incident_id = ?", (incident.id,))
        conn.executemany(
            "INSERT OR IGNORE INTO incident_articles (incident_id, article_id) VALUES (?, ?)",
            [(incident.id, a) for a in incident.article_ids],
        )
        # Full-text entry: the incident's title and vendors, and its articles' titles.
        titles = [r[0] for r in conn.execute(
            "SELECT a.title FROM incident_articles ia JOIN articles a ON a.id = ia.article_id "
            "WHERE ia.incident_id = ?", (incident.id,))]
        body = " ".join([*incident.vendors, *incident.affected, *titles])
        conn.execute("INSERT OR IGNORE INTO incident_fts_map (incident_id) VALUES (?)",
                     (incident.id,))
        rowid = conn.execute("SELECT rowid FROM incident_fts_map WHERE incident_id = ?",
                             (incident.id,)).fetchone()[0]
        conn.execute("DELETE FROM incident_fts WHERE rowid = ?", (rowid,))
        conn.execute("INSERT INTO incident_fts (rowid, title, body) VALUES (?, ?, ?)",
                     (rowid, normalize_text(incident.title), normalize_text(body)))

    def get_incident(self, incident_id: str) -> Incident | None:
        with self._read() as conn:  # type: ignore[attr-defined]
            row = conn.execute("SELECT data FROM incidents WHERE id = ?", (incident_id,)).fetchone()
        return Incident.from_dict(json.loads(row["data"])) if row is not None else None

    def list_incidents(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        vendor: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = True,
    ) -> list[Incident]:
        """Incidents by start date (unknown starts last), optionally for one vendor or period."""
        clauses, params = [], []
        if since is not None:
            clauses.append("i.start >= ?")
            params.append(since.isoformat())
        if until is not None:
            clauses.append("i.start <= ?")
            params.append(until.isoformat())
        if vendor:
            clauses.append("EXISTS (SELECT 1 FROM incident_labels l WHERE l.incident_id = i.id "
                           "AND l.field = 'vendor' AND l.value = ?)")
            params.append(vendor)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        order = "DESC" if newest_first else "ASC"
        sql = (f"SELECT data FROM incidents i {where} "
               f"ORDER BY i.start IS NULL, i.start {order}, i.id LIMIT ? OFFSET ?")
        params += [limit if limit is not None else -1, offset]
        with self._read() as conn:  # type: ignore[attr-defined]
            rows = conn.execute(sql, params).fetchall()
        return [Incident.from_dict(json.loads(r["data"])) for r in rows]

    def count_incidents(self) -> int:
        with self._read() as conn:  # type: ignore[attr-defined]
            return int(conn.execute("SELECT COUNT(*) FROM incidents").fetchone()[0])

    def incident_of_article(self, article_id: int) -> str | None:
        with self._read() as conn:  # type: ignore[attr-defined]
            row = conn.execute(
                "SELECT incident_id FROM incident_articles WHERE article_id = ? LIMIT 1",
                (article_id,),
            ).fetchone()
        return row[0] if row is not None else None

    # ------------------------------------------------------------------ corrections

    def add_correction(self, correction: Correction) -> int:
        """Record an editor's correction (it is applied by the incidents stage)."""
        at = (correction.at or datetime.now(UTC)).isoformat(timespec="seconds")
        with self._tx() as conn:  # type: ignore[attr-defined]
            cursor = conn.execute(
                "INSERT INTO corrections (target, target_id, field, value, before, editor, at, note)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (correction.target, str(correction.target_id), correction.field,
                 json.dumps(correction.value, ensure_ascii=False, default=str),
                 json.dumps(correction.before, ensure_ascii=False, default=str),
                 correction.editor, at, correction.note),
            )
            return int(cursor.lastrowid)

    def corrections(self, target: str | None = None, target_id: str | None = None) -> list[Correction]:
        """Corrections in the order they were made, optionally for one target."""
        clauses, params = [], []
        if target is not None:
            clauses.append("target = ?")
            params.append(target)
        if target_id is not None:
            clauses.append("target_id = ?")
            params.append(str(target_id))
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        with self._read() as conn:  # type: ignore[attr-defined]
            rows = conn.execute(f"SELECT * FROM corrections {where} ORDER BY id", params).fetchall()
        return [_correction_from_row(r) for r in rows]


def _correction_from_row(row: sqlite3.Row) -> Correction:
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
