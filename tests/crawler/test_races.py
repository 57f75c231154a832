"""Two processes at once: a crawl whose parent is killed, a crawl storing while another
process holds the database's write lock. Nothing is lost, nothing is doubled."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from localsite import Route, article_page, rss, when
from pannes.crawler.child import lock_holder
from pannes.crawler.run import run_crawl
from pannes.store import open_store

pytestmark = pytest.mark.slow

ARTICLES = 30
CONFIG = """
[crawl]
user_agent = "pannes-tests/0.1"
contact = "veille@example.org"
download_delay = 0
concurrent_requests_per_domain = 1
autothrottle = false
timeout = 5
"""


def slow_feed(site, delay: float) -> dict:
    items = []
    for n in range(ARTICLES):
        site.add(f"/actu/{n}", Route(article_page(n).encode(), delay=delay))
        items.append((site.url(f"/actu/{n}"), when(1 + n % 28)))
    site.add("/feed.xml", Route(rss(items), content_type="application/rss+xml"))
    return site.source()


def write_sources(path: Path, source: dict) -> Path:
    lines = ["[[source]]"]
    for key, value in source.items():
        if isinstance(value, list):
            lines.append(f"{key} = [" + ", ".join(f'"{v}"' for v in value) + "]")
        else:
            lines.append(f'{key} = "{value}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def stored(db: Path) -> int:
    return len(stored_urls(db))


def stored_urls(db: Path) -> set[str]:
    if not db.exists():
        return set()
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return {row[0] for row in conn.execute("SELECT url FROM articles")}
    except sqlite3.OperationalError:  # not created yet
        return set()
    finally:
        conn.close()


def alive(pid: int) -> bool:
    """Whether a process still runs (a zombie waiting to be reaped does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def pannes_crawl(tmp_path: Path, sources: Path, db: Path, command: str = "crawl"
                 ) -> subprocess.Popen:
    """`pannes crawl` (or `update`) as cron runs it: its own process, which starts the crawl."""
    env = {**os.environ, "PANNES_CONFIG": str(tmp_path / "config.toml"),
           "PANNES_DATA_DIR": str(tmp_path / "data")}
    return subprocess.Popen(
        [sys.executable, "-m", "pannes.app.cli", command, "--sources", str(sources),
         "--max-age-days", "0", "--quiet", "--db", str(db)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal: Linux")
def test_a_killed_pannes_crawl_or_update_leaves_no_crawl_running_and_the_next_is_not_refused(
        site, tmp_path):
    (tmp_path / "config.toml").write_text(CONFIG, encoding="utf-8")
    sources = write_sources(tmp_path / "sources.toml", slow_feed(site, 0.4))
    db = tmp_path / "pannes.db"

    previous = None
    before_runs = []  # the articles stored before each run, and the requests made before it
    # Three cron timeouts, each at a different moment, of `pannes update` then `pannes crawl`.
    for command, more in (("update", 1), ("crawl", 3), ("crawl", 3)):
        before_runs.append((stored_urls(db), len(site.requests)))
        parent = pannes_crawl(tmp_path, sources, db, command)
        deadline = time.monotonic() + 60
        while lock_holder(db) in (None, previous):  # until its crawl process runs
            assert parent.poll() is None, parent.communicate()
            assert time.monotonic() < deadline, "no crawl process started"
            time.sleep(0.02)
        child = previous = lock_holder(db)
        assert child != parent.pid and alive(child)
        target = stored(db) + more
        while stored(db) < target:
            assert parent.poll() is None, parent.communicate()
            assert time.monotonic() < deadline, "the crawl stores nothing"
            time.sleep(0.05)
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 0.5  # the kernel kills it with its parent, not later
        while alive(child) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not alive(child), "the crawl process outlived its parent"

    before_runs.append((stored_urls(db), len(site.requests)))
    last = pannes_crawl(tmp_path, sources, db)  # right after the last kill
    out, err = last.communicate(timeout=120)

    assert last.returncode == 0, err
    assert "already running" not in err
    with open_store(db) as store:
        urls = [a.url for a in store.iter_articles()]
        assert len(urls) == len(set(urls)) == ARTICLES
        assert all(len(store.article_versions(store.find_article(u).id)) == 1 for u in urls)
        statuses = [r.status for r in store.crawl_runs()]
        assert statuses == ["finished"] + ["interrupted"] * 3, statuses
    # No run asks for a page stored before it started, nor for one page twice. Pages fetched
    # but not stored yet at a kill are asked again: how many depends on how far the downloads
    # ran ahead of the store, which depends on the machine's load.
    ends = [start for _, start in before_runs[1:]] + [len(site.requests)]
    for (already, start), end in zip(before_runs, ends, strict=True):
        pages = [site.url(path) for path, _ in site.requests[start:end]
                 if path.startswith("/actu/")]
        assert len(pages) == len(set(pages)), pages
        assert not already & set(pages), sorted(already & set(pages))
    assert max(site.count(f"/actu/{n}") for n in range(ARTICLES)) <= 4  # once per run at most


HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=60)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE meta SET value = value WHERE key = 'none'")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
print("released", flush=True)
"""


def test_a_crawl_storing_while_another_process_holds_the_write_lock_loses_nothing(
        site, crawl_settings, tmp_path):
    """Longer than SQLite's 30 s busy timeout: the articles wait for the lock, none is dropped,
    and the downloads go on meanwhile."""
    source = slow_feed(site, 0.1)
    settings = replace(crawl_settings,
                       crawl=replace(crawl_settings.crawl, concurrent_requests_per_domain=1))
    open_store(settings.db_path).close()  # an existing database (no migration to wait for)
    holder: dict[str, subprocess.Popen] = {}
    during: list[dict] = []

    def progress(event):
        if event["event"] == "started":
            holder["p"] = subprocess.Popen(
                [sys.executable, "-c", HOLD_LOCK, str(settings.db_path), "35"],
                stdout=subprocess.PIPE, text=True)
            assert holder["p"].stdout.readline().strip() == "locked"
        elif event["event"] == "progress" and holder["p"].poll() is None:
            during.append(event)

    stats = run_crawl(settings, sources=[source], progress=progress, progress_interval=0.5,
                      scrapy_overrides={"CONCURRENT_REQUESTS": 1})

    assert holder["p"].wait() == 0
    assert stats.status == "finished"
    assert stats.errors == {}  # no store_failed
    assert stats.articles == {"new": ARTICLES}
    # While the lock was held, pages kept coming in and none could be stored yet.
    assert during and max(e["pages"] for e in during) >= ARTICLES // 2
    assert all(e["articles"].get("new", 0) == 0 for e in during)
    with open_store(settings.db_path) as store:
        assert store.count_articles() == ARTICLES
        assert store.crawl_runs()[0].status == "finished"
