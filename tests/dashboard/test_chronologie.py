"""Chronologie in AppTest: search, filters, pages, the timeline, links, URL state, inert text."""

from __future__ import annotations

import json
from datetime import date

from pannes.store import open_store

from pannes.records import Article, Incident, SearchFilters, SearchQuery


def result_titles(at) -> list[str]:
    """The bold linked titles of the article results, as rendered markdown."""
    return [m.value for m in at.markdown if m.value.startswith("**[") or
            (m.value.startswith("**") and "Panne chez Scriptix" in m.value)]


def url(at) -> dict[str, list[str]]:
    """The page's query parameters, each as a list of values."""
    return {k: v if isinstance(v, list) else [v] for k, v in at.query_params.items()}


def caption_texts(at) -> list[str]:
    return [c.value for c in at.caption]


def test_default_view_shows_timeline_and_outage_articles(open_app, dashboard_db):
    at = open_app(dashboard_db)
    assert [t.value for t in at.title] == ["Chronologie des pannes"]
    assert [s.value for s in at.subheader] == ["Chronologie des incidents", "Articles"]
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    store = open_store(dashboard_db)
    incidents = store.search(SearchQuery(kind="incidents", per_page=200))
    dated = sum(1 for h in incidents.hits if h.start)
    for kind in ("bar", "scatter"):  # each dated incident: a bar and a mark
        assert sum(len(t["customdata"]) for t in chart["data"] if t["type"] == kind) == dated
    assert chart["layout"]["xaxis"]["type"] == "date"
    config = json.loads(at.get("plotly_chart")[0].proto.config)
    assert config["locale"] == "fr" and "fr" in config["locales"]
    outages = store.search(SearchQuery(filters=SearchFilters(is_outage=True))).total
    assert any(c.startswith(f"{outages} articles — résultats 1 à 20") for c in caption_texts(at))
    assert len(result_titles(at)) == 20
    assert not any("salon du cloud" in t for t in result_titles(at))


def test_search_narrows_results_and_goes_to_the_url(open_app, fixture_db):
    at = open_app(fixture_db)
    at.text_input(key="q").input("nebulor").run()
    titles = result_titles(at)
    assert len(titles) == 2 and all("Nébulor" in t for t in titles)
    # The matched word is highlighted in the snippets (accent-insensitive search).
    assert any(":orange-background[Nébulor]" in m.value for m in at.markdown)
    assert url(at)["q"] == ["nebulor"]
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert {c[0] for trace in chart["data"] for c in trace["customdata"]} == {"inc-nebulor-2025-06"}


def test_query_without_match_says_so(open_app, fixture_db):
    at = open_app(fixture_db, params={"q": "zzzzqqq"})
    infos = [i.value for i in at.info]
    assert "Aucun incident ne correspond à cette recherche et à ces filtres." in infos
    assert any(i.startswith("Aucun article ne correspond") for i in infos)


def test_sidebar_filters(open_app, fixture_db):
    at = open_app(fixture_db)
    at.sidebar.multiselect(key="fournisseur").select("Postalis").run()
    assert [t for t in result_titles(at)] == [
        "**[La messagerie de Postalis coupée pendant deux jours]"
        "(https://octets-hebdo.test/postalis-messagerie)**"]
    assert url(at)["fournisseur"] == ["Postalis"]
    at.sidebar.multiselect(key="fournisseur").unselect("Postalis").run()
    at.sidebar.multiselect(key="cause").select("hardware").run()
    assert len(result_titles(at)) == 2
    assert url(at)["cause"] == ["hardware"]
    at.sidebar.selectbox(key="duree").select("1j-7j").run()  # Nébulor lasted 8 h
    assert len(result_titles(at)) == 0
    at.sidebar.button(key="reset_filters").click().run()
    assert len(result_titles(at)) == 4
    assert "cause" not in url(at) and "duree" not in url(at)


def test_period_and_source_filters(open_app, fixture_db):
    at = open_app(fixture_db, params={"du": "2025-05-01", "au": "2025-05-31"})
    assert len(result_titles(at)) == 1 and "Postalis" in result_titles(at)[0]
    at = open_app(fixture_db, params={"source": "lefilinfo"})
    assert len(result_titles(at)) == 2


def test_non_outage_articles_only_on_request(open_app, fixture_db):
    at = open_app(fixture_db)
    assert not any("salon du cloud" in t for t in result_titles(at))
    at.toggle(key="tout").set_value(True).run()
    assert any("salon du cloud" in t for t in result_titles(at))
    assert url(at)["tout"] == ["1"]


def test_pages(open_app, dashboard_db):
    at = open_app(dashboard_db)
    first = result_titles(at)
    at.button(key="page_next").click().run()
    second = result_titles(at)
    assert second and not set(first) & set(second)
    assert url(at)["page"] == ["2"]
    assert at.number_input(key="page").value == 2
    # A new search starts again from the first page.
    at.text_input(key="q").input("panne").run()
    assert at.number_input(key="page").value == 1
    assert "page" not in url(at)


def test_a_shared_link_reproduces_the_view(open_app, dashboard_db):
    at = open_app(dashboard_db)
    at.text_input(key="q").input("panne").run()
    at.sidebar.multiselect(key="impact").select("service_unavailable").run()
    at.selectbox(key="tri").select("recent").run()
    at.button(key="page_next").click().run()
    shared = url(at)
    assert shared["page"] == ["2"] and shared["tri"] == ["recent"]
    view = result_titles(at)

    again = open_app(dashboard_db, params=shared)
    assert again.text_input(key="q").value == "panne"
    assert again.sidebar.multiselect(key="impact").value == ["service_unavailable"]
    assert again.number_input(key="page").value == 2
    assert result_titles(again) == view


def test_a_link_beyond_the_last_page_shows_the_last_page(open_app, fixture_db):
    at = open_app(fixture_db, params={"page": "40", "du": "pas une date", "impact": "inconnu"})
    assert not at.exception
    assert len(result_titles(at)) == 4
    assert "page" not in url(at) and "du" not in url(at)


def test_results_link_to_their_incident(open_app, fixture_db):
    at = open_app(fixture_db, params={"q": "postalis"})
    links = [(link.proto.page, link.proto.query_string) for link in at.get("page_link")]
    assert ("incident", "id=inc-postalis-2025-05") in links


def test_script_title_is_rendered_inert(open_app, fixture_db):
    at = open_app(fixture_db, params={"q": "scriptix"})
    title = result_titles(at)[0]
    assert "\\<script\\>alert\\(\\'titre\\'\\)\\<\\/script\\>" in title
    assert "](javascript" not in title  # the article's javascript: URL is not a link
    assert "\\[lien\\]\\(javascript\\:alert\\(1\\)\\)" in title
    assert all(not m.proto.allow_html for m in at.markdown)
    assert all(not c.proto.allow_html for c in at.caption)
    spec = at.get("plotly_chart")[0].proto.spec
    assert "<script>" not in spec and "&lt;script&gt;" in spec
    labels = [link.proto.label for link in at.get("page_link")]
    assert any(label.startswith("19 avr\\. 2025 — \\<script\\>") for label in labels)


def test_exports_are_offered(open_app, fixture_db):
    at = open_app(fixture_db)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Exporter en CSV", "Exporter en JSON"]


def test_the_vendor_filter_offers_every_vendor_of_the_store(open_app, make_store):
    store = make_store("fournisseurs.db")
    for n in range(65):  # more than a search facet holds (FACET_SIZE = 50)
        article = store.upsert_article(Article(
            url=f"https://lefilinfo.test/panne-{n}", source="lefilinfo",
            title=f"Panne chez Fournix{n:02d}", text="Une panne.", published=date(2025, 6, 1)))
        store.save_incident(Incident(id=f"inc-{n}", title=f"Panne chez Fournix{n:02d}",
                                     vendors=[f"Fournix{n:02d}"], start=date(2025, 6, 1),
                                     article_ids=[article.article_id]))
    at = open_app(store.path)
    options = at.multiselect(key="fournisseur").options
    assert len(options) == 65
    assert "Fournix64" in options and "Fournix00" in options
    at.multiselect(key="fournisseur").select("Fournix64").run()
    assert url(at)["fournisseur"] == ["Fournix64"]
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert {c[0] for trace in chart["data"] for c in trace["customdata"]} == {"inc-64"}


def test_the_timeline_opens_on_the_last_twelve_months_of_data(open_app, make_store):
    store = make_store("trois-ans.db")
    for n, start in enumerate((date(2022, 9, 12), date(2024, 1, 15), date(2025, 4, 7),
                               date(2025, 10, 20))):
        article = store.upsert_article(Article(
            url=f"https://lefilinfo.test/panne-{n}", source="lefilinfo",
            title=f"Panne de messagerie chez Courrielix ({n})", text="La messagerie est coupée.",
            published=start))
        store.save_incident(Incident(id=f"inc-{n}", title=f"Panne chez Courrielix {n}",
                                     vendors=["Courrielix"], impact=["email_messaging"],
                                     start=start, end=start, article_ids=[article.article_id]))
    at = open_app(store.path)
    layout = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]
    # The latest incident ends on 21 October 2025 (its whole day): a year before, to a margin.
    assert layout["xaxis"]["range"][0] == "2024-10-21T00:00:00"
    assert "2025-10-21" < layout["xaxis"]["range"][1] < "2025-11-21"
    assert layout["xaxis"]["rangeslider"]["autorange"] is True
    assert any("s'ouvre sur les 12 derniers mois" in c for c in caption_texts(at))
    # A chosen period is shown whole.
    at = open_app(store.path, params={"du": "2022-01-01", "au": "2025-12-31"})
    layout = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]
    assert "range" not in layout["xaxis"]
    assert not any("s'ouvre sur les 12 derniers mois" in c for c in caption_texts(at))
