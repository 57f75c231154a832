"""The crawl commands as a user runs them: clear output, clear errors, no tracebacks."""

from __future__ import annotations

import io
import json
import socket
from pathlib import Path

import pytest
from localsite import Route, article_page, article_text, rss, sitemap, when
from pannes.store import open_store
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pannes.app.cli import main

CONFIG = """
[crawl]
user_agent = "pannes-tests/0.1"
contact = "veille@example.org"
download_delay = 0
autothrottle = false
timeout = 3
"""


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    """Run `pannes …` in-process with a temporary database, data dir and config."""
    config = tmp_path / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("PANNES_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PANNES_CONFIG", str(config))
    db = tmp_path / "pannes.db"

    def run(*argv: str) -> tuple[int, str, str]:
        code = main([*argv, "--db", str(db)])
        out, err = capsys.readouterr()
        return code, out, err

    run.db = db
    return run


def write_sources(path: Path, *tables: dict) -> Path:
    lines = []
    for table in tables:
        lines.append("[[source]]")
        for key, value in table.items():
            if isinstance(value, list):
                lines.append(f"{key} = [" + ", ".join(f'"{v}"' for v in value) + "]")
            else:
                lines.append(f'{key} = "{value}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_crawl_of_an_unreachable_site_is_a_clear_error(cli, tmp_path):
    port = closed_port()
    sources = write_sources(tmp_path / "sources.toml", {
        "name": "Hors ligne", "kind": "tech", "homepage": f"http://127.0.0.1:{port}/",
        "feeds": [f"http://127.0.0.1:{port}/feed.xml"]})

    code, out, err = cli("crawl", "--sources", str(sources), "--no-resume")

    assert code == 69
    assert "pannes: error: No site could be reached" in err
    assert f"127.0.0.1:{port}/feed.xml" in err
    assert "Traceback" not in err + out


def test_unknown_source_and_bad_sources_file_are_clear_errors(cli, tmp_path):
    code, _, err = cli("crawl", "--source", "Le Journal Inconnu")
    assert code == 78
    assert "Unknown source(s): le journal inconnu" in err
    bad = tmp_path / "bad.toml"
    bad.write_text('[[source]]\nname = "X"\nkind = "blog"\nhomepage = "https://x.fr/"\n')
    code, _, err = cli("crawl", "--sources", str(bad))
    assert code == 78
    assert "`kind` is 'blog'" in err
    assert "Traceback" not in err


def test_sources_lists_the_packaged_french_sources(cli):
    code, out, _ = cli("sources")
    assert code == 0
    for name in ("Silicon.fr", "LeMagIT", "ZDNet.fr", "Le Monde Informatique", "Numerama",
                 "Arrêt sur images", "CB News", "Stratégies", "En-Contact"):
        assert name in out
    assert "Tech press" in out and "Media-industry press" in out
    assert "policy" in out.splitlines()[0]
    [figaro] = [line for line in out.splitlines() if "Le Figaro Tech" in line]
    assert "disabled" in figaro and "licence" in figaro
    [usine] = [line for line in out.splitlines() if "L'Usine Digitale" in line]
    assert "items only" in usine and "enabled" in usine and "strong" in usine


def test_sources_check_says_what_each_feed_answers(cli, site, tmp_path):
    site.add("/feed.xml", Route(rss([(site.url("/a"), when(3))]), content_type="application/rss+xml"))
    site.add("/sitemap.xml", Route(sitemap([(site.url("/a"), when(4)), (site.url("/b"), None)]),
                                   content_type="application/xml"))
    site.add("/casse.xml", Route(b"<html><body>Maintenance</body></html>"))
    site.add("/lent.xml", Route(rss([]), delay=3))
    sources = write_sources(tmp_path / "sources.toml", {
        "name": "Le Veilleur", "kind": "tech", "homepage": site.url("/"),
        "feeds": [site.url("/feed.xml"), site.url("/absent.xml"), site.url("/casse.xml"),
                  site.url("/lent.xml")],
        "sitemaps": [site.url("/sitemap.xml")]})

    code, out, err = cli("sources", "check", "--sources", str(sources), "--timeout", "1",
                         "--json")

    assert code == 1
    [report] = json.loads(out)
    feeds = {f["url"].rsplit("/", 1)[1]: f for f in report["feeds"]}
    assert (feeds["feed.xml"]["ok"], feeds["feed.xml"]["entries"]) == (True, 1)
    assert feeds["feed.xml"]["newest"].startswith("2024-03-03")
    assert (feeds["absent.xml"]["problem"], feeds["absent.xml"]["detail"]) == ("http", "HTTP 404")
    assert feeds["casse.xml"]["problem"] == "not_xml"
    assert feeds["lent.xml"]["problem"] == "timeout"
    assert report["sitemaps"][0]["ok"] and report["sitemaps"][0]["entries"] == 2
    assert report["robots"] == "allowed"
    assert report["article"]["url"] == site.url("/a") and report["article"]["detail"] == "HTTP 404"
    assert report["verdict"] == "stale"  # the newest item is of 2024
    assert site.requests[0][1]["User-Agent"] == "pannes-tests/0.1 contact: veille@example.org"


@pytest.mark.slow
def test_a_disabled_source_is_crawled_only_when_named_with_its_policy_recalled(cli, site,
                                                                              tmp_path):
    site.add("/actu/1", article_page(1))
    site.add("/feed.xml", Route(rss([(site.url("/actu/1"), when(1))]),
                                content_type="application/rss+xml"))
    sources = tmp_path / "sources.toml"
    sources.write_text(f"""[[source]]
name = "Le Quotidien"
homepage = "{site.url('/')}"
feeds = ["{site.url('/feed.xml')}"]
enabled = false
policy = "Licence requise pour la veille de presse."
""", encoding="utf-8")

    code, out, err = cli("crawl", "--sources", str(sources), "--no-resume")
    assert site.paths() == []  # not crawled by default
    code, out, err = cli("crawl", "--sources", str(sources), "--source", "Le Quotidien",
                         "--no-resume", "--max-age-days", "0")

    assert code == 0, err
    assert ("Le Quotidien is disabled by default (Licence requise pour la veille de presse.); "
            "it is crawled because you named it.") in err
    assert "1 new" in out
    code, out, _ = cli("sources", "--sources", str(sources))
    assert "disabled" in out and "Licence requise" in out


@pytest.mark.slow
def test_import_urls_fetches_a_list(cli, site, tmp_path):
    site.add("/actu/1", article_page(1))
    site.add("/actu/2", article_page(2))
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# à reprendre\n{site.url('/actu/1')}\n\n{site.url('/actu/2')}\n"
                       f"{site.url('/actu/absente')}\n", encoding="utf-8")

    code, out, err = cli("import-urls", str(listing), "--source", "Le Veilleur")

    assert code == 0, err
    assert "import-urls finished" in out and "2 new" in out and "http_4xx 1" in out
    with open_store(cli.db) as store:
        article = store.find_article(site.url("/actu/1"))
        assert article.source == "Le Veilleur"
        assert article.title == article_text(1)[0]


def _warc_record(writer: WARCWriter, url: str, body: bytes, status: str = "200 OK") -> None:
    headers = StatusAndHeaders(status, [("Content-Type", "text/html; charset=utf-8")],
                               protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                  http_headers=headers))


def test_import_warc_keeps_french_pages_of_configured_sources(cli, tmp_path):
    from test_bad_input import ENGLISH

    archive = tmp_path / "cc-news.warc.gz"
    with archive.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        _warc_record(writer, "https://www.veilleur.test/actu/1", article_page(1).encode())
        _warc_record(writer, "https://www.veilleur.test/actu/1-copie?utm_source=x",
                     article_page(1).encode())  # the same article again: a duplicate
        _warc_record(writer, "https://www.veilleur.test/en/outage", ENGLISH.encode())
        _warc_record(writer, "https://ailleurs.test/actu/2", article_page(2).encode())
        _warc_record(writer, "https://www.veilleur.test/actu/absente", b"Introuvable",
                     status="404 Not Found")
    sources = write_sources(tmp_path / "sources.toml", {
        "name": "Le Veilleur", "kind": "tech", "homepage": "https://www.veilleur.test/",
        "feeds": ["https://www.veilleur.test/feed.xml"]})

    code, out, err = cli("import-warc", str(archive), "--sources", str(sources), "--json")

    assert code == 0, err
    import json

    stats = json.loads(out)
    assert stats["articles"] == {"duplicate": 1, "new": 1}
    assert stats["non_french"] == 1
    assert stats["skipped"] == {"not_200": 1, "offsite": 1}
    with open_store(cli.db) as store:
        assert store.count_articles() == 1
        article = store.find_article("https://www.veilleur.test/actu/1")
        assert article.source == "Le Veilleur" and article.title == article_text(1)[0]
        assert store.raw_page(article.id).body.startswith(b"<!DOCTYPE html>")
        assert store.crawl_runs()[0].stats["kind"] == "import-warc"

    code, out, _ = cli("import-warc", str(archive), "--sources", str(sources), "--all-domains")
    assert code == 0
    with open_store(cli.db) as store:
        assert store.find_article("https://ailleurs.test/actu/2").source == "ailleurs.test"


def test_import_warc_missing_file_is_a_clear_error(cli, tmp_path):
    code, _, err = cli("import-warc", str(tmp_path / "absent.warc.gz"))
    assert code == 65
    assert "WARC file not found" in err


def one_article_feed(site, tmp_path):
    """One article from March 2024 announced by an RSS feed; the sources file naming it."""
    site.add("/actu/1", article_page(1))
    site.add("/feed.xml", Route(rss([(site.url("/actu/1"), when(3))]),
                                content_type="application/rss+xml"))
    return write_sources(tmp_path / "sources.toml", {
        "name": "Le Veilleur", "kind": "tech", "homepage": site.url("/"),
        "feeds": [site.url("/feed.xml")]})


@pytest.mark.slow
def test_crawl_command_prints_a_summary_and_keeps_old_articles_only_on_request(cli, site, tmp_path):
    sources = one_article_feed(site, tmp_path)

    # The article is from March 2024: older than the default age limit of `pannes crawl`.
    code, out, err = cli("crawl", "--sources", str(sources))
    assert code == 0, err
    assert "0 new" in out and "too_old 1" in out

    code, out, err = cli("crawl", "--sources", str(sources), "--max-age-days", "0", "--json")
    assert code == 0, err
    import json

    stats = json.loads(out)
    assert stats["status"] == "finished" and stats["articles"] == {"new": 1}
    assert "Crawling into" in err
    with open_store(cli.db) as store:
        assert [r.status for r in store.crawl_runs()] == ["finished", "finished"]


@pytest.mark.slow
def test_crawl_without_a_contact_warns_how_to_set_it(cli, site, tmp_path, monkeypatch):
    monkeypatch.delenv("PANNES_CONTACT", raising=False)
    config = tmp_path / "config.toml"
    config.write_text(CONFIG.replace('contact = "veille@example.org"\n', ""), encoding="utf-8")
    sources = one_article_feed(site, tmp_path)

    code, out, err = cli("crawl", "--sources", str(sources), "--max-age-days", "0", "--no-resume")

    assert code == 0, err
    assert "warning: the user agent carries no contact address" in err
    assert f"Set it in {config}:\n  [crawl]\n  contact = " in err
    assert "PANNES_CONTACT" in err
    assert {h["User-Agent"] for _, h in site.requests} == {"pannes-tests/0.1"}

    monkeypatch.setenv("PANNES_CONTACT", "veille@example.org")
    code, _, err = cli("crawl", "--sources", str(sources), "--no-resume")
    assert code == 0, err
    assert "no contact address" not in err


def test_sources_check_when_nothing_answers_is_a_network_error(cli, tmp_path):
    port = closed_port()
    sources = write_sources(tmp_path / "sources.toml", {
        "name": "Hors ligne", "kind": "tech", "homepage": f"http://127.0.0.1:{port}/",
        "feeds": [f"http://127.0.0.1:{port}/feed.xml"],
        "sitemaps": [f"http://127.0.0.1:{port}/sitemap.xml"]})

    code, out, err = cli("sources", "check", "--sources", str(sources), "--timeout", "2")

    assert code == 69
    [row] = [line for line in out.splitlines() if line.startswith("Hors ligne")]
    assert row.split()[-1] == "unreachable"
    assert "FAIL connection" in row  # the feed, then the sitemap
    assert row.count("FAIL connection") == 2
    assert "fix: the site did not answer: check the network" in out
    assert "0 of 1 enabled sources answer as expected" in out
    assert "pannes: error: No source could be reached" in err
    assert "Traceback" not in err


@pytest.mark.slow
def test_import_urls_without_source_uses_the_owning_source_or_the_host(cli, site, tmp_path):
    site.add("/actu/1", article_page(1))
    site.add("/actu/2", article_page(2))
    sources = write_sources(tmp_path / "sources.toml", {
        "name": "Le Veilleur", "kind": "tech", "homepage": site.url("/"),
        "feeds": [site.url("/feed.xml")]})
    elsewhere = site.url("/actu/2").replace("127.0.0.1", "localhost")
    listing = tmp_path / "urls.txt"
    listing.write_text(f"{site.url('/actu/1')}\n{elsewhere}\n", encoding="utf-8")

    code, out, err = cli("import-urls", str(listing), "--sources", str(sources))

    assert code == 0, err
    assert "2 new" in out
    with open_store(cli.db) as store:
        assert store.find_article(site.url("/actu/1")).source == "Le Veilleur"
        assert store.find_article(elsewhere).source == "localhost"
