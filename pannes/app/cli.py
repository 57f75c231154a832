"""The `pannes` command: the one place that wires the stages together."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from pannes import __version__
from pannes.app.commands import Context
from pannes.errors import PannesError

# Command modules, in the order of the flow; each has `register(subparsers)`.
COMMAND_MODULES = (
    "pannes.app.commands.crawl",
    "pannes.app.commands.tag",
    "pannes.app.commands.evaluation",
    "pannes.app.commands.incidents",
    "pannes.app.commands.search",
    "pannes.app.commands.pipeline",
    "pannes.app.commands.demo",
    "pannes.app.commands.dashboard",
    "pannes.app.commands.editors",
)

DESCRIPTION = """\
pannes: a watch on IT and service outages reported by the French tech and media press.

The flow: crawl -> tag -> group -> search -> dashboard. Start with `pannes demo` to see it
run on a local demonstration site, or `pannes crawl` to collect the real sources.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pannes",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"pannes {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def _configure_logging(args: argparse.Namespace) -> None:
    if getattr(args, "quiet", False):
        level = logging.ERROR
    else:
        level = {0: logging.WARNING, 1: logging.INFO}.get(getattr(args, "verbose", 0), logging.DEBUG)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # said by the command's own parser, so its usage is the one shown
        (getattr(args, "command_parser", None) or parser).error(
            f"unrecognized arguments: {' '.join(unknown)}")
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    _configure_logging(args)
    ctx = Context(args)
    try:
        return int(args.func(args, ctx) or 0)
    except PannesError as exc:
        print(f"pannes: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("pannes: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
