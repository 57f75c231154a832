"""K-fold cross-validation of the learned decisions, split by incident, against the rules.

Articles of one incident (several outlets telling of it) always fall in the same fold, so no
fold is scored on an incident its models were trained on. Each fold trains on the others and
tags its own articles; the rules alone tag the same articles, so both figures come from the
same folds. The headline is the pooled score over every held-out article; the mean and the
spread over folds say how stable it is.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pannes.nlp.evaluate import score
from pannes.nlp.folds import assign_folds
from pannes.nlp.training import Example, Settings, predict, rules_only, train

# (field, metric) of the tagging section shown in reports, in this order.
FIELDS = [
    ("is_outage", "f1"), ("vendors", "f1"), ("vendors_lenient", "f1"), ("affected", "f1"),
    ("impact", "f1"), ("cause", "accuracy"), ("duration", "accuracy"), ("start", "accuracy"),
    ("region", "f1"),
]


@dataclass
class FoldResult:
    fold: int
    keys: list[str]
    learned: list[dict[str, Any]]
    rules: list[dict[str, Any]]
    scores: dict[str, dict[str, Any]] = field(default_factory=dict)
    rule_scores: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class CrossValidation:
    k: int
    folds: list[FoldResult]
    pooled: dict[str, dict[str, Any]]
    pooled_rules: dict[str, dict[str, Any]]

    def figure(self, section: dict[str, Any], name: str, metric: str) -> float:
        return float(section["tagging"][name][metric]) if name in section.get("tagging", {}) \
            else float(section.get(name, {}).get(metric, float("nan")))

    def summary(self) -> dict[str, dict[str, float]]:
        """Per field: pooled learned and rules figures, mean and spread of the folds."""
        out: dict[str, dict[str, float]] = {}
        for name, metric in FIELDS:
            per_fold = [self.figure(f.scores, name, metric) for f in self.folds]
            per_fold_rules = [self.figure(f.rule_scores, name, metric) for f in self.folds]
            out[f"{name}.{metric}"] = {
                "learned": round(self.figure(self.pooled, name, metric), 4),
                "rules": round(self.figure(self.pooled_rules, name, metric), 4),
                "mean": round(statistics.fmean(per_fold), 4),
                "spread": round(statistics.pstdev(per_fold), 4),
                "rules_mean": round(statistics.fmean(per_fold_rules), 4),
            }
        return out


Scorer = Callable[[Sequence[Example], Sequence[dict[str, Any]]], dict[str, dict[str, Any]]]


def default_scorer(examples: Sequence[Example], predictions: Sequence[dict[str, Any]]
                   ) -> dict[str, dict[str, Any]]:
    return score((e.gold, p, e.text) for e, p in zip(examples, predictions, strict=True))


def cross_validate(examples: Sequence[Example], k: int = 5, *, settings: Settings | None = None,
                   fit: Callable[..., Any] = train, scorer: Scorer = default_scorer,
                   extra: Sequence[Example] = (), split: int = 0) -> CrossValidation:
    """Train on k-1 folds, tag the held-out fold, for each fold; the rules tag the same.

    `train` chooses its settings by an inner cross-validation of the training folds alone,
    so the held-out fold takes no part in any choice. `extra` examples (the project's own
    invented sets) join every training fold and are never scored. `split` draws the folds
    another way (`nlp.folds.assign_folds`): a figure that holds over several draws is steadier."""
    if k < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    fold_of = assign_folds(examples, k, split)
    extra = [replace(e, invented=True) for e in extra]
    folds = []
    for f in range(k):
        train = [e for e in examples if fold_of[e.key] != f]
        test = [e for e in examples if fold_of[e.key] == f]
        models = fit([*train, *extra], settings=settings)
        learned = [predict(models, e) for e in test]
        rules = [rules_only(e) for e in test]
        folds.append(FoldResult(f, [e.key for e in test], learned, rules,
                                scorer(test, learned), scorer(test, rules)))
    by_key = {e.key: e for e in examples}
    held_out = [by_key[key] for fold in folds for key in fold.keys]
    pooled = scorer(held_out, [p for fold in folds for p in fold.learned])
    pooled_rules = scorer(held_out, [p for fold in folds for p in fold.rules])
    return CrossValidation(k, folds, pooled, pooled_rules)
