"""Fixtures shared by every test area: paths, the demo corpus, a store filled with gold tags."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pannes.store import SQLiteStore, open_store

from pannes.records import Article, Tags

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = PROJECT_ROOT.parent / "shared"
DEMO_CORPUS = PROJECT_ROOT / "demo" / "corpus" / "articles.jsonl"
DEMO_FIXTURE_CORPUS = PROJECT_ROOT / "tests" / "fixtures" / "demo"


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared (seeds, eval set, annotation guide); tests needing it skip when absent,
    except where PANNES_REQUIRE_SHARED=1 (CI): there the tagger's targets must be checked."""
    if not SHARED_DIR.is_dir():
        message = f"{SHARED_DIR} is absent: the shared seeds and eval sets are not available"
        if os.environ.get("PANNES_REQUIRE_SHARED") == "1":
            pytest.fail(message + " (PANNES_REQUIRE_SHARED=1: CI checks the tagger on them)")
        pytest.skip(message)
    return SHARED_DIR


def load_demo_corpus() -> list[dict[str, Any]]:
    """The demo corpus rows (article fields plus `gold` tags)."""
    with DEMO_CORPUS.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="session")
def demo_corpus() -> list[dict[str, Any]]:
    if not DEMO_CORPUS.is_file():
        pytest.skip("the demo corpus is not written yet")
    return load_demo_corpus()


def outlet_names() -> dict[str, str]:
    """Demo outlet key -> the outlet's name (what the crawler records as the source)."""
    outlets = json.loads((DEMO_CORPUS.parent / "outlets.json").read_text(encoding="utf-8"))
    return {o["key"]: o["name"] for o in outlets}


def corpus_article(row: dict[str, Any], names: dict[str, str] | None = None) -> Article:
    """A demo-corpus row as the crawler would hand it to the store."""
    published = datetime.fromisoformat(row["published"])
    names = names if names is not None else outlet_names()
    return Article(
        url=f"http://demo.test/{row['outlet']}/{row['slug']}",
        source=names.get(row["outlet"], row["outlet"]),
        title=row["title"],
        text=row["text"],
        published=published.date(),
        author=row.get("author"),
        language=row.get("language") or "fr",
        fetched_at=published,
    )


def gold_tags(row: dict[str, Any]) -> Tags:
    tags = Tags.from_dict(row["gold"])
    tags.pipeline_version = "gold"
    tags.outage_score = 1.0 if tags.is_outage else 0.0
    return tags


def fill_store(store: SQLiteStore, rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Put corpus rows and their gold tags in a store; returns corpus id -> article id."""
    ids: dict[str, int] = {}
    names = outlet_names()
    for row in rows:
        result = store.upsert_article(corpus_article(row, names))
        ids[row["id"]] = result.article_id
        if result.status in {"new", "updated"}:
            store.save_tags(result.article_id, result.version, gold_tags(row))
    return ids


@pytest.fixture
def make_store(tmp_path: Path) -> Callable[..., SQLiteStore]:
    """Open a fresh store in a temporary file: `make_store()` or `make_store("other.db")`."""
    opened: list[SQLiteStore] = []

    def _make(name: str = "pannes.db") -> SQLiteStore:
        store = open_store(tmp_path / name)
        opened.append(store)
        return store

    yield _make
    for store in opened:
        store.close()


@pytest.fixture
def gold_store(make_store, demo_corpus) -> SQLiteStore:
    """A store holding the demo corpus with its gold tags (no incidents grouped yet)."""
    store = make_store("gold.db")
    fill_store(store, demo_corpus)
    return store


@pytest.fixture(scope="module")
def demo_site() -> Iterator[Any]:
    """The demo web site (one local server per fictional outlet) on our small fixture corpus."""
    from pannes.demo.site import DemoSite

    with DemoSite(DEMO_FIXTURE_CORPUS) as running:
        yield running


@pytest.fixture
def fresh_demo_site() -> Iterator[Any]:
    """A demo site of its own, for tests that change it while it runs."""
    from pannes.demo.site import DemoSite

    with DemoSite(DEMO_FIXTURE_CORPUS) as running:
        yield running
