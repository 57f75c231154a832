"""robots.txt rules are matched against our product token, not the whole user agent.

Real robots.txt files have short groups (`User-agent: rma`, `fetch`, `wget`) meant for other
bots; matched against a whole user agent, they can hit a word of its description or of the
newsroom's contact address and refuse every page of a site.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from localsite import Route, article_page, rss, when
from pannes.crawler.settings import robots_token, scrapy_settings
from scrapy.robotstxt import ProtegoRobotParser

from pannes.config import load_settings

# Written for these tests, in the shape of a general-press site's robots.txt.
SHORT_GROUPS = b"""# Robots des partenaires uniquement.
User-agent: rma
Disallow: /

User-agent: fetch
Disallow: /

User-agent: wget
Disallow: /

User-agent: *
Disallow: /prive/
Sitemap: https://www.quotidien.example/sitemap_news.xml
"""
CONTACTS = ["rma.durand@redaction.example", "fetch-veille@quotidien.example",
            "veille (wget) <desk@radio.example>", "https://rma.example/contact"]


def full_agent(contact: str) -> str:
    settings = load_settings(env={"PANNES_CONTACT": contact})
    return settings.crawl.full_user_agent


@pytest.mark.parametrize("contact", CONTACTS)
def test_a_short_group_matches_the_whole_user_agent_but_never_our_token(contact):
    parser = ProtegoRobotParser(SHORT_GROUPS, None)
    settings = load_settings(env={"PANNES_CONTACT": contact})
    article = "https://www.quotidien.example/tech/panne-messagerie.html"

    assert not parser.allowed(article, full_agent(contact))  # what Scrapy did by default
    token = scrapy_settings(settings.crawl, data_dir=settings.data_dir)["ROBOTSTXT_USER_AGENT"]
    assert token == "pannes"
    assert parser.allowed(article, token)
    assert not parser.allowed("https://www.quotidien.example/prive/x.html", token)


def test_the_token_is_the_product_of_the_configured_user_agent():
    assert robots_token("pannes/0.1 (+https://example.org; veille des pannes informatiques)") \
        == "pannes"
    assert robots_token("MaRedaction-veille/2.0 (desk@redaction.example)") == "MaRedaction-veille"
    assert robots_token("  ") == "pannes"


@pytest.mark.slow
@pytest.mark.parametrize("setting", ["token", "whole user agent"])
def test_a_crawl_obeys_the_rules_for_its_token_and_sends_its_full_user_agent(
        site, crawl, crawl_settings, setting):
    site.add("/robots.txt", Route(SHORT_GROUPS, content_type="text/plain"))
    site.add("/actu/1", article_page(1))
    site.add("/prive/2", article_page(2))
    site.add("/feed.xml", Route(rss([(site.url("/actu/1"), when(1)), (site.url("/prive/2"), when(2))]),
                                content_type="application/rss+xml"))
    contact = "rma.durand@redaction.example"
    settings = replace(crawl_settings, crawl=replace(crawl_settings.crawl, contact=contact))
    from pannes.crawler.run import run_crawl

    overrides = {"RETRY_TIMES": 0}
    if setting == "whole user agent":
        overrides["ROBOTSTXT_USER_AGENT"] = None  # Scrapy's default
    stats = run_crawl(settings, sources=[site.source()], scrapy_overrides=overrides)

    agents = {headers.get("User-Agent") for _, headers in site.requests}
    assert agents == {f"pannes-tests/0.1 contact: {contact}"}
    if setting == "token":
        assert stats.articles == {"new": 1}
        assert stats.skipped == {"robots": 1}  # /prive/ only
    else:  # the whole site refused, from its feed on
        assert stats.articles == {} and stats.skipped == {"robots": 1}
        assert site.paths() == ["/robots.txt"]


@pytest.mark.slow
@pytest.mark.parametrize("robots_sitemaps", [True, False])
def test_the_sitemaps_robots_txt_announces_are_read(demo_site, crawl, robots_sitemaps):
    outlet = demo_site.outlets[0]
    [source] = [s for s in demo_site.sources() if s["name"] == outlet.name]
    announced = source.pop("sitemaps")  # the demo's robots.txt announces these
    assert announced and all(f"Sitemap: {url}" in demo_site.page(
        outlet.key, "/robots.txt").body.decode() for url in announced)
    source["robots_sitemaps"] = robots_sitemaps
    start = len(demo_site.requests(outlet.key))

    stats = crawl([source], strategies=("sitemaps",))

    articles = [a for a in demo_site.corpus.articles if a.outlet == outlet.key]
    asked = {r.path for r in demo_site.requests(outlet.key)[start:]}
    assert stats.errors == {}
    if robots_sitemaps:
        assert stats.articles == {"new": len(articles)}
        assert stats.sources[outlet.name]["robots_sitemaps"] == len(announced)
        assert {demo_site.base_url(outlet.key) + p for p in asked} >= set(announced)
    else:
        assert stats.articles == {} and asked == set()  # nothing configured, nothing asked


@pytest.mark.slow
def test_a_site_without_robots_txt_is_no_error_of_a_sitemap_crawl(site, crawl):
    site.routes.pop("/robots.txt")  # answers 404

    stats = crawl([site.source(feeds=())], strategies=("sitemaps",))

    assert stats.errors == {} and stats.articles == {}
    assert site.count("/robots.txt") == 2  # Scrapy's robots.txt check, then ours
