"""The Elasticsearch template, checked without a server: analysis chain, fields, names."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from pannes.store.elastic_mapping import (
    ANALYSIS,
    DOCUMENT_FIELDS,
    MAPPING_VERSION,
    MAPPINGS,
    alias_name,
    index_pattern,
    index_template,
    new_index_name,
    to_source,
)

from pannes.textnorm import STOP_WORDS
from tests.store.contract.corpus import fill


def test_french_analyzer_chain_in_order():
    chain = ANALYSIS["analyzer"]["pannes_french"]
    assert chain["tokenizer"] == "standard"
    assert chain["filter"] == ["pannes_elision", "lowercase", "asciifolding",
                               "pannes_french_stop", "pannes_french_stemmer"]
    assert ANALYSIS["filter"]["pannes_french_stemmer"] == {"type": "stemmer",
                                                           "language": "light_french"}


def test_elision_covers_french_articles_in_any_case():
    elision = ANALYSIS["filter"]["pannes_elision"]
    assert elision["type"] == "elision" and elision["articles_case"] is True
    assert {"l", "d", "qu", "jusqu", "lorsqu", "n", "s", "c", "j", "m", "t"} <= set(
        elision["articles"])


def test_stop_words_are_the_ones_queries_drop():
    stop = ANALYSIS["filter"]["pannes_french_stop"]
    assert stop == {"type": "stop", "stopwords": sorted(STOP_WORDS)}
    # They run after asciifolding, so they must be folded too.
    assert "ete" in stop["stopwords"] and "été" not in stop["stopwords"]


def test_prefix_subfield_is_unstemmed():
    folded = ANALYSIS["analyzer"]["pannes_folded"]
    assert folded["filter"] == ["pannes_elision", "lowercase", "asciifolding"]
    for name in ("title", "body"):
        sub = MAPPINGS["properties"][name]["fields"]["folded"]
        assert sub["analyzer"] == "pannes_folded" and sub["index_prefixes"]["min_chars"] == 3


def test_phrase_subfields_keep_stop_words():
    phrase = ANALYSIS["analyzer"]["pannes_phrase"]
    # The French chain without the stop filter: "de" and "du" stay apart in exact phrases.
    assert phrase["filter"] == ["pannes_elision", "lowercase", "asciifolding",
                                "pannes_french_stemmer"]
    props = MAPPINGS["properties"]
    for name in ("title", "body", "tags_text"):
        sub = props[name]["fields"]["phrase"]
        assert sub["type"] == "text" and sub["analyzer"] == "pannes_phrase"
        assert props[name]["analyzer"] == "pannes_french"
    assert props["body"]["fields"]["phrase"]["index_options"] == "offsets"  # highlighted
    assert "folded" not in props["tags_text"]["fields"]  # no prefix search on tags
    assert MAPPING_VERSION >= 3  # indices without the sub-fields are reported as outdated


def test_mapping_is_strict_and_typed():
    props = MAPPINGS["properties"]
    assert MAPPINGS["dynamic"] == "strict"
    assert MAPPINGS["_meta"] == {"pannes_mapping_version": MAPPING_VERSION}
    assert props["body"]["index_options"] == "offsets"
    for name in ("vendors", "affected", "impact", "region", "cause", "sources", "month", "id"):
        assert props[name] == {"type": "keyword"}
    for name in ("published", "start", "end", "last_day"):
        assert props[name]["type"] == "date"
    assert props["is_outage"] == {"type": "boolean"}
    assert props["hours_min"]["type"] == props["hours_max"]["type"] == "double"


def test_template_targets_versioned_indices_behind_aliases():
    template = index_template("veille")
    assert template["name"] == "veille-search"
    assert template["index_patterns"] == ["veille-articles-v*", "veille-incidents-v*"]
    assert template["template"]["mappings"] is MAPPINGS
    assert template["template"]["settings"]["analysis"] is ANALYSIS
    json.dumps(template)  # plain JSON
    assert alias_name("veille", "articles") == "veille-articles"
    assert index_pattern("veille", "incidents") == "veille-incidents-v*"
    name = new_index_name("veille", "articles", datetime(2024, 3, 4, 5, 6, 7, tzinfo=UTC))
    assert name == f"veille-articles-v{MAPPING_VERSION}-20240304050607000000"


def test_every_store_document_field_is_mapped(make_store):
    store = make_store()
    fill(store)
    for kind in ("articles", "incidents"):
        docs = list(store.iter_search_documents(kind))
        assert docs
        for doc in docs:
            assert set(doc) <= DOCUMENT_FIELDS, set(doc) - DOCUMENT_FIELDS
            source = to_source(doc)
            json.dumps(source)
    article = to_source(next(store.iter_search_documents("articles")))
    assert article["num_id"] == int(article["id"])
