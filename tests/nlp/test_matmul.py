"""The tagger's model runs its matrix products through numpy's BLAS, with the same annotations."""

from __future__ import annotations

import numpy
import pytest
import spacy
from pannes.nlp.matmul import NumpyBlasOps, use_numpy_blas
from pannes.nlp.pipeline import MODEL
from thinc.backends.numpy_ops import NumpyOps

TEXT = ("Depuis lundi matin, une panne chez l'hébergeur prive des milliers de clients de leur "
        "messagerie. L'entreprise, qui a reconnu l'incident mardi, évoque une mise à jour "
        "défectueuse et promet un retour à la normale d'ici la fin de la semaine.")


@pytest.mark.parametrize("trans1, trans2", [(False, False), (True, False), (False, True), (True, True)])
def test_gemm_gives_the_products_of_thinc(trans1: bool, trans2: bool) -> None:
    rng = numpy.random.default_rng(0)
    x = rng.standard_normal((7, 5) if not trans1 else (5, 7)).astype("float32")
    y = rng.standard_normal((5, 3) if not trans2 else (3, 5)).astype("float32")
    expected = NumpyOps().gemm(x, y, trans1=trans1, trans2=trans2)
    numpy.testing.assert_allclose(NumpyBlasOps().gemm(x, y, trans1=trans1, trans2=trans2), expected,
                                  rtol=1e-5)
    out = numpy.zeros((7, 3), dtype="float32")
    assert NumpyBlasOps().gemm(x, y, out=out, trans1=trans1, trans2=trans2) is out
    numpy.testing.assert_allclose(out, expected, rtol=1e-5)


def test_the_tagger_models_use_numpy_blas(pipeline) -> None:
    for name in ("tok2vec", "morphologizer", "parser"):
        layers = list(pipeline.get_pipe(name).model.walk())
        assert layers and all(isinstance(layer.ops, NumpyBlasOps) for layer in layers), name


@pytest.mark.slow
def test_annotations_are_those_of_the_stock_model(pipeline) -> None:
    stock = spacy.load(MODEL, exclude=["ner"])
    swapped = spacy.load(MODEL, exclude=["ner"])
    assert use_numpy_blas(swapped) > 0
    assert use_numpy_blas(swapped) == 0  # already swapped: nothing left to change
    for before, after in zip(stock(TEXT), swapped(TEXT), strict=True):
        assert (after.dep_, after.head.i, after.pos_, str(after.morph), after.lemma_) == \
               (before.dep_, before.head.i, before.pos_, str(before.morph), before.lemma_), after.text
