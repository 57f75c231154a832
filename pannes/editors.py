"""The local editors file: who may correct in the dashboard without an OpenID Connect provider.

One editor per line, `NAME:HASH`, the hash an argon2id hash made by argon2-cffi (its
parameters are part of the hash, so old hashes keep verifying when the defaults move on).
`pannes editors add/remove` write it (under a lock, through a temporary file, mode 0600);
the dashboard only reads it, at each sign-in and before each correction, so removing an
editor takes their rights away at once.

    editors = EditorsFile(Path("editors.txt"))
    editors.add("camille", "un mot de passe assez long")
    editors.verify("camille", "un mot de passe assez long")  # True
"""

from __future__ import annotations

import fcntl
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pannes.errors import ConfigError, UserInputError

MIN_PASSWORD = 8
MAX_PASSWORD = 1024
# Letters (any script), digits, spaces and . _ ' - ; no "@", so that a local name never
# looks like the e-mail address of an editor signed in with an OpenID Connect provider.
NAME_PATTERN = re.compile(r"[^\W_][\w .'-]{0,63}")
HEADER = ("# pannes editors: NAME:argon2 hash, one per line. "
          "Written by `pannes editors add/remove`; do not share.\n")

_hasher = PasswordHasher()
# Verified when a name is unknown, so that a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


def check_name(name: str) -> str:
    """The editor's name, stripped; raises UserInputError saying what a name may hold."""
    name = (name or "").strip()
    if not NAME_PATTERN.fullmatch(name) or name.endswith((" ", ".")):
        raise UserInputError(
            f"Not a usable editor name: {name!r}. Use 1 to 64 letters, digits, spaces, "
            "dots, apostrophes, hyphens or underscores, starting with a letter or digit "
            "(no '@': that is for e-mail addresses from an OpenID Connect provider).")
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UserInputError(f"The password is too short: use at least {MIN_PASSWORD} "
                             "characters (a few words make a good one).")
    if len(password) > MAX_PASSWORD or "\n" in password or "\r" in password:
        raise UserInputError(f"The password must be one line of at most {MAX_PASSWORD} "
                             "characters.")
    return password


class EditorsFile:
    """The editors file at `path` (missing means: no local editor)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path).expanduser()

    def hashes(self) -> dict[str, str]:
        """Name -> argon2 hash, as the file says now."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise ConfigError(f"Cannot read the editors file {self.path}: {exc}") from None
        out: dict[str, str] = {}
        for number, line in enumerate(text.splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, sep, digest = line.rpartition(":$argon2")
            if not sep or not name:
                raise ConfigError(f"{self.path}, line {number}: not NAME:argon2-hash. "
                                  "Rewrite it with `pannes editors add NAME`.")
            out[name] = "$argon2" + digest
        return out

    def names(self) -> list[str]:
        return sorted(self.hashes(), key=str.casefold)

    def __contains__(self, name: str) -> bool:
        return (name or "").strip() in self.hashes()

    def verify(self, name: str, password: str) -> bool:
        """Whether `password` is `name`'s; as slow for an unknown name as for a known one."""
        digest = self.hashes().get((name or "").strip())
        try:
            return _hasher.verify(digest or _DUMMY_HASH, password) and digest is not None
        except (VerificationError, InvalidHashError):
            return False

    def add(self, name: str, password: str) -> bool:
        """Add `name` (or replace their password); returns True when the name was new."""
        name = check_name(name)
        digest = _hasher.hash(check_password(password))
        with self._locked() as current:
            is_new = name not in current
            current[name] = digest
            self._write(current)
        return is_new

    def remove(self, name: str) -> None:
        name = (name or "").strip()
        with self._locked() as current:
            if name not in current:
                known = ", ".join(sorted(current, key=str.casefold)) or "none"
                raise UserInputError(f"No editor named {name!r} in {self.path} "
                                     f"(editors: {known}).")
            del current[name]
            self._write(current)

    @contextmanager
    def _locked(self) -> Iterator[dict[str, str]]:
        """The current entries, read and rewritten under a lock (two `pannes editors` at
        once lose nothing)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock = open(f"{self.path}.lock", "a", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise ConfigError(f"Cannot write the editors file {self.path}: {exc}") from None
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield self.hashes()

    def _write(self, entries: dict[str, str]) -> None:
        lines = [HEADER] + [f"{n}:{h}\n" for n, h in sorted(entries.items(),
                                                           key=lambda e: e[0].casefold())]
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".editors-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:  # mkstemp: mode 0600
                fh.writelines(lines)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise ConfigError(f"Cannot write the editors file {self.path}: {exc}") from None
