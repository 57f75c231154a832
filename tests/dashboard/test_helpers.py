"""French wording, evidence located in text, exports, and the dashboard command line."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from pannes.dashboard.evidence import evidence_for, locate
from pannes.dashboard.export import to_csv, to_json
from pannes.dashboard.labels import (
    correction_value_fr,
    date_fr,
    datetime_fr,
    duration_fr,
    field_fr,
    month_fr,
    plural_fr,
)

from pannes.app.cli import build_parser
from pannes.app.commands.dashboard import app_path, streamlit_command
from pannes.records import SearchHit, Snippet


@pytest.mark.parametrize("day, expected", [
    (date(2012, 9, 21), "21 sept. 2012"),
    (date(2013, 3, 1), "1er mars 2013"),
    (date(2024, 2, 29), "29 févr. 2024"),
    (date(2025, 8, 15), "15 août 2025"),
    ("2016-06-19", "19 juin 2016"),
    (None, "—"),
])
def test_french_dates(day, expected):
    assert date_fr(day) == expected


def test_french_timestamps_and_months():
    assert datetime_fr("2025-03-11T18:05:00+00:00") == "11 mars 2025 à 18 h 05"
    assert month_fr("2025-12") == "décembre 2025"
    assert plural_fr(1, "article") == "1 article"
    assert plural_fr(12345, "article") == "12\u202f345 articles"


@pytest.mark.parametrize("low, high, ongoing, expected", [
    (5, 5, None, "5 h"),
    (2, 6, None, "2 à 6 h"),
    (192, 240, None, "8 à 10 jours"),
    (0.03, 0.25, None, "2 à 15 min"),
    (336, 744, True, "14 à 31 jours (en cours)"),
    (None, None, None, "—"),
    (None, None, True, "en cours"),
])
def test_french_durations(low, high, ongoing, expected):
    assert duration_fr(low, high, ongoing) == expected


TEXT = ("Des milliers de sites sont restés inaccessibles dimanche.\n\n"
        "L'hébergeur explique qu'une baie de stockage a lâché.  Le service a été rétabli\n"
        "après huit heures.\n\nFin de l'article.")


@pytest.mark.parametrize("name, value, expected", [
    ("cause", "software_bug", "Bogue logiciel"),
    ("cause", "power", "Alimentation électrique"),
    ("impact", ["email_messaging", "website_down"], "Messagerie, Site web inaccessible"),
    ("cause_ruled_out", ["cyberattack"], "Cyberattaque"),
    ("duration", {"hours_min": 2, "hours_max": 6}, "2 à 6 h"),
    ("hours_min", 12.5, "12,5 h"),
    ("ongoing", True, "oui"),
    ("is_outage", False, "non"),
    ("start", "2025-06-01", "1er juin 2025"),
    ("users_affected", 12000, "12\u202f000"),
    ("vendors", ["Nébulor", "Stockix"], "Nébulor, Stockix"),
    ("end", None, "—"),
    ("merge", {"from": "inc-b", "article_ids": [3, 4], "mentioned_in": [], "vendors": ["Postalis"]},
     "incident « inc-b » (articles 3, 4) ; fournisseurs : Postalis"),
    ("merge", {"into": [1, 2], "from": [3]}, "cet incident : articles 1, 2 ; l'autre : article 3"),
    ("split", {"new_id": "inc-a-2", "article_ids": [2]},
     "article 2 vers le nouvel incident « inc-a-2 »"),
    ("split", [1, 2], "articles 1, 2"),
])
def test_correction_values_in_french(name, value, expected):
    assert correction_value_fr(name, value) == expected


def test_correction_field_names_in_french():
    assert [field_fr(n) for n in ("hours_min", "hours_max", "ongoing", "incident")] == [
        "Durée minimale", "Durée maximale", "En cours", "Incident"]


def test_evidence_is_found_in_its_paragraph_despite_line_breaks():
    located = locate(TEXT, ["Le service a été rétabli après huit heures."])
    assert len(located.passages) == 1
    assert located.passages[0].segments == [
        ("L'hébergeur explique qu'une baie de stockage a lâché. ", False),
        ("Le service a été rétabli après huit heures.", True),
    ]
    assert located.not_found == []


def test_evidence_absent_from_the_text_is_reported():
    located = locate(TEXT, ["Une phrase qui n'y est pas."])
    assert located.passages == []
    assert located.not_found == ["Une phrase qui n'y est pas."]


def test_evidence_keys():
    evidence = {"start": ["a"], "dates": ["b", "a"], "vendor": ["c"]}
    assert evidence_for(evidence, "start") == ["a", "b"]
    assert evidence_for(evidence, "vendors") == ["c"]
    assert evidence_for(evidence, "cause") == []


def _hits() -> list[SearchHit]:
    return [
        SearchHit(kind="article", id="12", title="=HYPERLINK(\"http://x\") Panne « géante »",
                  url="https://exemple.fr/a", source="lefilinfo", published=date(2025, 6, 2),
                  vendors=["Nébulor", "Autre"], impact=["website_down"], cause="hardware",
                  start=date(2025, 6, 1), hours_min=8, hours_max=8, incident_id="inc-1",
                  snippet=Snippet([("Des milliers de ", False), ("sites", True)])),
        SearchHit(kind="article", id="13", title="Sans date", source="octets"),
    ]


def test_json_export_reads_back():
    rows = json.loads(to_json(_hits()))
    assert rows[0]["titre"] == "=HYPERLINK(\"http://x\") Panne « géante »"
    assert rows[0]["fournisseurs"] == ["Nébulor", "Autre"]
    assert rows[0]["debut"] == "2025-06-01"
    assert rows[0]["extrait"] == "Des milliers de sites"
    assert rows[1]["date"] is None


def test_csv_export_reads_back_and_defuses_formulas():
    rows = list(csv.DictReader(io.StringIO(to_csv(_hits()))))
    assert len(rows) == 2
    assert rows[0]["titre"].startswith("'=HYPERLINK")
    assert rows[0]["fournisseurs"] == "Nébulor | Autre"
    assert rows[0]["duree_heures_max"] == "8"
    assert rows[1]["url"] == ""


def test_dashboard_command_options():
    args = build_parser().parse_args(["dashboard", "--port", "8600", "--no-browser",
                                      "--db", "x.db"])
    assert (args.port, args.no_browser, args.db) == (8600, True, Path("x.db"))
    with pytest.raises(SystemExit):
        build_parser().parse_args(["dashboard", "--port", "99999"])


def test_streamlit_command_passes_the_database_after_the_separator(tmp_path):
    command = streamlit_command(tmp_path / "pannes.db", port=8600)
    assert command[1:4] == ["-m", "streamlit", "run"]
    assert Path(command[4]) == app_path() and app_path().is_file()
    separator = command.index("--")
    assert command[separator + 1:] == ["--db", str(tmp_path / "pannes.db")]
    assert "--browser.gatherUsageStats" in command


def test_evidence_in_the_title_and_per_label_keys():
    evidence = {"impact.degraded_service": ["Le stockage dégradé depuis dimanche"],
                "impact": ["Des sites inaccessibles."], "impacted": ["autre chose"]}
    sentences = evidence_for(evidence, "impact")
    assert sentences == ["Le stockage dégradé depuis dimanche", "Des sites inaccessibles."]
    located = locate("Des sites inaccessibles.", sentences,
                     title="Le stockage dégradé depuis dimanche")
    assert [p.segments for p in located.passages] == [
        [("Le stockage dégradé depuis dimanche", True)], [("Des sites inaccessibles.", True)]]


def test_timeline_bars_span_start_to_end_coloured_by_impact():
    from pannes.dashboard.charts import IMPACT_COLOURS, timeline_figure

    hits = [
        SearchHit(kind="incident", id="a", title="<script>x</script>", vendors=["Nébulor"],
                  impact=["website_down", "data_loss"], start=date(2025, 6, 1),
                  end=date(2025, 6, 3)),
        SearchHit(kind="incident", id="b", title="b", vendors=["Postalis"],
                  impact=["email_messaging"], start=date(2025, 5, 12), hours_max=48),
        SearchHit(kind="incident", id="c", title="sans date", vendors=["X"]),
    ]
    figure = timeline_figure(hits)
    bars = {trace.customdata[0][0]: trace for trace in figure.data if trace.type == "bar"}
    assert set(bars) == {"a", "b"}  # no start date, no bar
    assert bars["a"].base[0] == "2025-06-01T00:00:00"
    assert bars["a"].x[0] == 3 * 24 * 3600 * 1000  # three whole days
    assert bars["b"].x[0] == 48 * 3600 * 1000
    assert bars["a"].marker.color == IMPACT_COLOURS["website_down"]
    assert "&lt;script&gt;" in bars["a"].hovertext[0] and "<script>" not in bars["a"].hovertext[0]
    assert timeline_figure([hits[2]]) is None


def test_stopping_the_command_stops_streamlit(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    from pannes.app.commands.dashboard import free_port, port_is_free, wait_until_up

    port = free_port(0)
    env = dict(os.environ, PANNES_CONFIG=str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("", encoding="utf-8")
    command = [sys.executable, "-m", "pannes.app.cli", "dashboard", "--db", str(tmp_path / "x.db"),
               "--port", str(port), "--no-browser"]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
    try:
        assert wait_until_up(f"http://127.0.0.1:{port}", timeout=120, process=process)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    assert port_is_free(port)  # Streamlit went away with the command
    assert not (tmp_path / "x.db").exists()


def test_every_incident_has_a_mark_and_the_timeline_opens_on_its_last_twelve_months():
    from pannes.dashboard.charts import IMPACT_COLOURS, MARK_SIZE, timeline_figure

    hits = [
        SearchHit(kind="incident", id="old", title="old", vendors=["Nébulor"],
                  impact=["website_down"], start=date(2023, 2, 6), end=date(2023, 2, 8)),
        SearchHit(kind="incident", id="short", title="short", vendors=["Postalis"],
                  impact=["email_messaging"], start=date(2025, 3, 10), hours_max=3),
        SearchHit(kind="incident", id="last", title="last", vendors=["Nébulor"],
                  impact=["website_down"], start=date(2025, 6, 1), end=date(2025, 6, 3)),
    ]
    figure = timeline_figure(hits)
    marks = {point[0]: (trace, i) for trace in figure.data if trace.type == "scatter"
             for i, point in enumerate(trace.customdata)}
    assert set(marks) == {"old", "short", "last"}
    trace, i = marks["short"]  # three hours: a mark of MARK_SIZE pixels at its start
    assert (trace.x[i], trace.y[i]) == ("2025-03-10T00:00:00", "Postalis")
    assert trace.marker.size == MARK_SIZE >= 8
    assert trace.marker.color == IMPACT_COLOURS["email_messaging"]
    assert trace.hovertext[i].startswith("<b>short</b>") and not trace.showlegend
    # Opens on the 12 months before the latest incident's end (4 June 2025), plus a margin;
    # the range slider below covers all the data, from 2023.
    start, end = figure.layout.xaxis.range
    assert start == "2024-06-04T00:00:00" and "2025-06-04" < end <= "2025-06-30"
    assert figure.layout.xaxis.rangeslider.autorange
    # Asked for the whole period (a period filter), or data within a year: all of it.
    assert timeline_figure(hits, window=None).layout.xaxis.range is None
    assert timeline_figure(hits[1:]).layout.xaxis.range is None
