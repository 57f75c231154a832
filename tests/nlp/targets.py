"""The figures of an evaluation that fall below their targets (shared by the gold-set tests)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def below_targets(tagging: Mapping[str, Any],
                  targets: Mapping[tuple[str, str], float]) -> dict[str, float]:
    """`field.metric` -> measured value, for every target the tagging scores miss."""
    return {f"{field}.{metric}": tagging[field][metric]
            for (field, metric), target in targets.items() if tagging[field][metric] < target}
