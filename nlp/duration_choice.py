"""Which time and duration phrases belong to the incident reported: candidates and features.

The phrase readers (`nlp.duration_phrases`, `nlp.timeline`) find every figure, vague phrase and
clock reading of an article; most belong to its incident, some to an earlier one recalled in
passing, to an anecdote ("la page met trente secondes à charger") or to a schedule. Each one
becomes a `TimingCandidate` with features of the phrase (kind, size, cue words around it), of
its sentence (scope, tense, whether it recalls an earlier event, names the failure or the
vendor) and of the article (how many figures, whether the rules used it). A linear model
(`nlp.decisions.decide_duration`) keeps the ones that belong; `combine_chosen` reads the
duration from those alone, by the same combination as the rules (`nlp.duration`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pannes.nlp.dates import PublishedDate, background_strength
from pannes.nlp.duration import combine_durations, last_status_of
from pannes.nlp.duration_phrases import DurationPhrase, find_duration_phrases
from pannes.nlp.linear import LinearModel
from pannes.nlp.modality import assertion, governing_verb, is_conditional, is_future, is_pluperfect
from pannes.nlp.status import (
    OUTAGE_CUE_RE,
    RESTORED_CUE_RE,
    STILL_CUE_RE,
    clause_around,
    clause_status,
    plain,
)
from pannes.nlp.timeline import TimePoint, find_time_points

from pannes.records import Duration

Features = dict[str, float]

_WORD_RE = re.compile(r"[\w'-]+", re.UNICODE)
_UNIT_RE = re.compile(r"(seconde|minute|min\b|heure|\bh\b|journée|jour|nuit|semaine|mois|week-?end"
                      r"|matinée|soirée|après-midi)", re.IGNORECASE)
_PLUPERFECT_RE = re.compile(r"\b(?:avait|avaient|s'était|s'étaient)\s+(?:\w+\s+)?\w+(?:é|ée|és|ées|i|is|u|us)\b",
                            re.IGNORECASE)
_QUOTE_RE = re.compile(r"[«»\"“”]")


@dataclass(frozen=True)
class TimingCandidate:
    """A duration phrase or a clock reading, with the features the choice reads."""

    text: str
    sentence: int  # index of its sentence in the article
    features: Mapping[str, float]
    phrase: DurationPhrase | None = None
    point: TimePoint | None = None


@dataclass
class TimingCandidates:
    """Every timing candidate of an article and what combining a choice of them needs."""

    candidates: list[TimingCandidate] = field(default_factory=list)
    published: PublishedDate = field(default_factory=PublishedDate)
    start: date | None = None
    last_status: str | None = None  # the last status the incident's sentences state
    rule: Duration = field(default_factory=Duration)  # what the rules combined
    starts: list[Any] = field(default_factory=list)  # nlp.start_choice.StartCandidate: the days named
    rule_resolved: date | None = None  # the start day the rules chose among them


@dataclass(frozen=True)
class Sentence:
    """One sentence of the article as the candidate features see it."""

    text: str
    scope: str = "incident"  # nlp.outage.SentenceScope.kind
    in_title: bool = False
    tenses: tuple[str, ...] = ()  # the spaCy morphology of its verbs: "Tense=Past", "Mood=Cnd"
    names_vendor: bool = False


def magnitude(hours: float | None) -> str:
    """A bucket of a length in hours, on a log scale: how long a figure says."""
    if hours is None:
        return "none"
    for bound, name in ((0.02, "seconds"), (0.3, "minutes"), (1.5, "hour"), (6, "hours"), (20, "halfday"),
                        (50, "day"), (170, "days"), (800, "weeks"), (5000, "months")):
        if hours <= bound:
            return name
    return "years"


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(text)]


def _position(index: int) -> str:
    return str(index) if index < 3 else "3-5" if index < 6 else "6-10" if index < 11 else "11+"


def sentence_features(sentence: Sentence, index: int, published: PublishedDate, start: date | None
                      ) -> Features:
    """What a sentence says of the incident its figures belong to."""
    text = plain(sentence.text)
    f: Features = {f"scope={sentence.scope}": 1.0, f"sent_pos={_position(index)}": 1.0}
    if sentence.in_title:
        f["in_title"] = 1.0
    strength = background_strength(text, published, before=start)
    f[f"background={strength}"] = 1.0
    f[f"status={clause_status(text) or 'none'}"] = 1.0
    for name, regex in (("cue_outage", OUTAGE_CUE_RE), ("cue_restored", RESTORED_CUE_RE),
                        ("cue_still", STILL_CUE_RE), ("pluperfect", _PLUPERFECT_RE), ("quote", _QUOTE_RE)):
        if regex.search(text):
            f[name] = 1.0
    if text.rstrip().endswith("?"):
        f["question"] = 1.0
    if sentence.names_vendor:
        f["names_vendor"] = 1.0
    for tense in sentence.tenses:
        f[f"verb:{tense}"] = 1.0
    return f


def context_words(sentence: str, start: int, end: int) -> Features:
    """Words just before and after a phrase in its sentence ("pendant", "de panne", "plus tard"),
    its own words ("environ", "depuis"), and what its clause says of the service."""
    before, after = _words(sentence[:start])[-3:], _words(sentence[end:])[:3]
    f: Features = {f"clause={clause_status(clause_around(sentence, start, end)) or 'none'}": 1.0}
    for word in _words(sentence[start:end]):
        if not word.isdigit():
            f[f"w:in:{word}"] = 1.0
    for i, word in enumerate(reversed(before)):
        f[f"w:b:{word}"] = 1.0
        if i == 0:
            f[f"w:b1:{word}"] = 1.0
    for i, word in enumerate(after):
        f[f"w:a:{word}"] = 1.0
        if i == 0:
            f[f"w:a1:{word}"] = 1.0
    return f


def phrase_features(phrase: DurationPhrase, sentence: str, offset: int) -> Features:
    """What a duration phrase is: its kind, its size, what the rules read of it, its cue words."""
    f: Features = {"cand=phrase": 1.0, f"kind={phrase.kind}": 1.0,
                   f"size={magnitude(phrase.hours_max)}": 1.0,
                   f"kind_size={phrase.kind}|{magnitude(phrase.hours_max)}": 1.0,
                   f"ongoing={phrase.ongoing}": 1.0}
    for flag in ("precise", "cued", "at_least"):
        if getattr(phrase, flag):
            f[flag] = 1.0
    unit = _UNIT_RE.search(phrase.text)
    if unit:
        f[f"unit={unit.group(1).lower()}"] = 1.0
    if phrase.hours_max is not None:
        f["log_hours"] = math.log10(max(phrase.hours_max, 1 / 60) * 60) / 6  # 0 (a minute) to ~1 (years)
    f.update(context_words(sentence, phrase.start_char - offset, phrase.end_char - offset))
    return f


def point_features(point: TimePoint, sentence: str, offset: int) -> Features:
    """What a clock reading is: the moment it marks (start, end, still down), how precise."""
    f: Features = {"cand=point": 1.0, f"role={point.role}": 1.0}
    if point.precise:
        f["precise"] = 1.0
    if point.dated:
        f["dated"] = 1.0
    f.update(context_words(sentence, point.start_char - offset, point.end_char - offset))
    return f


def syntax_features(span: Any) -> Features:
    """What the parse says of a phrase (a spaCy Span): the verb it hangs on ("durer", "charger",
    "rétablir"), how it attaches, and whether that clause is in the future, the conditional,
    the pluperfect, negated or asked."""
    if span is None or not len(span):
        return {}
    root = span.root
    f: Features = {f"dep={root.dep_.split(':')[0]}": 1.0}
    head = root.head if root.head is not root else None
    if head is not None and not (span.start <= head.i < span.end):
        f[f"w:head:{head.lemma_.lower()}"] = 1.0
    verb = governing_verb(head if head is not None else root)
    if verb is not None:
        f[f"w:verb:{verb.lemma_.lower()}"] = 1.0
        if is_pluperfect(verb):
            f["clause_pluperfect"] = 1.0
    if is_future(root):
        f["clause_future"] = 1.0
    if is_conditional(root):
        f["clause_conditional"] = 1.0
    f[f"assertion={assertion(root)}"] = 1.0
    return f


def _sentence_index(offsets: Sequence[int], lengths: Sequence[int], position: int) -> int | None:
    for i in range(len(offsets) - 1, -1, -1):
        if offsets[i] <= position:
            return i if position <= offsets[i] + lengths[i] else None
    return None


def _offsets(texts: Sequence[str]) -> list[int]:
    out, pos = [], 0
    for text in texts:
        out.append(pos)
        pos += len(text) + 1
    return out


def timing_candidates(sentences: Sequence[Sentence], own: Sequence[int], published: PublishedDate,
                      start: date | None, rule: Duration,
                      syntax: Callable[[int, int, int], Features] | None = None) -> TimingCandidates:
    """Every duration phrase of the article's sentences and every clock reading of its own
    (incident) sentences, with their features.

    `own` lists the indexes of the sentences the rules read the incident from; phrases of the
    others (an earlier incident recalled, a guide's hypothetical) are candidates too, marked by
    their sentence's scope. The clock readings are read from the own sentences together, as the
    rules do, since a reading takes its day from the readings before it. `syntax(sentence index,
    start, end)` gives the parse features of a phrase (`syntax_features`), when a parse is at hand."""
    texts = [s.text for s in sentences]
    offsets = _offsets(texts)
    lengths = [len(t) for t in texts]
    full = "\n".join(texts)
    own_texts = [texts[i] for i in own]
    own_offsets = _offsets(own_texts)
    own_text = "\n".join(own_texts)
    used = set(rule.text)
    sentence_cache: dict[int, Features] = {}

    def sentence_of(i: int) -> Features:
        if i not in sentence_cache:
            sentence_cache[i] = sentence_features(sentences[i], i, published, start)
        return sentence_cache[i]

    raw: list[tuple[int, Features, DurationPhrase | None, TimePoint | None, str]] = []
    for phrase in find_duration_phrases(full):
        i = _sentence_index(offsets, lengths, phrase.start_char)
        if i is None:
            continue
        f = phrase_features(phrase, texts[i], offsets[i])
        if syntax is not None:
            f.update(syntax(i, phrase.start_char - offsets[i], phrase.end_char - offsets[i]))
        raw.append((i, f, phrase, None, phrase.text))
    for point in find_time_points(own_text, published) if own_text else []:
        j = _sentence_index(own_offsets, [len(t) for t in own_texts], point.start_char)
        if j is None:
            continue
        i = own[j]
        f = point_features(point, texts[i], own_offsets[j])
        if syntax is not None:
            f.update(syntax(i, point.start_char - own_offsets[j], point.end_char - own_offsets[j]))
        raw.append((i, f, None, point, point.text))
    hours = [p.hours_max for _, _, p, _, _ in raw if p is not None and p.hours_max is not None]
    count: dict[float, int] = {}
    for h in hours:
        count[h] = count.get(h, 0) + 1
    phrase_sentences = sorted({i for i, _, p, _, _ in raw if p is not None})
    candidates = []
    for i, f, phrase, point, text in raw:
        f = dict(f)
        f.update(sentence_of(i))
        if i not in own:
            f["not_own"] = 1.0
        if text in used:
            f["rule_used"] = 1.0
        if phrase is not None and phrase.hours_max is not None:
            if phrase.hours_max == max(hours):
                f["largest"] = 1.0
            if phrase.hours_max == min(hours) and len(hours) > 1:
                f["smallest"] = 1.0
            if count[phrase.hours_max] > 1:
                f["repeated"] = 1.0
            if phrase_sentences and i == phrase_sentences[0]:
                f["first_figure_sentence"] = 1.0
        f[f"figures={min(len(hours), 4)}"] = 1.0
        candidates.append(TimingCandidate(text, i, f, phrase, point))
    return TimingCandidates(candidates, published, start, last_status_of(own_text), rule)


def combine_chosen(timing: TimingCandidates, keep: Sequence[bool]) -> Duration:
    """The duration the kept candidates give (no candidate kept: no duration)."""
    phrases = [c.phrase for c, k in zip(timing.candidates, keep, strict=True) if k and c.phrase is not None]
    points = [c.point for c, k in zip(timing.candidates, keep, strict=True) if k and c.point is not None]
    if not phrases and not points:
        return Duration([], None, None, timing.rule.ongoing)
    points.sort(key=lambda p: p.start_char)
    return combine_durations(phrases, published=timing.published, start=timing.start, points=points,
                             last_status=timing.last_status)


def without_context_words(features: Mapping[str, float]) -> Features:
    return {k: v for k, v in features.items() if not k.startswith("w:")}


def candidate_probabilities(model: LinearModel, timing: TimingCandidates, *, words: bool = True
                            ) -> list[float]:
    """P(belongs to the incident reported) of each candidate."""
    yes = model.classes[-1]
    return [model.proba(c.features if words else without_context_words(c.features))[yes] for c in timing.candidates]


def choose(timing: TimingCandidates, probabilities: Sequence[float], threshold: float) -> Duration:
    """The duration of the candidates at or above the threshold."""
    return combine_chosen(timing, [p >= threshold for p in probabilities])


# ---------------------------------------------------------------------------- supervision

_SPACE_RE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE_RE.sub(" ", plain(text).lower()).strip()


def belongs(candidate_text: str, gold_texts: Sequence[str]) -> bool:
    """Whether a candidate is one of the phrases the annotator gave for the duration: one
    contains the other, or they share most of the shorter one."""
    from difflib import SequenceMatcher

    c = _norm(candidate_text)
    if not c:
        return False
    for gold in gold_texts:
        g = _norm(gold)
        if not g:
            continue
        if c in g or g in c:
            return True
        match = SequenceMatcher(None, c, g, autojunk=False).find_longest_match(0, len(c), 0, len(g))
        if match.size >= 5 and match.size >= 0.6 * min(len(c), len(g)):
            return True
    return False


def candidate_labels(timing: TimingCandidates | None, gold: Mapping[str, Any]) -> list[str]:
    """"yes" for each candidate the gold duration names, "no" for the others."""
    if timing is None:
        return []
    texts = list(((gold.get("duration") or {}).get("text")) or [])
    return ["yes" if belongs(c.text, texts) else "no" for c in timing.candidates]


__all__ = ["TimingCandidate", "TimingCandidates", "Sentence", "timing_candidates", "combine_chosen",
           "belongs", "candidate_labels", "candidate_probabilities", "choose", "magnitude"]
