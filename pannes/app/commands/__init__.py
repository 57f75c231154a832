"""CLI commands, one module per area; each module's `register(subparsers)` adds its commands.

A command is a function `run(args, ctx) -> int`. `Context` gives it the settings and the store;
user mistakes are raised as `pannes.errors.PannesError` and printed by `pannes.app.cli.main`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pannes.config import Settings, load_settings

if TYPE_CHECKING:
    from pannes.store.sqlite import SQLiteStore

CommandFunc = Callable[[argparse.Namespace, "Context"], int]


def _common_options() -> argparse.ArgumentParser:
    """Options every command accepts, before or after its name."""
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("common options")
    group.add_argument("--db", type=Path, default=argparse.SUPPRESS, metavar="PATH",
                       help="SQLite database file (default: PANNES_DB or the user data directory)")
    group.add_argument("--config", type=Path, default=argparse.SUPPRESS, metavar="FILE",
                       help="configuration file (TOML; default: PANNES_CONFIG or the user config dir)")
    group.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS,
                       help="more log output (repeat for debug)")
    group.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                       help="only errors")
    return common


COMMON = _common_options()


def add_command(
    subparsers: argparse._SubParsersAction,
    name: str,
    *,
    help: str,
    func: CommandFunc,
    description: str | None = None,
    epilog: str | None = None,
) -> argparse.ArgumentParser:
    """Add a command with the common options; `func(args, ctx)` runs it."""
    parser = subparsers.add_parser(
        name,
        help=help,
        description=description or help,
        epilog=epilog,
        parents=[COMMON],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(func=func, command_parser=parser)
    return parser


@dataclass
class Context:
    """What a command needs from its surroundings: settings, the store, output streams."""

    args: argparse.Namespace
    _settings: Settings | None = field(default=None, repr=False)
    _stores: list[SQLiteStore] = field(default_factory=list, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            settings = load_settings(config_file=getattr(self.args, "config", None))
            db = getattr(self.args, "db", None)
            self._settings = settings.with_db(db) if db else settings
        return self._settings

    def store(self, *, create: bool = False) -> SQLiteStore:
        """The SQLite store; `create=False` fails with a clear message when it is missing."""
        from pannes.store import open_store

        store = open_store(self.settings.db_path, create=create)
        self._stores.append(store)
        return store

    def close(self) -> None:
        for store in self._stores:
            store.close()
        self._stores.clear()

    @staticmethod
    def progress(message: str) -> None:
        """A progress line for the person at the terminal (stderr, so stdout stays data)."""
        print(message, file=sys.stderr, flush=True)
