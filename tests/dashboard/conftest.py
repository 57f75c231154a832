"""Stores for the dashboard tests: the demo corpus with its incidents, plus our own articles
(evidence sentences, a `<script>` title, a non-http link) from tests/fixtures/dashboard."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from pannes.records import Article, Duration, Incident, Tags
from store import SQLiteStore

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


def fill_fixture_articles(store: SQLiteStore) -> dict[str, int]:
    """Our hand-written articles and incidents; returns fixture key -> article id."""
    ids: dict[str, int] = {}
    with (FIXTURES / "articles.jsonl").open(encoding="utf-8") as fh:
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
    for spec in json.loads((FIXTURES / "incidents.json").read_text(encoding="utf-8")):
        data = dict(spec)
        data["article_ids"] = [ids[k] for k in data.pop("articles")]
        data["provenance"] = {f: [ids[k] for k in keys]
                              for f, keys in (spec.get("provenance") or {}).items()}
        store.save_incident(Incident.from_dict(data))
    return ids


def demo_incidents(rows: list[dict[str, Any]], ids: dict[str, int]) -> list[Incident]:
    """Incidents of the demo corpus from its gold `incident_id` (a simple merge for tests)."""
    members: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["gold"].get("incident_id") and row["gold"].get("is_outage"):
            members[row["gold"]["incident_id"]].append(row)
    incidents = []
    for incident_id, group in sorted(members.items()):
        golds = [r["gold"] for r in group]
        starts = [g["start"] for g in golds if g.get("start")]
        ends = [g["end"] for g in golds if g.get("end")]
        hours = [g["duration"] for g in golds if (g.get("duration") or {}).get("hours_max")]
        incidents.append(Incident(
            id=incident_id,
            title=group[0]["title"],
            vendors=sorted({v for g in golds for v in g.get("vendors") or []}),
            affected=sorted({v for g in golds for v in g.get("affected") or []}),
            impact=list(dict.fromkeys(i for g in golds for i in g.get("impact") or [])),
            cause=next((g["cause"] for g in golds if g.get("cause")), None),
            duration=Duration.from_dict(hours[-1]) if hours else Duration(),
            start=date.fromisoformat(min(starts)) if starts else None,
            end=date.fromisoformat(max(ends)) if ends else None,
            article_ids=sorted({ids[r["id"]] for r in group}),
        ))
    return incidents


@pytest.fixture
def dashboard_db(make_store, demo_corpus) -> Path:
    """A database with the demo corpus (gold tags, incidents) and our fixture articles."""
    from tests.conftest import fill_store

    store = make_store("dashboard.db")
    ids = fill_store(store, demo_corpus)
    store.save_incidents(demo_incidents(demo_corpus, ids))
    fill_fixture_articles(store)
    return store.path


@pytest.fixture
def fixture_db(make_store) -> Path:
    """A small database with only our fixture articles and incidents."""
    store = make_store("fixture.db")
    fill_fixture_articles(store)
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
