"""Matrix products of the spaCy model through numpy's BLAS instead of thinc's bundled blis.

thinc's `NumpyOps.gemm` calls the `blis` package; on the AMD EPYC machines we run on, numpy's
OpenBLAS does the products of tok2vec and of the parser's first layer 2.5 to 2.9 times faster on
one thread, and the annotations are unchanged (tests/nlp/test_matmul.py). On the benchmark mix
the model part of the tagger went from 1.83 s to 1.08 s, and the plain pipeline with the same
products runs 1.7 times faster (bench/results/tagger.md). The tagger swaps the ops of its
models after loading them; nothing global changes.
"""

from __future__ import annotations

from spacy.language import Language
from thinc.backends.numpy_ops import NumpyOps
from thinc.backends.ops import Ops
from thinc.types import Floats2d


class NumpyBlasOps(NumpyOps):
    """thinc's CPU ops, with `gemm` done by `numpy.dot` (the BLAS numpy was built with)."""

    name = "numpy_blas"

    def gemm(self, x: Floats2d, y: Floats2d, out: Floats2d | None = None,
             trans1: bool = False, trans2: bool = False) -> Floats2d:
        return Ops.gemm(self, x, y, out=out, trans1=trans1, trans2=trans2)


def use_numpy_blas(nlp: Language) -> int:
    """Give every layer of the pipeline's trained models the numpy-BLAS ops; the layers changed."""
    ops = NumpyBlasOps()
    changed = 0
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for layer in model.walk():
            if type(layer.ops) is NumpyOps:
                layer.ops = ops
                changed += 1
    return changed
