"""Grouping at scale: corrections and a 100-article update on a large tagged, grouped store.

The store: the synthetic corpus of bench/corpus_gen.py (its own tags, loaded in bulk as
bench_search does; no full-text index), grouped once from scratch. Then, timed:
- editors' corrections as the dashboard makes them (merge, split, move, an article's cause,
  an article's end date: a field grouping reads, so a grouping run), each until a second,
  read-only connection (the dashboard's) sees it;
- an update adding 100 new articles: stored one by one, tagged by the real spaCy tagger
  (model load timed apart), grouped incrementally;
- for reference, one full recomputation (every text read again) of the same store.

    nice python -m bench.bench_grouping --size 100000 --workdir /tmp/bench-grouping
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from pannes.incidents.corrections import (
    correct_article,
    merge_incidents,
    split_incident,
)
from pannes.incidents.regroup import regroup
from pannes.store import open_store

from bench.bench_search import _load_bulk
from bench.corpus_gen import CorpusGenerator

log = logging.getLogger("bench.grouping")
RESULTS = Path(__file__).parent / "results"


def _timed(fn: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def _visible(reader: Any, check: Any, timeout: float = 60.0) -> float:
    """Seconds until `check(reader)` is true on the read-only connection."""
    started = time.perf_counter()
    while not check(reader):
        if time.perf_counter() - started > timeout:
            raise RuntimeError("correction not visible after 60 s")
        time.sleep(0.005)
    return time.perf_counter() - started


def corrections(store: Any, reader: Any, rounds: int) -> dict[str, list[float]]:
    """Seconds from each correction's start until the reader sees it, by kind."""
    times: dict[str, list[float]] = {"merge": [], "split": [], "move": [], "article_field": [],
                                     "article_dates": []}
    by_vendor: dict[str, list[Any]] = {}
    for incident in store.list_incidents(limit=4000):
        if incident.vendors and len(incident.article_ids) >= 2:
            by_vendor.setdefault(incident.vendors[0], []).append(incident)
    pairs = [v[:2] for v in by_vendor.values() if len(v) >= 2][:rounds]
    for a, b in pairs:
        started = time.perf_counter()
        merge_incidents(store, a.id, b.id, "bench")
        _visible(reader, lambda r, b=b: r.get_incident(b.id) is None)
        times["merge"].append(time.perf_counter() - started)

        started = time.perf_counter()
        new = split_incident(store, a.id, b.article_ids, "bench")
        _visible(reader, lambda r, new=new: r.get_incident(new.id) is not None)
        times["split"].append(time.perf_counter() - started)

        article_id = a.article_ids[0]
        started = time.perf_counter()
        correct_article(store, article_id, "incident", new.id, "bench")
        _visible(reader, lambda r, i=article_id, new=new: r.incident_of_article(i) == new.id)
        times["move"].append(time.perf_counter() - started)

        started = time.perf_counter()
        correct_article(store, article_id, "cause", "hardware", "bench")
        _visible(reader, lambda r, i=article_id: r.corrected_tags(i).cause == "hardware")
        times["article_field"].append(time.perf_counter() - started)

        day = (store.corrected_tags(article_id).start or date(2025, 1, 1)).isoformat()
        started = time.perf_counter()
        correct_article(store, article_id, "end", day, "bench")
        _visible(reader, lambda r, i=article_id, day=day: str(r.corrected_tags(i).end) == day)
        times["article_dates"].append(time.perf_counter() - started)
    return times


def update(store: Any, size: int, seed: int) -> dict[str, Any]:
    """Store, tag (real tagger) and group `size` new articles; seconds per step."""
    from pannes.app.stages import load_tagger
    from pannes.config import load_settings

    generator = CorpusGenerator(seed, start=date(2025, 12, 1), end=date(2025, 12, 31),
                                filler_pool=2000)
    items = list(generator.generate(size))
    started = time.perf_counter()
    stored = []
    for n, item in enumerate(items):
        article = replace(item.article, url=f"{item.article.url}?update={seed}-{n}", id=None)
        result = store.upsert_article(article)
        stored.append((result.article_id, result.version, article))
    store_s = time.perf_counter() - started
    load_s, tagger = _timed(lambda: load_tagger(load_settings()))
    started = time.perf_counter()
    texts = [(a.text, a.published, a.title) for _, _, a in stored]
    outages = 0
    for (article_id, version, _), tags in zip(stored, tagger.tag_many(texts), strict=True):
        store.save_tags(article_id, version, tags)
        outages += int(tags.is_outage)
    tag_s = time.perf_counter() - started
    group_s, report = _timed(lambda: regroup(store))
    return {"articles": size, "outages_tagged": outages, "store_seconds": round(store_s, 2),
            "model_load_seconds": round(load_s, 2), "tag_seconds": round(tag_s, 2),
            "group_seconds": round(group_s, 2),
            "total_seconds": round(store_s + load_s + tag_s + group_s, 2),
            "group_report": report.summary()}


def _summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"n": len(ordered), "median_s": round(statistics.median(ordered), 3),
            "max_s": round(ordered[-1], 3)}


def run(args: argparse.Namespace) -> dict[str, Any]:
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"grouping-{args.size}.db"
    for leftover in workdir.glob(f"grouping-{args.size}.db*"):
        leftover.unlink()
    store = open_store(path)
    load_s, _ = _timed(lambda: sum(1 for _ in _load_bulk(
        store, CorpusGenerator(args.seed).generate(args.size))))
    log.info("loaded %d articles in %.0f s", args.size, load_s)
    first_s, first = _timed(lambda: regroup(store))
    log.info("first grouping: %.0f s, %s", first_s, first.summary())
    again_s, again = _timed(lambda: regroup(store))
    reader = open_store(path, read_only=True)
    fixes = corrections(store, reader, args.rounds)
    log.info("corrections: %s", {k: _summary(v) for k, v in fixes.items()})
    added = update(store, 100, args.seed + 1)
    log.info("update: %s", added)
    full_s, full = _timed(lambda: regroup(store, recompute=True))
    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python "
                   f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the end",
        "articles": args.size, "load_seconds": round(load_s, 1),
        "first_grouping_seconds": round(first_s, 1), "first_grouping": first.summary(),
        "regroup_nothing_new_seconds": round(again_s, 2), "regroup_nothing_new": again.summary(),
        "corrections_to_visible": {k: _summary(v) for k, v in fixes.items()},
        "update_100": added,
        "full_recompute_seconds": round(full_s, 1), "full_recompute": full.summary(),
    }
    reader.close()
    store.close()
    return result


def markdown(r: dict[str, Any]) -> str:
    lines = ["# Grouping benchmark", "",
             f"Machine: {r['machine']}. Synthetic corpus (bench/corpus_gen.py) of "
             f"{r['articles']:,} articles with its own tags, loaded in {r['load_seconds']} s "
             "(bulk, no full-text index).", "",
             f"- first grouping from nothing (every text read): {r['first_grouping_seconds']} s "
             f"— {r['first_grouping']}",
             f"- `pannes group` again with nothing new: {r['regroup_nothing_new_seconds']} s",
             f"- full recomputation (cache ignored), after the update: "
             f"{r['full_recompute_seconds']} s — {r['full_recompute']}", "",
             "## From an editor's correction to a read-only connection seeing it", "",
             "| correction | n | median s | max s |", "|---|---|---|---|"]
    for kind, s in r["corrections_to_visible"].items():
        lines.append(f"| {kind} | {s['n']} | {s['median_s']} | {s['max_s']} |")
    u = r["update_100"]
    lines += ["", "## An update adding 100 articles", "",
              f"store {u['store_seconds']} s, tagger model load {u['model_load_seconds']} s, "
              f"tagging (real spaCy tagger) {u['tag_seconds']} s ({u['outages_tagged']} outages), "
              f"incremental grouping {u['group_seconds']} s: **{u['total_seconds']} s** in all "
              f"({u['group_report']}).", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=5, help="corrections of each kind")
    parser.add_argument("--workdir", default="/tmp/bench-grouping")
    parser.add_argument("--out", default=None, help="results stem (default grouping-SIZE)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    result = run(args)
    write_results(RESULTS / (args.out or f"grouping-{args.size // 1000}k"), result,
                  markdown(result))
    return 0


def write_results(stem: Path, result: dict[str, Any], text: str) -> None:
    """`stem`.json and `stem`.md in bench/results/, and the report on stdout."""
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    stem.with_suffix(".md").write_text(text)
    print(text)


if __name__ == "__main__":
    sys.exit(main())
