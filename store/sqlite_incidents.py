"""Incidents and their member articles in the SQLite store, and figures per vendor."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from pannes.store.connection import Database, marks, utc_now
from pannes.store.corrected import apply_to_incident, field_corrections
from pannes.store.fts_index import delete_incident_entry, write_incident_entry

from pannes.records import Incident

INCIDENT_LABEL_FIELDS = {"vendor": "vendors", "affected": "affected", "impact": "impact",
                         "region": "region"}


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
        clauses.append(f"l.value IN ({marks(vendors)})")
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


VENDOR_GROUPS_KEY = "nlp.vendor_groups"


def _labels(groups: dict[str, str] | None) -> tuple[str, list[Any]]:
    """The incident labels as SQL, with vendors replaced by their group when `groups` is given
    (an incident naming both Meta and Instagram counts once for Meta)."""
    if not groups:
        return "incident_labels", []
    values = ", ".join("(?, ?)" for _ in groups)
    return (f"(WITH g(vendor, grp) AS (VALUES {values}) "
            "SELECT DISTINCT x.incident_id AS incident_id, x.field AS field, "
            "CASE WHEN x.field = 'vendor' THEN COALESCE(g.grp, x.value) ELSE x.value END AS value "
            "FROM incident_labels x LEFT JOIN g ON x.field = 'vendor' AND g.vendor = x.value)",
            [v for pair in groups.items() for v in pair])


class IncidentFigures:
    """The store's part aggregating incidents per vendor (SQL, on indexed labels and start),
    and listing them for feeds."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def vendor_groups(self) -> dict[str, str]:
        """Vendor -> group, as the last tagging recorded them from the vendor base's parents."""
        with self.db.read() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (VENDOR_GROUPS_KEY,)).fetchone()
        return json.loads(row[0]) if row is not None else {}

    def _rollup(self, by_group: bool) -> tuple[str, list[Any]]:
        return _labels(self.vendor_groups() if by_group else None)

    def incident_vendors(self) -> list[tuple[str, int]]:
        """Every vendor named by an incident, with its number of incidents, most first."""
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT value, COUNT(*) AS n FROM incident_labels WHERE field = 'vendor' "
                "GROUP BY value ORDER BY n DESC, value").fetchall()
        return [(r[0], int(r[1])) for r in rows]

    def top_vendors(self, limit: int | None = None, *, since: date | None = None,
                    until: date | None = None, include_mentioned: bool = True,
                    by_group: bool = False) -> list[tuple[str, int]]:
        """Vendors (or their groups) with most incidents in a period (one indexed count)."""
        where, params = _vendor_scope(None, since, until, include_mentioned)
        labels, label_params = self._rollup(by_group)
        with self.db.read() as conn:
            rows = conn.execute(
                f"SELECT l.value, COUNT(*) AS n FROM {labels} l JOIN incidents i "
                f"ON i.id = l.incident_id WHERE {where} GROUP BY l.value ORDER BY n DESC, l.value "
                f"LIMIT ?", [*label_params, *params, limit if limit is not None else -1]).fetchall()
        return [(r[0], int(r[1])) for r in rows]

    def vendor_stats(self, vendors: list[str] | None = None, *, since: date | None = None,
                     until: date | None = None, include_mentioned: bool = True,
                     by_group: bool = False) -> list[dict[str, Any]]:
        """Per vendor: incidents, known durations (count, total, median, longest), data loss.

        Durations are the middle of each incident's hours range; incidents of unknown
        duration are counted in `incidents` but left out of every duration figure.
        """
        where, params = _vendor_scope(vendors, since, until, include_mentioned)
        labels, label_params = self._rollup(by_group)
        sql = f"""
        WITH base AS (
            SELECT l.value AS vendor, i.id AS id, i.start AS start, {DURATION_SQL} AS hours,
                   EXISTS (SELECT 1 FROM incident_labels x WHERE x.incident_id = i.id
                           AND x.field = 'impact' AND x.value IN ({marks(DATA_LOSS_LABELS)})) AS data_loss
            FROM {labels} l JOIN incidents i ON i.id = l.incident_id
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
        with self.db.read() as conn:
            rows = conn.execute(sql, [*DATA_LOSS_LABELS, *label_params, *params]).fetchall()
        return [dict(r) for r in rows]

    def vendor_breakdown(self, by: str, vendors: list[str] | None = None, *,
                         since: date | None = None, until: date | None = None,
                         include_mentioned: bool = True,
                         by_group: bool = False) -> dict[str, list[tuple[str, int]]]:
        """Per vendor, incident counts by 'impact', 'cause' or 'year' (most first; years in order).

        An incident counts once per impact label it has; 'unknown' stands for no cause or
        no start date.
        """
        where, params = _vendor_scope(vendors, since, until, include_mentioned)
        labels, label_params = self._rollup(by_group)
        params = [*label_params, *params]
        if by == "impact":
            sql = (f"SELECT l.value AS vendor, x.value AS key, COUNT(*) AS n FROM {labels} l "
                   f"JOIN incidents i ON i.id = l.incident_id JOIN incident_labels x "
                   f"ON x.incident_id = i.id AND x.field = 'impact' WHERE {where} "
                   f"GROUP BY l.value, x.value ORDER BY l.value, n DESC, key")
        elif by in ("cause", "year"):
            key = "COALESCE(i.cause, 'unknown')" if by == "cause" else \
                "COALESCE(substr(i.start, 1, 4), 'unknown')"
            order = "n DESC, key" if by == "cause" else "key"
            sql = (f"SELECT l.value AS vendor, {key} AS key, COUNT(*) AS n FROM {labels} l "
                   f"JOIN incidents i ON i.id = l.incident_id WHERE {where} "
                   f"GROUP BY l.value, key ORDER BY l.value, {order}")
        else:
            raise ValueError(f"unknown breakdown {by!r}")
        out: dict[str, list[tuple[str, int]]] = {}
        with self.db.read() as conn:
            for r in conn.execute(sql, params):
                out.setdefault(r["vendor"], []).append((r["key"], int(r["n"])))
        return out

    # ------------------------------------------------------------------ feeds and exports

    def incident_times(self, incident_ids: list[str]) -> dict[str, tuple[datetime, datetime]]:
        """When each incident was first stored and last changed (UTC)."""
        out: dict[str, tuple[datetime, datetime]] = {}
        with self.db.read() as conn:
            for start in range(0, len(incident_ids), 500):
                chunk = incident_ids[start:start + 500]
                rows = conn.execute(
                    f"SELECT id, created_at, updated_at FROM incidents WHERE id IN "
                    f"({marks(chunk)})", chunk).fetchall()
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
                               f"AND l.field = '{fld}' AND l.value IN ({marks(values)}))")
                params += list(values)
        if among is not None:
            if not among:
                return []
            clauses.append(f"i.id IN ({marks(among)})")
            params += list(among)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        with self.db.read() as conn:
            rows = conn.execute(f"SELECT i.id FROM incidents i {where} "
                                f"ORDER BY i.created_at DESC, i.start DESC, i.id LIMIT ?",
                                [*params, limit]).fetchall()
        return [r[0] for r in rows]


class Incidents:
    """The store's part for incidents: their fields, labels, member articles and full-text
    entry. Every write lays the incident's own field corrections over what it is given."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def save_incident(self, incident: Incident) -> None:
        """Create or replace an incident, its labels, members and full-text entry."""
        with self.db.transaction() as conn:
            write_incident(conn, incident)

    def save_incidents(self, incidents: Sequence[Incident], *,
                       delete_ids: Sequence[str] = ()) -> None:
        """Write several incidents and drop others in one transaction (a regrouping)."""
        with self.db.transaction() as conn:
            for incident_id in delete_ids:
                self._delete_incident(conn, incident_id)
            for incident in incidents:
                write_incident(conn, incident)

    @staticmethod
    def _delete_incident(conn: sqlite3.Connection, incident_id: str) -> None:
        delete_incident_entry(conn, incident_id)
        conn.execute("DELETE FROM incidents WHERE id = ?", (incident_id,))

    def get_incident(self, incident_id: str) -> Incident | None:
        with self.db.read() as conn:
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
        clauses: list[str] = []
        params: list[Any] = []
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
        with self.db.read() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [Incident.from_dict(json.loads(r["data"])) for r in rows]

    def count_incidents(self) -> int:
        with self.db.read() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM incidents").fetchone()[0])

    def incident_of_article(self, article_id: int) -> str | None:
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT incident_id FROM incident_articles WHERE article_id = ? LIMIT 1",
                (article_id,),
            ).fetchone()
        return row[0] if row is not None else None


def write_incident(conn: sqlite3.Connection, incident: Incident) -> None:
    """Create or replace an incident, its labels, members and full-text entry, with its own
    field corrections laid over it."""
    for c in field_corrections(conn, "incident", incident.id):
        apply_to_incident(incident, c.field, c.value)
    data = incident.to_dict()
    now = utc_now()
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
    write_incident_entry(conn, incident.id, incident.title, incident.vendors,
                         incident.affected)
