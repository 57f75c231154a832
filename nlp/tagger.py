"""The public entry point: `Tagger.load()` then `tag(text, published=..., title=...)` -> Tags."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from pannes.nlp.extensions import register_extensions
from pannes.nlp.features import (
    Candidate,
    Features,
    detail_features,
    org_candidates,
    outage_features,
)
from pannes.nlp.layout import guess_title_end
from pannes.nlp.matmul import use_numpy_blas
from pannes.nlp.pipeline import DETAIL_COMPONENTS, LEARNED_COMPONENTS, build_pipeline
from pannes.nlp.prefilter import Prefilter
from pannes.nlp.spans import remember_text
from pannes.nlp.version import pipeline_version
from spacy.language import Language
from spacy.tokens import Doc

from pannes.records import Duration, Tags

logger = logging.getLogger(__name__)

Published = date | datetime | str | None
# (text, publication date, title) or (text, publication date, title, outlet name)
Item = tuple[str, Published, str | None] | tuple[str, Published, str | None, str | None]


@dataclass
class ArticleFeatures:
    """What the learned decisions read of one article (nlp.features), and the rules' tags."""

    outage: Features
    candidates: list[Candidate]
    details: Features
    rule_tags: dict[str, Any]
    places: list[Any] = field(default_factory=list)  # nlp.region.PlaceMention: the places named


def parse_published(value: Published) -> tuple[date | None, str | None]:
    """(date, precision) from a date, "YYYY-MM-DD[THH:MM]", "YYYY-MM" or None."""
    if value is None or value == "":
        return None, None
    if isinstance(value, datetime):
        return value.date(), "day"
    if isinstance(value, date):
        return value, "day"
    text = str(value).strip()
    try:
        if len(text) == 7:
            return date(int(text[:4]), int(text[5:7]), 1), "month"
        if len(text) == 4:
            return date(int(text), 1, 1), "month"
        return date.fromisoformat(text[:10]), "day"
    except ValueError:
        logger.warning("unreadable publication date %r: tagging without it", value)
        return None, None


class Tagger:
    """Tags French articles: outage or not, vendor, affected, impact, cause, duration, dates."""

    def __init__(self, nlp: Language, prefilter: Prefilter, *, version: str | None = None) -> None:
        register_extensions()
        use_numpy_blas(nlp)
        self.nlp = nlp
        self.prefilter = prefilter
        self.pipeline_version = version or pipeline_version()

    @classmethod
    def load(cls, *, extra_vendor_files: Sequence[Path] = (), models_dir: Path | str | None = None,
             learned: bool = True) -> Tagger:
        """Load the spaCy model and the pannes components (a few seconds; do it once).

        `models_dir` holds the learned decisions (default: the models shipped in nlp/models/).
        `learned=False` gives the rules alone (the features the models decide from)."""
        version = pipeline_version(extra_vendor_files, models_dir)
        tagger = cls(build_pipeline(extra_vendor_files=extra_vendor_files, models_dir=models_dir,
                                    learned=learned),
                     Prefilter.load(), version=version if learned else f"{version}-rules")
        tagger.tag("Lundi, une panne a touché le réseau.", published="2024-01-02")  # loads lazy tables
        return tagger

    # ------------------------------------------------------------------ public

    def tag(self, text: str, *, published: Published = None, title: str | None = None,
            source: str | None = None) -> Tags:
        """Tags of one article; `source` is the outlet publishing it (never vendor nor affected)."""
        return next(self.tag_many([(text, published, title, source)], batch_size=1))

    def tag_many(self, items: Iterable[Item], *, batch_size: int = 32) -> Iterator[Tags]:
        """Tags of many articles, in order; the heavy pipeline runs in batches (`nlp.pipe`),
        the details only on the articles found to be outages."""
        details = [name for name in DETAIL_COMPONENTS if name in self.nlp.pipe_names]
        for docs in self._pipe(items, batch_size, disable=details):
            outages = [doc for doc in docs if doc is not None and doc._.outage.is_outage]
            self._run(outages, details, batch_size)
            yield from (self.not_outage() if doc is None else self.doc_to_tags(doc) for doc in docs)

    def _run(self, docs: list[Doc], names: list[str], batch_size: int) -> None:
        """Run the components `names` on already processed Docs, in pipeline order, in place."""
        if not docs or not names:
            return
        others = [name for name in self.nlp.pipe_names if name not in names]
        for doc, done in zip(docs, self.nlp.pipe(docs, batch_size=batch_size, disable=others), strict=True):
            if done is not doc:
                raise RuntimeError("a detail component returned a new Doc instead of annotating its input")

    def _pipe(self, items: Iterable[Item], batch_size: int, *, disable: list[str]) -> Iterator[list[Doc | None]]:
        """The articles' Docs through the pipeline less `disable`, in order, a chunk at a time
        (None where the prefilter stops an article); `nlp.pipe` batches the ones that pass."""
        iterator = iter(items)
        while chunk := list(islice(iterator, max(1, batch_size) * 4)):
            docs: dict[int, Doc] = {}
            for i, item in enumerate(chunk):
                text, published, title = item[0], item[1], item[2]
                if self.prefilter(text or "", title):
                    docs[i] = self.make_doc(text or "", published=published, title=title,
                                            source=item[3] if len(item) > 3 else None)
            processed = dict(zip(docs, self.nlp.pipe(docs.values(), batch_size=batch_size, disable=disable),
                                 strict=True))
            yield [processed.get(i) for i in range(len(chunk))]

    # ------------------------------------------------------------------ plumbing

    def vendor_groups(self) -> dict[str, str]:
        """Vendor -> its topmost group, from the parents the vendor bases declare."""
        return self.nlp.get_pipe("pannes_vendors").base.groups()

    def feature_docs(self, items: Iterable[Item], *, batch_size: int = 16) -> Iterator[Doc | None]:
        """For training: each article's Doc after the rule components, the details run as if
        it were an outage (None when the prefilter stops it). `doc._.outage` is the rules'."""
        skipped = [n for n in self.nlp.pipe_names if n in DETAIL_COMPONENTS or n in LEARNED_COMPONENTS]
        details = [n for n in DETAIL_COMPONENTS if n in self.nlp.pipe_names and n not in LEARNED_COMPONENTS]
        # training reads every duration phrase candidate, even where the loaded models skip them
        timing = self.nlp.get_pipe("pannes_timing") if "pannes_timing" in self.nlp.pipe_names else None
        gathering = timing.duration_candidates if timing is not None else False
        if timing is not None:
            timing.duration_candidates = True
        try:
            for docs in self._pipe(items, batch_size, disable=skipped):
                found = [doc for doc in docs if doc is not None]
                rules = [doc._.outage for doc in found]
                for doc, rule in zip(found, rules, strict=True):
                    doc._.outage = replace(rule, is_outage=True)
                self._run(found, details, batch_size)
                for doc, rule in zip(found, rules, strict=True):
                    doc._.outage = rule
                yield from docs
        finally:
            if timing is not None:
                timing.duration_candidates = gathering

    def article_features(self, doc: Doc) -> ArticleFeatures:
        """The features of a Doc from `feature_docs`, and the tags the rules give it."""
        base = self.nlp.get_pipe("pannes_vendors").base
        rule = doc._.outage
        outage = outage_features(doc)
        doc._.outage = replace(rule, is_outage=True)
        rule_tags = self.doc_to_tags(doc).to_dict()
        doc._.outage = rule
        rule_tags["rule_outage"] = rule.is_outage
        rule_tags["outage_score"] = rule.score
        places = list(doc._.region.places) if doc._.region is not None else []
        return ArticleFeatures(outage, org_candidates(doc, base, source=doc._.source),
                               detail_features(doc), rule_tags, places)

    def make_doc(self, text: str, *, published: Published = None, title: str | None = None,
                 source: str | None = None) -> Doc:
        """A Doc of the title and text, carrying the publication date for the components."""
        text = text.strip()
        if title and not text.startswith(title.strip()):
            full = title.strip() + "\n\n" + text
            title_end = len(title.strip())
        else:
            full = text
            title_end = len(title.strip()) if title else guess_title_end(text)
        doc = self.nlp.make_doc(full)
        remember_text(doc, full)
        doc._.published, doc._.published_precision = parse_published(published)
        doc._.title_end = title_end
        doc._.source = source
        return doc

    def not_outage(self) -> Tags:
        return Tags(is_outage=False, outage_score=0.0, pipeline_version=self.pipeline_version)

    def doc_to_tags(self, doc: Doc) -> Tags:
        """The Tags record of a processed Doc."""
        outage = doc._.outage
        tags = Tags(is_outage=outage.is_outage, outage_score=outage.score,
                    pipeline_version=self.pipeline_version)
        tags.mentions = list(doc._.mentions or [])
        if tags.mentions:
            tags.evidence["mentions"] = [m.evidence for m in tags.mentions if m.evidence]
        if not outage.is_outage:
            return tags
        evidence = tags.evidence
        evidence["is_outage"] = outage.evidence
        roles = doc._.roles
        tags.vendors, tags.affected = list(roles.vendors), list(roles.affected)
        evidence.update({k: v for k, v in roles.evidence.items() if v})
        impact = doc._.impact
        tags.impact = list(impact.labels)
        if impact.labels:
            evidence["impact"] = list(dict.fromkeys(s for v in impact.evidence.values() for s in v))[:5]
            for label, sentences in impact.evidence.items():
                evidence[f"impact.{label}"] = sentences
        cause = doc._.cause
        tags.cause, tags.cause_ruled_out = cause.cause, list(cause.ruled_out)
        evidence.update({k: v for k, v in cause.evidence.items() if v})
        timing = doc._.timing
        tags.duration = timing.duration if timing is not None else Duration()
        tags.start, tags.end = (timing.start, timing.end) if timing is not None else (None, None)
        if timing is not None:
            evidence.update({k: v for k, v in timing.evidence.items() if v})
        region = doc._.region
        tags.region = list(region.regions)
        if region.evidence:
            evidence["region"] = region.evidence
        users = doc._.users
        tags.users_affected, tags.users_affected_text = users.count, users.text
        if users.evidence:
            evidence["users_affected"] = [users.evidence]
        return tags
