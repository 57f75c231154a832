"""Incident ids do not churn: corrections, feed entries and shared links key on them."""

from __future__ import annotations

from datetime import date

import pytest
from pannes.incidents.corrections import correct_incident
from pannes.incidents.regroup import regroup

from pannes.records import Article, Mention, Tags


def _add(store, n, title, published, *, start=None, mentions=()):
    article = Article(url=f"http://news.test/{n}", source="Test", title=title,
                      text=f"{title}. Les clients de Nimbus n'avaient plus accès à leurs "
                           f"serveurs virtuels (article {n}).",
                      published=date.fromisoformat(published))
    result = store.upsert_article(article)
    store.save_tags(result.article_id, result.version,
                    Tags(is_outage=True, outage_score=1.0, vendors=["Nimbus"],
                         start=date.fromisoformat(start) if start else None,
                         mentions=list(mentions), pipeline_version="gold"))
    return result.article_id


@pytest.mark.parametrize("rebuild", [False, True])
def test_mentioned_incident_keeps_its_id_when_an_undated_archive_article_arrives(
        make_store, rebuild):
    store = make_store()
    first = _add(store, 1, "Nouvelle panne chez Nimbus", "2025-02-03", start="2025-02-03",
                 mentions=[Mention(vendor="Nimbus", when="2021-10")])
    regroup(store)
    past_id = f"nimbus-2021-10-m{first}"
    assert store.get_incident(past_id).known_from_mentions
    correct_incident(store, past_id, "cause", "power", "alice")

    archive = _add(store, 2, "Nimbus : panne géante", "2021-10-14")  # no event date
    report = regroup(store, rebuild=rebuild)
    assert report.removed == [] and report.updated == [past_id]
    past = store.get_incident(past_id)
    assert past.article_ids == [archive] and not past.known_from_mentions
    assert past.provenance["mentioned_in"] == [first]
    assert past.cause == "power"  # the editor's correction still applies
    assert store.count_incidents() == 2
    assert not regroup(store, rebuild=rebuild).changed
