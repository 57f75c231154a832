"""Editors' corrections to an article show in article search and counts, and survive a retag."""

from __future__ import annotations

import pytest
from pannes.incidents.corrections import correct_article
from pannes.incidents.regroup import regroup

from pannes.app.stages import tag_stage
from pannes.config import load_settings
from pannes.records import SearchFilters, SearchQuery


def vendor_hits(store, vendor: str) -> set[int]:
    result = store.search(SearchQuery(filters=SearchFilters(vendors=[vendor]), per_page=200))
    return {int(h.id) for h in result.hits}


def first_outage(store):
    return next(store.iter_tagged(outage_only=True))


def test_corrected_vendor_is_what_article_search_filters_on(gold_store):
    regroup(gold_store)
    item = first_outage(gold_store)
    machine_vendor = item.tags.vendors[0]
    correct_article(gold_store, item.article.id, "vendors", ["Fournisseur Rectifié"],
                    "Camille Martin")

    assert item.article.id in vendor_hits(gold_store, "Fournisseur Rectifié")
    assert item.article.id not in vendor_hits(gold_store, machine_vendor)
    # The machine tags themselves are kept as the tagger said.
    assert gold_store.get_tags(item.article.id).vendors == item.tags.vendors


def test_article_marked_not_an_outage_leaves_the_outage_count(gold_store):
    before = gold_store.tag_counts()["outages"]
    item = first_outage(gold_store)
    correct_article(gold_store, item.article.id, "is_outage", False, "Camille Martin")
    assert gold_store.tag_counts()["outages"] == before - 1
    outage_ids = {int(h.id) for h in gold_store.search(
        SearchQuery(filters=SearchFilters(is_outage=True), per_page=200)).hits}
    assert item.article.id not in outage_ids


@pytest.mark.slow
def test_corrections_survive_a_full_retag_in_search(gold_store, tmp_path):
    item = first_outage(gold_store)
    correct_article(gold_store, item.article.id, "vendors", ["Fournisseur Rectifié"],
                    "Camille Martin")
    settings = load_settings(env={"PANNES_DATA_DIR": str(tmp_path)})
    report = tag_stage(gold_store, settings, retag=True)
    assert report.tagged >= 90  # every French article of the demo corpus
    assert gold_store.get_tags(item.article.id).pipeline_version != "gold"  # really retagged
    assert item.article.id in vendor_hits(gold_store, "Fournisseur Rectifié")
