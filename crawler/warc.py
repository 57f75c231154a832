"""Backfill from WARC archives (e.g. Common Crawl's CC-NEWS) through the crawl's own path.

Each HTML response from a configured source's domain goes through the same extraction and
the same store upsert as a crawled page; only French articles are kept. No network involved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler.extract import extract_page
from crawler.sources import Source, host_source, source_for_url
from crawler.stats import CrawlStats
from pannes.errors import UserInputError
from pannes.records import RawPage

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


def import_warc(
    store: Any,
    files: Iterable[Path],
    sources: list[Source],
    *,
    all_domains: bool = False,
    progress: Callable[[CrawlStats], None] | None = None,
) -> CrawlStats:
    """Read WARC files into the store; returns the statistics (also saved as a crawl run)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    files = [Path(f) for f in files]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise UserInputError(f"WARC file not found: {', '.join(missing)}")
    stats = CrawlStats(kind="import-warc")
    started = datetime.now(UTC)
    stats.run_id = store.start_crawl_run({"kind": "import-warc", "files": [str(f) for f in files]})
    try:
        for path in files:
            with path.open("rb") as fh:
                try:
                    for record in ArchiveIterator(fh):
                        _import_record(store, record, sources, all_domains, stats)
                        if progress is not None and stats.pages and stats.pages % 100 == 0:
                            progress(stats)
                except ArchiveLoadFailed as exc:
                    _error(stats, "broken_warc", str(path), str(exc))
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


def _import_record(store: Any, record: Any, sources: list[Source], all_domains: bool,
                   stats: CrawlStats) -> None:
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
    http = record.http_headers
    status = int(http.get_statuscode() or 0) if http is not None else 0
    if status != 200:
        _bump(stats.skipped, "not_200")
        return
    headers = {k: v for k, v in http.headers} if http is not None else {}
    body = record.content_stream().read()
    stats.pages += 1
    _bump(stats.sources.setdefault(source.name, {}), "pages")
    raw = RawPage(url=url, body=body, status=status, headers=headers,
                  fetched_at=_warc_date(record.rec_headers.get_header("WARC-Date")))
    extraction = extract_page(raw, source=source.name, prune_xpath=source.prune_xpath)
    for warning in extraction.warnings:
        _bump(stats.warnings, warning)
    if extraction.article is None:
        _error(stats, extraction.problem or "other", url, extraction.reason, source.name)
        return
    article = extraction.article
    if article.language != FRENCH:
        stats.non_french += 1
        log.info("not French (%s), not imported: %s", article.language, url)
        return
    result = store.upsert_article(article, raw)
    _bump(stats.articles, result.status)
    _bump(stats.sources[source.name], f"articles/{result.status}")
