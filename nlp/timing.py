"""Duration and start/end dates of the article's own incident, as a spaCy component.

The phrase finding and normalisation live in `nlp.duration` and `nlp.dates` (pure functions);
this component decides which sentences speak of the article's own incident (not an earlier
one recalled in passing, not a guide's hypothetical) and hands only those over.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pannes.nlp.dates import forget_texts, parse_published, resolve_incident_dates
from pannes.nlp.duration import duration_of, start_from_elapsed
from pannes.nlp.duration_choice import (
    Sentence,
    TimingCandidates,
    syntax_features,
    timing_candidates,
)
from pannes.nlp.extensions import register_extensions
from pannes.nlp.spans import span_text
from pannes.nlp.start_choice import start_candidates
from spacy.language import Language
from spacy.tokens import Doc

from pannes.records import Duration


@dataclass
class TimingResult:
    duration: Duration = field(default_factory=Duration)
    start: date | None = None
    end: date | None = None
    evidence: dict[str, list[str]] = field(default_factory=dict)
    candidates: TimingCandidates | None = None  # every phrase the learned choice reads


def own_sentences(doc: Doc) -> list[str]:
    """Texts of the sentences that may speak of the article's own incident, in order."""
    return [span_text(doc, s.start, s.end).strip() for s in doc._.sent_scopes or [] if s.own]


_TENSE_POS = frozenset({"VERB", "AUX"})


def article_sentences(doc: Doc) -> tuple[list[Sentence], list[int], list[int]]:
    """Every sentence of the article (with its scope, verb tenses, whether it names the rules'
    vendor), the indexes of the ones that may speak of its own incident, and where each one's
    text starts in the Doc's text."""
    roles = doc._.roles
    vendors = [v.lower() for v in (roles.vendors if roles is not None else [])]
    out: list[Sentence] = []
    own: list[int] = []
    starts: list[int] = []
    for scope in doc._.sent_scopes or []:
        raw = span_text(doc, scope.start, scope.end)
        text = raw.strip()
        if not text:
            continue
        starts.append(doc[scope.start:scope.end].start_char + len(raw) - len(raw.lstrip()))
        tenses = sorted({f"{key}={value}" for t in doc[scope.start:scope.end] if t.pos_ in _TENSE_POS
                         for key, value in t.morph.to_dict().items() if key in ("Tense", "Mood")})
        lowered = text.lower()
        if scope.own:
            own.append(len(out))
        out.append(Sentence(text, scope.kind, scope.in_title, tuple(tenses),
                            any(v and v in lowered for v in vendors)))
    return out, own, starts


def sentence_texts(doc: Doc) -> list[str]:
    """The texts of `article_sentences`, in the same order (what a candidate's index points to)."""
    texts = (span_text(doc, s.start, s.end).strip() for s in doc._.sent_scopes or [])
    return [t for t in texts if t]


def duration_evidence(sentences: list[str], duration: Duration) -> list[str]:
    """The sentences stating a duration's phrases (at most three)."""
    return [s for s in sentences if any(t in s for t in duration.text)][:3]


class TimingReader:
    """Wraps the duration and date functions; runs them on the incident's own sentences."""

    def __init__(self, nlp: Language, name: str = "pannes_timing") -> None:
        register_extensions()
        self.name = name
        # Whether to gather the duration phrase candidates (nlp.duration_choice): training reads
        # them; the tagger skips them when its models leave duration to the rules (a fifth of
        # this component's time). Set by the learned details component (nlp.learned).
        self.duration_candidates = True

    def initialize(self, *args: object, **kwargs: object) -> None:
        """Nothing to load: the patterns live in nlp.duration_phrases, nlp.clock and nlp.dates."""

    def __call__(self, doc: Doc) -> Doc:
        result = TimingResult()
        outage = doc._.outage
        if outage is None or not outage.is_outage:
            doc._.timing = result
            return doc
        forget_texts()  # a new article: the dates of the previous one will not be asked again
        sentences = [s for s in own_sentences(doc) if s]
        value = doc._.published
        if value is not None and doc._.published_precision == "month":
            value = value.strftime("%Y-%m")
        published = parse_published(value)
        start, end, date_evidence = resolve_incident_dates(sentences, published)
        resolved = start
        start = start_from_elapsed(sentences, published, start, date_evidence[0] if date_evidence else None)
        if end is not None and start is not None and end < start:
            end = None
        result.start, result.end = start, end
        if date_evidence:
            result.evidence["start"] = list(date_evidence[:1])
            if end is not None:
                result.evidence["end"] = list(date_evidence[-1:])
        duration = duration_of(sentences, published, start)
        result.duration = Duration(list(duration.text), duration.hours_min, duration.hours_max,
                                   duration.ongoing)
        result.evidence["duration"] = duration_evidence(sentences, result.duration)
        all_sentences, own, starts = article_sentences(doc)

        def syntax(i: int, begin: int, end: int) -> dict[str, float]:
            return syntax_features(doc.char_span(starts[i] + begin, starts[i] + end, alignment_mode="expand"))

        if self.duration_candidates:
            result.candidates = timing_candidates(all_sentences, own, published, start, result.duration, syntax)
        else:
            result.candidates = TimingCandidates(published=published, start=start, rule=result.duration)
        result.candidates.starts = start_candidates(all_sentences, own, published)
        result.candidates.rule_resolved = resolved
        doc._.timing = result
        return doc


@Language.factory("pannes_timing", assigns=["doc._.timing"], requires=["doc._.sent_scopes", "doc._.outage"])
def make_timing_reader(nlp: Language, name: str) -> TimingReader:
    return TimingReader(nlp, name)
