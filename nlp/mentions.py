"""Earlier incidents the article recalls in passing ("la panne mondiale d'octobre 2011").

Runs of `retro` sentences become one mention each: the organisation named (else the article's
vendor), the month or year stated, the duration phrase, the users phrase and the places.
"""

from __future__ import annotations

import re
from datetime import date

from pannes.nlp.duration_phrases import find_duration_phrases
from pannes.nlp.extensions import register_extensions
from pannes.nlp.spans import span_text
from pannes.nlp.users import VAGUE
from spacy.language import Language
from spacy.tokens import Doc

from pannes.french import MONTHS
from pannes.records import Mention

# "le 17 octobre", "du 9 au 10 mars 2025": the first day named
DAY_MONTH = re.compile(r"\b(\d{1,2})(?:er)?(?:\s+au\s+\d{1,2}(?:er)?)?\s+(" + "|".join(MONTHS)
                       + r")\b(?:\s+(\d{4}))?", re.I)
MONTH_YEAR = re.compile(r"\b(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.I)
MONTH_LAST = re.compile(r"\b(" + "|".join(MONTHS) + r")\s+(?:dernier|passé)\b", re.I)
YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")
WORLD = re.compile(r"\bmondiale?\b|\bmonde entier\b", re.I)


def when_of(text: str, published: date | None) -> str | None:
    """The day ("YYYY-MM-DD"), month ("YYYY-MM") or year an earlier incident is dated to."""
    m = DAY_MONTH.search(text)
    if m and (m.group(3) or published is not None):
        month = MONTHS.index(m.group(2).lower()) + 1
        year = int(m.group(3)) if m.group(3) else published.year - ((month, int(m.group(1))) > (
            published.month, published.day))
        try:
            return date(year, month, int(m.group(1))).isoformat()
        except ValueError:
            pass
    m = MONTH_YEAR.search(text)
    if m:
        return f"{int(m.group(2)):04d}-{MONTHS.index(m.group(1).lower()) + 1:02d}"
    m = MONTH_LAST.search(text)
    if m and published is not None:
        month = MONTHS.index(m.group(1).lower()) + 1
        year = published.year if month < published.month else published.year - 1
        return f"{year:04d}-{month:02d}"
    m = YEAR.search(text)
    return m.group(1) if m else None


class MentionFinder:
    """Builds `Mention` records from runs of sentences recalling an earlier incident."""

    def __init__(self, nlp: Language, name: str = "pannes_mentions") -> None:
        register_extensions()
        self.name = name

    def initialize(self, *args: object, **kwargs: object) -> None:
        """Nothing to load."""

    def __call__(self, doc: Doc) -> Doc:
        groups: list[list] = []
        previous_end = -1
        for scope in doc._.sent_scopes or []:
            if scope.kind != "retro" or not (scope.cues or groups and previous_end == scope.start):
                continue
            if groups and previous_end == scope.start:
                groups[-1].append(scope)
            else:
                groups.append([scope])
            previous_end = scope.end
        roles = doc._.roles
        default_vendor = roles.vendors[0] if roles is not None and roles.vendors else None
        mentions = []
        for group in groups:
            start, end = group[0].start, group[-1].end
            text = span_text(doc, start, end)
            orgs = [m.name for m in doc._.orgs or [] if start <= m.start < end]
            phrases = find_duration_phrases(text)
            users = VAGUE.search(text)
            mention = Mention(
                vendor=orgs[0] if orgs else default_vendor,
                when=when_of(text, doc._.published),
                duration_text=phrases[0].text if phrases else None,
                hours_min=phrases[0].hours_min if phrases else None,
                hours_max=phrases[0].hours_max if phrases else None,
                users_affected_text=users.group(0) if users else None,
                region=["monde"] if WORLD.search(text) else [],
                evidence=text.strip(),
            )
            mentions.append(mention)
        doc._.mentions = mentions
        return doc


@Language.factory("pannes_mentions", assigns=["doc._.mentions"],
                  requires=["doc._.sent_scopes", "doc._.orgs", "doc._.roles"])
def make_mention_finder(nlp: Language, name: str) -> MentionFinder:
    return MentionFinder(nlp, name)
