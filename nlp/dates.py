"""Dates in French incident reports, resolved against the publication date.

A journalist reads "dimanche dans la soirée", "le 21 septembre" or "le week-end dernier" and knows
when the outage began because she knows when the article came out; this module does the same.
Candidate expressions are found by our own patterns (so a duration such as "8 à 10 jours" is never
read as a date) and explicit day-month strings are handed to dateparser. Times of day live in
`nlp.clock`, what a clause says of the service in `nlp.status`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache, lru_cache

import dateparser
from pannes.nlp.numbers import NUMBER_PATTERN, parse_french_number
from pannes.nlp.status import HasText, as_text, caseless, clause_status, folded, plain

from pannes.french import MONTHS, WEEKDAYS

_FLAGS = re.IGNORECASE | re.UNICODE


@cache
def _rx(pattern: str) -> re.Pattern[str]:
    """A compiled case-insensitive pattern, kept (cheaper than re's cache with enum flags)."""
    return re.compile(pattern, _FLAGS)


_WD = "(?:" + "|".join(WEEKDAYS) + ")"
# Month names, then their abbreviations and spellings without accents.
_MONTHS: dict[str, int] = {name: n for n, name in enumerate(MONTHS, 1)} | {
    "janv": 1, "fevrier": 2, "févr": 2, "fevr": 2, "avr": 4, "juil": 7, "aout": 8, "sept": 9,
    "oct": 10, "nov": 11, "decembre": 12, "déc": 12, "dec": 12,
}
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:\s?er)?"
_YEAR = r"(?:19|20)\d{2}"
#: Regular-expression fragments for the other time readers (clock, durations).
WEEKDAY_PATTERN = _WD
MONTH_PATTERN = _MONTH


# ----------------------------------------------------------------------------- publication


@dataclass(frozen=True)
class PublishedDate:
    """What we know of an article's publication date: the day, only the month, or nothing."""

    day: date | None = None
    month: tuple[int, int] | None = None

    @property
    def known(self) -> bool:
        return self.day is not None or self.month is not None

    def latest(self) -> date | None:
        """The last day the article can have been published."""
        if self.day is not None:
            return self.day
        if self.month is not None:
            year, month = self.month
            first_next = date(year + (month == 12), month % 12 + 1, 1)
            return first_next - timedelta(days=1)
        return None


def parse_published(value: date | datetime | str | None) -> PublishedDate:
    """Read a publication date given as a date, an ISO day ("2024-03-05"), a month ("2024-03") or None."""
    if value is None or value == "":
        return PublishedDate()
    if isinstance(value, datetime):
        return PublishedDate(day=value.date(), month=(value.year, value.month))
    if isinstance(value, date):
        return PublishedDate(day=value, month=(value.year, value.month))
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[T ].*)?", text)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if match.group(3):
            day = date(year, month, int(match.group(3)))
            return PublishedDate(day=day, month=(year, month))
        return PublishedDate(month=(year, month))
    if re.fullmatch(r"\d{4}", text):
        return PublishedDate()
    return PublishedDate()


# ----------------------------------------------------------------------------- date mentions


@dataclass(frozen=True)
class DateMention:
    """A date named in a text, resolved to a day (or the first day of a month or year)."""

    text: str
    start_char: int
    end_char: int
    value: date
    role: str  # "start" | "end" | "other"
    night: bool = False  # "dans la nuit de lundi à mardi": scoring allows ±1 day
    precision: str = "day"  # "day" | "month" | "year"
    dateline: bool = False  # "Publié le …", "Mise à jour du …": about the page, not the event
    relative: bool = False  # "la veille", "le lendemain": relative to another date in the text


_NIGHT_RANGE_RE = caseless(
    rf"(?:(?:dans|durant|pendant|lors)\s+(?:de\s+)?)?la\s+nuit\s+(?:du|de)\s+"
    rf"(?:(?P<wd1>{_WD})\s+)?(?:(?P<d1>{_DAY})\s+)?(?:(?P<m1>{_MONTH})\s+)?"
    rf"(?:au|à)\s+(?:(?P<wd2>{_WD})\s*)?(?:(?P<d2>{_DAY})\s*)?(?:(?P<m2>{_MONTH})\s*)?(?P<y>{_YEAR})?")
# "du 3 au 5 mars", "du lundi 3 au mercredi 5 mars", "entre le 28 février et le 2 mars"
_DAY_RANGE_RE = caseless(
    rf"\b(?:du|de|entre\s+le)\s+(?:(?P<wd1>{_WD})\s+)?(?P<d1>{_DAY})(?:\s+(?P<m1>{_MONTH})(?:\s+(?P<y1>{_YEAR}))?)?"
    rf"\s+(?P<to>au|à|et\s+le)\s+(?:(?P<wd2>{_WD})\s+)?(?P<d2>{_DAY})\s+(?P<m2>{_MONTH})(?:\s+(?P<y2>{_YEAR}))?\b")
# "de jeudi à samedi", "du lundi au mercredi", "entre lundi et mercredi"
_RANGE_PART = r"(?:matinée|matin|après-midi|soirée|soir|midi)"
_WEEKDAY_RANGE_RE = caseless(
    rf"\b(?:du|de|entre)\s+(?P<wd1>{_WD})(?:\s+(?P<p1>{_RANGE_PART}))?\s+(?P<to>au|à|et)\s+(?P<wd2>{_WD})"
    rf"(?:\s+(?P<p2>{_RANGE_PART}))?\b")
_EXPLICIT_RE = caseless(
    rf"\b(?:(?P<wd>{_WD})\s+)?(?P<d>{_DAY})\s+(?P<m>{_MONTH})(?:\s+(?P<y>{_YEAR}))?\b")
_NUMERIC_RE = caseless(r"(?<![\d/.])(?P<d>[0-3]?\d)[/.](?P<m>[01]?\d)[/.](?P<y>\d{4}|\d{2})(?![\d/])")
_WEEKEND_RE = caseless(
    r"\b(?:(?:le|ce)\s+(?:dernier\s+)?week-?end(?:\s+dernier)?|ce\s+week-?end)\b")
_RELATIVE_RE = caseless(
    r"\b(?:avant-hier|hier|aujourd'hui|ce\s+jour|ce\s+matin|cette\s+nuit|la\s+nuit\s+dernière"
    r"|ce\s+soir|cet\s+après-midi|ce\s+midi|la\s+veille|le\s+lendemain"
    rf"|il\s+y\s+a\s+(?P<n>{NUMBER_PATTERN})\s+(?P<u>jours?|semaines?))\b")
_WEEKDAY_RE = caseless(
    rf"\b(?:(?P<det>ce|le|dès|depuis)\s+)?(?P<wd>{_WD})(?:\s+(?P<rel>dernier|prochain))?\b")
_MONTH_ONLY_RE = caseless(
    rf"\b(?:en|début|fin|mi-|courant|depuis|dès)\s*(?P<m>{_MONTH})(?:\s+(?P<y>{_YEAR})|\s+(?P<rel>dernier))?\b"
    rf"|\b(?P<m2>{_MONTH})\s+(?P<y2>{_YEAR})\b")
_YEAR_ONLY_RE = caseless(rf"\b(?:en|depuis|dès|début|fin)\s+(?P<y>{_YEAR})\b")
_DATELINE_RE = re.compile(
    r"(?:publié|publication|mis\s+à\s+jour|mise\s+à\s+jour|màj|modifié|actualisé|posté|édité)"
    r"[^.\n]{0,12}$",
    _FLAGS,
)
_NIGHT_RE = re.compile(r"\bnuit\b", _FLAGS)


def _parse_dm(day: str, month: str, year: str | None, base: date | None) -> date | None:
    """Day and month (and year) through dateparser, preferring a date on or before `base`."""
    return _parse_day_month(int(re.sub(r"\D", "", day)), _MONTHS[month.lower().rstrip(".")], year, base)


@lru_cache(maxsize=4096)
def _parse_day_month(day_num: int, month_num: int, year: str | None, base: date | None) -> date | None:
    if year is None and base is None:
        return None
    text = f"{day_num} {month_num:02d} {year}" if year else f"{day_num} {month_num:02d}"
    settings = {"PREFER_DATES_FROM": "past", "DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month"]}
    if base is not None:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day)
    parsed = dateparser.parse(text, languages=["fr"], settings=settings)
    return parsed.date() if parsed else None


def _weekday_on_or_before(name: str, ref: date, *, strictly: bool = False) -> date:
    target = WEEKDAYS.index(name.lower())
    delta = (ref.weekday() - target) % 7
    if strictly and delta == 0:
        delta = 7
    return ref - timedelta(days=delta)


def _reference(text: str, published: PublishedDate) -> tuple[date | None, date | None]:
    """(day, base): the publication day if known, and the latest day a yearless date may fall on."""
    if published.day is not None:
        return published.day, published.day + timedelta(days=7)
    if published.month is not None:
        return None, published.latest() + timedelta(days=7)
    years = [int(m.group("y")) for m in _EXPLICIT_RE.finditer(text) if m.group("y")]
    years += [int(m.group("y")) for m in _NIGHT_RANGE_RE.finditer(text) if m.group("y")]
    if years:  # no publication date: the text's own full dates give the year
        return None, date(max(years), 12, 31)
    return None, None


def find_dates(text: str | HasText, published: PublishedDate) -> list[DateMention]:
    """Every date expression in a text, resolved against the publication date when needed."""
    return list(_scan(as_text(text), published)[0])


def date_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of every date expression, resolvable or not ("lundi" with no date known)."""
    return list(_scan(text, PublishedDate())[1])


# Every date pattern below needs a digit or one of these words: a text with none has no date.
_ANY_DATE_WORD_RE = caseless(
    rf"\d|(?<!\w)(?:{_WD}|janv|f[ée]vr|mars|avr|mai|juin|juil|ao[uû]t|sept|oct|nov|d[ée]c|hier|aujourd"
    r"|jour|matin|nuit|soir|apr[eè]s-midi|midi|veille|lendemain|week|il\s+y\s+a)")


def forget_texts() -> None:
    """Drop the dates kept for the texts scanned so far: the cache pays within one article (its
    sentences are scanned several times), not across articles."""
    _scan.cache_clear()


@lru_cache(maxsize=2048)
def _scan(text: str, published: PublishedDate) -> tuple[tuple[DateMention, ...], tuple[tuple[int, int], ...]]:
    original, text = text, folded(text)  # the patterns are caseless
    if not _ANY_DATE_WORD_RE.search(text):
        return (), ()
    pub_day, base = _reference(text, published)
    spans: list[tuple[int, int]] = []
    found: list[DateMention] = []

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in spans)

    def add(match: re.Match[str], value: date | None, **extra: object) -> None:
        spans.append((match.start(), match.end()))
        if value is None:
            return
        found.append(_mention(text, match, value, original=original, **extra))

    for m in _NIGHT_RANGE_RE.finditer(text):
        if not (m.group("d2") or m.group("wd2")):
            continue
        value = None
        month = m.group("m2") or m.group("m1")
        if m.group("d2") and month:
            value = _parse_dm(m.group("d2"), month, m.group("y"), base)
        elif m.group("wd2") and pub_day is not None:
            value = _weekday_on_or_before(m.group("wd2"), pub_day)
        add(m, value, night=True)
    for m, first, last in _day_ranges(text, base, pub_day):
        if not free(m.start(), m.end()):
            continue
        spans.append((m.start(), m.end()))
        if first is None or last is None:
            continue
        begin = m.start("wd1") if m.group("wd1") else m.start("d1")
        head_text = text[begin:m.start("to")].rstrip()
        head = _Part(begin, begin + len(head_text), head_text)
        begin = next(m.start(g) for g in ("wd2", "d2") if g in m.re.groupindex and m.group(g))
        tail = _Part(begin, m.end(), text[begin:m.end()])
        opening = _mention(text, head, first, original=original)
        closing = _mention(text, tail, last, original=original)
        if opening.role == "start":  # "privés d'internet du 3 au 5 mars": down from the 3rd to the 5th
            closing = replace(closing, role="end")
        found += [opening, closing]
    for m in _EXPLICIT_RE.finditer(text):
        if free(m.start(), m.end()):
            add(m, _parse_dm(m.group("d"), m.group("m"), m.group("y"), base))
    for m in _NUMERIC_RE.finditer(text):
        if free(m.start(), m.end()) and 1 <= int(m.group("m")) <= 12:
            year = m.group("y") if len(m.group("y")) == 4 else "20" + m.group("y")
            month_name = next(k for k, v in _MONTHS.items() if v == int(m.group("m")))
            add(m, _parse_dm(m.group("d"), month_name, year, base))
    for m in _WEEKEND_RE.finditer(text):
        if free(m.start(), m.end()):
            value = None
            if pub_day is not None:  # the Sunday of the last weekend before publication
                last = "dernier" in m.group(0).lower()
                if pub_day.weekday() == 5 and not last:  # "ce week-end", published on a Saturday
                    value = pub_day
                else:
                    ref = pub_day - timedelta(days=1) if last and pub_day.weekday() == 6 else pub_day
                    value = _weekday_on_or_before("dimanche", ref)
            add(m, value)
    for m in _RELATIVE_RE.finditer(text):
        if free(m.start(), m.end()):
            add(m, *_relative(m, pub_day, found))
    for m in _WEEKDAY_RE.finditer(text):
        if free(m.start(), m.end()):
            value = None
            if pub_day is not None and (m.group("rel") or "").lower() != "prochain":
                value = _weekday_on_or_before(
                    m.group("wd"), pub_day, strictly=(m.group("rel") or "").lower() == "dernier"
                )
            add(m, value)
    for m in _MONTH_ONLY_RE.finditer(text):
        if free(m.start(), m.end()):
            add(m, _month_value(m, pub_day or (base - timedelta(days=7) if base else None)),
                precision="month")
    for m in _YEAR_ONLY_RE.finditer(text):
        if free(m.start(), m.end()):
            add(m, date(int(m.group("y")), 1, 1), precision="year")
    return tuple(sorted(found, key=lambda d: d.start_char)), tuple(sorted(spans))


@dataclass(frozen=True)
class _Part:
    """One end of a day range, read by `_mention` like a match."""

    begin: int
    finish: int
    text: str

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.finish

    def group(self, index: int = 0) -> str:
        return self.text


def _day_ranges(text: str, base: date | None, pub_day: date | None
                ) -> list[tuple[re.Match[str], date | None, date | None]]:
    """Day ranges ("du 3 au 5 mars", "de jeudi à samedi") with their first and last day."""
    found = []
    for m in _DAY_RANGE_RE.finditer(text):
        last = _parse_dm(m.group("d2"), m.group("m2"), m.group("y2"), base)
        first = None
        if last is not None:
            month = m.group("m1") or m.group("m2")
            first = _parse_dm(m.group("d1"), month, m.group("y1") or m.group("y2") or str(last.year), None)
            if first is not None and first > last:
                first = first.replace(year=first.year - 1) if m.group("m1") else None
        found.append((m, first, last))
    for m in _WEEKDAY_RANGE_RE.finditer(text):
        first = last = None
        if pub_day is not None:
            last = _weekday_on_or_before(m.group("wd2"), pub_day)
            first = last - timedelta(days=_weekday_gap(m.group("wd1"), m.group("wd2")))
        found.append((m, first, last))
    return found


def _weekday_gap(first: str, last: str) -> int:
    return (WEEKDAYS.index(last.lower()) - WEEKDAYS.index(first.lower())) % 7 or 7


def day_range_spans(text: str) -> list[tuple[int, int, int, str | None, str | None]]:
    """(start, end, days from the first day to the last, part of the first day, of the last) of each
    day range in a text, publication date or not: "du 3 au 5 mars" → 2, "de samedi matin à dimanche
    soir" → 1, "matin", "soir"."""
    text = folded(text)
    found: list[tuple[int, int, int, str | None, str | None]] = []
    for m, first, last in _day_ranges(text, date(2001, 12, 31), None):
        if first is not None and last is not None and m.re is _DAY_RANGE_RE:
            found.append((m.start(), m.end(), (last - first).days, None, None))
    for m in _WEEKDAY_RANGE_RE.finditer(text):
        found.append((m.start(), m.end(), _weekday_gap(m.group("wd1"), m.group("wd2")), m.group("p1"),
                      m.group("p2")))
    return sorted(found)


def _relative(m: re.Match[str], pub_day: date | None, found: list[DateMention]) -> tuple[date | None]:
    word = re.sub(r"\s+", " ", m.group(0).lower())
    if word in ("la veille", "le lendemain"):
        previous = [d for d in found if d.start_char < m.start() and d.precision == "day"]
        ref = previous[-1].value if previous else pub_day
        if ref is None:
            return (None,)
        return (ref + timedelta(days=1 if word == "le lendemain" else -1),)
    if pub_day is None:
        return (None,)
    if m.group("n"):
        number = parse_french_number(m.group("n"))
        if number is None:
            return (None,)
        unit = "weeks" if m.group("u").lower().startswith("semaine") else "days"
        parsed = dateparser.parse(
            f"il y a {int(number)} {'semaines' if unit == 'weeks' else 'jours'}",
            languages=["fr"],
            settings={"RELATIVE_BASE": datetime(pub_day.year, pub_day.month, pub_day.day)},
        )
        return (parsed.date() if parsed else None,)
    if word.startswith("avant-hier"):
        return (pub_day - timedelta(days=2),)
    if word.startswith("hier"):
        return (pub_day - timedelta(days=1),)
    return (pub_day,)


def _month_value(m: re.Match[str], ref: date | None) -> date | None:
    month = _MONTHS[(m.group("m") or m.group("m2")).lower().rstrip(".")]
    year = m.group("y") or m.group("y2")
    if year:
        return date(int(year), month, 1)
    if ref is None:
        return None
    value = date(ref.year, month, 1)
    if value > ref or (m.group("rel") and value.month == ref.month):
        value = date(ref.year - 1, month, 1)
    return value


def _mention(text: str, m: re.Match[str] | _Part, value: date, *, original: str, night: bool = False,
             precision: str = "day") -> DateMention:
    start, end = m.start(), m.end()
    sentence_start = max(text.rfind(".", 0, start), text.rfind("\n", 0, start)) + 1
    sentence_end = min([i for i in (text.find(".", end), text.find("\n", end)) if i != -1] or [len(text)])
    before = text[sentence_start:start]
    clause = text[sentence_start:sentence_end]
    around = text[max(sentence_start, start - 60): min(sentence_end, end + 60)]
    dateline = bool(_DATELINE_RE.search(before[-40:]))
    relative = bool(_rx(r"(?:la\s+veille|le\s+lendemain)").match(m.group(0)))
    role = "other"
    if not dateline and not _rx(r"\b(?:avant|prochain\w*)\s*$").search(before):
        if _rx(r"jusqu'(?:à|au|en)\s*$").search(before):
            role = "end"
        else:
            status = clause_status(around) or clause_status(clause)
            if _rx(r"\b(?:depuis|à\s+partir\s+d[ue']|dès)\s*(?:le\s+|la\s+)?$").search(before):
                role = "end" if status == "restored" else "start"
            elif status == "restored":
                role = "end"
            elif status == "outage":
                role = "start"
    night = night or bool(_NIGHT_RE.search(text[start: min(sentence_end, end + 25)])) or bool(
        _rx(r"(?:dans|pendant|durant)\s+la\s+nuit\W{0,3}$").search(before[-30:])
    )
    return DateMention(original[start:end], start, end, value, role, night, precision, dateline, relative)


_RECALL_RE = re.compile(  # an explicit recall of an earlier event
    r"\b(?:précédente?s?|dernière\s+fois|pas\s+la\s+première\s+fois|rappelons|rappel\s*:|similaire\w*"
    r"|déjà\s+(?:connu|subi|vécu|été\s+(?:victime|touché))|comme\s+(?:en|lors\s+de))",
    _FLAGS,
)
_PLUPERFECT_RE = re.compile(  # "avait touché", "s'étaient retrouvés": told as anterior
    r"\b(?:avait|avaient|s'était|s'étaient)\s+(?:déjà\s+|été\s+|aussi\s+|également\s+|entièrement\s+"
    r"|complètement\s+|totalement\s+)*(?:eu\s+lieu|touché|frappé|privé|paralysé|plongé|duré|connu|subi"
    r"|affecté|provoqué|coupé|détruit|endommagé|ravagé|retrouvé)\w*",
    _FLAGS,
)


def background_strength(sentence: str, published: PublishedDate, *, before: date | None = None) -> int:
    """How surely a sentence recalls an earlier event: 2 explicit recall or a month/year named
    well before `before` (the incident's start) or publication, 1 told in the pluperfect, 0 not."""
    text = plain(sentence)
    if _RECALL_RE.search(text):
        return 2
    ref = before or published.latest()
    for mention in find_dates(text, published):
        if mention.precision == "day":
            continue
        if ref is None:
            if _rx(r"\W*en\s+\d{4}\b").match(text[max(0, mention.start_char - 3):]) and (
                mention.start_char < 5
            ):
                return 2  # "En 2009, …" opening a sentence of an undated article
        elif mention.value < date(ref.year, ref.month, 1) - timedelta(days=31):
            return 2
    return 1 if _PLUPERFECT_RE.search(text) else 0


def is_background(sentence: str, published: PublishedDate, *, before: date | None = None) -> bool:
    """Whether a sentence recalls an earlier event ("Une précédente panne avait touché…",
    "En octobre 2011, …"): its dates and durations are not the incident's own."""
    return background_strength(sentence, published, before=before) > 0


def published_from_dateline(text: str) -> PublishedDate | None:
    """The publication day a page states ("Publié le 12 octobre 2011 à 13h06"), if any."""
    days = [m.value for m in find_dates(text, PublishedDate()) if m.dateline and m.precision == "day"]
    return parse_published(max(days)) if days else None


# A day attached to another event than the failure: the change that caused it, a report.
_OTHER_EVENT_RE = re.compile(
    r"(?:menée?s?|déployée?s?|lancée?s?|installée?s?|remise?s?(?:\s+[\w'-]+){0,3}|publiée?s?|présentée?s?"
    r"|daté\w*\s+d[eu]|datant\s+d[eu]|datai\w*\s+d[eu]|(?:ceux|celles?|celui)\s+d[eu]"
    # the day of a statement, not of the failure: "La chaîne a expliqué dimanche qu'une coupure"
    r"|\b(?:a|ont|avait|avaient)\s+(?:expliqué|annoncé|indiqué|précisé|déclaré|assuré|affirmé|"
    r"reconnu|communiqué|admis|détaillé|révélé))\s*$",
    _FLAGS,
)
_SINCE_RE = re.compile(r"(?:depuis|à\s+partir\s+d[ue'])\s*(?:le\s+|la\s+|ce\s+|cette\s+)?$", _FLAGS)


def start_rank(mention: DateMention, text: str) -> int:
    """How surely a day is the incident's start: 3 "depuis lundi", 2 a day named with the
    failure, 1 any other day, 0 a day of another event ("une mise à jour déployée dimanche")."""
    before = text[max(0, mention.start_char - 40): mention.start_char]
    if _OTHER_EVENT_RE.search(before):
        return 0
    if mention.role == "start":
        since = _SINCE_RE.search(before) or _rx(r"^depuis\b").match(mention.text)
        return 3 if since else 2
    return 1 if mention.role == "other" else 0


def resolve_incident_dates(
    sentences: Sequence[str | HasText], published: PublishedDate
) -> tuple[date | None, date | None, list[str]]:
    """(start, end, evidence): when the article's own incident began and, if stated, ended.

    The start is the earliest day named in a sentence that speaks of the failure (any day named
    when none does); days after publication, page datelines and "la veille" are not candidates.
    """
    sentences = [as_text(s) for s in sentences]
    text = "\n".join(sentences)
    published = published if published.known else published_from_dateline(text) or published
    pub_latest = published.latest()
    mentions: list[tuple[DateMention, str]] = []
    offsets = []
    pos = 0
    for sentence in sentences:
        offsets.append(pos)
        pos += len(sentence) + 1
    for mention in find_dates(text, published):
        index = max(i for i, off in enumerate(offsets) if off <= mention.start_char)
        mentions.append((mention, sentences[index]))
    candidates = [
        (m, s) for m, s in mentions
        if m.precision == "day" and not m.dateline and not m.relative
        and (pub_latest is None or m.value <= pub_latest)
    ]
    if not candidates:
        return None, None, []
    foreground = [c for c in candidates if not is_background(c[1], published)]
    candidates = foreground or candidates
    ranked = [(start_rank(m, text), m, s) for m, s in candidates]
    best = max(rank for rank, _, _ in ranked)
    _, start_mention, start_sentence = min(
        (r for r in ranked if r[0] == best), key=lambda r: (r[1].value, r[1].start_char)
    )
    start = start_mention.value
    ends = [c for c in candidates if c[0].role == "end" and c[0].value >= start]
    evidence = [start_sentence]
    end = None
    if ends:
        end_mention, end_sentence = max(ends, key=lambda c: (c[0].value, c[0].start_char))
        end = end_mention.value
        if end_sentence not in evidence:
            evidence.append(end_sentence)
    return start, end, evidence
