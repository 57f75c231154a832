"""Decide when two vendor names mean the same company ("OVH" / "OVHcloud", a typo).

The tagger already gives canonical names; this only bridges what remains: a brand and its
longer form, spelling variants. rapidfuzz does the fuzzy part.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from pannes.textnorm import fold

# Two folded names this similar (0-100) are one vendor.
FUZZY_MIN_RATIO = 90
# A name that starts another ("ovh" / "ovhcloud") must be at least this long to count.
MIN_PREFIX_LENGTH = 3

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def vendor_key(name: str) -> str:
    """A vendor name reduced for comparison: folded, letters and digits only."""
    return _NON_ALNUM.sub("", fold(name or ""))


def _extends(short: str, long: str) -> bool:
    """"ovh" -> "ovhcloud": a brand and a longer form of it (letters added, not digits)."""
    return (len(short) >= MIN_PREFIX_LENGTH and long.startswith(short)
            and long[len(short):].isalpha() and not short[-1].isdigit())


def vendor_classes(names: Iterable[str]) -> dict[str, str]:
    """Map every name to a class representative, so near names share one class."""
    keyed = {name: vendor_key(name) for name in set(names)}
    keys = sorted({k for k in keyed.values() if k})
    parent = {k: k for k in keys}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i, ka in enumerate(keys):
        # Prefix relations: sorted order puts "ovh" right before "ovhcloud".
        for kb in keys[i + 1:]:
            if not kb.startswith(ka):
                break
            if _extends(ka, kb):
                parent[find(kb)] = find(ka)
        for kb, _score, _ in process.extract_iter(ka, keys, scorer=fuzz.ratio,
                                                  score_cutoff=FUZZY_MIN_RATIO):
            if kb != ka:
                parent[find(kb)] = find(ka)
    return {name: find(key) for name, key in keyed.items() if key}


def suggest_vendor(name: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """Known vendor names closest to a misspelt one (for error messages)."""
    choices = list(known)
    found = process.extract(name, choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=70)
    return [choice for choice, _score, _ in found]
