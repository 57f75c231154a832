"""Articles, their versions, raw pages and machine tags in the SQLite store.

Upsert by canonical URL is idempotent: the same content again changes nothing, a changed
content becomes a new version (the old one is kept), and the same text under another URL is
recorded as an alias of the first article (a syndicated copy), not as a second article.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from datetime import datetime

from pannes.store.connection import Database, iso, utc_now
from pannes.store.corrected import corrected, field_corrections
from pannes.store.fts_index import write_article_entry

from pannes.records import (
    Article,
    RawPage,
    TaggedArticle,
    Tags,
    UpsertResult,
    content_hash,
    normalize_for_hash,
)

# Texts shorter than this are not used to spot syndicated copies (too many false matches).
MIN_TEXT_FOR_DEDUP = 200
# Paragraph fingerprints: paragraphs shorter than this are ignored (datelines, credits);
# a new text is a copy of a stored one when most of the shorter one's paragraphs are in the
# longer one (a copy may add a standfirst or a credit line) and at least half of the longer's.
MIN_PARAGRAPH = 60
COPY_SHARE = 0.8
COPY_SHARE_OF_LONGER = 0.5

TAG_LABEL_FIELDS = {"vendor": "vendors", "affected": "affected", "impact": "impact", "region": "region"}


def text_hash(text: str) -> str | None:
    """Hash of an article's text alone, used to recognise a copy published elsewhere."""
    normalized = normalize_for_hash(text)
    if len(normalized) < MIN_TEXT_FOR_DEDUP:
        return None
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


def paragraph_hashes(text: str) -> set[str]:
    """Fingerprints of a text's substantial paragraphs (normalised as for the content hash)."""
    hashes = set()
    for paragraph in text.split("\n"):
        normalized = normalize_for_hash(paragraph)
        if len(normalized) >= MIN_PARAGRAPH:
            hashes.add(hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:32])
    return hashes


class Articles:
    """The store's part for articles, versions, raw pages, tags and the article full-text
    index."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # ------------------------------------------------------------------ writing

    def upsert_article(self, article: Article, raw: RawPage | None = None) -> UpsertResult:
        """Keep an extracted article; say whether it was new, updated, unchanged or a copy."""
        chash = content_hash(article.title, article.text)
        thash = text_hash(article.text)
        fetched_at = iso(article.fetched_at) or utc_now()
        with self.db.transaction() as conn:
            row = self._find_row(conn, article.url, article.fetched_url)
            if row is not None:
                article_id, current = row["id"], row["current_version"]
                self._add_alias(conn, article.fetched_url, article_id, "fetched-url", article.source)
                if row["content_hash"] == chash:
                    return UpsertResult("unchanged", article_id, current)
                version = current + 1
                self._insert_version(conn, article_id, version, article, chash, fetched_at, raw)
                conn.execute(
                    "UPDATE articles SET current_version = ?, title = ?, published = ?, "
                    "language = ?, content_hash = ?, text_hash = ? WHERE id = ?",
                    (version, article.title, iso(article.published), article.language, chash,
                     thash, article_id),
                )
                write_article_entry(conn, article_id, article.title, article.text)
                self._set_paragraphs(conn, article_id, paragraph_hashes(article.text))
                return UpsertResult("updated", article_id, version)

            paragraphs = paragraph_hashes(article.text)
            if thash is not None:
                copy = self._find_copy(conn, thash, paragraphs)
                if copy is not None:
                    self._add_alias(conn, article.url, copy["id"], "syndicated-copy", article.source)
                    self._add_alias(conn, article.fetched_url, copy["id"], "syndicated-copy",
                                    article.source)
                    return UpsertResult("duplicate", copy["id"], copy["current_version"])

            cursor = conn.execute(
                "INSERT INTO articles (url, source, first_seen, current_version, title, published,"
                " language, content_hash, text_hash) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)",
                (article.url, article.source, fetched_at, article.title, iso(article.published),
                 article.language, chash, thash),
            )
            article_id = int(cursor.lastrowid or 0)
            self._insert_version(conn, article_id, 1, article, chash, fetched_at, raw)
            self._set_paragraphs(conn, article_id, paragraphs)
            self._add_alias(conn, article.fetched_url, article_id, "fetched-url", article.source)
            write_article_entry(conn, article_id, article.title, article.text)
            return UpsertResult("new", article_id, 1)

    @staticmethod
    def _find_row(conn: sqlite3.Connection, url: str, fetched_url: str | None) -> sqlite3.Row | None:
        row = conn.execute(
            "SELECT id, current_version, content_hash FROM articles WHERE url = ?", (url,)
        ).fetchone()
        if row is not None:
            return row
        for candidate in (url, fetched_url):
            if not candidate:
                continue
            row = conn.execute(
                "SELECT a.id, a.current_version, a.content_hash FROM article_aliases al "
                "JOIN articles a ON a.id = al.article_id "
                "WHERE al.url = ? AND al.reason = 'fetched-url'",
                (candidate,),
            ).fetchone()
            if row is not None:
                return row
        return None

    @staticmethod
    def _find_copy(conn: sqlite3.Connection, thash: str, paragraphs: set[str]) -> sqlite3.Row | None:
        """A stored article with the same text, or sharing most paragraphs both ways."""
        row = conn.execute(
            "SELECT id, current_version FROM articles WHERE text_hash = ? LIMIT 1", (thash,)
        ).fetchone()
        if row is not None or len(paragraphs) < 2:
            return row
        best = conn.execute(
            "SELECT p.article_id, COUNT(*) AS shared, "
            "(SELECT COUNT(*) FROM article_paragraphs q WHERE q.article_id = p.article_id) AS own "
            "FROM article_paragraphs p WHERE p.hash IN (SELECT value FROM json_each(?)) "
            "GROUP BY p.article_id ORDER BY shared DESC LIMIT 1",
            (json.dumps(sorted(paragraphs)),),  # one value, however many paragraphs
        ).fetchone()
        if best is None:
            return None
        shared, sizes = best["shared"], (len(paragraphs), best["own"])
        if shared >= COPY_SHARE * min(sizes) and shared >= COPY_SHARE_OF_LONGER * max(sizes):
            return conn.execute("SELECT id, current_version FROM articles WHERE id = ?",
                                (best["article_id"],)).fetchone()
        return None

    @staticmethod
    def _set_paragraphs(conn: sqlite3.Connection, article_id: int, paragraphs: set[str]) -> None:
        conn.execute("DELETE FROM article_paragraphs WHERE article_id = ?", (article_id,))
        conn.executemany("INSERT OR IGNORE INTO article_paragraphs (hash, article_id) VALUES (?, ?)",
                         [(h, article_id) for h in paragraphs])

    @staticmethod
    def _add_alias(conn: sqlite3.Connection, url: str | None, article_id: int, reason: str,
                   source: str | None) -> None:
        if not url:
            return
        exists = conn.execute("SELECT 1 FROM articles WHERE url = ?", (url,)).fetchone()
        if exists:
            return
        conn.execute(
            "INSERT OR IGNORE INTO article_aliases (url, article_id, reason, source, first_seen) "
            "VALUES (?, ?, ?, ?, ?)",
            (url, article_id, reason, source, utc_now()),
        )

    @staticmethod
    def _insert_version(conn: sqlite3.Connection, article_id: int, version: int, article: Article,
                        chash: str, fetched_at: str, raw: RawPage | None) -> None:
        raw_id = None
        if raw is not None:
            cursor = conn.execute(
                "INSERT INTO raw_pages (url, status, headers, body, body_size, fetched_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (raw.url, raw.status, json.dumps(raw.headers, ensure_ascii=False),
                 zlib.compress(raw.body, 6), len(raw.body), iso(raw.fetched_at) or fetched_at),
            )
            raw_id = cursor.lastrowid
        conn.execute(
            "INSERT INTO article_versions (article_id, version, title, text, author, published, "
            "language, content_hash, fetched_at, fetched_url, raw_page_id, is_summary) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article_id, version, article.title, article.text, article.author,
             iso(article.published), article.language, chash, fetched_at, article.fetched_url,
             raw_id, int(article.is_summary)),
        )

    # ------------------------------------------------------------------ reading

    def get_article(self, article_id: int, version: int | None = None) -> Article | None:
        """An article at its current version (or the version asked for)."""
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT a.id, a.url, a.source, v.* FROM articles a "
                "JOIN article_versions v ON v.article_id = a.id "
                "AND v.version = COALESCE(?, a.current_version) WHERE a.id = ?",
                (version, article_id),
            ).fetchone()
        return _article_from_row(row) if row is not None else None

    def find_article(self, url: str) -> Article | None:
        """The article at a canonical URL or at one of its aliases."""
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT id FROM articles WHERE url = ? UNION ALL "
                "SELECT article_id FROM article_aliases WHERE url = ? LIMIT 1",
                (url, url),
            ).fetchone()
        return self.get_article(row[0]) if row is not None else None

    def article_versions(self, article_id: int) -> list[Article]:
        """Every kept version of an article, oldest first."""
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT a.id, a.url, a.source, v.* FROM articles a "
                "JOIN article_versions v ON v.article_id = a.id WHERE a.id = ? ORDER BY v.version",
                (article_id,),
            ).fetchall()
        return [_article_from_row(r) for r in rows]

    def article_aliases(self, article_id: int) -> list[dict[str, str]]:
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT url, reason, source, first_seen FROM article_aliases WHERE article_id = ? "
                "ORDER BY first_seen, url",
                (article_id,),
            ).fetchall()
        return [dict(r) for r in rows]

    def raw_page(self, article_id: int, version: int | None = None) -> RawPage | None:
        """The page as fetched for a version of an article (decompressed)."""
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT r.* FROM articles a JOIN article_versions v ON v.article_id = a.id "
                "AND v.version = COALESCE(?, a.current_version) "
                "JOIN raw_pages r ON r.id = v.raw_page_id WHERE a.id = ?",
                (version, article_id),
            ).fetchone()
        if row is None:
            return None
        return RawPage(
            url=row["url"],
            body=zlib.decompress(row["body"]),
            status=row["status"],
            headers=json.loads(row["headers"]),
            fetched_at=datetime.fromisoformat(row["fetched_at"]),
        )

    def count_articles(self) -> int:
        with self.db.read() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def _current_versions(self, *, joins: str = "", where: str = "1", params: tuple = (),
                          extra: str = "", batch_size: int = 500,
                          columns: str = "v.*") -> Iterator[sqlite3.Row]:
        """Rows of articles at their current version, in id order, read in batches (keyset
        pagination, so writes between batches are safe)."""
        last = 0
        sql = (f"SELECT a.id, a.url, a.source, {columns}{extra} FROM articles a "
               f"JOIN article_versions v ON v.article_id = a.id AND v.version = a.current_version "
               f"{joins} WHERE a.id > ? AND ({where}) ORDER BY a.id LIMIT ?")
        while True:
            with self.db.read() as conn:
                rows = conn.execute(sql, (last, *params, batch_size)).fetchall()
            if not rows:
                return
            yield from rows
            last = rows[-1]["id"]

    def iter_articles(self, *, batch_size: int = 500) -> Iterator[Article]:
        """Every article at its current version, in id order, read in batches."""
        for row in self._current_versions(batch_size=batch_size):
            yield _article_from_row(row)

    # ------------------------------------------------------------------ tags

    def articles_to_tag(self, pipeline_version: str, *, retag: bool = False,
                        batch_size: int = 200) -> Iterator[Article]:
        """Articles whose current version has no tags from this pipeline version (all if retag).

        Pages detected as not French are kept out of tagging.
        """
        rows = self._current_versions(
            joins="LEFT JOIN tags t ON t.article_id = a.id",
            where="(a.language IS NULL OR a.language = '' OR a.language LIKE 'fr%') AND "
                  "(? OR t.article_id IS NULL OR t.version < a.current_version "
                  "OR t.pipeline_version <> ?)",
            params=(1 if retag else 0, pipeline_version), batch_size=batch_size)
        for row in rows:
            yield _article_from_row(row)

    def save_tags(self, article_id: int, version: int, tags: Tags) -> None:
        """Keep the machine tags of one version of an article, replacing earlier ones.

        The tags are kept as they came; filters, facets and counts read them with the
        editors' corrections of the article applied, read in the same transaction, so a
        tagging run never indexes machine tags over a correction made while it ran.
        """
        data = tags.to_dict()
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO tags (article_id, version, pipeline_version, is_outage, outage_score, "
                "data, tagged_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(article_id) DO UPDATE SET version = excluded.version, "
                "pipeline_version = excluded.pipeline_version, outage_score = excluded.outage_score, "
                "data = excluded.data, tagged_at = excluded.tagged_at",
                (article_id, version, tags.pipeline_version, int(tags.is_outage),
                 float(tags.outage_score), json.dumps(data, ensure_ascii=False), utc_now()),
            )
            reindex_corrected_tags(conn, article_id, tags)

    def corrected_tags(self, article_id: int) -> Tags | None:
        """An article's machine tags with its editors' corrections applied (None: untagged)."""
        with self.db.read() as conn:
            row = conn.execute("SELECT data FROM tags WHERE article_id = ?",
                               (article_id,)).fetchone()
            if row is None:
                return None
            fixes = field_corrections(conn, "article", article_id)
        return corrected(Tags.from_dict(json.loads(row["data"])), fixes)

    def get_tags(self, article_id: int) -> Tags | None:
        """The machine tags of an article (editors' corrections are not applied here)."""
        with self.db.read() as conn:
            row = conn.execute("SELECT data FROM tags WHERE article_id = ?", (article_id,)).fetchone()
        return Tags.from_dict(json.loads(row["data"])) if row is not None else None

    def iter_tagged(self, *, outage_only: bool = True, batch_size: int = 500,
                    with_text: bool = True, mentioning: bool = False) -> Iterator[TaggedArticle]:
        """Tagged articles (current versions) with their machine tags, in id order: outages
        (with corrections applied) only, if `outage_only`, and then with `mentioning` also
        the articles mentioning past incidents. Texts are left empty (and not read) unless
        `with_text`."""
        where = "NOT ? OR t.is_outage = 1"
        if mentioning:
            where += " OR json_array_length(t.data, '$.mentions') > 0"
        rows = self._current_versions(
            joins="JOIN tags t ON t.article_id = a.id", where=where,
            params=(1 if outage_only else 0,), extra=", t.data AS tags_data",
            batch_size=batch_size, columns="v.*" if with_text else _NO_TEXT)
        for row in rows:
            yield TaggedArticle(_article_from_row(row), Tags.from_dict(json.loads(row["tags_data"])))

    def tagged_articles(self, article_ids: Iterable[int], *,
                        with_text: bool = True) -> list[TaggedArticle]:
        """The given articles (current versions) with their machine tags, in id order;
        untagged or missing ids are left out."""
        rows = self._current_versions(
            joins="JOIN tags t ON t.article_id = a.id",
            where="a.id IN (SELECT value FROM json_each(?))", params=(_id_list(article_ids),),
            extra=", t.data AS tags_data", columns="v.*" if with_text else _NO_TEXT)
        return [TaggedArticle(_article_from_row(r), Tags.from_dict(json.loads(r["tags_data"])))
                for r in rows]

    def article_texts(self, article_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
        """Title and text of the current version of each article (missing ids left out)."""
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT a.id, v.title, v.text FROM articles a JOIN article_versions v "
                "ON v.article_id = a.id AND v.version = a.current_version "
                "WHERE a.id IN (SELECT value FROM json_each(?))",
                (_id_list(article_ids),)).fetchall()
        return {row[0]: (row[1], row[2]) for row in rows}

    def grouping_states(self, article_ids: Iterable[int] | None = None,
                        ) -> dict[int, tuple[int, str, int, int]]:
        """What grouping must notice changing, per tagged article (all, or those given):
        (current version, when tagged, outage with corrections applied, id of its last
        correction or 0)."""
        sql = ("SELECT a.id, a.current_version, t.tagged_at, t.is_outage, "
               "(SELECT COALESCE(MAX(c.id), 0) FROM corrections c WHERE c.target = 'article' "
               "AND c.target_id = CAST(a.id AS TEXT)) FROM articles a "
               "JOIN tags t ON t.article_id = a.id")
        with self.db.read() as conn:
            if article_ids is None:
                rows = conn.execute(sql).fetchall()
            else:
                rows = conn.execute(f"{sql} WHERE a.id IN (SELECT value FROM json_each(?))",
                                    (_id_list(article_ids),)).fetchall()
        return {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}

    def tag_counts(self) -> dict[str, int]:
        """How many articles are tagged, outages, and waiting for tags."""
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT COUNT(*) AS articles, COUNT(t.article_id) AS tagged, "
                "COALESCE(SUM(t.is_outage), 0) AS outages FROM articles a "
                "LEFT JOIN tags t ON t.article_id = a.id"
            ).fetchone()
        return {"articles": row["articles"], "tagged": row["tagged"], "outages": row["outages"]}


def reindex_corrected_tags(conn: sqlite3.Connection, article_id: int,
                           tags: Tags | None = None) -> None:
    """Index an article's tags (`tags`, else its stored machine tags) with its editors'
    corrections applied; nothing for an untagged article."""
    if tags is None:
        row = conn.execute("SELECT data FROM tags WHERE article_id = ?", (article_id,)).fetchone()
        if row is None:
            return
        tags = Tags.from_dict(json.loads(row["data"]))
    index_tags(conn, article_id, corrected(tags, field_corrections(conn, "article", article_id)))


def index_tags(conn: sqlite3.Connection, article_id: int, tags: Tags) -> None:
    """The searchable copy of an article's tags: columns of `tags` and `tag_labels` rows."""
    conn.execute(
        "UPDATE tags SET is_outage = ?, cause = ?, start = ?, \"end\" = ?, hours_min = ?, "
        "hours_max = ? WHERE article_id = ?",
        (int(tags.is_outage), tags.cause, iso(tags.start), iso(tags.end),
         tags.duration.hours_min, tags.duration.hours_max, article_id),
    )
    conn.execute("DELETE FROM tag_labels WHERE article_id = ?", (article_id,))
    labels = [(article_id, fld, v) for fld, attr in TAG_LABEL_FIELDS.items()
              for v in getattr(tags, attr)]
    if tags.cause:
        labels.append((article_id, "cause", tags.cause))
    conn.executemany(
        "INSERT OR IGNORE INTO tag_labels (article_id, field, value) VALUES (?, ?, ?)",
        labels,
    )


def _id_list(article_ids: Iterable[int]) -> str:
    """Article ids as one JSON value, for `IN (SELECT value FROM json_each(?))` (one bound
    variable however many ids)."""
    return json.dumps(sorted({int(a) for a in article_ids}))


# The columns of article_versions but the text (grouping reads texts only where it compares).
_NO_TEXT = ("v.article_id, v.version, v.title, '' AS text, v.author, v.published, v.language, "
            "v.content_hash, v.fetched_at, v.fetched_url, v.raw_page_id, v.is_summary")


def _article_from_row(row: sqlite3.Row) -> Article:
    published = row["published"]
    fetched = row["fetched_at"]
    return Article(
        id=row["id"],
        url=row["url"],
        source=row["source"],
        title=row["title"],
        text=row["text"],
        published=datetime.fromisoformat(published).date() if published else None,
        author=row["author"],
        language=row["language"],
        fetched_at=datetime.fromisoformat(fetched) if fetched else None,
        fetched_url=row["fetched_url"],
        is_summary=bool(row["is_summary"]),
        version=row["version"],
    )
