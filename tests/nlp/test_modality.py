"""Negation, exclusion, hedging and question detection on parsed sentences."""

from __future__ import annotations

import pytest

from nlp.modality import assertion


def state_of(pipeline, text: str, word: str) -> str:
    doc = pipeline(text)
    token = next(t for t in doc if t.lower_ == word)
    return assertion(token)


@pytest.mark.parametrize("text, word, expected", [
    ("Une cyberattaque a paralysé le réseau.", "cyberattaque", "asserted"),
    ("Il n'y a pas eu de cyberattaque.", "cyberattaque", "negated"),
    ("Aucune cyberattaque n'a été détectée.", "cyberattaque", "negated"),
    ("Le directeur exclut toute cyberattaque.", "cyberattaque", "excluded"),
    ("Une cyberattaque ? Rien ne le confirme.", "cyberattaque", "question"),
    ("La piste d'une cyberattaque est étudiée.", "cyberattaque", "hedged"),
])
def test_assertion(pipeline, text: str, word: str, expected: str) -> None:
    assert state_of(pipeline, text, word) == expected


@pytest.mark.parametrize("text, word, expected", [
    ("Le paiement sans contact interrompu a gêné les commerçants.", "interrompu", "asserted"),
    ("Le réseau sans fil est tombé en panne dans la matinée.", "panne", "asserted"),
    ("La migration s'est faite sans interruption.", "interruption", "negated"),
])
def test_sans_negates_except_in_compound_nouns(pipeline, text: str, word: str,
                                              expected: str) -> None:
    assert state_of(pipeline, text, word) == expected
