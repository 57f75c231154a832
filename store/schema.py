"""The SQLite schema as a list of forward migrations; `PRAGMA user_version` is the version.

A migration is only ever appended, never edited once released: an existing database moves
forward by running the migrations it has not seen, all in one transaction that holds the
write lock (BEGIN IMMEDIATE) and reads the version under it, so two processes opening an old
database at once migrate it once. Migrations that change how text is normalised do not
re-index under that lock: they leave a mark (`SEARCH_REBUILD_KEY`) and the full-text tables
are rebuilt afterwards in short batches (store.sqlite_search.rebuild_fts).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable

from pannes.errors import StoreError

log = logging.getLogger(__name__)

Migration = str | Callable[[sqlite3.Connection], None]

_V1 = """
CREATE TABLE raw_pages (
    id          INTEGER PRIMARY KEY,
    url         TEXT NOT NULL,
    status      INTEGER NOT NULL,
    headers     TEXT NOT NULL DEFAULT '{}',
    body        BLOB NOT NULL,              -- zlib-compressed bytes as fetched
    body_size   INTEGER NOT NULL,           -- uncompressed size
    fetched_at  TEXT NOT NULL
);

-- One row per canonical URL; the text lives in article_versions.
CREATE TABLE articles (
    id              INTEGER PRIMARY KEY,
    url             TEXT NOT NULL UNIQUE,
    source          TEXT NOT NULL,
    first_seen      TEXT NOT NULL,
    current_version INTEGER NOT NULL,
    -- copy of the current version's fields used for listing, filters and dedup
    title           TEXT NOT NULL,
    published       TEXT,
    language        TEXT,
    content_hash    TEXT NOT NULL,          -- title + text: a change makes a new version
    text_hash       TEXT                    -- text only: spots syndicated copies
);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_source ON articles(source, published);
CREATE INDEX articles_text_hash ON articles(text_hash);

CREATE TABLE article_versions (
    article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    title        TEXT NOT NULL,
    text         TEXT NOT NULL,
    author       TEXT,
    published    TEXT,
    language     TEXT,
    content_hash TEXT NOT NULL,
    fetched_at   TEXT NOT NULL,
    fetched_url  TEXT,
    raw_page_id  INTEGER REFERENCES raw_pages(id),
    PRIMARY KEY (article_id, version)
);

-- Other URLs of one article: tracking variants, syndicated copies on other sites.
CREATE TABLE article_aliases (
    url        TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    reason     TEXT NOT NULL,               -- 'fetched-url' | 'syndicated-copy'
    source     TEXT,
    first_seen TEXT NOT NULL
);
CREATE INDEX article_aliases_article ON article_aliases(article_id);

-- Machine tags of the current version, with the pipeline version that produced them.
CREATE TABLE tags (
    article_id       INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    version          INTEGER NOT NULL,
    pipeline_version TEXT NOT NULL,
    is_outage        INTEGER NOT NULL,
    outage_score     REAL NOT NULL,
    cause            TEXT,
    start            TEXT,
    "end"            TEXT,
    hours_min        REAL,
    hours_max        REAL,
    data             TEXT NOT NULL,         -- the whole Tags record as JSON
    tagged_at        TEXT NOT NULL
);
CREATE INDEX tags_outage ON tags(is_outage, start);

-- Multi-valued tag fields, one row per value, for filters and facets.
CREATE TABLE tag_labels (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    field      TEXT NOT NULL,               -- 'vendor' | 'affected' | 'impact' | 'region' | 'cause'
    value      TEXT NOT NULL,
    PRIMARY KEY (article_id, field, value)
);
CREATE INDEX tag_labels_value ON tag_labels(field, value);

CREATE TABLE incidents (
    id                  TEXT PRIMARY KEY,
    title               TEXT NOT NULL,
    start               TEXT,
    "end"               TEXT,
    hours_min           REAL,
    hours_max           REAL,
    cause               TEXT,
    known_from_mentions INTEGER NOT NULL DEFAULT 0,
    data                TEXT NOT NULL,      -- the whole Incident record as JSON
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX incidents_start ON incidents(start);

CREATE TABLE incident_articles (
    incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (incident_id, article_id)
);
CREATE INDEX incident_articles_article ON incident_articles(article_id);

CREATE TABLE incident_labels (
    incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    field       TEXT NOT NULL,              -- 'vendor' | 'affected' | 'impact' | 'region' | 'cause'
    value       TEXT NOT NULL,
    PRIMARY KEY (incident_id, field, value)
);
CREATE INDEX incident_labels_value ON incident_labels(field, value);

-- Editors' corrections: kept apart from machine tags, they win over them; an audit trail.
CREATE TABLE corrections (
    id        INTEGER PRIMARY KEY,
    target    TEXT NOT NULL,                -- 'article' | 'incident'
    target_id TEXT NOT NULL,
    field     TEXT NOT NULL,
    value     TEXT,                         -- JSON
    before    TEXT,                         -- JSON
    editor    TEXT NOT NULL,
    at        TEXT NOT NULL,
    note      TEXT
);
CREATE INDEX corrections_target ON corrections(target, target_id);

CREATE TABLE crawl_runs (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL,              -- 'running' | 'finished' | 'interrupted' | 'failed'
    stats       TEXT NOT NULL DEFAULT '{}'  -- JSON
);

-- What the crawler knows of a URL for incremental fetching.
CREATE TABLE fetch_state (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    lastmod       TEXT,                     -- date announced by a feed or sitemap
    status        INTEGER,
    fetched_at    TEXT NOT NULL
);

-- Full-text index over the normalised (stemmed, accent-folded) title and text of the
-- current version of each article; rowid = articles.id. Kept in sync by the store.
CREATE VIRTUAL TABLE article_fts USING fts5(
    title, body, tokenize = 'unicode61 remove_diacritics 2'
);
"""

_V2 = """
-- Full-text index over incidents: title, vendors and the titles of their articles
-- (normalised like article_fts); rowid = incident_fts_map.rowid.
CREATE TABLE incident_fts_map (
    rowid       INTEGER PRIMARY KEY,
    incident_id TEXT NOT NULL UNIQUE REFERENCES incidents(id) ON DELETE CASCADE
);
CREATE VIRTUAL TABLE incident_fts USING fts5(
    title, body, tokenize = 'unicode61 remove_diacritics 2'
);
"""


def _v3_search(conn: sqlite3.Connection) -> None:
    """Search: indexes for label and duration filters; full-text tables re-normalised with
    accents folded before stemming ("securite" and "sécurité" now share one stem)."""
    for statement in (
        "CREATE INDEX tag_labels_lookup ON tag_labels(field, value, article_id)",
        "DROP INDEX IF EXISTS tag_labels_value",
        "CREATE INDEX incident_labels_lookup ON incident_labels(field, value, incident_id)",
        "DROP INDEX IF EXISTS incident_labels_value",
        "CREATE INDEX tags_hours_high ON tags(COALESCE(hours_max, hours_min))",
        "CREATE INDEX tags_hours_low ON tags(COALESCE(hours_min, hours_max))",
    ):
        conn.execute(statement)


def _v4_paragraphs(conn: sqlite3.Connection) -> None:
    """Syndicated copies: paragraph fingerprints, so a copy with an extra standfirst or credit
    line is still recognised; filled for the articles already stored."""
    conn.execute(
        "CREATE TABLE article_paragraphs ("
        " hash TEXT NOT NULL,"
        " article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
        " PRIMARY KEY (hash, article_id)) WITHOUT ROWID"
    )
    conn.execute("CREATE INDEX article_paragraphs_article ON article_paragraphs(article_id)")
    from pannes.store.sqlite_articles import paragraph_hashes

    rows = conn.execute(
        "SELECT a.id, v.text FROM articles a JOIN article_versions v "
        "ON v.article_id = a.id AND v.version = a.current_version"
    ).fetchall()
    for article_id, text in rows:
        conn.executemany(
            "INSERT OR IGNORE INTO article_paragraphs (hash, article_id) VALUES (?, ?)",
            [(h, article_id) for h in paragraph_hashes(text)],
        )


_V5_SEARCH_FACTS = """
-- One narrow row per article with what search filters, sorts and counts on, kept in sync with
-- articles and tags by triggers: filters and facets read 40 bytes a row, not the tags JSON.
CREATE TABLE search_facts (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    published  TEXT,
    month      TEXT,                       -- 'YYYY-MM' of published, for the month facet
    source     TEXT NOT NULL,
    is_outage  INTEGER NOT NULL DEFAULT 0, -- untagged articles count as not outages
    hours_low  REAL,                       -- duration bounds, one known bound used for both
    hours_high REAL
);
INSERT INTO search_facts (article_id, published, month, source, is_outage, hours_low, hours_high)
    SELECT a.id, a.published, substr(a.published, 1, 7), a.source, COALESCE(t.is_outage, 0),
           COALESCE(t.hours_min, t.hours_max), COALESCE(t.hours_max, t.hours_min)
    FROM articles a LEFT JOIN tags t ON t.article_id = a.id;
CREATE INDEX search_facts_published ON search_facts(published);
CREATE INDEX search_facts_source ON search_facts(source, published);
CREATE INDEX search_facts_month ON search_facts(month);
-- Covering: outage-filtered matches (the dashboard's default) never read the table.
CREATE INDEX search_facts_outage ON search_facts(is_outage, published, source, month,
                                                 hours_low, hours_high);
CREATE TRIGGER search_facts_article_insert AFTER INSERT ON articles BEGIN
    INSERT OR REPLACE INTO search_facts (article_id, published, month, source)
    VALUES (new.id, new.published, substr(new.published, 1, 7), new.source);
END;
CREATE TRIGGER search_facts_article_update AFTER UPDATE OF published, source ON articles BEGIN
    UPDATE search_facts SET published = new.published, month = substr(new.published, 1, 7),
        source = new.source WHERE article_id = new.id;
END;
CREATE TRIGGER search_facts_tags_insert AFTER INSERT ON tags BEGIN
    UPDATE search_facts SET is_outage = new.is_outage,
        hours_low = COALESCE(new.hours_min, new.hours_max),
        hours_high = COALESCE(new.hours_max, new.hours_min) WHERE article_id = new.article_id;
END;
CREATE TRIGGER search_facts_tags_update AFTER UPDATE ON tags BEGIN
    UPDATE search_facts SET is_outage = new.is_outage,
        hours_low = COALESCE(new.hours_min, new.hours_max),
        hours_high = COALESCE(new.hours_max, new.hours_min) WHERE article_id = new.article_id;
END;
CREATE TRIGGER search_facts_tags_delete AFTER DELETE ON tags BEGIN
    UPDATE search_facts SET is_outage = 0, hours_low = NULL, hours_high = NULL
    WHERE article_id = old.article_id;
END;
"""

_V6_SEARCH_FACTS_CAUSE = """
-- The cause (one per article) joins search_facts, and the date and source indexes cover every
-- filter column: date-range and per-source searches count and facet without reading the table.
ALTER TABLE search_facts ADD COLUMN cause TEXT;
UPDATE search_facts SET cause = (SELECT t.cause FROM tags t
                                 WHERE t.article_id = search_facts.article_id);
DROP TRIGGER search_facts_tags_insert;
DROP TRIGGER search_facts_tags_update;
DROP TRIGGER search_facts_tags_delete;
CREATE TRIGGER search_facts_tags_insert AFTER INSERT ON tags BEGIN
    UPDATE search_facts SET is_outage = new.is_outage, cause = new.cause,
        hours_low = COALESCE(new.hours_min, new.hours_max),
        hours_high = COALESCE(new.hours_max, new.hours_min) WHERE article_id = new.article_id;
END;
CREATE TRIGGER search_facts_tags_update AFTER UPDATE ON tags BEGIN
    UPDATE search_facts SET is_outage = new.is_outage, cause = new.cause,
        hours_low = COALESCE(new.hours_min, new.hours_max),
        hours_high = COALESCE(new.hours_max, new.hours_min) WHERE article_id = new.article_id;
END;
CREATE TRIGGER search_facts_tags_delete AFTER DELETE ON tags BEGIN
    UPDATE search_facts SET is_outage = 0, cause = NULL, hours_low = NULL, hours_high = NULL
    WHERE article_id = old.article_id;
END;
DROP INDEX search_facts_published;
DROP INDEX search_facts_source;
DROP INDEX search_facts_outage;
-- (…, published, article_id) first, so "newest first" pages read them in order.
CREATE INDEX search_facts_published ON search_facts(published, article_id, source, month,
                                                    is_outage, hours_low, hours_high, cause);
CREATE INDEX search_facts_source ON search_facts(source, published, article_id, month,
                                                 is_outage, hours_low, hours_high, cause);
CREATE INDEX search_facts_outage ON search_facts(is_outage, published, article_id, source,
                                                 month, hours_low, hours_high, cause);
"""

_V7_META = """
-- Small facts about the store itself, by key (e.g. when an external search index was last
-- brought up to date).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

def _v8_compounds(conn: sqlite3.Connection) -> None:
    """Search: hyphenated compounds also indexed joined ("cyber-attaque" found by
    "cyberattaque"); both full-text tables re-normalised (see RENORMALISING)."""


_V9_FEED_SUMMARY = """
-- A version whose text is a feed item's summary, not the page's full text (sources marked
-- `articles = "feed"`, whose sites refuse crawlers on article pages).
ALTER TABLE article_versions ADD COLUMN is_summary INTEGER NOT NULL DEFAULT 0;
"""


MIGRATIONS: list[Migration] = [_V1, _V2, _v3_search, _v4_paragraphs, _V5_SEARCH_FACTS,
                            _V6_SEARCH_FACTS_CAUSE, _V7_META, _v8_compounds, _V9_FEED_SUMMARY]

LATEST_VERSION = len(MIGRATIONS)

# Migrations after which the full-text tables must be re-normalised (accents folded before
# stemming in 3, joined compounds in 8): done after the migration, in batches.
RENORMALISING = {3, 8}
# The meta key marking a full-text rebuild as due (set by a migration or a started rebuild).
SEARCH_REBUILD_KEY = "search_index_rebuild_due"


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, *, target: int = LATEST_VERSION) -> int:
    """Bring the database forward to `target`; returns the number of migrations applied.

    `conn` is in autocommit mode (isolation_level=None). The version is read again once the
    write lock is held: a process that waited for another one's migration applies nothing.
    """
    if _checked_version(conn) >= target:
        return 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = _checked_version(conn)
        for number in range(current + 1, target + 1):
            migration = MIGRATIONS[number - 1]
            log.info("Applying schema migration %d", number)
            if callable(migration):
                migration(conn)
            else:
                for statement in _statements(migration):
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
        applied = max(0, target - current)
        if current and RENORMALISING & set(range(current + 1, target + 1)) and target >= 7:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                         (SEARCH_REBUILD_KEY, f"schema {target}"))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return applied


def _checked_version(conn: sqlite3.Connection) -> int:
    current = schema_version(conn)
    if current > LATEST_VERSION:
        raise StoreError(
            f"This database has schema version {current}, newer than this pannes "
            f"(which knows up to {LATEST_VERSION}). Upgrade pannes to open it."
        )
    return current


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (executescript would commit on its own)."""
    statements: list[str] = []
    buffer = ""
    for piece in script.split(";"):
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            statement = "\n".join(
                line for line in buffer.splitlines() if not line.strip().startswith("--")
            ).strip()
            if statement != ";":
                statements.append(statement)
            buffer = ""
    return statements
