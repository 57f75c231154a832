"""The schema moves forward: old databases are migrated in place, data kept."""

from __future__ import annotations

import sqlite3

import pytest
from pannes.store import open_store
from pannes.store.schema import LATEST_VERSION, migrate, schema_version

from pannes.errors import StoreError


def test_new_database_is_at_latest_version(make_store):
    assert make_store().schema_version == LATEST_VERSION


def test_version_1_database_is_migrated_with_its_data(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, target=1) == 1
    conn.execute(
        "INSERT INTO articles (url, source, first_seen, current_version, title, content_hash) "
        "VALUES ('https://a.example.fr/1', 'Octet Hebdo', '2026-01-01', 1, 'Panne', 'h')"
    )
    conn.execute(
        "INSERT INTO article_versions (article_id, version, title, text, content_hash, fetched_at)"
        " VALUES (1, 1, 'Panne', 'Une panne de courant.', 'h', '2026-01-01')"
    )
    conn.close()

    store = open_store(path)
    assert store.schema_version == LATEST_VERSION
    assert store.get_article(1).text == "Une panne de courant."
    store.close()
    # Opening again applies nothing.
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn) == 0
    assert schema_version(conn) == LATEST_VERSION
    conn.close()


def test_database_from_a_newer_pannes_is_refused(tmp_path):
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this pannes"):
        open_store(path)


def test_failed_migration_leaves_database_unchanged(tmp_path, monkeypatch):
    import pannes.store.schema as schema

    path = tmp_path / "half.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=1)
    broken = [*schema.MIGRATIONS, "CREATE TABLE fine (x); CREATE TABLE broken (;"]
    monkeypatch.setattr(schema, "MIGRATIONS", broken)
    monkeypatch.setattr(schema, "LATEST_VERSION", len(broken))
    with pytest.raises(sqlite3.OperationalError):
        schema.migrate(conn, target=len(broken))
    # One transaction for the whole upgrade: the database is as it was, still usable.
    assert schema_version(conn) == 1
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "fine" not in tables and "meta" not in tables and "articles" in tables
    conn.close()
