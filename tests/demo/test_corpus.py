"""The demo corpus meets its brief as data: counts, taxonomies, incident links, calendar, syndication.

The corpus doubles as an annotated test set for the tagger and feeds the demo sites and the
dashboard, so a broken label or a wrong weekday here would mislead every later measurement.
Each check is a small function returning the problems it finds; the tests run it on the real
corpus (expecting none) and on a deliberately broken record (expecting some), so they can fail.
"""

from __future__ import annotations

import calendar
import copy
import json
import re
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from pannes.records import CAUSE_LABELS, IMPACT_LABELS

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
CORPUS_DIR = DEMO_DIR / "corpus"

ARTICLE_KEYS = {
    "id", "outlet", "slug", "section", "title", "standfirst", "author", "published", "updated",
    "language", "text", "syndicated_from", "gold",
}
GOLD_KEYS = {
    "is_outage", "vendors", "affected", "impact", "cause", "cause_ruled_out", "duration", "start", "end",
    "region", "users_affected", "users_affected_text", "mentions", "incident_id", "same_incident_as", "notes",
}
MENTION_KEYS = {"vendor", "when", "duration_text", "hours_min", "hours_max", "users_affected_text", "cause", "region"}
VENDOR_SECTORS = {
    "telecom", "cloud_hosting", "saas", "payment_bank_it", "media_services", "it_services", "social_network",
    "device_maker", "media_publisher", "public_body", "transport", "other",
}
REQUIRED_FAILING_SECTORS = {"telecom", "cloud_hosting", "saas", "payment_bank_it", "media_services", "it_services"}
EXTRA_FAILING_SECTORS = {"social_network", "transport", "public_body"}

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
WEEKDAY_DATE = re.compile(
    rf"\b({'|'.join(WEEKDAYS)})\s+(1er|\d{{1,2}})\s+({'|'.join(MONTHS)})(?:\s+(\d{{4}}))?",
    re.IGNORECASE,
)
SCRIPT_TITLE = '<script>alert("pannes")</script>'
THIS_WEEK = (date(2026, 11, 16), date(2026, 11, 24))


# --------------------------------------------------------------------------- loading


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="module")
def articles() -> list[dict[str, Any]]:
    return _read_jsonl(CORPUS_DIR / "articles.jsonl")


@pytest.fixture(scope="module")
def outlets() -> list[dict[str, Any]]:
    return json.loads((CORPUS_DIR / "outlets.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def vendors() -> dict[str, dict[str, Any]]:
    return {row["name"]: row for row in _read_jsonl(DEMO_DIR / "vendors.jsonl")}


def _originals(articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """French pages that are not syndicated copies: the ones counted towards the brief."""
    return [a for a in articles if a["language"] == "fr" and not a["syndicated_from"]]


def _full_text(article: dict[str, Any]) -> str:
    return "\n".join([article["title"], article["standfirst"], article["text"]])


# --------------------------------------------------------------------------- checks


def weekday_mismatches(article: dict[str, Any]) -> list[str]:
    """'<weekday> <day> <month> [year]' phrases whose weekday is wrong (year: nearest to publication)."""
    published = datetime.fromisoformat(article["published"]).date()
    problems = []
    for match in WEEKDAY_DATE.finditer(_full_text(article)):
        day = 1 if match.group(2) == "1er" else int(match.group(2))
        month = MONTHS.index(match.group(3).lower()) + 1
        if match.group(4):
            year = int(match.group(4))
        else:
            candidates = [published.year - 1, published.year, published.year + 1]
            year = min(candidates, key=lambda y: abs((date(y, month, min(day, 28)) - published).days))
        actual = WEEKDAYS[calendar.weekday(year, month, day)]
        if actual != match.group(1).lower():
            problems.append(f"{article['id']}: '{match.group(0)}' is a {actual} in {year}")
    return problems


def incident_link_problems(articles: list[dict[str, Any]]) -> list[str]:
    """same_incident_as must list exactly the other articles sharing the incident_id, symmetrically."""
    by_incident: dict[str, set[str]] = defaultdict(set)
    for a in articles:
        if a["gold"]["incident_id"]:
            by_incident[a["gold"]["incident_id"]].add(a["id"])
    ids = {a["id"] for a in articles}
    links = {a["id"]: set(a["gold"]["same_incident_as"]) for a in articles}
    problems = []
    for a in articles:
        gold = a["gold"]
        linked = links[a["id"]]
        if unknown := linked - ids:
            problems.append(f"{a['id']}: links unknown ids {sorted(unknown)}")
        if a["id"] in linked:
            problems.append(f"{a['id']}: links itself")
        for other in linked & ids:
            if a["id"] not in links[other]:
                problems.append(f"{a['id']} -> {other} is not symmetric")
        if gold["is_outage"] and not gold["incident_id"]:
            problems.append(f"{a['id']}: outage without incident_id")
        if not gold["is_outage"] and (gold["incident_id"] or linked):
            problems.append(f"{a['id']}: non-outage with an incident")
        if gold["incident_id"] and linked != by_incident[gold["incident_id"]] - {a["id"]}:
            problems.append(f"{a['id']}: same_incident_as disagrees with incident_id")
    return problems


def label_problems(article: dict[str, Any]) -> list[str]:
    """Impact and cause labels come from the taxonomies; non-outages carry no incident tags."""
    gold, aid = article["gold"], article["id"]
    problems = [f"{aid}: impact {x!r}" for x in gold["impact"] if x not in IMPACT_LABELS]
    problems += [f"{aid}: ruled out {x!r}" for x in gold["cause_ruled_out"] if x not in CAUSE_LABELS]
    problems += [f"{aid}: mention cause {m['cause']!r}" for m in gold["mentions"]
                 if m["cause"] is not None and m["cause"] not in CAUSE_LABELS]
    if gold["is_outage"]:
        if gold["cause"] not in CAUSE_LABELS:
            problems.append(f"{aid}: cause {gold['cause']!r}")
        if not gold["vendors"] or not gold["impact"]:
            problems.append(f"{aid}: outage without vendor or impact")
    else:
        empty = (not gold["vendors"] and not gold["affected"] and not gold["impact"] and gold["cause"] is None
                 and not gold["cause_ruled_out"] and gold["start"] is None and not gold["duration"]["text"]
                 and gold["duration"]["hours_min"] is None and gold["duration"]["hours_max"] is None)
        if not empty:
            problems.append(f"{aid}: non-outage with outage tags")
    return problems


def organisation_problems(article: dict[str, Any], vendors: dict[str, dict[str, Any]]) -> list[str]:
    """Gold organisations are canonical names of demo/vendors.jsonl, named in the page in some form."""
    gold, aid = article["gold"], article["id"]
    text = _full_text(article).lower()
    problems = []
    for name in gold["vendors"] + gold["affected"]:
        if name not in vendors:
            problems.append(f"{aid}: {name!r} is not a canonical name")
        elif not any(form.lower() in text for form in [name, *vendors[name]["aliases"]]):
            problems.append(f"{aid}: {name!r} is not named in the page")
    if set(gold["vendors"]) & set(gold["affected"]):
        problems.append(f"{aid}: an organisation is both vendor and affected")
    problems += [f"{aid}: mention vendor {m['vendor']!r}" for m in gold["mentions"]
                 if m["vendor"] is not None and m["vendor"] not in vendors]
    return problems


def duration_problems(article: dict[str, Any]) -> list[str]:
    """Hours are ordered, phrases are quoted verbatim, dates are consistent with publication."""
    gold, aid = article["gold"], article["id"]
    duration = gold["duration"]
    text = _full_text(article)
    problems = [f"{aid}: duration phrase {p!r} not in the page" for p in duration["text"] if p not in text]
    spans = [(duration["hours_min"], duration["hours_max"])]
    spans += [(m["hours_min"], m["hours_max"]) for m in gold["mentions"]]
    for low, high in spans:
        if low is not None and high is not None and low > high:
            problems.append(f"{aid}: hours_min {low} > hours_max {high}")
    if gold["users_affected_text"] and gold["users_affected_text"] not in text:
        problems.append(f"{aid}: users phrase not in the page")
    published = datetime.fromisoformat(article["published"]).date()
    start = date.fromisoformat(gold["start"]) if gold["start"] else None
    end = date.fromisoformat(gold["end"]) if gold["end"] else None
    if start and start > published:
        problems.append(f"{aid}: start after publication")
    if start and end and end < start:
        problems.append(f"{aid}: end before start")
    if gold["is_outage"] and duration["ongoing"] and end:
        problems.append(f"{aid}: ongoing incident with an end date")
    return problems


# --------------------------------------------------------------------------- the checks can fail


def _broken(article: dict[str, Any], **gold_changes: Any) -> dict[str, Any]:
    broken = copy.deepcopy(article)
    broken["gold"].update(gold_changes)
    return broken


def test_checks_catch_broken_records(articles, vendors):
    outage = next(a for a in articles if a["gold"]["is_outage"] and a["gold"]["same_incident_as"])
    wrong_day = copy.deepcopy(outage)
    wrong_day["published"] = "2026-11-20T10:00"
    wrong_day["text"] += "\n\nLa panne a commencé mardi 19 novembre."  # a Thursday in 2026
    assert weekday_mismatches(wrong_day)
    assert label_problems(_broken(outage, impact=["coupure"]))
    assert label_problems(_broken(outage, cause="météo"))
    assert organisation_problems(_broken(outage, vendors=["Orange"]), vendors)
    duration = dict(outage["gold"]["duration"], hours_min=10, hours_max=2)
    assert duration_problems(_broken(outage, duration=duration))
    one_sided = [_broken(outage, same_incident_as=[])] + [a for a in articles if a["id"] != outage["id"]]
    assert incident_link_problems(one_sided)


# --------------------------------------------------------------------------- the corpus


def test_every_record_has_the_documented_fields(articles):
    for a in articles:
        assert set(a) == ARTICLE_KEYS, a["id"]
        assert set(a["gold"]) == GOLD_KEYS, a["id"]
        assert set(a["gold"]["duration"]) == {"text", "hours_min", "hours_max", "ongoing"}, a["id"]
        for mention in a["gold"]["mentions"]:
            assert set(mention) == MENTION_KEYS, a["id"]
        assert a["language"] in {"fr", "en"}
        assert a["text"].strip() and "\n\n" in a["text"], a["id"]
        assert a["gold"]["notes"], a["id"]


def test_ids_unique_and_slugs_unique_per_outlet(articles):
    ids = [a["id"] for a in articles]
    assert len(ids) == len(set(ids))
    slugs = [(a["outlet"], a["slug"]) for a in articles]
    assert len(slugs) == len(set(slugs))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", a["slug"]) for a in articles)


def test_outlets_are_distinct_and_used(articles, outlets):
    keys = [o["key"] for o in outlets]
    assert len(outlets) >= 4 and len(set(keys)) == len(keys)
    assert {"tech", "media", "general"} <= {o["kind"] for o in outlets}
    assert len({o["template"] for o in outlets}) == len(outlets)
    assert all(o["feed"] in {"rss", "atom"} for o in outlets)
    used = {a["outlet"] for a in articles}
    assert used == set(keys)


def test_counts_meet_the_brief(articles):
    originals = _originals(articles)
    outages = [a for a in originals if a["gold"]["is_outage"]]
    negatives = [a for a in originals if not a["gold"]["is_outage"]]
    assert len(articles) >= 90
    assert len(outages) >= 50
    assert len(negatives) >= 30
    assert len([a for a in articles if a["language"] == "en"]) == 2


def test_failing_vendors_cover_the_sectors(articles, vendors):
    failing = {v for a in _originals(articles) if a["gold"]["is_outage"] for v in a["gold"]["vendors"]}
    assert len(failing) >= 18
    sectors = {vendors[v]["sector"] for v in failing}
    assert REQUIRED_FAILING_SECTORS <= sectors
    assert len(EXTRA_FAILING_SECTORS & sectors) >= 2
    assert any("health_services" in a["gold"]["impact"] for a in articles)  # health IT


def test_vendor_file_is_well_formed(vendors):
    assert all(v["sector"] in VENDOR_SECTORS for v in vendors.values())
    forms = [f.lower() for v in vendors.values() for f in [v["name"], *v["aliases"]]]
    assert len(forms) == len(set(forms)), "an alias is shared by two organisations"


def test_labels_belong_to_the_taxonomies(articles):
    assert [p for a in articles for p in label_problems(a)] == []


def test_taxonomies_are_fully_exercised(articles):
    outages = [a["gold"] for a in _originals(articles) if a["gold"]["is_outage"]]
    assert {i for g in outages for i in g["impact"]} == set(IMPACT_LABELS)
    assert {g["cause"] for g in outages} == set(CAUSE_LABELS)
    assert sum(bool(g["cause_ruled_out"]) for g in outages) >= 5
    assert any(g["duration"]["ongoing"] for g in outages)


def test_gold_organisations_are_canonical_and_named(articles, vendors):
    assert [p for a in articles for p in organisation_problems(a, vendors)] == []


def test_durations_and_dates_are_consistent(articles):
    assert [p for a in articles for p in duration_problems(a)] == []


def test_weekday_names_match_the_calendar(articles):
    assert [p for a in articles for p in weekday_mismatches(a)] == []


def test_published_dates_parse_and_fall_in_the_period(articles):
    for a in articles:
        published = datetime.fromisoformat(a["published"])
        assert date(2024, 1, 1) <= published.date() <= date(2026, 11, 24), a["id"]
        if a["updated"]:
            assert datetime.fromisoformat(a["updated"]) >= published, a["id"]


def test_this_week_has_outage_stories(articles):
    recent = [a for a in _originals(articles) if a["gold"]["is_outage"]
              and THIS_WEEK[0] <= datetime.fromisoformat(a["published"]).date() <= THIS_WEEK[1]]
    assert len(recent) >= 6


def test_incident_links_are_symmetric(articles):
    assert incident_link_problems(articles) == []


def test_multi_outlet_incidents_with_an_update(articles):
    incidents: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in _originals(articles):
        if a["gold"]["incident_id"]:
            incidents[a["gold"]["incident_id"]].append(a)
    covered = []
    for incident_id, members in incidents.items():
        outlets = {a["outlet"] for a in members}
        days = sorted(datetime.fromisoformat(a["published"]) for a in members)
        if 2 <= len(outlets) <= 4 and (days[-1] - days[0]).days >= 2:
            covered.append(incident_id)
    assert len(covered) >= 6, covered


def test_syndicated_copies_repeat_their_original(articles):
    by_id = {a["id"]: a for a in articles}
    copies = [a for a in articles if a["syndicated_from"]]
    assert 2 <= len(copies) <= 3
    for c in copies:
        original = by_id[c["syndicated_from"]]
        assert not original["syndicated_from"]
        assert c["outlet"] != original["outlet"]
        assert c["text"] == original["text"]
        for key in GOLD_KEYS - {"same_incident_as", "notes"}:
            assert c["gold"][key] == original["gold"][key], (c["id"], key)


def test_english_pages_are_flagged(articles):
    for a in articles:
        if a["language"] == "en":
            assert "excluded from tagging" in a["gold"]["notes"], a["id"]


def test_script_title_is_present(articles):
    pages = [a for a in articles if SCRIPT_TITLE in a["title"]]
    assert len(pages) == 1 and not pages[0]["gold"]["is_outage"]


@pytest.mark.parametrize("phrase", [
    "panne de croissance", "en panne d'inspiration", "sans interruption de service", "sans coupure",
    "aucune panne n'a été constatée", "exercice de crise simulant une panne", "a perdu 50 000 abonnés",
])
def test_hard_negatives_are_present(articles, phrase):
    assert any(phrase in _full_text(a).lower() for a in articles if not a["gold"]["is_outage"]), phrase


def test_mentions_match_some_incidents_and_not_others(articles):
    starts = {(v, a["gold"]["start"][:7]) for a in articles if a["gold"]["is_outage"] and a["gold"]["start"]
              for v in a["gold"]["vendors"]}
    mentions = [m for a in articles for m in a["gold"]["mentions"] if m["vendor"]]
    matched = [m for m in mentions if (m["vendor"], m["when"][:7]) in starts]
    assert matched and len(matched) < len(mentions)


def test_lengths_fit_the_brief(articles):
    for a in articles:
        if a["syndicated_from"]:
            continue
        words = len(a["text"].split())
        low, high = (250, 700) if a["gold"]["is_outage"] else (150, 500)
        assert low <= words <= high, (a["id"], words)
