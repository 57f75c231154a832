"""Exports parse back to the stored data; the Atom feed is valid Atom 1.0."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from lxml import etree
from pannes.incidents.export import (
    incident_from_row,
    select_articles,
    write_articles,
    write_incidents,
)
from pannes.incidents.feed import ATOM_NS, FeedFilter, build_feed
from pannes.incidents.regroup import regroup

from pannes.records import Article, Incident, SearchFilters, SearchQuery, Tags

A = f"{{{ATOM_NS}}}"


def _comparable(incident: Incident) -> dict:
    data = incident.to_dict()
    data["provenance"] = {"mentioned_in": incident.provenance.get("mentioned_in", [])}
    return data


def test_incidents_csv_and_jsonl_parse_back(grouped_store):
    stored = {i.id: i for i in grouped_store.list_incidents()}
    out = io.StringIO()
    assert write_incidents(grouped_store, out, fmt="csv") == len(stored)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    parsed = {r["id"]: incident_from_row(r) for r in rows}
    assert {k: _comparable(v) for k, v in parsed.items()} == \
        {k: _comparable(v) for k, v in stored.items()}

    out = io.StringIO()
    write_incidents(grouped_store, out, fmt="jsonl")
    parsed = [Incident.from_dict(json.loads(line)) for line in out.getvalue().splitlines()]
    assert {i.id: i for i in parsed} == stored


def test_incident_export_uses_search_filters(grouped_store):
    query = SearchQuery(filters=SearchFilters(vendors=["Hexaline"]))
    out = io.StringIO()
    n = write_incidents(grouped_store, out, fmt="jsonl", query=query)
    ids = {json.loads(line)["id"] for line in out.getvalue().splitlines()}
    expected = {i.id for i in grouped_store.list_incidents(vendor="Hexaline")}
    assert n == len(ids) and ids == expected and len(ids) >= 2


def test_articles_export_parse_back_with_tags_and_incident(grouped_store):
    query = SearchQuery(text="Hexaline", filters=SearchFilters(is_outage=True))
    out = io.StringIO()
    n = write_articles(grouped_store, out, fmt="jsonl", query=query, with_text=True)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert n == len(rows) >= 3
    for row in rows:
        assert row["tags"] == grouped_store.get_tags(row["id"]).to_dict()
        assert row["incident_id"] == grouped_store.incident_of_article(row["id"])
        assert row["text"] == grouped_store.get_article(row["id"]).text

    out = io.StringIO()
    write_articles(grouped_store, out, fmt="csv", query=query)
    csv_rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [int(r["id"]) for r in csv_rows] == [r["id"] for r in rows]
    for csv_row, row in zip(csv_rows, rows, strict=True):
        assert csv_row["vendors"].split(" | ") == row["tags"]["vendors"]
        assert csv_row["incident_id"] == (row["incident_id"] or "")
        assert csv_row["is_outage"] == "true"


def test_all_articles_without_a_query(grouped_store):
    assert len(list(select_articles(grouped_store))) == grouped_store.count_articles()


def _validate_atom(document: bytes, project_root) -> etree._Element:
    root = etree.fromstring(document)
    schema = etree.RelaxNG(etree.parse(str(project_root / "tests" / "fixtures" / "incidents" /
                                           "atom.rng")))
    assert schema.validate(root), schema.error_log
    # What the schema cannot say (RFC 4287 4.1.1 and 4.1.2):
    assert root.find(f"{A}author") is not None or all(
        e.find(f"{A}author") is not None for e in root.iter(f"{A}entry"))
    for entry in root.iter(f"{A}entry"):
        assert entry.find(f"{A}content") is not None or any(
            link.get("rel") == "alternate" for link in entry.iter(f"{A}link"))
    return root


def test_feed_is_valid_atom_with_every_incident(grouped_store, project_root):
    root = _validate_atom(build_feed(grouped_store, limit=500), project_root)
    assert root.tag == f"{A}feed" and root.nsmap[None] == ATOM_NS
    for name in ("id", "title", "updated"):
        assert root.find(f"{A}{name}").text
    entries = root.findall(f"{A}entry")
    assert len(entries) == grouped_store.count_incidents()
    ids = [e.find(f"{A}id").text for e in entries]
    assert len(set(ids)) == len(ids)
    first = entries[0]
    for name in ("id", "title", "updated", "summary", "content"):
        assert first.find(f"{A}{name}") is not None


def test_feed_filters_by_vendor_impact_and_query(grouped_store, project_root):
    root = _validate_atom(build_feed(grouped_store, FeedFilter(vendors=["Hexaline"]),
                                     base_url="http://localhost:8501"), project_root)
    titles = [e.find(f"{A}title").text for e in root.iter(f"{A}entry")]
    expected = {i.title for i in grouped_store.list_incidents(vendor="Hexaline")}
    assert len(expected) >= 2 and set(titles) == expected
    for entry in root.iter(f"{A}entry"):
        terms = {c.get("term") for c in entry.iter(f"{A}category")}
        assert "Hexaline" in terms
        alternate = [link.get("href") for link in entry.iter(f"{A}link")
                     if link.get("rel") == "alternate"]
        # The dashboard's Incident page (url_path "incident") reads the id from ?id=.
        assert alternate and alternate[0].startswith("http://localhost:8501/incident?id=")

    root = _validate_atom(build_feed(grouped_store, FeedFilter(impact=["data_breach"])),
                          project_root)
    breaches = [i for i in grouped_store.list_incidents() if "data_breach" in i.impact]
    assert len(root.findall(f"{A}entry")) == len(breaches) >= 1
    for entry in root.iter(f"{A}entry"):
        categories = {c.get("term"): c.get("label") for c in entry.iter(f"{A}category")}
        assert categories["data_breach"] == "Fuite de données"  # readers see French
        assert "Impact : " in entry.find(f"{A}content").text
        assert "Fuite de données" in entry.find(f"{A}content").text

    root = _validate_atom(build_feed(grouped_store, FeedFilter(query="Hexaline")), project_root)
    assert len(root.findall(f"{A}entry")) >= 1
    root = _validate_atom(build_feed(grouped_store, FeedFilter(query="zzzzunknownword")),
                          project_root)
    assert root.findall(f"{A}entry") == []


def test_feed_links_open_the_incident_page_of_the_dashboard(grouped_store):
    incident = grouped_store.list_incidents(vendor="Hexaline")[0]
    root = etree.fromstring(build_feed(grouped_store, FeedFilter(vendors=["Hexaline"]),
                                       base_url="https://pannes.example/app/"))
    entry = next(e for e in root.iter(f"{A}entry") if e.find(f"{A}title").text == incident.title)
    [alternate] = [link.get("href") for link in entry.iter(f"{A}link")
                   if link.get("rel") == "alternate"]
    assert alternate == f"https://pannes.example/app/incident?id={incident.id}"


def test_feed_emits_only_http_article_links(make_store, project_root):
    store = make_store("schemes.db")
    urls = ["javascript:alert(document.cookie)", "data:text/html,<script>x</script>",
            "https://news.example/hexaline-panne", "ftp://files.example/panne.txt"]
    for n, url in enumerate(urls):
        article = Article(url=url, source="Test", title=f"Panne Hexaline {n}",
                          text=f"Panne géante chez Hexaline, article numéro {n}.",
                          published=date(2024, 10, 17))
        result = store.upsert_article(article)
        store.save_tags(result.article_id, result.version,
                        Tags(is_outage=True, outage_score=1.0, vendors=["Hexaline"],
                             start=date(2024, 10, 17), pipeline_version="gold"))
    regroup(store)
    [incident] = store.list_incidents()
    assert len(incident.article_ids) == 4
    for base_url in (None, "http://localhost:8501"):
        document = build_feed(store, base_url=base_url)
        root = _validate_atom(document, project_root)
        [entry] = root.findall(f"{A}entry")
        hrefs = [link.get("href") for link in entry.iter(f"{A}link")]
        articles = [h for h in hrefs if not h.startswith("http://localhost:8501")]
        assert articles == ["https://news.example/hexaline-panne"]
        assert b"javascript:" not in document and b"data:text" not in document
        assert b"ftp://" not in document
        # The sources are still listed by title, without a link.
        assert "Panne Hexaline 0 (Test)" in entry.find(f"{A}content").text
