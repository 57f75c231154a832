"""`pannes search` and `pannes reindex` from the command line."""

from __future__ import annotations

import json
import socket
from datetime import date

import pytest

from pannes.app.cli import build_parser, main
from pannes.app.commands.search import build_query
from tests.store.contract.corpus import fill


@pytest.fixture
def db(make_store, tmp_path, no_config):
    store = make_store("cli.db")
    fill(store)
    return str(tmp_path / "cli.db")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_query_and_filters_from_the_command_line():
    args = build_parser().parse_args([
        "search", "panne", '"centre de données"', "--vendor", "Orange", "--vendor", "SFR",
        "--impact", "internet_access", "--cause", "hardware", "--source", "Octet Hebdo",
        "--from", "2024-01-01", "--to", "2024-12-31", "--min-hours", "2", "--max-hours", "48",
        "--no-outage", "--incidents", "--sort", "date", "--page", "3", "--per-page", "5"])
    query = build_query(args)
    assert query.text == 'panne "centre de données"'
    f = query.filters
    assert f.vendors == ["Orange", "SFR"] and f.impact == ["internet_access"]
    assert f.cause == ["hardware"] and f.sources == ["Octet Hebdo"]
    assert (f.date_from, f.date_to) == (date(2024, 1, 1), date(2024, 12, 31))
    assert (f.min_hours, f.max_hours, f.is_outage) == (2.0, 48.0, False)
    assert (query.kind, query.sort, query.page, query.per_page) == ("incidents", "date", 3, 5)


@pytest.mark.parametrize("argv", [
    ["search", "--from", "2024-13-01"], ["search", "--page", "0"], ["search", "--cause", "x"],
    ["search", "--min-hours", "-1"], ["search", "--per-page", "abc"],
])
def test_bad_options_are_usage_errors(argv):
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(argv)
    assert exc.value.code == 2


def test_json_output(db, capsys):
    code, out, _ = run(capsys, "search", "--db", db, "coupure", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["total"] == 1 and data["message"] is None
    hit = data["hits"][0]
    assert hit["title"] == "Coupure de courant : le centre de données de Nuvola à l'arrêt"
    assert hit["published"] == "2024-03-20" and hit["vendors"] == ["Nuvola"]
    assert ["coupure", True] in hit["snippet_segments"] or ["Coupure", True] in \
        hit["snippet_segments"]
    assert "coupure" in hit["snippet"].lower()
    assert data["facets"]["vendor"] == [["Nuvola", 1]]


def test_table_output_marks_matches(db, capsys):
    code, out, _ = run(capsys, "search", "--db", db, "panne", "orange", "--facets")
    assert code == 0
    assert out.startswith("2 articles (page 1/1)")
    assert "**Panne** géante chez **Orange**" in out
    assert "vendors: Orange · impact: internet_access · cause: hardware · duration: 4–6 h" in out
    assert "https://contrat.example.fr/orange_panne" in out
    assert "vendor: Orange (2)" in out and "month: 2024-03 (2)" in out
    assert "\x1b[" not in out  # not a terminal: no ANSI codes


def test_incidents_table(db, capsys):
    code, out, _ = run(capsys, "search", "--db", db, "--incidents", "incendie")
    assert code == 0 and "1 incidents" in out
    assert "**Incendie** du centre de données OVHcloud" in out and "id: inc-ovh" in out


def test_odd_query_prints_the_note(db, capsys):
    code, out, _ = run(capsys, "search", "--db", db, "-orange")
    assert code == 0
    assert out.startswith("note: Une recherche ne peut pas contenir seulement des exclusions")


def test_missing_database(tmp_path, capsys):
    code, _, err = run(capsys, "search", "--db", str(tmp_path / "absent.db"), "panne")
    assert code == 66 and "No pannes database" in err


def test_reindex_sqlite(db, capsys):
    code, out, err = run(capsys, "reindex", "--db", db, "--to", "sqlite")
    assert code == 0
    assert out.strip() == "sqlite: 12 articles and 4 incidents indexed"
    assert "articles: 12 normalised" in err
    code, out, _ = run(capsys, "search", "--db", db, "panne", "--json")
    assert json.loads(out)["total"] == 4


def test_reindex_elasticsearch_needs_a_url(db, capsys):
    code, _, err = run(capsys, "reindex", "--db", db, "--to", "elasticsearch")
    assert code == 78 and "PANNES_ES_URL" in err


def test_reindex_elasticsearch_end_to_end(db, capsys, monkeypatch, es):
    monkeypatch.setenv("PANNES_ES_URL", es.url)
    monkeypatch.setenv("PANNES_ES_INDEX_PREFIX", "cli")
    code, out, err = run(capsys, "reindex", "--db", db, "--to", "elasticsearch")
    assert code == 0
    assert err.splitlines() == ["articles: 12/12 sent to Elasticsearch",
                                "incidents: 4/4 sent to Elasticsearch"]
    assert out.strip() == "elasticsearch: 12 articles and 4 incidents indexed"
    (articles,) = es.aliases("cli-articles")
    assert len(es.indices[articles]["docs"]) == 12
    assert len(es.indices[es.aliases("cli-incidents")[0]]["docs"]) == 4
    code, out, _ = run(capsys, "search", "--db", db, "--backend", "elasticsearch", "--json")
    assert code == 0 and json.loads(out)["total"] == 12


def test_reindex_elasticsearch_with_refused_documents_fails_and_keeps_the_old_index(
        db, capsys, monkeypatch, es):
    monkeypatch.setenv("PANNES_ES_URL", es.url)
    monkeypatch.setenv("PANNES_ES_INDEX_PREFIX", "cli")
    assert run(capsys, "reindex", "--db", db, "--to", "elasticsearch")[0] == 0
    before = es.aliases("cli-articles")
    es.refuse_ids = {"1", "inc-orange"}
    code, out, err = run(capsys, "reindex", "--db", db, "--to", "elasticsearch")
    assert code == 65 and out == ""
    assert ("pannes: error: Elasticsearch refused 1 articles and 1 incidents after the "
            "retries (first: articles 1: 400 document_parsing_exception") in err
    assert "Traceback" not in err
    assert es.aliases("cli-articles") == before and set(es.indices) == {
        *before, *es.aliases("cli-incidents")}


def test_since_is_only_for_elasticsearch(db, capsys):
    code, _, err = run(capsys, "reindex", "--db", db, "--to", "sqlite", "--since", "2024-01-01")
    assert code == 65 and "--since" in err


def test_unreachable_elasticsearch_is_a_clear_error(db, capsys, monkeypatch):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("PANNES_ES_URL", f"http://127.0.0.1:{port}")
    code, _, err = run(capsys, "search", "--db", db, "--backend", "elasticsearch", "panne")
    assert code == 69
    assert err.startswith("pannes: error: Elasticsearch is unreachable")
    assert "Traceback" not in err


def test_help_documents_the_query_language(capsys):
    with pytest.raises(SystemExit):
        main(["search", "--help"])
    out = capsys.readouterr().out
    for example in ('"panne de courant"', "orange OR sfr", "panne -électricité", "défaill*"):
        assert example in out


@pytest.mark.parametrize("argv, text", [
    (["panne", "-orange"], "panne -orange"),
    (["panne", "-hebergeur", "-valdor", "-quai"], "panne -hebergeur -valdor -quai"),
    (["-orange", "panne", "--vendor", "SFR"], "-orange panne"),
    (["panne", '-"coupure de courant"'], 'panne -"coupure de courant"'),
    (["--", "panne", "-orange"], "panne -orange"),
])
def test_exclusions_need_no_quoting(argv, text):
    args = build_parser().parse_args(["search", *argv])
    assert build_query(args).text == text


def test_short_options_still_work():
    args = build_parser().parse_args(["search", "panne", "-vv", "-q"])
    assert args.verbose == 2 and args.quiet and args.query == ["panne"]


@pytest.mark.parametrize(("typed", "kind", "stored"), [
    ("monetia", [], "Monétia"), ("MONÉTIA", [], "Monétia"), ("Monétia", [], "Monétia"),
    ("ovhcloud", ["--incidents"], "OVHcloud"),
])
def test_vendor_filter_matches_whatever_the_case_or_accents(db, capsys, typed, kind, stored):
    code, out, err = run(capsys, "search", "--db", db, "--vendor", typed, "--json", *kind)
    assert code == 0, err
    hits = json.loads(out)["hits"]
    assert hits and all(stored in hit["vendors"] for hit in hits)


def test_an_unknown_vendor_finds_nothing_without_failing(db, capsys):
    code, out, err = run(capsys, "search", "--db", db, "--vendor", "Inconnu SA", "--json")
    assert code == 0, err
    assert json.loads(out)["hits"] == []
