"""Highlighted snippets computed in Python on the original text (the index is normalised)."""

from __future__ import annotations

import re
from collections.abc import Collection

from pannes.records import Snippet
from store.textnorm import word_spans


def make_snippet(text: str, terms: Collection[str], *, width: int = 240) -> Snippet:
    """A passage of about `width` characters around the first matched word, matches marked."""
    spans = word_spans(text)
    matches = [(s, e) for s, e, norm in spans if norm in terms]
    if matches:
        first = matches[0][0]
        start = max(0, first - width // 3)
        # Start on a word boundary.
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    else:
        start = 0
    end = min(len(text), start + width)
    while end < len(text) and not text[end].isspace():
        end += 1
    segments: list[tuple[str, bool]] = []
    if start > 0:
        segments.append(("… ", False))
    cursor = start
    for s, e in matches:
        if s < start or e > end:
            continue
        if s > cursor:
            segments.append((text[cursor:s], False))
        segments.append((text[s:e], True))
        cursor = e
    if cursor < end:
        segments.append((text[cursor:end], False))
    if end < len(text):
        segments.append((" …", False))
    return Snippet(segments=[(re.sub(r"\s+", " ", t), hl) for t, hl in segments if t])
