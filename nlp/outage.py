"""Outage detection: does the article report a concrete incident? Score, evidence, sentence scopes.

Each sentence is put in a scope: `incident` (tells of the article's own outage), `retro` (an
earlier incident recalled in passing), `hypothetical` (a guide's "en cas de panne"), or
`other`. Metaphors ("en panne d'idées"), negated, hedged and questioned cues do not count.
A date well before publication marks a recalled incident, except in an article whose subject
is that incident (a report, a fine, a trial): see `SentenceScoper._subject_dates`.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from datetime import date

import numpy
from pannes.nlp.component import LexiconComponent
from pannes.nlp.cues import Cue
from pannes.nlp.extensions import register_extensions
from pannes.nlp.modality import (
    denies_ability,
    finite_tenses,
    governing_verb,
    in_question,
    is_future,
    is_hedged,
    is_modal,
    is_negated,
    is_planned,
    is_simulated,
)
from pannes.nlp.spans import sent_text, sentence_of, span_text
from spacy.attrs import LOWER, MORPH, POS, SENT_START
from spacy.language import Language
from spacy.symbols import VERB
from spacy.tokens import Doc, Span, Token

from pannes.french import MONTHS as FRENCH_MONTHS

MONTHS = {m: i for i, m in enumerate(FRENCH_MONTHS, 1)}
DAY_MONTH = re.compile(r"\b(\d{1,2})(?:er)?\s+(" + "|".join(MONTHS) + r")\b(?:\s+(\d{4}))?", re.I)
YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")
MONTH_ONLY = re.compile(r"\b(?:début|mi-|fin|courant|en)\s*(" + "|".join(MONTHS) + r")\b(?!\s+\d)", re.I)
MONTH_YEAR = re.compile(r"\b(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.I)
# "un incident de cette ampleur peut se reproduire demain": a modal with these is a forecast,
# whatever day the sentence also names ("Aujourd'hui, c'est mieux, mais ...")
# A sentence about a competitor or another place: its denial ("aucun incident") is not one.
FOREIGN_RE = re.compile(r"\b(?:concurrente?s?|rivale?s?|rivaux|en revanche|à l'inverse|à l’inverse)\b")
FORECAST_RE = re.compile(r"\b(?:demain|avenir|reproduire|bientôt|prochainement)\b")
SECOND_PERSON = frozenset({"vous", "votre", "vos"})
RECENT_DAYS = 8  # a date further back names an earlier incident, unless the article is about it


@dataclass
class SentenceScope:
    """How one sentence relates to the article's own incident."""

    start: int
    end: int
    kind: str  # "incident", "retro", "hypothetical", "other"
    weight: float = 0.0
    anchored: bool = False
    in_title: bool = False
    cues: list[Cue] = field(default_factory=list)

    @property
    def own(self) -> bool:
        """True when the sentence may speak of the article's own incident."""
        return self.kind in {"incident", "other"}


@dataclass
class OutageResult:
    is_outage: bool
    score: float
    evidence: list[str] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)


@dataclass
class _Reading:
    """What the scoper reads in one sentence."""

    sent: Span
    valid: list[Cue]  # outage cues that are asserted, not metaphors
    in_title: bool
    anchored: bool  # a day, an hour, a date
    tenses: set[str]
    far: bool  # states a date well before publication
    near: bool  # states a date close to it
    marked: bool  # "rappelons que", "l'an dernier", "il y a deux ans"
    hypothetical: bool  # "en cas de panne"
    recent: bool  # "hier", "mardi", "ce matin": a day close to publication
    followup: bool  # "rapport", "amende", "procès": an event that follows an incident
    planned: bool  # "maintenance programmée", "pour une opération de maintenance"
    unplanned: bool  # "imprévue", "a mal tourné", "plus longtemps que prévu"
    dates: list[tuple[date, str]]  # stated dates, when they are all well before publication

    @property
    def reports(self) -> bool:
        """True when the sentence tells of a failure as a fact, not as background."""
        return bool(self.valid) and not self.marked and not self.hypothetical \
            and not (self.tenses and self.tenses <= {"pluperfect", "conditional"})


def _cannot(token: Token) -> bool:
    """True when the token hangs on a denied "pouvoir" stated as a fact ("les clients ne
    peuvent plus payer"): the sentence tells what happened, though it reads as a modal."""
    verb = governing_verb(token)
    if verb is None:
        return False
    modal = verb if verb.lemma_ == "pouvoir" else verb.head if verb.dep_ == "xcomp" else None
    return modal is not None and denies_ability(modal)


def _about_others(doc: Doc, cue: Cue) -> bool:
    """True when the sentence of a denial speaks of someone else: "chez son concurrent,
    aucun incident n'a été signalé" denies nothing of the article's own outage."""
    sent = sentence_of(doc[cue.start])
    return FOREIGN_RE.search(sent_text(sent).lower()) is not None


def _forecast(sent: Span) -> bool:
    """True when the sentence has a word of the future ("demain", "se reproduire")."""
    return FORECAST_RE.search(sent_text(sent).lower()) is not None


def _starts_a_date(doc: Doc, cue: Cue) -> bool:
    """"samedi 1er mars": a weekday that opens an explicit date does not say "recently"."""
    return cue.end < len(doc) and doc[cue.end].like_num


def _far_past(text: str, published: date | None, precision: str | None) -> tuple[bool, bool]:
    """(has an explicit date well before publication, has one close to it)."""
    far = near = False
    if published is None:
        return False, False
    for match in DAY_MONTH.finditer(text):
        day, month = int(match.group(1)), MONTHS[match.group(2).lower()]
        year = int(match.group(3)) if match.group(3) else published.year
        if not match.group(3) and month > published.month:
            year -= 1
        try:
            when = date(year, month, day)
        except ValueError:
            continue
        if precision == "month":
            delta = (published.year - when.year) * 12 + published.month - when.month
            far = far or delta >= 2
            near = near or delta < 2
            continue
        days = (published - when).days
        if days > RECENT_DAYS:
            far = True
        elif days >= -1:
            near = True
    for match in MONTH_ONLY.finditer(text):
        month = MONTHS[match.group(1).lower()]
        delta = (published.month - month) % 12
        if delta >= 2:
            far = True
        else:
            near = True
    for match in YEAR.finditer(text):
        if int(match.group(1)) < published.year:
            far = True
        else:
            near = True
    return far, near


def _stated_dates(text: str, published: date | None) -> list[tuple[date, str]]:
    """The dates a sentence states, each with its grain ("day", "month" or "year")."""
    if published is None:
        return []
    out: list[tuple[date, str]] = []
    taken: list[tuple[int, int]] = []
    for match in DAY_MONTH.finditer(text):
        month = MONTHS[match.group(2).lower()]
        year = int(match.group(3)) if match.group(3) else published.year - (month > published.month)
        try:
            out.append((date(year, month, int(match.group(1))), "day"))
        except ValueError:
            continue
        taken.append(match.span())
    for regex in (MONTH_YEAR, MONTH_ONLY):
        for match in regex.finditer(text):
            if any(a <= match.start() < b for a, b in taken):
                continue
            month = MONTHS[match.group(1).lower()]
            year = int(match.group(2)) if regex is MONTH_YEAR else published.year - (month > published.month)
            out.append((date(year, month, 1), "month"))
            taken.append(match.span())
    for match in YEAR.finditer(text):
        if not any(a <= match.start() < b for a, b in taken):
            out.append((date(int(match.group(1)), 1, 1), "year"))
    return out


def _same_date(a: tuple[date, str], b: tuple[date, str]) -> bool:
    """True when two stated dates may name the same day, at the coarser grain of the two."""
    grains = {a[1], b[1]}
    if "year" in grains:
        return a[0].year == b[0].year
    if "month" in grains:
        return (a[0].year, a[0].month) == (b[0].year, b[0].month)
    return abs((a[0] - b[0]).days) <= 1


def _second_person_sentences(doc: Doc) -> int:
    """How many sentences address the reader: "vous", "votre", or a verb in the imperative."""
    strings = doc.vocab.strings
    lowers = doc.to_array(LOWER)
    marked = numpy.isin(lowers, [strings.add(w) for w in SECOND_PERSON])
    verbs = doc.to_array(POS) == VERB
    if verbs.any():
        morphs = doc.to_array(MORPH)
        imperative = {int(m) for m in numpy.unique(morphs[verbs]).tolist() if _imperative(strings[m])}
        if imperative:
            marked |= verbs & numpy.isin(morphs, list(imperative))
    if not marked.any():
        return 0
    sentence_of = numpy.cumsum(doc.to_array(SENT_START) == 1)
    return len(set(sentence_of[marked].tolist()))


def _imperative(morph: str) -> bool:
    return any(f == "Mood=Imp" or (f.startswith("Mood=") and "Imp" in f[5:].split(","))
               for f in morph.split("|"))


def _cues_by_sentence(doc: Doc) -> dict[int, dict[str, list[Cue]]]:
    """The cues of the Doc by the first token of their sentence, then by label."""
    starts = [sent.start for sent in doc.sents]
    out: dict[int, dict[str, list[Cue]]] = {}
    for cue in doc._.cues or []:
        start = starts[bisect.bisect_right(starts, cue.start) - 1]
        out.setdefault(start, {}).setdefault(cue.label, []).append(cue)
    return out


def cues_by_label(doc: Doc) -> dict[str, list[Cue]]:
    by_label: dict[str, list[Cue]] = {}
    for cue in doc._.cues or []:
        by_label.setdefault(cue.label, []).append(cue)
    return by_label


class SentenceScoper(LexiconComponent):
    """Matches the outage cues and puts each sentence in a scope (incident, retro, ...)."""

    default_file = "outage_cues.jsonl"

    def __call__(self, doc: Doc) -> Doc:
        doc._.cues = self.match(doc)
        by_sentence = _cues_by_sentence(doc)
        sents = list(doc.sents)
        readings = [self._read(doc, sent, by_sentence.get(sent.start, {})) for sent in sents]
        subject = self._subject_dates(readings)
        scopes = [self._scope(doc, r, subject) for r in readings]
        self._carry_retro(sents, scopes)
        doc._.sent_scopes = scopes
        return doc

    # ------------------------------------------------------------------ sentences

    def _valid_outage_cue(self, doc: Doc, cue: Cue, metaphors: list[Cue]) -> bool:
        if any(m.start <= cue.start < m.end for m in metaphors):
            return False
        head = doc[cue.start:cue.end].root
        negated = is_negated(head)
        if cue.row.get("polarity") == "function":
            return negated and not in_question(head)
        if negated or in_question(head) or is_hedged(head) or is_simulated(head):
            return False
        return True

    @staticmethod
    def _planned(doc: Doc, reading: _Reading) -> bool:
        """True when the sentence announces planned work, not a failure: every cue is an
        unavailability ("sera indisponible", "une coupure est prévue", "interrompu pour une
        opération de maintenance") and nothing says it went wrong ("a mal tourné", "imprévue")."""
        if not reading.valid or reading.unplanned:
            return False
        for cue in reading.valid:
            head = doc[cue.start:cue.end].root
            if not cue.row.get("state") or not (reading.planned or is_future(head) or is_planned(head)):
                return False
        return True

    def _read(self, doc: Doc, sent: Span, by_label: dict[str, list[Cue]]) -> _Reading:
        """What one sentence says, before it is put in a scope (`by_label`: its own cues)."""
        metaphors = by_label.get("metaphor", [])
        valid = [c for c in by_label.get("outage", []) if self._valid_outage_cue(doc, c, metaphors)]
        text = sent_text(sent)
        far, near = _far_past(text, doc._.published, doc._.published_precision)
        recent = any(not _starts_a_date(doc, c) for c in by_label.get("recent", []))
        return _Reading(
            sent=sent, valid=valid,
            in_title=sent.start_char < doc._.title_end,
            anchored=bool(by_label.get("anchor")),
            tenses=finite_tenses(sent) if valid else set(),  # read only for incident sentences
            far=far, near=near,
            marked=bool(by_label.get("retro")),
            hypothetical=bool(by_label.get("hypothetical")),
            recent=recent,
            followup=bool(by_label.get("followup")),
            planned=bool(by_label.get("planned")),
            unplanned=bool(by_label.get("unplanned")),
            dates=_stated_dates(text, doc._.published) if far and not near else [],
        )

    @staticmethod
    def _subject_dates(readings: list[_Reading]) -> list[tuple[date, str]]:
        """The dates of the incident the article is about, when that incident is an old one.

        A report, a follow-up, a trial or a fine may come weeks after the incident: when the
        title (or, without one, the first sentence telling of a failure) reports an incident
        dated well before publication, and no sentence tells of a newer one, the sentences
        dated like it speak of the article's own incident, not of an earlier one.
        """
        reports = [r for r in readings if r.reports]
        if any(r.near or (r.recent and not r.followup) for r in reports):
            return []  # the article is about a recent incident
        titles = [r for r in readings if r.in_title]
        if titles and not any(r.reports or r.followup for r in titles):
            return []  # the title is about something else: old incidents are recalled
        # a title on the follow-up ("SFR condamné à une amende") leaves the lead to date it
        lead = [r for r in titles if r.reports]
        lead += [r for r in reports if not r.in_title][:1]
        return [d for r in lead for d in r.dates]

    def _scope(self, doc: Doc, reading: _Reading, subject: list[tuple[date, str]]) -> SentenceScope:
        sent, valid, tenses = reading.sent, reading.valid, reading.tenses
        anchored, in_title, marked = reading.anchored, reading.in_title, reading.marked
        own_date = any(_same_date(d, s) for d in reading.dates for s in subject)
        retro = marked or (reading.far and not reading.near and not own_date)
        hypothetical = reading.hypothetical
        if valid and not hypothetical and all(is_modal(doc[c.start:c.end].root)
                                              and not _cannot(doc[c.start:c.end].root) for c in valid) \
                and (not anchored or _forecast(sent)) and not (tenses & {"perfect", "simple_past"}):
            hypothetical = True  # "des incidents ... peuvent bloquer l'accès"
        if retro and (marked or not in_title):
            kind = "retro"
        elif hypothetical:
            kind = "hypothetical"
        elif valid and not self._planned(doc, reading):
            kind = "incident"
        else:
            kind = "other"  # no failure told, or planned work announced
        weight = max((c.weight for c in valid), default=0.0)
        concrete = anchored or bool(tenses & {"perfect", "simple_past", "imperfect"})
        if kind == "incident" and not concrete:
            if tenses == {"present"} and all(self._generic(doc, c) for c in valid):
                kind = "hypothetical"  # "d'autres pannes passent inaperçues"
            if not in_title:
                weight *= 0.6
        if kind == "incident" and anchored and tenses & {"perfect", "simple_past", "imperfect"}:
            weight *= 1.25  # a dated event in the past tense: the surest sign of a report
        if kind == "incident" and len(sent) < 4 and not in_title:
            weight *= 0.5  # a heading or a caption fragment
        return SentenceScope(sent.start, sent.end, kind, weight, anchored, in_title, valid)

    @staticmethod
    def _generic(doc: Doc, cue: Cue) -> bool:
        """A plural cue with an indefinite or demonstrative determiner: pannes in general."""
        head = doc[cue.start:cue.end].root
        if "Plur" not in head.morph.get("Number") or not head.dep_.startswith("nsubj"):
            return False
        dets = {c.lower_ for c in head.children if c.dep_ == "det"}
        return not dets or bool(dets & {"des", "d'", "d’", "ces", "les", "certaines", "certains",
                                        "autres", "de", "plusieurs", "nombreuses"})

    @staticmethod
    def _carry_retro(sents: list[Span], scopes: list[SentenceScope]) -> None:
        """A past-tense sentence right after a recalled incident goes on recalling it."""
        for i in range(1, len(scopes)):
            if scopes[i - 1].kind != "retro" or scopes[i].anchored or scopes[i].in_title:
                continue
            tenses = finite_tenses(sents[i])
            if tenses and tenses <= {"pluperfect", "imperfect", "conditional"}:
                scopes[i].kind = "retro"


class OutageDecider:
    """Decides whether the article reports an outage: incident sentences, minus the signs of a
    guide, a market story, a denial, or a failure that no organisation is tied to."""

    def __init__(self, nlp: Language, name: str = "pannes_outage", *, threshold: float = 0.5,
                 no_vendor_penalty: float = 0.8) -> None:
        register_extensions()
        self.name = name
        self.threshold = threshold
        self.no_vendor_penalty = no_vendor_penalty

    def initialize(self, *args: object, **kwargs: object) -> None:
        """Nothing to load: the cues were matched by `pannes_scopes`."""

    @staticmethod
    def _in(cue: Cue, sent: Span) -> bool:
        return sent.start <= cue.start < sent.end

    def __call__(self, doc: Doc) -> Doc:
        doc._.outage = self._decide(doc, list(doc.sents), doc._.sent_scopes or [], cues_by_label(doc))
        return doc

    def _decide(self, doc: Doc, sents: list[Span], scopes: list[SentenceScope],
                by_label: dict[str, list[Cue]]) -> OutageResult:
        incident = [s for s in scopes if s.kind == "incident"]
        body = [s for s in incident if not s.in_title]
        strength = sum(s.weight for s in body)
        if any(s.in_title for s in incident) and body:
            strength += 0.5
        title_sents = [s for s in sents if s.start_char < doc._.title_end]
        guide_in_title = any(self._in(c, s) for c in by_label.get("guide", []) for s in title_sents)
        ratio = _second_person_sentences(doc) / max(1, len(sents))
        penalty = 0.0
        if guide_in_title:
            penalty += 1.5
        if ratio > 0.25:
            penalty += 1.0
        business = len(by_label.get("business", []))
        if business >= 2:
            penalty += 0.4 * min(business, 4)
        denial = sum(1 for c in by_label.get("denial", []) if not _about_others(doc, c))
        penalty += 1.0 * min(denial, 3)
        roles = doc._.roles
        if roles is not None and not roles.vendors:
            penalty += self.no_vendor_penalty
        elif roles is not None and body and roles.scores.get(roles.vendors[0], 0.0) >= 2.0:
            strength += 0.4  # a named organisation tied to the failure
        value = max(0.0, strength - penalty)
        score = 1.0 - math.exp(-value / 1.2)
        evidence = [span_text(doc, s.start, s.end).strip()
                    for s in sorted(body or incident, key=lambda s: -s.weight)[:3]]
        features = {"strength": strength, "penalty": penalty, "second_person": ratio,
                    "incident_sentences": float(len(incident))}
        return OutageResult(score >= self.threshold, round(score, 3), evidence, features)


@Language.factory(
    "pannes_scopes",
    assigns=["doc._.sent_scopes", "doc._.cues"],
    requires=["token.dep", "token.morph", "token.lemma", "doc.sents"],
    default_config={"data_file": ""},
)
def make_sentence_scoper(nlp: Language, name: str, data_file: str) -> SentenceScoper:
    return SentenceScoper(nlp, name, data_file=data_file)


@Language.factory(
    "pannes_outage",
    assigns=["doc._.outage"],
    requires=["doc._.sent_scopes", "doc._.roles"],
    default_config={"threshold": 0.5, "no_vendor_penalty": 0.8},
)
def make_outage_decider(nlp: Language, name: str, threshold: float,
                        no_vendor_penalty: float) -> OutageDecider:
    return OutageDecider(nlp, name, threshold=threshold, no_vendor_penalty=no_vendor_penalty)
