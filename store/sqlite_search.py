"""Search over the SQLite store: FTS5 match, filters and facets in SQL, snippets in Python.

The full-text tables (article_fts, incident_fts) hold the normalised text (pannes.textnorm) and
are kept in sync by the store on every write. A search runs at most three statements: the
total and the facets over one materialised set of matching ids, one page of ids in order, then
the page's rows; the article texts are only read for the page, to cut snippets.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from pannes.store.base import (
    FACET_SIZE,
    LABEL_FACETS,
    DocumentKind,
    PreparedQuery,
    Progress,
    prepare,
)
from pannes.store.connection import Database, marks
from pannes.store.fts_index import rebuild
from pannes.store.highlight import make_snippet

from pannes.records import SearchHit, SearchQuery, SearchResult

log = logging.getLogger(__name__)

# bm25 column weights: the title counts more than the body.
TITLE_WEIGHT = 4.0
BODY_WEIGHT = 1.0
INCIDENT_SNIPPET_SEPARATOR = " · "
# Columns of the materialised set of matches that facets are counted on.
ARTICLE_COLUMNS = "s.article_id AS id, s.source AS source, s.month AS month, s.cause AS cause"
INCIDENT_COLUMNS = "i.id AS id, NULL AS source, substr(i.start, 1, 7) AS month, i.cause AS cause"


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


@dataclass
class _Plan:
    """FROM + WHERE of one search, with its parameters."""

    sql_from: str
    where: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    rank: str = "0.0"

    @property
    def sql(self) -> str:
        where = (" WHERE " + " AND ".join(self.where)) if self.where else ""
        return self.sql_from + where

    def add(self, clause: str, *params: Any) -> None:
        self.where.append(clause)
        self.params.extend(params)


class SearchIndex:
    """The store's part that searches articles and incidents and feeds other indexes."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def search(self, query: SearchQuery) -> SearchResult:
        """One page of articles or incidents matching `query`, with facets and snippets."""
        prepared = prepare(query)
        if prepared.empty_reason:
            return prepared.empty_result()
        try:
            if query.kind == "incidents":
                return self._search_incidents(prepared)
            return self._search_articles(prepared)
        except sqlite3.OperationalError as exc:
            # A query the parser let through but FTS5 refused: report it, never crash a page.
            log.warning("search failed for %r: %s", query.text, exc)
            return SearchResult(total=0, page=prepared.page, per_page=prepared.per_page,
                                message="Cette recherche n'a pas pu être exécutée : "
                                        "simplifiez-la (mots, \"expression\", OR, -mot, mot*).")

    # ------------------------------------------------------------------ articles

    @staticmethod
    def _article_plan(p: PreparedQuery) -> _Plan:
        """Matches and filters over search_facts (one narrow row per article).

        With text, FTS5 drives (CROSS JOIN fixes the order): the full-text query runs once,
        never once per candidate row.
        """
        match = p.parsed.match
        if match is not None:
            plan = _Plan("FROM article_fts f CROSS JOIN search_facts s ON s.article_id = f.rowid")
            plan.add("article_fts MATCH ?", match)
            plan.rank = f"bm25(article_fts, {TITLE_WEIGHT}, {BODY_WEIGHT})"
        else:
            plan = _Plan("FROM search_facts s")
        f = p.query.filters
        for name, values in (("vendor", f.vendors), ("affected", f.affected),
                             ("impact", f.impact)):
            if values:
                plan.add(f"s.article_id IN (SELECT article_id FROM tag_labels WHERE field = ? "
                         f"AND value IN ({marks(values)}))", name, *values)
        if f.cause:
            plan.add(f"s.cause IN ({marks(f.cause)})", *f.cause)
        if f.sources:
            plan.add(f"s.source IN ({marks(f.sources)})", *f.sources)
        if f.date_from is not None:
            plan.add("s.published >= ?", f.date_from.isoformat())
        if f.date_to is not None:
            # published may hold a time: compare with the end of the day.
            plan.add("s.published < ?", _next_day(f.date_to))
        if f.min_hours is not None:
            plan.add("s.hours_high >= ?", f.min_hours)
        if f.max_hours is not None:
            plan.add("s.hours_low <= ?", f.max_hours)
        if f.is_outage is not None:
            plan.add("s.is_outage = ?", 1 if f.is_outage else 0)
        return plan

    def _search_articles(self, p: PreparedQuery) -> SearchResult:
        plan = self._article_plan(p)
        filtered = len(plan.where) > (1 if p.parsed.match is not None else 0)
        if p.sort == "relevance":
            if filtered:
                page_sql = (f"SELECT s.article_id, {plan.rank} AS score {plan.sql} "
                            f"ORDER BY score, s.article_id DESC LIMIT ? OFFSET ?")
            else:  # no filter: the full-text table alone
                page_sql = (f"SELECT rowid, {plan.rank} AS score FROM article_fts WHERE "
                            f"article_fts MATCH ? ORDER BY score, rowid DESC LIMIT ? OFFSET ?")
        elif p.sort == "date_asc":
            page_sql = (f"SELECT s.article_id, 0.0 {plan.sql} ORDER BY s.published IS NULL, "
                        f"s.published, s.article_id LIMIT ? OFFSET ?")
        else:
            page_sql = (f"SELECT s.article_id, 0.0 {plan.sql} "
                        f"ORDER BY s.published DESC, s.article_id DESC LIMIT ? OFFSET ?")
        with self.db.read() as conn:
            text = p.parsed.match is not None
            total, facets = self._totals(
                conn, plan, p, self._article_facet_sql, ARTICLE_COLUMNS,
                count_sql=("SELECT COUNT(*) FROM article_fts WHERE article_fts MATCH ?"
                           if text and not filtered else None),
                everything=not text and not filtered)
            page = conn.execute(page_sql, [*plan.params, p.per_page, p.offset]).fetchall()
            hits = self._article_hits(conn, [(r[0], r[1]) for r in page], p)
        return SearchResult(total=total, hits=hits, facets=facets, page=p.page,
                            per_page=p.per_page, message=p.message)

    @staticmethod
    def _article_facet_sql(name: str, everything: bool = False) -> str | None:
        """Facet counts over the matches `m`; over every article straight from the indexes."""
        if name == "cause" and not everything:  # single-valued: a column of search_facts
            return (f"SELECT 'cause', cause, COUNT(*) AS n FROM m WHERE cause IS NOT NULL "
                    f"GROUP BY cause ORDER BY n DESC, cause LIMIT {FACET_SIZE}")
        if name in LABEL_FACETS:
            if everything:
                return (f"SELECT '{name}', value, COUNT(*) AS n FROM tag_labels "
                        f"WHERE field = '{name}' GROUP BY value ORDER BY n DESC, value "
                        f"LIMIT {FACET_SIZE}")
            return (f"SELECT '{name}', l.value, COUNT(*) AS n FROM m JOIN tag_labels l "
                    f"ON l.article_id = m.id AND l.field = '{name}' GROUP BY l.value "
                    f"ORDER BY n DESC, l.value LIMIT {FACET_SIZE}")
        table = "search_facts" if everything else "m"
        if name == "source":
            return (f"SELECT 'source', source, COUNT(*) AS n FROM {table} GROUP BY source "
                    f"ORDER BY n DESC, source LIMIT {FACET_SIZE}")
        if name == "month":
            return (f"SELECT 'month', month, COUNT(*) FROM {table} WHERE month IS NOT NULL "
                    f"GROUP BY month ORDER BY month")
        return None

    @staticmethod
    def _totals(conn: sqlite3.Connection, plan: _Plan, p: PreparedQuery, facet_sql: Any,
                columns: str, *, count_sql: str | None = None, everything: bool = False,
                ) -> tuple[int, dict[str, list[tuple[str, int]]]]:
        """The total and the facets, over one materialised set of matching documents.

        `count_sql` counts faster when no facet is wanted; `everything` (no text, no filter)
        counts facets straight from the indexes instead of over every row.
        """
        if not p.facets:
            sql = count_sql or f"SELECT COUNT(*) {plan.sql}"
            return conn.execute(sql, plan.params[:sql.count("?")]).fetchone()[0], {}
        if everything:
            arms = ["SELECT 'total', NULL, COUNT(*) FROM search_facts"]
            arms += [f"SELECT * FROM ({sql})" for name in p.facets
                     if (sql := facet_sql(name, True))]
            rows = conn.execute(" UNION ALL ".join(arms)).fetchall()
        else:
            arms = ["SELECT 'total', NULL, COUNT(*) FROM m"]
            arms += [f"SELECT * FROM ({sql})" for name in p.facets if (sql := facet_sql(name))]
            rows = conn.execute(
                f"WITH m AS MATERIALIZED (SELECT {columns} {plan.sql}) "
                + " UNION ALL ".join(arms), plan.params).fetchall()
        total = 0
        facets: dict[str, list[tuple[str, int]]] = {name: [] for name in p.facets}
        for name, value, count in rows:
            if name == "total":
                total = int(count)
            elif value is not None:
                facets[name].append((str(value), int(count)))
        return total, facets

    @staticmethod
    def _article_hits(conn: sqlite3.Connection, page: list[tuple[int, float]],
                      p: PreparedQuery) -> list[SearchHit]:
        if not page:
            return []
        ids = [article_id for article_id, _ in page]
        facts = _indexed_tags(conn, ids)
        rows = {r["id"]: r for r in conn.execute(
            f"SELECT a.id, a.url, a.source, a.title, a.published, v.text "
            f"FROM articles a JOIN article_versions v ON v.article_id = a.id "
            f"AND v.version = a.current_version WHERE a.id IN ({marks(ids)})", ids)}
        incident_of = dict(conn.execute(
            f"SELECT article_id, MIN(incident_id) FROM incident_articles "
            f"WHERE article_id IN ({marks(ids)}) GROUP BY article_id", ids).fetchall())
        spec = p.parsed.highlight
        hits = []
        for article_id, score in page:
            r, tags = rows[article_id], facts.get(article_id, {})
            hits.append(SearchHit(
                kind="article", id=str(article_id), title=r["title"], url=r["url"],
                source=r["source"], published=_d(r["published"]), score=-float(score or 0.0),
                snippet=make_snippet(r["text"], spec),
                vendors=tags.get("vendors", []), impact=tags.get("impact", []),
                cause=tags.get("cause"), start=_d(tags.get("start")), end=_d(tags.get("end")),
                hours_min=tags.get("hours_min"), hours_max=tags.get("hours_max"),
                incident_id=incident_of.get(article_id),
            ))
        return hits

    # ------------------------------------------------------------------ incidents

    @staticmethod
    def _incident_plan(p: PreparedQuery) -> _Plan:
        match = p.parsed.match
        if match is not None:
            plan = _Plan("FROM incident_fts f CROSS JOIN incident_fts_map fm ON fm.rowid = f.rowid "
                         "CROSS JOIN incidents i ON i.id = fm.incident_id")
            plan.add("incident_fts MATCH ?", match)
            plan.rank = f"bm25(incident_fts, {TITLE_WEIGHT}, {BODY_WEIGHT})"
        else:
            plan = _Plan("FROM incidents i")
        f = p.query.filters
        if f.cause:
            plan.add(f"i.cause IN ({marks(f.cause)})", *f.cause)
        for name, values in (("vendor", f.vendors), ("affected", f.affected),
                             ("impact", f.impact)):
            if values:
                plan.add(f"i.id IN (SELECT incident_id FROM incident_labels WHERE field = ? "
                         f"AND value IN ({marks(values)}))", name, *values)
        if f.sources:
            plan.add(f"i.id IN (SELECT ia.incident_id FROM incident_articles ia JOIN articles a "
                     f"ON a.id = ia.article_id WHERE a.source IN ({marks(f.sources)}))",
                     *f.sources)
        if f.date_from is not None:
            plan.add("COALESCE(i.\"end\", i.start) >= ?", f.date_from.isoformat())
        if f.date_to is not None:
            plan.add("i.start < ?", _next_day(f.date_to))
        if f.min_hours is not None:
            plan.add("COALESCE(i.hours_max, i.hours_min) >= ?", f.min_hours)
        if f.max_hours is not None:
            plan.add("COALESCE(i.hours_min, i.hours_max) <= ?", f.max_hours)
        if f.is_outage is False:
            plan.add("0")  # every incident is an outage
        return plan

    @staticmethod
    def _incident_facet_sql(name: str, everything: bool = False) -> str | None:
        if name == "cause":
            return (f"SELECT 'cause', cause, COUNT(*) AS n FROM m WHERE cause IS NOT NULL "
                    f"GROUP BY cause ORDER BY n DESC, cause LIMIT {FACET_SIZE}")
        if name in LABEL_FACETS:
            return (f"SELECT '{name}', l.value, COUNT(*) AS n FROM m JOIN incident_labels l "
                    f"ON l.incident_id = m.id AND l.field = '{name}' GROUP BY l.value "
                    f"ORDER BY n DESC, l.value LIMIT {FACET_SIZE}")
        if name == "source":
            return (f"SELECT 'source', a.source, COUNT(DISTINCT m.id) AS n FROM m "
                    f"JOIN incident_articles ia ON ia.incident_id = m.id "
                    f"JOIN articles a ON a.id = ia.article_id GROUP BY a.source "
                    f"ORDER BY n DESC, a.source LIMIT {FACET_SIZE}")
        if name == "month":
            return ("SELECT 'month', m.month, COUNT(*) FROM m WHERE m.month IS NOT NULL "
                    "GROUP BY m.month ORDER BY m.month")
        return None

    def _search_incidents(self, p: PreparedQuery) -> SearchResult:
        plan = self._incident_plan(p)
        if p.sort == "relevance":
            # Incidents known only from later mentions come after those with articles.
            order = "i.known_from_mentions, score, i.start DESC, i.id"
        elif p.sort == "date_asc":
            order = "i.start IS NULL, i.start, i.id"
        else:
            order = "i.start DESC, i.id"
        with self.db.read() as conn:
            total, facets = self._totals(conn, plan, p, self._incident_facet_sql,
                                         INCIDENT_COLUMNS)
            page = conn.execute(
                f"SELECT i.id, i.data, {plan.rank} AS score {plan.sql} ORDER BY {order} "
                f"LIMIT ? OFFSET ?", [*plan.params, p.per_page, p.offset]).fetchall()
            ids = [r["id"] for r in page]
            titles: dict[str, list[str]] = {}
            sources: dict[str, str] = {}
            if ids:
                for incident_id, title, source in conn.execute(
                        f"SELECT ia.incident_id, a.title, a.source FROM incident_articles ia "
                        f"JOIN articles a ON a.id = ia.article_id WHERE ia.incident_id IN "
                        f"({marks(ids)}) ORDER BY a.published, a.id", ids):
                    titles.setdefault(incident_id, []).append(title)
                    sources.setdefault(incident_id, source)
        spec = p.parsed.highlight
        hits = []
        for r in page:
            data = json.loads(r["data"])
            duration = data.get("duration") or {}
            text = INCIDENT_SNIPPET_SEPARATOR.join(titles.get(r["id"], []))
            hits.append(SearchHit(
                kind="incident", id=r["id"], title=data.get("title") or "",
                source=sources.get(r["id"]), published=_d(data.get("start")),
                score=-float(r["score"] or 0.0), snippet=make_snippet(text, spec),
                vendors=data.get("vendors") or [], impact=data.get("impact") or [],
                cause=data.get("cause"), start=_d(data.get("start")), end=_d(data.get("end")),
                hours_min=duration.get("hours_min"), hours_max=duration.get("hours_max"),
                incident_id=r["id"],
            ))
        return SearchResult(total=total, hits=hits, facets=facets, page=p.page,
                            per_page=p.per_page, message=p.message)

    # ------------------------------------------------------------------ rebuilding FTS

    def rebuild_search_index(self, *, progress: Progress | None = None,
                             batch_size: int = 500) -> dict[str, int]:
        """Re-normalise the full-text tables from the stored texts (after a textnorm change).

        Built into shadow tables in batches, then swapped in one short transaction: searches
        use the old index until the new one is complete, writers wait at most one batch.
        """
        return rebuild(self.db, progress=progress, batch_size=batch_size)

    # ------------------------------------------------------------------ feeding other indexes

    def count_search_documents(self, kind: DocumentKind, *, since: datetime | None = None) -> int:
        """How many documents `iter_search_documents` would give."""
        where, params = _since_clause(kind, since)
        table = "incidents i" if kind == "incidents" else "articles a"
        with self.db.read() as conn:
            return conn.execute(f"SELECT COUNT(*) FROM {table} {where}", params).fetchone()[0]

    def search_document_ids(self, kind: DocumentKind) -> set[str]:
        """The ids of every article or incident, as `iter_search_documents` writes them."""
        sql = "SELECT id FROM incidents" if kind == "incidents" else "SELECT id FROM articles"
        with self.db.read() as conn:
            return {str(r[0]) for r in conn.execute(sql)}

    def iter_search_documents(self, kind: DocumentKind, *, since: datetime | None = None,
                              batch_size: int = 500) -> Iterator[dict[str, Any]]:
        """Articles or incidents with their tags as flat documents, for an external index.

        Fields: id, kind, title, body, url, source, sources, published, month, is_outage,
        vendors, affected, impact, region, cause, hours_min, hours_max, start, end, last_day,
        incident_id (articles), article_ids (incidents). Durations with one bound known use it
        for both, as the SQLite filters do.
        """
        where, params = _since_clause(kind, since)
        key = "i.id" if kind == "incidents" else "a.id"
        last: Any = "" if kind == "incidents" else 0
        while True:
            clause = (where + " AND " if where else "WHERE ") + f"{key} > ?"
            with self.db.read() as conn:
                if kind == "incidents":
                    docs = _incident_documents(conn, clause, [*params, last], batch_size)
                else:
                    docs = _article_documents(conn, clause, [*params, last], batch_size)
            if not docs:
                return
            yield from docs
            last = docs[-1]["id"] if kind == "incidents" else int(docs[-1]["id"])


# ---------------------------------------------------------------------- helpers


def _next_day(day: date) -> str:
    return date.fromordinal(day.toordinal() + 1).isoformat()


def _indexed_tags(conn: sqlite3.Connection, ids: list[int]) -> dict[int, dict[str, Any]]:
    """The searchable copy of the tags (editors' corrections applied) of some articles:
    the columns of `tags` and the lists of `tag_labels`, in the order they were saved."""
    out: dict[int, dict[str, Any]] = {}
    for r in conn.execute(
            f"SELECT article_id, is_outage, cause, start, \"end\", hours_min, hours_max "
            f"FROM tags WHERE article_id IN ({marks(ids)})", ids):
        out[r[0]] = {"is_outage": bool(r[1]), "cause": r[2], "start": r[3], "end": r[4],
                     "hours_min": r[5], "hours_max": r[6], "vendors": [], "affected": [],
                     "impact": [], "region": []}
    for article_id, name, value in conn.execute(
            f"SELECT article_id, field, value FROM tag_labels WHERE article_id IN "
            f"({marks(ids)}) ORDER BY rowid", ids):
        lists = out.get(article_id)
        if lists is not None and name != "cause":
            lists.setdefault("vendors" if name == "vendor" else name, []).append(value)
    return out


def _since_clause(kind: DocumentKind, since: datetime | None) -> tuple[str, list[Any]]:
    if since is None:
        return "", []
    stamp = since.astimezone(UTC).isoformat(timespec="seconds") if since.tzinfo else \
        since.isoformat(timespec="seconds")
    if kind == "incidents":
        return "WHERE i.updated_at >= ?", [stamp]
    return ("WHERE (EXISTS (SELECT 1 FROM article_versions v WHERE v.article_id = a.id "
            "AND v.version = a.current_version AND v.fetched_at >= ?) "
            "OR EXISTS (SELECT 1 FROM tags t WHERE t.article_id = a.id AND t.tagged_at >= ?) "
            "OR EXISTS (SELECT 1 FROM corrections c WHERE c.target = 'article' "
            "AND c.target_id = CAST(a.id AS TEXT) AND c.at >= ?) "
            "OR EXISTS (SELECT 1 FROM incident_articles ia JOIN incidents i "
            "ON i.id = ia.incident_id WHERE ia.article_id = a.id AND i.updated_at >= ?))",
            [stamp, stamp, stamp, stamp])


def _hours(data: dict[str, Any]) -> tuple[float | None, float | None]:
    duration = data.get("duration") or {}
    low, high = duration.get("hours_min"), duration.get("hours_max")
    return (low if low is not None else high), (high if high is not None else low)


def _article_documents(conn: sqlite3.Connection, where: str, params: list[Any],
                       limit: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        f"SELECT a.id, a.url, a.source, a.title, a.published, v.text, "
        f"(SELECT MIN(incident_id) FROM incident_articles ia WHERE ia.article_id = a.id) "
        f"AS incident_id FROM articles a JOIN article_versions v ON v.article_id = a.id "
        f"AND v.version = a.current_version {where} ORDER BY a.id LIMIT ?",
        [*params, limit]).fetchall()
    facts = _indexed_tags(conn, [r["id"] for r in rows]) if rows else {}
    docs = []
    for r in rows:
        tags = facts.get(r["id"], {})
        low, high = _hours({"duration": tags})
        published = (r["published"] or "")[:10] or None
        docs.append({
            "id": str(r["id"]), "kind": "article", "title": r["title"], "body": r["text"],
            "url": r["url"], "source": r["source"], "sources": [r["source"]],
            "published": published, "month": published[:7] if published else None,
            "is_outage": bool(tags.get("is_outage")),
            "vendors": tags.get("vendors", []), "affected": tags.get("affected", []),
            "impact": tags.get("impact", []), "region": tags.get("region", []),
            "cause": tags.get("cause"), "hours_min": low, "hours_max": high,
            "start": tags.get("start"), "end": tags.get("end"),
            "last_day": tags.get("end") or tags.get("start"), "incident_id": r["incident_id"],
        })
    return docs


def _incident_documents(conn: sqlite3.Connection, where: str, params: list[Any],
                        limit: int) -> list[dict[str, Any]]:
    rows = conn.execute(f"SELECT i.id, i.data FROM incidents i {where} ORDER BY i.id LIMIT ?",
                        [*params, limit]).fetchall()
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    members: dict[str, list[tuple[str, str]]] = {}
    for incident_id, title, source in conn.execute(
            f"SELECT ia.incident_id, a.title, a.source FROM incident_articles ia JOIN articles a "
            f"ON a.id = ia.article_id WHERE ia.incident_id IN ({marks(ids)}) "
            f"ORDER BY a.published, a.id", ids):
        members.setdefault(incident_id, []).append((title, source))
    docs = []
    for r in rows:
        data = json.loads(r["data"])
        low, high = _hours(data)
        titles = [t for t, _ in members.get(r["id"], [])]
        start = data.get("start")
        docs.append({
            "id": r["id"], "kind": "incident", "title": data.get("title") or "",
            "body": INCIDENT_SNIPPET_SEPARATOR.join(titles),
            "tags_text": " ".join([*(data.get("vendors") or []), *(data.get("affected") or [])]),
            "url": None, "source": next((s for _, s in members.get(r["id"], [])), None),
            "sources": sorted({s for _, s in members.get(r["id"], [])}),
            "published": start, "month": start[:7] if start else None, "is_outage": True,
            "vendors": data.get("vendors") or [], "affected": data.get("affected") or [],
            "impact": data.get("impact") or [], "region": data.get("region") or [],
            "cause": data.get("cause"), "hours_min": low, "hours_max": high,
            "start": start, "end": data.get("end"), "last_day": data.get("end") or start,
            "incident_id": r["id"], "article_ids": data.get("article_ids") or [],
            "known_from_mentions": bool(data.get("known_from_mentions")),
        })
    return docs
