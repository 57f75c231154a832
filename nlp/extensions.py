"""The Doc and Span attributes the pannes components set, registered once."""

from __future__ import annotations

from spacy.tokens import Doc

DOC_EXTENSIONS: dict[str, object] = {
    "published": None,  # datetime.date or None: the publication date
    "published_precision": None,  # "day", "month" or None
    "title_end": 0,  # character offset where the title (prepended to the text) ends
    "cues": None,  # list[nlp.cues.Cue]: outage cue matches
    "sent_scopes": None,  # list[nlp.outage.SentenceScope], in sentence order
    "outage": None,  # nlp.outage.OutageResult
    "rule_outage": None,  # nlp.outage.OutageResult: the rules' verdict, when a model replaced it
    "orgs": None,  # list[nlp.vendors.OrgMention]
    "org_stats": None,  # dict[str, nlp.roles.OrgStats]: what the text says of each organisation
    "roles": None,  # nlp.roles.RoleResult
    "source": None,  # str or None: the outlet publishing the article (never vendor nor affected)
    "impact": None,  # nlp.impact.ImpactResult
    "cause": None,  # nlp.cause.CauseResult
    "region": None,  # nlp.region.RegionResult
    "users": None,  # nlp.users.UsersResult
    "timing": None,  # nlp.timing.TimingResult
    "mentions": None,  # list[pannes.records.Mention]
}


def register_extensions() -> None:
    """Register the `._.` attributes once (safe to call many times)."""
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
