"""One tagger (spaCy model + pannes components) per test session: loading it takes seconds."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pannes.nlp.tagger import Tagger
from spacy.language import Language
from spacy.tokens import Doc


@pytest.fixture(scope="session")
def tagger() -> Tagger:
    return Tagger.load()


@pytest.fixture(scope="session")
def pipeline(tagger: Tagger) -> Language:
    return tagger.nlp


@pytest.fixture(scope="session")
def run(tagger: Tagger) -> Callable[..., Doc]:
    """Run the whole pipeline on a small text: `run(text, published="2024-05-02")`."""

    def _run(text: str, *, published: str | None = "2024-05-02", title: str | None = None) -> Doc:
        return tagger.nlp(tagger.make_doc(text, published=published, title=title))

    return _run
