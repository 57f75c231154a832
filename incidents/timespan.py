"""When an outage happened, as far as articles tell, and whether two accounts can be one event.

An article gives event dates (start, end, an ongoing flag, a duration) and a publication date:
the event happened on or before publication. A group of articles covers the union of its
members' spans. Two spans are `same` (event dates within a couple of days), `near` (only
publication dates to go by, and they are close), `unknown` (no dates on one side) or `far`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pannes.records import TaggedArticle

# Event dates this many days apart still describe one event (dates resolved from
# "dimanche soir" or "le week-end dernier" are approximate).
SAME_DAYS = 2
# An article without event dates can report an event at most this long after the others.
NEAR_DAYS = 45
# Two articles with only publication dates are about one event when this close.
NEAR_PUBLISHED_DAYS = 7

Relation = Literal["same", "near", "unknown", "far"]
RELATION_RANK = {"same": 3, "near": 2, "unknown": 1, "far": 0}


@dataclass(frozen=True)
class Span:
    """Event dates [lo, hi] (None when unknown) and publication dates [pub_lo, pub_hi]."""

    lo: date | None = None
    hi: date | None = None
    pub_lo: date | None = None
    pub_hi: date | None = None

    def union(self, other: Span) -> Span:
        return Span(_min(self.lo, other.lo), _max(self.hi, other.hi),
                    _min(self.pub_lo, other.pub_lo), _max(self.pub_hi, other.pub_hi))

    @property
    def empty(self) -> bool:
        return self.lo is None and self.pub_lo is None


def _min(a: date | None, b: date | None) -> date | None:
    return b if a is None else a if b is None else min(a, b)


def _max(a: date | None, b: date | None) -> date | None:
    return b if a is None else a if b is None else max(a, b)


def article_span(item: TaggedArticle, published_period: Period | None = None) -> Span:
    """The span an article covers: its event dates, stretched by duration or ongoing state.
    `published_period` stands for a publication date known only roughly (a month), when the
    article has no publication day."""
    tags, published = item.tags, item.article.published
    pub_lo = pub_hi = published
    if published is None and published_period is not None:
        pub_lo, pub_hi = published_period.lo, published_period.hi
    dates = [d for d in (tags.start, tags.end) if d is not None]
    if not dates:
        return Span(pub_lo=pub_lo, pub_hi=pub_hi)
    lo, hi = min(dates), max(dates)
    if tags.end is None and tags.duration.hours_max:
        hi = max(hi, lo + timedelta(days=math.ceil(tags.duration.hours_max / 24)))
    if tags.duration.ongoing and pub_hi is not None:
        hi = max(hi, pub_hi)
    return Span(lo, hi, pub_lo, pub_hi)


def _gap(lo1: date, hi1: date, lo2: date, hi2: date) -> int:
    """Days between two intervals (0 when they overlap)."""
    if hi1 < lo2:
        return (lo2 - hi1).days
    if hi2 < lo1:
        return (lo1 - hi2).days
    return 0


def _event_vs_reports(event: Span, reports: Span) -> Relation:
    """Event dates on one side, only publication dates on the other."""
    assert event.lo is not None and event.hi is not None
    if reports.pub_lo is None or reports.pub_hi is None:
        return "unknown"
    if event.lo > reports.pub_hi + timedelta(days=SAME_DAYS):
        return "far"  # the event began after every report of the other side
    if (reports.pub_lo - event.hi).days > NEAR_DAYS:
        return "far"
    return "near"


def relation(a: Span, b: Span) -> Relation:
    """How two spans relate (symmetric)."""
    if a.lo is not None and b.lo is not None:
        gap = _gap(a.lo, a.hi, b.lo, b.hi)  # type: ignore[arg-type]
        return "same" if gap <= SAME_DAYS else "far"
    if a.lo is not None:
        return _event_vs_reports(a, b)
    if b.lo is not None:
        return _event_vs_reports(b, a)
    if a.pub_lo is not None and b.pub_lo is not None:
        gap = _gap(a.pub_lo, a.pub_hi, b.pub_lo, b.pub_hi)  # type: ignore[arg-type]
        return "near" if gap <= NEAR_PUBLISHED_DAYS else "far"
    return "unknown"


_WHEN_RE = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


@dataclass(frozen=True)
class Period:
    """An approximate date as a mention gives it: "2011-10" is the whole of October 2011."""

    lo: date
    hi: date
    precision: Literal["year", "month", "day"]
    label: str  # the normalised "YYYY", "YYYY-MM" or "YYYY-MM-DD"


def parse_when(when: str | None) -> Period | None:
    """Read a mention's `when` ("2011", "2011-10", "2021-03-10", "2004-10/11 (...)")."""
    if not when:
        return None
    match = _WHEN_RE.search(when)
    if match is None:
        return None
    year = int(match.group(1))
    try:
        if match.group(3):
            day = date(year, int(match.group(2)), int(match.group(3)))
            return Period(day, day, "day", day.isoformat())
        if match.group(2):
            month = int(match.group(2))
            lo = date(year, month, 1)
            hi = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
            # "2004-10/11": a range of months.
            rest = when[match.end():]
            more = re.match(r"\s*/\s*(\d{1,2})\b", rest)
            if more and month < int(more.group(1)) <= 12:
                end_month = int(more.group(1))
                hi = date(year + (end_month == 12), end_month % 12 + 1, 1) - timedelta(days=1)
            return Period(lo, hi, "month", f"{year:04d}-{month:02d}")
        return Period(date(year, 1, 1), date(year, 12, 31), "year", f"{year:04d}")
    except ValueError:
        return None


def period_span(period: Period) -> Span:
    """A mentioned period as an event span."""
    return Span(period.lo, period.hi)
