"""The outage's clock time line: when it began, ended or was still on, from the times of day.

Some articles give the length only through clock readings ("à 6 heures … toujours pas, hier soir à
20 h 30"): each reading is tied to the start, the end or the persistence of the failure by the
words of its clause, placed on one axis with the day it belongs to, and the span is read off.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from pannes.nlp.clock import find_times
from pannes.nlp.dates import DateMention, PublishedDate, find_dates
from pannes.nlp.duration_phrases import OPENING_HOURS_RE
from pannes.nlp.status import clause_around, clause_status, plain, without_inner_dots

_F = re.IGNORECASE | re.UNICODE


@cache
def _rx(pattern: str) -> re.Pattern[str]:
    """A compiled case-insensitive pattern, kept (cheaper than re's cache with enum flags)."""
    return re.compile(pattern, _F)


@dataclass(frozen=True)
class TimePoint:
    """A time of day the article ties to the outage: when it began, ended, or was still on."""

    text: str
    start_char: int
    end_char: int
    role: str  # "start" | "end" | "still"
    hour_min: float  # hours on one axis for the whole text (day number × 24 + hour)
    hour_max: float
    precise: bool
    dated: bool


SENTENCE_RE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")


def find_time_points(text: str, published: PublishedDate | None = None) -> list[TimePoint]:
    """Clock readings and parts of the day tied to the outage's start, end, or persistence."""
    published = published or PublishedDate()
    original, text = text, plain(text)
    dates = [d for d in find_dates(text, published) if d.precision == "day" and not d.dateline]
    raw: list[tuple] = []  # (time, role, day, next_day, start, end)
    for sentence in SENTENCE_RE.finditer(without_inner_dots(text)):  # not at "exemple.gouv.fr"
        body = text[sentence.start(): sentence.end()]
        times = find_times(body)
        hours = _opening_hours(body, times) if OPENING_HOURS_RE.search(body) else set()
        for i, time in enumerate(times):
            if i in hours:
                continue
            start = sentence.start() + time.start_char
            end = sentence.start() + time.end_char
            before = text[max(sentence.start(), start - 60): start]
            local = (clause_status(clause_around(body, time.start_char, time.end_char))
                     or clause_status(body[: time.start_char]) or clause_status(body[time.end_char:]))
            if _UNTIL_RE.search(before):
                role = "end"
            elif i and _PAIR_BETWEEN_RE.match(body[times[i - 1].end_char: time.start_char]) and (
                raw and raw[-1][4] == sentence.start() + times[i - 1].start_char and raw[-1][1] == "start"
            ):
                role = "end"  # "entre lundi soir et mardi midi"
            elif local is None:
                continue
            elif _rx(r"(?:depuis|partir\s+d[e']|dès)\s*(?:la\s+|l')?$").search(before):
                role = "end" if local == "restored" else "start"
            else:
                role = {"still": "still", "restored": "end", "outage": "start"}[local]
            day = _day_near(dates, start, end, text)
            raw.append((time, role, day, time.next_day, start, end))
    points: list[TimePoint] = []
    last_day: int | None = None  # the day of the latest time not read as "le lendemain"
    days = [r[2] for r in raw]
    for i, (time, role, day, next_day, start, end) in enumerate(raw):
        dated = day is not None
        if next_day:
            day = (last_day if last_day is not None else 0) + 1
            dated = True
        else:
            if day is None:
                later = [d for d in days[i + 1:] if d is not None]
                day = last_day if last_day is not None else (later[0] if later else 0)
            last_day = day
        points.append(TimePoint(original[start:end], start, end, role, day * 24 + time.hour_min,
                                day * 24 + time.hour_max, time.precise, dated))
    return points


_DAY_WORDS = (r"(?:(?:le\s+)?(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lendemain|\d{1,2}(?:er)?"
              r"|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
              r"|\d{4})\s*,?\s*)")
_UNTIL_RE = re.compile(
    rf"(?:jusqu'(?:à|au|en)|jusque\s+dans)\s*{_DAY_WORDS}*(?:à\s+|vers\s+)?(?:la\s+|l')?$", _F
)
_PAIR_BETWEEN_RE = re.compile(
    r"^[\s,]*(?:et|à|au|jusqu'(?:à|au|en))\s+(?:(?:le\s+)?(?:lendemain|lundi|mardi|mercredi|jeudi"
    r"|vendredi|samedi|dimanche|\d{1,2}(?:er)?(?:\s+[a-zéû]+\.?)?)\s+)*(?:à\s+|vers\s+)?$",
    _F,
)
_RANGE_OPEN_RE = re.compile(r"(?:\bde|\bentre)\s*$", _F)
_RANGE_JOIN_RE = re.compile(r"^\s*(?:à|et|-|–)\s*$", _F)


def _opening_hours(body: str, times: Sequence[Any]) -> set[int]:
    """The indices of the times read as "de 9 h à 18 h" in a sentence about opening hours
    ("le numéro vert est ouvert de 9 h à 18 h"): a service's hours, not the outage's."""
    out: set[int] = set()
    for i in range(len(times) - 1):
        a, b = times[i], times[i + 1]
        if _RANGE_OPEN_RE.search(body, 0, a.start_char) and _RANGE_JOIN_RE.match(body[a.end_char: b.start_char]):
            out |= {i, i + 1}
    return out


def _day_near(dates: Sequence[DateMention], start: int, end: int, text: str) -> int | None:
    """The day (ordinal) of a date written next to a time ("hier soir", "le 3 juin au matin")."""
    best = None
    for mention in dates:
        if mention.start_char <= start < mention.end_char or mention.start_char < end <= mention.end_char:
            return mention.value.toordinal()
        gap = start - mention.end_char if mention.end_char <= start else mention.start_char - end
        between = text[min(end, mention.end_char): max(start, mention.start_char)]
        if 0 <= gap <= 30 and not re.search(r"[.;:«»\"]", between):
            if best is None or gap < best[0]:
                best = (gap, mention.value.toordinal())
    return best[1] if best else None


def timeline_hours(points: Sequence[TimePoint]) -> tuple[float, float, bool] | None:
    """(hours_min, hours_max, ongoing) from the earliest start to the latest end or still-down."""
    starts = [p for p in points if p.role == "start"]
    if not starts:
        return None
    starts = [p for p in starts if p.precise] or starts
    first = min(starts, key=lambda p: p.hour_min)
    later = []
    for p in points:
        if p.role not in ("end", "still"):
            continue
        low, high = p.hour_min, p.hour_max
        if not p.dated and low <= first.hour_min:
            if high > first.hour_min and not p.precise:
                continue  # "tôt ce matin" when it began "ce matin à 6 heures": not a later end
            low, high = low + 24, high + 24
        if low > first.hour_min:
            later.append((low, high, p))
    if not later:
        return None
    low, high, last = max(later, key=lambda t: (t[0], t[2].precise))
    hours_min = max(0.0, low - first.hour_max)
    hours_max = high - first.hour_min
    if hours_max <= 0 or hours_max > 24 * 14:
        return None
    if first.precise and last.precise:
        # Two clock readings give minutes, which a reader rounds ("de 9 h 25 à 14 h 24": five
        # hours): the range runs from the tenth of an hour below to the tenth above.
        hours_min, hours_max = math.floor(hours_min * 10 + 1e-6) / 10, math.ceil(hours_max * 10 - 1e-6) / 10
    else:
        hours_min, hours_max = round(hours_min, 2), round(hours_max, 2)
    if last.role == "still":
        if not first.precise:
            return None  # "depuis lundi matin … toujours en panne à 15 h": a start phrase only
        return hours_min, round(max(hours_max, 2 * hours_min), 2), True
    return hours_min, hours_max, False
