"""Incremental grouping: articles arriving in batches, grouped with grouping's cache (texts
read only where compared, stored incidents kept when unchanged), give the incidents a full
recomputation gives, on the demo corpus and the dev set (gold tags, real SQLite stores)."""

from __future__ import annotations

from dataclasses import replace

import pannes.incidents.features as features
import pytest
from pannes.incidents.features import frequencies, load_cache
from pannes.incidents.grouping import Grouper, with_ids
from pannes.incidents.regroup import regroup
from pannes.incidents.similarity import terms

BATCHES = 4


def _add(store, items) -> None:
    for item in items:
        result = store.upsert_article(replace(item.article, id=None))
        if result.status in {"new", "updated"}:
            store.save_tags(result.article_id, result.version, item.tags)


def _state(store) -> list[dict]:
    return [i.to_dict() for i in sorted(store.list_incidents(), key=lambda i: i.id)]


def _batches(items):
    ordered = sorted(items, key=lambda i: (i.article.published is None,
                                           i.article.published, i.article.id))
    size = -(-len(ordered) // BATCHES)
    return [ordered[n:n + size] for n in range(0, len(ordered), size)]


@pytest.mark.parametrize("corpus", ["demo_items", "dev_items"])
def test_incremental_grouping_equals_full_recomputation(corpus, request, make_store):
    items, _labels = request.getfixturevalue(corpus)
    incremental, full = make_store("incremental.db"), make_store("full.db")
    for batch in _batches(items):
        _add(incremental, batch)
        _add(full, batch)
        regroup(incremental)
        regroup(full, recompute=True)
        assert _state(incremental) == _state(full)
    assert len(_state(full)) > 5
    # Nothing left for a full recomputation to change, and the kept document frequencies
    # are those counted from scratch.
    assert not regroup(incremental, recompute=True).changed
    outages = [t for t in incremental.iter_tagged(outage_only=True)]
    assert load_cache(incremental).df == frequencies(
        terms(t.article.title, t.article.text) for t in outages)


def test_new_articles_do_not_recompute_the_others_features(demo_items, make_store,
                                                           monkeypatch):
    items, _labels = demo_items
    *earlier, last = _batches(items)
    store = make_store()
    _add(store, [i for batch in earlier for i in batch])
    regroup(store)
    outages_before = sum(1 for _ in store.iter_tagged(outage_only=True))
    read = []

    def counting_terms(title, text):
        read.append(title)
        return terms(title, text)

    monkeypatch.setattr(features, "terms", counting_terms)
    new = [i for i in last if i.tags.is_outage][:3]
    _add(store, new)
    report = regroup(store)
    assert report.changed
    # The 3 new articles' terms (counted once, then read once when compared), and those of
    # the members they were compared with: not every outage article's.
    assert 3 <= len(read) < outages_before / 3, (len(read), outages_before)


class _ScanEveryIncident(Grouper):
    """Grouping without blocking: every incident of the article's vendors is a candidate."""

    def candidates(self, article_id):
        return self.clusters_naming(self.vendor_classes_of(self.outages[article_id].tags.vendors))


@pytest.mark.parametrize("corpus", ["demo_items", "dev_items"])
def test_blocking_by_dates_drops_no_incident_an_article_would_join(corpus, request):
    items, _labels = request.getfixturevalue(corpus)
    articles = with_ids(items)
    blocked, scanned = Grouper(articles), _ScanEveryIncident(articles)
    blocked.assign_new()
    scanned.assign_new()
    assert len(blocked.clusters) > 5
    assert [(c.id, c.members) for c in blocked.clusters] == \
        [(c.id, c.members) for c in scanned.clusters]


def test_a_report_weeks_after_the_event_is_still_compared_with_it(item):
    """Blocking keeps as candidates the incidents an article can relate to by the widest
    date rule: a report with no event date, published four weeks after the event."""
    text = ("Les abonnés de Ternovia ont perdu la téléphonie fixe après la panne du central "
            "de Quimperlé, remplacé depuis par un équipement neuf.")
    first = item(1, "Ternovia : le central de Quimperlé en panne", text, published="2024-03-02",
                 vendors=["Ternovia"], start="2024-03-01")
    later = item(2, "Ternovia revient sur la panne du central de Quimperlé", text,
                 published="2024-03-29", vendors=["Ternovia"])
    other = item(3, "Ternovia : incident sur la fibre à Brest", "La fibre coupée à Brest.",
                 published="2024-02-01", vendors=["Ternovia"], start="2024-02-01")
    blocked, scanned = Grouper([other, first, later]), _ScanEveryIncident([other, first, later])
    blocked.assign_new()
    scanned.assign_new()
    assert blocked.cluster_of[2] is blocked.cluster_of[1]
    assert [c.members for c in blocked.clusters] == [c.members for c in scanned.clusters]
