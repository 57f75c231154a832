"""Writers run as separate processes by the concurrency tests (`python -m tests.store.writers`).

Each action opens the real database file, meets the other process at a signal file (created
by one, awaited by the other), does what a stage or an editor does, and prints a JSON line.
A pause inside a run (`--pause`) holds it between its reads and its writes, where a race
would strike, long enough for the other process to act.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path
from typing import Any

from pannes.store import open_store

from pannes.records import Article

WAIT_S = 60


def wait_for(path: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not Path(path).exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {path}")
        time.sleep(0.01)


def signal(path: str | None) -> None:
    if path:
        Path(path).touch()


def regroup_pausing(args: argparse.Namespace) -> dict[str, Any]:
    """`pannes group`, pausing once it has read the stored incidents (after the tags and
    corrections), before it writes."""
    from pannes.incidents.regroup import regroup

    store = open_store(args.db)
    read_incidents = store.list_incidents

    def read_then_pause(**options: Any) -> Any:
        incidents = read_incidents(**options)
        signal(args.signal)
        time.sleep(args.pause)
        return incidents

    store.list_incidents = read_then_pause  # type: ignore[method-assign]
    report = regroup(store)
    return {"created": len(report.created), "updated": len(report.updated)}


def correct_article(args: argparse.Namespace) -> dict[str, Any]:
    """An editor's correction of an article, made once the other process has signalled."""
    from pannes.incidents.corrections import correct_article as correct

    store = open_store(args.db)
    wait_for(args.wait)
    started = time.monotonic()
    correct(store, args.article, args.field, args.value, "relecture")
    return {"waited_s": round(time.monotonic() - started, 2)}


def tag(args: argparse.Namespace) -> dict[str, Any]:
    """`pannes tag --retag` on the first `--limit` articles, signalling while the French
    model loads (after the run has started, before it saves any tags)."""
    from pannes.app.stages import tag_stage
    from pannes.config import load_settings

    store = open_store(args.db)

    def progress(message: str) -> None:
        if "loading" in message:
            signal(args.signal)
            time.sleep(args.pause)

    report = tag_stage(store, load_settings(), retag=True, limit=args.limit, progress=progress)
    return {"tagged": report.tagged}


def open_at_once(args: argparse.Namespace) -> dict[str, Any]:
    """Open (and so migrate) the database as soon as the start signal appears (signalling
    once it is ready and waiting for it)."""
    signal(args.signal)
    wait_for(args.wait)
    store = open_store(args.db)
    return {"version": store.schema_version, "articles": store.count_articles()}


def rebuild(args: argparse.Namespace) -> dict[str, Any]:
    """`pannes reindex` (SQLite): rebuild the full-text tables, pausing between batches."""
    store = open_store(args.db)
    started = time.monotonic()

    def progress(_: str) -> None:
        signal(args.signal)
        time.sleep(args.pause)

    counts = store.rebuild_search_index(progress=progress, batch_size=args.batch)
    return {"seconds": round(time.monotonic() - started, 2), **counts}


def store_articles(args: argparse.Namespace) -> dict[str, Any]:
    """The crawler's store pipeline: new articles, one write each, until `--stop` appears;
    reports how long each write took."""
    store = open_store(args.db)
    wait_for(args.wait)
    waits, urls, n = [], [], 0
    while not Path(args.stop).exists() or n < 3:
        n += 1
        url = f"https://pendant.example.fr/{n}"
        started = time.monotonic()
        store.upsert_article(Article(
            url=url, source="Octet Hebdo", title=f"Brève {n} sur le réseau",
            text=f"Le fournisseur Zorglonet signale l'incident numéro {n}.",
            published=date(2024, 5, 1)))
        waits.append(time.monotonic() - started)
        urls.append(url)
        time.sleep(0.02)
    return {"urls": urls, "longest_wait_s": round(max(waits), 3)}


def update_article(args: argparse.Namespace) -> dict[str, Any]:
    """The crawler finds a new text for a stored article once the other process signals."""
    store = open_store(args.db)
    article = store.get_article(args.article)
    wait_for(args.wait)
    result = store.upsert_article(Article(
        url=article.url, source=article.source, title=article.title,
        text=f"{args.value}\n{article.text}", published=article.published))
    return {"status": result.status, "version": result.version}


def hold_write(args: argparse.Namespace) -> dict[str, Any]:
    """A writer that stores an article and holds its transaction (the write lock) open for
    `--pause` seconds before committing, signalling once it holds the lock."""
    store = open_store(args.db)
    with store.transaction():
        store.upsert_article(Article(
            url="https://tard.example.fr/1", source="Octet Hebdo", title="Pas encore",
            text="Le fournisseur Zorglonet n'a pas encore confirmé.", published=date(2024, 5, 2)))
        signal(args.signal)
        time.sleep(args.pause)
    return {"committed": True}


ACTIONS = {"regroup": regroup_pausing, "correct-article": correct_article, "tag": tag,
           "open": open_at_once, "rebuild": rebuild, "store-articles": store_articles,
           "hold-write": hold_write, "update-article": update_article}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=ACTIONS)
    parser.add_argument("db")
    parser.add_argument("--signal")
    parser.add_argument("--wait")
    parser.add_argument("--stop")
    parser.add_argument("--pause", type=float, default=0.0)
    parser.add_argument("--article", type=int)
    parser.add_argument("--field")
    parser.add_argument("--value")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    print(json.dumps(ACTIONS[args.action](args)), flush=True)


if __name__ == "__main__":
    main()
