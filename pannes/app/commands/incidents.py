"""Incident commands: `group`, `correct`, `vendors`, `export`, `feed`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from pannes.app.commands import COMMON, Context, add_command
from pannes.errors import UserInputError

UNKNOWN_DURATIONS_HELP = (
    "Durations: each incident counts for the middle of its stated hours range (or the one "
    "bound known). Incidents of unknown duration count in the number of incidents, the "
    "data-loss share and the breakdowns, but not in total, median or longest duration; the "
    "table says how many they are.")


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, not {value!r}") from None


@contextmanager
def _output(path: Path | None, binary: bool = False) -> Any:
    if path is None or str(path) == "-":
        yield sys.stdout.buffer if binary else sys.stdout
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb" if binary else "w", **({} if binary else {"encoding": "utf-8",
                                                                   "newline": ""})) as fh:
        yield fh


def _sync_search(ctx: Context, store: Any, *, quiet: bool = False) -> None:
    """Send changed incidents to Elasticsearch when it serves the searches (SQLite: no-op)."""
    from pannes.store.backends import sync_search_index

    synced = sync_search_index(ctx.settings, store, progress=ctx.progress)
    if synced is not None and not quiet:
        print(synced.summary(), file=sys.stderr)


# ---------------------------------------------------------------------- group


def run_group(args: argparse.Namespace, ctx: Context) -> int:
    from pannes.incidents.regroup import regroup

    store = ctx.store()
    report = regroup(store, rebuild=args.rebuild, recompute=args.recompute)
    _sync_search(ctx, store, quiet=args.json)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(report.summary())
    return 0


# ---------------------------------------------------------------------- correct


def _editor(args: argparse.Namespace) -> str:
    editor = args.editor or os.environ.get("PANNES_EDITOR")
    if not editor:
        raise UserInputError("Say who corrects: --editor NAME (or set PANNES_EDITOR).")
    return editor


def _print_incident(incident: Any) -> None:
    d = incident.duration
    print(f"{incident.id}: {incident.title}")
    print(f"  vendors: {', '.join(incident.vendors) or '-'}   cause: {incident.cause or '-'}")
    print(f"  start: {incident.start or '-'}  end: {incident.end or '-'}  "
          f"hours: {d.hours_min if d.hours_min is not None else '?'}-"
          f"{d.hours_max if d.hours_max is not None else '?'}")
    print(f"  impact: {', '.join(incident.impact) or '-'}")
    print(f"  articles: {', '.join(map(str, incident.article_ids)) or '-'}")


def run_correct_incident(args: argparse.Namespace, ctx: Context) -> int:
    from pannes.incidents.corrections import correct_incident

    store = ctx.store()
    incident = correct_incident(store, args.incident_id, args.field, args.value,
                                _editor(args), note=args.note)
    _sync_search(ctx, store)
    _print_incident(incident)
    return 0


def run_correct_article(args: argparse.Namespace, ctx: Context) -> int:
    from pannes.incidents.corrections import correct_article

    store = ctx.store()
    correction = correct_article(store, args.article_id, args.field, args.value, _editor(args),
                                 note=args.note)
    _sync_search(ctx, store)
    print(f"article {args.article_id}: {args.field} {json.dumps(correction.before, ensure_ascii=False)}"
          f" -> {json.dumps(correction.value, ensure_ascii=False)}; "
          f"incident: {store.incident_of_article(int(args.article_id)) or '-'}")
    return 0


def run_merge(args: argparse.Namespace, ctx: Context) -> int:
    from pannes.incidents.corrections import merge_incidents

    store = ctx.store()
    merged = merge_incidents(store, args.into_id, args.other_id, _editor(args), note=args.note)
    _sync_search(ctx, store)
    _print_incident(merged)
    return 0


def _article_ids(text: str) -> list[int]:
    try:
        return [int(p) for p in text.replace(" ", "").split(",") if p]
    except ValueError:
        raise UserInputError(f"--articles wants article ids separated by commas, not {text!r}") from None


def run_split(args: argparse.Namespace, ctx: Context) -> int:
    from pannes.incidents.corrections import split_incident

    store = ctx.store()
    new = split_incident(store, args.incident_id, _article_ids(args.articles), _editor(args),
                         note=args.note)
    _sync_search(ctx, store)
    _print_incident(new)
    return 0


def run_history(args: argparse.Namespace, ctx: Context) -> int:
    from pannes.incidents.corrections import history

    store = ctx.store()
    if args.target_id is None:
        rows = history(store)
    elif args.target_id.isdigit():
        rows = history(store, "article", args.target_id)
    else:
        rows = history(store, "incident", args.target_id)
    if args.json:
        for c in rows:
            print(json.dumps(c.to_dict(), ensure_ascii=False))
        return 0
    if not rows:
        print("No corrections.")
    for c in rows:
        print(f"#{c.id} {c.at:%Y-%m-%d %H:%M} {c.editor}: {c.target} {c.target_id} {c.field}: "
              f"{json.dumps(c.before, ensure_ascii=False)} -> {json.dumps(c.value, ensure_ascii=False)}"
              + (f"  ({c.note})" if c.note else ""))
    return 0


def run_fields(args: argparse.Namespace, ctx: Context) -> int:
    from pannes.incidents.corrections import editable_fields

    for target in ([args.target] if args.target else ["incident", "article"]):
        print(f"{target} fields:")
        for name, spec in editable_fields(target).items():
            print(f"  {name:<16} {spec.help}")
            if spec.allowed:
                print(f"  {'':<16} labels: {', '.join(spec.allowed)}")
    return 0


CORRECT_EPILOG = """\
examples:
  pannes correct incident abonnis-2025-03-09-a1 cause configuration_change --editor alice
  pannes correct incident abonnis-2025-03-09-a1 duration 48-96 --editor alice
  pannes correct article 12 vendors "Abonnis, Kiosquia" --editor alice
  pannes correct article 12 is_outage no --editor alice
  pannes correct article 12 incident hexaline-2024-10-17-a5 --editor alice
  pannes correct merge abonnis-2025-03-09-a1 abonnis-2025-03-12-a7 --editor alice
  pannes correct split abonnis-2025-03-09-a1 --articles 12,13 --editor alice
  pannes correct history abonnis-2025-03-09-a1
  pannes correct fields

Corrections are kept apart from machine tags and win over them: they survive
`pannes tag --retag` and `pannes group`. Each is audited (editor, time, before, after).
"""


def _correct_usage(args: argparse.Namespace, ctx: Context) -> int:
    raise UserInputError("Say what to correct: pannes correct {incident,article,merge,split,"
                         "history,fields} ... (see pannes correct --help)")


def _editor_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--editor", help="who makes the correction (default: PANNES_EDITOR)")
    parser.add_argument("--note", help="why (kept in the audit trail)")


def _register_correct(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "correct", help="correct incidents and articles (audited)",
                         func=_correct_usage, epilog=CORRECT_EPILOG)
    sub = parser.add_subparsers(dest="correct_command", metavar="ACTION", title="actions")

    def action(name: str, help: str, func: Any) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help, parents=[COMMON],
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        p.set_defaults(func=func)
        return p

    p = action("incident", "set a field of an incident", run_correct_incident)
    p.add_argument("incident_id")
    p.add_argument("field", help="see `pannes correct fields`")
    p.add_argument("value", help="lists comma-separated; dates YYYY-MM-DD; 'none' to clear")
    _editor_options(p)
    p = action("article", "set a tag field of an article (or move it: field 'incident')",
               run_correct_article)
    p.add_argument("article_id", type=int)
    p.add_argument("field", help="see `pannes correct fields`")
    p.add_argument("value", help="lists comma-separated; dates YYYY-MM-DD; 'none' to clear")
    _editor_options(p)
    p = action("merge", "merge the second incident into the first (which keeps its id)",
               run_merge)
    p.add_argument("into_id")
    p.add_argument("other_id")
    _editor_options(p)
    p = action("split", "move some articles of an incident into a new incident", run_split)
    p.add_argument("incident_id")
    p.add_argument("--articles", required=True, help="article ids, comma-separated")
    _editor_options(p)
    p = action("history", "the audit trail (all, of an incident, or of an article id)",
               run_history)
    p.add_argument("target_id", nargs="?", help="an incident id or an article id")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p = action("fields", "list the fields that can be corrected, with allowed labels", run_fields)
    p.add_argument("target", nargs="?", choices=("incident", "article"))


# ---------------------------------------------------------------------- vendors


def run_vendors(args: argparse.Namespace, ctx: Context) -> int:
    from pannes.incidents.reliability import (
        UNKNOWN_DURATION_NOTE,
        compare_vendors,
        format_table,
        vendor_reliability,
    )

    store = ctx.store()
    kwargs = {"since": args.since, "until": args.until,
              "include_mentioned": not args.no_mentioned, "by_group": args.by_group}
    if args.compare:
        stats = compare_vendors(store, args.compare, **kwargs)
    else:
        stats = vendor_reliability(store, args.vendor or None, limit=args.limit, **kwargs)
    if args.json:
        print(json.dumps({"vendors": [s.to_dict() for s in stats],
                          "since": args.since.isoformat() if args.since else None,
                          "until": args.until.isoformat() if args.until else None,
                          "note": UNKNOWN_DURATION_NOTE}, ensure_ascii=False, indent=2))
    else:
        print(format_table(stats))
    return 0


# ---------------------------------------------------------------------- export and feed


def _search_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("selection (the filters of search)")
    group.add_argument("--query", default="", help="search words (as in `pannes search`)")
    group.add_argument("--vendor", action="append", default=[],
                       help="vendor, any case or accents (repeatable)")
    group.add_argument("--impact", action="append", default=[],
                       help="impact label (repeatable; see `pannes correct fields`)")
    group.add_argument("--cause", action="append", default=[],
                       help="cause label (repeatable; see `pannes correct fields`)")
    group.add_argument("--affected", action="append", default=[], help="affected organisation")
    group.add_argument("--source", action="append", default=[], help="source name (repeatable)")
    group.add_argument("--since", type=_date, help="from this date (YYYY-MM-DD)")
    group.add_argument("--until", type=_date, help="up to this date (YYYY-MM-DD)")
    group.add_argument("--min-hours", type=float, help="lasting at least this many hours")
    group.add_argument("--max-hours", type=float, help="lasting at most this many hours")
    group.add_argument("--outages-only", action="store_true", help="articles: outages only")


def _search_query(args: argparse.Namespace, kind: str, store: Any) -> Any:
    """The search the options describe; unknown vendors or labels are refused, not ignored."""
    from pannes.incidents.selection import checked_filters
    from pannes.records import SearchFilters, SearchQuery

    filters = SearchFilters(vendors=args.vendor, affected=args.affected, impact=args.impact,
                            cause=args.cause, sources=args.source, date_from=args.since,
                            date_to=args.until, min_hours=args.min_hours,
                            max_hours=args.max_hours,
                            is_outage=True if args.outages_only else None)
    return SearchQuery(text=args.query, filters=checked_filters(store, filters, kind), kind=kind)


def run_export(args: argparse.Namespace, ctx: Context) -> int:
    from pannes.incidents.export import write_articles, write_incidents

    store = ctx.store()
    fmt = args.format or ("jsonl" if args.output and str(args.output).endswith(".jsonl") else "csv")
    query = _search_query(args, args.what, store)  # before the output file is opened
    with _output(args.output) as out:
        if args.what == "incidents":
            n = write_incidents(store, out, fmt=fmt, query=query)
        else:
            n = write_articles(store, out, fmt=fmt, query=query, with_text=args.with_text)
    ctx.progress(f"{n} {args.what} exported as {fmt}"
                 + (f" to {args.output}" if args.output else ""))
    return 0


def run_feed(args: argparse.Namespace, ctx: Context) -> int:
    from pannes.incidents.feed import FeedFilter, build_feed
    from pannes.incidents.selection import check_labels, known_vendor_names, resolve_vendor_names
    from pannes.records import IMPACT_LABELS

    store = ctx.store()
    vendors = (resolve_vendor_names(args.vendor, known_vendor_names(store, "incidents"))
               if args.vendor else [])
    flt = FeedFilter(vendors=vendors, impact=check_labels(args.impact, IMPACT_LABELS, "impact"),
                     query=args.query)
    document = build_feed(store, flt, limit=args.limit, base_url=args.base_url,
                          self_url=args.self_url)
    with _output(args.output, binary=True) as out:
        out.write(document)
    if args.output:
        ctx.progress(f"Atom feed written to {args.output}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = add_command(subparsers, "group", help="group tagged outage articles into incidents",
                    func=run_group, epilog=(
                        "Incremental: stored incidents keep their ids and members, new "
                        "articles join them or found new ones; editors' corrections are "
                        "replayed on top. Running it twice changes nothing. Only the "
                        "texts of the articles compared are read; the text statistics of "
                        "the others are kept in the database from the last run."))
    p.add_argument("--rebuild", action="store_true",
                   help="regroup from scratch (ids are kept by overlap with the old incidents)")
    p.add_argument("--recompute", action="store_true",
                   help="read every text again instead of the statistics kept from the last "
                        "run (same result, slower)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")

    _register_correct(subparsers)

    p = add_command(subparsers, "vendors", help="vendor reliability: incidents, durations, causes",
                    func=run_vendors, epilog=UNKNOWN_DURATIONS_HELP)
    p.add_argument("vendor", nargs="*", help="vendors to show (default: those with most incidents)")
    p.add_argument("--compare", nargs="+", metavar="VENDOR", help="several vendors side by side")
    p.add_argument("--since", type=_date, help="incidents starting on or after (YYYY-MM-DD)")
    p.add_argument("--until", type=_date, help="incidents starting on or before (YYYY-MM-DD)")
    p.add_argument("--limit", type=int, default=10, help="vendors shown without names (default 10)")
    p.add_argument("--no-mentioned", action="store_true",
                   help="leave out incidents known only from later mentions")
    p.add_argument("--by-group", action="store_true",
                   help="roll brands up into their group (the vendor base's parent: "
                        "PlayStation Network into Sony, Microsoft Azure into Microsoft)")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = add_command(subparsers, "export", help="export incidents or articles as CSV or JSON Lines",
                    func=run_export, epilog=(
                        "CSV list cells separate values with ' | '. JSON Lines keep every field "
                        "(incidents with provenance; articles with corrected tags)."))
    p.add_argument("what", choices=("incidents", "articles"))
    p.add_argument("-f", "--format", choices=("csv", "jsonl"),
                   help="default: jsonl for a .jsonl file, else csv")
    p.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    p.add_argument("--with-text", action="store_true", help="articles, JSON Lines: include text")
    _search_options(p)

    p = add_command(subparsers, "feed", help="write an Atom feed of new incidents",
                    func=run_feed, epilog="Serve the file with any web server; feed readers poll it.")
    p.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    p.add_argument("--vendor", action="append", default=[],
                   help="only this vendor, any case or accents (repeatable)")
    p.add_argument("--impact", action="append", default=[],
                   help="only this impact label (repeatable)")
    p.add_argument("--query", default="", help="only incidents matching these search words")
    p.add_argument("--limit", type=int, default=50, help="entries (default 50)")
    p.add_argument("--base-url", help="dashboard URL: entries link to its incident?id=ID page")
    p.add_argument("--self-url", help="the URL the feed will be served at")
