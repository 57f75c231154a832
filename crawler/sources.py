"""The news sources to crawl, read from a TOML file or a list of dicts and checked once.

A source is data, not code: its feeds, sitemaps, domains and, only where generic extraction
fails, a `prune_xpath` hint; what the site allows (`articles = "feed"` where article pages
refuse crawlers, a `policy` and `enabled = false` where crawling needs a licence); and how
sure we are of its addresses (`evidence`, `alternates` to try when one fails). The same
shape comes from `crawler/sources.toml`, a user's file or the demo site.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pannes.errors import ConfigError

KINDS = ("tech", "media", "general")
ARTICLE_MODES = ("page", "feed")  # fetch article pages, or keep the feed item (a summary)
EVIDENCE = ("strong", "moderate", "weak", "none")  # how well public evidence backs the feeds

# Article URLs never worth fetching from a sitemap or a feed (listing pages, not articles).
DEFAULT_EXCLUDE: tuple[str, ...] = (
    r"/(tag|tags|categorie|category|auteur|author)/",
    r"/page/\d+/?$",
    r"\.(jpe?g|png|gif|webp|svg|pdf|mp3|mp4|zip)$",
)

_LIST_FIELDS = ("feeds", "sitemaps", "allowed_domains", "prune_xpath", "sitemap_follow", "exclude",
                "alternates")
_KNOWN_FIELDS = {
    "name", "kind", "homepage", "language", "url_pattern", "enabled", "notes", "articles",
    "policy", "evidence", "robots_sitemaps", *_LIST_FIELDS,
}


@dataclass(frozen=True)
class Source:
    """One news site: where to discover its articles and which domains belong to it."""

    name: str
    kind: str
    homepage: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    language: str = "fr"
    prune_xpath: tuple[str, ...] = ()
    sitemap_follow: tuple[str, ...] = ()  # regexes of child sitemaps to follow; empty: all
    url_pattern: str | None = None  # regex an article URL must match; None: any
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    enabled: bool = True
    notes: str = ""
    articles: str = "page"  # "feed": the site refuses crawlers on articles; keep feed items
    policy: str = ""  # what the site's terms say of crawling (a licence to hold, say)
    evidence: str = ""  # strong | moderate | weak | none: public evidence for the feeds
    alternates: tuple[str, ...] = ()  # addresses `pannes sources check` tries when one fails
    robots_sitemaps: bool = True  # also read the sitemaps the site's robots.txt announces
    _compiled: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("_compiled")
        for key in _LIST_FIELDS:
            data[key] = list(data[key])
        return data

    def wants(self, url: str) -> bool:
        """Whether an URL found in a feed or sitemap looks like an article of this source."""
        if not self.owns(url):
            return False
        if "exclude" not in self._compiled:
            self._compiled["exclude"] = [re.compile(p, re.I) for p in self.exclude]
            self._compiled["pattern"] = re.compile(self.url_pattern) if self.url_pattern else None
        if any(p.search(url) for p in self._compiled["exclude"]):
            return False
        pattern = self._compiled["pattern"]
        return pattern is None or bool(pattern.search(url))

    def follows(self, sitemap_url: str) -> bool:
        """Whether a child sitemap of a sitemap index is worth fetching."""
        return not self.sitemap_follow or any(re.search(p, sitemap_url) for p in self.sitemap_follow)

    @property
    def feed_only(self) -> bool:
        """Article pages are not fetched: each feed item is kept as the article's summary."""
        return self.articles == "feed"

    def owns(self, url: str) -> bool:
        """Whether an URL is on one of this source's domains."""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)


def _domain_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _as_list(value: Any, key: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"{where}: `{key}` must be a string or a list of strings.")


def _check_url(url: str, key: str, where: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigError(f"{where}: `{key}` has {url!r}, which is not an http(s) address.")


def source_from_dict(data: Mapping[str, Any], *, position: int = 0) -> Source:
    """Check one source table and turn it into a `Source`; errors say which field to fix."""
    name = str(data.get("name") or "").strip()
    where = f"source {name!r}" if name else f"source #{position + 1}"
    if not name:
        raise ConfigError(f"{where} has no `name`.")
    unknown = sorted(set(data) - _KNOWN_FIELDS)
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {', '.join(unknown)} "
                          f"(known: {', '.join(sorted(_KNOWN_FIELDS))}).")
    kind = str(data.get("kind") or "tech")
    if kind not in KINDS:
        raise ConfigError(f"{where}: `kind` is {kind!r}; use one of {', '.join(KINDS)}.")
    homepage = str(data.get("homepage") or "")
    _check_url(homepage, "homepage", where)
    lists = {key: _as_list(data.get(key), key, where) for key in _LIST_FIELDS}
    articles = str(data.get("articles") or "page")
    if articles not in ARTICLE_MODES:
        raise ConfigError(f"{where}: `articles` is {articles!r}; use \"page\" (fetch each "
                          "article) or \"feed\" (keep the feed items, for sites that refuse "
                          "crawlers on article pages).")
    evidence = str(data.get("evidence") or "")
    if evidence and evidence not in EVIDENCE:
        raise ConfigError(f"{where}: `evidence` is {evidence!r}; use one of {', '.join(EVIDENCE)}.")
    if articles == "feed" and not lists["feeds"]:
        raise ConfigError(f"{where}: `articles = \"feed\"` needs at least one feed.")
    for key in ("feeds", "sitemaps", "alternates"):
        for url in lists[key]:
            _check_url(url, key, where)
    domains = tuple(d.lower().removeprefix("www.") for d in lists["allowed_domains"])
    if not domains:
        domains = (_domain_of(homepage),)
    for pattern in (*lists["exclude"], *lists["sitemap_follow"], data.get("url_pattern") or ""):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"{where}: bad regular expression {pattern!r}: {exc}") from None
    values: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "homepage": homepage,
        "feeds": lists["feeds"],
        "sitemaps": lists["sitemaps"],
        "allowed_domains": domains,
        "language": str(data.get("language") or "fr"),
        "prune_xpath": lists["prune_xpath"],
        "sitemap_follow": lists["sitemap_follow"],
        "url_pattern": data.get("url_pattern") or None,
        "enabled": bool(data.get("enabled", True)),
        "notes": str(data.get("notes") or ""),
        "articles": articles,
        "policy": str(data.get("policy") or ""),
        "evidence": evidence,
        "alternates": lists["alternates"],
        "robots_sitemaps": bool(data.get("robots_sitemaps", True)),
    }
    if "exclude" in data:
        values["exclude"] = lists["exclude"]
    return Source(**values)


def packaged_sources_path() -> Path:
    """The sources file shipped with pannes."""
    return Path(str(resources.files("pannes.crawler").joinpath("sources.toml")))


def read_sources_file(path: Path) -> list[dict[str, Any]]:
    """The `[[source]]` tables of a TOML file, unchecked."""
    try:
        with Path(path).open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"Sources file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Sources file {path} is not valid TOML: {exc}") from None
    tables = data.get("source")
    if not isinstance(tables, list) or not tables:
        raise ConfigError(f"Sources file {path} has no [[source]] table.")
    return tables


def load_sources(
    spec: Path | str | Iterable[Mapping[str, Any] | Source] | None = None,
    *,
    default_file: Path | None = None,
    only: Iterable[str] | None = None,
    include_disabled: bool = False,
) -> list[Source]:
    """Sources from a TOML file, a list of dicts (or `Source`s), or the packaged file.

    `only` keeps the named sources (case-insensitive) and fails on an unknown name.
    """
    if spec is None:
        spec = default_file or packaged_sources_path()
    if isinstance(spec, str | Path):
        tables: Iterable[Mapping[str, Any] | Source] = read_sources_file(Path(spec))
    else:
        tables = spec
    sources = [t if isinstance(t, Source) else source_from_dict(t, position=i)
               for i, t in enumerate(tables)]
    names = [s.name.lower() for s in sources]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"Source names must be unique; repeated: {', '.join(duplicates)}.")
    if only:
        wanted = {n.lower() for n in only}
        missing = sorted(wanted - set(names))
        if missing:
            raise ConfigError(f"Unknown source(s): {', '.join(missing)}. "
                              "`pannes sources` lists the configured ones.")
        return [s for s in sources if s.name.lower() in wanted]
    return [s for s in sources if s.enabled or include_disabled]


def source_for_url(sources: Iterable[Source], url: str) -> Source | None:
    """The source an URL belongs to: longest matching homepage first, then its domains."""
    candidates = list(sources)
    by_homepage = [s for s in candidates if url.startswith(s.homepage.rstrip("/") + "/")
                   or url == s.homepage]
    if by_homepage:
        return max(by_homepage, key=lambda s: len(s.homepage))
    owners = [s for s in candidates if s.owns(url)]
    return owners[0] if owners else None


def host_source(url: str) -> Source:
    """A stand-in source for an URL on no configured site: named after its host."""
    host = (urlsplit(url).hostname or "unknown").lower().removeprefix("www.")
    return Source(name=host, kind="general", homepage=f"https://{host}/",
                  allowed_domains=(host,), exclude=())
