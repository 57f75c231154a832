"""`pannes editors add|remove|list`: the dashboard's local editors (name and password).

For a newsroom without an OpenID Connect provider: each editor signs in to the dashboard with
a name and a password, whose argon2 hash lives in the editors file (setting
dashboard.editors_file, PANNES_EDITORS_FILE, or --editors-file).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from pannes.app.commands import Context, add_command
from pannes.editors import EditorsFile, check_name, check_password
from pannes.errors import UserInputError

EPILOG = """\
The password is asked twice without echo; when standard input is not a terminal, its first
line is the password (for scripts: `printf '%s\\n' "$PASSWORD" | pannes editors add camille`).
Adding a name that exists replaces its password. Removing an editor takes their rights away
at once, also in a dashboard where they are signed in.

examples:
  pannes editors add camille
  pannes editors list
  pannes editors remove camille
  pannes editors add demo --editors-file ./demo-editors.txt
"""


def editors_file(args: argparse.Namespace, ctx: Context) -> EditorsFile:
    chosen = getattr(args, "editors_file", None)
    return EditorsFile(chosen or ctx.settings.dashboard.editors_file)


def read_password(name: str) -> str:
    """The new password: asked twice without echo at a terminal, else stdin's first line."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise UserInputError("No password on standard input (one line expected).")
        return check_password(line.rstrip("\r\n"))
    password = check_password(getpass.getpass(f"Password for {name}: "))
    if getpass.getpass("Same password again: ") != password:
        raise UserInputError("The two passwords differ; nothing was changed.")
    return password


def run_add(args: argparse.Namespace, ctx: Context) -> int:
    editors = editors_file(args, ctx)
    name = check_name(args.name)
    new = editors.add(name, read_password(name))
    ctx.progress(f"{'Added' if new else 'New password for'} editor {name!r} in {editors.path}. "
                 "They sign in from the dashboard's sidebar (« Connexion des éditeurs »).")
    return 0


def run_remove(args: argparse.Namespace, ctx: Context) -> int:
    editors = editors_file(args, ctx)
    editors.remove(args.name)
    ctx.progress(f"Removed editor {args.name.strip()!r} from {editors.path}.")
    return 0


def run_list(args: argparse.Namespace, ctx: Context) -> int:
    editors = editors_file(args, ctx)
    names = editors.names()
    for name in names:
        print(name)
    if not names:
        ctx.progress(f"No local editor in {editors.path}: `pannes editors add NAME` adds one.")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "editors", func=lambda args, ctx: _usage(parser),
        help="manage who may correct in the dashboard (local editors with a password)",
        description="Add, remove or list the editors who sign in to the dashboard with a name "
                    "and a password. Editors of an OpenID Connect provider (Keycloak, Microsoft "
                    "Entra ID, Google) are set up in .streamlit/secrets.toml and the "
                    "dashboard.oidc_editors setting instead (see `pannes dashboard --help`).",
        epilog=EPILOG)
    actions = parser.add_subparsers(dest="editors_action", metavar="ACTION", title="actions")
    for name, func, help_text in [
            ("add", run_add, "add an editor, or give one a new password"),
            ("remove", run_remove, "remove an editor"),
            ("list", run_list, "list the editors' names")]:
        action = add_command(actions, name, func=func, help=help_text, epilog=EPILOG)
        if name != "list":
            action.add_argument("name", metavar="NAME", help="the editor's name, e.g. camille")
        action.add_argument("--editors-file", type=Path, default=None, metavar="FILE",
                            help="the editors file (default: the dashboard.editors_file "
                                 "setting, PANNES_EDITORS_FILE, or <user config dir>/"
                                 "editors.txt)")


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2
