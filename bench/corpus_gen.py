"""A synthetic French press corpus at any size, for search benchmarks (100k, 1M articles).

Outage stories (an event reported by 1 to 4 outlets over a few days, with vendor, cause,
impact and duration tags) mixed with ordinary tech news, including the figurative "panne"
("panne de croissance") that makes search hard. Sentences come from templates written here
plus a Zipf-distributed vocabulary of real and French-shaped words, so the index sees a
realistic number of distinct terms. Deterministic for a given seed.

    python -m bench.corpus_gen --size 1000 --out /tmp/corpus.jsonl
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pannes.records import Article, Duration, Tags

CITIES = """Paris Lyon Marseille Toulouse Nice Nantes Strasbourg Montpellier Bordeaux Lille Rennes
Reims Toulon Grenoble Dijon Angers Nîmes Brest Limoges Tours Amiens Perpignan Metz Besançon
Orléans Rouen Mulhouse Caen Nancy Avignon Poitiers Pau Calais Cannes Ajaccio Bayonne Quimper
Valence Troyes Chambéry Lorient Niort Vannes Cholet Colmar Annecy Béziers Saint-Étienne
Clermont-Ferrand Le Havre""".split()

REGIONS = ["Île-de-France", "Bretagne", "Normandie", "Occitanie", "Grand Est", "Hauts-de-France",
           "Nouvelle-Aquitaine", "Auvergne-Rhône-Alpes", "Provence-Alpes-Côte d'Azur",
           "Pays de la Loire", "Centre-Val de Loire", "Bourgogne-Franche-Comté", "Corse"]

_SYL = "ka ter mo vi lu na dex sol pra cor ul tel mis bra fen ory ax qua ven zo ni cel dor".split()
_ENDS = ["net", "cloud", "com", "fibre", "data", "pay", "soft", "link", "box", "tel"]
_KINDS = ["", "", " Télécom", " Systèmes", " Banque", " Énergie", " Santé", " Cloud"]

SOURCES = ["Octet Hebdo", "Le Réseau Libre", "Numérique Matin", "Les Échos du Code",
           "Courrier Tech", "La Gazette des Serveurs", "Silicium Quotidien", "Infos Réseaux",
           "Le Journal des Données", "Ondes et Câbles", "Le Moniteur Numérique",
           "Télécoms Actu", "L'Observateur IT", "Datacenter Mag", "Le Fil Cyber",
           "Cybersécurité Hebdo", "Le Petit Ingénieur", "Régions Connectées", "Ouest Numérique",
           "Sud Tech", "Le Monde du Cloud", "Paiements & Co", "Santé Connectée",
           "Le Rail Numérique", "Médias Demain", "L'Hebdo des DSI", "Tech en Région",
           "Le Quotidien des Réseaux", "Bits et Octets", "L'Écho des Pannes"]

IMPACTS: dict[str, list[str]] = {
    "service_unavailable": ["le service est resté totalement indisponible",
                            "la plateforme était inaccessible pour tous les clients"],
    "degraded_service": ["le service a fonctionné en mode dégradé",
                         "des lenteurs importantes ont été signalées"],
    "data_loss": ["des données ont été définitivement perdues",
                  "certaines sauvegardes ont été détruites"],
    "data_inaccessible": ["les fichiers des clients sont restés inaccessibles"],
    "data_breach": ["des données personnelles ont été dérobées"],
    "email_messaging": ["la messagerie ne distribuait plus les courriels",
                        "les courriels restaient bloqués"],
    "telephony_mobile": ["les abonnés ne pouvaient plus passer d'appels",
                         "le réseau mobile était saturé"],
    "internet_access": ["des milliers d'abonnés ont été privés d'internet",
                        "les box ne se connectaient plus"],
    "payment_billing": ["les paiements par carte ont été refusés",
                        "la facturation a été suspendue"],
    "subscriptions_customers": ["l'espace client est resté fermé"],
    "website_down": ["le site web affichait une page d'erreur", "le site était hors ligne"],
    "broadcast_interruption": ["la diffusion des programmes a été interrompue"],
    "transport_operations": ["des trains ont été retardés", "l'embarquement a été suspendu"],
    "health_services": ["les urgences ont basculé en mode dégradé",
                        "les rendez-vous médicaux ont été reportés"],
    "public_services": ["les démarches en ligne étaient impossibles"],
}

CAUSES: dict[str, list[str]] = {
    "hardware": ["la défaillance d'un équipement de routage", "la panne d'un disque"],
    "software_bug": ["un bogue logiciel", "une anomalie dans le logiciel de gestion"],
    "configuration_change": ["une erreur de configuration", "un changement de configuration"],
    "cyberattack": ["une cyberattaque", "une intrusion informatique"],
    "ransomware": ["un rançongiciel", "une attaque par rançongiciel"],
    "ddos": ["une attaque par déni de service", "une attaque DDoS"],
    "power": ["une coupure de courant", "une panne d'électricité"],
    "fire_disaster": ["un incendie", "une inondation du local technique"],
    "network": ["un incident sur le réseau", "la coupure d'une fibre optique"],
    "human_error": ["une erreur humaine", "une mauvaise manipulation"],
    "third_party": ["la panne d'un prestataire", "la défaillance d'un fournisseur"],
    "unknown": ["une cause encore inconnue"],
}

DURATIONS = [("quelques minutes", 0.03, 0.25), ("une demi-heure", 0.5, 0.5),
             ("deux heures", 2, 2), ("quelques heures", 2, 6), ("plusieurs heures", 2, 12),
             ("une demi-journée", 4, 6), ("toute la journée", 8, 24), ("48 heures", 48, 48),
             ("quelques jours", 48, 120), ("plusieurs jours", 48, 240), ("une semaine", 168, 168)]

TITLES = [
    "Panne géante chez {vendor} : {impact}",
    "{vendor} : {duration} de panne pour les clients",
    "Coupure chez {vendor}, {city} particulièrement touchée",
    "{Cause} paralyse {vendor}",
    "Les services de {vendor} perturbés en {region}",
    "{vendor} victime de {cause}",
    "Incident chez {vendor} : le point sur la situation",
    "{vendor} rétablit ses services après {duration} d'interruption",
    "Nouvelle défaillance pour {vendor}",
    "{affected} à l'arrêt après une panne chez {vendor}",
]

NEWS_TITLES = [
    "{vendor} annonce de nouvelles offres pour les entreprises",
    "{vendor} : un chiffre d'affaires en hausse au troisième trimestre",
    "Panne de croissance pour le marché du {noun}",
    "Le {noun} au cœur de la stratégie de {vendor}",
    "{vendor} recrute deux cents ingénieurs à {city}",
    "Comment {vendor} veut conquérir le marché du {noun}",
    "Guide : bien choisir son {noun} en {year}",
    "Exercice de crise réussi pour {affected}",
]

OUTAGE_SENTENCES = [
    "Selon {vendor}, l'incident est dû à {cause}.",
    "Depuis {weekday} matin, {impact}.",
    "La panne a duré {duration}, précise l'entreprise.",
    "{affected} fait partie des clients touchés.",
    "Les signalements se sont multipliés à {city} et en {region}.",
    "L'opérateur présente ses excuses à ses abonnés.",
    "Les équipes techniques sont intervenues dans la nuit pour rétablir le service.",
    "Un rapport détaillé sur la défaillance sera publié dans les prochains jours.",
    "Les coupures ont touché plusieurs centaines d'entreprises.",
    "Le service a été progressivement rétabli en fin de journée.",
]

NEWS_SENTENCES = [
    "{vendor} mise sur le {noun} pour accélérer sa croissance.",
    "Les analystes saluent une stratégie cohérente mais s'interrogent sur le {noun}.",
    "Le lancement s'est déroulé sans interruption, assure la direction.",
    "La concurrence reste vive à {city} comme dans le reste de la {region_fem}.",
]

NOUNS = """réseau serveur logiciel système plateforme service client abonné opérateur hébergeur
fournisseur équipement infrastructure centre données sauvegarde messagerie application site
paiement terminal antenne fibre câble routeur entreprise direction équipe rapport incident
marché secteur projet budget contrat ministère hôpital mairie banque gare aéroport usager
utilisateur technicien ingénieur stratégie offre produit migration transition sécurité
protocole interface capteur algorithme processeur composant stockage calcul débit""".split()
VERBS = """annonce confirme explique précise affirme estime prévoit indique reconnaît déplore
assure rappelle souligne observe constate signale promet envisage prépare analyse""".split()
ADJS = """important nouveau récent majeur technique numérique national régional complet
partiel progressif rapide lent fragile robuste critique ancien moderne principal""".split()
ADVS = """désormais rapidement finalement toujours encore largement plutôt notamment
aujourd'hui également""".split()
WEEKDAYS = "lundi mardi mercredi jeudi vendredi samedi dimanche".split()
_ROOTS = """administr appl automat calcul certif communic compt connect constru contr coordin
cré déploi développ diffus distribu document équip évalu exploit factur fin form gest
hébergeur inform install intégr interconnect maint mesur migr modern modul mutualis
numéris optim organis pilot planif produc programm protég raccord réorganis répar
sauvegard sécuris simul stock supervis synchronis transform transmis valid vérif virtualis""".split()
_SUFFIXES = """ation ations ement ements eur eurs euse ité ités ique iques age ages ance ances
able ables iste istes isme al aux ateur atrice er é ée és ées ons ent""".split()
_PREFIXES = ["", "", "", "re", "dé", "pré", "inter", "sur", "sous", "auto", "multi", "co",
             "télé", "cyber", "hyper", "micro", "méta"]


def _lexicon(rng: random.Random, size: int) -> list[str]:
    """French-shaped words (prefix + root + suffix), most frequent first."""
    words = sorted({p + r + s for p in _PREFIXES for r in _ROOTS for s in _SUFFIXES})
    rng.shuffle(words)
    return words[:size]


def _vendors(rng: random.Random, count: int) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        stem = "".join(rng.choice(_SYL) for _ in range(rng.choice((1, 2, 2))))
        name = (stem + rng.choice(_ENDS)).capitalize() if rng.random() < 0.6 else stem.capitalize()
        names.add(name + rng.choice(_KINDS))
    return sorted(names)


@dataclass
class SyntheticArticle:
    """One generated article, its tags and the event it reports (None for ordinary news)."""

    article: Article
    tags: Tags
    event: int | None


class CorpusGenerator:
    """Deterministic generator of French outage and tech-news articles."""

    def __init__(self, seed: int = 7, *, start: date = date(2015, 1, 1),
                 end: date = date(2025, 12, 31), outage_share: float = 0.3,
                 lexicon_size: int = 40_000, filler_pool: int = 200_000) -> None:
        self.rng = random.Random(seed)
        self.start, self.days = start, (end - start).days
        self.outage_share = outage_share
        self.vendors = _vendors(self.rng, 400)
        # A few vendors are in the news far more often than the rest (Zipf-like).
        self.vendor_weights = list(itertools.accumulate(
            1.0 / (rank + 1) ** 0.9 for rank in range(len(self.vendors))))
        self.lexicon = _lexicon(self.rng, lexicon_size)
        self.lexicon_weights = list(itertools.accumulate(
            1.0 / (rank + 1) ** 1.05 for rank in range(len(self.lexicon))))
        # A pool of plain sentences, drawn from for every body (generating each is slow).
        self.fillers = [self._filler() for _ in range(filler_pool)]
        self.affected = ([f"Hôpital de {c}" for c in CITIES] + [f"Mairie de {c}" for c in CITIES]
                         + [f"Aéroport de {c}" for c in CITIES[:20]]
                         + ["Rail Express", "Banque du Centre", "Caisse Régionale", "France Colis",
                            "Assurance Maladie Numérique", "Université de Lyon"])

    # ------------------------------------------------------------------ pieces

    def _vendor(self) -> str:
        return self.rng.choices(self.vendors, cum_weights=self.vendor_weights)[0]

    def _filler(self) -> str:
        """A plain sentence with vocabulary drawn from the Zipf lexicon and a figure."""
        r = self.rng
        rare = r.choices(self.lexicon, cum_weights=self.lexicon_weights, k=3)
        return (f"{r.choice(('Le', 'Ce', 'Un'))} {r.choice(NOUNS)} {r.choice(ADJS)} "
                f"{r.choice(VERBS)} {r.choice(ADVS)} la {rare[0]} du {r.choice(NOUNS)}, "
                f"avec {rare[1]} et {rare[2]} pour {r.randint(2, 99_999)} "
                f"{r.choice(NOUNS)}s {r.choice(ADJS)}s.")

    def _fill(self, template: str, slots: dict[str, str]) -> str:
        text = template.format(**slots)
        return text[0].upper() + text[1:]

    def _body(self, sentences: list[str], slots: dict[str, str]) -> str:
        r = self.rng
        parts = [self._fill(s, slots) for s in sentences]
        parts += r.choices(self.fillers, k=r.randint(12, 30))
        r.shuffle(parts)
        paragraphs = [" ".join(parts[i:i + 4]) for i in range(0, len(parts), 4)]
        return "\n\n".join(paragraphs)

    # ------------------------------------------------------------------ documents

    def _event_articles(self, event: int) -> list[SyntheticArticle]:
        r = self.rng
        vendor = self._vendor()
        cause = r.choice(list(CAUSES))
        impacts = r.sample(list(IMPACTS), r.choice((1, 1, 2)))
        label, low, high = r.choice(DURATIONS)
        start = self.start + timedelta(days=r.randrange(self.days))
        affected = r.sample(self.affected, r.choice((0, 0, 1, 2)))
        city, region = r.choice(CITIES), r.choice(REGIONS)
        tags = Tags(is_outage=True, outage_score=round(r.uniform(0.6, 1.0), 3), vendors=[vendor],
                    affected=affected, impact=impacts, cause=cause,
                    duration=Duration(text=[label], hours_min=low, hours_max=high),
                    start=start, end=start + timedelta(hours=high) if high < 1000 else None,
                    region=[region], pipeline_version="synthetic")
        out = []
        for n, source in enumerate(r.sample(SOURCES, r.choice((1, 1, 2, 3, 4)))):
            slots = {"vendor": vendor, "cause": r.choice(CAUSES[cause]),
                     "impact": r.choice(IMPACTS[impacts[0]]), "duration": label,
                     "city": city, "region": region, "weekday": r.choice(WEEKDAYS),
                     "affected": affected[0] if affected else f"La mairie de {city}"}
            slots["Cause"] = slots["cause"]
            title = self._fill(r.choice(TITLES), slots)
            sentences = r.sample(OUTAGE_SENTENCES, r.randint(4, 8))
            published = start + timedelta(days=n + r.choice((0, 0, 1)))
            out.append(SyntheticArticle(self._article(source, title, self._body(sentences, slots),
                                                      published), tags, event))
        return out

    def _news_article(self) -> SyntheticArticle:
        r = self.rng
        published = self.start + timedelta(days=r.randrange(self.days))
        slots = {"vendor": self._vendor(), "noun": r.choice(NOUNS), "city": r.choice(CITIES),
                 "year": str(published.year), "affected": r.choice(self.affected),
                 "region_fem": "France"}
        title = self._fill(r.choice(NEWS_TITLES), slots)
        body = self._body(r.sample(NEWS_SENTENCES, r.randint(1, 4)), slots)
        tags = Tags(is_outage=False, outage_score=round(r.uniform(0.0, 0.4), 3),
                    vendors=[slots["vendor"]] if r.random() < 0.5 else [],
                    pipeline_version="synthetic")
        return SyntheticArticle(self._article(r.choice(SOURCES), title, body, published), tags, None)

    def _article(self, source: str, title: str, body: str, published: date) -> Article:
        self._serial = getattr(self, "_serial", 0) + 1
        slug = f"{self._serial:08d}"
        host = source.lower().replace(" ", "-").replace("'", "")
        return Article(url=f"https://{host}.example.fr/{published:%Y/%m}/{slug}", source=source,
                       title=title, text=body, published=published, language="fr")

    def generate(self, size: int) -> Iterator[SyntheticArticle]:
        """`size` articles: outage events (1 to 4 articles each) mixed with ordinary news."""
        produced = event = 0
        while produced < size:
            if self.rng.random() < self.outage_share:
                event += 1
                batch = self._event_articles(event)
            else:
                batch = [self._news_article()]
            for item in batch[: size - produced]:
                yield item
                produced += 1


def _as_json(item: SyntheticArticle) -> dict[str, Any]:
    return {"article": item.article.to_dict(), "tags": item.tags.to_dict(), "event": item.event}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default="-", help="JSONL file (default: stdout)")
    args = parser.parse_args(argv)
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")  # noqa: SIM115
    try:
        for item in CorpusGenerator(args.seed).generate(args.size):
            out.write(json.dumps(_as_json(item), ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
