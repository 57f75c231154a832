"""Highlighted snippets computed on the original text, because the index holds stems.

A word is marked when its normalised form (pannes.textnorm) is one the query asked for, so
"pannes" and "Pannes" are marked for the query "panne"; a phrase is marked as one passage.
The result is a `Snippet` of plain-text segments: a view renders web text as text, never HTML.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

from pannes.store.fts import HighlightSpec

from pannes.records import Snippet
from pannes.textnorm import COMPOUND_RE, WORD_RE, fold, normalize_word

# Matches are looked for in the first characters only: enough for any news article.
MAX_SCANNED_CHARS = 60_000
_SPACES = re.compile(r"\s+")


def _spec(terms: HighlightSpec | Collection[str]) -> HighlightSpec:
    if isinstance(terms, HighlightSpec):
        return terms
    return HighlightSpec(words=frozenset(terms))


@lru_cache(maxsize=100_000)
def _fold_word(word: str) -> str:
    return fold(word)


def _alternatives(parts: list[str]) -> re.Pattern[str] | None:
    if not parts:
        return None
    body = "|".join(sorted(set(parts), key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{body})(?![^\W_])")


def match_spans(text: str, terms: HighlightSpec | Collection[str]) -> list[tuple[int, int]]:
    """(start, end) of every passage of `text` the query matches, merged and in order.

    Words are normalised once per distinct spelling, then the matching spellings (and
    phrase spellings) are found with one regular expression: fast on long articles.
    """
    spec = _spec(terms)
    if spec.empty or not text:
        return []
    scanned = text[:MAX_SCANNED_CHARS]
    words = WORD_RE.findall(scanned)
    distinct = list(set(words))
    norms_of = dict(zip(distinct, map(normalize_word, distinct), strict=True))
    hits = [re.escape(w) for w, n in norms_of.items() if n in spec.words]
    for folded, stems in spec.prefixes:
        hits += [re.escape(w) for w, n in norms_of.items()
                 if n in stems or _fold_word(w).startswith(folded)]
    # "cyber-attaque" for the query "cyberattaque": the compound's joined form is indexed too.
    hits += [re.escape(c) for c in {m.group() for m in COMPOUND_RE.finditer(scanned)
                                    if not m.group().isalnum()}
             if normalize_word("".join(WORD_RE.findall(c))) in spec.words]
    sequences: list[str] = []
    if spec.phrases:
        norms = list(map(normalize_word, words))
        for phrase in spec.phrases:
            size, first, i = len(phrase), phrase[0], -1
            while True:
                try:
                    i = norms.index(first, i + 1)
                except ValueError:
                    break
                if tuple(norms[i:i + size]) == phrase:
                    sequences.append(r"[\W_]+".join(re.escape(w) for w in words[i:i + size]))
    intervals = [m.span() for pattern in (_alternatives(hits), _alternatives(sequences))
                 if pattern is not None for m in pattern.finditer(scanned)]
    intervals.sort()
    merged: list[tuple[int, int]] = []
    for start, end in intervals:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _segments(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    segments: list[tuple[str, bool]] = []
    cursor = start
    for s, e in spans:
        if s < start or e > end:
            continue
        if s > cursor:
            segments.append((text[cursor:s], False))
        segments.append((text[s:e], True))
        cursor = e
    if cursor < end:
        segments.append((text[cursor:end], False))
    return segments


def _tidy(segments: list[tuple[str, bool]]) -> Snippet:
    cleaned = [(_SPACES.sub(" ", t), hl) for t, hl in segments]
    return Snippet(segments=[(t, hl) for t, hl in cleaned if t])


def highlight_all(text: str, terms: HighlightSpec | Collection[str]) -> Snippet:
    """The whole (short) text with its matches marked, e.g. a title."""
    return _tidy(_segments(text, 0, len(text), match_spans(text, terms)))


def _best_start(spans: list[tuple[int, int]], width: int) -> int:
    """Start of the window of `width` characters holding the most matches (sliding window)."""
    reach = width * 2 // 3
    best, best_count, last = spans[0][0], 0, 0
    for first, (start, _) in enumerate(spans):
        last = max(last, first)
        while last + 1 < len(spans) and spans[last + 1][1] <= start + reach:
            last += 1
        count = last - first + 1 if spans[first][1] <= start + reach else 0
        if count > best_count:
            best, best_count = start, count
    return best


def make_snippet(text: str, terms: HighlightSpec | Collection[str], *, width: int = 240) -> Snippet:
    """A passage of about `width` characters around the densest matches, matches marked."""
    text = text or ""
    spans = match_spans(text, terms)
    if spans:
        start = max(0, _best_start(spans, width) - width // 3)
        # Start on a word boundary.
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    else:
        start = 0
    end = min(len(text), start + width)
    while end < len(text) and not text[end].isspace():
        end += 1
    # Never cut a marked passage in two.
    for s, e in spans:
        if s < start < e:
            start = s
        if s < end < e:
            end = e
    segments: list[tuple[str, bool]] = []
    if start > 0:
        segments.append(("… ", False))
    segments += _segments(text, start, end, spans)
    if end < len(text):
        segments.append((" …", False))
    snippet = _tidy(segments)
    # Strip the spaces a window boundary leaves at either end.
    if snippet.segments:
        first, hl = snippet.segments[0]
        snippet.segments[0] = (first.lstrip() if not first.startswith("…") else first, hl)
        last, hl = snippet.segments[-1]
        snippet.segments[-1] = (last.rstrip(), hl)
        snippet.segments = [(t, h) for t, h in snippet.segments if t]
    return snippet

