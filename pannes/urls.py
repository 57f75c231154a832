"""Which URLs from the web pannes will link to: absolute http(s) URLs with a host, nothing else."""

from __future__ import annotations

from urllib.parse import urlsplit


def web_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL with a host and no control character (its
    spaces percent-encoded), else None (never made clickable, never emitted in a feed)."""
    if not url:
        return None
    url = url.strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in url):
        return None
    url = url.replace(" ", "%20")
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return url
