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

from pannes.editors import EditorsFile
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


EDITOR, PASSWORD = "Camille Martin", "une phrase de passe"


@pytest.fixture(autouse=True)
def fresh_sign_ins():
    """Each test starts with no sign-in and no failed attempt on record (the registries are
    process-wide, as on a server)."""
    from pannes.dashboard import auth

    auth.sign_ins.clear()
    auth.throttle.clear()
    yield


@pytest.fixture
def editors_path(tmp_path) -> Path:
    """Where the dashboard under test reads its local editors (empty at first)."""
    return tmp_path / "editors.txt"


@pytest.fixture
def editor(editors_path) -> tuple[str, str]:
    """A local editor, Camille Martin, in the dashboard's editors file: (name, password)."""
    EditorsFile(editors_path).add(EDITOR, PASSWORD)
    return EDITOR, PASSWORD


def sign_in(at: AppTest, name: str = EDITOR, password: str = PASSWORD) -> AppTest:
    """Fill in and send the sidebar's sign-in form."""
    at.sidebar.text_input(key="signin_nom").input(name)
    at.sidebar.text_input(key="signin_mdp").input(password)
    next(b for b in at.sidebar.button if b.label == "Se connecter").click().run()
    return at


@pytest.fixture
def open_app(monkeypatch, tmp_path, editors_path) -> Callable[..., AppTest]:
    """Run the dashboard in AppTest on a database: `open_app(db, page=..., params=...)`."""
    monkeypatch.setenv("PANNES_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("PANNES_EDITORS_FILE", str(editors_path))
    (tmp_path / "no-config.toml").write_text("", encoding="utf-8")

    def _open(db_path: Path, *, page: str | None = None,
              params: dict[str, str | list[str]] | None = None,
              secrets: dict[str, Any] | None = None, user: dict[str, Any] | None = None,
              config: str = "") -> AppTest:
        """`secrets` and `user` stand for .streamlit/secrets.toml and Streamlit's identity
        cookie (st.user); `config` is the pannes configuration file's text."""
        monkeypatch.setenv("PANNES_DB", str(db_path))
        (tmp_path / "no-config.toml").write_text(config, encoding="utf-8")
        at = AppTest.from_file(str(APP), default_timeout=60)
        for key, value in (secrets or {}).items():
            at.secrets[key] = value
        if user is not None:
            at.user = user
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


@pytest.fixture(scope="module")
def browser():
    """Debian's headless chromium, for the browser tests (tests/dashboard/browser.py)."""
    from tests.dashboard.browser import launch

    with launch() as chromium:
        yield chromium


@pytest.fixture
def page(browser):
    """A fresh browser tab in its own session."""
    from tests.dashboard.browser import new_tab

    context, tab = new_tab(browser)
    yield tab
    context.close()
