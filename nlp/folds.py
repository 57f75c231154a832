"""Folds for cross-validation: whole incidents per fold, so no fold is scored on an incident
its models were trained on (articles of one incident told by several outlets)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from typing import Any


def incident_groups(examples: Sequence[Any]) -> dict[str, str]:
    """Article key -> its incident group: `incident_id`, joined through `same_incident_as`."""
    parent = {e.key: e.key for e in examples}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    by_incident: dict[str, str] = {}
    for e in examples:
        incident = e.gold.get("incident_id")
        if incident:
            if incident in by_incident:
                parent[find(e.key)] = find(by_incident[incident])
            else:
                by_incident[incident] = e.key
        for other in e.gold.get("same_incident_as") or []:
            if other in parent:
                parent[find(e.key)] = find(other)
    return {e.key: find(e.key) for e in examples}


def assign_folds(examples: Sequence[Any], k: int, split: int = 0) -> dict[str, int]:
    """Article key -> fold, whole incidents per fold, folds of near-equal size (deterministic:
    groups are ordered by a hash of their key, then each goes to the smallest fold). Another
    `split` number hashes differently: another draw of the same incidents into k folds."""
    salt = f"split{split}:" if split else ""
    groups: dict[str, list[str]] = defaultdict(list)
    for key, group in incident_groups(examples).items():
        groups[group].append(key)
    order = sorted(groups, key=lambda g: (-len(groups[g]), hashlib.sha256((salt + g).encode()).hexdigest()))
    sizes = [0] * k
    fold_of: dict[str, int] = {}
    for group in order:
        f = min(range(k), key=lambda i: (sizes[i], i))
        sizes[f] += len(groups[group])
        for key in groups[group]:
            fold_of[key] = f
    return fold_of
