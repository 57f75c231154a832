"""A view's state lives in the URL: widgets start from the query string and write back to it.

Before a keyed widget is drawn, `restore_*` copies the URL's value into `st.session_state`
(once per session, so a shared link reproduces the view); after the page is drawn,
`publish` makes the query string exactly the view's state, so the address bar can be shared.

Streamlit forgets a widget's value when its page is left (and the navigation drops the query
string), so `publish` also keeps a copy of each value: coming back to a page through the
navigation finds the view as it was left, while a link with parameters still wins.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

import streamlit as st

log = logging.getLogger(__name__)

QueryValue = str | int | float | date | list[str] | None


def _kept(key: str) -> str:
    return f"_kept_{key}"


def _from_url_or_kept(key: str, raw: object, parse: Callable[[], Any], default: Any) -> None:
    """Set the widget's first value: the URL's when it has one, else the kept copy."""
    if raw:
        st.session_state[key] = parse()
    elif not st.query_params and _kept(key) in st.session_state:
        st.session_state[key] = st.session_state[_kept(key)]
    else:
        st.session_state[key] = default


def was_kept(key: str) -> bool:
    """Whether this session already showed the view holding `key`."""
    return _kept(key) in st.session_state


def _parse_date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw.strip()[:10])
    except ValueError:
        return None


def restore_text(key: str, default: str = "") -> str:
    """A text widget's initial value from the URL."""
    if key not in st.session_state:
        raw = st.query_params.get(key)
        _from_url_or_kept(key, raw is not None, lambda: raw, default)
    return st.session_state[key]


def restore_bool(key: str, default: bool = False) -> bool:
    """A yes/no from the URL ("1" is yes, "0" is no)."""
    if key not in st.session_state:
        raw = st.query_params.get(key)
        _from_url_or_kept(key, raw is not None,
                          lambda: raw.strip().lower() in {"1", "oui", "true"}, default)
    return st.session_state[key]


def restore_int(key: str, default: int, *, minimum: int = 1) -> int:
    """A number from the URL (falls back to the default when unreadable)."""
    if key not in st.session_state:
        raw = st.query_params.get(key)

        def parse() -> int:
            try:
                return max(minimum, int(raw))
            except ValueError:
                log.info("ignoring unreadable %s=%r in the URL", key, raw)
                return default

        _from_url_or_kept(key, raw is not None, parse, default)
    return st.session_state[key]


def restore_date(key: str) -> date | None:
    """A date (YYYY-MM-DD) from the URL, or None."""
    if key not in st.session_state:
        raw = st.query_params.get(key)
        _from_url_or_kept(key, bool(raw), lambda: _parse_date(raw), None)
    return st.session_state[key]


def restore_choice(key: str, choices: Iterable[str], default: str) -> str:
    """One of `choices` from the URL (anything else gives the default)."""
    if key not in st.session_state:
        raw = st.query_params.get(key)
        known = set(choices)
        _from_url_or_kept(key, raw is not None, lambda: raw if raw in known else default,
                          default)
    return st.session_state[key]


def restore_list(key: str, *, allowed: Iterable[str] | None = None,
                 clean: Callable[[str], str] = str.strip) -> list[str]:
    """A multi-valued parameter (`?k=a&k=b`) from the URL, keeping known values only."""
    if key not in st.session_state:
        raw = st.query_params.get_all(key)

        def parse() -> list[str]:
            values = [v for v in (clean(v) for v in raw) if v]
            if allowed is not None:
                known = set(allowed)
                values = [v for v in values if v in known]
            return list(dict.fromkeys(values))

        _from_url_or_kept(key, bool(raw), parse, [])
    return st.session_state[key]


def _as_query(value: QueryValue) -> str | list[str] | None:
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value)


def publish(state: Mapping[str, QueryValue]) -> None:
    """Make the query string exactly `state` (empty values left out); keep the values."""
    for key in state:
        if key in st.session_state:
            st.session_state[_kept(key)] = st.session_state[key]
    wanted: dict[str, list[str]] = {}
    for key, value in state.items():
        query = _as_query(value)
        if query is None:
            continue
        wanted[key] = query if isinstance(query, list) else [query]
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if current != wanted:
        st.query_params.from_dict({k: v if len(v) > 1 else v[0] for k, v in wanted.items()})


def query_string(state: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """`state` as query parameters for `st.page_link` / `st.switch_page`."""
    params: dict[str, str | list[str]] = {}
    for key, value in state.items():
        query = _as_query(value)
        if query is not None:
            params[key] = query
    return params
