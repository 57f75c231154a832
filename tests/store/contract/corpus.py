"""A small French corpus written for the search contract: articles, tags, incidents.

Every text is invented for these tests. Words are placed on purpose: "coupure" only in the
Nuvola story, "défaillance(s)" only in two, "incendie" in one title and one body, etc.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pannes.records import Article, Duration, Incident, Tags

SOURCES = ("Octet Hebdo", "Le Réseau Libre", "Numérique Matin")

# key: (source, published, title, text, tags or None)
ARTICLES: dict[str, tuple[str, date | None, str, str, dict[str, Any] | None]] = {
    "orange_panne": (
        "Octet Hebdo", date(2024, 3, 4),
        "Panne géante chez Orange : des millions d'abonnés privés d'internet",
        "Lundi soir, une panne géante a privé d'internet des millions d'abonnés d'Orange en "
        "Île-de-France et dans le Nord. L'opérateur évoque la défaillance d'un équipement de "
        "routage dans un de ses cœurs de réseau. Le service a été rétabli dans la nuit, après "
        "près de six heures d'interruption.",
        {"vendors": ["Orange"], "impact": ["internet_access"], "cause": "hardware",
         "hours": (4, 6), "region": ["Île-de-France"]},
    ),
    "nuvola_courant": (
        "Le Réseau Libre", date(2024, 3, 20),
        "Coupure de courant : le centre de données de Nuvola à l'arrêt",
        "Une coupure de courant a mis à l'arrêt le centre de données de l'hébergeur Nuvola "
        "près de Lyon. Les coupures se sont enchaînées pendant la matinée et les serveurs de "
        "centaines de clients sont restés inaccessibles une dizaine d'heures. Aucun incendie "
        "n'a été signalé, précise l'entreprise.",
        {"vendors": ["Nuvola"], "impact": ["service_unavailable", "website_down"],
         "cause": "power", "hours": (10, 12)},
    ),
    "sfr_mobile": (
        "Numérique Matin", date(2024, 4, 2),
        "SFR : les pannes de téléphonie mobile se multiplient",
        "Troisième incident en un mois pour SFR : les pannes du réseau mobile ont empêché des "
        "abonnés de passer des appels pendant plusieurs heures mardi. L'opérateur met en cause "
        "un problème de signalisation sur son réseau.",
        {"vendors": ["SFR"], "impact": ["telephony_mobile"], "cause": "network",
         "hours": (2, 12)},
    ),
    "valdor_hopital": (
        "Octet Hebdo", date(2024, 5, 10),
        "Cyberattaque contre l'hôpital de Valdor : les urgences perturbées",
        "L'hôpital de Valdor a été visé par un rançongiciel dans la nuit de jeudi. Les "
        "urgences fonctionnent en mode dégradé, sur papier, et les rendez-vous sont reportés. "
        "La direction estime qu'il faudra plusieurs jours pour tout remettre en service.",
        {"vendors": [], "affected": ["Hôpital de Valdor"], "impact": ["health_services"],
         "cause": "ransomware", "hours": (72, 120)},
    ),
    "banques_analyse": (
        "Le Réseau Libre", date(2024, 5, 15),
        "Les défaillances informatiques coûtent cher aux banques",
        "Selon une étude publiée mercredi, les défaillances des systèmes de paiement ont coûté "
        "plusieurs millions d'euros aux banques européennes l'an dernier. Les auteurs "
        "recommandent de tester plus souvent les plans de reprise.",
        {"is_outage": False},
    ),
    "orange_retabli": (
        "Numérique Matin", date(2024, 3, 5),
        "Orange rétablit son réseau après la panne de la nuit",
        "Au lendemain de la panne, Orange affirme que tous les abonnés ont retrouvé internet. "
        "L'opérateur promet un rapport détaillé sur l'équipement défectueux.",
        {"vendors": ["Orange"], "impact": ["internet_access"], "cause": "hardware",
         "hours": (4, 6)},
    ),
    "monetia_caisse": (
        "Octet Hebdo", date(2024, 6, 1),
        "Mise à jour ratée : le logiciel de caisse de Monétia paralysé",
        "Une mise à jour du logiciel de caisse de Monétia a bloqué les paiements par carte "
        "dans des centaines de magasins samedi matin pendant trois heures. L'éditeur a retiré "
        "la version fautive et présenté ses excuses.",
        {"vendors": ["Monétia"], "impact": ["payment_billing"], "cause": "software_bug",
         "hours": (3, 3)},
    ),
    "missivo_lancement": (
        "Numérique Matin", date(2024, 6, 3),
        "Lancement réussi pour la nouvelle messagerie de Missivo",
        "Missivo a lancé lundi sa nouvelle messagerie chiffrée, sans interruption pour les "
        "utilisateurs existants. Les inscriptions dépassent les prévisions.",
        {"is_outage": False},
    ),
    "ovh_incendie": (
        "Le Réseau Libre", date(2024, 7, 8),
        "Incendie dans un centre de données : OVHcloud compte les dégâts",
        "Un incendie a détruit une salle du centre de données d'OVHcloud à Strasbourg. Des "
        "milliers de sites sont hors ligne et certains clients sans sauvegardes ont perdu "
        "leurs fichiers. La reprise complète prendra une à deux semaines.",
        {"vendors": ["OVHcloud"], "impact": ["data_loss", "service_unavailable"],
         "cause": "fire_disaster", "hours": (168, 240)},
    ),
    "missivo_interruption": (
        "Octet Hebdo", date(2024, 7, 20),
        "Courte interruption de la messagerie chez Missivo",
        "La messagerie de Missivo a été indisponible une demi-heure vendredi après un "
        "changement de configuration, le temps de revenir à la version précédente.",
        {"vendors": ["Missivo"], "impact": ["email_messaging"], "cause": "configuration_change",
         "hours": (0.5, 0.5)},
    ),
    "ministeres_ddos": (
        "Numérique Matin", date(2024, 8, 12),
        "Attaque DDoS : les sites des ministères inaccessibles",
        "Une attaque par déni de service a rendu inaccessibles les sites de plusieurs "
        "ministères pendant sept heures. Un groupe de pirates a revendiqué l'opération.",
        {"vendors": [], "affected": ["Ministère de l'Intérieur"],
         "impact": ["public_services", "website_down"], "cause": "ddos", "hours": (6, 8)},
    ),
    "chronique_reseaux": (
        "Le Réseau Libre", None,
        "Chronique : pourquoi nos réseaux sont si fragiles",
        "Chaque panne rappelle la même leçon : nos infrastructures numériques reposent sur "
        "quelques maillons dont la fragilité est connue depuis longtemps.",
        {"is_outage": False},
    ),
}

INCIDENTS: dict[str, tuple[str, list[str], dict[str, Any]]] = {
    "inc-orange": ("Panne Orange de mars 2024", ["orange_panne", "orange_retabli"],
                   {"vendors": ["Orange"], "impact": ["internet_access"], "cause": "hardware",
                    "start": date(2024, 3, 4), "end": date(2024, 3, 5), "hours": (4, 6)}),
    "inc-nuvola": ("Coupure électrique chez Nuvola", ["nuvola_courant"],
                   {"vendors": ["Nuvola"], "impact": ["service_unavailable"], "cause": "power",
                    "start": date(2024, 3, 20), "end": date(2024, 3, 20), "hours": (10, 12)}),
    "inc-ovh": ("Incendie du centre de données OVHcloud", ["ovh_incendie"],
                {"vendors": ["OVHcloud"], "impact": ["data_loss"], "cause": "fire_disaster",
                 "start": date(2024, 7, 8), "end": date(2024, 7, 18), "hours": (168, 240)}),
    "inc-valdor": ("Cyberattaque contre l'hôpital de Valdor", ["valdor_hopital"],
                   {"affected": ["Hôpital de Valdor"], "impact": ["health_services"],
                    "cause": "ransomware", "start": date(2024, 5, 10), "end": None,
                    "hours": (72, 120)}),
}


def _tags(spec: dict[str, Any]) -> Tags:
    low, high = spec.get("hours", (None, None))
    return Tags(
        is_outage=spec.get("is_outage", True), outage_score=1.0,
        vendors=list(spec.get("vendors", [])), affected=list(spec.get("affected", [])),
        impact=list(spec.get("impact", [])), cause=spec.get("cause"),
        duration=Duration(hours_min=low, hours_max=high), region=list(spec.get("region", [])),
        pipeline_version="contract",
    )


def fill(store) -> dict[str, str]:
    """Put the corpus in a store; returns corpus key -> document id (articles and incidents)."""
    ids: dict[str, str] = {}
    for key, (source, published, title, text, tags) in ARTICLES.items():
        result = store.upsert_article(Article(
            url=f"https://contrat.example.fr/{key}", source=source, title=title, text=text,
            published=published, language="fr"))
        ids[key] = str(result.article_id)
        if tags is not None:
            store.save_tags(result.article_id, result.version, _tags(tags))
    for key, (title, members, spec) in INCIDENTS.items():
        low, high = spec.get("hours", (None, None))
        store.save_incident(Incident(
            id=key, title=title, vendors=list(spec.get("vendors", [])),
            affected=list(spec.get("affected", [])), impact=list(spec.get("impact", [])),
            cause=spec.get("cause"), start=spec.get("start"), end=spec.get("end"),
            duration=Duration(hours_min=low, hours_max=high),
            article_ids=[int(ids[m]) for m in members]))
        ids[key] = key
    return ids
