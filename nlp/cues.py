"""Cue lexicons as JSONL rows, matched on a Doc with spaCy's Matcher and PhraseMatcher.

A row is `{"label": ..., "weight": 1.0, "phrases": ["hors service", ...]}` (matched on the
lowercased text) or `{"label": ..., "pattern": [<Matcher token patterns>]}`. Optional keys:
`requires_any` (lowercase words, one of which must be in the same sentence), and any other
key the component reads (`kind`, `implies`, ...).
"""

from __future__ import annotations

import re
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
        # One-token regular expressions are run once per distinct word, in Python: much
        # cheaper than the Matcher's REGEX predicate, which is evaluated token by token.
        self._word_regexes: list[tuple[int, re.Pattern[str]]] = []
        for i, row in enumerate(self.rows):
            key = f"row{i}"
            regex = _single_token_regex(row.get("pattern"))
            if regex is not None:
                self._word_regexes.append((i, re.compile(regex)))
            elif row.get("pattern"):
                self._matcher.add(key, [row["pattern"]])
            if row.get("patterns"):
                self._matcher.add(key, list(row["patterns"]))
            phrases = row.get("phrases") or ([row["phrase"]] if row.get("phrase") else [])
            if phrases:
                self._phrases.add(key, [make_doc(p) for p in phrases])
        self._any_word = (re.compile("|".join(f"(?:{r.pattern})" for _, r in self._word_regexes))
                          if self._word_regexes else None)

    def _word_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        if self._any_word is None:
            return []
        positions = doc.user_data.get("pannes_word_positions")
        if positions is None:
            positions = {}
            for i, word in enumerate(_lowers(doc)):
                positions.setdefault(word, []).append(i)
            doc.user_data["pannes_word_positions"] = positions
        out = []
        for word, where in positions.items():
            if not self._any_word.search(word):
                continue
            for index, regex in self._word_regexes:
                if regex.search(word):
                    out.extend((index, i, i + 1) for i in where)
        return out

    def __call__(self, doc: Doc) -> list[Cue]:
        """All matches in the Doc, in text order (longest only, when asked)."""
        found: dict[tuple[int, int, int], Cue] = {}
        hits = [(int(doc.vocab.strings[m][3:]), s, e) for matcher in (self._matcher, self._phrases)
                for m, s, e in (matcher(doc) if len(matcher) else [])] + self._word_matches(doc)
        words_by_sentence: dict[int, set[str]] = {}
        for index, start, end in hits:
            row = self.rows[index]
            if not self._requirement_met(doc, start, row, words_by_sentence):
                continue
            found[(start, end, index)] = Cue(row["label"], float(row.get("weight", 1.0)), start, end, row)
        cues = sorted(found.values(), key=lambda c: (c.start, -c.end))
        if self.longest:
            kept = {(s.start, s.end) for s in filter_spans([c.span(doc) for c in cues])}
            cues = [c for c in cues if (c.start, c.end) in kept]
        return cues

    @staticmethod
    def _requirement_met(doc: Doc, start: int, row: dict[str, Any],
                         cache: dict[int, set[str]]) -> bool:
        needed = row.get("requires_any")
        if not needed:
            return True
        sent = doc[start].sent
        words = cache.get(sent.start)
        if words is None:
            words = {t.lower_ for t in sent} | {t.lemma_.lower() for t in sent}
            cache[sent.start] = words
        return any(w in words for w in needed)


def _lowers(doc: Doc) -> list[str]:
    """The lowercased words of a Doc, read from its array (cheaper than Token objects)."""
    strings = doc.vocab.strings
    return [strings[int(x)] for x in doc.to_array("LOWER")]


def _single_token_regex(pattern: list[dict[str, Any]] | None) -> str | None:
    """The regex of a pattern that is one token matched by `{"LOWER": {"REGEX": ...}}` only."""
    if not pattern or len(pattern) != 1:
        return None
    token = pattern[0]
    if set(token) != {"LOWER"} or not isinstance(token["LOWER"], dict) or set(token["LOWER"]) != {"REGEX"}:
        return None
    return str(token["LOWER"]["REGEX"])
