"""Grouping's text features, kept in the store between runs so a run reads only what changed.

TF-IDF compares two articles with the number of outage articles using each term (document
frequency). Counting it reads every outage article's text; so it is kept (store meta key
`CACHE_KEY`) with the version of each article counted, and each run adds the terms of the
articles that became outages or changed text and takes back those of the ones that stopped.
An article's own terms are computed only when grouping compares it (`LazyTerms`).

The cache also holds each article's grouping state (`Store.grouping_states`: version, when
tagged, outage, last correction) as it was grouped, so a run knows which articles changed,
and the vendor classes (incidents.vendor_names) of every name it saw.
The numbers are the same as counting from scratch (tests/incidents/test_incremental.py).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from pannes.incidents.similarity import terms
from pannes.store.protocol import Store

log = logging.getLogger(__name__)

CACHE_KEY = "grouping_cache"
CACHE_FORMAT = 2

State = tuple[int, str, int, int]


@dataclass
class GroupingCache:
    """Document frequencies, the article versions they count, and the articles' states."""

    df: Counter[str] = field(default_factory=Counter)
    counted: dict[int, int] = field(default_factory=dict)  # outage article id -> version
    states: dict[int, State] = field(default_factory=dict)  # article id -> state when grouped
    classes: dict[str, str] = field(default_factory=dict)  # vendor name -> its class

    def changed(self, states: Mapping[int, State]) -> set[int]:
        """Articles whose state differs from when they were last grouped (or are gone)."""
        out = {a for a, s in states.items() if self.states.get(a) != s}
        return out | (self.states.keys() - states.keys())


def load_cache(store: Store) -> GroupingCache | None:
    raw = store.get_meta(CACHE_KEY)
    if not raw:
        return None
    try:
        data = json.loads(raw)
        if data.get("format") != CACHE_FORMAT:
            return None
        return GroupingCache(Counter(data["df"]),
                             {int(k): int(v) for k, v in data["counted"].items()},
                             {int(k): tuple(v) for k, v in data["states"].items()},  # type: ignore[misc]
                             dict(data["classes"]))
    except (ValueError, KeyError, TypeError, AttributeError):
        log.warning("Grouping cache unreadable: it is rebuilt")
        return None


def save_cache(store: Store, cache: GroupingCache) -> None:
    store.set_meta(CACHE_KEY, json.dumps(
        {"format": CACHE_FORMAT, "df": cache.df, "counted": cache.counted,
         "states": cache.states, "classes": cache.classes}, separators=(",", ":")))


def mark_grouped(store: Store, article_ids: Iterable[int]) -> None:
    """Record that these articles, changed only by a correction since the last run, are
    grouped with it (applied to their incidents), so the next run does not take them for
    changed; an article also changed otherwise (a new version, new tags) still is."""
    cache = load_cache(store)
    if cache is None:
        return
    now = {a: s for a, s in store.grouping_states(article_ids).items()
           if a in cache.states and cache.states[a][:3] == s[:3]}
    if now:
        cache.states.update(now)
        save_cache(store, cache)


def frequencies(documents: Iterable[Counter[str]]) -> Counter[str]:
    """How many documents use each term."""
    df: Counter[str] = Counter()
    for counts in documents:
        df.update(counts.keys())
    return df


def update_frequencies(store: Store, cache: GroupingCache,
                       outages: Mapping[int, int]) -> Counter[str] | None:
    """Bring `cache.df` to the outage articles `outages` (id -> current version); returns it,
    or None when an article counted before can no longer be read (count from scratch)."""
    df = Counter(cache.df)
    gone = {a: v for a, v in cache.counted.items() if outages.get(a) != v}
    for article_id, version in gone.items():
        old = store.get_article(article_id, version)
        if old is None:
            return None
        for term in terms(old.title, old.text):
            df[term] -= 1
            if df[term] <= 0:
                del df[term]
    new = [a for a, v in outages.items() if cache.counted.get(a) != v]
    for title, text in store.article_texts(new).values():
        df.update(terms(title, text).keys())
    return df


class LazyTerms(Mapping[int, Counter[str]]):
    """The terms of a set of articles, their texts read from the store on first use."""

    def __init__(self, store: Store, ids: Iterable[int]) -> None:
        self._store = store
        self._ids = set(ids)
        self._terms: dict[int, Counter[str]] = {}

    def __getitem__(self, article_id: int) -> Counter[str]:
        if article_id not in self._ids:
            raise KeyError(article_id)
        found = self._terms.get(article_id)
        if found is None:
            title, text = self._store.article_texts([article_id]).get(article_id, ("", ""))
            found = self._terms[article_id] = terms(title, text)
        return found

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._ids

    def __iter__(self) -> Iterator[int]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def read(self) -> int:
        """How many articles' texts were read."""
        return len(self._terms)
