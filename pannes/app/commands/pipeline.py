"""`pannes update`: crawl, tag, group (and sync Elasticsearch) in one go, e.g. every hour."""

from __future__ import annotations

import argparse
from pathlib import Path

from pannes.app.commands import Context, add_command
from pannes.app.stages import group_stage, tag_stage


def run_update(args: argparse.Namespace, ctx: Context) -> int:
    from pannes.app.commands.crawl import run_crawl_command

    quiet = getattr(args, "quiet", False)
    say = ctx.progress if not quiet else (lambda _message: None)
    if not args.skip_crawl:
        say("== crawl")
        code = run_crawl_command(args, ctx)
        if code:
            return code
    store = ctx.store()
    say("== tag")
    report = tag_stage(store, ctx.settings, extra_vendor_files=args.vendors, progress=say)
    print(report.summary())
    say("== group")
    print(group_stage(store).summary())
    if ctx.settings.search_backend == "elasticsearch":
        from pannes.store.backends import sync_search_index

        say("== index")
        synced = sync_search_index(ctx.settings, store, progress=say)
        if synced is not None:
            print(synced.summary())
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    from pannes.app.commands.crawl import add_crawl_arguments

    p = add_command(
        subparsers, "update", func=run_update,
        help="crawl the sources, tag new articles and update the incidents",
        description=(
            "The whole flow in one command: `pannes crawl`, then `pannes tag` on what is new,\n"
            "then `pannes group`; with search_backend = elasticsearch, the Elasticsearch\n"
            "indices then get what changed since their last sync and lose the incidents that\n"
            "no longer exist. Run it from cron or a systemd timer, e.g. every hour."
        ),
    )
    add_crawl_arguments(p)
    p.add_argument("--skip-crawl", action="store_true",
                   help="only tag and group what is already stored")
    p.add_argument("--vendors", type=Path, action="append", default=[], metavar="FILE",
                   help="extra vendor file for the tagger (JSONL); repeatable")
