"""A small HTTP server for one demo outlet: pages from memory, conditional GET, HEAD, 404.

It behaves like a polite real site for an incremental crawler: Content-Type with charset,
ETag and Last-Modified on every page, 304 on If-None-Match / If-Modified-Since, a 301 to
the trailing-slash URL, and a 404 page in the outlet's own style.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from pannes.demo.french_dates import http_date
from pannes.demo.render import Page
from pannes.demo.views import url_path

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RequestRecord:
    """One request the demo site answered (tests check what a crawler fetched)."""

    outlet: str
    method: str
    path: str
    status: int
    headers: dict[str, str]


def find_page(pages: Mapping[str, Page], path: str, query: str) -> Page | None:
    """The page for a path: an exact `path?query` entry first, else the path alone.

    Unknown query strings (utm_*, xtor, ...) are ignored, as on real sites.
    """
    if query and f"{path}?{query}" in pages:
        return pages[f"{path}?{query}"]
    return pages.get(path)


def etag_matches(header: str, etag: str) -> bool:
    """Whether an If-None-Match header matches the ETag (weak comparison, RFC 9110)."""
    if header.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == bare for tag in header.split(","))


def not_modified_since(header: str, last_modified: datetime) -> bool:
    """Whether a page did not change since an If-Modified-Since date (second precision)."""
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False
    if since is None or since.tzinfo is None:
        return False
    return last_modified.replace(microsecond=0) <= since


class DemoHTTPServer(ThreadingHTTPServer):
    """Serves one outlet; `pages()` returns its current pages (swapped whole on updates)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        *,
        outlet_key: str,
        pages: Callable[[], Mapping[str, Page]],
        not_found: Callable[[], Page],
        record: Callable[[RequestRecord], None],
    ) -> None:
        super().__init__(address, DemoRequestHandler)
        self.outlet_key = outlet_key
        self.pages = pages
        self.not_found = not_found
        self.record = record
        self.thread: threading.Thread | None = None

    def handle_error(self, request: object, client_address: object) -> None:
        """A client hanging up mid-connection is normal for a crawler: log it quietly."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            logger.debug(
                "%s: connection from %s closed: %s", self.outlet_key, client_address, error
            )
            return
        logger.exception("%s: error while serving %s", self.outlet_key, client_address)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def start_in_thread(self) -> None:
        """Serve in a daemon thread until `stop()`."""
        self.thread = threading.Thread(
            target=self.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"demo-site-{self.outlet_key}",
            daemon=True,
        )
        self.thread.start()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self.thread is not None:
            self.shutdown()
            self.thread.join()
            self.thread = None
        self.server_close()


class DemoRequestHandler(BaseHTTPRequestHandler):
    """GET and HEAD on the outlet's in-memory pages."""

    server: DemoHTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "pannes-demo/1.0"
    timeout = 30

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self._respond(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(send_body=False)

    def _respond(self, *, send_body: bool) -> None:
        parts = urlsplit(self.path)
        path = url_path(parts.path or "/")
        pages = self.server.pages()
        page = find_page(pages, path, parts.query)
        if page is None and not path.endswith("/") and path + "/" in pages:
            self._redirect(path + "/" + (f"?{parts.query}" if parts.query else ""))
            return
        if page is None:
            page = self.server.not_found()
        status = page.status
        if status == 200 and self._not_modified(page):
            status = 304
        self.send_response(status)
        self.send_header("Content-Type", page.content_type)
        self.send_header("ETag", page.etag)
        self.send_header("Last-Modified", http_date(page.last_modified))
        self.send_header("Cache-Control", "no-cache")
        if status != 304:
            self.send_header("Content-Length", str(len(page.body)))
        self.end_headers()
        if send_body and status != 304:
            self.wfile.write(page.body)
        self._record(status)

    def _not_modified(self, page: Page) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return etag_matches(if_none_match, page.etag)
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since is not None:
            return not_modified_since(if_modified_since, page.last_modified)
        return False

    def _redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()
        self._record(301)

    def _record(self, status: int) -> None:
        self.server.record(
            RequestRecord(
                outlet=self.server.outlet_key,
                method=self.command,
                path=self.path,
                status=status,
                headers={k: v for k, v in self.headers.items()},
            )
        )

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib signature)
        logger.debug("%s %s", self.server.outlet_key, format % args)
