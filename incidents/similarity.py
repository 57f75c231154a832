"""Cheap, explicit content similarity between articles: TF-IDF cosine over stemmed words.

Two stories of one outage share rare words (the vendor's product, the affected titles, the
technical cause), while two outages of one vendor share mostly generic words ("panne",
"clients", "réseau"). TF-IDF weighs the former up and the latter down; stop words are dropped
and words are folded and stemmed like the search index (pannes.textnorm).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from functools import lru_cache

from pannes.french import WEEKDAYS
from pannes.textnorm import is_stop_word, normalize_word, words

# Words in the title say what the story is about: they count this many times.
TITLE_WEIGHT = 3
MIN_WORD_LENGTH = 3

# Words every outage story uses, on top of the search's stop words.
_COMMON = frozenset(normalize_word(w) for w in (
    "panne", "pannes", "incident", "selon", "depuis", "après", "avant", "plus", "moins",
    "tout", "tous", "toute", "toutes", "très", "aussi", "comme", "encore", "être", "avoir",
    "fait", "cette", *WEEKDAYS, "heure", "heures", "jour", "jours", "semaine", "mois", "année", "ans",
))


@lru_cache(maxsize=500_000)
def _term(word: str) -> str | None:
    """A word's indexed form, or None for a word that says nothing about the story."""
    if len(word) < MIN_WORD_LENGTH or word.isdigit() or is_stop_word(word):
        return None
    stem = normalize_word(word)
    return stem if stem and stem not in _COMMON else None


def terms(title: str, text: str) -> Counter[str]:
    """Stemmed, folded content words of a story, title words counted TITLE_WEIGHT times."""
    counts: Counter[str] = Counter()
    for weight, chunk in ((TITLE_WEIGHT, title or ""), (1, text or "")):
        for word in words(chunk):
            stem = _term(word)
            if stem is not None:
                counts[stem] += weight
    return counts


def name_terms(name: str) -> frozenset[str]:
    """The terms of a name, to find it in a story's terms; empty when a word of the name (other
    than a stop word) has no term (too short, a figure, a word every outage story uses): "Ax
    Télécom" would be "telecom", in every story of any telecom operator, so it is not looked
    for."""
    found = set()
    for word in words(name):
        term = _term(word)
        if term is None and not is_stop_word(word):
            return frozenset()
        if term is not None:
            found.add(term)
    return frozenset(found)


class TfidfIndex:
    """TF-IDF vectors (sublinear tf, smoothed idf, unit length) of a set of documents."""

    def __init__(self, documents: Mapping[Hashable, Counter[str]],
                 df: Mapping[str, int] | None = None) -> None:
        """`df` (how many of `documents` use each term) is counted unless given; with it,
        a document's terms are looked up only when it is compared."""
        if df is None:
            counted: Counter[str] = Counter()
            for counts in documents.values():
                counted.update(counts.keys())
            df = counted
        self.df = df
        n = len(documents)
        self._idf = {term: math.log((1 + n) / (1 + d)) + 1.0 for term, d in df.items()}
        self._documents = documents
        self._vectors: dict[Hashable, dict[str, float]] = {}  # built when first compared

    def _vector(self, counts: Counter[str]) -> dict[str, float]:
        weights = {t: (1.0 + math.log(c)) * self._idf.get(t, 1.0) for t, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items()}

    def __contains__(self, key: Hashable) -> bool:
        return key in self._documents

    def terms(self, key: Hashable) -> Counter[str]:
        """The terms of an indexed document (none for an unknown one)."""
        return self._documents.get(key) or Counter()

    def vector(self, key: Hashable) -> dict[str, float] | None:
        if key not in self._vectors:
            counts = self._documents.get(key)
            if counts is None:
                return None
            self._vectors[key] = self._vector(counts)
        return self._vectors[key]

    def cosine(self, a: Hashable, b: Hashable) -> float:
        """Cosine similarity of two indexed documents (0 when either is unknown)."""
        va, vb = self.vector(a), self.vector(b)
        if not va or not vb:
            return 0.0
        # Shared terms summed in a fixed order, so every run gives the same last digit.
        return sum(va[t] * vb[t] for t in sorted(va.keys() & vb.keys()))

    def best(self, a: Hashable, others: Iterable[Hashable]) -> float:
        """The highest cosine between `a` and any of `others`."""
        return max((self.cosine(a, b) for b in others), default=0.0)
