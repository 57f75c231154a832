"""A cheap first look at an article: those with no outage word at all skip the spaCy pipeline.

Recall matters more than precision here: every outage report in the gold sets passes (see
tests/nlp/test_prefilter.py); the full pipeline then throws out the false alarms. An outage
word inside a harmless phrase ("en panne d'inspiration", "sans coupure", "en cas de panne",
"cybersécurité") does not count: an article whose only outage words are such phrases reports
no outage, and skips the pipeline too.
"""

from __future__ import annotations

import re
from pathlib import Path

from pannes.nlp.lexicon import load_rows

HARMLESS = "harmless"


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in patterns) + ")")


class Prefilter:
    """Regular expressions over the lowercased title and text; a hit outside the harmless
    phrases sends the article on.

    Each pattern is lowercase and matches at the start of a word: the one combined regex then
    only tries positions where a word begins, and runs on lowercased text without
    `re.IGNORECASE` (several times faster on the articles that have no outage word).
    """

    def __init__(self, patterns: list[str], harmless: list[str] | None = None) -> None:
        self.patterns = list(patterns)
        self.harmless = list(harmless or [])
        self._regex = _alternation(self.patterns)
        self._harmless = _alternation(self.harmless) if self.harmless else None

    @classmethod
    def load(cls, data_file: str | Path | None = None) -> Prefilter:
        rows = load_rows(data_file, "prefilter.jsonl")
        return cls([row["regex"] for row in rows if row.get("label") != HARMLESS],
                   [row["regex"] for row in rows if row.get("label") == HARMLESS])

    def __call__(self, text: str, title: str | None = None) -> bool:
        """True when the article may report an outage and needs the full pipeline."""
        if title and self.first_hit(title) is not None:
            return True
        return self.first_hit(text) is not None

    def first_hit(self, text: str) -> str | None:
        """The first outage word of the text that is not inside a harmless phrase."""
        lowered = text.lower()
        match = self._regex.search(lowered)
        if match is None or self._harmless is None:
            return match.group(0) if match else None
        harmless = [m.span() for m in self._harmless.finditer(lowered)]
        while match is not None:
            if not any(start <= match.start() and match.end() <= end for start, end in harmless):
                return match.group(0)
            match = self._regex.search(lowered, match.end())
        return None
