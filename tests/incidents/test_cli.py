"""The incident commands, run through `pannes.cli.main` on a real database file."""

from __future__ import annotations

import csv
import io
import json

import pytest
from lxml import etree

from pannes.cli import build_parser, main


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
