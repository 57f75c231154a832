"""French wording of the impact and cause taxonomies (ANNOTATION.md), for every French output:
the dashboard, the Atom feed."""

from __future__ import annotations

IMPACT_FR: dict[str, str] = {
    "service_unavailable": "Service indisponible",
    "degraded_service": "Service dégradé",
    "data_loss": "Perte de données",
    "data_inaccessible": "Données inaccessibles",
    "data_breach": "Fuite de données",
    "email_messaging": "Messagerie",
    "telephony_mobile": "Téléphonie, mobile",
    "internet_access": "Accès à Internet",
    "payment_billing": "Paiement, facturation",
    "subscriptions_customers": "Abonnements, clients",
    "website_down": "Site web inaccessible",
    "broadcast_interruption": "Interruption de diffusion",
    "transport_operations": "Transports",
    "health_services": "Santé",
    "public_services": "Services publics",
    "other": "Autre",
}

CAUSE_FR: dict[str, str] = {
    "hardware": "Matériel",
    "software_bug": "Bogue logiciel",
    "configuration_change": "Changement de configuration",
    "cyberattack": "Cyberattaque",
    "ransomware": "Rançongiciel",
    "ddos": "Déni de service (DDoS)",
    "power": "Alimentation électrique",
    "fire_disaster": "Incendie, sinistre",
    "network": "Réseau",
    "human_error": "Erreur humaine",
    "third_party": "Prestataire tiers",
    "unknown": "Inconnue",
}

UNKNOWN = "—"


def impact_fr(label: str) -> str:
    return IMPACT_FR.get(label, label)


def cause_fr(label: str | None) -> str:
    if not label:
        return UNKNOWN
    return CAUSE_FR.get(label, label)
