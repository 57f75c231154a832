"""Typed records passed between the stages: article, tags, incident, search.

This module imports nothing of the project, so every stage can import it. Each record
converts to and from plain JSON-compatible dicts (ISO strings for dates), which is how
records cross process boundaries, files and the database.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from typing import Any, Literal

IMPACT_LABELS: tuple[str, ...] = (
    "service_unavailable",
    "degraded_service",
    "data_loss",
    "data_inaccessible",
    "data_breach",
    "email_messaging",
    "telephony_mobile",
    "internet_access",
    "payment_billing",
    "subscriptions_customers",
    "website_down",
    "broadcast_interruption",
    "transport_operations",
    "health_services",
    "public_services",
    "other",
)

CAUSE_LABELS: tuple[str, ...] = (
    "hardware",
    "software_bug",
    "configuration_change",
    "cyberattack",
    "ransomware",
    "ddos",
    "power",
    "fire_disaster",
    "network",
    "human_error",
    "third_party",
    "unknown",
)


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _to_date(value: Any) -> date | None:
    """Read a date from an ISO string (a datetime string keeps its date part)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _to_datetime(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return datetime.fromisoformat(str(value))


def normalize_for_hash(text: str) -> str:
    """Text reduced to what identifies its content: NFC, lowercase, single spaces."""
    text = unicodedata.normalize("NFC", text).lower()
    return re.sub(r"\s+", " ", text).strip()


def content_hash(title: str, text: str) -> str:
    """Stable hash of an article's content, used to spot syndicated copies and updates."""
    payload = normalize_for_hash(title) + "\n" + normalize_for_hash(text)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- crawl side


@dataclass(frozen=True)
class FetchState:
    """What the crawler learnt of a URL last time, for conditional requests."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    lastmod: str | None = None
    status: int | None = None
    fetched_at: str | None = None


@dataclass(frozen=True)
class RawPage:
    """A page as fetched, kept so extraction and tagging can be re-run without crawling."""

    url: str
    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    fetched_at: datetime | None = None


@dataclass
class Article:
    """An extracted article: what the crawler hands to the store and the tagger reads."""

    url: str  # canonical URL
    source: str  # source name, as in the sources file
    title: str
    text: str
    published: date | None = None
    author: str | None = None
    language: str | None = None
    fetched_at: datetime | None = None
    fetched_url: str | None = None  # the URL actually requested, when not the canonical one
    # The text is the feed item's summary, not the page (the site refuses crawlers on articles).
    is_summary: bool = False
    # Filled by the store:
    id: int | None = None
    version: int | None = None

    @property
    def content_hash(self) -> str:
        return content_hash(self.title, self.text)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["published"] = _iso(self.published)
        data["fetched_at"] = _iso(self.fetched_at)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["published"] = _to_date(values.get("published"))
        values["fetched_at"] = _to_datetime(values.get("fetched_at"))
        return cls(**values)


UpsertStatus = Literal["new", "updated", "unchanged", "duplicate"]


@dataclass(frozen=True)
class UpsertResult:
    """What the store did with an article: new, new version, nothing, or alias of a copy."""

    status: UpsertStatus
    article_id: int
    version: int


# --------------------------------------------------------------------------- tags


@dataclass
class Duration:
    """How long an incident lasted, normalised to an hours range (ANNOTATION.md)."""

    text: list[str] = field(default_factory=list)
    hours_min: float | None = None
    hours_max: float | None = None
    ongoing: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Duration:
        data = data or {}
        return cls(
            text=list(data.get("text") or []),
            hours_min=data.get("hours_min"),
            hours_max=data.get("hours_max"),
            ongoing=data.get("ongoing"),
        )


@dataclass
class Mention:
    """An earlier incident an article refers to in passing."""

    vendor: str | None = None
    when: str | None = None  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    duration_text: str | None = None
    hours_min: float | None = None
    hours_max: float | None = None
    users_affected_text: str | None = None
    cause: str | None = None
    region: list[str] = field(default_factory=list)
    evidence: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mention:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["region"] = list(values.get("region") or [])
        return cls(**values)


@dataclass
class Tags:
    """What the tagger says about one article; the schema of ANNOTATION.md."""

    is_outage: bool
    outage_score: float = 0.0
    vendors: list[str] = field(default_factory=list)
    affected: list[str] = field(default_factory=list)
    impact: list[str] = field(default_factory=list)
    cause: str | None = None  # a CAUSE_LABELS value; "unknown" for an outage with no cause
    cause_ruled_out: list[str] = field(default_factory=list)
    duration: Duration = field(default_factory=Duration)
    start: date | None = None
    end: date | None = None
    region: list[str] = field(default_factory=list)
    users_affected: int | None = None
    users_affected_text: str | None = None
    evidence: dict[str, list[str]] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    pipeline_version: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["start"] = _iso(self.start)
        data["end"] = _iso(self.end)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Tags:
        return cls(
            is_outage=bool(data.get("is_outage")),
            outage_score=float(data.get("outage_score") or 0.0),
            vendors=list(data.get("vendors") or []),
            affected=list(data.get("affected") or []),
            impact=list(data.get("impact") or []),
            cause=data.get("cause"),
            cause_ruled_out=list(data.get("cause_ruled_out") or []),
            duration=Duration.from_dict(data.get("duration")),
            start=_to_date(data.get("start")),
            end=_to_date(data.get("end")),
            region=list(data.get("region") or []),
            users_affected=data.get("users_affected"),
            users_affected_text=data.get("users_affected_text"),
            evidence={k: list(v) for k, v in (data.get("evidence") or {}).items()},
            mentions=[Mention.from_dict(m) for m in data.get("mentions") or []],
            pipeline_version=data.get("pipeline_version") or "",
        )


@dataclass
class TaggedArticle:
    """An article with its machine tags (and editors' corrections applied, when loaded so)."""

    article: Article
    tags: Tags


# --------------------------------------------------------------------------- incidents


@dataclass
class Incident:
    """One event, merged from the articles that report it."""

    id: str
    title: str
    vendors: list[str] = field(default_factory=list)
    affected: list[str] = field(default_factory=list)
    impact: list[str] = field(default_factory=list)
    cause: str | None = None
    cause_ruled_out: list[str] = field(default_factory=list)
    duration: Duration = field(default_factory=Duration)
    start: date | None = None
    end: date | None = None
    region: list[str] = field(default_factory=list)
    users_affected: int | None = None
    article_ids: list[int] = field(default_factory=list)
    # Known only from later articles mentioning it in passing.
    known_from_mentions: bool = False
    # field name -> ids of the articles the merged value came from
    provenance: dict[str, list[int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["start"] = _iso(self.start)
        data["end"] = _iso(self.end)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Incident:
        return cls(
            id=str(data["id"]),
            title=data.get("title") or "",
            vendors=list(data.get("vendors") or []),
            affected=list(data.get("affected") or []),
            impact=list(data.get("impact") or []),
            cause=data.get("cause"),
            cause_ruled_out=list(data.get("cause_ruled_out") or []),
            duration=Duration.from_dict(data.get("duration")),
            start=_to_date(data.get("start")),
            end=_to_date(data.get("end")),
            region=list(data.get("region") or []),
            users_affected=data.get("users_affected"),
            article_ids=[int(i) for i in data.get("article_ids") or []],
            known_from_mentions=bool(data.get("known_from_mentions")),
            provenance={k: [int(i) for i in v] for k, v in (data.get("provenance") or {}).items()},
        )


@dataclass
class Correction:
    """An editor's change to one field of an article's tags or of an incident (audited)."""

    target: Literal["article", "incident"]
    target_id: str
    field: str
    value: Any
    editor: str
    before: Any = None
    at: datetime | None = None
    note: str | None = None
    id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["at"] = _iso(self.at)
        return data


# --------------------------------------------------------------------------- search


SortOrder = Literal["relevance", "date", "date_asc"]


@dataclass
class SearchFilters:
    """Filters shared by every search backend; empty lists mean no filter."""

    vendors: list[str] = field(default_factory=list)
    affected: list[str] = field(default_factory=list)
    impact: list[str] = field(default_factory=list)
    cause: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    min_hours: float | None = None
    max_hours: float | None = None
    is_outage: bool | None = None


@dataclass
class SearchQuery:
    """A user's search: query string, filters, sort, page and wanted facets."""

    text: str = ""
    filters: SearchFilters = field(default_factory=SearchFilters)
    kind: Literal["articles", "incidents"] = "articles"
    sort: SortOrder = "relevance"
    page: int = 1
    per_page: int = 20
    facets: list[str] = field(default_factory=list)  # "vendor", "impact", "cause", "source", "month"


@dataclass
class Snippet:
    """A passage of text as segments; highlighted segments are the matched words.

    Kept as plain text segments so that a view renders web text as text, never as HTML.
    """

    segments: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(s for s, _ in self.segments)


@dataclass
class SearchHit:
    kind: Literal["article", "incident"]
    id: str
    title: str
    url: str | None = None
    source: str | None = None
    published: date | None = None
    score: float = 0.0
    snippet: Snippet = field(default_factory=Snippet)
    vendors: list[str] = field(default_factory=list)
    impact: list[str] = field(default_factory=list)
    cause: str | None = None
    start: date | None = None
    end: date | None = None
    hours_min: float | None = None
    hours_max: float | None = None
    incident_id: str | None = None


@dataclass
class SearchResult:
    total: int
    hits: list[SearchHit] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    page: int = 1
    per_page: int = 20
    message: str | None = None  # a note for the user, e.g. how an odd query was read
