"""pannes_impact: impact labels from asserted cues in the incident's sentences."""

from __future__ import annotations

import pytest


def labels(run, text: str) -> list[str]:
    return run(text)._.impact.labels


@pytest.mark.parametrize("text, expected", [
    ("Depuis lundi, les abonnés de Free ne peuvent plus envoyer de SMS ni passer d'appels à cause d'une panne.",
     ["service_unavailable", "telephony_mobile"]),
    ("Une panne a privé les clients de la banque de paiement par carte bancaire mardi matin.",
     ["payment_billing", "service_unavailable"]),
    ("Mercredi, une panne a rendu la messagerie Outlook inaccessible pendant cinq heures.",
     ["email_messaging", "service_unavailable"]),
    ("Lundi, le trafic ferroviaire a été interrompu en gare de Lyon Part-Dieu après une panne informatique.",
     ["service_unavailable", "transport_operations"]),
    ("Samedi soir, les chaînes du groupe ont affiché un écran noir après une panne de la régie.",
     ["broadcast_interruption"]),
    ("Depuis hier, la panne ralentit fortement l'accès au service : les pages mettent une minute à s'afficher, "
     "le fonctionnement est dégradé.",
     ["degraded_service"]),
])
def test_labels(run, text: str, expected: list[str]) -> None:
    assert labels(run, text) == expected


def test_denied_data_loss_is_not_a_data_loss(run) -> None:
    text = ("Une panne paralyse depuis lundi le prestataire qui gère la base d'abonnés des journaux. "
            "« Aucune donnée client n'est perdue », assure son président.")
    assert "data_loss" not in labels(run, text)
    assert "subscriptions_customers" in labels(run, text)


def test_a_feared_or_conditional_loss_is_not_stated(run) -> None:
    text = ("Mardi, une panne a rendu les fichiers clients inaccessibles. "
            "Les éditeurs redoutent la perte définitive de ces données, qui aurait pu être évitée.")
    result = labels(run, text)
    assert "data_inaccessible" in result
    assert "data_loss" not in result


def test_an_explicit_no_interruption_vetoes_unavailability(run) -> None:
    text = ("Mercredi soir, les appels au 15 et au 18 ont été perturbés par une panne. "
            "« Il n'y a pas eu d'interruption, mais une dégradation du service », dit le ministre.")
    result = labels(run, text)
    assert "service_unavailable" not in result
    assert {"degraded_service", "telephony_mobile", "health_services", "public_services"} <= set(result)
