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


@pytest.mark.parametrize("text, expected", [
    # a topic word outside the incident's key sentences counts when its clause says it failed
    ("Mardi matin, une panne du réseau mobile de l'opérateur a duré quatre heures. "
     "Sur les marchés, les commerçants ont dû refuser les paiements par carte bancaire.",
     ["payment_billing", "telephony_mobile"]),
    ("Jeudi, une panne chez l'opérateur a duré cinq heures. "
     "Des milliers de télétravailleurs privés de connexion ont dû se replier dans les cafés.",
     ["internet_access", "service_unavailable"]),
    ("Mardi, une panne a touché la messagerie de l'application pendant six heures. "
     "Les messages ne partaient plus et les conversations restaient figées.",
     ["email_messaging"]),
    ("Vendredi, une panne du logiciel de vente a duré cinq heures : "
     "impossible d'acheter un billet de train dans la région.",
     ["service_unavailable", "transport_operations"]),
    # stolen or exposed data is a breach wherever the article states it
    ("Lundi, une panne du logiciel de gestion a duré deux jours. "
     "Des données de clients ont été exfiltrées avant la coupure.",
     ["data_breach"]),
    # degraded: slowdowns, or part of the service kept working
    ("Depuis lundi, après une panne, le stockage de l'hébergeur répond lentement.",
     ["degraded_service"]),
    ("Depuis ce matin, une panne du logiciel bloque les rédactions. "
     "Les sites restent consultables, mais aucune mise à jour n’est possible.",
     ["degraded_service"]),
    ("Lundi, une panne a coupé la visioconférence de l'éditeur pendant une heure. "
     "La messagerie instantanée a continué de fonctionner normalement.",
     ["degraded_service", "service_unavailable"]),
    # a broadcast cut keeps service_unavailable only when a sentence of its own says so
    ("Samedi soir, une panne de la régie a plongé trois chaînes dans l'écran noir, "
     "les programmes ont été interrompus pendant six heures.",
     ["broadcast_interruption"]),
    ("Samedi soir, une panne de la régie a plongé trois chaînes dans l'écran noir pendant six heures. "
     "Les abonnés du bouquet ont été privés de service jusqu'à minuit.",
     ["broadcast_interruption", "service_unavailable"]),
])
def test_general_phrasings(run, text: str, expected: list[str]) -> None:
    assert labels(run, text) == expected


@pytest.mark.parametrize("text, expected", [
    # words in another sense: a call for tenders, a ransom, a means of notice, a login error
    ("Lundi, une panne a rendu la plateforme de l'hébergeur inaccessible pendant six heures. "
     "L'hébergeur, qui dispute des appels d'offres publics, a présenté ses excuses.",
     ["service_unavailable"]),
    ("Lundi, une cyberattaque a paralysé les serveurs de l'éditeur pendant trois jours. "
     "L'éditeur refuse de payer la rançon demandée.",
     ["service_unavailable"]),
    ("Lundi, une panne a rendu le logiciel de réservation inaccessible pendant six heures. "
     "Les clients ont été prévenus par courriel en fin de journée.",
     ["service_unavailable"]),
    ("Jeudi, une panne a rendu inaccessibles des milliers de sites hébergés. "
     "Les sites affichaient des erreurs de connexion.",
     ["service_unavailable", "website_down"]),
    # what was spared is no impact
    ("Mardi matin, une panne a coupé la télévision de 20 000 foyers. "
     "Les foyers équipés d'une box internet n'ont pas été affectés.",
     ["broadcast_interruption"]),
    ("Lundi, une panne du logiciel de gestion a duré deux jours. "
     "Aucune donnée n'a été exposée, assure l'éditeur.",
     []),
    # data are unreachable only when the unreachable word bears on them
    ("Lundi, la suite de l'éditeur, qui réunit agenda et édition de documents partagés, "
     "est restée inaccessible pendant quatre heures à cause d'une panne.",
     ["service_unavailable"]),
])
def test_words_in_another_sense_or_spared(run, text: str, expected: list[str]) -> None:
    assert labels(run, text) == expected


def test_a_date_and_a_time_are_not_emergency_numbers(run) -> None:
    text = "Mercredi 18 novembre, de 10 h 15 à 13 h 45, une panne a coupé les appels des abonnés de l'opérateur."
    assert run(text, published="2024-11-19")._.impact.labels == ["service_unavailable", "telephony_mobile"]


def test_users_unable_to_post_lost_the_service(run) -> None:
    text = ("Le réseau social a connu mercredi une panne de deux heures. "
            "Des milliers d'utilisateurs se sont dits incapables de publier des messages.")
    assert labels(run, text) == ["service_unavailable"]


def test_websites_down_are_no_internet_access(run) -> None:
    text = ("Mardi, les sites internet de plusieurs collectivités sont restés inaccessibles pendant trois heures "
            "après une coupure d'électricité chez leur hébergeur.")
    assert "internet_access" not in labels(run, text)
    assert "website_down" in labels(run, text)


def test_online_procedures_are_public_services(run) -> None:
    text = "Mardi, le site de l'agence est resté inaccessible : les démarches en ligne étaient impossibles."
    assert labels(run, text) == ["public_services", "service_unavailable", "website_down"]


def test_homes_left_without_power_are_an_unavailable_service(run) -> None:
    text = ("Samedi soir, une panne chez le distributeur Énerlis a laissé huit mille foyers de la "
            "vallée sans électricité pendant six heures.")
    assert "service_unavailable" in labels(run, text)
    assert "service_unavailable" not in labels(run, "Lundi, une panne chez Énerlis : la nouvelle "
                                                    "borne fonctionne sans fil, sans abonnement.")


@pytest.mark.parametrize("text, label", [
    ("Mardi soir, une panne du réseau de l'opérateur a empêché les appels au 911 dans deux provinces.",
     "public_services"),
    ("Vendredi, une panne du réseau fixe a rendu injoignables les numéros d'urgence des ambulances dans trois "
     "cantons.", "health_services"),
    ("Jeudi soir, une panne du réseau fixe de l'opérateur a bloqué les appels au 144 dans quatre cantons.",
     "health_services"),
    ("Mardi matin, un incident informatique a bloqué les barrières de péage de l'autoroute pendant cinq heures.",
     "transport_operations"),
    ("Mercredi, une panne informatique a fermé l'espace aérien du pays pendant trois heures.",
     "transport_operations"),
    ("Depuis jeudi, la production des trois usines du groupe est à l'arrêt après une panne informatique.",
     "other"),
])
def test_labels_of_the_conventions(run, text: str, label: str) -> None:
    """ANNOTATION.md: emergency numbers are public services (health services when ambulances, the
    SAMU or the Swiss medical emergency number 144, the counterpart of the 15, are named);
    flights, trains and tolls are transport; a stopped production is other."""
    assert label in labels(run, text)


def test_hints_reach_the_learned_decision_without_labelling(run) -> None:
    """A hint row (`signal`) is counted for the learned decision under its own name and never
    becomes a label of the rules: stopped plants are an `other` impact the model may learn."""
    from pannes.nlp.decisions import label_features
    from pannes.nlp.features import detail_features

    text = ("Mardi, une cyberattaque a paralysé l'informatique du fabricant de meubles. "
            "La production est à l'arrêt dans ses trois usines et les salariés sont au chômage technique.")
    doc = run(text)
    assert "other/work" in doc._.impact.signals
    assert doc._.impact.signals["other/work"]["seen"] >= 2
    details = detail_features(doc)
    pair = label_features(details, "other", "impact", words=False)
    assert pair.get("seen=other/work", 0.0) > 0.0
    assert not any("other/work" in name for name in label_features(details, "website_down", "impact"))


def test_hints_and_cues_are_counted_by_stage(run) -> None:
    """Each cue counts at the stages it reaches: a payment cue in the incident's sentence is
    seen, asserted and kept; the rules' labels are those kept, the hints never among them."""
    from pannes.nlp.decisions import label_features
    from pannes.nlp.features import detail_features

    text = ("Depuis ce matin, une panne empêche les paiements par carte de débit dans les magasins. "
            "Certains clients n'ont pas pu régler leurs achats aux caisses.")
    doc = run(text)
    counts = doc._.impact.signals["payment_billing"]
    assert counts["seen"] >= 1 and counts["kept"] >= 1
    assert "payment_billing/purchase" in doc._.impact.signals
    assert "degraded_service/partial" in doc._.impact.signals
    assert not any("/" in label for label in doc._.impact.labels)
    pair = label_features(detail_features(doc), "payment_billing", "impact", words=False)
    assert pair["cue_kept|payment_billing"] > 0.0 and pair["seen=payment_billing/purchase"] > 0.0


def test_a_site_quoted_as_a_source_is_no_website_down(run) -> None:
    """The website words must be in the clause that says something failed: the site that
    reports the outage is a source, not a site down."""
    text = ("Mardi, la messagerie du groupe est restée inaccessible pendant quatre heures, "
            "selon le site spécialisé qui recense les signalements.")
    assert "website_down" not in labels(run, text)
    down = "Mardi, après une cyberattaque, le site internet de la mairie est inaccessible."
    assert "website_down" in labels(run, down)
