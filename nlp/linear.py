"""Regularised linear models over feature dicts: fitted with scikit-learn, shipped as JSON.

A fitted model is its classes, an intercept and one weight vector per feature name, so a
shipped model is small, readable and diffable, and tagging needs no pickle and no
scikit-learn: `LinearModel.proba(features)` is a dot product and a softmax (or a sigmoid).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Features = Mapping[str, float]


@dataclass
class LinearModel:
    """Logistic regression: binary (classes [negative, positive]) or multinomial."""

    classes: list[str]
    intercept: list[float]
    weights: dict[str, list[float]] = field(default_factory=dict)

    @property
    def binary(self) -> bool:
        return len(self.classes) == 2 and len(self.intercept) == 1

    def decision(self, features: Features) -> list[float]:
        out = list(self.intercept)
        for name, value in features.items():
            w = self.weights.get(name)
            if w is not None and value:
                for k in range(len(out)):
                    out[k] += w[k] * value
        return out

    def proba(self, features: Features) -> dict[str, float]:
        """Probability of each class."""
        z = self.decision(features)
        if self.binary:
            p = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z[0]))))
            return {self.classes[0]: 1.0 - p, self.classes[1]: p}
        top = max(z)
        exp = [math.exp(v - top) for v in z]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp, strict=True)}

    def to_dict(self) -> dict[str, Any]:
        return {"classes": self.classes, "intercept": [round(v, 6) for v in self.intercept],
                "weights": {k: [round(v, 6) for v in w] for k, w in sorted(self.weights.items())}}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LinearModel:
        return cls(list(data["classes"]), [float(v) for v in data["intercept"]],
                   {k: [float(v) for v in w] for k, w in data["weights"].items()})


def _vocabulary(rows: Sequence[Features], min_count: int) -> list[str]:
    counts: Counter[str] = Counter()
    for row in rows:
        counts.update(k for k, v in row.items() if v)
    return sorted(k for k, n in counts.items() if n >= min_count)


def fit(rows: Sequence[Features], labels: Sequence[str], *, c: float = 1.0, min_count: int = 2,
        class_weight: str | None = None, classes: Sequence[str] | None = None) -> LinearModel:
    """Fit an L2-regularised logistic regression (deterministic: lbfgs, fixed data order).

    Features seen in fewer than `min_count` rows are dropped; the others are scaled by their
    largest absolute value before fitting, and the weights are scaled back, so the shipped
    model reads raw feature values.
    """
    import numpy
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    vocab = _vocabulary(rows, min_count)
    index = {name: i for i, name in enumerate(vocab)}
    data, indices, indptr = [], [], [0]
    for row in rows:
        for name, value in row.items():
            i = index.get(name)
            if i is not None and value:
                indices.append(i)
                data.append(float(value))
        indptr.append(len(indices))
    matrix = csr_matrix((data, indices, indptr), shape=(len(rows), len(vocab)), dtype=numpy.float64)
    scale = numpy.asarray(abs(matrix).max(axis=0).todense()).ravel() if len(vocab) else numpy.ones(0)
    scale[scale == 0] = 1.0
    matrix = matrix.multiply(1.0 / scale).tocsr()
    present = sorted(set(labels))
    ordered = list(classes) if classes else present
    if len(present) < 2:  # one class only: a constant model
        intercept = [8.0 if present and present[0] == ordered[-1] else -8.0] if len(ordered) == 2 \
            else [8.0 if c in present else -8.0 for c in ordered]
        return LinearModel(ordered, intercept, {})
    model = LogisticRegression(C=c, max_iter=5000, class_weight=class_weight, random_state=0)
    model.fit(matrix, list(labels))
    learned = [str(c) for c in model.classes_]
    coef = numpy.asarray(model.coef_) / scale[None, :]
    intercept = numpy.asarray(model.intercept_)
    if len(learned) == 2 and len(ordered) == 2:
        weights = {vocab[j]: [float(coef[0, j])] for j in range(len(vocab)) if coef[0, j]}
        return LinearModel(learned, [float(intercept[0])], weights)
    if len(learned) == 2:  # two of more classes seen: the sigmoid as a softmax over both
        coef = numpy.vstack([numpy.zeros_like(coef), coef])
        intercept = numpy.array([0.0, intercept[0]])
    if ordered != learned:  # classes absent from the training rows get a very low intercept
        rows_by_class = {c: k for k, c in enumerate(learned)}
        full_coef = numpy.zeros((len(ordered), len(vocab)))
        full_intercept = numpy.full(len(ordered), -20.0)
        for k, c in enumerate(ordered):
            if c in rows_by_class:
                full_coef[k] = coef[rows_by_class[c]]
                full_intercept[k] = intercept[rows_by_class[c]]
        coef, intercept, learned = full_coef, full_intercept, ordered
    weights = {vocab[j]: [float(coef[k, j]) for k in range(len(learned))]
               for j in range(len(vocab)) if numpy.any(coef[:, j])}
    return LinearModel(learned, [float(v) for v in intercept], weights)
