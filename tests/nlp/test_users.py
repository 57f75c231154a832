"""pannes_users: counts of people hit, or the vague phrase."""

from __future__ import annotations

from pannes.nlp.users import users_in_sentence


def test_count() -> None:
    found = users_in_sentence("La panne a touché 5 000 clients de l'opérateur mardi.")
    assert (found.count, found.text) == (5000, "5 000 clients")


def test_millions_in_words() -> None:
    found = users_in_sentence("Plus de 10 millions d'utilisateurs ont été touchés lundi.")
    assert found.count == 10_000_000


def test_vague_phrase_has_no_count() -> None:
    found = users_in_sentence("La panne a privé des millions d'utilisateurs de leur messagerie.")
    assert (found.count, found.text) == (None, "des millions d'utilisateurs")


def test_no_hit_no_count() -> None:
    assert users_in_sentence("Le plan de restructuration concerne l'avenir de l'entreprise.") is None


def test_component_reads_incident_sentences_only(run) -> None:
    doc = run("Mardi, une panne a privé 2 000 abonnés de connexion. "
              "Le groupe emploie 5000 personnes touchées par un plan social.")
    assert doc._.users.count == 2000
