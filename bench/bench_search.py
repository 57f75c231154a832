"""Search benchmark: pannes' SQLite FTS5 search against tantivy on one synthetic corpus.

For each size: load the synthetic French corpus (bench.corpus_gen) through the store API,
rebuild the FTS5 index, then index the same documents in tantivy (its French stemmer after
ASCII folding); run one mix of queries (words, phrases, OR, exclusions, prefixes; with and
without filters and facets; by relevance and by date) on both, page of 20 with snippets, and
report build time, size and latency percentiles. Results: bench/results/search.json and .md.

    python -m bench.bench_search --sizes 100000 1000000 --workdir /var/tmp/pannes-bench
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import random
import shutil
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pannes.store import SQLiteStore, open_store

from bench.corpus_gen import CAUSES, CITIES, CorpusGenerator
from pannes.records import Incident, SearchFilters, SearchQuery

log = logging.getLogger("bench.search")
RESULTS = Path(__file__).resolve().parent / "results"
FACETS = ["vendor", "impact", "cause", "source", "month"]


# ---------------------------------------------------------------------------- queries


@dataclass
class BenchQuery:
    category: str  # "text", "text+filters+facets", "browse+facets"
    query: SearchQuery


def query_mix(store: SQLiteStore, per_category: int, seed: int = 11) -> list[BenchQuery]:
    """The same deterministic mix of journalist-like queries for every engine."""
    rng = random.Random(seed)
    vendors = [v for v, _ in store.search(SearchQuery(facets=["vendor"], per_page=1))
               .facets["vendor"]]
    sources = [s for s, _ in store.search(SearchQuery(facets=["source"], per_page=1))
               .facets["source"]]
    words = ["panne", "coupure", "défaillance", "rançongiciel", "incendie", "messagerie",
             "abonnés", "paiements", "urgences", "sauvegardes", "cyberattaque", "fibre",
             "interruption", "perturbés", "indisponible", "croissance", "ingénieurs"]
    phrases = ['"coupure de courant"', '"centre de données"', '"mode dégradé"',
               '"erreur de configuration"', '"déni de service"', '"privés d\'internet"']
    prefixes = ["défaill*", "cyber*", "sauvegard*", "interromp*", "perturb*", "rançon*"]

    def text() -> str:
        kind = rng.randrange(7)
        if kind == 0:
            return rng.choice(words)
        if kind == 1:
            return f"{rng.choice(words)} {rng.choice(CITIES)}"
        if kind == 2:
            return rng.choice(phrases)
        if kind == 3:
            return f"{rng.choice(vendors[:20])} OR {rng.choice(vendors)}"
        if kind == 4:
            return f"{rng.choice(words)} -{rng.choice(vendors[:10])}"
        if kind == 5:
            return rng.choice(prefixes)
        return f"{rng.choice(vendors)} {rng.choice(words)}"

    def filters() -> SearchFilters:
        kind = rng.randrange(5)
        if kind == 0:
            return SearchFilters(vendors=[rng.choice(vendors[:30])])
        if kind == 1:
            start = date(rng.randrange(2015, 2025), rng.randrange(1, 13), 1)
            return SearchFilters(date_from=start, date_to=start + timedelta(days=365))
        if kind == 2:
            return SearchFilters(min_hours=24, is_outage=True)
        if kind == 3:
            return SearchFilters(sources=[rng.choice(sources)], cause=[rng.choice(list(CAUSES))])
        return SearchFilters(is_outage=True, impact=["internet_access", "telephony_mobile"])

    out: list[BenchQuery] = []
    for _ in range(per_category):
        out.append(BenchQuery("text", SearchQuery(text=text(), per_page=20)))
    for _ in range(per_category):
        out.append(BenchQuery("text+filters+facets", SearchQuery(
            text=text(), filters=filters(), facets=FACETS, per_page=20,
            sort=rng.choice(["relevance", "relevance", "date"]))))
    for _ in range(per_category):
        out.append(BenchQuery("browse+facets", SearchQuery(
            filters=filters(), facets=FACETS, per_page=20, sort="date")))
    return out


# ---------------------------------------------------------------------------- SQLite


def _load_api(store: SQLiteStore, items) -> Iterator[tuple[int, Any]]:
    """Each article as the crawler stores it: one upsert and one save_tags (FTS in sync)."""
    for item in items:
        result = store.upsert_article(item.article)
        if result.status == "new":
            store.save_tags(result.article_id, result.version, item.tags)
            yield result.article_id, item


def _load_bulk(store: SQLiteStore, items, batch: int = 5000) -> Iterator[tuple[int, Any]]:
    """The rows `upsert_article` + `save_tags` write for new articles, many per transaction,
    without the FTS rows (the FTS rebuild that follows is timed on its own)."""
    from pannes.store.sqlite_articles import TAG_LABEL_FIELDS, text_hash

    pending: list[Any] = []

    def flush() -> Iterator[tuple[int, Any]]:
        with store.db.transaction() as conn:
            for item in pending:
                a, tags = item.article, item.tags
                data = tags.to_dict()
                article_id = conn.execute(
                    "INSERT INTO articles (url, source, first_seen, current_version, title, "
                    "published, language, content_hash, text_hash) VALUES (?,?,?,1,?,?,?,?,?)",
                    (a.url, a.source, "2026-01-01T00:00:00+00:00", a.title,
                     a.published.isoformat(), a.language, a.content_hash,
                     text_hash(a.text))).lastrowid
                conn.execute(
                    "INSERT INTO article_versions (article_id, version, title, text, published, "
                    "language, content_hash, fetched_at) VALUES (?,1,?,?,?,?,?,?)",
                    (article_id, a.title, a.text, a.published.isoformat(), a.language,
                     a.content_hash, "2026-01-01T00:00:00+00:00"))
                conn.execute(
                    "INSERT INTO tags (article_id, version, pipeline_version, is_outage, "
                    "outage_score, cause, start, \"end\", hours_min, hours_max, data, tagged_at)"
                    " VALUES (?,1,?,?,?,?,?,?,?,?,?,?)",
                    (article_id, tags.pipeline_version, int(tags.is_outage), tags.outage_score,
                     tags.cause, data["start"], data["end"], tags.duration.hours_min,
                     tags.duration.hours_max, json.dumps(data, ensure_ascii=False),
                     "2026-01-01T00:00:00+00:00"))
                labels = [(article_id, f, v) for f, attr in TAG_LABEL_FIELDS.items()
                          for v in getattr(tags, attr)]
                if tags.cause:
                    labels.append((article_id, "cause", tags.cause))
                conn.executemany("INSERT OR IGNORE INTO tag_labels VALUES (?,?,?)", labels)
                yield article_id, item
        pending.clear()

    for item in items:
        pending.append(item)
        if len(pending) == batch:
            yield from list(flush())
    yield from list(flush())


def load_sqlite(path: Path, size: int, seed: int, mode: str) -> dict[str, Any]:
    """Generate and store `size` articles and their incidents, then rebuild the FTS index."""
    store = open_store(path)
    events: dict[int, list[tuple[int, Any]]] = {}
    started = time.perf_counter()
    loader = _load_api if mode == "api" else _load_bulk
    for n, (article_id, item) in enumerate(loader(store, CorpusGenerator(seed).generate(size)),
                                           1):
        if item.event is not None:
            events.setdefault(item.event, []).append((article_id, item))
        if n % 50_000 == 0:
            log.info("sqlite: %d articles stored (%.0f s)", n, time.perf_counter() - started)
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    batch: list[Incident] = []
    for event, members in events.items():
        tags = members[0][1].tags
        batch.append(Incident(
            id=f"evt-{event:07d}", title=members[0][1].article.title, vendors=tags.vendors,
            affected=tags.affected, impact=tags.impact, cause=tags.cause,
            duration=tags.duration, start=tags.start, end=tags.end, region=tags.region,
            article_ids=[article_id for article_id, _ in members]))
        if len(batch) == 1000:
            store.save_incidents(batch)
            batch = []
    store.save_incidents(batch)
    incidents_seconds = time.perf_counter() - started
    started = time.perf_counter()
    store.rebuild_search_index()
    rebuild_seconds = time.perf_counter() - started
    with store.db.read() as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        fts_bytes = conn.execute(
            "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'article_fts%'").fetchone()[0]
    store.close()
    return {"articles": size, "incidents": len(events), "load_mode": mode,
            "load_seconds": round(load_seconds, 1),
            "load_articles_per_second": round(size / load_seconds),
            "incidents_seconds": round(incidents_seconds, 1),
            "fts_rebuild_seconds": round(rebuild_seconds, 1),
            "db_bytes": path.stat().st_size, "fts_bytes": fts_bytes}


# ---------------------------------------------------------------------------- tantivy


class TantivyEngine:
    """The same documents in tantivy, with the same query tree, filters, facets, snippets."""

    def __init__(self, directory: Path) -> None:
        import tantivy

        self.t = tantivy
        analyzer = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
                    .filter(tantivy.Filter.remove_long(40)).filter(tantivy.Filter.lowercase())
                    .filter(tantivy.Filter.ascii_fold()).filter(tantivy.Filter.stemmer("french"))
                    .build())
        self.analyzer = analyzer
        builder = tantivy.SchemaBuilder()
        builder.add_integer_field("id", stored=True, indexed=True, fast=True)
        builder.add_text_field("title", stored=True, tokenizer_name="fr_stem")
        builder.add_text_field("body", stored=True, tokenizer_name="fr_stem")
        for name in ("vendors", "impact", "cause", "sources", "month", "affected"):
            builder.add_text_field(name, stored=False, fast=True, tokenizer_name="raw")
        builder.add_date_field("published", stored=True, indexed=True, fast=True)
        builder.add_float_field("hours_min", indexed=True, fast=True)
        builder.add_float_field("hours_max", indexed=True, fast=True)
        builder.add_boolean_field("is_outage", indexed=True, fast=True)
        self.schema = builder.build()
        directory.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(directory))
        self.index.register_tokenizer("fr_stem", analyzer)
        self.directory = directory

    def build(self, docs) -> float:
        from datetime import datetime

        started = time.perf_counter()
        writer = self.index.writer(heap_size=512_000_000, num_threads=2)
        for doc in docs:
            fields: dict[str, Any] = {"id": int(doc["id"]), "title": doc["title"],
                                      "body": doc["body"], "is_outage": bool(doc["is_outage"])}
            for name in ("vendors", "impact", "affected", "sources"):
                if doc[name]:
                    fields[name] = list(doc[name])
            if doc["cause"]:
                fields["cause"] = doc["cause"]
            if doc["published"]:
                fields["published"] = datetime.fromisoformat(doc["published"])
                fields["month"] = doc["month"]
            if doc["hours_min"] is not None:
                fields["hours_min"] = float(doc["hours_min"])
                fields["hours_max"] = float(doc["hours_max"])
            writer.add_document(self.t.Document(**fields))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        return time.perf_counter() - started

    def size(self) -> int:
        return sum(p.stat().st_size for p in self.directory.rglob("*") if p.is_file())

    # -- queries

    def _tokens(self, text: str) -> list[str]:
        return self.analyzer.analyze(text)

    def _leaf(self, node) -> Any:
        from pannes.store.fts import Phrase, Prefix, Word, prefix_terms

        t, Occur = self.t, self.t.Occur
        parts = []
        for name, boost in (("title", 4.0), ("body", 1.0)):
            if isinstance(node, Word):
                tokens = self._tokens(node.text)
                if not tokens:
                    return t.Query.empty_query()
                q = (t.Query.term_query(self.schema, name, tokens[0]) if len(tokens) == 1 else
                     t.Query.phrase_query(self.schema, name, tokens))
            elif isinstance(node, Phrase):
                tokens = self._tokens(" ".join(node.words))
                q = (t.Query.phrase_query(self.schema, name, tokens) if len(tokens) > 1 else
                     t.Query.term_query(self.schema, name, tokens[0]))
            else:
                assert isinstance(node, Prefix)
                folded, stems = prefix_terms(node.text)
                options = [(Occur.Should, t.Query.regex_query(self.schema, name, folded + ".*"))]
                options += [(Occur.Should, t.Query.term_query(self.schema, name, s)) for s in stems]
                q = t.Query.boolean_query(options)
            parts.append((Occur.Should, t.Query.boost_query(q, boost) if boost != 1 else q))
        return t.Query.boolean_query(parts)

    def _tree(self, node) -> Any:
        from pannes.store.fts import All, Not
        from pannes.store.fts import Any as AnyOf

        Occur = self.t.Occur
        if isinstance(node, AnyOf):
            return self.t.Query.boolean_query([(Occur.Should, self._tree(c)) for c in node.children])
        if isinstance(node, All):
            return self.t.Query.boolean_query(
                [(Occur.MustNot, self._tree(c.child)) if isinstance(c, Not) else
                 (Occur.Must, self._tree(c)) for c in node.children])
        return self._leaf(node)

    def _filters(self, f: SearchFilters) -> list[Any]:
        from datetime import datetime

        t, out = self.t, []
        for name, values in (("vendors", f.vendors), ("impact", f.impact), ("cause", f.cause),
                             ("sources", f.sources), ("affected", f.affected)):
            if values:
                out.append(t.Query.term_set_query(self.schema, name, list(values)))
        if f.date_from or f.date_to:
            low = datetime.combine(f.date_from, datetime.min.time()) if f.date_from else None
            high = datetime.combine(f.date_to, datetime.min.time()) if f.date_to else None
            out.append(t.Query.range_query(self.schema, "published", t.FieldType.Date, low, high))
        if f.min_hours is not None:
            out.append(t.Query.range_query(self.schema, "hours_max", t.FieldType.Float,
                                           float(f.min_hours), None))
        if f.max_hours is not None:
            out.append(t.Query.range_query(self.schema, "hours_min", t.FieldType.Float, None,
                                           float(f.max_hours)))
        if f.is_outage is not None:
            out.append(t.Query.term_query(self.schema, "is_outage", f.is_outage))
        return out

    def search(self, query: SearchQuery) -> tuple[int, int]:
        """Total, facets, a page of 20 with snippets; returns (total, hits)."""
        from pannes.store.fts import parse_query

        t, Occur = self.t, self.t.Occur
        parsed = parse_query(query.text)
        clauses = [(Occur.Must, self._tree(parsed.root))] if parsed.root is not None else []
        clauses += [(Occur.Must, q) for q in self._filters(query.filters)]
        q = t.Query.boolean_query(clauses) if clauses else t.Query.all_query()
        searcher = self.index.searcher()
        if query.sort == "date" or parsed.root is None:
            result = searcher.search(q, query.per_page, count=True, order_by_field="published",
                                     order=t.Order.Desc)
        else:
            result = searcher.search(q, query.per_page, count=True)
        if query.facets:
            aggs = {name: {"terms": {"field": field_, "size": 1200 if name == "month" else 50}}
                    for name, field_ in (("vendor", "vendors"), ("impact", "impact"),
                                         ("cause", "cause"), ("source", "sources"),
                                         ("month", "month")) if name in query.facets}
            searcher.aggregate(q, aggs)
        snippets = t.SnippetGenerator.create(searcher, q, self.schema, "body") \
            if parsed.root is not None else None
        for _, address in result.hits:
            doc = searcher.doc(address)
            if snippets is not None:
                snippets.snippet_from_doc(doc).highlighted()
        return result.count, len(result.hits)


# ---------------------------------------------------------------------------- timing


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def pick(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 1)

    return {"p50_ms": pick(0.50), "p95_ms": pick(0.95), "p99_ms": pick(0.99),
            "mean_ms": round(statistics.fmean(ordered) * 1000, 1), "queries": len(ordered)}


def run_queries(run: Callable[[SearchQuery], tuple[int, int]], queries: list[BenchQuery],
                repeats: int) -> tuple[dict[str, Any], list[int]]:
    for bq in queries[: min(10, len(queries))]:
        run(bq.query)  # warm the caches a little
    samples: dict[str, list[float]] = {}
    totals: list[int] = []
    for round_ in range(repeats):
        for bq in queries:
            started = time.perf_counter()
            total, _ = run(bq.query)
            samples.setdefault(bq.category, []).append(time.perf_counter() - started)
            if round_ == 0:
                totals.append(total)
    stats = {category: percentiles(s) for category, s in samples.items()}
    stats["all"] = percentiles([x for s in samples.values() for x in s])
    return stats, totals


def bench_size(size: int, workdir: Path, args: argparse.Namespace) -> dict[str, Any]:
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / f"search-{size}.db"
    if db.exists() and args.reuse:
        log.info("reusing %s", db)
        sqlite_build = json.loads((workdir / f"search-{size}.build.json").read_text())
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        mode = args.load if args.load != "auto" else ("api" if size <= 100_000 else "bulk")
        sqlite_build = load_sqlite(db, size, args.seed, mode)
        (workdir / f"search-{size}.build.json").write_text(json.dumps(sqlite_build))
    log.info("sqlite build: %s", sqlite_build)
    store = open_store(db, create=False)
    queries = query_mix(store, args.queries)
    sqlite_stats, sqlite_totals = run_queries(
        lambda q: (lambda r: (r.total, len(r.hits)))(store.search(q)), queries, args.repeats)
    log.info("sqlite queries: %s", sqlite_stats["all"])
    out: dict[str, Any] = {"size": size, "load_average_1m": round(os.getloadavg()[0], 1),
                           "sqlite": {"build": sqlite_build, "latency": sqlite_stats}}
    if not args.skip_tantivy:
        tdir = workdir / f"tantivy-{size}"
        saved = workdir / f"tantivy-{size}.build.json"
        if args.reuse and saved.exists() and tdir.exists():
            engine = TantivyEngine(tdir)
            tantivy_build = json.loads(saved.read_text())
        else:
            shutil.rmtree(tdir, ignore_errors=True)
            engine = TantivyEngine(tdir)
            seconds = engine.build(store.iter_search_documents("articles", batch_size=2000))
            tantivy_build = {"index_seconds": round(seconds, 1), "index_bytes": engine.size()}
            saved.write_text(json.dumps(tantivy_build))
        log.info("tantivy build: %s", tantivy_build)
        tantivy_stats, tantivy_totals = run_queries(engine.search, queries, args.repeats)
        log.info("tantivy queries: %s", tantivy_stats["all"])
        agree = [min(a, b) / max(a, b) if max(a, b) else 1.0
                 for a, b in zip(sqlite_totals, tantivy_totals, strict=True)]
        out["tantivy"] = {"build": tantivy_build, "latency": tantivy_stats}
        out["result_count_agreement"] = round(statistics.fmean(agree), 3)
    store.close()
    if not args.keep:
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        shutil.rmtree(workdir / f"tantivy-{size}", ignore_errors=True)
    return out


def _mb(n: int) -> str:
    return f"{n / 1e6:,.0f} MB"


def markdown(report: dict[str, Any]) -> str:
    lines = ["# Search benchmark", "",
             f"Machine: {report['machine']}. Synthetic French corpus (bench/corpus_gen.py), "
             f"{report['queries_per_category']} queries per category, each run "
             f"{report['repeats']} times; page of 20 with snippets.", ""]
    for run in report["runs"]:
        s = run["sqlite"]["build"]
        how = ("one upsert_article + save_tags per article, FTS kept in sync"
               if s["load_mode"] == "api" else "bulk rows, many per transaction, no FTS")
        lines += [f"## {run['size']:,} articles", "",
                  f"- machine load average when queried: {run.get('load_average_1m')} "
                  f"(other jobs shared the {os.cpu_count()} CPUs)",
                  f"- SQLite store load ({how}): {s['load_seconds']} s "
                  f"({s['load_articles_per_second']}/s); "
                  f"{s['incidents']:,} incidents in {s['incidents_seconds']} s",
                  f"- FTS5 rebuild (normalise + index + optimize): {s['fts_rebuild_seconds']} s;"
                  f" database {_mb(s['db_bytes'])}, of which FTS5 {_mb(s['fts_bytes'])}"]
        if "tantivy" in run:
            tb = run["tantivy"]["build"]
            lines.append(f"- tantivy index build: {tb['index_seconds']} s; "
                         f"{_mb(tb['index_bytes'])} (stores title and body)")
            lines.append(f"- result counts, tantivy vs SQLite (mean min/max ratio): "
                         f"{run['result_count_agreement']}")
        lines += ["", "| queries | engine | p50 ms | p95 ms | p99 ms | mean ms |",
                  "|---|---|---|---|---|---|"]
        for category in run["sqlite"]["latency"]:
            for engine in ("sqlite", "tantivy"):
                if engine in run:
                    st = run[engine]["latency"][category]
                    lines.append(f"| {category} | {engine} | {st['p50_ms']} | {st['p95_ms']} | "
                                 f"{st['p99_ms']} | {st['mean_ms']} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="SQLite FTS5 vs tantivy search benchmark")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--queries", type=int, default=40, help="queries per category")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=Path("/var/tmp/pannes-bench"))
    parser.add_argument("--load", choices=("auto", "api", "bulk"), default="auto",
                        help="api: one upsert + save_tags per article (as the crawler does); "
                             "bulk: many rows per transaction; auto: api up to 100k")
    parser.add_argument("--skip-tantivy", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="reuse a database built before")
    parser.add_argument("--keep", action="store_true", help="keep the databases and indexes")
    parser.add_argument("--out", type=Path, default=RESULTS / "search.json")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    report = {"machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python "
                         f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}",
              "queries_per_category": args.queries, "repeats": args.repeats, "runs": []}
    for size in args.sizes:
        report["runs"].append(bench_size(size, args.workdir, args))
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
        args.out.with_suffix(".md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
