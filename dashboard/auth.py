"""Who may correct: an editor signed in with OpenID Connect (Streamlit's `st.login`) or with a
name and password from the local editors file. Reading needs no sign-in.

- OpenID Connect: the provider is configured as Streamlit documents it, in the `[auth]`
  section of `.streamlit/secrets.toml`; `st.user` then holds the identity, and the setting
  dashboard.oidc_editors says which identities may correct (e-mail, "@domain" or "*").
- Local editors: `pannes editors add NAME` writes an argon2 hash to the editors file. A
  sign-in lives on the server, in a registry of sign-ins keyed by a random token that only
  the signed-in session holds: nothing written into a session's state can make one, and an
  unknown token is logged and dropped. The file is read again before each correction, so a
  removed editor can no longer correct.
- Failed sign-ins wait: each failure doubles the time before the next attempt for that name
  and for that session (1 s, 2 s, 4 s ... up to 10 min), counted before the password is
  checked, so attempts run in parallel gain nothing.

The identity recorded with a correction is the signed-in one: an OIDC e-mail address (or
"sub:" and the subject when the provider gives no verified address), or the local name.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import streamlit as st

from pannes.config import Settings
from pannes.editors import EditorsFile

log = logging.getLogger(__name__)

TOKEN = "_signin_token"  # session state: this session's local sign-in token
SESSION_KEY = "_signin_session"  # session state: a random key naming this session
SIGNIN_HOURS = 12.0  # a local sign-in lasts a working day at most
FIRST_DELAY, MAX_DELAY = 1.0, 600.0  # seconds to wait after the first failure, and at most
MAX_KEYS = 10_000  # names and sessions with failed attempts remembered before a clean-up


@dataclass(frozen=True)
class Editor:
    """A signed-in editor: `identity` is what the audit trail records."""

    identity: str
    method: Literal["oidc", "local"]


# ---------------------------------------------------------------------------- server state


class SignIns:
    """Local sign-ins of this server: token -> (editor name, expiry)."""

    def __init__(self, hours: float = SIGNIN_HOURS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._hours, self._clock = hours, clock
        self._lock = threading.Lock()
        self._open: dict[str, tuple[str, float]] = {}

    def open(self, name: str) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            now = self._clock()
            self._open = {t: v for t, v in self._open.items() if v[1] > now}
            self._open[token] = (name, now + self._hours * 3600)
        return token

    def find(self, token: str) -> str | None:
        """The name signed in with `token`, if the sign-in is open and not expired."""
        with self._lock:
            entry = self._open.get(token)
            if entry is None or entry[1] <= self._clock():
                self._open.pop(token, None)
                return None
            return entry[0]

    def close(self, token: str) -> None:
        with self._lock:
            self._open.pop(token, None)


class Throttle:
    """Failed attempts per key: after n failures the next attempt waits FIRST * 2**(n-1) s."""

    def __init__(self, first: float = FIRST_DELAY, cap: float = MAX_DELAY,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._first, self._cap, self._clock = first, cap, clock
        self._lock = threading.Lock()
        self._failures: dict[str, int] = {}
        self._not_before: dict[str, float] = {}

    def _delay(self, failures: int) -> float:
        return min(self._first * 2 ** (failures - 1), self._cap) if failures else 0.0

    def begin(self, keys: Iterable[str]) -> float:
        """0 when an attempt may go ahead, else the seconds left to wait. An attempt that goes
        ahead counts as failed until `succeeded`: a burst of parallel attempts gets one try."""
        keys = list(keys)
        with self._lock:
            now = self._clock()
            wait = max((self._not_before.get(k, 0.0) - now for k in keys), default=0.0)
            if wait > 0:
                return wait
            if len(self._not_before) > MAX_KEYS:  # forget attempts long past
                for key in [k for k, t in self._not_before.items() if t < now - MAX_DELAY]:
                    self._failures.pop(key, None)
                    self._not_before.pop(key, None)
            for key in keys:
                self._failures[key] = self._failures.get(key, 0) + 1
                self._not_before[key] = now + self._delay(self._failures[key])
            return 0.0

    def succeeded(self, keys: Iterable[str]) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
                self._not_before.pop(key, None)


@st.cache_resource(show_spinner=False)
def sign_ins() -> SignIns:
    """The server's local sign-ins (one registry for every session)."""
    return SignIns()


@st.cache_resource(show_spinner=False)
def throttle(first: float = FIRST_DELAY) -> Throttle:
    """The server's record of failed sign-ins (the first wait from dashboard.signin_delay)."""
    return Throttle(first=first)


# ---------------------------------------------------------------------------- OpenID Connect


def oidc_providers() -> list[str | None]:
    """The providers of the `[auth]` section of secrets.toml, as `st.login` names them:
    None for one set in `[auth]` itself, else the names of its `[auth.NAME]` sections."""
    try:
        auth = st.secrets.get("auth")
    except FileNotFoundError:  # no secrets.toml: no provider
        return []
    if not isinstance(auth, Mapping):
        return []
    providers: list[str | None] = [None] if "client_id" in auth else []
    providers += [name for name, value in auth.items()
                  if isinstance(value, Mapping) and "client_id" in value]
    return providers


def oidc_identity() -> str | None:
    """The identity of the user signed in with `st.login`, if any."""
    if not oidc_providers() or not st.user.get("is_logged_in"):
        return None
    email, verified = st.user.get("email"), st.user.get("email_verified")
    if email and verified is not False:
        return str(email).strip().lower()
    subject = st.user.get("sub")
    return f"sub:{subject}" if subject else None


def oidc_allowed(identity: str, allowed: Iterable[str]) -> bool:
    """Whether dashboard.oidc_editors lets this identity correct."""
    for entry in allowed:
        if entry == "*" or entry == identity:
            return True
        if entry.startswith("@") and not identity.startswith("sub:") and \
                identity.endswith(entry):
            return True
    return False


# ---------------------------------------------------------------------------- local editors


def editors_file(settings: Settings) -> EditorsFile:
    return EditorsFile(settings.dashboard.editors_file)


def session_key() -> str:
    """A random key naming this browser session (for the per-session throttle)."""
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = secrets.token_hex(16)
    return st.session_state[SESSION_KEY]


def _throttle_keys(name: str) -> list[str]:
    return [f"name:{name.strip().casefold()}", f"session:{session_key()}"]


def sign_in(settings: Settings, name: str, password: str) -> str | None:
    """Sign this session in as a local editor; returns the French reason when refused."""
    name = (name or "").strip()
    if not name or not password:
        return "Indiquez votre nom et votre mot de passe."
    keys = _throttle_keys(name)
    wait = throttle(settings.dashboard.signin_delay).begin(keys)
    if wait > 0:
        log.warning("sign-in as %r refused: %.0f s left to wait after failed attempts",
                    name, wait)
        return (f"Trop de tentatives manquées : réessayez dans {max(1, round(wait))} s.")
    if not editors_file(settings).verify(name, password):
        log.warning("failed sign-in as %r (session %s)", name, session_key()[:8])
        return "Nom ou mot de passe incorrect."
    throttle(settings.dashboard.signin_delay).succeeded(keys)
    st.session_state[TOKEN] = sign_ins().open(name)
    log.info("editor %r signed in", name)
    return None


def sign_out() -> bool:
    """End this session's sign-in (local registry entry, or Streamlit's identity cookie).

    True when Streamlit now takes the browser to the provider's sign-out: the caller must
    not rerun, as a rerun drops the pending redirect from the session's message queue."""
    token = st.session_state.pop(TOKEN, None)
    if token:
        name = sign_ins().find(token)
        sign_ins().close(token)
        log.info("editor %r signed out", name)
    if oidc_identity() is not None:
        log.info("editor %r signed out", oidc_identity())
        st.logout()
        return True
    return False


def _local_editor(settings: Settings) -> Editor | None:
    token = st.session_state.get(TOKEN)
    if not token:
        return None
    name = sign_ins().find(str(token))
    if name is None:
        log.warning("ignoring a sign-in token this server did not give or that expired "
                    "(session %s)", session_key()[:8])
        del st.session_state[TOKEN]
        return None
    if name not in editors_file(settings):
        log.warning("editor %r is no longer in %s: signed out", name,
                    settings.dashboard.editors_file)
        sign_ins().close(str(token))
        del st.session_state[TOKEN]
        return None
    return Editor(name, "local")


def current_editor(settings: Settings) -> Editor | None:
    """The editor signed in to this session and allowed to correct, else None."""
    identity = oidc_identity()
    if identity is not None and oidc_allowed(identity, settings.dashboard.oidc_editors):
        return Editor(identity, "oidc")
    return _local_editor(settings)


def editors_configured(settings: Settings) -> bool:
    """Whether anyone could sign in to correct (an OIDC provider or a local editor)."""
    return bool(oidc_providers()) or bool(editors_file(settings).hashes())
