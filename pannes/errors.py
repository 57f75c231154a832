"""Errors a user can act on; the CLI prints their message without a traceback."""

from __future__ import annotations


class PannesError(Exception):
    """A problem the user can fix; the message says how. `exit_code` is what the CLI returns."""

    exit_code = 1


class ConfigError(PannesError):
    """Bad or missing configuration (a setting, a file, an environment variable)."""

    exit_code = 78  # EX_CONFIG


class StoreError(PannesError):
    """The database is missing, unreadable, or from a newer pannes."""

    exit_code = 66  # EX_NOINPUT


class UserInputError(PannesError):
    """An argument or input the command cannot use."""

    exit_code = 65  # EX_DATAERR


class NetworkError(PannesError):
    """A site or server could not be reached."""

    exit_code = 69  # EX_UNAVAILABLE
