"""Crawl commands: `crawl`, `sources` (`sources check`), `import-urls`, `import-warc`."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pannes.app.commands import Context, add_command
from pannes.errors import NetworkError, UserInputError

if TYPE_CHECKING:
    from pannes.crawler.stats import CrawlStats

# A first crawl of a sitemap index would otherwise fetch a site's whole archive.
DEFAULT_MAX_AGE_DAYS = 30


class ProgressPrinter:
    """Live progress on stderr: one updating line on a terminal, a line every 10 s otherwise."""

    def __init__(self, ctx: Context, quiet: bool) -> None:
        self.ctx = ctx
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.last = 0.0

    def __call__(self, event: dict[str, Any]) -> None:
        from pannes.crawler.stats import CrawlStats

        if self.quiet or event.get("event") != "progress":
            return
        line = CrawlStats.from_dict(event).progress_line()
        if self.tty:
            sys.stderr.write("\r" + line[:150].ljust(150))
            sys.stderr.flush()
        elif time.monotonic() - self.last >= 10:
            self.last = time.monotonic()
            self.ctx.progress(line)

    def done(self) -> None:
        if self.tty and not self.quiet:
            sys.stderr.write("\n")


def _report(stats: CrawlStats, args: argparse.Namespace) -> int:
    if stats.unreachable():
        sample = next((s for s in stats.error_samples), None)
        example = f" First failure: {sample['url']}: {sample['reason']}." if sample else ""
        raise NetworkError(f"No site could be reached ({stats.error_count} network errors)."
                           f"{example} Check the network connection and the sources' addresses "
                           "(`pannes sources check`).")
    if getattr(args, "json", False):
        print(json.dumps(stats.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(stats.summary())
    return 0


def _crawl_settings(ctx: Context, args: argparse.Namespace) -> Any:
    settings = ctx.settings
    if getattr(args, "http_cache", False):
        settings = replace(settings, crawl=replace(settings.crawl, http_cache=True))
    return settings


def warn_without_contact(settings: Any, args: argparse.Namespace, ctx: Context) -> None:
    """Sites being crawled should be able to reach whoever runs the crawler."""
    if settings.crawl.contact or getattr(args, "quiet", False):
        return
    import platformdirs

    where = settings.config_file or Path(platformdirs.user_config_dir("pannes")) / "config.toml"
    ctx.progress("pannes: warning: the user agent carries no contact address (the crawl.contact "
                 "setting is empty), so the sites crawled cannot reach you. Set it in "
                 f"{where}:\n  [crawl]\n  contact = \"you@example.org\"\n"
                 "or with the environment variable PANNES_CONTACT.")


def warn_about_policies(settings: Any, args: argparse.Namespace, ctx: Context) -> None:
    """A disabled source crawled because it was named: remind what its site's terms say."""
    if not args.source:
        return
    from pannes.crawler.run import resolve_sources

    for source in resolve_sources(settings, args.sources, args.source):
        if not source.enabled:
            note = source.policy or source.notes or "no reason given in the sources file"
            ctx.progress(f"pannes: note: {source.name} is disabled by default ({note}); it is "
                         "crawled because you named it.")


# ---------------------------------------------------------------------------- crawl


def run_crawl_command(args: argparse.Namespace, ctx: Context) -> int:
    from pannes.crawler.run import default_resume_dir, run_crawl

    settings = _crawl_settings(ctx, args)
    strategies = ("feeds", "sitemaps") if args.only is None else (args.only,)
    printer = ProgressPrinter(ctx, getattr(args, "quiet", False))
    warn_without_contact(settings, args, ctx)
    warn_about_policies(settings, args, ctx)
    if not getattr(args, "quiet", False):
        ctx.progress(f"Crawling into {settings.db_path} (log: {settings.data_dir / 'logs' / 'crawl.log'})")
    try:
        stats = run_crawl(
            settings,
            sources=args.sources,
            only=args.source or None,
            strategies=strategies,
            max_pages=args.max_pages,
            max_age_days=args.max_age_days or None,
            refresh=args.refresh,
            progress=printer,
            resume_dir=None if args.no_resume else default_resume_dir(settings),
        )
    finally:
        printer.done()
    return _report(stats, args)


# ---------------------------------------------------------------------------- sources

KIND_TITLES = {"tech": "Tech press", "media": "Media-industry press", "general": "General press"}


def _discovery(source: Any) -> str:
    feeds = f"{len(source.feeds)} feed{'s' if len(source.feeds) != 1 else ''}"
    if source.feed_only:
        return feeds + ", items only"
    sitemaps = f"{len(source.sitemaps)} sitemap{'s' if len(source.sitemaps) != 1 else ''}"
    return f"{feeds}, {sitemaps}" + (" + robots.txt" if source.robots_sitemaps else "")


def run_sources(args: argparse.Namespace, ctx: Context) -> int:
    from pannes.crawler.run import resolve_sources

    sources = resolve_sources(ctx.settings, args.sources, args.source or None,
                              include_disabled=True)
    if args.action == "check":
        return _check(sources, args, ctx)
    counts: dict[str, dict[str, Any]] = {}
    if ctx.settings.db_path.exists():
        counts = {row["source"]: row for row in ctx.store().source_counts()}
    if args.json:
        rows = [{**s.to_dict(), "stored": counts.get(s.name, {})} for s in sources]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for kind, title in KIND_TITLES.items():
        group = [s for s in sources if s.kind == kind]
        if not group:
            continue
        print(f"{title:<28} {'discovery':<32} {'evidence':<9} {'stored':<24} "
              f"{'state':<9} policy")
        for s in group:
            stored = counts.get(s.name)
            kept = (f"{stored['articles']}, latest {stored['latest_published'] or '?'}"
                    if stored else "-")
            state = "enabled" if s.enabled else "disabled"
            print(f"  {s.name:<26} {_discovery(s):<32} {s.evidence or '-':<9} {kept:<24} "
                  f"{state:<9} {textwrap.shorten(s.policy, 70) if s.policy else '-'}")
    disabled = sum(not s.enabled for s in sources)
    print(f"{len(sources)} sources ({disabled} disabled; `pannes sources --json` gives every "
          "field, the policies in full)")
    return 0


def _check(sources: list[Any], args: argparse.Namespace, ctx: Context) -> int:
    from pannes.crawler.check import check_sources, header, row
    from pannes.crawler.settings import robots_token

    crawl = ctx.settings.crawl
    if not args.json:
        print(header(), flush=True)
    reports = check_sources(
        sources, user_agent=crawl.full_user_agent, robots_token=robots_token(crawl.user_agent),
        timeout=args.timeout, workers=args.workers, stale_days=args.stale_days,
        on_report=None if args.json else lambda r: print(row(r), flush=True))
    enabled = [r for r in reports if r.enabled]
    failing = [r for r in enabled if not r.ok]
    if args.json:
        print(json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2))
    else:
        print(f"{len(enabled) - len(failing)} of {len(enabled)} enabled sources answer as "
              f"expected; {len(reports) - len(enabled)} disabled.")
    if enabled and all(r.verdict == "unreachable" for r in enabled):
        raise NetworkError("No source could be reached: is the network available?")
    return 1 if failing else 0


# ---------------------------------------------------------------------------- backfill


def run_import_urls(args: argparse.Namespace, ctx: Context) -> int:
    from pannes.crawler.run import fetch_urls

    path = Path(args.file)
    if str(path) == "-":
        lines = sys.stdin.read().splitlines()
    elif not path.is_file():
        raise UserInputError(f"URL list not found: {path}")
    else:
        lines = path.read_text(encoding="utf-8").splitlines()
    printer = ProgressPrinter(ctx, getattr(args, "quiet", False))
    settings = _crawl_settings(ctx, args)
    warn_without_contact(settings, args, ctx)
    try:
        stats = fetch_urls(settings, lines, sources=args.sources,
                           source_name=args.source, refresh=args.refresh, progress=printer)
    finally:
        printer.done()
    return _report(stats, args)


def run_import_warc(args: argparse.Namespace, ctx: Context) -> int:
    from pannes.crawler.run import resolve_sources
    from pannes.crawler.warc import import_warc

    sources = resolve_sources(ctx.settings, args.sources, include_disabled=True)
    store = ctx.store(create=True)

    def progress(stats: CrawlStats) -> None:
        if not getattr(args, "quiet", False):
            ctx.progress(stats.progress_line())

    stats = import_warc(store, args.files, sources, all_domains=args.all_domains,
                        max_page_bytes=ctx.settings.crawl.max_page_bytes or None,
                        progress=progress)
    return _report(stats, args)


# ---------------------------------------------------------------------------- register


def _wrap(text: str) -> str:
    return textwrap.fill(text, 78)


def add_crawl_arguments(p: argparse.ArgumentParser) -> None:
    """The crawl options, shared by `pannes crawl` and `pannes update`."""
    sources_help = "sources file (TOML; default: crawl.sources setting or the packaged list)"
    p.add_argument("--sources", type=Path, metavar="FILE", help=sources_help)
    p.add_argument("--source", action="append", metavar="NAME",
                   help="crawl only this source (repeatable)")
    p.add_argument("--only", choices=("feeds", "sitemaps"),
                   help="use one discovery strategy only (default: both)")
    p.add_argument("--max-pages", type=int, metavar="N",
                   help="stop after N articles handed to the store")
    p.add_argument("--max-age-days", type=float, default=DEFAULT_MAX_AGE_DAYS, metavar="DAYS",
                   help="ignore articles and child sitemaps announced as older than DAYS "
                        f"(default {DEFAULT_MAX_AGE_DAYS}; 0: no limit, e.g. for a backfill)")
    p.add_argument("--refresh", action="store_true",
                   help="ask again for every announced article (conditionally), even known ones")
    p.add_argument("--no-resume", action="store_true",
                   help="do not resume an interrupted crawl; start from the feeds")
    p.add_argument("--http-cache", action="store_true",
                   help="cache HTTP answers on disk (for development)")


def register(subparsers: argparse._SubParsersAction) -> None:
    sources_help = "sources file (TOML; default: crawl.sources setting or the packaged list)"

    p = add_command(
        subparsers, "crawl", func=run_crawl_command,
        help="collect new articles from the sources' feeds and sitemaps",
        description=_wrap(
            "Fetch what is new on every source (RSS/Atom feeds, news sitemaps), extract "
                    "the articles and store them. Polite (robots.txt, delays, an identifying "
                    "user agent), incremental (a second run fetches only what changed) and "
                    "resumable (an interrupted crawl resumes where it stopped)."),
        epilog="examples:\n  pannes crawl\n  pannes crawl --source Numerama --source Zataz\n"
               "  pannes crawl --only feeds --max-pages 50",
    )
    add_crawl_arguments(p)
    p.add_argument("--json", action="store_true", help="print the statistics as JSON")

    p = add_command(
        subparsers, "sources", func=run_sources,
        help="list the news sources, or check what each one answers now",
        description=_wrap(
            "List the configured sources: how they are discovered, the public evidence for "
                    "their addresses, the articles stored for each, and the policy of sites "
                    "that need a licence (disabled by default). With `check`: one row per "
                    "source with what it answers now (feeds parsed, a sitemap read, robots.txt "
                    "for our bot, one article fetched and extracted) and the fix to try."),
        epilog="examples:\n  pannes sources\n  pannes sources check --timeout 10\n"
               "  pannes sources check --json > check.json   # for cron",
    )
    p.add_argument("action", nargs="?", choices=("list", "check"), default="list",
                   help="list (default) or check")
    p.add_argument("--sources", type=Path, metavar="FILE", help=sources_help)
    p.add_argument("--source", action="append", metavar="NAME", help="only this source (repeatable)")
    p.add_argument("--timeout", type=float, default=15.0, metavar="SECONDS",
                   help="check: time allowed for each answer (default 15)")
    p.add_argument("--workers", type=int, default=4,
                   help="check: sources checked at a time (default 4)")
    p.add_argument("--stale-days", type=float, default=30, metavar="DAYS",
                   help="check: a feed with no item newer than DAYS is stale (default 30)")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = add_command(
        subparsers, "import-urls", func=run_import_urls,
        help="fetch a list of article URLs (backfill)",
        description=_wrap(
            "Fetch each URL of a file (one per line, # for comments; - for standard "
                    "input) with the crawler, extract and store the articles. An URL is "
                    "attributed to the source owning its domain, else to its host name."),
    )
    p.add_argument("file", metavar="FILE", help="text file with one URL per line, or -")
    p.add_argument("--source", metavar="NAME", help="attribute every URL to this source name")
    p.add_argument("--sources", type=Path, metavar="FILE", help=sources_help)
    p.add_argument("--refresh", action="store_true", help="fetch URLs already stored again")
    p.add_argument("--http-cache", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true", help="print the statistics as JSON")

    p = add_command(
        subparsers, "import-warc", func=run_import_warc,
        help="import articles from WARC archives (e.g. CC-NEWS)",
        description=_wrap(
            "Read WARC files (gzipped or not), keep the HTML pages of the configured "
                    "sources' domains, and send them through the crawl's extraction and "
                    "deduplication; only French articles are kept."),
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="WARC files")
    p.add_argument("--sources", type=Path, metavar="FILE", help=sources_help)
    p.add_argument("--all-domains", action="store_true",
                   help="keep pages from any domain (source named after the host)")
    p.add_argument("--json", action="store_true", help="print the statistics as JSON")
