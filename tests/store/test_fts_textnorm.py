"""French normalisation shared by the index and the queries."""

from __future__ import annotations

import pytest

from pannes.textnorm import STOP_WORDS, fold, is_stop_word, normalize_text, normalize_word, words

FAMILIES = [
    ["défaillance", "defaillance", "défaillances", "DÉFAILLANCE"],
    ["panne", "pannes", "Panne"],
    ["coupure", "coupures"],
    ["coupé", "coupée", "coupées", "coupés", "coupee", "couper"],
    ["sécurité", "securite", "sécurités"],
    ["réseau", "réseaux", "reseau", "reseaux"],
    ["opérateur", "operateurs", "opérateurs"],
    ["perturbé", "perturbée", "perturbées", "perturbee"],
    ["hôpital", "hôpitaux", "hopital", "hopitaux"],
    ["données", "donnee", "donnée", "donnees"],
    ["premier", "première", "premiere", "premières"],
    ["abonné", "abonnés", "abonnee", "abonnées", "abonnes"],
    ["rançongiciel", "rançongiciels", "rancongiciel"],
    ["indisponible", "indisponibles"],
    ["cyberattaque", "cyberattaques", "CyberAttaque"],
]


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f[0])
def test_inflections_and_accents_share_one_term(family):
    assert len({normalize_word(w) for w in family}) == 1


@pytest.mark.parametrize("a, b", [
    ("panne", "panneau"), ("coupure", "coupe"), ("orange", "organe"), ("serveur", "service"),
])
def test_different_words_stay_apart(a, b):
    assert normalize_word(a) != normalize_word(b)


def test_fold():
    assert fold("Défaillance ŒUVRE Ça") == "defaillance oeuvre ca"
    assert fold("æ") == "ae"


def test_words_split_on_apostrophes_and_hyphens():
    assert words("L'opérateur d’Île-de-France, 3G/4G.") == [
        "L", "opérateur", "d", "Île", "de", "France", "3G", "4G"]


def test_normalize_text_is_what_the_index_holds():
    assert normalize_text("Pannes massives chez l'opérateur") == "pann massiv chez l oper"


def test_stop_words():
    assert is_stop_word("Été") and is_stop_word("à") and is_stop_word("LES")
    assert not is_stop_word("panne")
    assert all(w == fold(w) for w in STOP_WORDS)
