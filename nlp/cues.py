"""Cue lexicons as JSONL rows, matched on a Doc with spaCy's Matcher and PhraseMatcher.

A row is `{"label": ..., "weight": 1.0, "phrases": ["hors service", ...]}` (matched on the
lowercased text) or `{"label": ..., "pattern": [<Matcher token patterns>]}`. Optional keys:
`requires_any` (lowercase words, one of which must be in the same sentence), and any other
key the component reads (`kind`, `implies`, ...).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab


@dataclass(frozen=True)
class Cue:
    """One match of a lexicon row: its label, weight, token span and the row itself."""

    label: str
    weight: float
    start: int
    end: int
    row: dict[str, Any] = field(compare=False, hash=False, repr=False)

    def span(self, doc: Doc) -> Span:
        return doc[self.start : self.end]


class CueMatcher:
    """Matches the rows of one lexicon; keeps the rows so they can be saved again."""

    def __init__(
        self,
        vocab: Vocab,
        rows: Iterable[dict[str, Any]],
        make_doc: Callable[[str], Doc],
        *,
        longest: bool = False,
    ) -> None:
        self.rows = list(rows)
        self.longest = longest
        self._matcher = Matcher(vocab, validate=True)
        self._phrases = PhraseMatcher(vocab, attr="LOWER")
        for i, row in enumerate(self.rows):
            key = f"row{i}"
            if row.get("pattern"):
                self._matcher.add(key, [row["pattern"]])
            phrases = row.get("phrases") or ([row["phrase"]] if row.get("phrase") else [])
            if phrases:
                self._phrases.add(key, [make_doc(p) for p in phrases])

    def __call__(self, doc: Doc) -> list[Cue]:
        """All matches in the Doc, in text order (longest only, when asked)."""
        found: dict[tuple[int, int, int], Cue] = {}
        for matcher in (self._matcher, self._phrases):
            for match_id, start, end in matcher(doc):
                index = int(doc.vocab.strings[match_id][3:])
                row = self.rows[index]
                if not self._requirement_met(doc, start, row):
                    continue
                cue = Cue(row["label"], float(row.get("weight", 1.0)), start, end, row)
                found[(start, end, index)] = cue
        cues = sorted(found.values(), key=lambda c: (c.start, -c.end))
        if self.longest:
            kept = {(s.start, s.end) for s in filter_spans([c.span(doc) for c in cues])}
            cues = [c for c in cues if (c.start, c.end) in kept]
        return cues

    @staticmethod
    def _requirement_met(doc: Doc, start: int, row: dict[str, Any]) -> bool:
        needed = row.get("requires_any")
        if not needed:
            return True
        sent = doc[start].sent
        words = {t.lower_ for t in sent} | {t.lemma_.lower() for t in sent}
        return any(w in words for w in needed)
