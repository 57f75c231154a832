"""`pannes search` (French full-text search with filters) and `pannes reindex`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict, replace
from datetime import UTC, date, datetime
from typing import Any, TextIO

from pannes.app.commands import Context, add_command
from pannes.errors import UserInputError
from pannes.records import (
    CAUSE_LABELS,
    IMPACT_LABELS,
    SearchFilters,
    SearchHit,
    SearchQuery,
    SearchResult,
    Snippet,
)

SEARCH_EPILOG = """\
query language (French-aware: accents and inflections do not matter):
  panne orange              both words ("pannes", "Orange" match too)
  "panne de courant"        an exact phrase
  orange OR sfr             either word (also OU, |)
  panne -électricité        exclude a word (also NOT)
  défaill*                  words starting with "défaill"
  (orange OR sfr) fibre     grouping

examples:
  pannes search panne orange --from 2024-01-01 --facets
  pannes search '"coupure de courant"' --cause power --min-hours 2 --json
  pannes search --incidents --vendor OVHcloud --sort date
"""

REINDEX_EPILOG = """\
SQLite is always the system of record. `--to sqlite` re-normalises the built-in FTS5 index
(needed only after a change of pannes' French normalisation); `--to elasticsearch` copies
articles and incidents with their tags into fresh Elasticsearch indices, then switches the
aliases searches use (PANNES_ES_URL, PANNES_ES_API_KEY or PANNES_ES_USERNAME/PASSWORD).
If Elasticsearch still refuses documents after its retries, nothing is switched: the command
says how many and why, deletes the new indices and exits with an error.
"""

FACETS = ("vendor", "impact", "cause", "source", "month")
BOLD, RESET = "\x1b[1m", "\x1b[0m"


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _datetime(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date or time (ISO 8601): {value!r}") from None


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1: {value!r}")
    return number


def _hours(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be a number of hours (0 or more): {value!r}")
    return number


_MARK = "\x00"  # hides a query exclusion ("-sfr") from option parsing


class _SearchParser(argparse.ArgumentParser):
    """Reads `pannes search panne -sfr` as an exclusion, not as an unknown option "-sfr"."""

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[override]
        args = list(sys.argv[1:] if args is None else args)
        known = set(self._option_string_actions)
        hidden = []
        for arg in args:
            if arg == "--":
                hidden.append(arg)
                continue
            exclusion = (len(arg) > 1 and arg[0] == "-" and arg not in known
                         and (arg[1].isalpha() or arg[1] in '"«“(')
                         and not set(arg[1:]) <= {"v", "q"})
            hidden.append(_MARK + arg if exclusion else arg)
        namespace, extras = super().parse_known_args(hidden, namespace)
        if getattr(namespace, "query", None) is not None:
            namespace.query = [q.removeprefix(_MARK) for q in namespace.query]
        return namespace, [e.removeprefix(_MARK) for e in extras]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "search", func=run_search, epilog=SEARCH_EPILOG,
        help="search articles or incidents (French-aware full text, filters, facets)")
    parser.__class__ = _SearchParser
    parser.add_argument("query", nargs="*", help="words to search (empty: everything, newest first)")
    filters = parser.add_argument_group("filters")
    filters.add_argument("--vendor", action="append", default=[], metavar="V",
                         help="vendor at fault (repeatable: any of them)")
    filters.add_argument("--affected", action="append", default=[], metavar="A",
                         help="affected organisation (repeatable)")
    filters.add_argument("--impact", action="append", default=[], choices=IMPACT_LABELS,
                         metavar="I", help="impact label (repeatable): " + ", ".join(IMPACT_LABELS))
    filters.add_argument("--cause", action="append", default=[], choices=CAUSE_LABELS,
                         metavar="C", help="cause label (repeatable): " + ", ".join(CAUSE_LABELS))
    filters.add_argument("--source", action="append", default=[], metavar="S",
                         help="source name as in the sources file (repeatable)")
    filters.add_argument("--from", dest="date_from", type=_date, metavar="DATE",
                         help="published (incidents: ongoing) on or after DATE (YYYY-MM-DD)")
    filters.add_argument("--to", dest="date_to", type=_date, metavar="DATE",
                         help="published (incidents: started) on or before DATE")
    filters.add_argument("--min-hours", type=_hours, metavar="H", help="lasted at least H hours")
    filters.add_argument("--max-hours", type=_hours, metavar="H", help="lasted at most H hours")
    filters.add_argument("--outage", action=argparse.BooleanOptionalAction, default=None,
                         help="only outage articles (--no-outage: only the others)")
    out = parser.add_argument_group("results")
    out.add_argument("--incidents", action="store_true", help="search incidents, not articles")
    out.add_argument("--sort", choices=("relevance", "date", "date_asc"), default="relevance",
                     help="order of the results (default: relevance; date = newest first)")
    out.add_argument("--page", type=_positive_int, default=1, metavar="N", help="page number")
    out.add_argument("--per-page", type=_positive_int, default=10, metavar="N",
                     help="results per page (default 10, at most 200)")
    out.add_argument("--facets", action="store_true",
                     help="also count results by vendor, impact, cause, source and month")
    out.add_argument("--json", action="store_true", help="print the result as JSON")
    out.add_argument("--backend", choices=("sqlite", "elasticsearch"), default=None,
                     help="search backend (default: the search_backend setting)")

    reindex = add_command(
        subparsers, "reindex", func=run_reindex, epilog=REINDEX_EPILOG,
        help="rebuild a search index from the SQLite store (FTS5 or Elasticsearch)")
    reindex.add_argument("--to", dest="target", choices=("sqlite", "elasticsearch"),
                         default=None, help="index to rebuild (default: the search_backend setting)")
    reindex.add_argument("--since", type=_datetime, metavar="WHEN",
                         help="Elasticsearch: only send what changed since WHEN (ISO date/time), "
                              "into the current indices")
    reindex.add_argument("--keep-old", action="store_true",
                         help="Elasticsearch: keep the previous indices after switching aliases")


def build_query(args: argparse.Namespace) -> SearchQuery:
    """The `SearchQuery` described by the command line."""
    filters = SearchFilters(
        vendors=list(args.vendor), affected=list(args.affected), impact=list(args.impact),
        cause=list(args.cause), sources=list(args.source), date_from=args.date_from,
        date_to=args.date_to, min_hours=args.min_hours, max_hours=args.max_hours,
        is_outage=args.outage)
    return SearchQuery(
        text=" ".join(args.query), filters=filters,
        kind="incidents" if args.incidents else "articles", sort=args.sort, page=args.page,
        per_page=args.per_page, facets=list(FACETS) if args.facets or args.json else [])


def with_known_vendor_spellings(store: Any, query: SearchQuery) -> SearchQuery:
    """Vendors typed in any case or without accents ("monetia") filter on the stored
    spellings ("Monétia"); a name the store does not know is kept as typed."""
    from pannes.incidents.selection import known_vendor_names, resolve_vendor_names

    if not query.filters.vendors:
        return query
    vendors = resolve_vendor_names(query.filters.vendors, known_vendor_names(store, query.kind),
                                   keep_unknown=True)
    return replace(query, filters=replace(query.filters, vendors=vendors))


def run_search(args: argparse.Namespace, ctx: Context) -> int:
    from pannes.store.backends import open_search

    store = ctx.store(create=False)
    query = with_known_vendor_spellings(store, build_query(args))
    backend = open_search(ctx.settings, store, backend=args.backend)
    try:
        result = backend.search(query)
    finally:
        backend.close()
    if args.json:
        json.dump(result_to_json(result), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print_result(result, query, sys.stdout, show_facets=args.facets)
    return 0


def run_reindex(args: argparse.Namespace, ctx: Context) -> int:
    from pannes.store.backends import last_sync, open_search, remember_sync

    target = args.target or ctx.settings.search_backend
    if args.since is not None and target != "elasticsearch":
        raise UserInputError("--since only applies to --to elasticsearch.")
    store = ctx.store(create=False)
    backend = open_search(ctx.settings, store, backend=target)
    started = datetime.now(UTC)
    try:
        options: dict[str, Any] = {"progress": ctx.progress, "since": args.since}
        if target == "elasticsearch":
            options["keep_old"] = args.keep_old
        counts = backend.reindex(store, **options)
    finally:
        backend.close()
    if target == "elasticsearch":
        # `pannes update` then sends only what changes from now on (never skip a gap).
        synced = last_sync(ctx.settings, store)
        if args.since is None or (synced is not None and _aware(args.since) <= synced):
            remember_sync(ctx.settings, store, started)
    print(f"{target}: {counts.get('articles', 0)} articles and {counts.get('incidents', 0)} "
          "incidents indexed")
    return 0


def _aware(moment: datetime) -> datetime:
    """A date and time from the command line, read as UTC when it has no zone (as the store)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# ---------------------------------------------------------------------------- output


def _jsonable(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def result_to_json(result: SearchResult) -> dict[str, Any]:
    """A search result as JSON-ready data (snippets as text plus marked segments)."""
    hits = []
    for hit in result.hits:
        data = asdict(hit)
        data["snippet"] = hit.snippet.text
        data["snippet_segments"] = [[text, marked] for text, marked in hit.snippet.segments]
        hits.append(_jsonable(data))
    return {
        "total": result.total, "page": result.page, "per_page": result.per_page,
        "message": result.message, "hits": hits,
        "facets": {name: [[value, count] for value, count in values]
                   for name, values in result.facets.items()},
    }


def _marker(stream: TextIO) -> tuple[str, str]:
    if stream.isatty() and not os.environ.get("NO_COLOR"):
        return BOLD, RESET
    return "**", "**"


def render_snippet(snippet: Snippet, start: str, end: str) -> str:
    """Snippet text with matched words wrapped in `start`/`end` markers."""
    return "".join(f"{start}{text}{end}" if marked else text for text, marked in snippet.segments)


def _duration(hit: SearchHit) -> str | None:
    low, high = hit.hours_min, hit.hours_max
    if low is None and high is None:
        return None
    if low is None or high is None or low == high:
        return f"{low if low is not None else high:g} h"
    return f"{low:g}–{high:g} h"


def print_result(result: SearchResult, query: SearchQuery, out: TextIO, *,
                 show_facets: bool = False) -> None:
    """A readable listing: one block per hit with its tags and highlighted snippet."""
    from pannes.store.fts import parse_query
    from pannes.store.highlight import highlight_all

    start, end = _marker(out)
    spec = parse_query(query.text).highlight
    if result.message:
        print(f"note: {result.message}", file=out)
    pages = max(1, -(-result.total // result.per_page))
    kind = "incidents" if query.kind == "incidents" else "articles"
    print(f"{result.total} {kind} (page {result.page}/{pages})", file=out)
    first = (result.page - 1) * result.per_page
    for n, hit in enumerate(result.hits, start=first + 1):
        day = (hit.start if hit.kind == "incident" else hit.published) or "date inconnue"
        title = render_snippet(highlight_all(hit.title, spec), start, end)
        where = f" — {hit.source}" if hit.source else ""
        print(f"\n{n:>3}. [{day}] {title}{where}", file=out)
        facts = []
        if hit.vendors:
            facts.append("vendors: " + ", ".join(hit.vendors))
        if hit.impact:
            facts.append("impact: " + ", ".join(hit.impact))
        if hit.cause:
            facts.append("cause: " + hit.cause)
        if (duration := _duration(hit)) is not None:
            facts.append("duration: " + duration)
        if hit.incident_id and hit.kind == "article":
            facts.append("incident: " + hit.incident_id)
        if facts:
            print("     " + " · ".join(facts), file=out)
        if hit.snippet.segments:
            print("     " + render_snippet(hit.snippet, start, end), file=out)
        if hit.url:
            print("     " + hit.url, file=out)
        elif hit.kind == "incident":
            print(f"     id: {hit.id}", file=out)
    if show_facets and result.facets:
        print("", file=out)
        for name, values in result.facets.items():
            if values:
                shown = ", ".join(f"{value} ({count})" for value, count in values[:12])
                print(f"{name}: {shown}", file=out)
