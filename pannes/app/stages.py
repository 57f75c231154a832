"""The flow's stages as plain functions, wired here for `update`, `demo` and the commands.

crawl -> (extract, store raw: inside the crawl) -> tag -> group (-> index: the store keeps its
full-text index in sync; Elasticsearch is fed by `pannes reindex`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pannes.errors import UserInputError

if TYPE_CHECKING:
    from pannes.config import Settings
    from pannes.crawler.stats import CrawlStats
    from pannes.incidents.regroup import RegroupReport
    from pannes.nlp.tagger import Tagger
    from pannes.store.sqlite import SQLiteStore

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


def crawl_stage(settings: Settings, *, sources: Any = None, progress: Progress = _quiet,
                **options: Any) -> CrawlStats:
    """Fetch new and changed articles of the sources into the store (a Scrapy child process)."""
    from pannes.crawler.run import run_crawl
    from pannes.crawler.stats import CrawlStats

    def on_event(event: dict[str, Any]) -> None:
        if event.get("event") == "progress":
            progress("crawl: " + CrawlStats.from_dict(event).progress_line())

    return run_crawl(settings, sources=sources, progress=on_event, **options)


@dataclass(frozen=True)
class TagReport:
    tagged: int
    outages: int
    pipeline_version: str

    def summary(self) -> str:
        return f"tagged {self.tagged} articles ({self.outages} outages) with {self.pipeline_version}"


def load_tagger(settings: Settings | None, extra_vendor_files: Sequence[Path] = (), *,
                models_dir: Path | None = None) -> Tagger:
    """The tagger with the configured extra vendor files, loaded once per process for the same
    files (loading spaCy takes seconds; `update` and repeated CLI calls in one process reuse it)."""
    files = [*(settings.nlp.vendor_files if settings is not None else ()), *extra_vendor_files]
    if models_dir is None and settings is not None:
        models_dir = settings.nlp.models_dir
    if models_dir is not None and not (Path(models_dir) / "models.json").is_file():
        raise UserInputError(f"No models.json in {models_dir} (option --models or nlp.models_dir; "
                             "write one with pannes train)")
    for path in files:
        if not Path(path).is_file():
            raise UserInputError(f"Vendor file not found: {path} (option --vendors or nlp.vendor_files)")
    key = tuple((str(Path(p).resolve()), Path(p).stat().st_mtime_ns) for p in files)
    return _cached_tagger(key, str(models_dir) if models_dir else None)


@functools.lru_cache(maxsize=2)
def _cached_tagger(files: tuple[tuple[str, int], ...], models_dir: str | None) -> Tagger:
    from pannes.nlp.tagger import Tagger

    return Tagger.load(extra_vendor_files=[Path(p) for p, _ in files], models_dir=models_dir)


VENDOR_FILES_KEY = "nlp.vendor_files"


def store_vendor_files(store: SQLiteStore, extra_vendor_files: Sequence[Path] = (), *,
                       progress: Progress = _quiet) -> list[Path]:
    """The extra vendor bases this store is tagged with: those given now, added to those
    remembered from earlier runs (so `pannes tag --retag` or `update` on the demo database
    still knows the demo's fictional vendors). A remembered file that vanished is skipped."""

    remembered = [Path(p) for p in json.loads(store.get_meta(VENDOR_FILES_KEY) or "[]")]
    given = [Path(p).expanduser().resolve() for p in extra_vendor_files]
    files = list(dict.fromkeys([*given, *remembered]))
    if files != remembered:
        store.set_meta(VENDOR_FILES_KEY, json.dumps([str(p) for p in files]))
    present = []
    for path in files:
        if path.is_file():
            present.append(path)
        else:
            progress(f"tag: vendor file {path} (used before on this database) is gone; "
                     "tagging without it")
    return present


def tag_stage(store: SQLiteStore, settings: Settings, *, extra_vendor_files: Sequence[Path] = (),
              tagger: Tagger | None = None, retag: bool = False, batch_size: int | None = None,
              limit: int | None = None, models_dir: Path | None = None,
              progress: Progress = _quiet) -> TagReport:
    """Tag the stored articles lacking tags from this pipeline version (all with `retag`).

    The tagger (a few seconds to load) is loaded only when there is something to tag.
    """
    from pannes.nlp.version import pipeline_version
    from pannes.store.sqlite_incidents import VENDOR_GROUPS_KEY

    batch_size = batch_size or settings.nlp.batch_size
    extra_vendor_files = store_vendor_files(store, extra_vendor_files, progress=progress)
    models_dir = models_dir or settings.nlp.models_dir
    version = pipeline_version([*settings.nlp.vendor_files, *extra_vendor_files], models_dir)
    tagged = outages = 0
    pending = []
    groups_recorded = False

    def flush() -> None:
        nonlocal tagged, outages, tagger, groups_recorded
        if tagger is None:
            progress("tag: loading the French model and the vendor base ...")
            tagger = load_tagger(settings, extra_vendor_files, models_dir=models_dir)
        if not groups_recorded:
            # `pannes vendors --by-group` and the dashboard roll brands up into these groups.
            store.set_meta(VENDOR_GROUPS_KEY, json.dumps(tagger.vendor_groups(), ensure_ascii=False,
                                                         sort_keys=True))
            groups_recorded = True
        items = [(a.text, a.published, a.title, a.source) for a in pending]
        for article, tags in zip(pending, tagger.tag_many(items, batch_size=batch_size), strict=True):
            # The store lays editors' corrections over these in filters and facets.
            store.save_tags(article.id, article.version, tags)
            tagged += 1
            outages += int(tags.is_outage)
        pending.clear()
        progress(f"tag: {tagged} articles, {outages} outages")

    for article in store.articles_to_tag(version, retag=retag):
        pending.append(article)
        if limit is not None and tagged + len(pending) >= limit:
            break
        if len(pending) >= batch_size * 4:
            flush()
    if pending:
        flush()
    return TagReport(tagged, outages, version)


def group_stage(store: SQLiteStore, *, rebuild: bool = False) -> RegroupReport:
    """Group outage articles into incidents, editors' corrections applied on top."""
    from pannes.incidents.regroup import regroup

    return regroup(store, rebuild=rebuild)
