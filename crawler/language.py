"""Which language an extracted text is written in (French pages are the ones tagged).

py3langid (the identifier trafilatura uses) on the text; the page's own `lang` attribute is
only a fallback for texts too short to judge.
"""

from __future__ import annotations

import re

MIN_CHARS_FOR_DETECTION = 80
_SAMPLE_CHARS = 2000


def _classify(text: str) -> str | None:
    import py3langid  # imported on first use: loading its model takes a moment

    language, _score = py3langid.classify(text)
    return language or None


def normalize_lang_attribute(value: str | None) -> str | None:
    """"fr-FR", "fr_FR", "FR" -> "fr"; None for an empty or odd value."""
    if not value:
        return None
    match = re.match(r"\s*([a-zA-Z]{2,3})\b", value)
    return match.group(1).lower() if match else None


def detect_language(text: str, *, declared: str | None = None) -> str | None:
    """The ISO 639-1 code of `text`; the declared one when the text is too short to judge."""
    sample = text[:_SAMPLE_CHARS]
    if len(sample.strip()) < MIN_CHARS_FOR_DETECTION:
        return normalize_lang_attribute(declared)
    return _classify(sample)
