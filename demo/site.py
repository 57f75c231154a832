"""The offline demo web: each fictional outlet of the demo corpus served on its own local port.

`DemoSite` renders every page once into memory and serves it on 127.0.0.1; the real Scrapy
spiders crawl it through `sources()`. Tests change an article while it runs
(`update_article`, `add_article`) to exercise versioning and incremental crawls, and give an
outlet the faults real sites show (`set_fault`) to exercise `pannes sources check`.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping
from dataclasses import fields
from datetime import timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from pannes.demo.content import Corpus, DemoArticle, Outlet, article_from_dict, load_corpus
from pannes.demo.layouts import Layout, assign_layouts
from pannes.demo.render import OutletRenderer, Page, make_environment
from pannes.demo.server import DemoHTTPServer, RequestRecord

from pannes.errors import ConfigError

logger = logging.getLogger(__name__)

DEFAULT_BASE_PORT = 8400
EDITABLE_FIELDS = {f.name for f in fields(DemoArticle)} - {"id", "outlet"}
# What real sites do to a crawler: a feed moved away (404), a feed replaced by an HTML page,
# a robots.txt refusing our bot, article pages refused to bots (403, a "bot wall").
FAULTS = ("feed_404", "feed_html", "robots_refusal", "articles_403")
HTML = "text/html; charset=utf-8"


def _url_host(host: str) -> str:
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


class DemoSite:
    """All demo outlets, each on its own port: `with DemoSite() as site: site.sources()`.

    `base_port=0` gives each outlet an ephemeral port (tests); otherwise outlet i listens on
    `base_port + i`, in the order of outlets.json.
    """

    def __init__(
        self,
        corpus_dir: Path | str | None = None,
        *,
        host: str = "127.0.0.1",
        base_port: int = 0,
    ) -> None:
        self.corpus_dir = Path(corpus_dir) if corpus_dir is not None else None
        self.host = host
        self.base_port = base_port
        self._env = make_environment()
        self._lock = threading.RLock()
        self._corpus: Corpus | None = None
        self._layouts: dict[str, Layout] = {}
        self._servers: dict[str, DemoHTTPServer] = {}
        self._pages: dict[str, dict[str, Page]] = {}
        self._not_found: dict[str, Page] = {}
        self._urls: dict[str, str] = {}
        self._requests: list[RequestRecord] = []
        self._faults: dict[str, set[str]] = {}

    # -- life cycle ---------------------------------------------------------------------------

    def start(self) -> DemoSite:
        """Read the corpus, bind one server per outlet, render every page, start serving."""
        if self._servers:
            return self
        corpus = load_corpus(self.corpus_dir)
        if not corpus.outlets:
            where = self.corpus_dir or "the packaged demo corpus"
            raise ConfigError(f"No outlet found in {where} (outlets.json is missing or empty).")
        self._corpus = corpus
        self._layouts = assign_layouts(corpus.outlets)
        try:
            for index, outlet in enumerate(corpus.outlets):
                port = self.base_port + index if self.base_port else 0
                self._servers[outlet.key] = self._bind(outlet.key, port)
        except BaseException:
            self.stop()
            raise
        for outlet in corpus.outlets:
            self._render(outlet.key)
        for server in self._servers.values():
            server.start_in_thread()
        logger.info("demo site serving %d outlets", len(self._servers))
        return self

    def _bind(self, key: str, port: int) -> DemoHTTPServer:
        try:
            server = DemoHTTPServer(
                (self.host, port),
                outlet_key=key,
                pages=lambda: self._pages.get(key, {}),
                not_found=lambda: self._not_found[key],
                record=self._requests.append,
            )
        except OSError as exc:
            raise ConfigError(
                f"Cannot listen on {self.host}:{port} for the demo outlet {key!r} ({exc}); "
                "choose another base port (or 0 for free ports)."
            ) from None
        self._urls[key] = f"http://{_url_host(self.host)}:{server.port}"
        return server

    def stop(self) -> None:
        """Stop every server (safe to call twice)."""
        servers, self._servers = self._servers, {}
        for server in servers.values():
            server.stop()

    def __enter__(self) -> DemoSite:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- what the site holds --------------------------------------------------------------------

    def _require_started(self) -> Corpus:
        if self._corpus is None:
            raise RuntimeError(
                "DemoSite is not started: call start() or use it as a context manager."
            )
        return self._corpus

    @property
    def corpus(self) -> Corpus:
        """The corpus being served (with any updates applied)."""
        return self._require_started()

    @property
    def outlets(self) -> list[Outlet]:
        return list(self.corpus.outlets)

    def layout(self, outlet_key: str) -> Layout:
        """The site template an outlet is rendered with."""
        self._require_started()
        return self._layouts[outlet_key]

    def base_url(self, outlet_key: str) -> str:
        """The outlet's address, "http://127.0.0.1:PORT" (no trailing slash)."""
        self._require_started()
        return self._urls[outlet_key]

    def _renderer(self, outlet_key: str) -> OutletRenderer:
        corpus = self.corpus
        return OutletRenderer(
            self._env,
            corpus.outlet(outlet_key),
            self._layouts[outlet_key],
            corpus,
            self._urls[outlet_key],
        )

    def article_url(self, article_id: str) -> str:
        """The canonical URL of an article on its outlet."""
        article = self.article(article_id)
        for view in self._renderer(article.outlet).views:
            if view.id == article_id:
                return view.url
        raise KeyError(article_id)

    def article(self, article_id: str) -> DemoArticle:
        """The article record with this id, as currently served."""
        for article in self.corpus.articles:
            if article.id == article_id:
                return article
        raise KeyError(article_id)

    def page(self, outlet_key: str, path: str) -> Page | None:
        """The page served at a path of an outlet (None: a 404)."""
        return self._pages.get(outlet_key, {}).get(path)

    def paths(self, outlet_key: str) -> list[str]:
        """Every path an outlet serves."""
        return list(self._pages.get(outlet_key, {}))

    def sources(self) -> list[dict[str, Any]]:
        """One crawler source per outlet, in the shape of crawler/sources.toml entries."""
        sources = []
        for outlet in self.corpus.outlets:
            base, layout = self._urls[outlet.key], self._layouts[outlet.key]
            sources.append(
                {
                    "name": outlet.name,
                    "kind": outlet.kind,
                    "homepage": base + "/",
                    "feeds": [base + layout.feed_path(outlet)],
                    "sitemaps": [base + path for path in layout.sitemap_entry_paths()],
                    "allowed_domains": [_url_host(self.host).strip("[]")],
                    "language": outlet.language,
                    "url_pattern": "^" + re.escape(base) + layout.article_regex() + r"(?:[?#]|$)",
                    "notes": f"Demo outlet ({layout.name} template): {layout.description}.",
                }
            )
        return sources

    def requests(self, outlet_key: str | None = None) -> list[RequestRecord]:
        """Requests answered so far (all outlets, or one), oldest first."""
        return [r for r in list(self._requests) if outlet_key in (None, r.outlet)]

    # -- changing content while serving ----------------------------------------------------------

    def update_article(self, article_id: str, **changes: Any) -> str:
        """Change an article while serving (e.g. `text=...`, `title=...`, `updated="2026-03-02T18:00"`).

        Its page, and the lists, feed and sitemaps that show it, are re-rendered: changed pages
        get a new ETag and a later Last-Modified. Returns the article's URL.
        """
        unknown = set(changes) - EDITABLE_FIELDS
        if unknown:
            raise TypeError(
                f"cannot update {', '.join(sorted(unknown))} (editable: {sorted(EDITABLE_FIELDS)})"
            )
        with self._lock:
            current = self.article(article_id)
            updated = current.with_changes(**changes)
            articles = [updated if a.id == article_id else a for a in self.corpus.articles]
            self._corpus = Corpus(outlets=self.corpus.outlets, articles=articles)
            self._render(current.outlet)
        return self.article_url(article_id)

    def add_article(self, data: Mapping[str, Any]) -> str:
        """Publish a new article (a corpus line as a dict) while serving; returns its URL."""
        article = article_from_dict(dict(data))
        with self._lock:
            if any(a.id == article.id for a in self.corpus.articles):
                raise ValueError(f"an article with id {article.id!r} already exists")
            self.corpus.outlet(article.outlet)  # KeyError for an unknown outlet
            self._corpus = Corpus(
                outlets=self.corpus.outlets, articles=[*self.corpus.articles, article]
            )
            self._render(article.outlet)
        return self.article_url(article.id)

    def set_fault(self, outlet_key: str, fault: str, on: bool = True) -> None:
        """Make an outlet misbehave as real sites do (see FAULTS), or stop doing so."""
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r} (known: {', '.join(FAULTS)})")
        with self._lock:
            self.corpus.outlet(outlet_key)  # KeyError for an unknown outlet
            faults = self._faults.setdefault(outlet_key, set())
            (faults.add if on else faults.discard)(fault)
            self._render(outlet_key)

    def _apply_faults(self, outlet_key: str, renderer: OutletRenderer,
                      pages: dict[str, Page]) -> None:
        faults = self._faults.get(outlet_key, set())
        outlet, layout = self.corpus.outlet(outlet_key), self._layouts[outlet_key]
        feed = layout.feed_path(outlet)
        since = pages[feed].last_modified
        if "feed_404" in faults:
            del pages[feed]
        if "feed_html" in faults:
            pages[feed] = Page(b"<!DOCTYPE html><html lang=\"fr\"><body><h1>Maintenance</h1>"
                               b"<p>Le site revient dans quelques minutes.</p></body></html>",
                               HTML, since)
        if "robots_refusal" in faults:
            pages["/robots.txt"] = Page(b"User-agent: pannes\nDisallow: /\n\nUser-agent: *\n"
                                        b"Disallow: /recherche/\n", "text/plain; charset=utf-8",
                                        since)
        if "articles_403" in faults:
            for view in renderer.views:
                pages[view.path] = Page(b"<!DOCTYPE html><html lang=\"fr\"><body><h1>Acc\xc3\xa8s "
                                        b"refus\xc3\xa9</h1></body></html>", HTML, since,
                                        status=403)

    def _render(self, outlet_key: str) -> None:
        """Render an outlet; unchanged pages keep their ETag and Last-Modified."""
        renderer = self._renderer(outlet_key)
        new_pages = renderer.render()
        self._apply_faults(outlet_key, renderer, new_pages)
        old_pages = self._pages.get(outlet_key, {})
        for path, page in new_pages.items():
            old = old_pages.get(path)
            if old is None:
                continue
            if old.body == page.body:
                new_pages[path] = old
            elif page.last_modified <= old.last_modified:
                later = old.last_modified.replace(microsecond=0) + timedelta(seconds=1)
                new_pages[path] = Page(page.body, page.content_type, later, page.status)
        self._not_found[outlet_key] = renderer.not_found()
        self._pages[outlet_key] = new_pages


def start_demo_site(
    corpus_dir: Path | str | None = None, *, host: str = "127.0.0.1", base_port: int = 0
) -> DemoSite:
    """Start the demo site in background threads and return it (call `.stop()` when done)."""
    return DemoSite(corpus_dir, host=host, base_port=base_port).start()


def run_demo_site(host: str, base_port: int, corpus_dir: Path | None = None) -> None:
    """Serve the demo site until Ctrl-C, printing (in French) the address of each outlet."""
    site = start_demo_site(corpus_dir, host=host, base_port=base_port)
    try:
        print("Site de démonstration de pannes (sites et événements fictifs) :")
        for outlet in site.outlets:
            layout = site.layout(outlet.key)
            print(f"  {outlet.name:<28} {site.base_url(outlet.key)}/   (gabarit « {layout.name} »)")
        print(f"{len(site.corpus.articles)} articles servis. Ctrl-C pour arrêter.", flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        print("\nArrêt du site de démonstration.")
    finally:
        site.stop()


def serve_forever(host: str = "127.0.0.1", base_port: int = DEFAULT_BASE_PORT) -> None:
    """`pannes demo-site`: the packaged demo corpus, served until Ctrl-C."""
    run_demo_site(host, base_port, None)
