"""Cette semaine, Fournisseurs, Collecte, the empty store, and fresh data after a write."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from pannes.crawler.report import ERROR_KINDS, SKIP_KINDS, WARNING_KINDS
from pannes.dashboard.failures import failure_fr
from pannes.store import open_store

from pannes.errors import StoreError
from pannes.records import Article, Incident


def markdown(at) -> list[str]:
    return [m.value for m in at.markdown]


# ---------------------------------------------------------------------------- empty store


def test_missing_database_says_how_to_fill_it(open_app, tmp_path):
    at = open_app(tmp_path / "absent.db")
    assert at.title[0].value == "Aucune panne à afficher pour l'instant"
    message = at.info[0].value
    assert "pas encore de base de données" in message
    assert "`pannes demo`" in message and "`pannes crawl`" in message
    assert not (tmp_path / "absent.db").exists()  # looking does not create it


def test_empty_database_says_how_to_fill_it_on_every_page(open_app, make_store):
    db = make_store("vide.db").path
    for page in ("chronologie", "fournisseurs", "incident", "semaine"):
        at = open_app(db, page=page)
        assert at.title[0].value == "Aucune panne à afficher pour l'instant", page
        assert "ne contient encore aucun article" in at.info[0].value
    at = open_app(db, page="collecte")
    assert at.title[0].value == "Collecte"
    assert any("Aucune source n'a encore été collectée" in i.value for i in at.info)


def test_new_data_shows_on_the_next_run(open_app, fixture_db):
    at = open_app(fixture_db, params={"q": "kiosque"})
    assert any(i.value.startswith("Aucun article ne correspond") for i in at.info)
    writer = open_store(fixture_db)  # another connection, like a crawl in another process
    writer.upsert_article(Article(url="https://lefilinfo.test/kiosque", source="lefilinfo",
                                  title="Le kiosque numérique en panne", text="Le kiosque.",
                                  published=date(2025, 6, 5)))
    writer.close()
    at.toggle(key="tout").set_value(True).run()
    assert any("Le kiosque numérique en panne" in t for t in markdown(at))


def _write_elsewhere(db) -> None:
    """A crawl and a grouping in another process: a new source, article and vendor."""
    writer = open_store(db)
    result = writer.upsert_article(Article(
        url="https://nouvelles.test/quotidix", source="nouvelles-du-reseau",
        title="Panne chez Quotidix", text="Quotidix en panne.", published=date(2025, 6, 3)))
    writer.save_incident(Incident(id="inc-quotidix", title="Panne chez Quotidix",
                                  vendors=["Quotidix"], start=date(2025, 6, 3),
                                  article_ids=[result.article_id]))
    writer.close()


def test_counts_and_sources_follow_new_data_at_once(open_app, fixture_db):
    at = open_app(fixture_db, page="collecte")
    assert {m.label: m.value for m in at.metric}["Articles"] == "5"
    assert "5 articles" in at.sidebar.caption[0].value
    _write_elsewhere(fixture_db)
    at.run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Articles"] == "6" and metrics["Incidents"] == "4"
    assert at.sidebar.caption[0].value.startswith("6 articles")
    assert "nouvelles-du-reseau" in list(at.dataframe[0].value["Source"])


def test_the_vendor_ranking_and_source_filter_follow_new_data_at_once(open_app, fixture_db):
    vendors = open_app(fixture_db, page="fournisseurs")
    chronology = open_app(fixture_db)
    assert "Quotidix" not in list(vendors.dataframe[-1].value["Fournisseur"])
    _write_elsewhere(fixture_db)
    vendors.run()
    chronology.run()
    assert "Quotidix" in list(vendors.dataframe[-1].value["Fournisseur"])
    assert "nouvelles-du-reseau" in chronology.multiselect(key="source").options


# ---------------------------------------------------------------------------- this week


def test_this_week_lists_the_last_seven_days(open_app, fixture_db):
    at = open_app(fixture_db, page="semaine", params={"jour": "2025-06-04"})
    assert at.title[0].value == "Cette semaine"
    assert at.caption[0].value.startswith("Incidents actifs du 29 mai 2025 au 4 juin 2025")
    assert "**Panne du centre de données de Nébulor**" in markdown(at)
    assert "**Messagerie Postalis coupée**" not in markdown(at)


def test_an_empty_week_says_so_and_shows_the_latest(open_app, fixture_db):
    at = open_app(fixture_db, page="semaine", params={"jour": "2025-08-01"})
    assert at.info[0].value.startswith("Aucun incident n'a commencé, n'a été signalé ni n'était "
                                       "en cours ces 7 derniers jours")
    titles = [t for t in markdown(at) if t.startswith("**")]
    assert titles[:2] == ["**Panne du centre de données de Nébulor**",
                          "**Messagerie Postalis coupée**"]


def test_this_week_lists_incidents_reported_or_ongoing_not_only_started(open_app, make_store):
    store = make_store("semaine-active.db")

    def article(slug: str, day: date) -> int:
        return store.upsert_article(Article(
            url=f"https://lefilinfo.test/{slug}", source="lefilinfo", title=slug,
            text="Une panne.", published=day)).article_id

    week = [  # (id, title, start, end, ongoing, articles published)
        ("inc-sans-date", "Panne sans date de début", None, None, False, [date(2025, 6, 3)]),
        ("inc-tardif", "Panne de mai racontée cette semaine", date(2025, 5, 2), date(2025, 5, 3),
         False, [date(2025, 5, 4), date(2025, 6, 2)]),
        ("inc-en-cours", "Panne toujours en cours", date(2025, 5, 20), None, True,
         [date(2025, 5, 21)]),
        ("inc-commence", "Panne commencée cette semaine", date(2025, 6, 1), date(2025, 6, 1),
         False, [date(2025, 6, 1)]),
        ("inc-ancien", "Panne ancienne et finie", date(2025, 5, 1), date(2025, 5, 1), False,
         [date(2025, 5, 2)]),
        ("inc-finie", "Panne en cours le mois dernier, finie depuis", date(2025, 5, 10),
         date(2025, 5, 20), True, [date(2025, 5, 11)]),
    ]
    for incident_id, title, start, end, ongoing, days in week:
        ids = [article(f"{incident_id}-{i}", day) for i, day in enumerate(days)]
        store.save_incident(Incident.from_dict({
            "id": incident_id, "title": title, "start": start and start.isoformat(),
            "end": end and end.isoformat(), "article_ids": ids,
            "duration": {"ongoing": ongoing}}))
    at = open_app(store.path, page="semaine", params={"jour": "2025-06-04"})
    titles = [t for t in markdown(at) if t.startswith("**") and not t.startswith("**4")]
    assert titles == ["**Panne sans date de début**",
                      "**Panne de mai racontée cette semaine**",
                      "**Panne commencée cette semaine**",
                      "**Panne toujours en cours**"]
    assert "**4 incidents** ces 7 derniers jours." in markdown(at)
    badges = [t for t in markdown(at) if t.startswith(":blue-badge[")]
    assert badges[1] == ":blue-badge[Cette semaine \\: article publié le 2 juin 2025]"
    assert badges[2] == ":blue-badge[Cette semaine \\: commencé cette semaine]"
    assert badges[3] == ":blue-badge[Cette semaine \\: toujours en cours]"


def test_this_week_defaults_to_today(open_app, make_store):
    store = make_store("semaine.db")
    result = store.upsert_article(Article(url="https://lefilinfo.test/du-jour", source="lefilinfo",
                                          title="Panne du jour", text="Une panne aujourd'hui.",
                                          published=date.today()))
    store.save_incident(Incident(id="inc-du-jour", title="Panne du jour chez Quotidix",
                                 vendors=["Quotidix"], start=date.today(),
                                 article_ids=[result.article_id]))
    at = open_app(store.path, page="semaine")
    assert "**Panne du jour chez Quotidix**" in markdown(at)
    assert [link.proto.query_string for link in at.get("page_link")] == ["id=inc-du-jour"]


# ---------------------------------------------------------------------------- vendors


def test_vendors_compared_from_the_url(open_app, fixture_db):
    at = open_app(fixture_db, page="fournisseurs",
                  params={"comparer": ["Nébulor", "Postalis"], "pas": "annee"})
    assert at.multiselect(key="comparer").value == ["Nébulor", "Postalis"]
    table = at.dataframe[0].value
    assert list(table.columns) == ["", "Nébulor", "Postalis"]
    rows = dict(zip(table[""], zip(table["Nébulor"], table["Postalis"], strict=True),
                    strict=True))
    assert rows["Incidents"] == ("1", "1")
    assert rows["Durée totale"] == ("8 h", "2 jours")
    assert rows["Causes"] == ("Matériel (1)", "Bogue logiciel (1)")
    charts = at.get("plotly_chart")
    assert len(charts) == 4  # per period, downtime, median, causes
    for chart in charts:  # French tools and dates (Streamlit bundles no French locale)
        config = json.loads(chart.proto.config)
        assert config["locale"] == "fr"
        assert config["locales"]["fr"]["dictionary"]["Zoom in"] == "Zoom avant"
        assert config["locales"]["fr"]["format"]["months"][0] == "janvier"
    ranking = at.dataframe[1].value
    assert sorted(ranking["Fournisseur"]) == ["Nébulor", "Postalis", "Scriptix"]


def test_vendors_period_and_single_choice(open_app, fixture_db):
    at = open_app(fixture_db, page="fournisseurs",
                  params={"comparer": "Nébulor", "du": "2025-05-01", "au": "2025-05-31"})
    assert any("au moins deux fournisseurs" in i.value for i in at.info)
    ranking = at.dataframe[0].value
    assert list(ranking["Fournisseur"]) == ["Postalis"]
    assert at.subheader[0].value == "Classement de tous les fournisseurs du 1er mai 2025 au 31 mai 2025"


def test_vendors_first_look_and_url(open_app, dashboard_db):
    at = open_app(dashboard_db, page="fournisseurs")
    chosen = at.multiselect(key="comparer").value
    assert len(chosen) == 3
    assert at.query_params["comparer"] == chosen or list(at.query_params["comparer"]) == chosen


# ---------------------------------------------------------------------------- crawl


def test_crawl_runs_sources_and_errors(open_app, fixture_db):
    store = open_store(fixture_db)
    run = store.start_crawl_run({"kind": "crawl"})
    store.update_crawl_run(run, {
        "kind": "crawl", "pages": 12, "articles": {"new": 4, "unchanged": 8},
        "errors": {"timeout": 2, "http_404": 1},
        "sources": {"lefilinfo": {"pages": 7, "errors": 2}, "octets-hebdo": {"pages": 5}},
        "error_samples": [{"kind": "timeout", "url": "https://lefilinfo.test/lent",
                           "reason": "<b>délai dépassé</b>"}],
    }, status="finished", finished=True)
    store.close()
    at = open_app(fixture_db, page="collecte")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Articles"] == "5" and metrics["Incidents"] == "3"
    sources = at.dataframe[0].value
    assert list(sources["Source"]) == ["lefilinfo", "octets-hebdo"]
    assert list(sources["Articles"]) == [3, 2]
    assert list(sources["Erreurs (dernière collecte)"]) == [2, 0]
    runs = at.dataframe[1].value
    assert list(runs["État"]) == ["terminée"]
    assert list(runs["Nouveaux"]) == [4] and list(runs["Erreurs"]) == [3]
    errors = at.dataframe[2].value
    assert dict(zip(errors["Type d'erreur"], errors["Nombre"], strict=True)) == {
        "Délai d'attente dépassé": 2, "Erreur HTTP 404": 1}
    samples = at.dataframe[3].value
    assert list(samples["Type"]) == ["Délai d'attente dépassé"]
    assert list(samples["Détail"]) == ["<b>délai dépassé</b>"]  # shown as text in a table


def test_a_source_refusing_our_bot_on_article_pages_is_named_with_the_remedy(open_app,
                                                                             fixture_db):
    store = open_store(fixture_db)
    run = store.start_crawl_run({"kind": "crawl"})
    store.update_crawl_run(run, {
        "kind": "crawl", "errors": {"http_4xx": 12},
        "sources": {"octets-hebdo": {"articles_refused": 12}},
        "refused_sources": {"octets-hebdo": 12},  # as the crawler stores it (CrawlStats)
    }, status="finished", finished=True)
    store.close()
    at = open_app(fixture_db, page="collecte")
    [warning] = [w.value for w in at.warning]
    assert warning.startswith("« octets\\-hebdo » : 12 pages d'article refusées")
    assert 'articles = \"feed\"' in warning and "pannes sources check" in warning


def test_every_crawl_problem_kind_is_in_french(open_app, fixture_db):
    store = open_store(fixture_db)
    run = store.start_crawl_run({"kind": "crawl"})
    store.update_crawl_run(run, {
        "kind": "crawl", "errors": {k: 1 for k in ERROR_KINDS},
        "warnings": {k: 2 for k in WARNING_KINDS}, "skipped": {k: 3 for k in SKIP_KINDS},
        "error_samples": [{"kind": "redirect_loop", "url": "https://lefilinfo.test/boucle",
                           "reason": "Redirected more than 10 times"}],
    }, status="finished", finished=True)
    store.close()
    at = open_app(fixture_db, page="collecte")
    errors, samples, others = (d.value for d in at.dataframe[2:5])
    shown = [*errors["Type d'erreur"], *samples["Type"], *others["Motif"]]
    assert len(shown) == len(ERROR_KINDS) + 1 + len(WARNING_KINDS) + len(SKIP_KINDS)
    for code in (*ERROR_KINDS, *WARNING_KINDS, *SKIP_KINDS):
        assert code not in shown, code
    assert list(samples["Type"]) == ["Boucle de redirections"]
    assert list(samples["Détail"]) == ["Redirected more than 10 times"]
    assert "Flux RSS ou Atom illisible" in list(errors["Type d'erreur"])
    assert dict(zip(others["Motif"], others["Nombre"], strict=True))[
        "Interdite par le fichier robots.txt du site"] == 3
    assert set(others["Catégorie"]) == {"Page réparée", "Adresse non collectée"}


def test_no_crawl_yet(open_app, fixture_db):
    at = open_app(fixture_db, page="collecte")
    assert any(i.value == "Aucune collecte enregistrée dans cette base." for i in at.info)


# ---------------------------------------------------------------------------- failures


def test_unreachable_search_backend_is_a_message_not_a_crash(open_app, fixture_db, monkeypatch):
    monkeypatch.setenv("PANNES_SEARCH_BACKEND", "elasticsearch")
    monkeypatch.setenv("PANNES_ES_URL", "http://127.0.0.1:9")  # nothing listens there
    at = open_app(fixture_db)
    [error] = at.error
    assert error.value.startswith("Impossible d'afficher cette page. Le moteur de recherche "
                                  "Elasticsearch ne répond pas. Démarrez-le")
    assert "`PANNES_SEARCH_BACKEND=sqlite`" in error.value
    assert "Détail technique (en anglais) : Elasticsearch is unreachable" in error.value


def test_unreadable_database_is_a_message_not_a_crash(open_app, tmp_path):
    db = tmp_path / "pas-une-base.db"
    db.write_bytes(b"ceci n'est pas une base SQLite" * 100)
    at = open_app(db)
    [error] = at.error
    assert error.value.startswith("Le tableau de bord ne peut pas démarrer. La base « ")
    assert "ne peut pas être ouverte" in error.value
    assert "`pannes dashboard --db CHEMIN`" in error.value
    assert "Détail technique (en anglais) : Cannot open the database" in error.value


def test_failures_say_what_to_do_in_french():
    locked = failure_fr(sqlite3.OperationalError("database is locked"), db_path="p.db",
                        backend="sqlite")
    assert locked.startswith("La base est occupée par une autre commande")
    newer = failure_fr(StoreError("This database has schema version 9, newer than this pannes"),
                       db_path="p.db", backend="sqlite")
    assert newer.startswith("Cette base a été écrite par une version plus récente de pannes")
    refused = failure_fr(StoreError("Elasticsearch at http://es:9200 refused a request (400)"),
                         db_path="p.db", backend="elasticsearch")
    assert "`pannes reindex --to elasticsearch`" in refused
