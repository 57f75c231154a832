"""The search side of the loopback Elasticsearch stand-in: it runs the query the backend sends.

It honours the parts of the query DSL that pannes' backend uses (store/elastic_query.py):
`bool` (must, filter, should with minimum_should_match, must_not), `combined_fields`,
`multi_match` of type `phrase`, `prefix`, `terms`, `term`, `range`, `match_all`; sorts on
`_score` and on fields (missing values last), `from`/`size`, `search_after`; `terms`
aggregations with their size and order; `_source` excludes; and a highlight of the requested
fields with the given markers. Any other query part is refused with a 400, as Elasticsearch
refuses what it does not know, so a new kind of clause in the backend shows up here.

Text fields are analysed as the index template says (the analyzer named in the mapping and its
filter chain: elision, lowercase, asciifolding, stop, stemmer), with one stated difference:
the stemmer is Snowball's French stemmer (pannes.textnorm), not Lucene's light French one.
Scores are simple (the boost of each field a term occurs in), enough to order title matches
before body matches, not BM25.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from pannes.textnorm import fold, normalize_word

# The standard tokenizer keeps "l'hébergeur" whole (elision then strips "l'") and splits
# hyphenated words ("Île-de-France" -> "Île", "de", "France").
TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


class QueryError(ValueError):
    """A query part the stand-in does not know (answered as Elasticsearch's 400)."""


@dataclass(frozen=True)
class Token:
    position: int
    start: int
    end: int
    term: str


class Analyzer:
    """One custom analyzer of the index settings: the standard tokenizer, then its filters."""

    def __init__(self, definition: dict[str, Any] | None, filters: dict[str, Any]) -> None:
        self.steps = [filters.get(name, {"type": name})
                      for name in (definition or {}).get("filter", ["lowercase"])]

    def tokens(self, text: str) -> list[Token]:
        out = []
        for position, match in enumerate(TOKEN_RE.finditer(text)):
            term: str | None = match.group()
            for step in self.steps:
                term = _filter(step, term) if term is not None else None
            if term:
                out.append(Token(position, match.start(), match.end(), term))
        return out

    def terms(self, text: str) -> list[str]:
        return [t.term for t in self.tokens(text)]


def _filter(step: dict[str, Any], term: str) -> str | None:
    kind = step["type"]
    if kind == "elision":
        articles = step.get("articles", [])
        head, sep, rest = term.replace("’", "'").partition("'")
        matches = head.lower() in {a.lower() for a in articles} if step.get("articles_case") \
            else head in articles
        return rest if sep and matches else term
    if kind == "lowercase":
        return term.lower()
    if kind == "asciifolding":
        return fold(term)
    if kind == "stop":
        return None if term in set(step.get("stopwords", [])) else term
    if kind == "stemmer":
        return normalize_word(term)
    raise QueryError(f"unknown token filter [{kind}]")


class Index:
    """What searching one index needs: its mapping and analyzers, and its documents."""

    def __init__(self, docs: dict[str, dict[str, Any]], mappings: dict[str, Any] | None,
                 settings: dict[str, Any] | None) -> None:
        self.docs = docs
        self.properties = (mappings or {}).get("properties", {})
        analysis = (settings or {}).get("analysis", {})
        self.analyzers = {name: Analyzer(d, analysis.get("filter", {}))
                          for name, d in analysis.get("analyzer", {}).items()}
        self.default = Analyzer(None, {})

    def analyzer(self, field: str) -> Analyzer:
        name, _, sub = field.partition(".")
        spec = self.properties.get(name, {})
        if sub:
            spec = spec.get("fields", {}).get(sub, {})
        return self.analyzers.get(spec.get("analyzer", ""), self.default)

    def text(self, doc: dict[str, Any], field: str) -> str:
        value = doc.get(field.partition(".")[0])
        return " ".join(value) if isinstance(value, list) else str(value or "")


def _boosted(field: str) -> tuple[str, float]:
    name, _, boost = field.partition("^")
    return name, float(boost or 1)


# ----------------------------------------------------------------------------- matching


def evaluate(index: Index, doc: dict[str, Any], query: dict[str, Any]) -> float | None:
    """The document's score for `query`, or None when it does not match."""
    (kind, spec), = query.items()
    if kind == "match_all":
        return 1.0
    if kind == "bool":
        return _bool(index, doc, spec)
    if kind == "combined_fields":
        return _all_terms(index, doc, spec)
    if kind == "multi_match" and spec.get("type") == "phrase":
        return _phrase(index, doc, spec)
    if kind == "prefix":
        (field, options), = spec.items()
        value = options["value"] if isinstance(options, dict) else options
        boost = options.get("boost", 1) if isinstance(options, dict) else 1
        terms = index.analyzer(field).terms(index.text(doc, field))
        return float(boost) if any(t.startswith(value) for t in terms) else None
    if kind == "terms":
        (field, values), = spec.items()
        return 1.0 if set(_values(doc, field)) & set(values) else None
    if kind == "term":
        (field, value), = spec.items()
        value = value["value"] if isinstance(value, dict) else value
        return 1.0 if value in _values(doc, field) else None
    if kind == "range":
        (field, bounds), = spec.items()
        return 1.0 if any(_in_range(v, bounds) for v in _values(doc, field)) else None
    raise QueryError(f"unknown query [{kind}]")


def _bool(index: Index, doc: dict[str, Any], spec: dict[str, Any]) -> float | None:
    score = 0.0
    for clause in _list(spec.get("must")):
        part = evaluate(index, doc, clause)
        if part is None:
            return None
        score += part
    if any(evaluate(index, doc, c) is None for c in _list(spec.get("filter"))):
        return None
    if any(evaluate(index, doc, c) is not None for c in _list(spec.get("must_not"))):
        return None
    should = [s for c in _list(spec.get("should")) if (s := evaluate(index, doc, c)) is not None]
    needed = spec.get("minimum_should_match",
                      0 if spec.get("must") or spec.get("filter") else 1 if spec.get("should")
                      else 0)
    if len(should) < int(needed):
        return None
    return score + sum(should)


def _all_terms(index: Index, doc: dict[str, Any], spec: dict[str, Any]) -> float | None:
    """Every term of the query in at least one of the fields (operator and); or any (or)."""
    fields = [_boosted(f) for f in spec["fields"]]
    query_terms = index.analyzer(fields[0][0]).terms(spec["query"])
    if not query_terms:
        return None  # zero_terms_query: none
    found = [sum(boost for field, boost in fields
                 if term in index.analyzer(field).terms(index.text(doc, field)))
             for term in query_terms]
    matched = [f for f in found if f]
    if spec.get("operator", "or") == "and" and len(matched) < len(query_terms):
        return None
    return float(sum(matched)) if matched else None


def _phrase(index: Index, doc: dict[str, Any], spec: dict[str, Any]) -> float | None:
    score = 0.0
    for field, boost in (_boosted(f) for f in spec["fields"]):
        if _phrase_spans(index, doc, field, spec["query"]):
            score += boost
    return score or None


def _phrase_spans(index: Index, doc: dict[str, Any], field: str,
                  query: str) -> list[tuple[int, int]]:
    analyzer = index.analyzer(field)
    wanted = [(t.position, t.term) for t in analyzer.tokens(query)]
    if not wanted:
        return []
    tokens = analyzer.tokens(index.text(doc, field))
    by_position = {t.position: t for t in tokens}
    spans = []
    for token in tokens:
        if token.term != wanted[0][1]:
            continue
        offset = token.position - wanted[0][0]
        run = [by_position.get(offset + position) for position, _ in wanted]
        if all(t is not None and t.term == term for t, (_, term) in zip(run, wanted, strict=True)):
            spans += [(t.start, t.end) for t in run if t is not None]
    return spans


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _values(doc: dict[str, Any], field: str) -> list[Any]:
    return [v for v in _list(doc.get(field)) if v is not None]


def _in_range(value: Any, bounds: dict[str, Any]) -> bool:
    checks = {"gte": lambda b: value >= b, "gt": lambda b: value > b,
              "lte": lambda b: value <= b, "lt": lambda b: value < b}
    if isinstance(value, str):
        value = value[:10]  # dates, compared as ISO days as the backend sends them
    return all(checks[op](bound) for op, bound in bounds.items() if bound is not None)


# ----------------------------------------------------------------------------- highlighting


def _leaves(query: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The positive text clauses of a query (those under must_not mark nothing)."""
    (kind, spec), = query.items()
    if kind == "bool":
        return [leaf for part in ("must", "should") for c in _list(spec.get(part))
                for leaf in _leaves(c)]
    return [(kind, spec)] if kind in {"combined_fields", "multi_match", "prefix"} else []


def _marked_spans(index: Index, doc: dict[str, Any], query: dict[str, Any],
                  field: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    analyzer = index.analyzer(field)
    tokens = analyzer.tokens(index.text(doc, field))
    for kind, spec in _leaves(query):
        if kind == "prefix":
            (target, options), = spec.items()
            if target == field:
                spans += [(t.start, t.end) for t in tokens if t.term.startswith(options["value"])]
            continue
        fields = [_boosted(f)[0] for f in spec["fields"]]
        if field not in fields:
            continue
        if kind == "multi_match":
            spans += _phrase_spans(index, doc, field, spec["query"])
        else:
            wanted = set(analyzer.terms(spec["query"]))
            spans += [(t.start, t.end) for t in tokens if t.term in wanted]
    return sorted(set(spans))


def highlight(index: Index, doc: dict[str, Any], query: dict[str, Any],
              spec: dict[str, Any]) -> dict[str, list[str]]:
    """One fragment per requested field: around the first match, matches between markers."""
    out = {}
    for field, options in spec.get("fields", {}).items():
        text = index.text(doc, field)
        size = options.get("fragment_size", 100)
        spans = _marked_spans(index, doc, query, field)
        if not spans:
            if options.get("no_match_size"):
                out[field] = [text[:options["no_match_size"]]]
            continue
        start = max(0, spans[0][0] - size // 4)
        end = min(len(text), start + size)
        fragment, cursor = [], start
        for left, right in spans:
            if left < cursor or right > end:
                continue
            fragment += [text[cursor:left], spec["pre_tags"][0], text[left:right],
                         spec["post_tags"][0]]
            cursor = right
        fragment.append(text[cursor:end])
        out[field] = ["".join(fragment)]
    return out


# ----------------------------------------------------------------------------- the search


def _sort_key(spec: Any) -> tuple[str, str, str]:
    """(field, order, missing) of one sort entry."""
    if isinstance(spec, str):
        return (spec, "desc" if spec == "_score" else "asc", "_last")
    (field, options), = spec.items()
    if isinstance(options, str):
        return (field, options, "_last")
    return (field, options.get("order", "desc" if field == "_score" else "asc"),
            options.get("missing", "_last"))


def _compare(keys: list[tuple[str, str, str]], a: list[Any], b: list[Any]) -> int:
    for (_, order, missing), x, y in zip(keys, a, b, strict=True):
        if x == y:
            continue
        if x is None or y is None:
            last = 1 if missing == "_last" else -1
            return last if x is None else -last
        result = -1 if x < y else 1
        return result if order == "asc" else -result
    return 0


def _sort_value(doc_id: str, doc: dict[str, Any], score: float, field: str) -> Any:
    if field == "_score":
        return score
    if field == "_id":
        return doc_id
    value = doc.get(field)
    return value[0] if isinstance(value, list) and value else value


def _buckets(docs: list[dict[str, Any]], spec: dict[str, Any]) -> list[dict[str, Any]]:
    counts = Counter(v for doc in docs for v in set(map(str, _values(doc, spec["field"]))))
    keys: list[tuple[str, str, str]] = []
    for entry in _list(spec.get("order", [{"_count": "desc"}, {"_key": "asc"}])):
        keys += [(name, order, "_last") for name, order in entry.items()]
    rows = [[counts[k] if name == "_count" else k for name, _, _ in keys] for k in counts]
    ordered = sorted(zip(rows, counts, strict=True),
                     key=functools.cmp_to_key(lambda a, b: _compare(keys, a[0], b[0])))
    return [{"key": key, "doc_count": counts[key]}
            for _, key in ordered[:spec.get("size", 10)]]


def _source(doc: dict[str, Any], option: Any) -> dict[str, Any] | None:
    if option is False:
        return None
    excludes = option.get("excludes", []) if isinstance(option, dict) else []
    return {k: v for k, v in doc.items() if not any(fnmatch.fnmatch(k, p) for p in excludes)}


MAX_RESULT_WINDOW = 10_000  # index.max_result_window's default


def search(indices: list[Index], body: dict[str, Any]) -> dict[str, Any]:
    """The response to a `_search` body over these indices."""
    if body.get("from", 0) + body.get("size", 10) > MAX_RESULT_WINDOW:
        raise QueryError(f"Result window is too large, from + size must be less than or equal "
                         f"to: [{MAX_RESULT_WINDOW}]")
    query = body.get("query", {"match_all": {}})
    matched = [(doc_id, doc, score, index) for index in indices
               for doc_id, doc in index.docs.items()
               if (score := evaluate(index, doc, query)) is not None]
    keys = [_sort_key(s) for s in _list(body.get("sort") or ["_score"])]
    rows = [([_sort_value(i, d, s, k[0]) for k in keys], i, d, s, x) for i, d, s, x in matched]
    rows.sort(key=functools.cmp_to_key(lambda a, b: _compare(keys, a[0], b[0])))
    total = len(rows)
    if "search_after" in body:
        rows = [r for r in rows if _compare(keys, r[0], body["search_after"]) > 0]
    start = body.get("from", 0)
    scored = any(k[0] == "_score" for k in keys) or body.get("track_scores")
    hits = []
    for values, doc_id, doc, score, index in rows[start:start + body.get("size", 10)]:
        hit: dict[str, Any] = {"_id": doc_id, "_score": score if scored else None,
                               "sort": values}
        if (source := _source(doc, body.get("_source", True))) is not None:
            hit["_source"] = source
        if "highlight" in body:
            hit["highlight"] = highlight(index, doc, query, body["highlight"])
        hits.append(hit)
    response: dict[str, Any] = {"hits": {"total": {"value": total, "relation": "eq"},
                                         "hits": hits}}
    aggs = body.get("aggs") or body.get("aggregations") or {}
    if aggs:
        docs = [d for _, _, d, _, _ in rows] if "search_after" not in body else \
            [d for _, d, _, _ in matched]
        response["aggregations"] = {}
        for name, agg in aggs.items():
            (kind, spec), = agg.items()
            if kind != "terms":
                raise QueryError(f"unknown aggregation [{kind}]")
            response["aggregations"][name] = {"buckets": _buckets(docs, spec)}
    return response
