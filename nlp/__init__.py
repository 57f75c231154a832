"""The tagger: reads an article's text and says whether it reports an outage, and its details.

`nlp.tagger.Tagger` is the entry point; the spaCy components live one per module.
"""

from __future__ import annotations

PIPELINE_VERSION = "pannes-tagger-1.4"

__all__ = ["PIPELINE_VERSION"]
