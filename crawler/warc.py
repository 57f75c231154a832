"""Backfill from WARC archives (e.g. Common Crawl's CC-NEWS) through the crawl's own path.

Each HTML response from a configured source's domain goes through the same filters (the
source's exclude patterns, the page-size cap), the same extraction and the same store upsert
as a crawled page; only French articles are kept. Each imported URL gets a fetch state, so a
later crawl does not ask for it again. A broken record or archive is counted and logged, and
the import goes on. No network involved.
"""

from __future__ import annotations

import gzip
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pannes.crawler.extract import clean_url, extract_page
from pannes.crawler.incremental import iso
from pannes.crawler.safexml import parse_date
from pannes.crawler.sources import Source, host_source, source_for_url
from pannes.crawler.stats import CrawlStats

from pannes.errors import UserInputError
from pannes.records import FetchState, RawPage

log = logging.getLogger(__name__)

FRENCH = "fr"


def _warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None


def _bump(table: dict[str, int], key: str, n: int = 1) -> None:
    table[key] = table.get(key, 0) + n


class TruncatedArchive(OSError):
    """The archive ends in the middle of a record (an interrupted download or copy)."""


class _StrictGunzip:
    """A gzipped archive read one block at a time, its premature end raised as an error.

    warcio takes an `EOFError` for the normal end of the records, so a truncated .warc.gz
    would silently lose its last records; `read1` also hands over every block before the cut.
    """

    def __init__(self, fh: Any) -> None:
        self.gz = gzip.GzipFile(fileobj=fh)

    def read(self, size: int = -1) -> bytes:
        try:
            return self.gz.read1(size) if size and size > 0 else self.gz.read()
        except EOFError as exc:
            raise TruncatedArchive(f"the compressed data ends too early ({exc})") from None


@contextmanager
def _open_archive(path: Path) -> Iterator[Any]:
    with path.open("rb") as fh:
        gzipped = fh.read(2) == b"\x1f\x8b"
        fh.seek(0)
        yield _StrictGunzip(fh) if gzipped else fh


def import_warc(
    store: Any,
    files: Iterable[Path],
    sources: list[Source],
    *,
    all_domains: bool = False,
    max_page_bytes: int | None = None,
    progress: Callable[[CrawlStats], None] | None = None,
) -> CrawlStats:
    """Read WARC files into the store; returns the statistics (also saved as a crawl run).

    `max_page_bytes`: pages larger than that are counted as oversized and not imported.
    """
    from warcio.archiveiterator import ArchiveIterator

    files = [Path(f) for f in files]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise UserInputError(f"WARC file not found: {', '.join(missing)}")
    stats = CrawlStats(kind="import-warc")
    started = datetime.now(UTC)
    stats.run_id = store.start_crawl_run({"kind": "import-warc", "files": [str(f) for f in files]})
    try:
        for path in files:
            records = 0
            with _open_archive(path) as fh:
                try:
                    for record in ArchiveIterator(fh):
                        records += 1
                        _import_record(store, record, sources, all_domains, max_page_bytes,
                                       stats)
                        if progress is not None and stats.pages and stats.pages % 100 == 0:
                            progress(stats)
                except MemoryError:
                    raise
                except Exception as exc:  # noqa: BLE001 - the next files are still imported
                    _error(stats, "broken_warc", str(path),
                           f"truncated or corrupt archive, stopped after {records} record(s): "
                           f"{type(exc).__name__}: {exc}")
        stats.status = "finished"
    except KeyboardInterrupt:
        stats.status = "interrupted"
        raise
    finally:
        stats.elapsed_seconds = round((datetime.now(UTC) - started).total_seconds(), 2)
        store.update_crawl_run(stats.run_id, stats.to_dict(),
                               status=stats.status if stats.status != "running" else "failed",
                               finished=True)
    return stats


def _error(stats: CrawlStats, kind: str, url: str, reason: str, source: str = "") -> None:
    _bump(stats.errors, kind)
    stats.error_samples = (stats.error_samples + [{"kind": kind, "url": url, "reason": reason,
                                                   "source": source}])[-100:]
    log.warning("%s %s: %s", kind, url, reason)


def _remember(store: Any, url: str, headers: dict[str, str], status: int,
              captured: datetime | None) -> None:
    """A fetch state for an imported URL, unless the crawler already saw it more recently."""
    key = clean_url(url)
    known = store.get_fetch_state(key)
    seen = parse_date(known.fetched_at) if known is not None else None
    if seen is not None and captured is not None and seen >= captured:
        return
    lowered = {k.lower(): v for k, v in headers.items()}
    store.set_fetch_state(FetchState(key, etag=lowered.get("etag"),
                                     last_modified=lowered.get("last-modified"),
                                     status=status, fetched_at=iso(captured)))


def _import_record(store: Any, record: Any, sources: list[Source], all_domains: bool,
                   max_page_bytes: int | None, stats: CrawlStats) -> None:
    if record.rec_type != "response":
        return
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    if not url.startswith(("http://", "https://")):
        return
    source = source_for_url(sources, url)
    if source is None:
        if not all_domains:
            _bump(stats.skipped, "offsite")
            return
        source = host_source(url)
    elif not source.wants(clean_url(url)):
        _bump(stats.skipped, "excluded")
        return
    http = record.http_headers
    status = int(http.get_statuscode() or 0) if http is not None else 0
    if status != 200:
        _bump(stats.skipped, "not_200")
        return
    headers = {k: v for k, v in http.headers} if http is not None else {}
    stream = record.content_stream()
    body = stream.read(max_page_bytes + 1) if max_page_bytes else stream.read()
    if max_page_bytes and len(body) > max_page_bytes:
        _error(stats, "oversized", url, f"page larger than the maximum page size "
               f"({max_page_bytes} bytes)", source.name)
        return
    if getattr(record.raw_stream, "limit", 0):  # bytes announced but never read: cut short
        raise TruncatedArchive(f"the record of {url} is shorter than announced")
    stats.pages += 1
    _bump(stats.sources.setdefault(source.name, {}), "pages")
    captured = _warc_date(record.rec_headers.get_header("WARC-Date"))
    raw = RawPage(url=url, body=body, status=status, headers=headers, fetched_at=captured)
    extraction = extract_page(raw, source=source.name, prune_xpath=source.prune_xpath)
    for warning in extraction.warnings:
        _bump(stats.warnings, warning)
    try:
        if extraction.article is None:
            _error(stats, extraction.problem or "other", url, extraction.reason, source.name)
        elif extraction.article.language != FRENCH:
            stats.non_french += 1
            log.info("not French (%s), not imported: %s", extraction.article.language, url)
        else:
            result = store.upsert_article(extraction.article, raw)
            _bump(stats.articles, result.status)
            _bump(stats.sources[source.name], f"articles/{result.status}")
        _remember(store, url, headers, status, captured)
    except Exception as exc:  # noqa: BLE001 - one record's store failure is counted; go on
        _error(stats, "store_failed", url, repr(exc), source.name)
