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


# An article about an incident reports it whatever its age; an old incident named in passing
# (the article being about something else, or about a newer incident) stays a mention.

def test_an_incident_dated_nine_days_back_is_the_article_own(run) -> None:
    doc = run("Une panne chez Worldline a bloqué les paiements par carte le 1er mars.",
              published="2025-03-10")
    assert doc._.outage.is_outage
    assert [s.kind for s in doc._.sent_scopes] == ["incident"]
    assert doc._.mentions == []


def test_a_report_on_an_old_incident_reports_it(run) -> None:
    doc = run("Worldline publie son rapport sur la panne du 21 février : une mise à jour défectueuse "
              "a bloqué les paiements par carte pendant cinq heures.", published="2025-03-10")
    assert doc._.outage.is_outage
    assert doc._.mentions == []


def test_a_follow_up_keeps_its_incident_and_recalls_an_older_one(run) -> None:
    doc = run("Le prestataire de paiement a publié lundi son rapport d'incident. "
              "Le 21 février, une mise à jour défectueuse a bloqué les paiements par carte pendant "
              "cinq heures. En juin 2022, une coupure avait déjà touché ses terminaux.",
              published="2025-03-10", title="Worldline publie son rapport sur la panne du 21 février")
    assert doc._.outage.is_outage
    assert [s.kind for s in doc._.sent_scopes] == ["incident", "incident", "incident", "retro"]
    assert [m.when for m in doc._.mentions] == ["2022-06"]


def test_a_fine_for_an_old_incident_reports_it(run) -> None:
    doc = run("L'Arcep a infligé mardi une amende de 2 millions d'euros à Orange pour la panne du "
              "2 juin 2021. Le 2 juin 2021, les numéros d'urgence sont restés injoignables pendant "
              "sept heures.", published="2022-03-10",
              title="Panne des numéros d'urgence : Orange condamné à une amende")
    assert doc._.outage.is_outage
    assert "retro" not in [s.kind for s in doc._.sent_scopes]
    assert doc._.mentions == []


def test_an_old_incident_beside_a_newer_one_is_a_mention(run) -> None:
    doc = run("Mardi, une panne a privé les clients de Worldline de paiement par carte. "
              "Le 1er février, une panne a bloqué les terminaux pendant deux heures.",
              published="2025-03-10")
    assert doc._.outage.is_outage
    assert [s.kind for s in doc._.sent_scopes] == ["incident", "retro"]
    assert len(doc._.mentions) == 1


def test_an_old_incident_in_a_story_about_something_else_is_a_mention(run) -> None:
    doc = run("Le prestataire de paiement a annoncé lundi une levée de fonds de 200 millions d'euros. "
              "L'opération intervient après la panne du 12 janvier qui a bloqué les paiements par carte.",
              published="2025-03-10", title="Worldline lève 200 millions d'euros")
    assert not doc._.outage.is_outage
    assert [s.kind for s in doc._.sent_scopes] == ["other", "other", "retro"]
    assert len(doc._.mentions) == 1



# Planned work announced in advance and drills are no incidents; planned work gone wrong is.

@pytest.mark.parametrize("text", [
    "Le site impots.gouv.fr sera indisponible dimanche prochain de 2 h à 6 h pour une opération "
    "de maintenance programmée.",
    "Le site de la CAF a été indisponible dimanche de 2 h à 6 h pour une maintenance programmée.",
    "Une interruption du réseau fixe de Free est prévue dans la nuit de samedi à dimanche, "
    "de 1 h à 5 h.",
    "La SNCF a organisé mardi un exercice de simulation de cyberattaque sur ses systèmes de "
    "réservation. Aucun service n'a été perturbé.",
    "L'hôpital a simulé jeudi une panne informatique géante. Pendant quatre heures, les soignants "
    "ont travaillé sans dossier patient.",
])
def test_planned_work_and_drills_are_no_outage(run, text: str) -> None:
    doc = run(text, published="2025-03-10")
    assert not doc._.outage.is_outage
    assert "incident" not in [s.kind for s in doc._.sent_scopes]


@pytest.mark.parametrize("text", [
    "Une opération de maintenance programmée a mal tourné dimanche : le site impots.gouv.fr est "
    "resté indisponible toute la journée.",
    "La maintenance programmée dimanche a duré plus longtemps que prévu : le site de la CAF est "
    "resté indisponible jusqu'à midi.",
    "Le site impots.gouv.fr a été indisponible dimanche pendant plusieurs heures après une "
    "opération de maintenance qui a provoqué une panne imprévue.",
])
def test_planned_work_gone_wrong_is_an_outage(run, text: str) -> None:
    assert run(text, published="2025-03-10")._.outage.is_outage


def test_an_ongoing_outage_announced_to_last_stays_one(run) -> None:
    doc = run("Depuis mardi, le site de la CAF est inaccessible. Il restera indisponible jusqu'à "
              "jeudi, selon la caisse.", published="2025-03-10")
    assert doc._.outage.is_outage
    assert [s.kind for s in doc._.sent_scopes] == ["incident", "other"]


def test_a_forecast_that_names_today_is_no_incident(run) -> None:
    doc = run("Un expert revient sur les pratiques des entreprises. « Aujourd'hui, c'est mieux, mais une "
              "panne de cette ampleur peut se reproduire demain », prévient-il.")
    assert not doc._.outage.is_outage
    assert [s.kind for s in doc._.sent_scopes if s.cues] == ["hypothetical"]


def test_a_modal_with_a_day_still_tells_of_an_incident(run) -> None:
    doc = run("Mardi, une panne a touché le réseau de l'opérateur. Les clients ne peuvent toujours pas "
              "appeler ce matin.")
    assert doc._.outage.is_outage


def test_a_fine_titled_without_the_failure_still_dates_the_old_incident(run) -> None:
    doc = run("L'Arcep a infligé mardi une amende de 2 millions d'euros à Orange pour la panne du "
              "2 juin 2021. Ce jour-là, les numéros d'urgence sont restés injoignables pendant "
              "sept heures.", published="2022-03-10",
              title="Numéros d'urgence : Orange condamné à une amende")
    assert doc._.outage.is_outage
    assert "retro" not in [s.kind for s in doc._.sent_scopes]
    assert doc._.timing.start.isoformat() == "2021-06-02"


@pytest.mark.parametrize("sentence", [
    "Depuis samedi soir, des milliers de foyers du Cotentin sont sans électricité.",
    "La chute d'un pylône a plongé dans le noir trois communes de la vallée mardi.",
    "Mardi, les bornes de l'enseigne refusaient toutes les cartes bancaires.",
    "Mercredi, le tri du courrier est resté à l'arrêt dans le centre de Rennes : le logiciel a cessé de répondre.",
    "Les abonnés de la mutuelle ne peuvent plus consulter leurs remboursements en ligne.",
    "Jeudi, les voyageurs n'ont pas pu acheter leurs billets sur l'application.",
    "Samedi, les codes de confirmation envoyés par SMS n'arrivaient plus chez les clients.",
    "Samedi, des milliers de paiements en ligne ont échoué faute de code.",
    "Dimanche, les portiques de la station refusaient les forfaits des skieurs.",
    "Dimanche, des conducteurs n'ont pas pu recharger leur voiture sur l'autoroute.",
    "Lundi, la plateforme de supervision de l'opérateur est tombée en panne.",
    "Jeudi, la mairie a été victime d'une intrusion dans son système informatique.",
])
def test_ways_of_saying_a_service_stopped_are_incident_sentences(run, sentence: str) -> None:
    assert [s.kind for s in run(sentence)._.sent_scopes] == ["incident"]


@pytest.mark.parametrize("sentence, kind", [
    ("Tout était rentré dans l'ordre dimanche matin, selon l'hébergeur.", "incident"),
    ("Le courant est revenu vers 23 heures dans la plupart des quartiers.", "incident"),
    # a future or a conditional inability is a forecast, not an event
    ("Les clients ne pourront plus payer par carte.", "hypothetical"),
    ("Des pannes de ce type peuvent bloquer l'accès aux comptes.", "hypothetical"),
    ("Le colis est arrivé lundi chez le client.", "other"),
    ("Le projet de fusion a échoué faute de financement.", "other"),
    # "sans" before another word does not say the service stopped
    ("La nouvelle box fonctionne sans fil et sans abonnement.", "other"),
])
def test_restoration_and_modal_sentences(run, sentence: str, kind: str) -> None:
    assert [s.kind for s in run(sentence)._.sent_scopes] == [kind]


def test_a_spared_competitor_does_not_deny_the_outage(run) -> None:
    text = ("Internet coupé pour les clients de l'opérateur Fibronet\n\n"
            "Lundi, les clients de Fibronet ont été privés d'internet pendant trois heures. "
            "L'opérateur a reconnu une erreur de configuration. "
            "Chez son concurrent Câblonord, aucun incident n'a été signalé.")
    assert run(text, published="2025-03-04")._.outage.is_outage
    denied = text.replace("Chez son concurrent Câblonord, aucun", "Chez Fibronet, aucun")
    assert run(denied, published="2025-03-04")._.outage.features["penalty"] >= 1.0
