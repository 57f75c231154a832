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


# ---------------------------------------------------------------- organisations named as hit


def test_a_client_named_in_apposition_is_affected(run) -> None:
    text = ("Une panne du réseau d'Orange a coupé jeudi les appels dans l'Ouest pendant quatre heures. "
            "Kosc, client d'Orange sur ces lignes, a confirmé l'incident. SFR n'a rien signalé.")
    roles = run(text)._.roles
    assert roles.vendors == ["Orange"]
    assert roles.affected == ["Kosc"]
    assert roles.competitors == ["SFR"]


def test_clients_listed_after_dont_are_affected_competitors_are_not(run) -> None:
    text = ("Une panne du réseau fixe de SFR a privé d'internet mardi de nombreuses entreprises. "
            "Ses clients professionnels, dont Airbus et EDF, attendent un geste commercial. "
            "Ses concurrents, dont Bouygues Telecom, ne sont pas concernés.")
    roles = run(text)._.roles
    assert roles.vendors == ["SFR"]
    assert sorted(roles.affected) == ["Airbus", "EDF"]
    assert roles.competitors == ["Bouygues Telecom"]


def test_bodies_listed_after_parmi_lesquels_are_affected(run) -> None:
    text = ("Une panne du réseau d'Orange a coupé jeudi internet dans l'Ouest pendant cinq heures. "
            "Les services publics concernés, parmi lesquels l'Urssaf et France Travail, "
            "ont fermé leurs guichets en ligne.")
    roles = run(text)._.roles
    assert roles.vendors == ["Orange"]
    assert sorted(roles.affected) == ["France Travail", "Urssaf"]


def test_firms_named_as_the_vendors_peers_are_not_a_list_of_victims(run) -> None:
    text = ("Le prestataire GLI, qui gère les abonnés du Figaro, est en panne depuis dimanche. "
            "GLI évolue sur ce marché aux côtés de sociétés comme Arvato et WDM.")
    roles = run(text)._.roles
    assert roles.vendors == ["GLI"]
    assert roles.affected == ["Le Figaro"]


def test_what_happened_at_a_fronted_place_makes_it_affected(run) -> None:
    text = ("L'Assurance maladie compte 80 000 agents. "
            "Une panne du réseau d'Orange a coupé mardi la messagerie de nombreuses administrations. "
            "À l'Assurance maladie, les agents ont travaillé sur papier toute la matinée.")
    roles = run(text)._.roles
    assert roles.vendors == ["Orange"]
    assert roles.affected == ["Assurance maladie"]
    assert roles.evidence["affected"] == ["À l'Assurance maladie, les agents ont travaillé sur papier toute la matinée."]


def test_an_analysts_employer_at_a_fronted_place_is_not_affected(run) -> None:
    text = ("Une panne des serveurs d'OVHcloud a rendu inaccessibles mardi des milliers de sites. "
            "Pour Jean Martin, consultant chez Capgemini, l'incident rappelle la fragilité du secteur.")
    roles = run(text)._.roles
    assert roles.vendors == ["OVHcloud"]
    assert roles.affected == []


def test_an_organisation_forced_to_act_is_affected_one_unreachable_is_not(run) -> None:
    text = ("Une panne du réseau de SFR a coupé lundi internet dans le Nord pendant six heures. "
            "La Poste a dû fermer une partie de ses bureaux. L'Urssaf n'a pas pu traiter les demandes. "
            "Contactée, la Caisse d'allocations familiales n'a pas pu être jointe.")
    roles = run(text)._.roles
    assert roles.vendors == ["SFR"]
    assert sorted(roles.affected) == ["La Poste", "Urssaf"]


def test_an_organisation_counting_its_losses_is_affected(run) -> None:
    text = ("Une panne du réseau d'Orange a coupé jeudi internet à Paris pendant cinq heures. "
            "Le Monde estime avoir perdu 200 000 euros de recettes publicitaires.")
    roles = run(text)._.roles
    assert roles.vendors == ["Orange"]
    assert roles.affected == ["Le Monde"]


def test_a_clause_in_si_tells_no_loss(run) -> None:
    text = ("Une panne du réseau de SFR a coupé jeudi internet à Lyon pendant cinq heures. "
            "Si la SNCF estime ses pertes quand ses trains sont en retard, SFR ne doit rien à ses abonnés.")
    roles = run(text)._.roles
    assert roles.vendors == ["SFR"]
    assert roles.affected == []


def test_people_of_an_organisation_hit_by_the_failure_make_it_affected(run) -> None:
    text = ("Une panne du réseau d'Orange a coupé jeudi internet dans le Nord pendant cinq heures. "
            "La messagerie des agents de l'Urssaf est restée coupée toute la matinée.")
    roles = run(text)._.roles
    assert roles.vendors == ["Orange"]
    assert roles.affected == ["Urssaf"]


def test_coordinated_users_of_the_vendors_network_are_affected(run) -> None:
    text = ("Une panne du réseau de SFR a coupé mardi internet dans la région pendant trois heures. "
            "Kosc et Covage, deux opérateurs qui louent le réseau de SFR dans la région, "
            "ont confirmé l'incident.")
    roles = run(text)._.roles
    assert roles.vendors == ["SFR"]
    assert sorted(roles.affected) == ["Covage", "Kosc"]


def test_a_provider_named_after_its_adjective_is_the_vendor(run) -> None:
    text = ("Les clients du Crédit Agricole n'ont pas pu se connecter mardi à leur application. "
            "Selon la banque, les difficultés proviennent de son prestataire informatique, Atos.")
    roles = run(text)._.roles
    assert roles.vendors == ["Atos"]
    assert roles.affected == ["Crédit Agricole"]


def test_a_provider_revealed_after_a_colon_is_not_a_quoted_source(run) -> None:
    text = ("Des milliers de lecteurs ne reçoivent plus leur journal depuis dimanche, victimes d'une panne "
            "chez un prestataire dont ils n'avaient jamais entendu parler : GLI. "
            "Les lecteurs du Figaro, eux, attendent.")
    roles = run(text)._.roles
    assert roles.vendors == ["GLI"]
    assert roles.affected == ["Le Figaro"]


def test_a_channel_where_the_screen_went_black_is_affected_not_a_source(run) -> None:
    text = "Écran noir sur France 3 : la diffusion coupée samedi soir par une panne chez TDF."
    roles = run(text)._.roles
    assert roles.vendors == ["TDF"]
    assert roles.affected == ["France 3"]


def test_publishers_given_as_examples_are_not_providers(run) -> None:
    text = ("Une panne chez GLI prive depuis dimanche les journaux de leurs fichiers d'abonnés. "
            "En attendant, les éditeurs comme Le Monde ou Libération travaillent sur des tableurs.")
    roles = run(text)._.roles
    assert roles.vendors == ["GLI"]
    assert sorted(roles.affected) == ["Le Monde", "Libération"]


def test_an_organisation_opening_a_failure_headline_is_affected(run) -> None:
    text = ("France Travail : le site en panne à cause d'un incident chez Worldline\n\n"
            "Une panne chez Worldline a interrompu mardi les paiements en ligne pendant quatre heures.")
    roles = run(text)._.roles
    assert roles.vendors == ["Worldline"]
    assert roles.affected == ["France Travail"]


def test_services_of_an_organisation_down_in_the_failure_make_it_affected(run) -> None:
    text = ("Une panne du réseau d'Orange a coupé mardi internet dans toute la région pendant six heures. "
            "Les services en ligne de l'Urssaf sont restés inaccessibles après la panne.")
    roles = run(text)._.roles
    assert roles.vendors == ["Orange"]
    assert roles.affected == ["Urssaf"]


def test_a_public_body_asking_a_payment_provider_questions_is_not_affected(run) -> None:
    text = ("Une panne chez Worldline a bloqué samedi les paiements par carte pendant trois heures. "
            "La Banque de France, de son côté, a demandé à être informée des conclusions de l'enquête.")
    roles = run(text)._.roles
    assert roles.vendors == ["Worldline"]
    assert roles.affected == []


def test_a_client_quoted_once_among_other_mentions_stays_affected(run) -> None:
    text = ("Une panne des serveurs d'OVHcloud a coupé mardi des milliers de sites pendant cinq heures. "
            "Les fichiers d'Oodrive sont restés inaccessibles pendant l'incident. "
            "« Nous attendons des explications », a déclaré Oodrive.")
    roles = run(text)._.roles
    assert roles.vendors == ["OVHcloud"]
    assert roles.affected == ["Oodrive"]


def test_an_acronym_in_brackets_is_quoted_with_the_name_it_follows(run) -> None:
    text = ("Une panne chez Cloudflare a rendu inaccessibles mardi des milliers de sites pendant deux heures. "
            "Pour Jean Martin, consultant chez Amazon Web Services (AWS), l'incident rappelle la fragilité "
            "du secteur.")
    roles = run(text)._.roles
    assert roles.vendors == ["Cloudflare"]
    assert roles.affected == []


def test_a_rival_denying_or_looking_on_is_a_competitor(run) -> None:
    text = ("Une panne du réseau d'Orange a coupé mardi internet pendant cinq heures. "
            "SFR a dû démentir toute panne sur son réseau. "
            "Chez Bouygues Telecom, on observe la situation avec attention.")
    roles = run(text)._.roles
    assert roles.vendors == ["Orange"]
    assert roles.affected == []
    assert sorted(roles.competitors) == ["Bouygues Telecom", "SFR"]


def test_a_peer_where_something_could_not_be_done_is_affected(run) -> None:
    text = ("Une panne du réseau d'Orange a coupé mardi internet pendant cinq heures. "
            "Chez Free, les conseillers n'ont pas pu ouvrir les dossiers des abonnés mardi.")
    roles = run(text)._.roles
    assert roles.vendors == ["Orange"]
    assert roles.affected == ["Free"]


def test_places_named_together_before_a_consequence_are_hit(run) -> None:
    doc = run("Vendredi, une panne du prestataire Worldline a bloqué les paiements par carte. "
              "Chez Carrefour et chez Zolvex, des files d'attente se sont formées devant les caisses.")
    assert doc._.roles.vendors == ["Worldline"]
    assert sorted(doc._.roles.affected) == ["Carrefour", "Zolvex"]


def test_a_group_quoted_with_selon_is_a_source(run) -> None:
    doc = run("Lundi, une panne du système d'enregistrement fourni par Amadeus a empêché la compagnie "
              "Air France d'enregistrer ses passagers. Amadeus a reconnu l'incident. Le trafic était revenu à la normale en fin de matinée, selon le groupe Aéroports de Paris.")
    assert doc._.roles.vendors == ["Amadeus"]
    assert "Aéroports de Paris" not in doc._.roles.affected
    assert "Aéroports de Paris" in doc._.roles.sources


def test_a_list_of_clients_under_a_denied_modal_is_affected(run) -> None:
    text = ("Depuis une semaine, les auditeurs de RTL, de Europe 1 et de Chérie FM ne peuvent plus écouter leurs "
            "programmes en ligne : impossible de lancer le direct ou de réécouter une émission. En cause, la "
            "plateforme de diffusion de Towercast, le prestataire qui gère les flux des stations, hors service "
            "depuis une panne de serveur.")
    roles = run(text, published="2024-05-08")._.roles
    assert roles.vendors == ["Towercast"]
    assert sorted(roles.affected) == ["Europe 1", "RTL"]


def test_clients_who_will_not_be_able_to_listen_if_it_fails_are_not_affected(run) -> None:
    text = ("La plateforme de diffusion de Towercast est en panne depuis ce matin. Si la coupure se prolonge, "
            "les auditeurs de RTL et de Europe 1 ne pourront plus écouter leurs programmes en ligne.")
    roles = run(text, published="2024-05-08")._.roles
    assert roles.vendors == ["Towercast"]
    assert roles.affected == []


def test_described_clients_coordinated_before_tous_deux_clients_de_are_affected(run) -> None:
    text = ("Une panne du cloud de Scaleway a coupé mardi pendant trois heures de nombreux services en ligne. "
            "Le site de vente en ligne Brocantix et l'application de covoiturage Rouleo, tous deux clients de "
            "Scaleway, ont dû afficher une page d'erreur.")
    roles = run(text, published="2024-05-08")._.roles
    assert roles.vendors == ["Scaleway"]
    assert sorted(roles.affected) == ["Brocantix", "Rouleo"]


def test_every_name_listed_after_a_plural_role_noun_shares_the_role(run) -> None:
    text = ("Une panne du système d'enregistrement fourni par Amadeus a empêché lundi pendant deux heures les "
            "compagnies Air France et Skyvia d'enregistrer leurs passagers.")
    roles = run(text, published="2024-05-08")._.roles
    assert roles.vendors == ["Amadeus"]
    assert sorted(roles.affected) == ["Air France", "Skyvia"]


def test_a_place_after_a_described_role_noun_is_not_an_organisation(run) -> None:
    doc = run("Le réseau de bus de Lyon a été perturbé lundi par une panne de la billettique.")
    assert "Lyon" not in {m.name for m in doc._.orgs}


def test_riders_of_networks_using_a_failed_ticketing_firm_are_affected(run) -> None:
    text = ("Les usagers de Bustéo et de Marelia n'ont pas pu acheter leurs titres lundi pendant dix heures. "
            "Les deux réseaux utilisent la billettique de Validix, dont les serveurs sont tombés en panne.")
    roles = run(text)._.roles
    assert roles.vendors == ["Validix"]
    assert sorted(roles.affected) == ["Bustéo", "Marelia"]


def test_firms_that_cancelled_or_postponed_because_of_the_failure_are_affected(run) -> None:
    text = ("Une panne du logiciel d'enregistrement fourni par Checkinor a paralysé mardi l'aéroport de Nantes "
            "pendant cinq heures. La compagnie Air Iroise a annulé huit vols et la compagnie Brumair a reporté "
            "ses départs du soir.")
    roles = run(text)._.roles
    assert roles.vendors == ["Checkinor"]
    assert sorted(roles.affected) == ["Air Iroise", "Brumair"]


def test_a_firm_whose_mail_is_hosted_by_the_vendor_is_affected(run) -> None:
    text = ("Une panne chez l'hébergeur Courrielo a coupé jeudi les messageries de centaines d'entreprises. "
            "Le cabinet d'architectes Volumes Clairs, dont la messagerie est hébergée par Courrielo, "
            "a perdu une journée de travail.")
    roles = run(text)._.roles
    assert roles.vendors == ["Courrielo"]
    assert roles.affected == ["Volumes Clairs"]


def test_a_firm_coordinated_after_a_relative_clause_shares_the_first_ones_role(run) -> None:
    text = ("Une panne du réseau de Voltéa a privé d'électricité mardi des milliers d'entreprises pendant six heures. "
            "Parmi les entreprises touchées figurent la Biscuiterie Morvan, dont les fours ont été arrêtés, "
            "et la coopérative Prés du Causse.")
    roles = run(text)._.roles
    assert roles.vendors == ["Voltéa"]
    assert sorted(roles.affected) == ["Biscuiterie Morvan", "Prés du Causse"]


def test_firm_behind_a_service_run_by_a_named_company_is_the_vendor(run) -> None:
    doc = run("Lundi, les péages de l'autoroute sont restés bloqués pendant trois heures. "
              "Le système de péage, exploité par la société Télépéo, ne répondait plus. "
              "Le transporteur Rouliers & Fils, client de Télépéo, a dû retarder ses livraisons.")
    assert doc._.roles.vendors == ["Télépéo"]
    assert "Rouliers & Fils" in doc._.roles.affected
