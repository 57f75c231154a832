"""The sources file: the packaged list, and clear errors for a wrong one."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from pannes.crawler.sources import load_sources, packaged_sources_path, source_for_url

from pannes.errors import ConfigError


def test_packaged_sources_cover_french_tech_and_media_press():
    sources = load_sources(include_disabled=True)
    assert len(sources) >= 30
    kinds = {s.kind for s in sources}
    assert kinds == {"tech", "media", "general"}
    assert sum(s.kind == "media" for s in sources) >= 6
    names = {s.name for s in sources}
    for expected in ("Silicon.fr", "LeMagIT", "ZDNet.fr", "Le Monde Informatique", "01net",
                     "Numerama", "Next", "Clubic", "Frandroid", "Journal du Net",
                     "Les Numériques", "L'Usine Digitale", "Siècle Digital", "BFM Tech&Co",
                     "Zataz", "Arrêt sur images", "CB News", "Stratégies", "Mind Media",
                     "La Lettre", "En-Contact"):
        assert expected in names
    for source in sources:
        assert source.feeds or source.sitemaps, source.name
        assert source.language == "fr"
        for url in (*source.feeds, *source.sitemaps):
            assert url.startswith("https://"), url
            assert source.owns(url), (source.name, url)  # feeds live on the source's domains
        assert source.owns(source.homepage)
        assert source.evidence in ("strong", "moderate", "weak", "none"), source.name
        assert source.enabled or source.policy, source.name  # a disabled source says why


def test_packaged_sources_carry_the_corrections_of_the_public_evidence():
    by_name = {s.name: s for s in load_sources(include_disabled=True)}
    assert by_name["Univers Freebox"].feeds == ("https://www.universfreebox.com/feed",)
    assert by_name["iGeneration"].feeds == ("https://www.igen.fr/rss",)
    assert by_name["ZDNet.fr"].feeds[0] == "https://www.zdnet.fr/feeds/rss/actualites/"
    assert "https://next.ink/feed/free" in by_name["Next"].feeds
    assert "https://www.lemondeinformatique.fr/rss/rss.xml" in by_name["Le Monde Informatique"].feeds
    cio = by_name["CIO Online"]
    assert cio.feeds == ("https://www.cio-online.com/rss",)
    assert cio.alternates == ("https://www.cio-online.com/rss/rss.xml",)
    assert by_name["BFM Tech&Co"].sitemaps == ("https://www.bfmtv.com/sitemap_news.xml",)
    for name in ("Le Monde Pixels", "Le Figaro Tech"):  # press monitoring needs a licence
        assert not by_name[name].enabled and "licence" in by_name[name].policy
    assert {s.name for s in by_name.values() if s.feed_only} == {
        "L'Usine Digitale", "Les Echos Tech-Médias", "Écran Total"}
    enabled = {s.name for s in load_sources()}
    assert "Le Figaro Tech" not in enabled and "L'Usine Digitale" in enabled
    assert {s.name for s in load_sources(only=["le figaro tech"])} == {"Le Figaro Tech"}


def test_sources_from_dicts_have_defaults_and_filters():
    [source] = load_sources([{"name": "Exemple", "homepage": "https://www.exemple.fr/",
                              "feeds": "https://www.exemple.fr/rss"}])
    assert source.kind == "tech" and source.allowed_domains == ("exemple.fr",)
    assert source.feeds == ("https://www.exemple.fr/rss",)
    assert source.wants("https://www.exemple.fr/actu/une-panne-123.html")
    assert source.wants("https://blog.exemple.fr/actu/x")
    assert not source.wants("https://www.exemple.fr/tag/panne/")
    assert not source.wants("https://www.exemple.fr/actu/page/2/")
    assert not source.wants("https://autre.fr/actu/x")
    assert source_for_url([source], "https://www.exemple.fr/a").name == "Exemple"
    assert source_for_url([source], "https://autre.fr/a") is None


@pytest.mark.parametrize("table, message", [
    ({"kind": "tech", "homepage": "https://x.fr/"}, "has no `name`"),
    ({"name": "X", "homepage": "ftp://x.fr/"}, "not an http(s) address"),
    ({"name": "X", "homepage": "https://x.fr/", "feeds": ["x.fr/rss"]}, "`feeds` has 'x.fr/rss'"),
    ({"name": "X", "homepage": "https://x.fr/", "kind": "radio"}, "use one of tech, media, general"),
    ({"name": "X", "homepage": "https://x.fr/", "flux": []}, "unknown field(s) flux"),
    ({"name": "X", "homepage": "https://x.fr/", "url_pattern": "(("}, "bad regular expression"),
    ({"name": "X", "homepage": "https://x.fr/", "articles": "rss"}, "`articles` is 'rss'"),
    ({"name": "X", "homepage": "https://x.fr/", "articles": "feed"}, "needs at least one feed"),
    ({"name": "X", "homepage": "https://x.fr/", "evidence": "sure"}, "`evidence` is 'sure'"),
])
def test_bad_source_tables_say_what_to_fix(table, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_sources([table])


def test_duplicate_names_and_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="unique"):
        load_sources([{"name": "A", "homepage": "https://a.fr/"},
                      {"name": "a", "homepage": "https://b.fr/"}])
    with pytest.raises(ConfigError, match="not found"):
        load_sources(tmp_path / "none.toml")
    assert packaged_sources_path().is_file()
    assert urlsplit(load_sources(packaged_sources_path())[0].homepage).scheme == "https"
