"""The Elasticsearch index template: French analysis, field mappings, index and alias names.

Plain data, no client: the mapping is declared once here and unit-tested without a server.
Search goes through an alias (`<prefix>-articles`, `<prefix>-incidents`) pointing at a
versioned index (`<prefix>-articles-v<N>-<timestamp>`), so a reindex fills a new index and
swaps the alias in one step, and a mapping change only bumps `MAPPING_VERSION`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pannes.store.fts import ELIDED

from pannes.textnorm import STOP_WORDS

MAPPING_VERSION = 3  # 3: `.phrase` sub-fields
KINDS = ("articles", "incidents")

# Analysis chain of the text fields. Elision first ("l'opérateur" -> "opérateur"), then
# lowercase and accent folding so that "defaillance" finds "défaillance", then French stop
# words (the same folded list as pannes.textnorm), then Lucene's light French stemmer
# (plurals and feminines: "pannes" -> "pann", "coupures" -> "coupur").
ANALYSIS: dict[str, Any] = {
    "filter": {
        "pannes_elision": {
            "type": "elision",
            "articles_case": True,
            "articles": sorted(ELIDED),
        },
        "pannes_french_stop": {"type": "stop", "stopwords": sorted(STOP_WORDS)},
        "pannes_french_stemmer": {"type": "stemmer", "language": "light_french"},
    },
    "analyzer": {
        "pannes_french": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["pannes_elision", "lowercase", "asciifolding", "pannes_french_stop",
                       "pannes_french_stemmer"],
        },
        # Exact phrases keep every word: "coupure de courant" must not match "coupure du
        # courant" (the stop filter would leave a gap either word fills), as on SQLite.
        "pannes_phrase": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["pannes_elision", "lowercase", "asciifolding", "pannes_french_stemmer"],
        },
        # Unstemmed, for prefix queries ("défaill*" must not depend on where a stem ends).
        "pannes_folded": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["pannes_elision", "lowercase", "asciifolding"],
        },
    },
}


def _text_field(*, offsets: bool = False, prefixes: bool = True) -> dict[str, Any]:
    """A French text field with its sub-fields: `.phrase` (stop words kept, for quoted
    phrases) and `.folded` (unstemmed, for prefixes)."""
    fields: dict[str, Any] = {"phrase": {"type": "text", "analyzer": "pannes_phrase"}}
    if prefixes:
        fields["folded"] = {
            "type": "text",
            "analyzer": "pannes_folded",
            "index_prefixes": {"min_chars": 3, "max_chars": 8},
        }
    field: dict[str, Any] = {"type": "text", "analyzer": "pannes_french", "fields": fields}
    if offsets:
        # Offsets in the postings make the unified highlighter fast on long bodies.
        field["index_options"] = "offsets"
        for sub in fields.values():
            sub["index_options"] = "offsets"
    return field


KEYWORD = {"type": "keyword"}

MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "_meta": {"pannes_mapping_version": MAPPING_VERSION},
    "properties": {
        "id": KEYWORD,
        "num_id": {"type": "long"},  # article ids, for the same tie-break order as SQLite
        "kind": KEYWORD,
        "title": _text_field(),
        "body": _text_field(offsets=True),
        "tags_text": _text_field(prefixes=False),  # incidents: vendors, affected
        "url": {"type": "keyword", "index": False, "doc_values": False},
        "source": KEYWORD,
        "sources": KEYWORD,
        "published": {"type": "date", "format": "strict_date_optional_time"},
        "month": KEYWORD,
        "start": {"type": "date", "format": "strict_date_optional_time"},
        "end": {"type": "date", "format": "strict_date_optional_time"},
        "last_day": {"type": "date", "format": "strict_date_optional_time"},
        "is_outage": {"type": "boolean"},
        "vendors": KEYWORD,
        "affected": KEYWORD,
        "impact": KEYWORD,
        "region": KEYWORD,
        "cause": KEYWORD,
        "hours_min": {"type": "double"},
        "hours_max": {"type": "double"},
        "incident_id": KEYWORD,
        "article_ids": {"type": "long", "index": False},
        "known_from_mentions": {"type": "boolean"},  # incidents known only from later mentions
    },
}

INDEX_SETTINGS: dict[str, Any] = {
    "number_of_shards": 1,
    "auto_expand_replicas": "0-1",  # green on one node, one replica when there are more
    "analysis": ANALYSIS,
}


def alias_name(prefix: str, kind: str) -> str:
    """The name searches use: `<prefix>-articles` or `<prefix>-incidents`."""
    return f"{prefix}-{kind}"


def index_pattern(prefix: str, kind: str) -> str:
    return f"{alias_name(prefix, kind)}-v*"


def new_index_name(prefix: str, kind: str, now: datetime | None = None) -> str:
    """A fresh concrete index for this mapping version: `<alias>-v<N>-<UTC timestamp>`."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d%H%M%S%f")
    return f"{alias_name(prefix, kind)}-v{MAPPING_VERSION}-{stamp}"


def template_name(prefix: str) -> str:
    return f"{prefix}-search"


def index_template(prefix: str) -> dict[str, Any]:
    """Arguments of `indices.put_index_template` for every pannes index under `prefix`."""
    return {
        "name": template_name(prefix),
        "index_patterns": [index_pattern(prefix, kind) for kind in KINDS],
        "priority": 200,
        "template": {"settings": INDEX_SETTINGS, "mappings": MAPPINGS},
        "meta": {"description": "pannes search indices (articles, incidents)",
                 "pannes_mapping_version": MAPPING_VERSION},
    }


# Document fields the index accepts; anything else in a source document is dropped.
DOCUMENT_FIELDS = frozenset(MAPPINGS["properties"])


def to_source(doc: dict[str, Any]) -> dict[str, Any]:
    """A store document (store.sqlite_search) as an index `_source`."""
    source = {k: v for k, v in doc.items() if k in DOCUMENT_FIELDS}
    if doc.get("kind") == "article":
        source["num_id"] = int(doc["id"])
    return source
