"""Incidents, their member articles and editors' corrections in the SQLite store."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime
from typing import Any

from pannes.records import Correction, Incident
from pannes.textnorm import normalize_text

INCIDENT_LABEL_FIELDS = {"vendor": "vendors", "affected": "affected", "impact": "impact",
                         "region": "region"}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ---------------------------------------------------------------------- reliability figures

# An incident's duration in hours for statistics: the middle of its [min, max] range, or the
# one bound known; NULL (unknown) when neither is known.
DURATION_SQL = ("CASE WHEN i.hours_min IS NOT NULL AND i.hours_max IS NOT NULL "
                "THEN (i.hours_min + i.hours_max) / 2.0 ELSE COALESCE(i.hours_min, i.hours_max) END")

DATA_LOSS_LABELS = ("data_loss", "data_breach")


def _vendor_scope(vendors: list[str] | None, since: date | None, until: date | None,
                  include_mentioned: bool) -> tuple[str, list[Any]]:
    """WHERE clause over incident_labels l (vendor rows) joined to incidents i."""
    clauses, params = ["l.field = 'vendor'"], []
    if vendors:
        clauses.append(f"l.value IN ({','.join('?' * len(vendors))})")
        params += list(vendors)
    if since is not None:
        clauses.append("i.start >= ?")
        params.append(since.isoformat())
    if until is not None:
        clauses.append("i.start <= ?")
        params.append(until.isoformat())
    if not include_mentioned:
        clauses.append("i.known_from_mentions = 0")
    return " AND ".join(clauses), params


def write_incident_fts(conn: sqlite3.Connection, incident_id: str, title: str,
                       vendors: list[str], affected: list[str]) -> None:
    """The incident's full-text entry: its title, then its vendors, affected organisations and
    its articles' titles, normalised like the article index."""
    titles = [r[0] for r in conn.execute(
        "SELECT a.title FROM incident_articles ia JOIN articles a ON a.id = ia.article_id "
        "WHERE ia.incident_id = ?", (incident_id,))]
    body = " ".join([*vendors, *affected, *titles])
    conn.execute("INSERT OR IGNORE INTO incident_fts_map (incident_id) VALUES (?)", (incident_id,))
    rowid = conn.execute("SELECT rowid FROM incident_fts_map WHERE incident_id = ?",
                         (incident_id,)).fetchone()[0]
    conn.execute("DELETE FROM incident_fts WHERE rowid = ?", (rowid,))
    conn.execute("INSERT INTO incident_fts (rowid, title, body) VALUES (?, ?, ?)",
                 (rowid, normalize_text(title), normalize_text(body)))


class IncidentStatsMethods:
    """Store methods aggregating incidents per vendor (SQL, on indexed labels and start),
    and listing them for feeds."""

    def incident_vendors(self) -> list[tuple[str, int]]:
        """Every vendor named by an incident, with its number of incidents, most first."""
        with self._read() as conn:  # type: ignore[attr-defined]
            rows = conn.execute(
                "SELECT value, COUNT(*) AS n FROM incident_labels WHERE field = 'vendor' "
                "GROUP BY value ORDER BY n DESC, value").fetchall()
        return [(r[0], int(r[1])) for r in rows]

    def top_vendors(self, limit: int | None = None, *, since: date | None = None,
                    until: date | None = None, include_mentioned: bool = True) -> list[tuple[str, int]]:
        """Vendors with most incidents in a period (cheap: one indexed count)."""
        where, params = _vendor_scope(None, since, until, include_mentioned)
        with self._read() as conn:  # type: ignore[attr-defined]
            rows = conn.execute(
                f"SELECT l.value, COUNT(*) AS n FROM incident_labels l JOIN incidents i "
                f"ON i.id = l.incident_id WHERE {where} GROUP BY l.value ORDER BY n DESC, l.value "
                f"LIMIT ?", [*params, limit if limit is not None else -1]).fetchall()
        return [(r[0], int(r[1])) for r in rows]

    def vendor_stats(self, vendors: list[str] | None = None, *, since: date | None = None,
                     until: date | None = None, include_mentioned: bool = True) -> list[dict[str, Any]]:
        """Per vendor: incidents, known durations (count, total, median, longest), data loss.

        Durations are the middle of each incident's hours range; incidents of unknown
        duration are counted in `incidents` but left out of every duration figure.
        """
        where, params = _vendor_scope(vendors, since, until, include_mentioned)
        marks = ",".join("?" * len(DATA_LOSS_LABELS))
        sql = f"""
        WITH base AS (
            SELECT l.value AS vendor, i.id AS id, i.start AS start, {DURATION_SQL} AS hours,
                   EXISTS (SELECT 1 FROM incident_labels x WHERE x.incident_id = i.id
                           AND x.field = 'impact' AND x.value IN ({marks})) AS data_loss
            FROM incident_labels l JOIN incidents i ON i.id = l.incident_id
            WHERE {where}
        ),
        ranked AS (
            SELECT vendor, id, hours,
                   ROW_NUMBER() OVER (PARTITION BY vendor ORDER BY hours, id) AS up,
                   ROW_NUMBER() OVER (PARTITION BY vendor ORDER BY hours DESC, id) AS down,
                   COUNT(*) OVER (PARTITION BY vendor) AS n
            FROM base WHERE hours IS NOT NULL
        ),
        medians AS (
            SELECT vendor, AVG(hours) AS median FROM ranked
            WHERE up IN ((n + 1) / 2, (n + 2) / 2) GROUP BY vendor
        ),
        longest AS (SELECT vendor, id FROM ranked WHERE down = 1)
        SELECT b.vendor AS vendor, COUNT(*) AS incidents, COUNT(b.hours) AS with_duration,
               SUM(b.hours) AS total_hours, MAX(b.hours) AS longest_hours,
               m.median AS median_hours, g.id AS longest_id,
               SUM(b.data_loss) AS data_loss_or_breach,
               MIN(b.start) AS first_start, MAX(b.start) AS last_start
        FROM base b LEFT JOIN medians m ON m.vendor = b.vendor
        LEFT JOIN longest g ON g.vendor = b.vendor
        GROUP BY b.vendor ORDER BY incidents DESC, b.vendor
        """
        with self._read() as conn:  # type: ignore[attr-defined]
            rows = conn.execute(sql, [*DATA_LOSS_LABELS, *params]).fetchall()
        return [dict(r) for r in rows]

    def vendor_breakdown(self, by: str, vendors: list[str] | None = None, *,
                         since: date | None = None, until: date | None = None,
                         include_mentioned: bool = True) -> dict[str, list[tuple[str, int]]]:
        """Per vendor, incident counts by 'impact', 'cause' or 'year' (most first; years in order).

        An incident counts once per impact label it has; 'unknown' stands for no cause or
        no start date.
        """
        where, params = _vendor_scope(vendors, since, until, include_mentioned)
        if by == "impact":
            sql = (f"SELECT l.value AS vendor, x.value AS key, COUNT(*) AS n FROM incident_labels l "
                   f"JOIN incidents i ON i.id = l.incident_id JOIN incident_labels x "
                   f"ON x.incident_id = i.id AND x.field = 'impact' WHERE {where} "
                   f"GROUP BY l.value, x.value ORDER BY l.value, n DESC, key")
        elif by in ("cause", "year"):
            key = "COALESCE(i.cause, 'unknown')" if by == "cause" else \
                "COALESCE(substr(i.start, 1, 4), 'unknown')"
            order = "n DESC, key" if by == "cause" else "key"
            sql = (f"SELECT l.value AS vendor, {key} AS key, COUNT(*) AS n FROM incident_labels l "
                   f"JOIN incidents i ON i.id = l.incident_id WHERE {where} "
                   f"GROUP BY l.value, key ORDER BY l.value, {order}")
        else:
            raise ValueError(f"unknown breakdown {by!r}")
        out: dict[str, list[tuple[str, int]]] = {}
        with self._read() as conn:  # type: ignore[attr-defined]
            for r in conn.execute(sql, params):
                out.setdefault(r["vendor"], []).append((r["key"], int(r["n"])))
        return out

    # ------------------------------------------------------------------ feeds and exports

    def incident_times(self, incident_ids: list[str]) -> dict[str, tuple[datetime, datetime]]:
        """When each incident was first stored and last changed (UTC)."""
        out: dict[str, tuple[datetime, datetime]] = {}
        with self._read() as conn:  # type: ignore[attr-defined]
            for start in range(0, len(incident_ids), 500):
                chunk = incident_ids[start:start + 500]
                rows = conn.execute(
                    f"SELECT id, created_at, updated_at FROM incidents WHERE id IN "
                    f"({','.join('?' * len(chunk))})", chunk).fetchall()
                for r in rows:
                    out[r["id"]] = (datetime.fromisoformat(r["created_at"]),
                                    datetime.fromisoformat(r["updated_at"]))
        return out

    def recent_incident_ids(self, *, limit: int = 50, vendors: list[str] | None = None,
                            impact: list[str] | None = None,
                            among: list[str] | None = None) -> list[str]:
        """Incidents most recently created first, optionally by vendor, impact or id set."""
        clauses, params = [], []
        for fld, values in (("vendor", vendors), ("impact", impact)):
            if values:
                clauses.append(f"EXISTS (SELECT 1 FROM incident_labels l WHERE l.incident_id = i.id "
                               f"AND l.field = '{fld}' AND l.value IN ({','.join('?' * len(values))}))")
                params += list(values)
        if among is not None:
            if not among:
                return []
            clauses.append(f"i.id IN ({','.join('?' * len(among))})")
            params += list(among)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        with self._read() as conn:  # type: ignore[attr-defined]
            rows = conn.execute(f"SELECT i.id FROM incidents i {where} "
                                f"ORDER BY i.created_at DESC, i.start DESC, i.id LIMIT ?",
                                [*params, limit]).fetchall()
        return [r[0] for r in rows]


class IncidentMethods(IncidentStatsMethods):
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
        write_incident_fts(conn, incident.id, incident.title, incident.vendors, incident.affected)

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
