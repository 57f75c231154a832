"""Cue matching: patterns tried only around their anchor word find what spaCy's Matcher finds
over the whole article."""

from __future__ import annotations

import pytest
from pannes.nlp.cues import CueMatcher, _anchor
from spacy.matcher import Matcher

TEXT = ("Lundi, la messagerie de l'hébergeur est tombée en panne. Une panne chez Nuvola a privé "
        "les clients de leurs comptes ; une coupure de la plateforme de paiement a suivi. "
        "La maintenance programmée de mardi a été reportée, et les interruptions prévues aussi.")

ROWS = [
    {"label": "a", "pattern": [{"LOWER": {"IN": ["la", "le"]}}, {"LOWER": {"IN": ["messagerie", "plateforme"]}}]},
    {"label": "b", "pattern": [{"LOWER": {"REGEX": "^(pannes?|coupures?)$"}}, {"LOWER": {"IN": ["chez", "de"]}},
                               {"OP": "?"}, {"IS_TITLE": True}]},
    {"label": "c", "pattern": [{"LOWER": {"REGEX": "^(maintenances?|interruptions?)$"}},
                               {"LOWER": {"REGEX": "^(programmée?s?|prévue?s?)$"}}]},
    {"label": "d", "pattern": [{"LEMMA": "avoir"}, {"LEMMA": "priver"}]},
]


def test_anchors_are_content_words_not_function_words() -> None:
    assert _anchor(ROWS[0]["pattern"])[2] == {"messagerie", "plateforme"}
    assert _anchor(ROWS[1]["pattern"])[2] == {"panne", "pannes", "coupure", "coupures"}
    assert _anchor(ROWS[3]["pattern"])[2] == {"priver"}
    # a comma or "ne ... pas" occur everywhere: the rarer word anchors the pattern
    assert _anchor([{"IS_TITLE": True}, {"LOWER": ","}, {"LOWER": {"IN": ["client", "cliente"]}}])[2] \
        == {"client", "cliente"}
    assert _anchor([{"LOWER": "n'"}, {"LEMMA": "avoir"}, {"LOWER": "pas"}, {"LOWER": "pu"}])[2] == {"pu"}


@pytest.mark.parametrize("row", ROWS, ids=[r["label"] for r in ROWS])
def test_matches_are_those_of_the_matcher_over_the_whole_doc(pipeline, row) -> None:
    doc = pipeline(TEXT)
    cues = CueMatcher(pipeline.vocab, [row], pipeline.make_doc)(doc)
    matcher = Matcher(pipeline.vocab)
    matcher.add("row", [row["pattern"]])
    expected = sorted({(start, end) for _, start, end in matcher(doc)})
    assert expected, "the text should hold a match of every pattern"
    assert sorted((c.start, c.end) for c in cues) == expected
