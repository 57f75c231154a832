"""The search contract: what every backend must answer for the same French corpus."""

from __future__ import annotations

from datetime import date

import pytest

from pannes.records import SearchFilters
from pannes.textnorm import fold

# ------------------------------------------------------------------------------- matching


@pytest.mark.parametrize("text, expected", [
    ("panne", {"orange_panne", "sfr_mobile", "orange_retabli", "chronique_reseaux"}),
    ("defaillance", {"orange_panne", "banques_analyse"}),
    ("DÉFAILLANCES", {"orange_panne", "banques_analyse"}),
    ("coupure", {"nuvola_courant"}),
    ("coupures", {"nuvola_courant"}),
    ("hopital", {"valdor_hopital"}),
    ("hébergeur", {"nuvola_courant"}),
    ("herbergeur", set()),
    ("abonné", {"orange_panne", "sfr_mobile", "orange_retabli"}),
    ("rançongiciel", {"valdor_hopital"}),
    ("ranconGICIEL", {"valdor_hopital"}),
])
def test_words_match_whatever_the_accents_and_inflections(contract, text, expected):
    assert contract.keys(text) == expected


def test_all_words_must_match(contract):
    assert contract.keys("panne orange") == {"orange_panne", "orange_retabli"}
    assert contract.keys("panne orange sfr") == set()


def test_common_words_alone_do_not_restrict(contract):
    assert contract.keys("la panne de l'opérateur") == contract.keys("panne opérateur")


def test_exact_phrase(contract):
    assert contract.keys('"coupure de courant"') == {"nuvola_courant"}
    assert contract.keys('"centre de données"') == {"nuvola_courant", "ovh_incendie"}
    assert contract.keys('"données de centre"') == set()


def test_exact_phrase_keeps_its_small_words(contract):
    # "de" is not "du": the stop words dropped from plain words still count in a phrase.
    assert contract.keys('"pannes du réseau"') == {"sfr_mobile"}
    assert contract.keys('"pannes de réseau"') == set()
    assert contract.keys('"coupure du courant"') == set()
    assert contract.keys('"coupures de courant"') == {"nuvola_courant"}  # still inflected
    assert contract.keys("pannes réseau", kind="articles") >= {"sfr_mobile"}


def test_phrase_with_french_quotes(contract):
    assert contract.keys("« mise à jour »") == {"monetia_caisse"}


def test_or(contract):
    assert contract.keys("sfr OR missivo") == {"sfr_mobile", "missivo_lancement",
                                               "missivo_interruption"}
    assert contract.keys("messagerie (sfr OU missivo)") == {"missivo_lancement",
                                                           "missivo_interruption"}


def test_exclusion(contract):
    assert contract.keys("panne -orange") == {"sfr_mobile", "chronique_reseaux"}
    assert contract.keys("panne NOT orange") == {"sfr_mobile", "chronique_reseaux"}


def test_prefix(contract):
    assert contract.keys("défaill*") == {"orange_panne", "banques_analyse"}
    assert contract.keys("cyberatt*") == {"valdor_hopital"}
    assert contract.keys("inaccess*") == {"nuvola_courant", "ministeres_ddos"}


def test_hyphenated_and_elided_words(contract):
    assert contract.keys("Île-de-France") == {"orange_panne"}
    assert contract.keys("l'hébergeur") == {"nuvola_courant"}


def test_title_counts_more_than_body(contract):
    # "incendie" is in the OVHcloud title and only in the Nuvola body.
    assert contract.ordered("incendie", sort="relevance") == ["ovh_incendie", "nuvola_courant"]


def test_no_match_is_an_empty_result_without_message(contract):
    result = contract.search("tremblement")
    assert result.total == 0 and result.hits == [] and result.message is None


# ------------------------------------------------------------------------------- odd queries


PANNE = {"orange_panne", "sfr_mobile", "orange_retabli", "chronique_reseaux"}
ORANGE_PANNE = {"orange_panne", "orange_retabli"}


@pytest.mark.parametrize("text, expected, explained", [
    ('"', set(), True), ('"""', set(), True), ("((((", set(), True), ("))", set(), True),
    ("-", set(), True), ("- - -", set(), True), ("*", set(), True), ("OR", set(), True),
    ("AND OR NOT", set(), True), ("NEAR(panne orange)", set(), False),
    ("title:panne", set(), False), ("panne^2", set(), False),
    ("'; DROP TABLE articles; --", set(), False), ("panne\x00orange\x1b[31m", set(), False),
    ("le la les de", set(), True), ("-orange", set(), True), ("x" * 5000, set(), True),
    ("panne " * 200, PANNE, True), ("🔥💥", set(), True), ("(panne OR", PANNE, True),
    ('"panne géante', {"orange_panne"}, True), ("panne OR OR orange", ORANGE_PANNE, True),
    ("orange -", ORANGE_PANNE, False), ('{"query": {"match_all": {}}}', set(), False),
])
def test_hostile_queries_never_raise(contract, text, expected, explained):
    """Operators of other syntaxes are words; what cannot run says why (in French)."""
    result = contract.search(text)
    assert contract.keys(text) == expected and result.total == len(expected)
    assert bool(result.message) is explained


@pytest.mark.parametrize("text", ['"', "-orange", "le la les de", "()", "***"])
def test_queries_that_cannot_run_explain_why_in_french(contract, text):
    result = contract.search(text)
    assert result.total == 0
    assert result.message and any(w in result.message for w in ("recherche", "mot"))


def test_operators_of_the_index_are_read_as_words(contract):
    assert contract.keys("NEAR(panne orange)") == contract.keys("near panne orange")
    assert contract.keys("panne^2") == set()


def test_unbalanced_quote_still_searches_with_a_note(contract):
    result = contract.search('"panne géante')
    assert {contract.keys_by_id[h.id] for h in result.hits} == {"orange_panne"}
    assert "Guillemet" in result.message


# ------------------------------------------------------------------------------- filters


def F(**kwargs) -> SearchFilters:
    return SearchFilters(**kwargs)


def test_vendor_filter(contract):
    assert contract.keys(filters=F(vendors=["Orange"])) == {"orange_panne", "orange_retabli"}
    assert contract.keys(filters=F(vendors=["Orange", "SFR"])) == {
        "orange_panne", "orange_retabli", "sfr_mobile"}


def test_affected_impact_cause_and_source_filters(contract):
    assert contract.keys(filters=F(affected=["Hôpital de Valdor"])) == {"valdor_hopital"}
    assert contract.keys(filters=F(impact=["website_down"])) == {"nuvola_courant",
                                                                 "ministeres_ddos"}
    assert contract.keys(filters=F(cause=["power", "ddos"])) == {"nuvola_courant",
                                                                  "ministeres_ddos"}
    assert contract.keys(filters=F(sources=["Le Réseau Libre"])) == {
        "nuvola_courant", "banques_analyse", "ovh_incendie", "chronique_reseaux"}


def test_filters_combine_with_text(contract):
    assert contract.keys("panne", filters=F(sources=["Numérique Matin"])) == {
        "sfr_mobile", "orange_retabli"}


def test_date_range_is_inclusive(contract):
    got = contract.keys(filters=F(date_from=date(2024, 3, 5), date_to=date(2024, 5, 10)))
    assert got == {"orange_retabli", "nuvola_courant", "sfr_mobile", "valdor_hopital"}


def test_duration_filters(contract):
    assert contract.keys(filters=F(min_hours=24)) == {"valdor_hopital", "ovh_incendie"}
    assert contract.keys(filters=F(max_hours=1)) == {"missivo_interruption"}
    assert contract.keys(filters=F(min_hours=3, max_hours=6)) == {
        "orange_panne", "orange_retabli", "sfr_mobile", "monetia_caisse", "ministeres_ddos"}


def test_outage_filter(contract):
    assert contract.keys(filters=F(is_outage=False)) == {
        "banques_analyse", "missivo_lancement", "chronique_reseaux"}
    assert len(contract.keys(filters=F(is_outage=True))) == 9


def test_inverted_ranges_explain_themselves(contract):
    result = contract.search(filters=F(date_from=date(2024, 6, 1), date_to=date(2024, 1, 1)))
    assert result.total == 0 and "date" in result.message
    result = contract.search(filters=F(min_hours=10, max_hours=1))
    assert result.total == 0 and "durée" in result.message


# ------------------------------------------------------------------------------- order, pages


def test_date_sort_newest_first_undated_last(contract):
    order = contract.ordered(sort="date")
    assert order[0] == "ministeres_ddos"
    assert order[-1] == "chronique_reseaux"
    assert order.index("orange_retabli") < order.index("orange_panne")


def test_date_sort_oldest_first(contract):
    order = contract.ordered(sort="date_asc")
    assert order[:2] == ["orange_panne", "orange_retabli"]
    assert order[-1] == "chronique_reseaux"


def test_empty_query_lists_everything_by_date(contract):
    result = contract.search(sort="relevance")
    assert result.total == 12
    assert [contract.keys_by_id[h.id] for h in result.hits][0] == "ministeres_ddos"


def test_pages_cover_the_results_once(contract):
    seen = []
    for page in (1, 2, 3):
        result = contract.search(sort="date", page=page, per_page=5)
        assert result.total == 12 and result.page == page and result.per_page == 5
        seen += [h.id for h in result.hits]
    assert len(seen) == 12 and set(seen) == set(contract.ids[k] for k in contract.keys())
    assert contract.search(sort="date", page=4, per_page=5).hits == []


def test_oversized_pages_are_bounded(contract):
    result = contract.search(per_page=10_000)
    assert result.per_page == 200 and len(result.hits) == 12


# ------------------------------------------------------------------------------- facets


def test_facets_count_the_matching_documents(contract):
    result = contract.search("panne", facets=["vendor", "impact", "cause", "source", "month"])
    assert result.total == 4
    assert result.facets["vendor"] == [("Orange", 2), ("SFR", 1)]
    assert dict(result.facets["cause"]) == {"hardware": 2, "network": 1}
    assert dict(result.facets["source"]) == {"Numérique Matin": 2, "Octet Hebdo": 1,
                                             "Le Réseau Libre": 1}
    assert result.facets["month"] == [("2024-03", 2), ("2024-04", 1)]
    assert dict(result.facets["impact"]) == {"internet_access": 2, "telephony_mobile": 1}


def test_facets_follow_the_filters(contract):
    result = contract.search(filters=F(min_hours=24), facets=["cause", "vendor"])
    assert dict(result.facets["cause"]) == {"ransomware": 1, "fire_disaster": 1}
    assert result.facets["vendor"] == [("OVHcloud", 1)]


def test_facets_order_by_count_then_value(contract):
    result = contract.search(facets=["source"])
    assert result.facets["source"] == [("Le Réseau Libre", 4), ("Numérique Matin", 4),
                                       ("Octet Hebdo", 4)]


# ------------------------------------------------------------------------------- snippets


def _marked(hit) -> list[str]:
    return [text for text, marked in hit.snippet.segments if marked]


def test_snippet_marks_inflected_forms_in_the_original_text(contract):
    hit = contract.search("coupure").hits[0]
    marked = _marked(hit)
    assert marked and all(fold(m).startswith("coupur") for m in marked)
    assert any(m == "coupures" for m in marked) or any(m == "coupure" for m in marked)
    assert "courant" in hit.snippet.text


def test_snippet_marks_accented_word_for_unaccented_query(contract):
    hit = contract.search("defaillance").hits[0]
    assert _marked(hit) and all(fold(m).startswith("defaillance") for m in _marked(hit))
    assert any(m.startswith("défaillance") for m in _marked(hit))


def test_snippet_marks_phrase_words(contract):
    hit = contract.search('"centre de données"', sort="date").hits[0]
    words = " ".join(_marked(hit)).split()
    assert set(words) >= {"centre", "données"}
    assert set(words) <= {"centre", "de", "données"}


def test_snippet_is_a_passage_of_the_body(contract):
    for hit in contract.search("panne").hits:
        assert hit.snippet.text
        assert len(hit.snippet.text) < 400


# ------------------------------------------------------------------------------- incidents


def test_incidents_are_searchable(contract):
    assert contract.keys("incendie", kind="incidents") == {"inc-ovh"}
    assert contract.keys("orange", kind="incidents") == {"inc-orange"}
    assert contract.keys("hopital", kind="incidents") == {"inc-valdor"}


def test_incidents_match_their_articles_titles(contract):
    # "rétablit" is only in the title of the second Orange article.
    assert contract.keys("rétablit", kind="incidents") == {"inc-orange"}


def test_incident_filters_and_facets(contract):
    assert contract.keys(kind="incidents", filters=F(vendors=["Nuvola"])) == {"inc-nuvola"}
    assert contract.keys(kind="incidents", filters=F(min_hours=100)) == {"inc-ovh", "inc-valdor"}
    assert contract.keys(kind="incidents", filters=F(sources=["Numérique Matin"])) == {
        "inc-orange"}
    # An incident overlapping the period is kept even if it started before.
    assert contract.keys(kind="incidents", filters=F(date_from=date(2024, 7, 10),
                                                     date_to=date(2024, 7, 31))) == {"inc-ovh"}
    result = contract.search(kind="incidents", facets=["cause", "month", "source"])
    assert result.total == 4
    assert result.facets["month"] == [("2024-03", 2), ("2024-05", 1), ("2024-07", 1)]
    assert dict(result.facets["source"]) == {"Octet Hebdo": 2, "Le Réseau Libre": 2,
                                             "Numérique Matin": 1}


def test_incident_hits_carry_their_facts(contract):
    hit = contract.search("incendie", kind="incidents").hits[0]
    assert hit.kind == "incident" and hit.id == "inc-ovh"
    assert hit.title == "Incendie du centre de données OVHcloud"
    assert hit.vendors == ["OVHcloud"] and hit.cause == "fire_disaster"
    assert hit.start == date(2024, 7, 8) and hit.end == date(2024, 7, 18)


def test_article_hits_carry_their_facts(contract):
    hit = contract.search("monétia").hits[0]
    assert hit.kind == "article"
    assert hit.url == "https://contrat.example.fr/monetia_caisse"
    assert hit.source == "Octet Hebdo" and hit.published == date(2024, 6, 1)
    assert hit.vendors == ["Monétia"] and hit.impact == ["payment_billing"]
    assert hit.cause == "software_bug" and (hit.hours_min, hit.hours_max) == (3, 3)
    assert contract.search("orange rétablit").hits[0].incident_id == "inc-orange"
