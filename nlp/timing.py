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
from pannes.nlp.extensions import register_extensions
from pannes.nlp.spans import span_text
from spacy.language import Language
from spacy.tokens import Doc

from pannes.records import Duration


@dataclass
class TimingResult:
    duration: Duration = field(default_factory=Duration)
    start: date | None = None
    end: date | None = None
    evidence: dict[str, list[str]] = field(default_factory=dict)


def own_sentences(doc: Doc) -> list[str]:
    """Texts of the sentences that may speak of the article's own incident, in order."""
    return [span_text(doc, s.start, s.end).strip() for s in doc._.sent_scopes or [] if s.own]


class TimingReader:
    """Wraps the duration and date functions; runs them on the incident's own sentences."""

    def __init__(self, nlp: Language, name: str = "pannes_timing") -> None:
        register_extensions()
        self.name = name

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
        if duration.text:
            result.evidence["duration"] = [s for s in sentences
                                           if any(t in s for t in duration.text)][:3]
        doc._.timing = result
        return doc


@Language.factory("pannes_timing", assigns=["doc._.timing"], requires=["doc._.sent_scopes", "doc._.outage"])
def make_timing_reader(nlp: Language, name: str) -> TimingReader:
    return TimingReader(nlp, name)
