"""Run a crawl from Python, as many times as needed in one process (CLI, demo, tests).

Scrapy runs in a child process (`python -m crawler.child`): Twisted's reactor cannot be
restarted, and a child can be interrupted or killed without harming the caller. The child
writes to the store itself and streams progress back as JSON lines.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pannes.crawler.child import EXIT_LOCKED, PARENT_ENV
from pannes.crawler.sources import Source, load_sources
from pannes.crawler.spiders.news import STRATEGIES
from pannes.crawler.stats import CrawlStats

from pannes.config import Settings
from pannes.errors import PannesError, UserInputError
from pannes.processes import stop_process

log = logging.getLogger(__name__)

ProgressCallback = Callable[[dict[str, Any]], None]
SourcesSpec = Path | str | Iterable[Mapping[str, Any] | Source] | None


class CrawlFailed(PannesError):
    """The crawl process stopped without a summary (killed, or crashed: see the log)."""


def default_log_file(settings: Settings) -> Path:
    return settings.data_dir / "logs" / "crawl.log"


def default_resume_dir(settings: Settings) -> Path:
    """Where a crawl keeps its queue between a pause and a resume: beside the database."""
    return Path(f"{settings.db_path}.crawl-job")


def resolve_sources(settings: Settings, sources: SourcesSpec = None,
                    only: Iterable[str] | None = None, *,
                    include_disabled: bool = False) -> list[Source]:
    """The sources of a run: given ones, or the configured file, or the packaged file.

    Disabled sources are left out unless named in `only` or `include_disabled` is set.
    """
    return load_sources(sources, default_file=settings.crawl.sources, only=only,
                        include_disabled=include_disabled)


def _crawl_dict(settings: Settings) -> dict[str, Any]:
    data = asdict(settings.crawl)
    data["sources"] = str(data["sources"]) if data.get("sources") else None
    return data


def _tail(path: Path, lines: int = 15) -> str:
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 8000))
            text = fh.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


MAX_LOG_BYTES = 20_000_000


def _open_log(log_file: Path):
    """The crawl log, rotated once it grows past MAX_LOG_BYTES (one old copy kept)."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    if log_file.exists() and log_file.stat().st_size > MAX_LOG_BYTES:
        log_file.replace(log_file.with_name(log_file.name + ".1"))
    return log_file.open("ab")


def _stop(child: subprocess.Popen, grace: float = 30.0) -> None:
    """Ask the crawl process to stop cleanly, then insist."""
    stop_process(child, grace, ask=signal.SIGINT)


def _events(child: subprocess.Popen) -> Iterator[dict[str, Any]]:
    """The JSON events the crawl process writes; a first Ctrl-C asks it to stop cleanly."""
    assert child.stdout is not None
    interrupted = False
    while True:
        try:
            line = child.stdout.readline()
        except KeyboardInterrupt:
            if interrupted:
                raise
            interrupted = True
            child.send_signal(signal.SIGINT)  # Scrapy stops cleanly, keeping its queue
            continue
        if not line:
            return
        try:
            yield json.loads(line)
        except json.JSONDecodeError:
            log.debug("crawl process said: %s", line.rstrip())


def _run_child(job: dict[str, Any], progress: ProgressCallback | None, log_file: Path) -> CrawlStats:
    summary: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    with _open_log(log_file) as log_fh:
        child = subprocess.Popen(
            [sys.executable, "-m", "pannes.crawler.child"],
            env={**os.environ, PARENT_ENV: str(os.getpid())},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log_fh,
            start_new_session=True,  # Ctrl-C is forwarded once, by us
            text=True,
            encoding="utf-8",
        )
        try:
            assert child.stdin is not None
            child.stdin.write(json.dumps(job, ensure_ascii=False))
            child.stdin.close()
            for event in _events(child):
                if event.get("event") == "summary":
                    summary = event
                elif event.get("event") == "error":
                    error = event
                if progress is not None:
                    progress(event)
        except BaseException:
            _stop(child)  # a failing progress callback or a second Ctrl-C: no orphan crawl
            raise
        returncode = child.wait()
    if error is not None and returncode == EXIT_LOCKED:
        raise UserInputError(f"Cannot crawl: {error['message']}. Wait for it to end "
                             "(or stop it) and try again.")
    if summary is None:
        how = f"signal {-returncode}" if returncode < 0 else f"exit code {returncode}"
        raise CrawlFailed(f"The crawl process stopped ({how}) before the end; what it had "
                          f"fetched is stored. Log: {log_file}\n{_tail(log_file)}")
    return CrawlStats.from_dict({k: v for k, v in summary.items() if k != "event"})


def run_crawl(
    settings: Settings,
    *,
    sources: SourcesSpec = None,
    only: Iterable[str] | None = None,
    strategies: Iterable[str] = STRATEGIES,
    max_pages: int | None = None,
    max_age_days: float | None = None,
    refresh: bool = False,
    progress: ProgressCallback | None = None,
    resume_dir: Path | None = None,
    log_file: Path | None = None,
    scrapy_overrides: Mapping[str, Any] | None = None,
    progress_interval: float = 1.0,
) -> CrawlStats:
    """Crawl the sources' feeds and sitemaps into the store at `settings.db_path`.

    `sources`: a TOML file, a list of source dicts (e.g. `DemoSite(...).sources()`) or None
    for the configured file. `max_pages` stops after that many articles handed to the store.
    `resume_dir` keeps Scrapy's queue so an interrupted crawl resumes where it stopped.
    `progress` receives each event: {"event": "started"|"progress"|"summary", ...CrawlStats}.
    """
    strategies = tuple(strategies)
    unknown = set(strategies) - set(STRATEGIES)
    if unknown or not strategies:
        raise UserInputError(f"Unknown discovery strategy {sorted(unknown)}; "
                             f"use {' and/or '.join(STRATEGIES)}.")
    chosen = resolve_sources(settings, sources, only)
    if not chosen:
        raise UserInputError("No source to crawl (all are disabled, or the list is empty).")
    job = {
        "kind": "crawl",
        "spider": "news",
        "db_path": str(settings.db_path),
        "data_dir": str(settings.data_dir),
        "crawl": _crawl_dict(settings),
        "sources": [s.to_dict() for s in chosen],
        "spider_args": {"strategies": list(strategies), "max_age_days": max_age_days},
        "refresh": refresh,
        "max_pages": max_pages,
        "jobdir": str(resume_dir) if resume_dir else None,
        "scrapy": dict(scrapy_overrides or {}),
        "progress_interval": progress_interval,
    }
    return _run_child(job, progress, log_file or default_log_file(settings))


def fetch_urls(
    settings: Settings,
    urls: Iterable[str],
    *,
    sources: SourcesSpec = None,
    source_name: str | None = None,
    refresh: bool = False,
    progress: ProgressCallback | None = None,
    log_file: Path | None = None,
    scrapy_overrides: Mapping[str, Any] | None = None,
    progress_interval: float = 1.0,
) -> CrawlStats:
    """Fetch a list of article URLs through the same spider machinery (`pannes import-urls`).

    Each URL is attributed to the configured source owning its domain, else to `source_name`,
    else to a source named after its host. Known URLs are skipped unless `refresh`.
    """
    urls = [u.strip() for u in urls if u.strip() and not u.lstrip().startswith("#")]
    bad = [u for u in urls if not u.startswith(("http://", "https://"))]
    if bad:
        raise UserInputError(f"Not an http(s) address: {bad[0]!r} "
                             f"({len(bad)} such line(s) in the list).")
    if not urls:
        raise UserInputError("The list holds no URL.")
    job = {
        "kind": "import-urls",
        "spider": "urls",
        "db_path": str(settings.db_path),
        "data_dir": str(settings.data_dir),
        "crawl": _crawl_dict(settings),
        "sources": [s.to_dict() for s in resolve_sources(settings, sources, include_disabled=True)],
        "spider_args": {"urls": urls, "source_name": source_name},
        "refresh": refresh,
        "max_pages": None,
        "jobdir": None,
        "scrapy": dict(scrapy_overrides or {}),
        "progress_interval": progress_interval,
    }
    return _run_child(job, progress, log_file or default_log_file(settings))
