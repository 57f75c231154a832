"""Negation, exclusion, hedging and question detection on parsed sentences."""

from __future__ import annotations

import pytest
from pannes.nlp.modality import assertion, denies_previous, is_future, is_planned, is_simulated


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
    ("Aucun service n'a été perturbé.", "perturbé", "negated"),
    ("Personne n'a été privé de réseau.", "privé", "negated"),
    ("Une cyberattaque serait en cause, hypothèse que dément l'opérateur.", "cyberattaque", "excluded"),
    ("Une cyberattaque serait à l'origine de la panne, ce qu'a démenti l'opérateur mardi.",
     "cyberattaque", "excluded"),
    ("Une cyberattaque serait à l'origine de la panne, ce que ne dément pas l'opérateur.",
     "cyberattaque", "asserted"),
    # "ne ... plus" denies like "ne ... pas", though the model gives "plus" no Polarity=Neg
    ("Les messages n'arrivaient plus aux abonnés.", "arrivaient", "negated"),
    ("Le site ne répond plus depuis ce matin.", "répond", "negated"),
    ("Il y a plus de clients que prévu.", "clients", "asserted"),
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


def _word(pipeline, text: str, word: str):
    return next(t for t in pipeline(text) if t.lower_ == word)


@pytest.mark.parametrize("text, word, expected", [
    ("Le site sera indisponible dimanche prochain.", "indisponible", True),
    ("Le réseau va être coupé dimanche.", "coupé", True),
    ("Les abonnés ne pourront pas appeler.", "appeler", True),
    ("Le site est indisponible depuis mardi.", "indisponible", False),
    ("Le site a été indisponible dimanche.", "indisponible", False),
    # a future perfect looks back: "les éditeurs auront été privés de leurs fichiers"
    ("Les éditeurs auront été privés de leurs fichiers pendant douze jours.", "privés", False),
])
def test_future(pipeline, text: str, word: str, expected: bool) -> None:
    assert is_future(_word(pipeline, text, word)) is expected


@pytest.mark.parametrize("text, word, expected", [
    ("Une coupure est prévue dimanche de 2 h à 6 h.", "coupure", True),
    ("Une coupure a touché le réseau dimanche.", "coupure", False),
])
def test_planned(pipeline, text: str, word: str, expected: bool) -> None:
    assert is_planned(_word(pipeline, text, word)) is expected


@pytest.mark.parametrize("text, word, expected", [
    ("La SNCF a organisé un exercice de simulation de cyberattaque.", "cyberattaque", True),
    ("L'hôpital a simulé jeudi une panne informatique géante.", "panne", True),
    ("Une cyberattaque a paralysé la SNCF pendant l'exercice annuel.", "cyberattaque", False),
])
def test_simulated(pipeline, text: str, word: str, expected: bool) -> None:
    assert is_simulated(_word(pipeline, text, word)) is expected


@pytest.mark.parametrize("text, expected", [
    ("L'opérateur dément.", True),
    ("Orange a démenti cette information.", True),
    ("Ce que dément formellement l'opérateur.", True),
    ("L'opérateur dément toute panne.", False),
    ("L'opérateur ne dément pas.", False),
])
def test_denies_previous(pipeline, text: str, expected: bool) -> None:
    assert denies_previous(next(iter(pipeline(text).sents))) is expected
