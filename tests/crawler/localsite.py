"""A local test web site for the crawler (imported by tests as `localsite`): routes we control, and a log of what was asked.

`LocalSite` is a stdlib HTTP server on 127.0.0.1 in a thread. Pages are French articles we
wrote (tests/fixtures/crawler/article.html filled with generated text), plus every kind of
bad input: broken charsets, truncated bodies, redirect loops, slow answers, huge pages…
"""

from __future__ import annotations

import email.utils
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "crawler"
TEMPLATE = (FIXTURES / "article.html").read_text(encoding="utf-8")

# Fictional companies and facts: the generated articles differ in every sentence.
COMPANIES = ["Orbitel", "Nuagex", "Paymonde", "Hébergo", "Télécâble Sud", "Banquo",
             "Messagix", "Datacentre Loire", "Fibra Ouest", "Cloudinette"]
SERVICES = ["la messagerie", "l'accès à internet", "le paiement par carte", "les sites hébergés",
            "la téléphonie mobile", "l'application bancaire", "la télévision par box",
            "le stockage en ligne"]
CITIES = ["Lyon", "Nantes", "Lille", "Bordeaux", "Rennes", "Marseille", "Toulouse", "Dijon"]


@dataclass
class Route:
    """What the server answers on one path."""

    body: bytes = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: datetime | None = None
    delay: float = 0.0
    truncate_to: int | None = None  # announce the full length, send this many bytes, hang up
    redirect: str | None = None
    no_length: bool = False  # no Content-Length: the body ends when the connection closes


class LocalSite:
    """Routes by path, conditional GETs, and a thread-safe log of requested paths."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                site._serve(self)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # clients hanging up (timeouts, cancelled downloads) are expected here

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    # -------------------------------------------------------------- serving

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        with self._lock:
            self.requests.append((path, dict(handler.headers.items())))
            route = self.routes.get(path) or self.routes.get(path.split("?")[0])
        if route is None:
            route = Route(b"<html><body><p>Page introuvable</p></body></html>", status=404)
        if route.delay:
            time.sleep(route.delay)
        try:
            self._answer(handler, route)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _answer(self, handler: BaseHTTPRequestHandler, route: Route) -> None:
        if route.redirect:
            handler.send_response(302)
            handler.send_header("Location", route.redirect)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        if route.etag and handler.headers.get("If-None-Match") == route.etag:
            handler.send_response(304)
            handler.send_header("ETag", route.etag)
            handler.end_headers()
            return
        if route.last_modified and handler.headers.get("If-Modified-Since"):
            since = email.utils.parsedate_to_datetime(handler.headers["If-Modified-Since"])
            if route.last_modified.replace(microsecond=0) <= since:
                handler.send_response(304)
                handler.end_headers()
                return
        handler.send_response(route.status)
        if route.content_type:
            handler.send_header("Content-Type", route.content_type)
        if route.etag:
            handler.send_header("ETag", route.etag)
        if route.last_modified:
            handler.send_header("Last-Modified", email.utils.format_datetime(route.last_modified, usegmt=True))
        for key, value in route.headers.items():
            handler.send_header(key, value)
        if route.no_length:
            handler.send_header("Connection", "close")
            handler.end_headers()
            for start in range(0, len(route.body), 16384):
                handler.wfile.write(route.body[start:start + 16384])
            handler.close_connection = True
            return
        handler.send_header("Content-Length", str(len(route.body)))
        if route.truncate_to is not None:
            handler.send_header("Connection", "close")
        handler.end_headers()
        if route.truncate_to is not None:
            handler.wfile.write(route.body[:route.truncate_to])
            handler.wfile.flush()
            handler.close_connection = True
            return
        handler.wfile.write(route.body)

    # -------------------------------------------------------------- helpers

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, route: Route | bytes | str) -> None:
        if isinstance(route, str):
            route = route.encode("utf-8")
        if isinstance(route, bytes):
            route = Route(route)
        self.routes[path] = route

    def count(self, path: str) -> int:
        with self._lock:
            return sum(1 for p, _ in self.requests if p == path or p.split("?")[0] == path)

    def paths(self) -> list[str]:
        with self._lock:
            return [p for p, _ in self.requests]

    def reset_log(self) -> None:
        with self._lock:
            self.requests.clear()

    def source(self, name: str = "Le Veilleur", *, feeds: tuple[str, ...] = ("/feed.xml",),
               sitemaps: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:
        """A source dict (same shape as the sources file) for this site."""
        return {"name": name, "kind": "tech", "homepage": self.url("/"),
                "feeds": [self.url(f) for f in feeds], "sitemaps": [self.url(s) for s in sitemaps],
                "allowed_domains": ["127.0.0.1"], **extra}

    def start(self) -> LocalSite:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# ------------------------------------------------------------------ French fixture pages


def article_text(n: int, *, variant: int = 0) -> tuple[str, list[str]]:
    """Title and paragraphs of generated French article number `n` (distinct for each n)."""
    company = COMPANIES[n % len(COMPANIES)]
    service = SERVICES[n % len(SERVICES)]
    city = CITIES[(n // 3) % len(CITIES)]
    hours = 2 + n % 9
    clients = 1000 * (n + 3)
    title = f"{company} : {service} coupée pendant {hours} heures à {city} (n°{n})"
    paragraphs = [
        f"Les clients de {company} ont été privés de {service} pendant {hours} heures, "
        f"principalement dans la région de {city}. Selon l'entreprise, environ {clients} "
        f"abonnés ont été touchés par cette interruption de service, la numéro {n} de l'année.",
        f"Dans un communiqué, {company} explique que l'incident provient d'une erreur de "
        f"configuration lors d'une opération de maintenance programmée dans un centre de "
        f"données. Les équipes techniques ont rétabli {service} en début de soirée.",
        f"Les associations de consommateurs demandent un geste commercial. {company} promet "
        f"un remboursement au prorata pour les {clients} abonnés concernés et un rapport "
        f"détaillé d'ici la fin du mois.",
    ]
    if variant:
        paragraphs.append(
            f"Mise à jour {variant} : {company} précise que la cause était une mise à jour "
            f"logicielle défectueuse d'un équipement réseau, et non une attaque informatique."
        )
    return title, paragraphs


def article_page(n: int, *, variant: int = 0, published: date = date(2024, 3, 12),
                 canonical: str | None = None, lang: str = "fr",
                 charset_meta: str = '<meta charset="utf-8">',
                 title: str | None = None, paragraphs: list[str] | None = None,
                 extra_body: str = "") -> str:
    gen_title, gen_paragraphs = article_text(n, variant=variant)
    title = title or gen_title
    paragraphs = paragraphs or gen_paragraphs
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs) + extra_body
    return TEMPLATE.format(
        lang=lang,
        charset_meta=charset_meta,
        title=escape(title),
        canonical=f'<link rel="canonical" href="{canonical}">' if canonical else "",
        author="Claire Martin",
        date=published.isoformat(),
        body=body,
    )


def rss(items: list[tuple[str, datetime | None]], title: str = "Le Veilleur") -> bytes:
    """An RSS 2.0 feed of (url, date) items."""
    parts = ['<?xml version="1.0" encoding="utf-8"?>', '<rss version="2.0"><channel>',
             f"<title>{escape(title)}</title><link>http://127.0.0.1/</link>"]
    for url, when in items:
        parts.append("<item><title>Article</title>")
        parts.append(f"<link>{escape(url)}</link>")
        if when is not None:
            parts.append(f"<pubDate>{email.utils.format_datetime(when)}</pubDate>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode("utf-8")


def sitemap(items: list[tuple[str, datetime | None]], *, index: bool = False) -> bytes:
    tag, root = ("sitemap", "sitemapindex") if index else ("url", "urlset")
    parts = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<{root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url, when in items:
        lastmod = f"<lastmod>{when.isoformat()}</lastmod>" if when else ""
        parts.append(f"<{tag}><loc>{escape(url)}</loc>{lastmod}</{tag}>")
    parts.append(f"</{root}>")
    return "\n".join(parts).encode("utf-8")


def when(day: int, hour: int = 8) -> datetime:
    return datetime(2024, 3, day, hour, 0, tzinfo=UTC)
