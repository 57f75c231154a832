"""Pages driven through their widgets, as a user does: a click on the timeline, the vendor
comparison, the week's date."""

from __future__ import annotations

import json
from datetime import date

from streamlit.proto.WidgetStates_pb2 import WidgetStates


def url(at) -> dict[str, list[str]]:
    return {k: v if isinstance(v, list) else [v] for k, v in at.query_params.items()}


def click_timeline(at, incident_id: str, kind: str = "bar"):
    """What the browser sends when a bar (or a "scatter" mark) is clicked: the chart's
    selection, as widget state."""
    chart = at.get("plotly_chart")[0]
    spec = json.loads(chart.proto.spec)
    [(curve, index)] = [(c, i) for c, trace in enumerate(spec["data"]) if trace["type"] == kind
                        for i, custom in enumerate(trace["customdata"]) if custom == [incident_id]]
    selection = {"selection": {
        "points": [{"curve_number": curve, "point_number": index, "point_index": index,
                    "customdata": [incident_id]}],
        "point_indices": [index], "box": [], "lasso": []}}
    states = at._tree.get_widget_states()
    state = WidgetStates()
    state.CopyFrom(states)
    widget = state.widgets.add()
    widget.id = chart.proto.id
    widget.string_value = json.dumps(selection)
    return at._run(state)


def test_a_click_on_the_timeline_opens_the_incident(open_app, fixture_db):
    at = open_app(fixture_db)
    assert at.title[0].value == "Chronologie des pannes"
    at = click_timeline(at, "inc-postalis-2025-05")
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "Messagerie Postalis coupée"
    assert url(at) == {"id": ["inc-postalis-2025-05"]}


def test_a_click_on_an_incident_mark_opens_it_too(open_app, fixture_db):
    at = click_timeline(open_app(fixture_db), "inc-postalis-2025-05", kind="scatter")
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "Messagerie Postalis coupée"


def test_vendors_compared_through_the_widgets(open_app, fixture_db):
    at = open_app(fixture_db, page="fournisseurs")
    compare = at.multiselect(key="comparer")
    assert sorted(compare.value) == ["Nébulor", "Postalis", "Scriptix"]  # the first look
    compare.unselect("Scriptix").run()
    assert list(at.dataframe[0].value.columns) == ["", "Nébulor", "Postalis"]
    assert sorted(url(at)["comparer"]) == ["Nébulor", "Postalis"]

    at.radio(key="pas").set_value("annee").run()
    assert url(at)["pas"] == ["annee"]
    assert "**Incidents par année**" in [m.value for m in at.markdown]
    periods = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert {tuple(trace["x"]) for trace in periods["data"]} == {("2025",)}

    at.date_input(key="du").set_value(date(2025, 5, 1)).run()
    at.date_input(key="au").set_value(date(2025, 5, 31)).run()
    assert list(at.dataframe[-1].value["Fournisseur"]) == ["Postalis"]
    assert (url(at)["du"], url(at)["au"]) == (["2025-05-01"], ["2025-05-31"])
    table = at.dataframe[0].value
    rows = dict(zip(table[""], zip(table["Nébulor"], table["Postalis"], strict=True),
                    strict=True))
    assert rows["Incidents"] == ("0", "1")

    compare.unselect("Postalis").run()
    assert any("au moins deux fournisseurs" in i.value for i in at.info)


def test_the_week_is_chosen_with_its_date(open_app, fixture_db):
    at = open_app(fixture_db, page="semaine")
    assert at.date_input(key="jour").value is None  # this week
    at.date_input(key="jour").set_value(date(2025, 6, 4)).run()
    assert url(at)["jour"] == ["2025-06-04"]
    assert at.caption[0].value.startswith("Incidents actifs du 29 mai 2025 au 4 juin 2025")
    titles = [m.value for m in at.markdown if m.value.startswith("**") and "incident" not in m.value]
    assert titles == ["**Panne du centre de données de Nébulor**"]
    at.date_input(key="jour").set_value(date(2025, 5, 16)).run()
    titles = [m.value for m in at.markdown if m.value.startswith("**") and "incident" not in m.value]
    assert titles == ["**Messagerie Postalis coupée**"]


def test_brands_roll_up_into_their_group(open_app, make_store):
    """The vendor base's parents, as `pannes tag` records them, group brands: Microsoft Azure
    and GitHub count with Microsoft, an incident naming two of them once."""
    from importlib import resources

    from pannes.nlp.vendors import VendorBase
    from pannes.store.sqlite_incidents import VENDOR_GROUPS_KEY

    from pannes.records import Article, Incident

    store = make_store("groupes.db")
    incidents = {"azure-1": ["Microsoft Azure"], "azure-2": ["Microsoft Azure"],
                 "github-1": ["GitHub"], "ms-azure": ["Microsoft", "Microsoft Azure"],
                 "orange-1": ["Orange"], "sosh-1": ["Sosh"], "sfr-1": ["SFR"]}
    for n, (incident_id, vendors) in enumerate(incidents.items()):
        start = date(2025, 3 + n % 3, 10)
        article = store.upsert_article(Article(
            url=f"https://lefilinfo.test/{incident_id}", source="lefilinfo",
            title=f"Panne chez {' et '.join(vendors)}", text="Le service est coupé.",
            published=start))
        store.save_incident(Incident(id=incident_id, title=f"Panne {incident_id}",
                                     vendors=vendors, start=start,
                                     article_ids=[article.article_id]))
    at = open_app(store.path, page="fournisseurs")
    assert at.toggle(key="groupe").disabled  # no tagging has recorded the groups yet
    base = VendorBase.from_files([resources.files("pannes.nlp") / "data" / "vendors.jsonl"])
    store.set_meta(VENDOR_GROUPS_KEY, json.dumps(base.groups()))  # as `pannes tag` does

    at = open_app(store.path, page="fournisseurs",
                  params={"comparer": ["Microsoft Azure", "Orange", "SFR"]})
    compare = at.multiselect(key="comparer")
    assert {"Microsoft Azure (3)", "GitHub (1)", "Microsoft (1)", "Sosh (1)"} <= set(
        compare.options)
    table = at.dataframe[0].value
    assert list(table.columns) == ["", "Microsoft Azure", "Orange", "SFR"]
    assert list(table.iloc[0]) == ["Incidents", "3", "1", "1"]

    at.toggle(key="groupe").set_value(True).run()
    assert not at.exception, [e.message for e in at.exception]
    compare = at.multiselect(key="comparer")
    assert compare.value == ["Microsoft", "Orange", "SFR"]  # the chosen brands became groups
    assert compare.options == ["Microsoft (4)", "Orange (2)", "SFR (1)"]
    table = at.dataframe[0].value
    # Microsoft: azure-1, azure-2, github-1 and ms-azure (two of its brands: once).
    assert list(table.iloc[0]) == ["Incidents", "4", "2", "1"]
    captions = [c.value for c in at.caption]
    assert ("Microsoft regroupe GitHub, Microsoft, Microsoft Azure ; "
            "Orange regroupe Orange, Sosh.") in captions
    months = json.loads(at.get("plotly_chart")[0].proto.spec)
    per_vendor = {trace["name"]: sum(trace["y"]) for trace in months["data"]}
    assert per_vendor == {"Microsoft": 4, "Orange": 2, "SFR": 1}
    ranking = at.dataframe[-1].value
    assert list(ranking["Fournisseur"]) == ["Microsoft", "Orange", "SFR"]
    assert list(ranking["Incidents"]) == [4, 2, 1]
    assert url(at)["groupe"] == ["1"]

    # A shared link reproduces the grouped view; back to brands, a group's brands return.
    at = open_app(store.path, page="fournisseurs",
                  params={"groupe": "1", "comparer": ["Microsoft", "SFR"]})
    assert list(at.dataframe[0].value.iloc[0]) == ["Incidents", "4", "1"]
    at.toggle(key="groupe").set_value(False).run()
    assert at.multiselect(key="comparer").value == ["Microsoft Azure", "GitHub", "Microsoft",
                                                    "SFR"]
    assert "groupe" not in url(at)
