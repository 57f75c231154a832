"""Elasticsearch request bodies from a prepared query, and search results from responses.

Plain data, no client: the same parsed query tree as SQLite (store.fts) becomes a bool query
(words through the French analyzer, phrases as phrase queries on the `.phrase` sub-fields that
keep stop words, prefixes on the unstemmed `.folded` sub-fields), filters become bool filters, facets become terms aggregations.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pannes.store.base import FACET_SIZE, PreparedQuery
from pannes.store.fts import All, Node, Not, Phrase, Prefix, Word
from pannes.store.fts import Any as AnyOf

from pannes.records import SearchHit, SearchResult, Snippet
from pannes.textnorm import fold

TITLE_BOOST = 4
MONTH_BUCKETS = 1200  # every month of a century: the month facet is never cut short
SNIPPET_CHARS = 240
# Highlight markers: private-use characters, split out of the fragments into segments.
MARK_START = "\ue000"
MARK_END = "\ue001"
_SPACES = re.compile(r"\s+")

FACET_FIELDS = {
    "vendor": "vendors",
    "affected": "affected",
    "impact": "impact",
    "cause": "cause",
    "region": "region",
    "source": "sources",
    "month": "month",
}


def _fields(kind: str, sub: str = "") -> list[str]:
    """The searched text fields, or their `sub`-field (".phrase")."""
    fields = [f"title{sub}^{TITLE_BOOST}", f"body{sub}"]
    return fields + [f"tags_text{sub}"] if kind == "incidents" else fields


def text_query(node: Node, kind: str) -> dict[str, Any]:
    """The query for a parsed tree: every word must match somewhere, title boosted."""
    fields = _fields(kind)
    if isinstance(node, Word):
        return {"combined_fields": {"query": node.text, "fields": fields, "operator": "and"}}
    if isinstance(node, Phrase):
        # On the `.phrase` sub-fields, which keep stop words: "de" must not match "du".
        return {"multi_match": {"query": " ".join(node.words), "fields": _fields(kind, ".phrase"),
                                "type": "phrase"}}
    if isinstance(node, Prefix):
        value = fold(node.text)
        return {"bool": {"should": [
            {"prefix": {"title.folded": {"value": value, "boost": TITLE_BOOST}}},
            {"prefix": {"body.folded": {"value": value}}},
        ], "minimum_should_match": 1}}
    if isinstance(node, AnyOf):
        return {"bool": {"should": [text_query(c, kind) for c in node.children],
                         "minimum_should_match": 1}}
    if isinstance(node, Not):
        return {"bool": {"must_not": [text_query(node.child, kind)]}}
    if isinstance(node, All):
        must = [text_query(c, kind) for c in node.children if not isinstance(c, Not)]
        must_not = [text_query(c.child, kind) for c in node.children if isinstance(c, Not)]
        query: dict[str, Any] = {"must": must}
        if must_not:
            query["must_not"] = must_not
        return {"bool": query}
    raise TypeError(f"not a query node: {node!r}")


def filters(p: PreparedQuery) -> list[dict[str, Any]]:
    """Bool filters for the query's filters (no scoring, cached by Elasticsearch)."""
    f = p.query.filters
    kind = p.query.kind
    out: list[dict[str, Any]] = []
    for field, values in (("vendors", f.vendors), ("affected", f.affected),
                          ("impact", f.impact), ("cause", f.cause), ("sources", f.sources)):
        if values:
            out.append({"terms": {field: list(values)}})
    if f.date_from is not None:
        # An incident overlaps the period when it ends (or starts) after its first day.
        field = "last_day" if kind == "incidents" else "published"
        out.append({"range": {field: {"gte": f.date_from.isoformat()}}})
    if f.date_to is not None:
        out.append({"range": {"published": {"lte": f.date_to.isoformat()}}})
    if f.min_hours is not None:
        out.append({"range": {"hours_max": {"gte": f.min_hours}}})
    if f.max_hours is not None:
        out.append({"range": {"hours_min": {"lte": f.max_hours}}})
    if f.is_outage is not None:
        out.append({"term": {"is_outage": f.is_outage}})
    return out


def _sort(p: PreparedQuery) -> list[Any]:
    if p.query.kind == "incidents":
        tie: dict[str, Any] = {"id": {"order": "asc"}}
    else:
        tie = {"num_id": {"order": "asc" if p.sort == "date_asc" else "desc"}}
    if p.sort == "relevance":
        if p.query.kind == "incidents":
            # As on SQLite: incidents known only from later mentions after those with articles.
            return [{"known_from_mentions": {"order": "asc"}}, "_score", tie]
        return ["_score", tie]
    order = "asc" if p.sort == "date_asc" else "desc"
    return [{"published": {"order": order, "missing": "_last"}}, tie]


def _aggregations(p: PreparedQuery) -> dict[str, Any]:
    aggs: dict[str, Any] = {}
    for name in p.facets:
        if name == "month":
            aggs[name] = {"terms": {"field": "month", "size": MONTH_BUCKETS,
                                   "order": {"_key": "asc"}}}
        else:
            aggs[name] = {"terms": {"field": FACET_FIELDS[name], "size": FACET_SIZE,
                                    "order": [{"_count": "desc"}, {"_key": "asc"}]}}
    return aggs


def _has(node: Node | None, leaf: type) -> bool:
    """Whether the tree holds a positive leaf of this type (what the snippet should mark)."""
    if node is None or isinstance(node, Not):
        return False
    if isinstance(node, Word | Phrase | Prefix):
        return isinstance(node, leaf)
    return any(_has(c, leaf) for c in node.children)


def search_body(p: PreparedQuery) -> dict[str, Any]:
    """The whole `search` request body for a prepared query."""
    kind = p.query.kind
    query: dict[str, Any] = {"filter": filters(p)}
    if p.parsed.root is not None:
        query["must"] = [text_query(p.parsed.root, kind)]
    body: dict[str, Any] = {
        "query": {"bool": query},
        "from": p.offset,
        "size": p.per_page,
        "sort": _sort(p),
        "track_total_hits": True,
        "_source": {"excludes": ["body", "tags_text"]},
        "highlight": {
            "pre_tags": [MARK_START],
            "post_tags": [MARK_END],
            "encoder": "default",
            "fields": {
                "body": {"type": "unified", "fragment_size": SNIPPET_CHARS,
                         "number_of_fragments": 1, "no_match_size": SNIPPET_CHARS},
            },
        },
    }
    # Prefixes and phrases match sub-fields: highlight those too, keep the best fragment.
    for leaf, sub in ((Prefix, "body.folded"), (Phrase, "body.phrase")):
        if _has(p.parsed.root, leaf):
            body["highlight"]["fields"][sub] = {
                "type": "unified", "fragment_size": SNIPPET_CHARS, "number_of_fragments": 1}
    if p.parsed.has_text and p.sort != "relevance":
        body["track_scores"] = True  # scores shown even when sorted by date
    aggs = _aggregations(p)
    if aggs:
        body["aggs"] = aggs
    return body


# ---------------------------------------------------------------------------------- responses


def snippet_from_fragment(fragment: str) -> Snippet:
    """A highlighted fragment (markers around matches) as plain-text segments."""
    segments: list[tuple[str, bool]] = []
    for i, part in enumerate(fragment.split(MARK_START)):
        if i == 0:
            segments.append((part, False))
            continue
        marked, _, rest = part.partition(MARK_END)
        segments += [(marked, True), (rest, False)]
    merged: list[tuple[str, bool]] = []
    for text, hl in segments:
        text = _SPACES.sub(" ", text)
        if not text:
            continue
        if merged and merged[-1][1] == hl:
            merged[-1] = (merged[-1][0] + text, hl)
        else:
            merged.append((text, hl))
    return Snippet(segments=merged)


def _best_fragment(highlight: dict[str, list[str]]) -> str:
    candidates = [frags[0] for name in ("body", "body.folded", "body.phrase")
                  if (frags := highlight.get(name))]
    if not candidates:
        return ""
    return max(candidates, key=lambda frag: frag.count(MARK_START))


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def parse_response(p: PreparedQuery, response: dict[str, Any]) -> SearchResult:
    """A `SearchResult` from an Elasticsearch search response."""
    hits = []
    for raw in response.get("hits", {}).get("hits", []):
        doc = raw.get("_source", {})
        kind = "incident" if doc.get("kind") == "incident" else "article"
        hits.append(SearchHit(
            kind=kind, id=str(doc.get("id", raw.get("_id"))), title=doc.get("title") or "",
            url=doc.get("url"), source=doc.get("source"), published=_d(doc.get("published")),
            score=float(raw.get("_score") or 0.0),
            snippet=snippet_from_fragment(_best_fragment(raw.get("highlight") or {})),
            vendors=list(doc.get("vendors") or []), impact=list(doc.get("impact") or []),
            cause=doc.get("cause"), start=_d(doc.get("start")), end=_d(doc.get("end")),
            hours_min=doc.get("hours_min"), hours_max=doc.get("hours_max"),
            incident_id=doc.get("incident_id"),
        ))
    total = response.get("hits", {}).get("total", {})
    total = int(total.get("value", 0)) if isinstance(total, dict) else int(total or 0)
    facets: dict[str, list[tuple[str, int]]] = {}
    aggregations = response.get("aggregations") or {}
    for name in p.facets:
        buckets = (aggregations.get(name) or {}).get("buckets", [])
        facets[name] = [(str(b["key"]), int(b["doc_count"])) for b in buckets]
    return SearchResult(total=total, hits=hits, facets=facets, page=p.page,
                        per_page=p.per_page, message=p.message)
