"""Two processes writing one real SQLite file at once lose nothing.

Each test provokes one race with two processes (tests/store/writers.py): one of them pauses
where the race would strike (between its reads and its writes), the other acts during the
pause, and the test checks that what both meant to write is there at the end.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pannes.incidents.regroup import regroup
from pannes.store import open_store
from pannes.store.schema import LATEST_VERSION, migrate

from pannes.errors import StoreError
from pannes.records import Correction, Incident, SearchFilters, SearchQuery
from tests.conftest import PROJECT_ROOT
from tests.store.writers import wait_for


def start(action: str, db: Path, **options: Any) -> subprocess.Popen[str]:
    argv = [sys.executable, "-m", "tests.store.writers", action, str(db)]
    for name, value in options.items():
        argv += [f"--{name}", str(value)]
    return subprocess.Popen(argv, cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen[str], timeout: float = 120) -> dict[str, Any]:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err[-3000:]
    return json.loads(out.strip().splitlines()[-1])


def an_outage_article(store) -> int:
    return next(t.article.id for t in store.iter_tagged(outage_only=True))


def test_a_correction_made_during_a_regroup_is_not_overwritten(gold_store, tmp_path):
    """A cron `pannes group` reads, an editor corrects an article meanwhile, the group writes:
    the article stays out of every incident."""
    article_id = an_outage_article(gold_store)
    db = gold_store.path
    gold_store.close()
    grouping = start("regroup", db, signal=tmp_path / "read", pause=3)
    editor = start("correct-article", db, wait=tmp_path / "read", article=article_id,
                   field="is_outage", value="non")
    assert finish(grouping)["created"] > 0
    assert finish(editor)["waited_s"] > 1  # the correction waited for the regroup's writes
    with open_store(db) as store:
        assert store.incident_of_article(article_id) is None
        assert all(article_id not in i.article_ids for i in store.list_incidents())
        assert regroup(store).changed is False  # the stored incidents were already right


def test_a_correction_made_during_tagging_is_kept_in_filters(gold_store, tmp_path):
    """`pannes tag --retag` starts, an editor corrects an article's vendors while the model
    loads, the tagger then saves machine tags: filters and facets show the correction."""
    article_id = min(a.id for a in gold_store.iter_articles())
    db = gold_store.path
    gold_store.close()
    tagging = start("tag", db, signal=tmp_path / "loading", pause=1, limit=3)
    editor = start("correct-article", db, wait=tmp_path / "loading", article=article_id,
                   field="vendors", value="Vendeurix")
    finish(editor)
    assert finish(tagging, timeout=300)["tagged"] == 3
    with open_store(db) as store:
        assert store.get_tags(article_id).pipeline_version != "gold"  # re-tagged after
        hits = store.search(SearchQuery(filters=SearchFilters(vendors=["Vendeurix"])))
        assert [h.id for h in hits.hits] == [str(article_id)]
        assert hits.hits[0].vendors == ["Vendeurix"]
        assert store.corrected_tags(article_id).vendors == ["Vendeurix"]


def old_database(path: Path, articles: int) -> None:
    """A database as pannes wrote it at schema version 2 (WAL), with articles in it."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, target=2)
    conn.execute("BEGIN")
    for n in range(1, articles + 1):
        conn.execute("INSERT INTO articles (id, url, source, first_seen, current_version, title, "
                     "published, content_hash) VALUES (?, ?, 'Octet Hebdo', '2024-01-01', 1, ?, "
                     "'2024-01-01', ?)", (n, f"https://a.example.fr/{n}", f"Panne {n}", str(n)))
        conn.execute("INSERT INTO article_versions (article_id, version, title, text, "
                     "content_hash, fetched_at) VALUES (?, 1, ?, ?, ?, '2024-01-01')",
                     (n, f"Panne {n}", f"Une panne de sécurité numéro {n}.\n" * 3, str(n)))
    conn.execute("COMMIT")
    conn.close()


def test_two_processes_opening_an_old_database_migrate_it_once(tmp_path):
    """Two processes open a version-2 database at once, both reading version 2 while a third
    holds the write lock; when it lets go, one migrates and the other finds it done."""
    for round_ in range(2):
        db = tmp_path / f"old-{round_}.db"
        old_database(db, articles=300)
        go = tmp_path / f"go-{round_}"
        ready = [tmp_path / f"ready-{round_}-{n}" for n in range(2)]
        openers = [start("open", db, wait=go, signal=r) for r in ready]
        for r in ready:
            wait_for(r)
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        go.touch()
        time.sleep(1.5)  # both openers have read the old version and wait for the lock
        assert all(p.poll() is None for p in openers)
        holder.execute("ROLLBACK")
        holder.close()
        results = [finish(p) for p in openers]
        assert results == [{"version": LATEST_VERSION, "articles": 300}] * 2
        with open_store(db) as store:
            assert store.search(SearchQuery(text="securite")).total == 300


def test_writers_go_on_during_a_search_index_rebuild_and_are_found_after(gold_store, tmp_path):
    """The crawler stores articles while `pannes reindex` rebuilds the full-text tables: no
    write waits for the whole rebuild, and the articles stored meanwhile are searchable."""
    db = gold_store.path
    before = gold_store.count_articles()
    gold_store.close()
    stop = tmp_path / "stop"
    rebuilding = start("rebuild", db, signal=tmp_path / "first-batch", pause=0.5, batch=10)
    crawler = start("store-articles", db, wait=tmp_path / "first-batch", stop=stop)
    rebuilt = finish(rebuilding)
    stop.touch()
    stored = finish(crawler)
    assert rebuilt["articles"] == before  # those stored meanwhile were indexed by their writer
    assert rebuilt["seconds"] > 2
    assert stored["longest_wait_s"] < rebuilt["seconds"] / 4
    with open_store(db) as store:
        found = store.search(SearchQuery(text="zorglonet", per_page=100))
        assert found.total == len(stored["urls"]) > 3
        urls = {h.url for page in range(1, found.total // 100 + 2)
                for h in store.search(SearchQuery(text="zorglonet", per_page=100,
                                                  page=page)).hits}
        assert urls == set(stored["urls"])
        assert store.get_meta("search_index_rebuild_due") is None


def test_an_article_updated_during_a_search_index_rebuild_is_found_by_its_new_text(
        gold_store, tmp_path):
    """The rebuild has read and normalised a batch; the crawler stores a new text for an
    article of that batch before the batch is written: the new text is what search finds."""
    db = gold_store.path
    article_id = min(a.id for a in gold_store.iter_articles())
    gold_store.close()
    rebuilding = start("rebuild", db, signal=tmp_path / "batch-read", pause=1.5, batch=10)
    crawler = start("update-article", db, wait=tmp_path / "batch-read", article=article_id,
                    value="Mise à jour : le fournisseur Quokkanet confirme la panne.")
    assert finish(crawler) == {"status": "updated", "version": 2}
    finish(rebuilding)
    with open_store(db) as store:
        found = store.search(SearchQuery(text="quokkanet"))
        assert [h.id for h in found.hits] == [str(article_id)]


def test_dashboard_reads_while_another_process_writes(gold_store, tmp_path):
    """The dashboard's store reads through read-only connections, one per thread: reads go on
    while another process holds the write lock, and this store cannot write."""
    import threading

    db = gold_store.path
    articles = gold_store.count_articles()
    gold_store.close()
    reader = open_store(db, read_only=True)
    writer = start("hold-write", db, signal=tmp_path / "holding", pause=5)
    wait_for(tmp_path / "holding")
    counts: list[int] = []
    started = time.monotonic()
    threads = [threading.Thread(target=lambda: counts.append(reader.count_articles()))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    waited = time.monotonic() - started
    assert writer.poll() is None  # still holding the lock
    assert counts == [articles] * 4 and waited < 2  # none waited for it, none saw its write
    assert finish(writer) == {"committed": True}
    assert reader.count_articles() == articles + 1
    with pytest.raises(StoreError, match="read-only"):
        reader.set_meta("essai", "1")
    reader.close()


def test_dashboard_sessions_read_in_parallel(gold_store):
    """A long query of one session does not hold up another session's reads."""
    import threading

    from pannes.dashboard import data

    reader = data.get_store(str(gold_store.path))
    assert reader.db.read_only
    started, finished = threading.Event(), []

    def long_read() -> None:
        with reader.db.read() as conn:
            started.set()
            conn.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                         "WHERE i < 3000000) SELECT COUNT(*) FROM n").fetchone()
        finished.append("long")

    thread = threading.Thread(target=long_read)
    thread.start()
    started.wait(timeout=5)
    assert reader.count_articles() == gold_store.count_articles()
    finished.append("short")
    thread.join(timeout=30)
    assert finished == ["short", "long"]


def test_a_stage_writing_an_incident_keeps_its_editors_corrections(make_store):
    """Whatever incident a stage saves, the store lays the incident's field corrections over
    it in the same transaction: the corrected cause and title stay, in search too."""
    store = make_store()
    machine = Incident(id="zorglonet-2024-05-01", title="Panne chez Zorglonet",
                       vendors=["Zorglonet"], cause="panne matérielle", start=date(2024, 5, 1))
    store.save_incident(machine)
    for name, value in (("cause", "cyberattaque"), ("title", "Cyberattaque contre Zorglonet")):
        store.add_correction(Correction(target="incident", target_id=machine.id, field=name,
                                        value=value, editor="relecture"))
    store.save_incident(Incident(**{**machine.__dict__, "title": "Panne chez Zorglonet (bis)"}))
    saved = store.get_incident(machine.id)
    assert (saved.title, saved.cause) == ("Cyberattaque contre Zorglonet", "cyberattaque")
    assert [i.id for i in store.list_incidents()] == [machine.id]
    found = store.search(SearchQuery(text="cyberattaque", kind="incidents"))
    assert [h.id for h in found.hits] == [machine.id]
