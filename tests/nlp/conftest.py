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
def rules_tagger() -> Tagger:
    """The rule components alone: the candidate generators and features the learned decisions
    read. The component tests check these; the learned decisions are measured by
    cross-validation, the probe sets and the snapshots."""
    return Tagger.load(learned=False)


@pytest.fixture(scope="session")
def pipeline(rules_tagger: Tagger) -> Language:
    return rules_tagger.nlp


@pytest.fixture(scope="session")
def run(rules_tagger: Tagger) -> Callable[..., Doc]:
    """Run the rule components on a small text: `run(text, published="2024-05-02")`."""

    def _run(text: str, *, published: str | None = "2024-05-02", title: str | None = None) -> Doc:
        return rules_tagger.nlp(rules_tagger.make_doc(text, published=published, title=title))

    return _run
