"""Editors' corrections as training gold: `pannes train --with-corrections DB`.

An article an editor corrected (a field of the article, or a field of its incident: vendors,
affected organisations, impact, cause, region, outage or not) becomes a gold article: its
machine tags with the corrections laid over them, as the dashboard shows them. A newsroom's
tagger thus learns from its own edits.
"""

from __future__ import annotations

from pathlib import Path

from pannes.errors import UserInputError
from pannes.incidents.fields import apply_to_tags
from pannes.incidents.overlay import corrected, load_corrections
from pannes.nlp.goldsets import GoldItem

# Incident fields that say something about each of the incident's articles.
INCIDENT_FIELDS = frozenset({"vendors", "affected", "impact", "cause", "region", "is_outage"})


def corrected_gold(db: Path) -> list[GoldItem]:
    """The corrected articles of a pannes database, as gold items."""
    from pannes.store import open_store

    if not Path(db).is_file():
        raise UserInputError(f"Database not found: {db}")
    store = open_store(db, create=False)
    try:
        corrections = load_corrections(store)
        by_article = {a: list(cs) for a, cs in corrections.article_fields.items()}
        for incident_id, fields in corrections.incident_fields.items():
            useful = [c for c in fields if c.field in INCIDENT_FIELDS]
            if not useful:
                continue
            incident = store.get_incident(incident_id)
            for article_id in (incident.article_ids if incident is not None else []):
                by_article.setdefault(int(article_id), []).extend(useful)
        items = []
        for article_id, fixes in sorted(by_article.items()):
            article, tags = store.get_article(article_id), store.get_tags(article_id)
            if article is None or tags is None:
                continue
            gold_tags = corrected(tags, [c for c in fixes if c.target == "article"])
            for c in fixes:
                if c.target != "article":
                    apply_to_tags(gold_tags, c.field, c.value)
            gold = gold_tags.to_dict()
            gold.update({"source": article.source, "title": article.title,
                         "incident_id": f"db-incident-{store.incident_of_article(article_id) or article_id}"})
            published = article.published.isoformat()[:10] if article.published else None
            items.append(GoldItem(f"correction-{article_id}", article.text, article.title, published,
                                  gold, article.language))
        return items
    finally:
        store.close()
