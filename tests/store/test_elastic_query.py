"""Elasticsearch request bodies and responses, where their form is Elasticsearch's contract.

What the bodies find is checked by running them: the search contract (tests/store/contract)
and tests/store/test_elastic_server.py run the backend against the loopback stand-in, which
executes them. Here: the result window Elasticsearch enforces, and reading its responses.
"""

from __future__ import annotations

from datetime import date

from pannes.store.base import prepare
from pannes.store.elastic_query import MARK_END, MARK_START, parse_response, search_body

from pannes.records import SearchQuery


def body_for(**kwargs):
    return search_body(prepare(SearchQuery(**kwargs)))


def test_phrase_fragment_is_used_for_the_snippet():
    p = prepare(SearchQuery(text='"coupure de courant"'))
    raw = {"_source": {"id": "7", "kind": "article", "title": "t"}, "_score": 2.0,
           "highlight": {"body": ["Une coupure de courant"],
                         "body.phrase": [f"Une {MARK_START}coupure{MARK_END} "
                                         f"{MARK_START}de{MARK_END} "
                                         f"{MARK_START}courant{MARK_END}"]}}
    hit = parse_response(p, {"hits": {"total": {"value": 1}, "hits": [raw]}}).hits[0]
    assert hit.snippet.segments == [("Une ", False), ("coupure", True), (" ", False),
                                    ("de", True), (" ", False), ("courant", True)]


def test_response_becomes_a_search_result():
    p = prepare(SearchQuery(text="coupure", facets=["vendor", "month"]))
    response = {
        "hits": {"total": {"value": 42, "relation": "eq"}, "hits": [{
            "_id": "7", "_score": 3.5,
            "_source": {"id": "7", "kind": "article", "title": "Coupure de courant",
                        "url": "https://x.example.fr/7", "source": "Octet Hebdo",
                        "published": "2024-03-20", "vendors": ["Nuvola"], "impact": [],
                        "cause": "power", "start": None, "end": None, "hours_min": 10.0,
                        "hours_max": 12.0, "incident_id": "inc-nuvola"},
            "highlight": {"body": [f"Une {MARK_START}coupure{MARK_END} de courant, puis des "
                                   f"{MARK_START}coupures{MARK_END}\n en série."]},
        }]},
        "aggregations": {
            "vendor": {"buckets": [{"key": "Nuvola", "doc_count": 3}]},
            "month": {"buckets": [{"key": "2024-03", "doc_count": 42}]},
        },
    }
    result = parse_response(p, response)
    assert result.total == 42 and result.page == 1 and result.per_page == 20
    hit = result.hits[0]
    assert (hit.kind, hit.id, hit.title, hit.score) == ("article", "7", "Coupure de courant", 3.5)
    assert hit.published == date(2024, 3, 20) and hit.incident_id == "inc-nuvola"
    assert hit.snippet.segments == [("Une ", False), ("coupure", True),
                                    (" de courant, puis des ", False), ("coupures", True),
                                    (" en série.", False)]
    assert result.facets == {"vendor": [("Nuvola", 3)], "month": [("2024-03", 42)]}


def test_better_highlighted_fragment_wins():
    p = prepare(SearchQuery(text="défaill*"))
    raw = {"_source": {"id": "1", "kind": "incident", "title": "t"}, "_score": None,
           "highlight": {"body": ["sans marque"],
                         "body.folded": [f"la {MARK_START}défaillance{MARK_END}"]}}
    hit = parse_response(p, {"hits": {"total": {"value": 1}, "hits": [raw]}}).hits[0]
    assert hit.kind == "incident" and hit.score == 0.0
    assert hit.snippet.segments == [("la ", False), ("défaillance", True)]
