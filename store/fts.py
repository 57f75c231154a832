"""Turn a user's query string into a safe FTS5 MATCH expression over the normalised index.

Every word goes through the same normalisation as the index (store.textnorm) and is quoted,
so no user text reaches FTS5 or SQL as syntax.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from store.textnorm import normalize_word, words


@dataclass(frozen=True)
class ParsedQuery:
    """A query reduced to what the index understands."""

    match: str | None  # FTS5 MATCH expression, None when the query has no words
    terms: frozenset[str] = field(default_factory=frozenset)  # normalised words, for highlighting


def quote_term(term: str) -> str:
    """A normalised word as an FTS5 string literal."""
    return '"' + term.replace('"', '""') + '"'


def parse_query(text: str) -> ParsedQuery:
    """All words of the query must match (AND), each accent- and inflection-insensitive."""
    terms = [normalize_word(w) for w in words(text or "")]
    terms = [t for t in terms if t]
    if not terms:
        return ParsedQuery(None)
    return ParsedQuery(" AND ".join(quote_term(t) for t in terms), frozenset(terms))
