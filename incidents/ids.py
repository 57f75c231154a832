"""Incident identifiers: readable, derived from what founded the incident, never reassigned.

An incident created from an article is `<vendor>-<date>-a<article id>` (its first article's
vendor and start or publication date); one known only from mentions is
`<vendor>-<period>-m<id of the first article mentioning it>`. The identifier is kept when
members join or leave, so links and corrections stay valid.
"""

from __future__ import annotations

import re
from collections.abc import Container
from datetime import date

from pannes.textnorm import fold

_SLUG_RE = re.compile(r"[^0-9a-z]+")


def slug(text: str, max_length: int = 30) -> str:
    """Lowercase ASCII words joined by hyphens ("Orange Business" -> "orange-business")."""
    value = _SLUG_RE.sub("-", fold(text or "")).strip("-")
    return value[:max_length].rstrip("-") or "inconnu"


def _unique(candidate: str, taken: Container[str]) -> str:
    if candidate not in taken:
        return candidate
    n = 2
    while f"{candidate}-{n}" in taken:
        n += 1
    return f"{candidate}-{n}"


def article_incident_id(vendor: str | None, when: date | None, article_id: int,
                        taken: Container[str] = ()) -> str:
    """Identifier of an incident founded by an article."""
    day = when.isoformat() if when is not None else "sans-date"
    return _unique(f"{slug(vendor or 'inconnu')}-{day}-a{article_id}", taken)


def mention_incident_id(vendor: str, period_label: str, article_id: int,
                        taken: Container[str] = ()) -> str:
    """Identifier of an incident known only from an article mentioning it."""
    return _unique(f"{slug(vendor)}-{period_label}-m{article_id}", taken)


def split_incident_id(origin_id: str, first_article_id: int, taken: Container[str] = ()) -> str:
    """Identifier of the incident an editor splits off another one."""
    base = re.sub(r"-(a|m)\d+(-\d+)?$", "", origin_id)
    return _unique(f"{base}-a{first_article_id}", taken)
