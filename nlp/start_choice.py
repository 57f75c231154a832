"""Which day named in the article is the start of the incident reported: candidates, features.

`nlp.dates.resolve_incident_dates` ranks the days an article names by hand ("depuis lundi" over
a day named with the failure over any other day, the earliest among equals). Here each day is a
`StartCandidate` with features of the mention (its rank and role by those rules, how far before
publication, earliest or latest, the words around it) and of its sentence (`nlp.duration_choice`
sentence features); a linear model (`nlp.decisions.decide_start`) gives P(the incident began
that day), and the likeliest day is the start when the model is sure enough, else none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pannes.nlp.dates import PublishedDate, find_dates, published_from_dateline, start_rank
from pannes.nlp.duration_choice import Features, Sentence, context_words, sentence_features
from pannes.nlp.linear import LinearModel


@dataclass(frozen=True)
class StartCandidate:
    """A day the article names, with the features the choice reads."""

    value: date
    text: str
    sentence: int
    features: Mapping[str, float]


def _before_publication(value: date, published: PublishedDate) -> str:
    latest = published.latest()
    if latest is None:
        return "unknown"
    days = (latest - value).days
    for bound, name in ((0, "0"), (1, "1"), (3, "2-3"), (7, "4-7"), (31, "8-31"), (366, "32-366")):
        if days <= bound:
            return name
    return "older"


def start_candidates(sentences: Sequence[Sentence], own: Sequence[int], published: PublishedDate
                     ) -> list[StartCandidate]:
    """Every day (to the day) named in the incident's own sentences, not a page's dateline nor
    after publication, with its features."""
    own_texts = [sentences[i].text for i in own]
    text = "\n".join(own_texts)
    if not published.known:
        published = published_from_dateline(text) or published
    latest = published.latest()
    offsets, pos = [], 0
    for t in own_texts:
        offsets.append(pos)
        pos += len(t) + 1
    raw = []
    for mention in find_dates(text, published):
        if mention.precision != "day" or mention.dateline or (latest is not None and mention.value > latest):
            continue
        j = max(k for k, off in enumerate(offsets) if off <= mention.start_char)
        raw.append((mention, j))
    values = [m.value for m, _ in raw]
    cache: dict[int, Features] = {}
    out = []
    for mention, j in raw:
        i = own[j]
        if i not in cache:
            cache[i] = sentence_features(sentences[i], i, published, None)
        f: Features = {"bias": 1.0, f"rank={start_rank(mention, text)}": 1.0, f"role={mention.role}": 1.0,
                       f"before_pub={_before_publication(mention.value, published)}": 1.0}
        for flag in ("night", "relative"):
            if getattr(mention, flag):
                f[flag] = 1.0
        if mention.value == min(values):
            f["earliest"] = 1.0
        if mention.value == max(values):
            f["latest"] = 1.0
        if values.count(mention.value) > 1:
            f["repeated"] = 1.0
        f[f"days_named={min(len(set(values)), 4)}"] = 1.0
        f.update(context_words(sentences[i].text, mention.start_char - offsets[j], mention.end_char - offsets[j]))
        f.update(cache[i])
        out.append(StartCandidate(mention.value, mention.text, i, f))
    return out


def start_probabilities(model: LinearModel, candidates: Sequence[StartCandidate]) -> list[float]:
    yes = model.classes[-1]
    return [model.proba(c.features)[yes] for c in candidates]


def choose_start(candidates: Sequence[StartCandidate], probabilities: Sequence[float], threshold: float,
                 rule_resolved: date | None, rule: date | None) -> date | None:
    """The likeliest day when the model is sure enough; the rules' start (with its count back
    from an elapsed time) when that day is the one the rules resolved."""
    if not candidates:
        return rule
    best = max(range(len(candidates)), key=lambda k: probabilities[k])
    if probabilities[best] < threshold:
        return None
    value = candidates[best].value
    return rule if value == rule_resolved else value


def start_labels(candidates: Sequence[StartCandidate], gold: Mapping[str, Any]) -> list[str]:
    """"yes" for the days equal to the gold start."""
    value = gold.get("start")
    try:
        day = date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        day = None
    return ["yes" if day is not None and c.value == day else "no" for c in candidates]


__all__ = ["StartCandidate", "start_candidates", "start_probabilities", "choose_start", "start_labels"]
