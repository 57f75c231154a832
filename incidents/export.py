"""Export incidents and articles as CSV or JSON Lines, selected with the filters of search.

The selection is a `SearchQuery` (text, vendors, impact, cause, sources, dates, durations):
the same one the dashboard and `pannes search` use. CSV puts list fields in one cell,
values separated by " | ", and marks text that a spreadsheet would run as a formula with a
leading apostrophe; JSON Lines keeps every field as it is (incidents with their provenance).
`incident_from_row` / `article_row` read exported rows back, so exports can be checked.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import IO, Any

from pannes.incidents.overlay import corrected, load_corrections
from pannes.store.protocol import Store

from pannes.errors import UserInputError
from pannes.records import Duration, Incident, SearchFilters, SearchQuery

log = logging.getLogger(__name__)

FORMATS = ("csv", "jsonl")
LIST_SEPARATOR = " | "
PAGE_SIZE = 200

INCIDENT_COLUMNS = ("id", "title", "vendors", "affected", "impact", "cause", "cause_ruled_out",
                    "start", "end", "hours_min", "hours_max", "ongoing", "duration_text",
                    "region", "users_affected", "known_from_mentions", "article_ids",
                    "mentioned_in")
ARTICLE_COLUMNS = ("id", "url", "source", "title", "published", "incident_id", "is_outage",
                   "outage_score", "vendors", "affected", "impact", "cause", "cause_ruled_out",
                   "start", "end", "hours_min", "hours_max", "ongoing", "region",
                   "users_affected")
_INCIDENT_LISTS = ("vendors", "affected", "impact", "cause_ruled_out", "region", "duration_text")


def _is_unfiltered(query: SearchQuery) -> bool:
    return not query.text.strip() and query.filters == SearchFilters()


def iter_hit_ids(store: Store, query: SearchQuery) -> Iterator[str]:
    """Ids of every hit of a search, newest first, beyond the search's result window.

    Pages are walked by date: when the window is used up, the search restarts with the
    last date seen as its upper bound (ids already given are skipped).
    """
    base = replace(query, sort="date", per_page=PAGE_SIZE, page=1, facets=[])
    seen: set[str] = set()
    while True:
        page, progressed, last_date = 1, False, None
        while True:
            result = store.search(replace(base, page=page))
            if result.message and not result.hits:
                if page == 1 and result.total == 0:
                    log.info("Search: %s", result.message)
                break
            fresh = [h for h in result.hits if h.id not in seen]
            for hit in fresh:
                seen.add(hit.id)
                yield hit.id
            progressed = progressed or bool(fresh)
            if result.hits:
                last_date = result.hits[-1].published or last_date
            if len(result.hits) < base.per_page or page * base.per_page >= result.total:
                return
            if result.page < page:  # the backend's window is used up
                break
            page += 1
        if not progressed or last_date is None:
            return
        base = replace(base, filters=replace(base.filters, date_to=last_date))


def select_incidents(store: Store, query: SearchQuery | None = None) -> Iterator[Incident]:
    """Incidents matching a search (all of them for an empty one), newest first."""
    query = replace(query or SearchQuery(), kind="incidents")
    if _is_unfiltered(query):
        offset = 0
        while True:
            batch = store.list_incidents(limit=PAGE_SIZE, offset=offset)
            yield from batch
            if len(batch) < PAGE_SIZE:
                return
            offset += PAGE_SIZE
    for incident_id in iter_hit_ids(store, query):
        incident = store.get_incident(incident_id)
        if incident is not None:
            yield incident


def select_articles(store: Store, query: SearchQuery | None = None, *,
                    with_text: bool = False) -> Iterator[dict[str, Any]]:
    """Articles matching a search, with their corrected tags and incident, as dicts."""
    query = replace(query or SearchQuery(), kind="articles")
    corrections = load_corrections(store).article_fields
    if _is_unfiltered(query):
        ids: Iterator[int] = (a.id for a in store.iter_articles())
    else:
        ids = (int(i) for i in iter_hit_ids(store, query))
    for article_id in ids:
        article = store.get_article(article_id)
        if article is None:
            continue
        tags = store.get_tags(article_id)
        if tags is not None:
            tags = corrected(tags, corrections.get(article_id, []))
        data = {"id": article.id, "url": article.url, "source": article.source,
                "title": article.title,
                "published": article.published.isoformat() if article.published else None,
                "author": article.author, "incident_id": store.incident_of_article(article_id),
                "tags": tags.to_dict() if tags is not None else None}
        if with_text:
            data["text"] = article.text
        yield data


# ---------------------------------------------------------------------- rows


# A spreadsheet runs a cell starting with one of these as a formula ("=HYPERLINK(...)" in a
# title from the web). Such text cells get a leading apostrophe, in this export and the
# dashboard's; cells already starting with one get another, so reading back is exact.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"


def _inert(text: str) -> str:
    """Text a spreadsheet shows as text, never runs."""
    return TEXT_MARK + text if text.startswith((*FORMULA_STARTS, TEXT_MARK)) else text


def _plain(cell: str) -> str:
    """The text of a cell that `_inert` may have marked."""
    return cell[1:] if cell.startswith(TEXT_MARK) else cell


def csv_cell(value: Any) -> str:
    """A value as a CSV cell: lists joined, numbers plain, text made inert (`_inert`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return _inert(LIST_SEPARATOR.join(str(v) for v in value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    return _inert(str(value))


def incident_row(incident: Incident) -> dict[str, str]:
    """An incident as one CSV row."""
    d = incident.duration
    values = {**incident.to_dict(), "hours_min": d.hours_min, "hours_max": d.hours_max,
              "ongoing": d.ongoing, "duration_text": d.text,
              "mentioned_in": incident.provenance.get("mentioned_in", [])}
    return {c: csv_cell(values.get(c)) for c in INCIDENT_COLUMNS}


def _list(cell: str) -> list[str]:
    return [v for v in cell.split(LIST_SEPARATOR) if v] if cell else []


def _float(cell: str) -> float | None:
    return float(cell) if cell else None


def _bool(cell: str) -> bool | None:
    return {"true": True, "false": False}.get(cell)


def incident_from_row(row: dict[str, str]) -> Incident:
    """An incident read back from a CSV row (provenance other than mentions is not exported)."""
    row = {k: _plain(v or "") for k, v in row.items()}
    return Incident(
        id=row["id"], title=row["title"], vendors=_list(row["vendors"]),
        affected=_list(row["affected"]), impact=_list(row["impact"]), cause=row["cause"] or None,
        cause_ruled_out=_list(row["cause_ruled_out"]),
        duration=Duration(_list(row["duration_text"]), _float(row["hours_min"]),
                          _float(row["hours_max"]), _bool(row["ongoing"])),
        start=date.fromisoformat(row["start"]) if row["start"] else None,
        end=date.fromisoformat(row["end"]) if row["end"] else None,
        region=_list(row["region"]),
        users_affected=int(row["users_affected"]) if row["users_affected"] else None,
        known_from_mentions=row["known_from_mentions"] == "true",
        article_ids=[int(a) for a in _list(row["article_ids"])],
        provenance={"mentioned_in": [int(a) for a in _list(row["mentioned_in"])]},
    )


def article_row(data: dict[str, Any]) -> dict[str, str]:
    """An exported article (as `select_articles` gives it) as one CSV row."""
    tags = data.get("tags") or {}
    duration = tags.get("duration") or {}
    values = {**data, **{k: tags.get(k) for k in ("is_outage", "outage_score", "vendors",
                                                  "affected", "impact", "cause",
                                                  "cause_ruled_out", "start", "end", "region",
                                                  "users_affected")},
              "hours_min": duration.get("hours_min"), "hours_max": duration.get("hours_max"),
              "ongoing": duration.get("ongoing")}
    return {c: csv_cell(values.get(c)) for c in ARTICLE_COLUMNS}


# ---------------------------------------------------------------------- writing


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise UserInputError(f"Unknown export format {fmt!r}: use one of {', '.join(FORMATS)}.")


def write_incidents(store: Store, out: IO[str], *, fmt: str = "csv",
                    query: SearchQuery | None = None) -> int:
    """Write the selected incidents to `out`; returns how many."""
    _check_format(fmt)
    writer = csv.DictWriter(out, fieldnames=INCIDENT_COLUMNS) if fmt == "csv" else None
    if writer:
        writer.writeheader()
    n = 0
    for incident in select_incidents(store, query):
        if writer:
            writer.writerow(incident_row(incident))
        else:
            out.write(json.dumps(incident.to_dict(), ensure_ascii=False) + "\n")
        n += 1
    return n


def write_articles(store: Store, out: IO[str], *, fmt: str = "csv",
                   query: SearchQuery | None = None, with_text: bool = False) -> int:
    """Write the selected articles (tags with corrections, incident id) to `out`."""
    _check_format(fmt)
    writer = csv.DictWriter(out, fieldnames=ARTICLE_COLUMNS) if fmt == "csv" else None
    if writer:
        writer.writeheader()
    n = 0
    for data in select_articles(store, query, with_text=with_text and fmt == "jsonl"):
        if writer:
            writer.writerow(article_row(data))
        else:
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
        n += 1
    return n
