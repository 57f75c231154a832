"""Merge the tags of an incident's articles into the incident's fields, with provenance.

Rules (each field keeps, in `provenance`, the ids of the articles its value came from):
- start: the earliest stated start; end: the latest stated end;
- vendors, affected, impact, region: the union, most-cited first;
- cause: the best-supported cause, after dropping any cause that every article asserting it
  saw ruled out afterwards (a later day, or the same day by another article); `unknown` when
  none is left;
- duration: the most informative, most recent statement (known hours first, then the latest
  publication, then a finished incident over an ongoing one, then the narrowest range); when
  no article states hours but start and end dates are known, the dates give the range;
- users_affected: the most recent known figure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from pannes.french import MONTHS
from pannes.records import Duration, Incident, Mention, TaggedArticle

UNKNOWN_CAUSE = "unknown"


def _pub_key(item: TaggedArticle) -> tuple[date, int]:
    return (item.article.published or date.min, item.article.id or 0)


def chronological(items: Sequence[TaggedArticle]) -> list[TaggedArticle]:
    """Articles oldest first (unknown publication dates first), ties by id."""
    return sorted(items, key=_pub_key)


def _union(items: Sequence[TaggedArticle], attr: str) -> tuple[list[str], list[int]]:
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    sources: list[int] = []
    for position, item in enumerate(items):
        values = getattr(item.tags, attr) or []
        if values:
            sources.append(item.article.id)
        for value in values:
            counts[value] += 1
            first_seen.setdefault(value, position)
    ordered = sorted(counts, key=lambda v: (-counts[v], first_seen[v]))
    return ordered, sources


def _rules_out_after(ruling: TaggedArticle, backer: TaggedArticle) -> bool:
    """Whether `ruling` comes after `backer`: a later day, or the same day from another article.

    A same-day denial usually answers that day's speculation, so it wins whatever the crawl
    order; an article never rules out its own claim, and an undated one is after nothing.
    """
    ruled_on = ruling.article.published
    if ruled_on is None:
        return False
    asserted_on = backer.article.published or date.min
    if ruled_on != asserted_on:
        return ruled_on > asserted_on
    return _pub_key(ruling) != _pub_key(backer)


def merge_cause(items: Sequence[TaggedArticle]) -> tuple[str, list[str], list[int]]:
    """(cause, causes ruled out, article ids supporting the cause) for articles oldest first."""
    rulings: dict[str, list[TaggedArticle]] = {}
    for item in chronological(items):
        for label in item.tags.cause_ruled_out:
            rulings.setdefault(label, []).append(item)
    support: dict[str, list[TaggedArticle]] = {}
    for item in chronological(items):
        cause = item.tags.cause
        if cause and cause != UNKNOWN_CAUSE:
            support.setdefault(cause, []).append(item)
    candidates = []
    for cause, backers in support.items():
        against = rulings.get(cause, [])
        if against and all(any(_rules_out_after(r, b) for r in against) for b in backers):
            continue  # every article asserting it was answered by a later ruling-out
        latest = max(_pub_key(b) for b in backers)
        candidates.append((len(backers), latest, cause))
    if not candidates:
        return UNKNOWN_CAUSE, sorted(rulings), []
    _, _, cause = max(candidates)
    ruled = sorted(label for label in rulings if label != cause)
    return cause, ruled, [b.article.id for b in support[cause]]


def _duration_key(item: TaggedArticle) -> tuple:
    d = item.tags.duration
    known = d.hours_min is not None or d.hours_max is not None
    width = ((d.hours_max if d.hours_max is not None else d.hours_min or 0)
             - (d.hours_min if d.hours_min is not None else 0))
    return (known, _pub_key(item), d.ongoing is False, -width)


def merge_duration(items: Sequence[TaggedArticle], start: date | None,
                   end: date | None) -> tuple[Duration, list[int]]:
    """The incident's duration and the articles it came from (see the module docstring)."""
    stated = [i for i in items if i.tags.duration.hours_min is not None
              or i.tags.duration.hours_max is not None]
    if stated:
        best = max(stated, key=_duration_key)
        d = best.tags.duration
        return Duration(list(d.text), d.hours_min, d.hours_max, d.ongoing), [best.article.id]
    ongoing = None
    if items:
        latest = max(items, key=_pub_key)
        ongoing = latest.tags.duration.ongoing
    if start is not None and end is not None and end >= start and not ongoing:
        days = (end - start).days
        sources = [i.article.id for i in items if i.tags.start == start or i.tags.end == end]
        return Duration([], float(days * 24), float((days + 1) * 24), False), sources
    texts = [t for i in items for t in i.tags.duration.text]
    return Duration(texts[:3], None, None, ongoing), []


def build_incident(incident_id: str, members: Sequence[TaggedArticle],
                   mentioned_in: Sequence[int] = ()) -> Incident:
    """An incident whose fields are merged from its member articles."""
    items = chronological(members)
    ids = [i.article.id for i in items]
    provenance: dict[str, list[int]] = {}

    starts = [(i.tags.start, i.article.id) for i in items if i.tags.start is not None]
    start = min(d for d, _ in starts) if starts else None
    provenance["start"] = [a for d, a in starts if d == start]
    ends = [(i.tags.end, i.article.id) for i in items if i.tags.end is not None]
    end = max(d for d, _ in ends) if ends else None
    provenance["end"] = [a for d, a in ends if d == end]

    fields: dict[str, list[str]] = {}
    for attr in ("vendors", "affected", "impact", "region"):
        fields[attr], provenance[attr] = _union(items, attr)

    cause, ruled_out, provenance["cause"] = merge_cause(items)
    provenance["cause_ruled_out"] = [i.article.id for i in items
                                     if set(i.tags.cause_ruled_out) & set(ruled_out)]
    duration, provenance["duration"] = merge_duration(items, start, end)

    users = [(i.tags.users_affected, i.article.id) for i in items
             if i.tags.users_affected is not None]
    users_affected, provenance["users_affected"] = (users[-1][0], [users[-1][1]]) if users else (None, [])

    title = next((i.article.title.strip() for i in items if i.article.title.strip()), "")
    if not title:
        title = default_title(fields["vendors"], start or (items[0].article.published if items else None))
    provenance["title"] = [ids[0]] if ids else []
    provenance["mentioned_in"] = sorted(set(mentioned_in))
    return Incident(
        id=incident_id, title=title, vendors=fields["vendors"], affected=fields["affected"],
        impact=fields["impact"], cause=cause, cause_ruled_out=ruled_out, duration=duration,
        start=start, end=end, region=fields["region"], users_affected=users_affected,
        article_ids=ids, known_from_mentions=False, provenance=provenance,
    )


def period_label_fr(label: str) -> str:
    """"2011-10" -> "octobre 2011", "2011" -> "2011", "2021-03-10" -> "10 mars 2021"."""
    parts = label.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return label


def _of(phrase: str) -> str:
    """French "de" with elision: "d'octobre 2011", "de mars 2021", "du 10 mars 2021"."""
    if phrase[:1].isdigit() and len(phrase) > 4:
        return f"du {phrase}"
    return f"d'{phrase}" if phrase[:1] in "aeiouyéâ" else f"de {phrase}"


def default_title(vendors: Sequence[str], when: date | None) -> str:
    """A French title for an incident whose articles have none."""
    who = vendors[0] if vendors else "Fournisseur inconnu"
    if when is None:
        return f"{who} : panne"
    return f"{who} : panne {_of(period_label_fr(when.isoformat()))}"


def build_mentioned_incident(incident_id: str, vendor: str, period_label: str, start: date,
                             mentions: Sequence[tuple[int, Mention]]) -> Incident:
    """An incident known only from later articles mentioning it in passing."""
    sources = sorted({a for a, _ in mentions})
    region: list[str] = []
    for _, m in mentions:
        region += [r for r in m.region if r not in region]
    with_hours = [(a, m) for a, m in mentions if m.hours_min is not None or m.hours_max is not None]
    duration, duration_from = Duration(), []
    if with_hours:
        a, m = max(with_hours, key=lambda am: (am[0], -((am[1].hours_max or 0) - (am[1].hours_min or 0))))
        duration = Duration([m.duration_text] if m.duration_text else [], m.hours_min, m.hours_max, False)
        duration_from = [a]
    causes = [(a, m.cause) for a, m in mentions if m.cause and m.cause != UNKNOWN_CAUSE]
    cause = Counter(c for _, c in causes).most_common(1)[0][0] if causes else UNKNOWN_CAUSE
    title = f"{vendor} : panne {_of(period_label_fr(period_label))} (connue par des mentions)"
    return Incident(
        id=incident_id, title=title, vendors=[vendor], cause=cause, duration=duration,
        start=start, region=region, article_ids=[], known_from_mentions=True,
        provenance={"vendors": sources, "start": sources, "duration": duration_from,
                    "cause": [a for a, c in causes if c == cause], "region":
                    [a for a, m in mentions if m.region], "mentioned_in": sources},
    )
