"""Read the demo corpus (outlets.json, articles.jsonl) into small records the site renders.

The corpus may be partial while it is being written: unreadable lines are logged and skipped,
never raised, so the site always starts on whatever is there.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

logger = logging.getLogger(__name__)

PARIS = ZoneInfo("Europe/Paris")
DEFAULT_CORPUS_DIR = Path(__file__).resolve().parent / "corpus"


@dataclass(frozen=True)
class Outlet:
    """A fictional news outlet: one web site of the demo."""

    key: str
    name: str
    kind: str
    template: str
    feed: str = "rss"
    tagline: str = ""
    language: str = "fr"


@dataclass(frozen=True)
class DemoArticle:
    """One article page of the demo corpus (the gold tags are not needed to render it)."""

    id: str
    outlet: str
    slug: str
    section: str
    title: str
    standfirst: str
    author: str | None
    published: datetime
    updated: datetime | None
    language: str
    text: str
    syndicated_from: str | None = None

    @property
    def paragraphs(self) -> list[str]:
        """Body paragraphs, in order (intertitles keep their leading "## ")."""
        return [p.strip() for p in re.split(r"\n\s*\n", self.text) if p.strip()]

    @property
    def last_change(self) -> datetime:
        """When the article last changed, as shown on the page."""
        return self.updated or self.published

    def with_changes(self, **changes: Any) -> DemoArticle:
        """A copy with some fields replaced (dates may be given as corpus strings)."""
        for name in ("published", "updated"):
            if name in changes and changes[name] is not None:
                changes[name] = parse_local_datetime(changes[name])
        return replace(self, **changes)


@dataclass(frozen=True)
class Corpus:
    """Outlets and their articles, as read from a corpus directory."""

    outlets: list[Outlet]
    articles: list[DemoArticle]

    def outlet(self, key: str) -> Outlet:
        """The outlet with this key."""
        for outlet in self.outlets:
            if outlet.key == key:
                return outlet
        raise KeyError(key)


def parse_local_datetime(value: str | datetime) -> datetime:
    """Read a corpus date ("YYYY-MM-DDTHH:MM", Europe/Paris local time) as an aware datetime."""
    if isinstance(value, datetime):
        parsed = value
    else:
        parsed = datetime.fromisoformat(str(value).strip())
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=PARIS)
    return parsed.astimezone(PARIS)


def slugify(text: str) -> str:
    """ASCII, lowercase, hyphen-separated slug ("Télécoms & réseaux" -> "telecoms-reseaux")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "divers"


def article_from_dict(data: dict[str, Any]) -> DemoArticle:
    """Build an article record from one corpus line (raises KeyError/ValueError if malformed)."""
    updated = data.get("updated")
    title = str(data["title"]).strip()
    return DemoArticle(
        id=str(data["id"]),
        outlet=str(data["outlet"]),
        slug=str(data.get("slug") or slugify(title)),
        section=str(data.get("section") or "Actualités"),
        title=title,
        standfirst=str(data.get("standfirst") or "").strip(),
        author=data.get("author") or None,
        published=parse_local_datetime(data["published"]),
        updated=parse_local_datetime(updated) if updated else None,
        language=str(data.get("language") or "fr"),
        text=str(data.get("text") or ""),
        syndicated_from=data.get("syndicated_from") or None,
    )


def load_outlets(path: Path) -> list[Outlet]:
    """Read outlets.json; outlets without a key or a name are skipped."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        logger.warning("cannot read outlets from %s: %s", path, exc)
        return []
    outlets: list[Outlet] = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict) or not item.get("key") or not item.get("name"):
            logger.warning("skipping malformed outlet in %s: %r", path, item)
            continue
        outlets.append(
            Outlet(
                key=str(item["key"]),
                name=str(item["name"]),
                kind=str(item.get("kind") or "media"),
                template=str(item.get("template") or ""),
                feed="atom" if str(item.get("feed", "rss")).lower() == "atom" else "rss",
                tagline=str(item.get("tagline") or ""),
                language=str(item.get("language") or "fr"),
            )
        )
    return outlets


def load_articles(path: Path) -> list[DemoArticle]:
    """Read articles.jsonl; unreadable lines and duplicate ids are logged and skipped."""
    articles: list[DemoArticle] = []
    seen: set[str] = set()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        logger.warning("cannot read articles from %s: %s", path, exc)
        return []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            article = article_from_dict(json.loads(line))
        except (ValueError, KeyError, TypeError) as exc:
            logger.warning("skipping %s line %d: %s", path.name, number, exc)
            continue
        if article.id in seen:
            logger.warning("skipping %s line %d: duplicate id %s", path.name, number, article.id)
            continue
        seen.add(article.id)
        articles.append(article)
    return articles


def load_corpus(corpus_dir: Path | None = None) -> Corpus:
    """Read a corpus directory (default: the packaged demo corpus), keeping only renderable articles."""
    directory = Path(corpus_dir) if corpus_dir is not None else DEFAULT_CORPUS_DIR
    outlets = load_outlets(directory / "outlets.json")
    keys = {outlet.key for outlet in outlets}
    articles = []
    for article in load_articles(directory / "articles.jsonl"):
        if article.outlet not in keys:
            logger.warning("skipping article %s: unknown outlet %r", article.id, article.outlet)
            continue
        articles.append(article)
    by_id = {article.id: article for article in articles}
    resolved = []
    for article in articles:
        # A syndicated copy republishes the original text verbatim; fill it in when left empty.
        original = by_id.get(article.syndicated_from or "")
        if original is not None and not article.text.strip():
            article = replace(article, text=original.text)
        if not article.paragraphs:
            logger.warning("skipping article %s: no text", article.id)
            continue
        resolved.append(article)
    return Corpus(outlets=outlets, articles=resolved)
