"""A cheap first look at an article: those with no outage word at all skip the spaCy pipeline.

Recall matters more than precision here: every outage report in the gold sets passes (see
tests/nlp/test_prefilter.py); the full pipeline then throws out the false alarms.
"""

from __future__ import annotations

import re
from pathlib import Path

from nlp.lexicon import load_rows


class Prefilter:
    """Regular expressions over the lowercased title and text; any hit sends the article on.

    Each pattern is lowercase and matches at the start of a word: the one combined regex then
    only tries positions where a word begins, and runs on lowercased text without
    `re.IGNORECASE` (several times faster on the articles that have no outage word).
    """

    def __init__(self, patterns: list[str]) -> None:
        self.patterns = list(patterns)
        self._regex = re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in self.patterns) + ")")

    @classmethod
    def load(cls, data_file: str | Path | None = None) -> Prefilter:
        return cls([row["regex"] for row in load_rows(data_file, "prefilter.jsonl")])

    def __call__(self, text: str, title: str | None = None) -> bool:
        """True when the article may report an outage and needs the full pipeline."""
        if title and self._regex.search(title.lower()):
            return True
        return self._regex.search(text.lower()) is not None

    def first_hit(self, text: str) -> str | None:
        match = self._regex.search(text.lower())
        return match.group(0) if match else None
