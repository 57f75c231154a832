"""`pannes sources check` against the demo site, each outlet given a fault real sites show.

The same five outlets are first checked as served (all fine), then each with one fault: the
verdict and the fix follow the fault, not the outlet.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from pannes.crawler.check import check_sources
from pannes.crawler.sources import load_sources

AGENT = "pannes-tests/0.1 contact: veille@example.org"
# outlet key -> the fault it is given, and the verdict that must follow
FAULTS = {
    "echo-des-serveurs": ("feed_404", "feed_missing"),
    "gazette-du-reseau": ("feed_html", "not_a_feed"),
    "antenne-info": ("robots_refusal", "robots_refused"),
    "fil-regional": ("articles_403", "articles_refused"),
}
STALE = "hebdo-du-numerique"  # its one article is moved 90 days back: nothing new in 30 days


def as_toml(tables: list[dict]) -> str:
    """A sources file (JSON strings are TOML basic strings)."""
    lines = []
    for table in tables:
        lines.append("[[source]]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in table.items()]
    return "\n".join(lines) + "\n"


def newest(site):
    return max(a.last_change for a in site.corpus.articles)


def check(site, **kwargs):
    sources = load_sources(site.sources())
    reports = check_sources(sources, user_agent=AGENT, robots_token="pannes", timeout=5,
                            workers=2, now=newest(site) + timedelta(days=2), **kwargs)
    return {r.source: r for r in reports}


def by_key(site, reports):
    return {o.key: reports[o.name] for o in site.outlets}


@pytest.mark.slow
def test_each_kind_of_failure_gets_its_verdict_and_fix(fresh_demo_site):
    site = fresh_demo_site
    healthy = by_key(site, check(site))
    for key, report in healthy.items():
        assert (report.verdict, report.fix) == ("ok", ""), key
        assert report.robots == "allowed"
        assert report.feeds[0].ok and report.feeds[0].entries >= 1
        assert report.article is not None and report.article.ok and report.article.chars > 200
        assert report.sitemaps and report.sitemaps[0].ok

    stale_id = next(a.id for a in site.corpus.articles if a.outlet == STALE)
    last = site.article(stale_id).last_change - timedelta(days=90)
    site.update_article(stale_id, published=last.strftime("%Y-%m-%dT%H:%M"), updated=None)
    for key, (fault, _) in FAULTS.items():
        site.set_fault(key, fault)
    start = {o.key: len(site.requests(o.key)) for o in site.outlets}

    reports = by_key(site, check(site))

    for key, (fault, verdict) in FAULTS.items():
        assert reports[key].verdict == verdict, (fault, reports[key])
    assert reports[STALE].verdict == "stale"
    assert "over 30 days ago" in reports[STALE].fix
    assert reports["echo-des-serveurs"].feeds[0].detail == "HTTP 404"
    assert "its sitemap still answers" in reports["echo-des-serveurs"].fix
    assert reports["echo-des-serveurs"].article.ok  # read through its sitemap index
    assert "HTML" in reports["gazette-du-reseau"].feeds[0].detail
    assert "no other address found" in reports["gazette-du-reseau"].fix
    assert "robots.txt refuses our bot ('pannes')" in reports["antenne-info"].fix
    assert reports["fil-regional"].article.detail == "HTTP 403"
    assert 'articles = "feed"' in reports["fil-regional"].fix
    assert "browser" in reports["fil-regional"].fix  # never pretend to be one
    # The refused site is asked for its robots.txt and nothing else; every request says who we are.
    asked = {o.key: site.requests(o.key)[start[o.key]:] for o in site.outlets}
    assert [r.path for r in asked["antenne-info"]] == ["/robots.txt"]
    assert {r.headers.get("User-Agent") for o in asked.values() for r in o} == {AGENT}


@pytest.mark.slow
def test_a_feed_only_source_is_checked_on_its_feed_item_and_a_disabled_one_not_at_all(
        fresh_demo_site):
    site = fresh_demo_site
    site.set_fault("fil-regional", "articles_403")
    sources = site.sources()
    for source in sources:
        if source["name"] == site.corpus.outlet("fil-regional").name:
            source["articles"] = "feed"
        if source["name"] == site.corpus.outlet("antenne-info").name:
            source.update(enabled=False, policy="Licence requise pour la veille.")
    start = {o.key: len(site.requests(o.key)) for o in site.outlets}

    reports = by_key(site, {r.source: r for r in check_sources(
        load_sources(sources, include_disabled=True), user_agent=AGENT, robots_token="pannes",
        timeout=5, now=newest(site) + timedelta(days=2))})

    feed_only = reports["fil-regional"]
    assert feed_only.verdict == "ok" and feed_only.article.ok
    assert feed_only.sitemaps == []  # its article pages refuse us: no sitemap read
    articles = {site.article_url(a.id).split(":", 2)[2].split("/", 1)[1]
                for a in site.corpus.articles if a.outlet == "fil-regional"}
    asked = {r.path.lstrip("/") for r in site.requests("fil-regional")[start["fil-regional"]:]}
    assert articles and not articles & asked
    assert all(r.status == 200 for r in site.requests("fil-regional")[start["fil-regional"]:])
    disabled = reports["antenne-info"]
    assert disabled.verdict == "disabled" and "Licence requise" in disabled.fix
    assert site.requests("antenne-info")[start["antenne-info"]:] == []


def test_the_cli_report_and_its_json(fresh_demo_site, tmp_path, monkeypatch, capsys):
    from pannes.app.cli import main

    site = fresh_demo_site
    site.set_fault("echo-des-serveurs", "feed_404")
    config = tmp_path / "config.toml"
    config.write_text('[crawl]\nuser_agent = "pannes-tests/0.1"\ncontact = "veille@example.org"\n',
                      encoding="utf-8")
    monkeypatch.setenv("PANNES_CONFIG", str(config))
    monkeypatch.setenv("PANNES_DATA_DIR", str(tmp_path / "data"))
    toml = tmp_path / "sources.toml"
    toml.write_text(as_toml(site.sources()), encoding="utf-8")
    days = str((newest(site) - newest(site).replace(year=2000)).days + 30)  # nothing stale

    code = main(["sources", "check", "--sources", str(toml), "--stale-days", days, "--json"])
    rows = {r["source"]: r for r in json.loads(capsys.readouterr().out)}
    code_text = main(["sources", "check", "--sources", str(toml), "--stale-days", days])
    text = capsys.readouterr().out

    assert code == code_text == 1  # one source fails
    echo = rows[site.corpus.outlet("echo-des-serveurs").name]
    assert echo["verdict"] == "feed_missing" and echo["ok"] is False
    assert echo["feeds"][0]["problem"] == "http" and echo["feeds"][0]["detail"] == "HTTP 404"
    others = [r for name, r in rows.items() if name != echo["source"]]
    assert len(others) == 4 and all(r["verdict"] == "ok" for r in others)
    assert all(r["feeds"][0]["entries"] >= 1 and r["feeds"][0]["newest"] for r in others)
    assert "4 of 5 enabled sources answer as expected; 0 disabled." in text
    assert "feed_missing" in text and "fix: " in text
