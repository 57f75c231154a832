"""`pannes demo` (the whole flow on the local demonstration site) and `pannes demo-site`."""

from __future__ import annotations

import argparse
import dataclasses
import secrets
import time
from importlib import resources
from pathlib import Path

from pannes.app.commands import Context, add_command
from pannes.app.stages import crawl_stage, group_stage, tag_stage
from pannes.editors import EditorsFile

MAX_BASE_PORT = 65535 - 50  # one port per outlet above the first
DEMO_EDITOR = "demo"


def _base_port(value: str) -> int:
    """A first port for the outlets: 0 (free ports) or a port leaving room for the others."""
    try:
        number = int(value)
    except ValueError:
        number = -1
    if not 0 <= number <= MAX_BASE_PORT:
        raise argparse.ArgumentTypeError(
            f"not a first port (0 for free ports, or 1-{MAX_BASE_PORT}): {value!r}")
    return number


def _demo_settings(ctx: Context, args: argparse.Namespace):
    """The demo's own database (never the user's real one unless --db says so), fast crawl."""
    settings = ctx.settings
    db = getattr(args, "db", None) or settings.data_dir / "demo.db"
    crawl = dataclasses.replace(settings.crawl, download_delay=0.0, autothrottle=False,
                                concurrent_requests_per_domain=8)
    return dataclasses.replace(settings, db_path=Path(db).expanduser(), crawl=crawl)


def demo_editors_file(db_path: Path) -> Path:
    """The demo's own editors file, beside its database (never the user's editors)."""
    return db_path.with_name(f"{db_path.stem}-editors.txt")


def add_demo_editor(db_path: Path) -> tuple[Path, str]:
    """A demo editor with a fresh random password; returns (editors file, password)."""
    path = demo_editors_file(db_path)
    password = secrets.token_urlsafe(9)
    EditorsFile(path).add(DEMO_EDITOR, password)
    return path, password


def run_demo(args: argparse.Namespace, ctx: Context) -> int:
    settings = _demo_settings(ctx, args)
    if args.fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(str(settings.db_path) + suffix).unlink(missing_ok=True)
    say = ctx.progress
    started = time.monotonic()

    say("[1/5] Starting the demonstration site (fictional outlets and events) ...")
    from pannes.demo.site import start_demo_site

    site = start_demo_site(host=args.host, base_port=args.base_port)  # ConfigError if ports busy
    try:
        for outlet in site.outlets:
            say(f"      {outlet.name}: {site.base_url(outlet.key)}/")

        say("[2/5] Crawling it with the Scrapy spider (robots.txt, feeds, sitemaps) ...")
        stats = crawl_stage(settings, sources=site.sources(), progress=say)
        say("      " + stats.summary().replace("\n", "\n      "))

        say("[3/5] Tagging the articles with spaCy (loading the French model) ...")
        from pannes.store import open_store

        with open_store(settings.db_path) as store:
            demo_vendors = Path(str(resources.files("pannes.demo").joinpath("vendors.jsonl")))
            report = tag_stage(store, settings, extra_vendor_files=[demo_vendors], progress=say)
            say("      " + report.summary())

            say("[4/5] Grouping articles into incidents ...")
            grouping = group_stage(store)
            say("      " + grouping.summary())
            counts = store.tag_counts()

        say(f"Demo database: {settings.db_path} ({counts['articles']} articles, "
            f"{counts['outages']} about outages; {time.monotonic() - started:.0f} s)")
        editors, password = add_demo_editor(settings.db_path)
        sign_in = (f"To correct, merge or split incidents, sign in from the sidebar "
                   f"(« Connexion des éditeurs ») as « {DEMO_EDITOR} », password "
                   f"« {password} » (a demo editor, in {editors}).")
        if args.no_dashboard:
            say("[5/5] Dashboard skipped (--no-dashboard). Open it later with:\n"
                f"      pannes dashboard --db {settings.db_path} --editors-file {editors}\n"
                "      " + sign_in)
            return 0

        say("[5/5] Opening the dashboard (Ctrl-C to stop; the demo site keeps serving "
            "the original articles meanwhile) ...")
        say("      " + sign_in)
        from pannes.app.commands.dashboard import launch_dashboard

        return launch_dashboard(settings.db_path, port=args.port,
                                open_browser=not args.no_browser, editors_file=editors)
    finally:
        site.stop()


def run_demo_site_command(args: argparse.Namespace, ctx: Context) -> int:
    from pannes.demo.site import run_demo_site

    run_demo_site(args.host, args.base_port, args.corpus)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    from pannes.demo.site import DEFAULT_BASE_PORT

    p = add_command(
        subparsers, "demo", func=run_demo,
        help="run the whole flow offline on the local demonstration site, then open the dashboard",
        description=(
            "Start the demonstration site (fictional French outlets, on 127.0.0.1), crawl it with\n"
            "the real Scrapy spider, tag the articles, group them into incidents, and open the\n"
            "dashboard. Nothing leaves this machine. The demo uses its own database\n"
            "(<data dir>/demo.db) unless --db is given; running it again only fetches what changed.\n"
            "It adds a demo editor with a new random password to its own editors file, beside\n"
            "the database, and prints how to sign in to try corrections."
        ),
    )
    p.add_argument("--fresh", action="store_true", help="start from an empty demo database")
    p.add_argument("--no-dashboard", action="store_true",
                   help="stop after grouping instead of opening the dashboard")
    p.add_argument("--no-browser", action="store_true",
                   help="start the dashboard without opening a web browser")
    p.add_argument("--port", type=int, default=None, help="dashboard port (default: Streamlit's)")
    p.add_argument("--host", default="127.0.0.1", help="address of the demo site (loopback)")
    p.add_argument("--base-port", type=_base_port, default=DEFAULT_BASE_PORT,
                   help=f"first port of the demo site, one per outlet (default {DEFAULT_BASE_PORT};"
                        " 0 picks free ports)")

    p = add_command(
        subparsers, "demo-site", func=run_demo_site_command,
        help="serve the demonstration site on loopback until Ctrl-C",
        description=(
            "Serve the fictional outlets of the demonstration corpus (home pages, articles, RSS and\n"
            "Atom feeds, sitemaps, robots.txt), one port per outlet, on 127.0.0.1."
        ),
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on")
    p.add_argument("--base-port", type=_base_port, default=DEFAULT_BASE_PORT,
                   help=f"first port, one per outlet (default {DEFAULT_BASE_PORT})")
    p.add_argument("--corpus", type=Path, default=None, metavar="DIR",
                   help="a corpus directory in the demo format (default: the packaged one)")
