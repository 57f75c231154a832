"""Web text rendered as text: titles, snippets and article bodies never become HTML or markup.

Everything that came from the web goes through `escape_markdown` before `st.markdown`
(never with `unsafe_allow_html`), and only http(s) URLs become links.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Iterable
from urllib.parse import quote

from pannes.urls import web_url as safe_url

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping them all
# turns markdown, HTML tags (<script>), entities (&lt;), Streamlit directives (:red[...]),
# and LaTeX ($...$) into literal characters.
_PUNCTUATION = frozenset(string.punctuation)
_SPACES = re.compile(r"\s+")

HIGHLIGHT = "orange-background"


def escape_markdown(text: str) -> str:
    """`text` as markdown source that displays exactly `text` (on one line)."""
    text = _SPACES.sub(" ", text or "")
    return "".join("\\" + c if c in _PUNCTUATION else c for c in text)


def highlighted(text: str) -> str:
    """Escaped `text` shown with a highlight (whitespace kept outside the marker)."""
    stripped = text.strip()
    if not stripped:
        return escape_markdown(text)
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return f"{lead}:{HIGHLIGHT}[{escape_markdown(stripped)}]{trail}"


def segments_markdown(segments: Iterable[tuple[str, bool]]) -> str:
    """Snippet segments (text, is_match) as markdown with the matches highlighted."""
    return "".join(highlighted(text) if match else escape_markdown(text)
                   for text, match in segments)




def _markdown_target(url: str) -> str:
    """A URL quoted so that markdown cannot end or break the link early."""
    return quote(url, safe=":/?#@!$&'*+,;=%~[]")


def markdown_link(label: str, url: str | None) -> str:
    """An escaped label linked to `url` when it is http(s); the plain label otherwise."""
    target = safe_url(url)
    text = escape_markdown(label) or escape_markdown(target or "")
    if target is None:
        return text
    return f"[{text}]({_markdown_target(target)})"


def plotly_text(text: str, limit: int | None = None) -> str:
    """Text for a plotly label or hover: plotly reads a subset of HTML, so escape it."""
    text = _SPACES.sub(" ", text or "").strip()
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return html.escape(text, quote=False)


def shorten(text: str, limit: int) -> str:
    """A one-line text cut at `limit` characters with an ellipsis."""
    text = _SPACES.sub(" ", text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
