"""pannes_scopes + pannes_outage: concrete incidents in, metaphors, guides and forecasts out."""

from __future__ import annotations

import pytest

INCIDENT = (
    "Panne géante chez Orange : les appels impossibles dans tout l'Ouest\n\n"
    "Depuis mardi matin, les abonnés d'Orange ne peuvent plus passer d'appels. "
    "L'opérateur a reconnu un incident technique sur son réseau et promet un retour à la normale dans la soirée."
)


def test_concrete_incident_is_an_outage(run) -> None:
    doc = run(INCIDENT)
    assert doc._.outage.is_outage
    assert doc._.outage.score >= 0.5
    assert any("reconnu un incident" in s for s in doc._.outage.evidence)


@pytest.mark.parametrize("text", [
    # metaphor
    "Le gouvernement est en panne d'idées sur la réforme des retraites. "
    "La croissance en panne inquiète les économistes, qui prévoient une année difficile.",
    # product launch
    "Free a présenté mardi sa nouvelle box, attendue depuis deux ans. "
    "Le lancement commercial est prévu le mois prochain, avec une offre fibre à 30 euros.",
    # forecast / market story
    "Le marché des smartphones devrait reculer de 3 % cette année selon le cabinet IDC. "
    "Les constructeurs anticipent une reprise au second semestre.",
    # business-continuity guide
    "Comment se préparer à une panne de messagerie ?\n\n"
    "En cas de panne, vos équipes doivent savoir où communiquer. "
    "Prévoyez une adresse de secours et testez votre plan une fois par an.",
    # security piece without an incident
    "Les cyberattaques peuvent toucher toutes les entreprises. "
    "Les experts recommandent de sauvegarder les données et de former les salariés.",
    # denied rumour
    "Des internautes ont évoqué une panne du réseau SFR jeudi, mais l'opérateur dément toute panne. "
    "Aucun incident n'a été constaté, assure SFR, qui parle d'une fausse rumeur.",
])
def test_non_outages_are_rejected(run, text: str) -> None:
    assert not run(text)._.outage.is_outage


def test_an_earlier_incident_recalled_is_no_outage(run) -> None:
    text = ("OVHcloud prépare son entrée en Bourse. "
            "Rappelons que l'incendie de mars 2021 avait détruit un de ses centres de données. "
            "La cotation est attendue à l'automne.")
    doc = run(text, published="2024-05-02")
    assert not doc._.outage.is_outage
    kinds = [s.kind for s in doc._.sent_scopes]
    assert kinds[1] == "retro"


def test_sentence_scopes(run) -> None:
    text = ("Le service de paiement Lydia est indisponible depuis ce matin. "
            "En cas de panne, les commerçants peuvent accepter les espèces. "
            "En 2019, une coupure avait déjà privé les utilisateurs de virements.")
    doc = run(text, published="2024-05-02")
    assert [s.kind for s in doc._.sent_scopes] == ["incident", "hypothetical", "retro"]
