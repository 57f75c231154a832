"""Settings come from packaged defaults, a config file, the environment, then options."""

from __future__ import annotations

from pathlib import Path

import pytest

from pannes.config import load_settings
from pannes.errors import ConfigError


def test_defaults_put_the_database_in_the_data_dir(tmp_path):
    settings = load_settings(env={"PANNES_DATA_DIR": str(tmp_path)}, config_file=None)
    assert settings.db_path == tmp_path / "pannes.db"
    assert settings.search_backend == "sqlite"
    assert "pannes" in settings.crawl.user_agent
    assert settings.crawl.download_delay > 0


def test_file_then_environment_then_overrides(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(
        'db = "/srv/pannes/file.db"\n'
        "[crawl]\ndownload_delay = 3.5\ncontact = \"veille@redaction.example.fr\"\n"
        "[elasticsearch]\nurl = \"http://es.internal:9200\"\n",
        encoding="utf-8",
    )
    env = {"PANNES_DATA_DIR": str(tmp_path), "PANNES_ES_URL": "http://127.0.0.1:9200"}
    settings = load_settings(config_file=config, env=env)
    assert settings.db_path == Path("/srv/pannes/file.db")
    assert settings.crawl.download_delay == 3.5
    assert settings.elasticsearch.url == "http://127.0.0.1:9200"  # env beats the file
    assert settings.crawl.full_user_agent.endswith("contact: veille@redaction.example.fr")
    assert settings.config_file == config

    env["PANNES_DB"] = str(tmp_path / "env.db")
    settings = load_settings(config_file=config, env=env, overrides={"crawl": {"timeout": 5}})
    assert settings.db_path == tmp_path / "env.db"
    assert settings.crawl.timeout == 5
    assert settings.crawl.download_delay == 3.5  # overrides merge, they do not replace


def test_config_file_from_environment(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('search_backend = "elasticsearch"\n', encoding="utf-8")
    settings = load_settings(env={"PANNES_CONFIG": str(config), "PANNES_DATA_DIR": str(tmp_path)})
    assert settings.search_backend == "elasticsearch"


@pytest.mark.parametrize("content, message", [
    ("db = \n", "not valid TOML"),
    ('search_backend = "solr"\n', "Unknown search backend 'solr'"),
    ("[crawl]\ndownload_delay = \"vite\"\n", "wrong type"),
    ("[dashboard]\nsignin_delay = 0\n", "signin_delay is a number of seconds above 0"),
    ("[dashboard]\nsignin_delay = \"1 s\"\n", "signin_delay is a number of seconds above 0"),
])
def test_bad_configuration_says_what_is_wrong(tmp_path, content, message):
    config = tmp_path / "bad.toml"
    config.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings(config_file=config, env={"PANNES_DATA_DIR": str(tmp_path)})


def test_missing_config_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="not found: .*nowhere.toml"):
        load_settings(config_file=tmp_path / "nowhere.toml", env={})


def test_the_sign_in_delay_is_a_setting(tmp_path):
    config = tmp_path / "pannes.toml"
    config.write_text("[dashboard]\nsignin_delay = 2.5\n", encoding="utf-8")
    settings = load_settings(config_file=config, env={"PANNES_DATA_DIR": str(tmp_path)})
    assert settings.dashboard.signin_delay == 2.5
    assert load_settings(env={"PANNES_DATA_DIR": str(tmp_path)}).dashboard.signin_delay == 1.0
