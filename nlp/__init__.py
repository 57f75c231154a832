"""The tagger: reads an article's text and says whether it reports an outage, and its details.

`pannes.nlp.tagger.Tagger` is the entry point; the spaCy components live one per module; the
learned decisions are `nlp.learned` (components), `nlp.decisions` (models), `nlp.training`,
`nlp.tuning` and `nlp.crossval` (how they are trained and measured).
"""

from __future__ import annotations
