"""Settings in one place: packaged defaults, a user config file, environment, then options.

A `Settings` object is built once by the CLI (or the dashboard) and passed down; there is no
global configuration object.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs

from pannes.errors import ConfigError

APP_NAME = "pannes"


@dataclass(frozen=True)
class CrawlSettings:
    user_agent: str
    contact: str = ""
    sources: Path | None = None  # None: the packaged sources file
    download_delay: float = 1.0
    concurrent_requests_per_domain: int = 2
    autothrottle: bool = True
    max_page_bytes: int = 5_000_000
    timeout: int = 30
    http_cache: bool = False

    @property
    def full_user_agent(self) -> str:
        """The user agent with the operator's contact address, when one is configured."""
        if self.contact and self.contact not in self.user_agent:
            return f"{self.user_agent} contact: {self.contact}"
        return self.user_agent


@dataclass(frozen=True)
class ElasticSettings:
    url: str = ""
    index_prefix: str = "pannes"
    api_key: str = ""
    username: str = ""
    password: str = ""
    verify_certs: bool = True
    ca_certs: str = ""  # a CA bundle for a cluster with its own certificate authority


@dataclass(frozen=True)
class NlpSettings:
    vendor_files: tuple[Path, ...] = ()
    batch_size: int = 32
    models_dir: Path | None = None  # the learned decisions (None: those shipped in pannes.nlp.models)


@dataclass(frozen=True)
class DashboardSettings:
    # The local editors (argon2 password hashes) written by `pannes editors add`.
    editors_file: Path = Path("editors.txt")
    # Who may correct after signing in with the OpenID Connect provider of the
    # dashboard's .streamlit/secrets.toml: e-mail addresses, "@domain", or "*" (anyone).
    oidc_editors: tuple[str, ...] = ()
    # Seconds a name (and a session) waits after a failed sign-in; doubled at each failure
    # in a row, up to 10 minutes.
    signin_delay: float = 1.0


@dataclass(frozen=True)
class Settings:
    db_path: Path
    data_dir: Path
    search_backend: str = "sqlite"
    crawl: CrawlSettings = field(default_factory=lambda: CrawlSettings(user_agent="pannes"))
    nlp: NlpSettings = field(default_factory=NlpSettings)
    elasticsearch: ElasticSettings = field(default_factory=ElasticSettings)
    dashboard: DashboardSettings = field(default_factory=DashboardSettings)
    config_file: Path | None = None

    def with_db(self, db_path: Path | str) -> Settings:
        return replace(self, db_path=Path(db_path).expanduser())


def default_data_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get("PANNES_DATA_DIR"):
        return Path(env["PANNES_DATA_DIR"]).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME))


def _packaged_defaults() -> dict[str, Any]:
    text = resources.files("pannes").joinpath("defaults.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _read_config_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"Configuration file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Configuration file {path} is not valid TOML: {exc}") from None


def _merge(base: dict[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in top.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _env_overrides(env: Mapping[str, str]) -> dict[str, Any]:
    """The environment variables pannes reads, as a config-shaped dict."""
    out: dict[str, Any] = {}
    if env.get("PANNES_DB"):
        out["db"] = env["PANNES_DB"]
    if env.get("PANNES_SEARCH_BACKEND"):
        out["search_backend"] = env["PANNES_SEARCH_BACKEND"]
    if env.get("PANNES_USER_AGENT"):
        out.setdefault("crawl", {})["user_agent"] = env["PANNES_USER_AGENT"]
    if env.get("PANNES_CONTACT"):
        out.setdefault("crawl", {})["contact"] = env["PANNES_CONTACT"]
    if env.get("PANNES_EDITORS_FILE"):
        out.setdefault("dashboard", {})["editors_file"] = env["PANNES_EDITORS_FILE"]
    es_keys = {
        "PANNES_ES_URL": "url",
        "PANNES_ES_API_KEY": "api_key",
        "PANNES_ES_USERNAME": "username",
        "PANNES_ES_PASSWORD": "password",
        "PANNES_ES_INDEX_PREFIX": "index_prefix",
        "PANNES_ES_CA_CERTS": "ca_certs",
    }
    for var, key in es_keys.items():
        if env.get(var):
            out.setdefault("elasticsearch", {})[key] = env[var]
    return out


def _optional_path(value: Any) -> Path | None:
    return Path(str(value)).expanduser() if value else None


def load_settings(
    *,
    config_file: Path | str | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Build the settings: packaged defaults < config file < environment < `overrides`."""
    env = os.environ if env is None else env
    data = _packaged_defaults()

    if config_file is None and env.get("PANNES_CONFIG"):
        config_file = env["PANNES_CONFIG"]
    chosen: Path | None = None
    if config_file is not None:
        chosen = Path(config_file).expanduser()
        data = _merge(data, _read_config_file(chosen))
    else:
        user_file = Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"
        if user_file.is_file():
            chosen = user_file
            data = _merge(data, _read_config_file(user_file))

    data = _merge(data, _env_overrides(env))
    if overrides:
        data = _merge(data, overrides)

    data_dir = default_data_dir(env)
    db = _optional_path(data.get("db")) or data_dir / "pannes.db"

    backend = str(data.get("search_backend") or "sqlite").lower()
    if backend not in {"sqlite", "elasticsearch"}:
        raise ConfigError(
            f"Unknown search backend {backend!r}: use 'sqlite' or 'elasticsearch' "
            "(setting search_backend or PANNES_SEARCH_BACKEND)."
        )

    crawl = data.get("crawl", {})
    nlp = data.get("nlp", {})
    es = data.get("elasticsearch", {})
    dashboard = data.get("dashboard", {})
    editors_file = (_optional_path(dashboard.get("editors_file"))
                    or Path(platformdirs.user_config_dir(APP_NAME)) / "editors.txt")
    oidc_editors = dashboard.get("oidc_editors", [])
    if isinstance(oidc_editors, str) or not all(isinstance(e, str) for e in oidc_editors):
        raise ConfigError("dashboard.oidc_editors is a list of e-mail addresses, \"@domain\" "
                          "entries or \"*\", e.g. [\"camille@redaction.fr\", \"@redaction.fr\"].")
    signin_delay = dashboard.get("signin_delay", 1.0)
    if isinstance(signin_delay, bool) or not isinstance(signin_delay, int | float) or signin_delay <= 0:
        raise ConfigError("dashboard.signin_delay is a number of seconds above 0, e.g. 1 or 2.5.")
    try:
        return Settings(
            db_path=db,
            data_dir=data_dir,
            search_backend=backend,
            crawl=CrawlSettings(
                user_agent=str(crawl.get("user_agent") or "pannes"),
                contact=str(crawl.get("contact") or ""),
                sources=_optional_path(crawl.get("sources")),
                download_delay=float(crawl.get("download_delay", 1.0)),
                concurrent_requests_per_domain=int(crawl.get("concurrent_requests_per_domain", 2)),
                autothrottle=bool(crawl.get("autothrottle", True)),
                max_page_bytes=int(crawl.get("max_page_bytes", 5_000_000)),
                timeout=int(crawl.get("timeout", 30)),
                http_cache=bool(crawl.get("http_cache", False)),
            ),
            nlp=NlpSettings(
                vendor_files=tuple(Path(p).expanduser() for p in nlp.get("vendor_files", [])),
                batch_size=int(nlp.get("batch_size", 32)),
                models_dir=Path(nlp["models_dir"]).expanduser() if nlp.get("models_dir") else None,
            ),
            elasticsearch=ElasticSettings(
                url=str(es.get("url") or ""),
                index_prefix=str(es.get("index_prefix") or "pannes"),
                api_key=str(es.get("api_key") or ""),
                username=str(es.get("username") or ""),
                password=str(es.get("password") or ""),
                verify_certs=bool(es.get("verify_certs", True)),
                ca_certs=str(es.get("ca_certs") or ""),
            ),
            dashboard=DashboardSettings(
                editors_file=editors_file,
                oidc_editors=tuple(e.strip().lower() for e in oidc_editors if e.strip()),
                signin_delay=float(signin_delay),
            ),
            config_file=chosen,
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"A setting has the wrong type: {exc}") from None
