"""How long an outage lasted, as an hours range: all the article's statements combined.

Articles state the length in figures, vague phrases, time elapsed or still needed, or only as clock
readings; `nlp.duration_phrases` reads the phrases, `nlp.timeline` the clock readings, and this
module combines them per ANNOTATION.md (explicit figures win; several figures span from the
earliest start to the latest recovery).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from datetime import date, timedelta

from pannes.nlp.dates import PublishedDate, background_strength, find_dates
from pannes.nlp.duration_phrases import DurationPhrase, find_duration_phrases
from pannes.nlp.status import HasText, as_text, clause_status, plain, without_inner_dots
from pannes.nlp.timeline import SENTENCE_RE, TimePoint, find_time_points, timeline_hours

from pannes.records import Duration

_F = re.IGNORECASE | re.UNICODE


def combine_durations(
    phrases: Sequence[DurationPhrase],
    *,
    text: str | None = None,
    published: PublishedDate | None = None,
    start: date | None = None,
    points: Sequence[TimePoint] | None = None,
    last_status: str | None = None,
) -> Duration:
    """The incident's duration per ANNOTATION.md from all the phrases that speak of it.

    Explicit figures win over clock readings, which win over vague phrases. Several figures span
    from the earliest start to the latest recovery: elapsed + remaining time, totals, and time to
    full recovery. "plus de X" (or an ongoing "depuis X") reads X..2X unless another figure bounds
    it. `text` lets clock readings ("à 6 heures … toujours pas à 20 h 30") give the length when no
    figure does; `start` and `published` give the time already elapsed for a remaining-only figure.
    `points` (clock readings already found) and `last_status` (the last status the text states,
    `last_status_of(text)`) replace what `text` would give, for a choice among them
    (`nlp.duration_choice`).
    """
    sized = [p for p in phrases if p.hours_min is not None and p.hours_max is not None]
    if points is None:
        points = find_time_points(text, published) if text else []
        last_status = last_status_of(text)
    ongoing = _ongoing(phrases, last_status)
    elapsed_hint = None
    if start is not None and published is not None and published.day is not None:
        elapsed_hint = max(0.0, (published.day - start).days * 24.0)
    cued = [p for p in sized if p.precise and p.cued]
    figure = timeline_hours(points)
    clock_texts = [p.text for p in points if p.role in ("start", "end", "still")]
    if cued:
        low, high, used = _span(cued, elapsed_hint)
        texts = [p.text for p in used]
        if figure is not None and figure[0] <= high * 4 / 3 and figure[1] >= low * 3 / 4:
            # clock readings agreeing with the figures refine them ("29 heures" → 5 h 45 to 11 h)
            low, high = min(low, figure[0]), max(high, figure[1]) if figure[2] is False else high
            texts += clock_texts
        return Duration(_unique(texts), low, high, ongoing)
    if figure is not None:
        low, high, still = figure
        return Duration(_unique(clock_texts), low, high, True if still else ongoing if ongoing is not None else False)
    for group in ([p for p in sized if p.precise], sized):
        if group:
            low, high, used = _span(group, elapsed_hint)
            return Duration(_unique([p.text for p in used]), low, high, ongoing)
    return Duration(_unique([p.text for p in phrases]), None, None, ongoing)


def _unique(texts: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(texts))


def _span(phrases: Sequence[DurationPhrase], elapsed_hint: float | None) -> tuple[float, float, list[DurationPhrase]]:
    """[low, high] spanning several figures: alternative totals give a range, elapsed + remaining
    add up, recovery bounds the end, an open "plus de X" reads X..2X unless something bounds it."""
    elapsed = [p for p in phrases if p.kind == "elapsed"]
    remaining = [p for p in phrases if p.kind == "remaining"]
    recovery = [p for p in phrases if p.kind == "recovery"]
    totals = [p for p in phrases if p.kind in ("total", "vague", "clock_range")]
    lows: list[float] = []  # lower bounds the incident certainly reached
    highs: list[float] = []
    open_lows: list[float] = []  # lower bounds whose upper bound is open ("plus de X")
    if totals:
        top = max(p.hours_min if p.at_least else p.hours_max for p in totals)
        # Several totals are several statements of one length: keep the range they span,
        # leaving out a much shorter one (a few minutes for some users, an hour to diagnose).
        kept = [p for p in totals if (p.hours_min if p.at_least else p.hours_max) >= top / 4]
        lows.append(min(p.hours_min for p in kept))
        for p in kept:
            (open_lows if p.at_least else highs).append(p.hours_min if p.at_least else p.hours_max)
    e_low = max((p.hours_min for p in elapsed), default=None)
    e_high = max((p.hours_max for p in elapsed), default=None)  # "depuis plus de 48 heures": 48 to 96
    if e_low is None and elapsed_hint is not None and (remaining or recovery):
        e_low = e_high = elapsed_hint
    if remaining:
        lows.append((e_low or 0.0) + max(p.hours_min for p in remaining))
        highs.append((e_high or 0.0) + max(p.hours_max for p in remaining))
    elif e_low is not None:
        lows.append(e_low)
        open_lows.append(e_low)
    if not lows and recovery:
        lows.append(max(max(p.hours_min for p in recovery), e_low or 0.0))
    low = max(lows) if lows else 0.0
    for p in recovery:  # counted from the start, unless shorter than what already elapsed
        highs.append(p.hours_max if p.hours_max >= low else (e_high or 0.0) + p.hours_max)
    bounded = [h for h in highs if h > low] or ([] if open_lows else highs)
    high = max(bounded) if bounded else 2 * max(open_lows)
    return round(low, 2), round(max(high, low), 2), list(phrases)


_ONGOING_TEXT = re.compile(
    r"\b(?:toujours\s+pas|pas\s+encore\s+(?:été\s+)?(?:rétabli|résolu|réparé|revenu)|toujours\s+en\s+panne"
    r"|actuellement|en\s+cours\s+de\s+(?:résolution|rétablissement|réparation)|sans\s+savoir\s+quand"
    r"|pour\s+l'instant|pour\s+le\s+moment|reste\s+(?:instable|perturbé)|persist\w*)\b",
    _F,
)


def last_status_of(text: str | None) -> str | None:
    """The last status a text states of the service: "still" (down) or "restored", or None."""
    last = None
    for sentence in SENTENCE_RE.findall(without_inner_dots(plain(text or ""))):
        status = "still" if _ONGOING_TEXT.search(sentence) else clause_status(sentence)
        if status in ("still", "restored"):
            last = status
    return last


def _ongoing(phrases: Sequence[DurationPhrase], last: str | None) -> bool | None:
    """Still unresolved at publication: a phrase says so, or the last status stated is "still"."""
    if any(p.ongoing for p in phrases):
        return True
    if last is not None:
        return last == "still"
    if any(p.ongoing is False for p in phrases):
        return False
    return None


_SINCE_DAY_RE = re.compile(r"(?:depuis|dès|à\s+partir\s+d[eu']|jusqu'(?:à|au|en))\s*(?:le\s+|la\s+|ce\s+|cette\s+)?$", _F)


def start_from_elapsed(sentences: Sequence[str | HasText], published: PublishedDate | None,
                       start: date | None, start_sentence: str | None = None) -> date | None:
    """The start a stated elapsed time gives ("depuis plus de 48 heures", "trois jours après le début"):
    counted back from the day named in its sentence ("…, jeudi matin"), else from publication.

    A day the article names as the start ("depuis lundi") stays the start; the publication day is
    used only when the article names none.
    """
    published = published or PublishedDate()
    texts = [as_text(s) for s in sentences]
    if start is not None:
        if not start_sentence:
            return start
        named = [m for m in find_dates(start_sentence, published) if m.value == start and m.precision == "day"]
        if not named or any(_SINCE_DAY_RE.search(start_sentence[max(0, m.start_char - 30):m.start_char])
                            or m.text.lower().startswith(("depuis", "dès")) for m in named):
            return start
        texts, reference = [start_sentence], start
    elif published.day is not None:
        reference = published.day
    else:
        return None
    elapsed = [p for text in texts if background_strength(text, published) == 0
               for p in find_duration_phrases(text)
               if p.kind == "elapsed" and p.ongoing and p.precise and p.hours_min]
    if not elapsed:
        return start
    return reference - timedelta(days=int(max(p.hours_min for p in elapsed) // 24))


def duration_of(sentences: Sequence[str | HasText], published: PublishedDate | None = None,
                start: date | None = None) -> Duration:
    """The duration of an incident from the sentences that report it (phrases + clock readings).

    Figures in sentences recalling an earlier event ("une précédente panne avait duré trois
    jours") are used only when no other sentence gives one, by a figure or by clock readings.
    """
    published = published or PublishedDate()
    sentences = [as_text(s) for s in sentences]
    text = "\n".join(sentences)
    phrases = find_duration_phrases(text)
    offsets, pos = [], 0
    for sentence in sentences:
        offsets.append(pos)
        pos += len(sentence) + 1
    levels: dict[int, int] = {}  # read only for the sentences that state a figure

    def strength(p: DurationPhrase) -> int:
        i = bisect_right(offsets, p.start_char) - 1
        if i < 0 or p.start_char >= offsets[i] + len(sentences[i]):
            return 0
        if i not in levels:
            levels[i] = background_strength(sentences[i], published, before=start)
        return levels[i]

    phrases = [p for p in phrases if strength(p) < 2]
    own = [p for p in phrases if strength(p) == 0]
    points, last = find_time_points(text, published), last_status_of(text)
    if len(own) < len(phrases) and not any(p.hours_min is not None for p in own):
        # the clock readings of the incident's own sentences come before a recalled figure
        duration = combine_durations(own, published=published, start=start, points=points, last_status=last)
        if duration.hours_min is not None:
            return duration
    if any(p.hours_min is not None for p in own):
        phrases = own
    return combine_durations(phrases, published=published, start=start, points=points, last_status=last)
