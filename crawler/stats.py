"""A crawl's statistics as one record: live progress, the end summary and the stored run."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from pannes.crawler.report import PREFIX, SAMPLES_KEY

UNREACHABLE_KINDS = {"connection", "dns", "timeout", "tls"}
# A source whose article pages answer 401/403 this often, and more often than 200, refuses
# crawlers on its articles (a bot wall): its feed items can still be kept (`articles = "feed"`).
REFUSED_AT_LEAST = 3
REFUSED_REMEDY = ('the site refuses crawlers on article pages while its feed answers: set '
                  '`articles = "feed"` for it in the sources file to keep its feed items as '
                  'summaries, or disable it (`pannes sources check` confirms)')


def refusing_sources(per_source: dict[str, dict[str, int]]) -> dict[str, int]:
    """Sources whose article pages were refused (401/403) more than they were served."""
    return {name: counters.get("articles_refused", 0) for name, counters in per_source.items()
            if counters.get("articles_refused", 0) >= REFUSED_AT_LEAST
            and counters.get("articles_refused", 0) > counters.get("pages", 0)}


def _group(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    start = PREFIX + prefix
    return {key[len(start):]: int(value) for key, value in sorted(stats.items())
            if key.startswith(start) and "/" not in key[len(start):]}


@dataclass
class CrawlStats:
    """What a crawl (or an import) did; `to_dict()` is what is stored in crawl_runs."""

    kind: str = "crawl"  # crawl | import-urls | import-warc
    status: str = "running"  # running | finished | interrupted | failed
    run_id: int | None = None
    requests: int = 0  # HTTP requests sent (robots.txt, feeds, sitemaps, articles, retries)
    listings: int = 0  # feeds and sitemaps read
    pages: int = 0  # article pages fetched
    feed_items: int = 0  # feed items kept as articles (sources with `articles = "feed"`)
    articles: dict[str, int] = field(default_factory=dict)  # new / updated / unchanged / duplicate
    non_french: int = 0
    not_modified: int = 0  # article or listing answered 304
    store_waits: int = 0  # store writes that waited for another process's write lock
    skipped: dict[str, int] = field(default_factory=dict)  # unchanged, robots, offsite, too_old…
    errors: dict[str, int] = field(default_factory=dict)
    warnings: dict[str, int] = field(default_factory=dict)
    sources: dict[str, dict[str, int]] = field(default_factory=dict)
    # Sources whose article pages were refused (401/403) more than served: a bot wall.
    refused_sources: dict[str, int] = field(default_factory=dict)
    error_samples: list[dict[str, str]] = field(default_factory=list)
    elapsed_seconds: float = 0.0
    finish_reason: str = ""
    message: str = ""

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def stored(self) -> int:
        """Articles that changed the store (new articles and new versions)."""
        return self.articles.get("new", 0) + self.articles.get("updated", 0)

    def unreachable(self) -> bool:
        """Nothing answered at all: every failure was a network one and no page came back."""
        network = sum(n for k, n in self.errors.items() if k in UNREACHABLE_KINDS)
        answered = self.pages + self.listings + self.not_modified
        return answered == 0 and network > 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CrawlStats:
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})

    @classmethod
    def from_scrapy(cls, stats: dict[str, Any], **extra: Any) -> CrawlStats:
        """Read the `pannes/…` counters (and a few of Scrapy's own) from a stats collector."""
        sources: dict[str, dict[str, int]] = {}
        source_prefix = PREFIX + "source/"
        for key, value in stats.items():
            if key.startswith(source_prefix):
                name, _, counter = key[len(source_prefix):].partition("/")
                sources.setdefault(name, {})[counter] = int(value)
        started, finished = stats.get("start_time"), stats.get("finish_time")
        elapsed = (finished - started).total_seconds() if started and finished else 0.0
        return cls(
            requests=int(stats.get("downloader/request_count", 0)),
            listings=int(stats.get(PREFIX + "listings", 0)),
            pages=int(stats.get(PREFIX + "pages", 0)),
            feed_items=int(stats.get(PREFIX + "feed_items", 0)),
            store_waits=int(stats.get(PREFIX + "store_waits", 0)),
            articles=_group(stats, "articles/"),
            non_french=int(stats.get(PREFIX + "non_french", 0)),
            not_modified=int(stats.get(PREFIX + "not_modified", 0))
            + int(stats.get(PREFIX + "listings_not_modified", 0)),
            skipped=_group(stats, "skipped/"),
            errors=_group(stats, "errors/"),
            warnings=_group(stats, "warnings/"),
            sources=dict(sorted(sources.items())),
            refused_sources=refusing_sources(sources),
            elapsed_seconds=round(elapsed, 2),
            finish_reason=str(stats.get("finish_reason", "")),
            error_samples=list(stats.get(SAMPLES_KEY) or []),
            **extra,
        )

    def progress_line(self) -> str:
        """One line for a terminal: pages, articles by status, errors."""
        arts = self.articles
        pages = f"{self.pages} pages" + (f" + {self.feed_items} feed items" if self.feed_items
                                         else "")
        line = (f"{pages}, {arts.get('new', 0)} new, {arts.get('updated', 0)} updated, "
                f"{arts.get('duplicate', 0)} duplicates, {arts.get('unchanged', 0)} unchanged, "
                f"{self.error_count} errors")
        if self.errors:
            kinds = sorted(self.errors.items(), key=lambda kv: -kv[1])[:3]
            line += " (" + ", ".join(f"{k} {n}" for k, n in kinds) + ")"
        if self.skipped.get("unchanged"):
            line += f", {self.skipped['unchanged']} skipped (unchanged)"
        return line

    def summary(self) -> str:
        """A few lines for the end of a run."""
        lines = [f"{self.kind} {self.status} in {self.elapsed_seconds:.0f} s: {self.progress_line()}"]
        lines.append(f"  requests {self.requests}, feeds/sitemaps read {self.listings}, "
                     f"not modified (304) {self.not_modified}, non-French pages {self.non_french}")
        if self.skipped:
            lines.append("  skipped: " + ", ".join(f"{k} {v}" for k, v in self.skipped.items()))
        if self.errors:
            lines.append("  errors: " + ", ".join(f"{k} {v}" for k, v in self.errors.items()))
        if self.warnings:
            lines.append("  repaired: " + ", ".join(f"{k} {v}" for k, v in self.warnings.items()))
        for sample in self.error_samples[-5:]:
            lines.append(f"    {sample['kind']}: {sample['url']} ({sample['reason']})")
        if self.feed_items:
            lines.append(f"  feed items kept as summaries {self.feed_items}")
        if self.store_waits:
            lines.append(f"  waited {self.store_waits} time(s) for another process writing to "
                         "the database (nothing dropped)")
        for name, refused in self.refused_sources.items():
            lines.append(f"  {name}: {refused} article pages refused (HTTP 401/403): "
                         + REFUSED_REMEDY)
        if self.message:
            lines.append("  " + self.message)
        return "\n".join(lines)
