"""The Scrapy settings follow the user's [crawl] configuration and stay polite by default."""

from __future__ import annotations

from pathlib import Path

from pannes.crawler.settings import scrapy_settings

from pannes.config import load_settings


def test_polite_defaults_from_the_packaged_configuration(tmp_path):
    settings = load_settings(env={"PANNES_DATA_DIR": str(tmp_path),
                                  "PANNES_CONTACT": "veille@redaction.example"})
    scrapy = scrapy_settings(settings.crawl, data_dir=settings.data_dir)
    assert scrapy["ROBOTSTXT_OBEY"] is True
    assert scrapy["AUTOTHROTTLE_ENABLED"] is True
    assert scrapy["DOWNLOAD_DELAY"] == 1.0
    assert scrapy["CONCURRENT_REQUESTS_PER_DOMAIN"] == 2
    assert scrapy["USER_AGENT"].startswith("pannes/")
    assert scrapy["USER_AGENT"].endswith("contact: veille@redaction.example")
    assert scrapy["DOWNLOAD_MAXSIZE"] == 5_000_000 and scrapy["DOWNLOAD_TIMEOUT"] == 30
    assert scrapy["RETRY_ENABLED"] and scrapy["RETRY_BACKOFF_BASE"] > 0
    assert scrapy["HTTPCACHE_ENABLED"] is False
    assert scrapy["TELNETCONSOLE_ENABLED"] is False
    assert scrapy["EXTENSIONS"]["scrapy.extensions.remote_control.RemoteControl"] is None
    assert "JOBDIR" not in scrapy and "CLOSESPIDER_ITEMCOUNT" not in scrapy


def test_user_settings_and_run_options(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[crawl]\nuser_agent = \"MaRedaction-veille/2.0\"\ndownload_delay = 3\n"
                      "concurrent_requests_per_domain = 1\nmax_page_bytes = 1000000\n"
                      "timeout = 10\nhttp_cache = true\nautothrottle = false\n")
    settings = load_settings(config_file=config, env={"PANNES_DATA_DIR": str(tmp_path)})
    scrapy = scrapy_settings(settings.crawl, data_dir=settings.data_dir, jobdir=tmp_path / "job",
                             max_pages=25, overrides={"LOG_LEVEL": "DEBUG"})
    assert scrapy["USER_AGENT"] == "MaRedaction-veille/2.0"
    assert scrapy["DOWNLOAD_DELAY"] == 3 and scrapy["CONCURRENT_REQUESTS_PER_DOMAIN"] == 1
    assert scrapy["DOWNLOAD_MAXSIZE"] == 1_000_000 and scrapy["DOWNLOAD_TIMEOUT"] == 10
    assert scrapy["AUTOTHROTTLE_ENABLED"] is False
    assert scrapy["HTTPCACHE_ENABLED"] is True
    assert Path(scrapy["HTTPCACHE_DIR"]) == tmp_path / "httpcache"
    assert scrapy["JOBDIR"] == str(tmp_path / "job")
    assert scrapy["CLOSESPIDER_ITEMCOUNT"] == 25 and scrapy["LOG_LEVEL"] == "DEBUG"
