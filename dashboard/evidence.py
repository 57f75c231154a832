"""Evidence sentences located in an article's text, as segments to highlight.

The tagger keeps, for each field, the sentences that justify it; an editor checks them in
context, so we find each sentence in the article's paragraphs (whitespace-insensitively).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

_SPACES = re.compile(r"\s+")

# Evidence keys the tagger may use for a field, besides the field's own name.
EVIDENCE_KEYS: dict[str, tuple[str, ...]] = {
    "vendors": ("vendors", "vendor"),
    "affected": ("affected",),
    "impact": ("impact",),
    "cause": ("cause",),
    "cause_ruled_out": ("cause_ruled_out",),
    "duration": ("duration",),
    "start": ("start", "dates"),
    "end": ("end", "dates"),
    "region": ("region",),
    "users_affected": ("users_affected", "users_affected_text"),
    "is_outage": ("is_outage",),
}


@dataclass
class Passage:
    """A paragraph with the evidence sentences marked (segments of text, is_evidence)."""

    segments: list[tuple[str, bool]] = field(default_factory=list)


@dataclass
class Located:
    passages: list[Passage] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)  # sentences absent from the text


def evidence_for(evidence: dict[str, list[str]], field_name: str) -> list[str]:
    """The evidence sentences of a field, under any key the tagger may have used (also
    per label: "impact.degraded_service")."""
    names = EVIDENCE_KEYS.get(field_name, (field_name,))
    sentences: list[str] = []
    for key, values in evidence.items():
        if key in names or key.split(".", 1)[0] in names:
            for sentence in values or []:
                if sentence and sentence not in sentences:
                    sentences.append(sentence)
    return sentences


def _flat(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _spans(paragraph: str, sentences: Iterable[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for sentence in sentences:
        start = paragraph.find(sentence)
        while start != -1:
            spans.append((start, start + len(sentence)))
            start = paragraph.find(sentence, start + len(sentence))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def locate(text: str, sentences: Sequence[str], *, title: str = "") -> Located:
    """The paragraphs of `text` (the title first) that hold the sentences, marked."""
    wanted = [_flat(s) for s in sentences if _flat(s)]
    paragraphs = [_flat(p) for p in [title, *re.split(r"\n\s*\n", text or "")] if _flat(p)]
    found: set[str] = set()
    located = Located()
    for paragraph in paragraphs:
        present = [s for s in wanted if s in paragraph]
        if not present:
            continue
        found.update(present)
        segments: list[tuple[str, bool]] = []
        cursor = 0
        for start, end in _spans(paragraph, present):
            if start > cursor:
                segments.append((paragraph[cursor:start], False))
            segments.append((paragraph[start:end], True))
            cursor = end
        if cursor < len(paragraph):
            segments.append((paragraph[cursor:], False))
        located.passages.append(Passage(segments))
    located.not_found = [s for s in wanted if s not in found]
    return located
