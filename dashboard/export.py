"""Search results as CSV and JSON files for download (plain data, no formatting)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from pannes.incidents.export import csv_cell

from pannes.records import SearchHit

COLUMNS = ("type", "id", "titre", "source", "date", "url", "fournisseurs", "impacts", "cause",
           "debut", "fin", "duree_heures_min", "duree_heures_max", "incident", "extrait")


def hit_row(hit: SearchHit) -> dict[str, Any]:
    """One result as a flat record (ISO dates, lists kept as lists)."""
    return {
        "type": "article" if hit.kind == "article" else "incident",
        "id": hit.id,
        "titre": hit.title,
        "source": hit.source,
        "date": hit.published.isoformat() if hit.published else None,
        "url": hit.url,
        "fournisseurs": list(hit.vendors),
        "impacts": list(hit.impact),
        "cause": hit.cause,
        "debut": hit.start.isoformat() if hit.start else None,
        "fin": hit.end.isoformat() if hit.end else None,
        "duree_heures_min": hit.hours_min,
        "duree_heures_max": hit.hours_max,
        "incident": hit.incident_id,
        "extrait": hit.snippet.text or None,
    }


def to_json(hits: Sequence[SearchHit]) -> str:
    """Results as a JSON array of records (UTF-8, readable)."""
    return json.dumps([hit_row(h) for h in hits], ensure_ascii=False, indent=2)


def to_csv(hits: Sequence[SearchHit]) -> str:
    """Results as CSV (comma-separated, header row, lists joined with « | », text a
    spreadsheet would run as a formula made inert, as `pannes export` does)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for hit in hits:
        row = hit_row(hit)
        writer.writerow([csv_cell(row[c]) for c in COLUMNS])
    return buffer.getvalue()
