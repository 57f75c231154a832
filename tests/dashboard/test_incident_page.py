"""The Incident page in AppTest: merged fields with evidence, articles, editors' corrections."""

from __future__ import annotations

from datetime import date

from pannes.dashboard.labels import date_fr
from pannes.incidents.corrections import correct_incident, merge_incidents, split_incident
from pannes.store import open_store

from pannes.records import Article, Duration, Incident
from tests.dashboard.conftest import sign_in

NEBULOR = "inc-nebulor-2025-06"


def markdown(at) -> list[str]:
    return [m.value for m in at.markdown]


def open_incident(open_app, db, incident_id=NEBULOR):
    return open_app(db, page="incident", params={"id": incident_id})


def test_fields_with_evidence_highlighted_in_the_text(open_app, fixture_db):
    at = open_incident(open_app, fixture_db)
    assert [t.value for t in at.title] == ["Panne du centre de données de Nébulor"]
    texts = markdown(at)
    for label, value in [("Fournisseurs en cause", "Nébulor"), ("Cause", "Matériel"),
                         ("Durée", "8 h — « huit heures »"), ("Début", "1er juin 2025"),
                         ("Causes écartées", "Cyberattaque")]:
        assert texts[texts.index(f"**{label}**") + 1] == value
    # The cause's evidence, from both articles, highlighted inside its paragraph.
    assert (":orange-background[L\\'hébergeur lyonnais explique qu\\'une baie de stockage "
            "défaillante a provoqué l\\'arrêt de son centre de données de Vénissieux\\.] "
            "Le service a été rétabli après huit heures d\\'interruption\\.") in texts
    assert any(t.startswith(":orange-background[Une baie de stockage a lâché") for t in texts)
    expanders = [e.label for e in at.expander]
    assert "Preuves dans le texte (2 passages)" in expanders


def test_articles_link_to_the_originals(open_app, fixture_db):
    at = open_incident(open_app, fixture_db)
    assert [s.value for s in at.subheader][1] == "Articles (2)"
    texts = markdown(at)
    assert ("**[Panne géante chez Nébulor \\: des milliers de sites hors ligne]"
            "(https://lefilinfo.test/2025/06/02/panne-nebulor)**") in texts
    assert ("**[Nébulor explique la panne de son centre de données]"
            "(https://octets-hebdo.test/nebulor-explique-sa-panne)**") in texts


def test_script_incident_is_inert_and_its_javascript_url_not_clickable(open_app, fixture_db):
    at = open_incident(open_app, fixture_db, "inc-scriptix-2025-04")
    assert at.title[0].value == "\\<script\\>alert\\(\\'incident\\'\\)\\<\\/script\\> Scriptix en panne"
    assert not any("](javascript" in t for t in markdown(at))
    assert any("adresse non cliquable" in c.value for c in at.caption)
    assert all(not m.proto.allow_html for m in at.markdown)


def test_unknown_incident(open_app, fixture_db):
    at = open_incident(open_app, fixture_db, "inc-absent")
    assert at.title[0].value == "Incident introuvable"
    assert "inc\\-absent" in at.warning[0].value


def test_without_an_id_offers_to_find_one(open_app, fixture_db):
    at = open_app(fixture_db, page="incident")
    assert at.title[0].value == "Incident"
    assert len(at.get("page_link")) == 3
    at.text_input(key="iq").input("postalis").run()
    links = at.get("page_link")
    assert [link.proto.query_string for link in links] == ["id=inc-postalis-2025-05"]


def test_a_field_correction_is_recorded_with_the_editors_name(open_app, fixture_db, editor):
    at = open_incident(open_app, fixture_db)
    sign_in(at)
    at.selectbox(key=f"champ_{NEBULOR}").select("cause").run()
    at.selectbox(key=f"valeur_cause_{NEBULOR}").select("power")
    at.text_input(key=f"note_champ_{NEBULOR}").input("communiqué du 5 juin")
    submit = next(b for b in at.button if b.label == "Enregistrer la correction")
    submit.click().run()
    assert not at.exception
    store = open_store(fixture_db)
    [correction] = store.corrections()
    assert (correction.target, correction.target_id, correction.field, correction.value,
            correction.before, correction.editor, correction.note) == (
        "incident", NEBULOR, "cause", "power", "hardware", "Camille Martin",
        "communiqué du 5 juin")
    assert store.get_incident(NEBULOR).cause == "power"
    # The page shows the corrected value, a confirmation and the audit trail.
    texts = markdown(at)
    assert texts[texts.index("**Cause**") + 1] == "Alimentation électrique"
    assert "enregistrée au nom de Camille Martin" in at.success[0].value
    history = at.dataframe[0].value
    assert list(history["Éditeur"]) == ["Camille Martin"]
    assert list(history["Avant"]) == ["Matériel"]
    assert list(history["Après"]) == ["Alimentation électrique"]


def test_a_list_field_and_a_date_are_corrected(open_app, fixture_db, editor):
    at = open_incident(open_app, fixture_db)
    sign_in(at)
    at.selectbox(key=f"champ_{NEBULOR}").select("vendors").run()
    at.text_input(key=f"valeur_vendors_{NEBULOR}").input("Nébulor, Stockix")
    next(b for b in at.button if b.label == "Enregistrer la correction").click().run()
    at.selectbox(key=f"champ_{NEBULOR}").select("end").run()
    at.date_input(key=f"valeur_end_{NEBULOR}").set_value(__import__("datetime").date(2025, 6, 2))
    next(b for b in at.button if b.label == "Enregistrer la correction").click().run()
    incident = open_store(fixture_db).get_incident(NEBULOR)
    assert incident.vendors == ["Nébulor", "Stockix"]
    assert incident.end.isoformat() == "2025-06-02"
    assert [c.field for c in open_store(fixture_db).corrections()] == ["vendors", "end"]


def test_merge_two_incidents(open_app, fixture_db, editor):
    at = open_incident(open_app, fixture_db)
    sign_in(at)
    at.text_input(key=f"fusion_id_{NEBULOR}").input("inc-postalis-2025-05")
    next(b for b in at.button if b.label == "Fusionner avec cet incident").click().run()
    assert not at.exception, [e.message for e in at.exception]
    store = open_store(fixture_db)
    [correction] = store.corrections()
    assert (correction.field, correction.target_id, correction.editor) == (
        "merge", NEBULOR, "Camille Martin")
    assert correction.value["from"] == "inc-postalis-2025-05"
    assert store.get_incident("inc-postalis-2025-05") is None
    assert len(store.get_incident(NEBULOR).article_ids) == 3
    assert [s.value for s in at.subheader][1] == "Articles (3)"


def test_split_an_incident(open_app, fixture_db, editor):
    store = open_store(fixture_db)
    second = store.find_article("https://octets-hebdo.test/nebulor-explique-sa-panne").id
    at = open_incident(open_app, fixture_db)
    sign_in(at)
    at.multiselect(key=f"scission_{NEBULOR}").select(second)
    next(b for b in at.button if b.label == "Scinder l'incident").click().run()
    assert not at.exception, [e.message for e in at.exception]
    [correction] = store.corrections()
    assert correction.field == "split" and correction.value["article_ids"] == [second]
    new_id = correction.value["new_id"]
    assert store.get_incident(new_id).article_ids == [second]
    assert second not in store.get_incident(NEBULOR).article_ids
    links = [link.proto.query_string for link in at.get("page_link")]
    assert f"id={new_id}" in links  # "Ouvrir le nouvel incident"


def test_a_refused_correction_says_why(open_app, fixture_db, editor):
    at = open_incident(open_app, fixture_db)
    sign_in(at)
    at.text_input(key=f"fusion_id_{NEBULOR}").input(NEBULOR)
    next(b for b in at.button if b.label == "Fusionner avec cet incident").click().run()
    assert any(e.value.startswith("Correction refusée") for e in at.error)
    assert open_store(fixture_db).corrections() == []


def test_an_article_marked_as_no_outage_leaves_its_incident(open_app, fixture_db, editor):
    store = open_store(fixture_db)
    article = store.find_article("https://octets-hebdo.test/postalis-messagerie").id
    at = open_incident(open_app, fixture_db, "inc-postalis-2025-05")
    sign_in(at)
    assert at.selectbox(key="article_inc-postalis-2025-05").value == article
    at.selectbox(key="champ_article_inc-postalis-2025-05").select("is_outage").run()
    at.selectbox(key=f"valeur_article_is_outage_{article}").select("non")
    next(b for b in at.button if b.label == "Enregistrer la correction de l'article").click().run()
    assert not at.exception, [e.message for e in at.exception]
    [correction] = store.corrections()
    assert (correction.target, correction.target_id, correction.field, correction.value,
            correction.before, correction.editor) == (
        "article", str(article), "is_outage", False, True, "Camille Martin")
    assert store.incident_of_article(article) is None
    # Its only article gone, the incident is gone too; the page says so after the confirmation.
    assert at.title[0].value == "Incident introuvable"
    assert "enregistrée au nom de Camille Martin" in at.success[0].value


def test_the_corrections_history_is_in_french(open_app, fixture_db):
    store = open_store(fixture_db)
    correct_incident(store, NEBULOR, "cause", "software_bug", "Léa")
    correct_incident(store, NEBULOR, "hours_min", "6", "Léa")
    correct_incident(store, NEBULOR, "ongoing", "oui", "Léa")
    merge_incidents(store, NEBULOR, "inc-postalis-2025-05", "Léa")
    second = store.find_article("https://octets-hebdo.test/nebulor-explique-sa-panne").id
    split_incident(store, NEBULOR, [second], "Léa")
    at = open_incident(open_app, fixture_db)
    history = at.dataframe[0].value
    assert list(history["Champ"]) == ["Cause", "Durée minimale", "En cours", "Fusion",
                                      "Scission"]
    assert list(history["Avant"])[:3] == ["Matériel", "8 h", "non"]
    assert list(history["Après"])[:3] == ["Bogue logiciel", "6 h", "oui"]
    assert list(history["Après"])[3].startswith("incident « inc-postalis-2025-05 » (article ")
    assert list(history["Après"])[4].startswith(f"article {second} vers le nouvel incident « ")
    cells = " ".join(str(v) for column in history.columns for v in history[column])
    for english in ("software_bug", "hardware", "hours_min", "True", "False", "article_ids",
                    "new_id", "into", "from", "Hours min", "Ongoing"):
        assert english not in cells, english


MENTIONED = "nebulor-2023-03-m6"


def test_an_incident_known_only_from_mentions_lists_the_mentioning_articles(open_app,
                                                                            mentions_db, editor):
    assert open_store(mentions_db).get_incident(MENTIONED).known_from_mentions
    at = sign_in(open_incident(open_app, mentions_db, MENTIONED))
    assert at.title[0].value.startswith("Nébulor \\: panne de mars 2023")
    facts = at.caption[0].value
    assert "connu seulement par des mentions dans 2 articles ultérieurs" in facts
    assert "0 article" not in facts
    subheaders = [s.value for s in at.subheader]
    assert "Connu seulement par des mentions dans :" in subheaders
    assert not any(s.startswith("Articles (") for s in subheaders)
    texts = markdown(at)
    assert ("**[Le kiosque de Kiosquia en panne]"
            "(https://lefilinfo.test/2025/06/10/kiosquia-en-panne)**") in texts
    assert "**[Coupure chez Stockix](https://octets-hebdo.test/stockix-coupure)**" in texts
    # Each article's sentence about this incident, not its other mention.
    assert "> Un souvenir pour les clients de Nébulor\\, privés de service en mars 2023\\." in texts
    assert not any("Et ce mois\\-ci" in t for t in texts if t.startswith("> "))
    # The fields known from the mentions show the mentioning sentence as their evidence.
    assert texts[texts.index("**Durée**") + 1].startswith("2 jours")
    assert "Preuves dans le texte (1 passage)" in [e.label for e in at.expander]
    # The correction tabs say why there is no article to correct or split off.
    captions = [c.value for c in at.caption]
    assert sum("n'est connu que par des mentions" in c for c in captions) == 2
    assert not any("pas encore été analysé" in c or "un seul article" in c for c in captions)


def test_a_reported_incident_lists_later_articles_mentioning_it(open_app, mentions_db):
    at = open_incident(open_app, mentions_db)
    assert "2 articles · mentionné dans 1 article ultérieur" in at.caption[0].value
    subheaders = [s.value for s in at.subheader]
    assert subheaders.index("Articles (2)") < subheaders.index("Mentionné plus tard dans (1)")
    texts = markdown(at)
    assert ("**[Le kiosque de Kiosquia en panne]"
            "(https://lefilinfo.test/2025/06/10/kiosquia-en-panne)**") in texts
    assert "> Et ce mois\\-ci\\, le centre de données de Nébulor a lui aussi cédé\\." in texts


def test_a_corrected_field_says_who_corrected_it_and_shows_no_machine_evidence(open_app,
                                                                               fixture_db):
    at = open_incident(open_app, fixture_db)
    cause_evidence = ":orange-background[L\\'hébergeur lyonnais explique qu\\'une baie"
    assert any(t.startswith(cause_evidence) for t in markdown(at))
    store = open_store(fixture_db)
    correct_incident(store, NEBULOR, "cause", "power", "Camille Martin")
    correct_incident(store, NEBULOR, "hours_max", "10", "Léa Dubois")
    day = date_fr(store.corrections()[0].at)
    at = open_incident(open_app, fixture_db)
    texts = markdown(at)
    assert texts[texts.index("**Cause**") + 1] == "Alimentation électrique"
    captions = [c.value for c in at.caption]
    assert f":material/edit: corrigé par Camille Martin le {day}" in captions
    assert f":material/edit: corrigé par Léa Dubois le {day}" in captions  # on the duration
    assert not any(t.startswith(cause_evidence) for t in texts)
    assert not any("huit heures d\\'interruption" in t for t in texts)  # the duration's
    # Fields left alone keep their evidence.
    assert any("Des milliers de sites hébergés par Nébulor" in t for t in texts)


def test_an_incident_still_ongoing_days_later_has_no_end_date(open_app, make_store):
    """The start date never stands in for the end of an incident still going on."""
    store = make_store("en-cours.db")
    ids = []
    for day, title in ((2, "Panne chez Fibrelia : la messagerie ne répond plus"),
                       (5, "Fibrelia : la messagerie toujours coupée trois jours après")):
        ids.append(store.upsert_article(Article(
            url=f"https://lefilinfo.test/2025/06/0{day}/fibrelia", source="lefilinfo",
            title=title, text=title + ".", published=date(2025, 6, day))).article_id)
    store.save_incident(Incident(
        id="inc-fibrelia", title="Panne chez Fibrelia", vendors=["Fibrelia"],
        start=date(2025, 6, 2), end=date(2025, 6, 2), article_ids=ids,
        duration=Duration(text=["toujours coupée"], ongoing=True)))

    def end_row() -> str:
        texts = markdown(open_incident(open_app, store.path, "inc-fibrelia"))
        return texts[texts.index("**Fin**") + 1]

    assert end_row() == ("_en cours_ selon le dernier article, du 5 juin 2025 ; "
                         "fin non rapportée")
    # A later end date cited while the incident is still going on (a promised repair).
    incident = store.get_incident("inc-fibrelia")
    incident.end = date(2025, 6, 9)
    store.save_incident(incident)
    assert end_row() == ("_en cours_ selon le dernier article, du 5 juin 2025 ; "
                         "date de fin citée : 9 juin 2025")
    correct_incident(store, "inc-fibrelia", "end", "2025-06-06", "Camille Martin")
    assert end_row() == "6 juin 2025"  # an editor's end date is shown as such


def test_an_ended_incident_shows_its_end_date(open_app, fixture_db):
    texts = markdown(open_incident(open_app, fixture_db))
    incident = open_store(fixture_db).get_incident(NEBULOR)
    assert incident.end is not None and not incident.duration.ongoing
    assert texts[texts.index("**Fin**") + 1] == date_fr(incident.end)


def test_a_feed_summary_says_so_and_links_to_the_full_text(open_app, fixture_db):
    import sqlite3

    url = "https://octets-hebdo.test/nebulor-explique-sa-panne"
    with sqlite3.connect(fixture_db) as conn:  # as stored from a feed-only source's item
        conn.execute("UPDATE article_versions SET is_summary = 1 WHERE article_id = "
                     "(SELECT id FROM articles WHERE url = ?)", (url,))
    at = open_incident(open_app, fixture_db)
    summaries = [c.value for c in at.caption if "résumé" in c.value]
    assert len(summaries) == 1  # the other article is a full text
    assert summaries[0].endswith(" · résumé tiré du flux de la source : "
                                 f"[texte complet sur le site]({url})")
