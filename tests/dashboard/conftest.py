"""Stores for the dashboard tests: the demo corpus with its incidents, plus our own articles
(evidence sentences, a `<script>` title, a non-http link) from tests/fixtures/dashboard."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pannes.incidents.regroup import regroup
from pannes.store import SQLiteStore
from streamlit.testing.v1 import AppTest

from pannes.records import Article, Incident, Tags

PROJECT_ROOT = Path(__file__).resolve().parents[2]
APP = PROJECT_ROOT / "dashboard" / "app.py"
FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "dashboard"
PAGES = {
    "chronologie": "views/chronologie.py",
    "fournisseurs": "views/fournisseurs.py",
    "incident": "views/incident.py",
    "semaine": "views/semaine.py",
    "collecte": "views/collecte.py",
}


def fill_fixture_articles(store: SQLiteStore, name: str = "articles.jsonl",
                          incidents: bool = True) -> dict[str, int]:
    """Our hand-written articles (and incidents); returns fixture key -> article id."""
    ids: dict[str, int] = {}
    with (FIXTURES / name).open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            result = store.upsert_article(Article(
                url=row["url"], source=row["source"], title=row["title"], text=row["text"],
                published=date.fromisoformat(row["published"]), language="fr"))
            ids[row["key"]] = result.article_id
            tags = Tags.from_dict(row["tags"])
            tags.pipeline_version = "fixture"
            store.save_tags(result.article_id, result.version, tags)
    if not incidents:
        return ids
    for spec in json.loads((FIXTURES / "incidents.json").read_text(encoding="utf-8")):
        data = dict(spec)
        data["article_ids"] = [ids[k] for k in data.pop("articles")]
        data["provenance"] = {f: [ids[k] for k in keys]
                              for f, keys in (spec.get("provenance") or {}).items()}
        store.save_incident(Incident.from_dict(data))
    return ids


def build_dashboard_store(store: SQLiteStore, corpus: list[dict[str, Any]]) -> None:
    """Demo corpus with gold tags, our fixture articles and incidents, then the grouping."""
    from tests.conftest import fill_store

    fill_store(store, corpus)
    fill_fixture_articles(store)
    regroup(store)


@pytest.fixture
def dashboard_db(make_store, demo_corpus) -> Path:
    """The demo corpus (gold tags) and our fixture articles, grouped into incidents."""
    store = make_store("dashboard.db")
    build_dashboard_store(store, demo_corpus)
    return store.path


@pytest.fixture
def fixture_db(make_store) -> Path:
    """A small database with only our fixture articles and incidents."""
    store = make_store("fixture.db")
    fill_fixture_articles(store)
    return store.path


@pytest.fixture
def mentions_db(make_store) -> Path:
    """Our fixture incidents, then two later articles mentioning Nébulor's outages in passing
    (March 2023: an incident known only from mentions; June 2025: the stored one), grouped."""
    store = make_store("mentions.db")
    fill_fixture_articles(store)
    fill_fixture_articles(store, "mentions.jsonl", incidents=False)
    regroup(store)
    return store.path


@pytest.fixture
def open_app(monkeypatch, tmp_path) -> Callable[..., AppTest]:
    """Run the dashboard in AppTest on a database: `open_app(db, page=..., params=...)`."""
    monkeypatch.setenv("PANNES_CONFIG", str(tmp_path / "no-config.toml"))
    (tmp_path / "no-config.toml").write_text("", encoding="utf-8")

    def _open(db_path: Path, *, page: str | None = None,
              params: dict[str, str | list[str]] | None = None) -> AppTest:
        monkeypatch.setenv("PANNES_DB", str(db_path))
        at = AppTest.from_file(str(APP), default_timeout=60)
        for key, value in (params or {}).items():
            at.query_params[key] = value
        at.run()
        if page is not None:
            at.switch_page(PAGES[page])
            for key, value in (params or {}).items():
                at.query_params[key] = value
            at.run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    return _open
