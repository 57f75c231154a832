"""Fixtures for the incidents tests: hand-written tagged articles, gold sets read at run time."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pannes.records import Article, Duration, Mention, TaggedArticle, Tags


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@pytest.fixture
def item() -> Callable[..., TaggedArticle]:
    """Build a tagged outage article: item(1, "Title", "text", published="2024-10-17", ...)."""

    def make(article_id: int, title: str = "", text: str = "", *, published: str | None = None,
             vendors: list[str] | None = None, start: str | None = None, end: str | None = None,
             hours: tuple[float | None, float | None] = (None, None), ongoing: bool | None = None,
             cause: str = "unknown", ruled_out: list[str] | None = None,
             impact: list[str] | None = None, affected: list[str] | None = None,
             mentions: list[Mention] | None = None, is_outage: bool = True,
             users: int | None = None, source: str = "test") -> TaggedArticle:
        article = Article(url=f"http://example.test/{article_id}", source=source, title=title,
                          text=text, published=_d(published), id=article_id)
        tags = Tags(is_outage=is_outage, outage_score=1.0 if is_outage else 0.0,
                    vendors=vendors or [], affected=affected or [], impact=impact or [],
                    cause=cause if is_outage else None, cause_ruled_out=ruled_out or [],
                    duration=Duration([], hours[0], hours[1], ongoing), start=_d(start),
                    end=_d(end), users_affected=users, mentions=mentions or [])
        return TaggedArticle(article, tags)

    return make


def _partial_date(value: str | None) -> date | None:
    """A gold publication date; month-only or missing dates are unknown."""
    if not value or len(value) != 10:
        return None
    return date.fromisoformat(value)


@pytest.fixture(scope="session")
def seed_items(shared_dir: Path) -> tuple[list[TaggedArticle], dict[int, list[int]]]:
    """The three seeds with gold tags (texts read from ../shared), and their same-incident links."""
    rows = [json.loads(line) for line in (shared_dir / "seeds" / "gold.jsonl").open(encoding="utf-8")]
    keys = {row["file"]: n for n, row in enumerate(rows, start=1)}
    items = []
    for n, row in enumerate(rows, start=1):
        text = (shared_dir / "seeds" / row["file"]).read_text(encoding="utf-8")
        article = Article(url=f"seed:{row['file']}", source=row["source"], title="", text=text,
                          published=_partial_date(row.get("published")), id=n)
        items.append(TaggedArticle(article, Tags.from_dict(row)))
    links = {keys[r["file"]]: [keys[x] for x in r.get("same_incident_as", [])] for r in rows}
    return items, links


@pytest.fixture(scope="session")
def dev_items(shared_dir: Path) -> tuple[list[TaggedArticle], dict[int, Any]]:
    """The dev set with gold tags (read from ../shared), and gold incident labels."""
    path = shared_dir / "eval" / "dev.jsonl"
    if not path.is_file():
        pytest.skip("no dev set")
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    items, labels = [], {}
    for n, row in enumerate(rows, start=1):
        tags = Tags.from_dict(row)
        article = Article(url=row.get("url") or row["id"], source=row.get("source") or "",
                          title=row.get("title") or "", text=row["text"],
                          published=_partial_date(row.get("published")), id=n)
        items.append(TaggedArticle(article, tags))
        labels[n] = row.get("incident_id") if tags.is_outage else None
    return items, labels


@pytest.fixture(scope="session")
def demo_items(demo_corpus: list[dict[str, Any]]) -> tuple[list[TaggedArticle], dict[int, Any]]:
    """The demo corpus with gold tags, and gold incident labels."""
    items, labels = [], {}
    for n, row in enumerate(demo_corpus, start=1):
        tags = Tags.from_dict(row["gold"])
        article = Article(url=row["id"], source=row["outlet"], title=row["title"],
                          text=row["text"], published=date.fromisoformat(row["published"][:10]),
                          id=n)
        items.append(TaggedArticle(article, tags))
        labels[n] = row["gold"].get("incident_id") if tags.is_outage else None
    return items, labels


@pytest.fixture
def grouped_store(gold_store):
    """The gold store with its incidents grouped."""
    from pannes.incidents.regroup import regroup

    regroup(gold_store)
    return gold_store


@pytest.fixture
def incident_at() -> Callable[..., Any]:
    """Find the one stored incident of a vendor starting on a day: incident_at(store, "X", "2024-10-17")."""

    def find(store: Any, vendor: str, start: str) -> Any:
        [incident] = [i for i in store.list_incidents(vendor=vendor)
                      if i.start and i.start.isoformat() == start]
        return incident

    return find


@pytest.fixture
def hexaline(grouped_store, incident_at):
    """The grouped store's Hexaline incident of 17 October 2024."""
    return incident_at(grouped_store, "Hexaline", "2024-10-17")
