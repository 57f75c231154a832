"""Dates written the way French news sites print them, plus the machine formats feeds need."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

from pannes.french import MONTHS, WEEKDAYS


def long_date(
    moment: datetime, *, weekday: bool = True, time: bool = True, ordinal: bool = True
) -> str:
    """French long date, "mardi 3 mars 2026 à 14h05"; the 1st is "1er" unless `ordinal` is off.

    htmldate (1.11) reads "1er mars 2026" as 2026-01-01, so the template whose only date is
    the visible text writes "1 mars" to stay extractable.
    """
    day = "1er" if moment.day == 1 and ordinal else str(moment.day)
    text = f"{day} {MONTHS[moment.month - 1]} {moment.year}"
    if weekday:
        text = f"{WEEKDAYS[moment.weekday()]} {text}"
    if time:
        text += f" à {moment.hour}h{moment.minute:02d}"
    return text


def short_date(moment: datetime) -> str:
    """French short date, "03/03/2026 à 14h05"."""
    return f"{moment:%d/%m/%Y} à {moment.hour}h{moment.minute:02d}"


def iso(moment: datetime) -> str:
    """ISO 8601 with seconds and the UTC offset ("2026-03-03T14:05:00+01:00")."""
    return moment.isoformat(timespec="seconds")


def rfc822(moment: datetime) -> str:
    """RSS 2.0 date ("Tue, 03 Mar 2026 14:05:00 +0100")."""
    return format_datetime(moment)


def http_date(moment: datetime) -> str:
    """HTTP header date, always GMT ("Tue, 03 Mar 2026 13:05:00 GMT")."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)
