"""`pannes import-warc` on archives built here with warcio: filters, failures, fetch state."""

from __future__ import annotations

import io
import json
import logging
import sqlite3
from pathlib import Path

import pytest
from localsite import Route, article_page, rss, when
from pannes.store import open_store
from test_cli import cli, write_sources  # noqa: F401 - the `cli` fixture
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SITE = "https://www.veilleur.test"


def write_warc(path: Path, pages: list[tuple[str, bytes]], *, gzip: bool = True) -> Path:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        for url, body in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers))
    return path


def veilleur(tmp_path: Path, homepage: str = SITE + "/") -> Path:
    return write_sources(tmp_path / "sources.toml", {
        "name": "Le Veilleur", "kind": "tech", "homepage": homepage,
        "feeds": [homepage + "feed.xml"]})


def import_warc(cli, *files: Path, sources: Path) -> dict:  # noqa: F811
    code, out, err = cli("import-warc", *map(str, files), "--sources", str(sources), "--json")
    assert code == 0, err
    assert "Traceback" not in err
    return json.loads(out)


def test_a_store_failure_on_one_record_does_not_stop_the_import(cli, tmp_path):  # noqa: F811
    archive = write_warc(tmp_path / "a.warc.gz", [
        (f"{SITE}/actu/{n}", article_page(n).encode()) for n in (1, 2, 3)])
    with open_store(cli.db, create=True):
        pass
    with sqlite3.connect(cli.db) as conn:  # the disk refuses the second article only
        conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON articles "
                     f"WHEN NEW.url = '{SITE}/actu/2' "
                     "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")

    stats = import_warc(cli, archive, sources=veilleur(tmp_path))

    assert stats["articles"] == {"new": 2}
    assert stats["errors"] == {"store_failed": 1}
    [sample] = stats["error_samples"]
    assert sample["url"] == f"{SITE}/actu/2" and "disk is full" in sample["reason"]
    with open_store(cli.db) as store:
        assert store.find_article(f"{SITE}/actu/3") is not None
        assert store.get_fetch_state(f"{SITE}/actu/3") is not None
        assert store.get_fetch_state(f"{SITE}/actu/2") is None  # tried again next time


def test_exclude_patterns_and_the_page_size_cap_apply(cli, tmp_path):  # noqa: F811
    config = Path(__import__("os").environ["PANNES_CONFIG"])
    config.write_text(config.read_text() + "max_page_bytes = 200000\n", encoding="utf-8")
    huge = article_page(8, extra_body="<p>" + "remplissage " * 40_000 + "</p>").encode()
    archive = write_warc(tmp_path / "a.warc.gz", [
        (f"{SITE}/actu/1", article_page(1).encode()),
        (f"{SITE}/tag/pannes/", article_page(2).encode()),  # a listing page, excluded
        (f"{SITE}/actu/enorme", huge),
    ])

    stats = import_warc(cli, archive, sources=veilleur(tmp_path))

    assert stats["articles"] == {"new": 1}
    assert stats["skipped"] == {"excluded": 1}
    assert stats["errors"] == {"oversized": 1}
    with open_store(cli.db) as store:
        assert store.count_articles() == 1
        assert store.find_article(f"{SITE}/actu/enorme") is None


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
def test_a_truncated_archive_is_a_counted_error_naming_the_file(cli, tmp_path, caplog,  # noqa: F811
                                                                gzip):
    whole = write_warc(tmp_path / "whole.warc", [
        (f"{SITE}/actu/{n}", article_page(n).encode()) for n in (1, 2, 3)], gzip=gzip)
    data = whole.read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    cut.write_bytes(data[:len(data) - 200])  # the last record is cut short
    other = write_warc(tmp_path / "other.warc.gz", [(f"{SITE}/actu/9", article_page(9).encode())])

    with caplog.at_level(logging.WARNING, logger="pannes.crawler.warc"):
        stats = import_warc(cli, cut, other, sources=veilleur(tmp_path))

    assert stats["errors"] == {"broken_warc": 1}
    [sample] = stats["error_samples"]
    assert sample["url"] == str(cut) and "truncated" in sample["reason"]
    assert any(str(cut) in r.getMessage() for r in caplog.records)
    assert stats["articles"] == {"new": 3}  # two before the cut, and the next file's
    with open_store(cli.db) as store:
        assert store.find_article(f"{SITE}/actu/9") is not None


@pytest.mark.slow
def test_a_later_crawl_does_not_fetch_imported_urls_again(cli, site, tmp_path):  # noqa: F811
    for n in (1, 2):
        site.add(f"/actu/{n}", article_page(n))
    site.add("/feed.xml", Route(rss([(site.url("/actu/1?utm_source=rss"), when(3)),
                                     (site.url("/actu/2"), when(3))]),
                                content_type="application/rss+xml"))
    sources = veilleur(tmp_path, site.url("/"))
    archive = write_warc(tmp_path / "a.warc.gz", [
        (site.url("/actu/1?utm_source=cc"), article_page(1).encode())])
    assert import_warc(cli, archive, sources=sources)["articles"] == {"new": 1}

    code, out, err = cli("crawl", "--sources", str(sources), "--max-age-days", "0",
                         "--no-resume", "--json")

    assert code == 0, err
    stats = json.loads(out)
    assert stats["articles"] == {"new": 1}
    assert stats["skipped"] == {"unchanged": 1}
    assert site.count("/actu/1") == 0 and site.count("/actu/2") == 1
