"""Search over the SQLite store: FTS5 match, filters and facets in SQL, snippets in Python."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from pannes.records import SearchFilters, SearchHit, SearchQuery, SearchResult
from store.fts import parse_query
from store.highlight import make_snippet

# bm25 column weights: the title counts more than the body.
TITLE_WEIGHT = 4.0
BODY_WEIGHT = 1.0


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


class SearchMethods:
    """Store methods for searching articles and incidents."""

    def search(self, query: SearchQuery) -> SearchResult:
        if query.kind == "incidents":
            return self._search_incidents(query)
        return self._search_articles(query)

    # ------------------------------------------------------------------ articles

    def _article_filters(self, f: SearchFilters) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        for fld, values in (("vendor", f.vendors), ("affected", f.affected),
                            ("impact", f.impact), ("cause", f.cause)):
            if values:
                marks = ",".join("?" * len(values))
                clauses.append(f"EXISTS (SELECT 1 FROM tag_labels l WHERE l.article_id = a.id "
                               f"AND l.field = '{fld}' AND l.value IN ({marks}))")
                params += list(values)
        if f.sources:
            clauses.append(f"a.source IN ({','.join('?' * len(f.sources))})")
            params += list(f.sources)
        if f.date_from is not None:
            clauses.append("a.published >= ?")
            params.append(f.date_from.isoformat())
        if f.date_to is not None:
            clauses.append("a.published <= ?")
            params.append(f.date_to.isoformat())
        if f.min_hours is not None:
            clauses.append("t.hours_max >= ?")
            params.append(f.min_hours)
        if f.max_hours is not None:
            clauses.append("t.hours_min <= ?")
            params.append(f.max_hours)
        if f.is_outage is not None:
            clauses.append("COALESCE(t.is_outage, 0) = ?")
            params.append(1 if f.is_outage else 0)
        return clauses, params

    def _search_articles(self, query: SearchQuery) -> SearchResult:
        parsed = parse_query(query.text)
        clauses, params = self._article_filters(query.filters)
        join_fts = ""
        rank = "0.0"
        if parsed.match is not None:
            join_fts = "JOIN article_fts ON article_fts.rowid = a.id"
            clauses.insert(0, "article_fts MATCH ?")
            params.insert(0, parsed.match)
            rank = f"bm25(article_fts, {TITLE_WEIGHT}, {BODY_WEIGHT})"
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        joins = f"FROM articles a {join_fts} LEFT JOIN tags t ON t.article_id = a.id"
        base = f"{joins} {where}"
        if query.sort == "relevance" and parsed.match is not None:
            order = "score, a.published DESC"
        elif query.sort == "date_asc":
            order = "a.published IS NULL, a.published ASC, a.id"
        else:
            order = "a.published IS NULL, a.published DESC, a.id DESC"
        per_page = max(1, min(query.per_page, 200))
        offset = (max(query.page, 1) - 1) * per_page
        with self._read() as conn:  # type: ignore[attr-defined]
            total = conn.execute(f"SELECT COUNT(*) {base}", params).fetchone()[0]
            rows = conn.execute(
                f"SELECT a.id, a.url, a.source, a.title, a.published, t.data AS tags, "
                f"{rank} AS score, v.text {joins} "
                f"JOIN article_versions v ON v.article_id = a.id AND v.version = a.current_version "
                f"{where} ORDER BY {order} LIMIT ? OFFSET ?",
                [*params, per_page, offset],
            ).fetchall()
            incident_of = {}
            if rows:
                ids = [r["id"] for r in rows]
                incident_of = dict(conn.execute(
                    f"SELECT article_id, incident_id FROM incident_articles WHERE article_id IN "
                    f"({','.join('?' * len(ids))})", ids).fetchall())
            facets = self._article_facets(conn, base, params, query.facets)
        hits = []
        for r in rows:
            tags = json.loads(r["tags"]) if r["tags"] else {}
            duration = tags.get("duration") or {}
            hits.append(SearchHit(
                kind="article", id=str(r["id"]), title=r["title"], url=r["url"],
                source=r["source"], published=_d(r["published"]), score=-float(r["score"]),
                snippet=make_snippet(r["text"], parsed.terms),
                vendors=tags.get("vendors") or [], impact=tags.get("impact") or [],
                cause=tags.get("cause"), start=_d(tags.get("start")), end=_d(tags.get("end")),
                hours_min=duration.get("hours_min"), hours_max=duration.get("hours_max"),
                incident_id=incident_of.get(r["id"]),
            ))
        return SearchResult(total=total, hits=hits, facets=facets, page=max(query.page, 1),
                            per_page=per_page)

    @staticmethod
    def _article_facets(conn, base: str, params: list[Any], wanted: list[str]) -> dict[str, list[tuple[str, int]]]:
        facets: dict[str, list[tuple[str, int]]] = {}
        label_fields = {"vendor": "vendor", "impact": "impact", "cause": "cause",
                        "affected": "affected", "region": "region"}
        for name in wanted:
            if name in label_fields:
                sql = (f"SELECT l.value, COUNT(*) AS n FROM tag_labels l WHERE l.field = ? AND "
                       f"l.article_id IN (SELECT a.id {base}) GROUP BY l.value "
                       f"ORDER BY n DESC, l.value LIMIT 50")
                rows = conn.execute(sql, [label_fields[name], *params]).fetchall()
            elif name == "source":
                rows = conn.execute(f"SELECT a.source, COUNT(*) AS n {base} GROUP BY a.source "
                                    f"ORDER BY n DESC, a.source", params).fetchall()
            elif name == "month":
                rows = conn.execute(f"SELECT substr(a.published, 1, 7) AS m, COUNT(*) AS n {base} "
                                    f"GROUP BY m ORDER BY m", params).fetchall()
                rows = [r for r in rows if r[0]]
            else:
                continue
            facets[name] = [(r[0], int(r[1])) for r in rows]
        return facets

    # ------------------------------------------------------------------ incidents

    def _search_incidents(self, query: SearchQuery) -> SearchResult:
        parsed = parse_query(query.text)
        f = query.filters
        clauses: list[str] = []
        params: list[Any] = []
        join_fts = ""
        rank = "0.0"
        if parsed.match is not None:
            join_fts = ("JOIN incident_fts_map m ON m.incident_id = i.id "
                        "JOIN incident_fts ON incident_fts.rowid = m.rowid")
            clauses.append("incident_fts MATCH ?")
            params.append(parsed.match)
            rank = f"bm25(incident_fts, {TITLE_WEIGHT}, {BODY_WEIGHT})"
        for fld, values in (("vendor", f.vendors), ("affected", f.affected),
                            ("impact", f.impact), ("cause", f.cause)):
            if values:
                marks = ",".join("?" * len(values))
                clauses.append(f"EXISTS (SELECT 1 FROM incident_labels l WHERE "
                               f"l.incident_id = i.id AND l.field = '{fld}' AND l.value IN ({marks}))")
                params += list(values)
        if f.sources:
            marks = ",".join("?" * len(f.sources))
            clauses.append(f"EXISTS (SELECT 1 FROM incident_articles ia JOIN articles a ON "
                           f"a.id = ia.article_id WHERE ia.incident_id = i.id AND a.source IN ({marks}))")
            params += list(f.sources)
        if f.date_from is not None:
            clauses.append("COALESCE(i.\"end\", i.start) >= ?")
            params.append(f.date_from.isoformat())
        if f.date_to is not None:
            clauses.append("i.start <= ?")
            params.append(f.date_to.isoformat())
        if f.min_hours is not None:
            clauses.append("i.hours_max >= ?")
            params.append(f.min_hours)
        if f.max_hours is not None:
            clauses.append("i.hours_min <= ?")
            params.append(f.max_hours)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        base = f"FROM incidents i {join_fts} {where}"
        if query.sort == "relevance" and parsed.match is not None:
            order = "score, i.start DESC"
        elif query.sort == "date_asc":
            order = "i.start IS NULL, i.start ASC, i.id"
        else:
            order = "i.start IS NULL, i.start DESC, i.id"
        per_page = max(1, min(query.per_page, 200))
        offset = (max(query.page, 1) - 1) * per_page
        with self._read() as conn:  # type: ignore[attr-defined]
            total = conn.execute(f"SELECT COUNT(*) {base}", params).fetchone()[0]
            rows = conn.execute(f"SELECT i.id, i.data, {rank} AS score {base} ORDER BY {order} "
                                f"LIMIT ? OFFSET ?", [*params, per_page, offset]).fetchall()
            facets: dict[str, list[tuple[str, int]]] = {}
            for name in query.facets:
                if name in {"vendor", "impact", "cause", "affected", "region"}:
                    facet_rows = conn.execute(
                        f"SELECT l.value, COUNT(*) AS n FROM incident_labels l WHERE l.field = ? "
                        f"AND l.incident_id IN (SELECT i.id {base}) GROUP BY l.value "
                        f"ORDER BY n DESC, l.value LIMIT 50", [name, *params]).fetchall()
                    facets[name] = [(r[0], int(r[1])) for r in facet_rows]
                elif name == "month":
                    facet_rows = conn.execute(
                        f"SELECT substr(i.start, 1, 7) AS m, COUNT(*) {base} GROUP BY m ORDER BY m",
                        params).fetchall()
                    facets[name] = [(r[0], int(r[1])) for r in facet_rows if r[0]]
        hits = []
        for r in rows:
            data = json.loads(r["data"])
            duration = data.get("duration") or {}
            hits.append(SearchHit(
                kind="incident", id=r["id"], title=data.get("title") or "",
                score=-float(r["score"]), vendors=data.get("vendors") or [],
                impact=data.get("impact") or [], cause=data.get("cause"),
                start=_d(data.get("start")), end=_d(data.get("end")),
                hours_min=duration.get("hours_min"), hours_max=duration.get("hours_max"),
                incident_id=r["id"], published=_d(data.get("start")),
            ))
        return SearchResult(total=total, hits=hits, facets=facets, page=max(query.page, 1),
                            per_page=per_page)
