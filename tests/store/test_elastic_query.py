"""Elasticsearch request bodies for given queries, and results from given responses."""

from __future__ import annotations

from datetime import date

from pannes.store.base import prepare
from pannes.store.elastic_query import MARK_END, MARK_START, parse_response, search_body

from pannes.records import SearchFilters, SearchQuery

FIELDS = ["title^4", "body"]
HIGHLIGHT_BODY = {"type": "unified", "fragment_size": 240, "number_of_fragments": 1,
                  "no_match_size": 240}


def body_for(**kwargs):
    return search_body(prepare(SearchQuery(**kwargs)))


def test_words_phrase_exclusion_filters_facets_and_page():
    body = body_for(
        text='panne "centre de données" -sfr',
        filters=SearchFilters(vendors=["Orange"], date_from=date(2024, 1, 1),
                              date_to=date(2024, 6, 30), min_hours=2, is_outage=True),
        facets=["vendor", "month"], page=2, per_page=10)
    assert body == {
        "query": {"bool": {
            "filter": [
                {"terms": {"vendors": ["Orange"]}},
                {"range": {"published": {"gte": "2024-01-01"}}},
                {"range": {"published": {"lte": "2024-06-30"}}},
                {"range": {"hours_max": {"gte": 2}}},
                {"term": {"is_outage": True}},
            ],
            "must": [{"bool": {
                "must": [
                    {"combined_fields": {"query": "panne", "fields": FIELDS, "operator": "and"}},
                    {"multi_match": {"query": "centre de données",
                                     "fields": ["title.phrase^4", "body.phrase"],
                                     "type": "phrase"}},
                ],
                "must_not": [
                    {"combined_fields": {"query": "sfr", "fields": FIELDS, "operator": "and"}},
                ],
            }}],
        }},
        "from": 10,
        "size": 10,
        "sort": ["_score", {"num_id": {"order": "desc"}}],
        "track_total_hits": True,
        "_source": {"excludes": ["body", "tags_text"]},
        "highlight": {"pre_tags": [MARK_START], "post_tags": [MARK_END], "encoder": "default",
                      "fields": {"body": HIGHLIGHT_BODY, "body.phrase": {
                          "type": "unified", "fragment_size": 240, "number_of_fragments": 1}}},
        "aggs": {
            "vendor": {"terms": {"field": "vendors", "size": 50,
                                 "order": [{"_count": "desc"}, {"_key": "asc"}]}},
            "month": {"terms": {"field": "month", "size": 1200, "order": {"_key": "asc"}}},
        },
    }


def test_or_and_prefix_on_the_unstemmed_subfield():
    body = body_for(text="(orange OR sfr) défaill*")
    assert body["query"]["bool"]["must"] == [{"bool": {"must": [
        {"bool": {"should": [
            {"combined_fields": {"query": "orange", "fields": FIELDS, "operator": "and"}},
            {"combined_fields": {"query": "sfr", "fields": FIELDS, "operator": "and"}},
        ], "minimum_should_match": 1}},
        {"bool": {"should": [
            {"prefix": {"title.folded": {"value": "defaill", "boost": 4}}},
            {"prefix": {"body.folded": {"value": "defaill"}}},
        ], "minimum_should_match": 1}},
    ]}}]
    assert set(body["highlight"]["fields"]) == {"body", "body.folded"}


def test_quoted_phrases_run_on_the_subfields_that_keep_stop_words():
    body = body_for(text='"coupure de courant"', kind="incidents")
    assert body["query"]["bool"]["must"] == [{"multi_match": {
        "query": "coupure de courant", "type": "phrase",
        "fields": ["title.phrase^4", "body.phrase", "tags_text.phrase"]}}]
    assert set(body["highlight"]["fields"]) == {"body", "body.phrase"}
    # Plain words keep the stop-word-free main fields; an excluded phrase needs no highlight.
    body = body_for(text='panne -"coupure de courant"')
    assert body["query"]["bool"]["must"][0]["bool"]["must"][0]["combined_fields"]["fields"] \
        == FIELDS
    assert body["query"]["bool"]["must"][0]["bool"]["must_not"][0]["multi_match"]["fields"] \
        == ["title.phrase^4", "body.phrase"]
    assert set(body["highlight"]["fields"]) == {"body"}


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


def test_single_word_is_one_clause():
    body = body_for(text="Pannes")
    assert body["query"]["bool"]["must"] == [
        {"combined_fields": {"query": "Pannes", "fields": FIELDS, "operator": "and"}}]


def test_no_text_sorts_by_date_without_scoring():
    body = body_for(sort="relevance")
    assert body["query"] == {"bool": {"filter": []}}
    assert body["sort"] == [{"published": {"order": "desc", "missing": "_last"}},
                            {"num_id": {"order": "desc"}}]
    assert "aggs" not in body and "track_scores" not in body


def test_date_sort_with_text_keeps_scores():
    body = body_for(text="panne", sort="date_asc")
    assert body["sort"] == [{"published": {"order": "asc", "missing": "_last"}},
                            {"num_id": {"order": "asc"}}]
    assert body["track_scores"] is True


def test_incidents_search_tags_overlap_dates_and_sort_by_id():
    body = body_for(text="orange", kind="incidents",
                    filters=SearchFilters(date_from=date(2024, 3, 1), date_to=date(2024, 3, 31),
                                          max_hours=12, sources=["Octet Hebdo"],
                                          impact=["internet_access"], cause=["hardware"]),
                    facets=["source", "cause"])
    assert body["query"]["bool"]["must"] == [{"combined_fields": {
        "query": "orange", "fields": ["title^4", "body", "tags_text"], "operator": "and"}}]
    assert body["query"]["bool"]["filter"] == [
        {"terms": {"impact": ["internet_access"]}},
        {"terms": {"cause": ["hardware"]}},
        {"terms": {"sources": ["Octet Hebdo"]}},
        {"range": {"last_day": {"gte": "2024-03-01"}}},
        {"range": {"published": {"lte": "2024-03-31"}}},
        {"range": {"hours_min": {"lte": 12}}},
    ]
    assert body["sort"][-1] == {"id": {"order": "asc"}}
    assert body["aggs"]["source"]["terms"]["field"] == "sources"


def test_pages_are_bounded_by_the_result_window():
    body = body_for(text="panne", page=10_000, per_page=100)
    assert body["from"] + body["size"] <= 10_000


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


def test_incidents_known_only_from_mentions_rank_after_reported_ones():
    body = body_for(text="panne", kind="incidents")
    assert body["sort"] == [{"known_from_mentions": {"order": "asc"}}, "_score",
                            {"id": {"order": "asc"}}]
    by_date = body_for(text="panne", kind="incidents", sort="date")
    assert all("known_from_mentions" not in key for key in by_date["sort"] if isinstance(key, dict))
