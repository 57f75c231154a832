"""Benchmark: crawl + extract of the demo site on loopback vs trafilatura alone on the same HTML.

Run on demand: `python bench/bench_crawl.py [--rounds N]`. Writes bench/results/crawl.json.
The crawl runs the real crawler (Scrapy in its child process, extraction, store writes) with
no politeness delay; trafilatura alone re-extracts the raw pages the crawl stored, in this
process. Their ratio tells how much the crawl machinery costs on top of extraction.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from pannes.crawler.run import run_crawl
from pannes.store import open_store

from pannes.config import CrawlSettings, Settings

RESULTS = Path(__file__).resolve().parent / "results" / "crawl.json"


def _maxrss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: kilobytes


def crawl_demo(workdir: Path) -> dict:
    from pannes.demo.site import DemoSite

    settings = Settings(
        db_path=workdir / "bench.db",
        data_dir=workdir / "data",
        crawl=CrawlSettings(user_agent="pannes-bench", download_delay=0.0, autothrottle=False,
                            concurrent_requests_per_domain=8, timeout=30),
    )
    with DemoSite() as site:
        started = time.perf_counter()
        stats = run_crawl(settings, sources=site.sources(), progress_interval=5.0)
        wall = time.perf_counter() - started
    return {
        "settings": settings,
        "pages": stats.pages,
        "articles": stats.articles,
        "errors": stats.errors,
        "requests": stats.requests,
        "wall_seconds": round(wall, 2),
        "crawl_seconds": stats.elapsed_seconds,
        "pages_per_second_wall": round(stats.pages / wall, 2),
        "pages_per_second_crawl": round(stats.pages / stats.elapsed_seconds, 2)
        if stats.elapsed_seconds else None,
        "child_peak_rss_mb": round(_maxrss_mb(resource.RUSAGE_CHILDREN), 1),
    }


def trafilatura_alone(db_path: Path, rounds: int) -> dict:
    import trafilatura

    with open_store(db_path) as store:
        pages = [store.raw_page(a.id) for a in store.iter_articles()]
    pages = [p for p in pages if p is not None]
    htmls = [(p.url, p.body.decode("utf-8", "replace")) for p in pages]
    trafilatura.extract(htmls[0][1], url=htmls[0][0])  # warm up imports and caches
    started = time.perf_counter()
    for _ in range(rounds):
        for url, html in htmls:
            trafilatura.extract(html, url=url, with_metadata=True, output_format="json",
                                include_comments=False)
    seconds = time.perf_counter() - started
    count = len(htmls) * rounds
    return {"pages": count, "seconds": round(seconds, 2),
            "pages_per_second": round(count / seconds, 2),
            "peak_rss_mb": round(_maxrss_mb(resource.RUSAGE_SELF), 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="trafilatura-alone passes")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pannes-bench-") as tmp:
        crawl = crawl_demo(Path(tmp))
        settings = crawl.pop("settings")
        alone = trafilatura_alone(settings.db_path, args.rounds)
    ratio = (crawl["pages_per_second_wall"] / alone["pages_per_second"]
             if alone["pages_per_second"] else None)
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": sys.version.split()[0], "platform": platform.platform(),
                    "cpus": os.cpu_count(),
                    "load_average_1min": round(os.getloadavg()[0], 2)},
        "crawl_and_extract": crawl,
        "trafilatura_alone": alone,
        "ratio_crawl_to_trafilatura_alone": round(ratio, 3) if ratio else None,
        "ratio_without_process_start": round(crawl["pages_per_second_crawl"]
                                             / alone["pages_per_second"], 3)
        if crawl["pages_per_second_crawl"] and alone["pages_per_second"] else None,
        "note": "crawl figures include the child process start (wall) or not (crawl); "
                "pages = article pages fetched; loopback, no politeness delay.",
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n",
                           encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
