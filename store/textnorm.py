"""French text normalisation shared by indexing and querying: fold accents, stem.

SQLite's FTS5 has no French stemmer, so pannes indexes a normalised copy of each text: every
word lowercased, stemmed with Snowball's French stemmer, then stripped of accents. A query goes
through the same function, so "defaillance" finds "défaillance" and "panne" finds "pannes".
Apostrophes and hyphens separate words ("l'opérateur" -> "l operateur"), as in the index.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# Words: letters and digits; apostrophes (straight or curly) and hyphens split words.
WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)

_stemmer = snowballstemmer.stemmer("french")


def fold(text: str) -> str:
    """Lowercase and remove diacritics ("Défaillance" -> "defaillance", "œ" -> "oe")."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=200_000)
def normalize_word(word: str) -> str:
    """One word as it is indexed: stemmed, then folded."""
    return fold(_stemmer.stemWord(word.lower()))


def words(text: str) -> list[str]:
    """The words of a text, as the index splits them."""
    return WORD_RE.findall(text)


def normalize_text(text: str) -> str:
    """A whole text as it is indexed: its words normalised, joined by spaces."""
    return " ".join(normalize_word(w) for w in words(text))


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, normalised form) of every word, for highlighting matches in the original."""
    return [(m.start(), m.end(), normalize_word(m.group())) for m in WORD_RE.finditer(text)]
