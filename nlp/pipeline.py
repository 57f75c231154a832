"""Build the tagging pipeline: fr_core_news_md without NER, plus the pannes components."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import spacy
from spacy.language import Language

logger = logging.getLogger(__name__)

MODEL = "fr_core_news_md"
# The model's NER gives organisation candidates beside the vendor base and the context
# patterns (nlp.features). The attribute_ruler only copies POS into TAG (unused) and fixes
# whitespace tokens, which `pannes_spaces` does far more cheaply.
EXCLUDED = ("attribute_ruler",)
COMPONENTS = (
    "pannes_scopes",
    "pannes_vendors",
    "pannes_roles",
    "pannes_outage",
    "pannes_learned_outage",
    "pannes_mentions",
    "pannes_impact",
    "pannes_cause",
    "pannes_region",
    "pannes_users",
    "pannes_timing",
    "pannes_learned_details",
)
# The details of an outage: the tagger runs them only on the articles found to be outages.
# The model's NER is one of them: only the organisation candidates and places of the details
# read it, and it costs more than any other component (its own tok2vec, then a transition
# parser), so an article the outage decision turns down never pays for it.
DETAIL_COMPONENTS = ("ner", "pannes_impact", "pannes_cause", "pannes_region", "pannes_users", "pannes_timing",
                     "pannes_learned_details")
# The learned decisions (nlp.learned): left out when reading features for training.
LEARNED_COMPONENTS = ("pannes_learned_outage", "pannes_learned_details")


def register_components() -> None:
    """Import the component modules so their factories are registered with spaCy."""
    from pannes.nlp import (  # noqa: F401
        cause,
        impact,
        layout,
        learned,
        mentions,
        outage,
        region,
        roles,
        timing,
        users,
        vendors,
    )


def build_pipeline(*, extra_vendor_files: Sequence[Path | str] = (), model: str = MODEL,
                   models_dir: Path | str | None = None, learned: bool = True) -> Language:
    """Load the model (without the components we do not use) and add ours, initialised.

    The learned decisions read `models_dir` (default: the models shipped in nlp/models/);
    `learned=False` leaves them out: the rules' own verdicts, which the models use as features."""
    register_components()
    nlp = spacy.load(model, exclude=list(EXCLUDED))
    nlp.add_pipe("pannes_line_breaks", before="parser")
    nlp.add_pipe("pannes_spaces", before="lemmatizer")
    components = [n for n in COMPONENTS if learned or n not in LEARNED_COMPONENTS]
    for name in components:
        config: dict[str, object] = {}
        if name == "pannes_vendors":
            config = {"extra_files": [str(p) for p in extra_vendor_files]}
        elif name in LEARNED_COMPONENTS and models_dir is not None:
            config = {"models_dir": str(models_dir)}
        nlp.add_pipe(name, config=config)
    for name in components:
        nlp.get_pipe(name).initialize(lambda: [], nlp=nlp)
    logger.info("tagging pipeline: %s", ", ".join(nlp.pipe_names))
    return nlp
