"""pannes_roles: failing vendor, affected organisations, quoted sources, competitors."""

from __future__ import annotations


def test_vendor_affected_source_and_competitor(run) -> None:
    text = ("Panne chez Orange : les clients de Sosh privés d'appels\n\n"
            "Une panne du réseau d'Orange a privé jeudi les abonnés de Sosh d'appels pendant trois heures, "
            "a indiqué l'opérateur à l'AFP. Les clients de SFR, qui utilisent un autre réseau, "
            "n'ont rien remarqué, selon Reuters.")
    roles = run(text)._.roles
    assert roles.vendors == ["Orange"]
    assert roles.affected == ["Sosh"]
    assert "AFP" in roles.sources and "Reuters" in roles.sources
    assert roles.competitors == ["SFR"]


def test_provider_of_the_failing_system_is_the_vendor(run) -> None:
    text = ("Les clients de la Société Générale n'ont pas pu payer par carte mardi. "
            "La banque explique que le problème vient de son prestataire Worldline, "
            "dont la plateforme est tombée en panne vers 10 heures.")
    roles = run(text)._.roles
    assert roles.vendors == ["Worldline"]
    assert roles.affected == ["Société Générale"]


def test_titles_of_a_subscriber_manager_are_affected(run) -> None:
    text = ("Le prestataire GLI, qui gère les abonnés du Figaro et de Libération, est en panne depuis dimanche. "
            "Ses concurrents Arvato et Presse informatique ne sont pas touchés, écrit Le Monde.")
    roles = run(text)._.roles
    assert roles.vendors == ["GLI"]
    assert sorted(roles.affected) == ["Le Figaro", "Libération"]
    assert sorted(roles.competitors) == ["Arvato", "Presse informatique"]
