"""Look up the scope (incident, retro, hypothetical, other) of the sentence holding a token."""

from __future__ import annotations

import bisect

from pannes.nlp.outage import SentenceScope
from spacy.tokens import Doc


def scope_at(doc: Doc, token_index: int) -> SentenceScope | None:
    """The scope of the sentence that holds the token, set by the outage component."""
    scopes = doc._.sent_scopes or []
    starts = [s.start for s in scopes]
    i = bisect.bisect_right(starts, token_index) - 1
    return scopes[i] if i >= 0 else None
