"""Editors correct incidents and articles: the functions the CLI and the dashboard call.

Every function validates its input (raising `CorrectionError`, a `UserInputError`, with an
English message naming the field and what is allowed, and a stable `code` for other wordings), records an audited correction (editor, time,
value before and after) in the store's corrections table, and updates the stored incidents
at once. Corrections are replayed by every later grouping, so they survive `pannes tag
--retag` and regrouping.

    correct_incident(store, "abonnis-2025-03-09-a1", "cause", "configuration_change", "alice")
    correct_article(store, 12, "vendors", "Abonnis, Kiosquia", "alice")
    merge_incidents(store, "abonnis-2025-03-09-a1", "abonnis-2025-03-12-a7", "alice")
    split_incident(store, "abonnis-2025-03-09-a1", [12, 13], "alice")
    history(store, target="incident", target_id="abonnis-2025-03-09-a1")
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from pannes.incidents.fields import (
    ARTICLE_FIELDS,
    INCIDENT_FIELDS,
    CorrectionError,
    FieldSpec,
    apply_to_incident,
    current_value,
    field_specs,
    parse_value,
)
from pannes.incidents.ids import split_incident_id
from pannes.incidents.local import StoredIds, apply_correction, regroup_article
from pannes.incidents.overlay import load_corrections
from pannes.incidents.regroup import regroup
from pannes.store.protocol import Store

from pannes.records import Correction, Incident, Tags

__all__ = [
    "ARTICLE_FIELDS", "INCIDENT_FIELDS", "CorrectionError", "FieldSpec", "correct_article",
    "correct_incident", "corrected_tags", "editable_fields", "history", "merge_incidents",
    "split_incident",
]

# Article fields grouping reads (vendors, dates and their span, outage or not); a correction
# of another field only changes the fields of the article's incident.
GROUPING_FIELDS = {"is_outage", "vendors", "start", "end", "duration", "hours_max", "ongoing"}


def editable_fields(target: str) -> dict[str, FieldSpec]:
    """The fields an editor may correct for 'article' or 'incident' (kind, help, labels)."""
    return dict(field_specs(target))


def _editor(editor: str) -> str:
    name = (editor or "").strip()
    if not name:
        raise CorrectionError("Say who makes the correction (an editor's name).",
                              code="missing_editor", field="editor")
    return name


def _incident(store: Store, incident_id: str) -> Incident:
    incident = store.get_incident(incident_id)
    if incident is None:
        raise CorrectionError(f"No incident {incident_id!r}.", code="unknown_incident",
                              value=incident_id)
    return incident


def _record(store: Store, target: str, target_id: str | int, name: str, value: Any, before: Any,
            editor: str, note: str | None) -> Correction:
    correction = Correction(target=target, target_id=str(target_id), field=name, value=value,
                            editor=editor, before=before, at=datetime.now(UTC), note=note)
    correction.id = store.add_correction(correction)
    return correction


def corrected_tags(store: Store, article_id: int) -> Tags | None:
    """An article's machine tags with editors' corrections applied (what grouping uses)."""
    return store.corrected_tags(int(article_id))


def correct_incident(store: Store, incident_id: str, field: str, value: Any, editor: str,
                     *, note: str | None = None) -> Incident:
    """Set one field of an incident; returns the incident as stored now."""
    editor = _editor(editor)
    incident = _incident(store, incident_id)
    parsed = parse_value("incident", field, value)
    before = current_value(incident, field)
    _record(store, "incident", incident_id, field, parsed, before, editor, note)
    apply_to_incident(incident, field, parsed)
    store.save_incident(incident)
    return incident


def correct_article(store: Store, article_id: int, field: str, value: Any, editor: str,
                    *, note: str | None = None) -> Correction:
    """Set one tag field of an article (or move it: field 'incident'); incidents follow."""
    editor = _editor(editor)
    try:
        article_id = int(article_id)
    except (TypeError, ValueError):
        raise CorrectionError(f"An article id is a number, not {article_id!r}.",
                              code="bad_article_id", value=article_id) from None
    tags = corrected_tags(store, article_id)
    if tags is None:
        if store.get_article(article_id) is None:
            raise CorrectionError(f"No article {article_id}.", code="unknown_article",
                                  value=article_id)
        raise CorrectionError(f"Article {article_id} is not tagged yet: run `pannes tag` first.",
                              code="article_not_tagged", value=article_id)
    parsed = parse_value("article", field, value)
    if field == "incident":
        _incident(store, parsed)
        before = store.incident_of_article(article_id)
        with store.transaction():
            correction = _record(store, "article", article_id, field, parsed, before, editor,
                                 note)
            apply_correction(store, correction, [before, parsed] if before else [parsed],
                             load_corrections(store))
        return correction
    before = current_value(tags, field)
    # The store re-indexes the article's tags with the correction (filters, facets follow).
    if field in GROUPING_FIELDS:
        # It may move the article: regrouped among its vendors' incidents, or by a grouping
        # run (reading only what changed) when that cannot be done.
        with store.transaction():
            correction = _record(store, "article", article_id, field, parsed, before, editor,
                                 note)
            if not regroup_article(store, article_id, load_corrections(store)):
                regroup(store)
        return correction
    with store.transaction():
        correction = _record(store, "article", article_id, field, parsed, before, editor, note)
        incident_id = store.incident_of_article(article_id)
        if incident_id is not None:
            apply_correction(store, correction, [incident_id], load_corrections(store))
    return correction


def merge_incidents(store: Store, into_id: str, other_id: str, editor: str,
                    *, note: str | None = None) -> Incident:
    """Merge incident `other_id` into `into_id` (which keeps its id); returns the result."""
    editor = _editor(editor)
    if into_id == other_id:
        raise CorrectionError("Cannot merge an incident with itself.", code="merge_with_itself",
                              value=other_id)
    into, other = _incident(store, into_id), _incident(store, other_id)
    value = {"from": other.id, "article_ids": list(other.article_ids),
             "mentioned_in": list(other.provenance.get("mentioned_in", [])),
             "vendors": list(other.vendors)}
    before = {"into": list(into.article_ids), "from": list(other.article_ids)}
    with store.transaction():
        correction = _record(store, "incident", into_id, "merge", value, before, editor, note)
        apply_correction(store, correction, [into_id, other_id], load_corrections(store))
    return _incident(store, into_id)


def split_incident(store: Store, incident_id: str, article_ids: Iterable[int | str], editor: str,
                   *, note: str | None = None) -> Incident:
    """Move some articles of an incident into a new incident; returns the new incident."""
    editor = _editor(editor)
    incident = _incident(store, incident_id)
    try:
        ids = sorted({int(a) for a in article_ids})
    except (TypeError, ValueError):
        raise CorrectionError("Article ids are numbers.", code="bad_article_ids",
                              value=list(article_ids)) from None
    if not ids:
        raise CorrectionError("Name the articles to split off.", code="no_articles_to_split",
                              field="articles")
    foreign = [a for a in ids if a not in incident.article_ids]
    if foreign:
        raise CorrectionError(f"Articles {foreign} are not in incident {incident_id!r} "
                              f"(its articles: {incident.article_ids}).",
                              code="articles_not_in_incident", value=foreign,
                              allowed=[str(a) for a in incident.article_ids],
                              incident_id=incident_id)
    if len(ids) == len(set(incident.article_ids)):
        raise CorrectionError("Splitting off every article would leave the incident empty; "
                              "correct its fields instead.", code="split_leaves_empty",
                              value=ids)
    with store.transaction():
        new_id = split_incident_id(incident_id, ids[0], StoredIds(store))
        value = {"new_id": new_id, "article_ids": ids}
        correction = _record(store, "incident", incident_id, "split", value,
                             list(incident.article_ids), editor, note)
        apply_correction(store, correction, [incident_id, new_id], load_corrections(store))
    return _incident(store, new_id)


def history(store: Store, target: str | None = None,
            target_id: str | int | None = None) -> list[Correction]:
    """The audit trail: corrections (who, when, field, before, after), oldest first.

    For an incident, merges and splits that produced it, corrections of its articles and the
    corrections of the incidents merged into it are included.
    """
    if target is None and target_id is None:
        return store.corrections()
    if target == "article":
        return store.corrections("article", str(target_id))
    if target_id is None:
        return store.corrections(target)
    own = store.corrections("incident", str(target_id))
    for source in load_corrections(store).merged_away(str(target_id)):
        own += store.corrections("incident", source)
    incident = store.get_incident(str(target_id))
    members = {str(a) for a in incident.article_ids} if incident else set()
    related = [c for c in store.corrections("article") if c.target_id in members
               or (c.field == "incident" and c.value == str(target_id))]
    made_by_split = [c for c in store.corrections("incident")
                     if c.field == "split" and c.value.get("new_id") == str(target_id)]
    everything = {c.id: c for c in [*own, *related, *made_by_split]}
    return [everything[k] for k in sorted(everything)]
