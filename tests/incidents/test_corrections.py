"""Editors' corrections: validated, audited, win over machine tags, survive retag and regroup."""

from __future__ import annotations

import copy

import pytest
from pannes.incidents.corrections import (
    CorrectionError,
    correct_article,
    correct_incident,
    corrected_tags,
    editable_fields,
    history,
    merge_incidents,
    split_incident,
)
from pannes.incidents.regroup import regroup


def _retag_everything(store, change=None):
    """What `pannes tag --retag` does to the store: rewrite every article's tags."""
    for article in store.iter_articles():
        tags = store.get_tags(article.id)
        if tags is None:
            continue
        tags = copy.deepcopy(tags)
        tags.pipeline_version = "retagged"
        if change:
            change(tags)
        store.save_tags(article.id, article.version, tags)


def test_incident_field_correction_is_audited_and_wins(grouped_store, hexaline):
    assert hexaline.cause == "software_bug"
    result = correct_incident(grouped_store, hexaline.id, "cause", "hardware", "alice",
                              note="rapport final")
    assert result.cause == "hardware" and result.provenance["cause"] == []
    assert grouped_store.get_incident(hexaline.id).cause == "hardware"
    [audit] = history(grouped_store, "incident", hexaline.id)
    assert (audit.editor, audit.field, audit.before, audit.value, audit.note) == \
        ("alice", "cause", "software_bug", "hardware", "rapport final")
    assert audit.at is not None


def test_corrections_survive_a_full_retag_and_regroup(grouped_store, hexaline):
    store = grouped_store
    some_article = hexaline.article_ids[0]
    correct_incident(store, hexaline.id, "cause", "hardware", "alice")
    correct_incident(store, hexaline.id, "duration", "8-10", "alice")
    correct_article(store, some_article, "affected", "Client A, Client B", "bob")

    def machine_changes(tags):
        tags.cause = "unknown" if tags.is_outage else None
        tags.affected = ["Machine Says"] if tags.is_outage else []

    _retag_everything(store, machine_changes)
    assert store.get_tags(some_article).affected == ["Machine Says"]  # the tags table is machine
    regroup(store)
    regroup(store, rebuild=True)
    incident = store.get_incident(hexaline.id)
    assert incident is not None and incident.article_ids == hexaline.article_ids
    assert incident.cause == "hardware"
    assert (incident.duration.hours_min, incident.duration.hours_max) == (8, 10)
    assert "Client A" in incident.affected and "Client B" in incident.affected
    assert corrected_tags(store, some_article).affected == ["Client A", "Client B"]
    assert regroup(store).changed is False


def test_merge_then_split_then_retag(grouped_store, hexaline, incident_at):
    store = grouped_store
    other = incident_at(store, "Hexaline", "2026-11-18")
    merged = merge_incidents(store, hexaline.id, other.id, "carol")
    assert merged.id == hexaline.id
    assert sorted(merged.article_ids) == sorted(hexaline.article_ids + other.article_ids)
    assert store.get_incident(other.id) is None
    assert merged.start.isoformat() == "2024-10-17"

    moved = sorted(other.article_ids)
    new = split_incident(store, hexaline.id, moved, "carol")
    assert new.id != hexaline.id and sorted(new.article_ids) == moved
    assert sorted(store.get_incident(hexaline.id).article_ids) == sorted(hexaline.article_ids)

    _retag_everything(store)
    regroup(store)
    assert sorted(store.get_incident(hexaline.id).article_ids) == sorted(hexaline.article_ids)
    assert sorted(store.get_incident(new.id).article_ids) == moved
    assert regroup(store).changed is False
    fields = [c.field for c in history(store, "incident", hexaline.id)]
    assert fields == ["merge", "split"]
    assert [c.field for c in history(store, "incident", new.id)] == ["split"]


def test_merge_survives_a_rebuild_from_scratch(grouped_store, hexaline, incident_at):
    store = grouped_store
    other = incident_at(store, "Hexaline", "2026-11-18")
    merge_incidents(store, hexaline.id, other.id, "carol")
    regroup(store, rebuild=True)
    assert set(other.article_ids) <= set(store.get_incident(hexaline.id).article_ids)
    assert store.get_incident(other.id) is None


def test_field_corrections_of_a_merged_away_incident_carry_over(grouped_store, hexaline, incident_at):
    store = grouped_store
    other = incident_at(store, "Hexaline", "2026-11-18")
    correct_incident(store, other.id, "users_affected", "5000", "carol", note="communiqué")
    correct_incident(store, other.id, "cause", "power", "carol")
    correct_incident(store, hexaline.id, "cause", "hardware", "alice")
    merge_incidents(store, hexaline.id, other.id, "alice")
    merged = store.get_incident(hexaline.id)
    assert merged.users_affected == 5000  # only the merged-away incident set it
    assert merged.cause == "hardware"  # both set it: the surviving incident's correction wins
    audit = history(store, "incident", hexaline.id)
    assert [(c.target_id, c.field) for c in audit] == [
        (other.id, "users_affected"), (other.id, "cause"), (hexaline.id, "cause"),
        (hexaline.id, "merge")]
    assert audit[0].note == "communiqué"
    # Replayed by every later grouping, incremental or from scratch, and after a retag.
    _retag_everything(store)
    for rebuild in (False, True):
        regroup(store, rebuild=rebuild)
        merged = store.get_incident(hexaline.id)
        assert (merged.users_affected, merged.cause) == (5000, "hardware")


def test_corrections_follow_a_chain_of_merges(grouped_store, hexaline, incident_at):
    store = grouped_store
    middle = incident_at(store, "Hexaline", "2026-11-18")
    last = next(i for i in store.list_incidents() if i.id not in {hexaline.id, middle.id}
                and not i.known_from_mentions)
    correct_incident(store, last.id, "title", "Titre de l'incident absorbé", "carol")
    correct_incident(store, last.id, "region", "Bretagne", "carol")
    correct_incident(store, middle.id, "region", "Normandie", "carol")
    merge_incidents(store, middle.id, last.id, "carol")
    merge_incidents(store, hexaline.id, middle.id, "alice")
    merged = store.get_incident(hexaline.id)
    assert merged.title == "Titre de l'incident absorbé" and merged.region == ["Normandie"]
    assert {c.target_id for c in history(store, "incident", hexaline.id)} == \
        {hexaline.id, middle.id, last.id}


def test_article_corrections_move_articles(grouped_store, hexaline, incident_at):
    store = grouped_store
    article_id = hexaline.article_ids[-1]
    correct_article(store, article_id, "is_outage", "non", "dan")
    assert article_id not in store.get_incident(hexaline.id).article_ids
    assert store.incident_of_article(article_id) is None
    correct_article(store, article_id, "is_outage", "oui", "dan")
    assert store.incident_of_article(article_id) == hexaline.id
    other = incident_at(store, "Hexaline", "2026-11-18")
    correct_article(store, article_id, "incident", other.id, "dan")
    assert store.incident_of_article(article_id) == other.id
    _retag_everything(store)
    regroup(store)
    assert store.incident_of_article(article_id) == other.id
    audit = history(store, "article", article_id)
    assert [(c.field, c.before, c.value) for c in audit] == [
        ("is_outage", True, False), ("is_outage", False, True), ("incident", hexaline.id, other.id)]


@pytest.mark.parametrize(("field", "value", "needle"), [
    ("colour", "red", "Unknown field 'colour'"),
    ("cause", "hardwar", "Did you mean 'hardware'"),
    ("impact", "service_unavailable, nope", "Unknown label 'nope' for impact"),
    ("start", "17/10/2024", "YYYY-MM-DD"),
    ("duration", "10-8", "less than"),
    ("users_affected", "many", "must be a number"),
])
def test_invalid_incident_corrections_are_refused_clearly(grouped_store, hexaline, field, value,
                                                          needle):
    with pytest.raises(CorrectionError, match=needle) as info:
        correct_incident(grouped_store, hexaline.id, field, value, "erin")
    assert info.value.field == field
    assert grouped_store.corrections() == []


def test_other_refusals(grouped_store, hexaline):
    store = grouped_store
    with pytest.raises(CorrectionError, match="No incident"):
        correct_incident(store, "nope", "cause", "power", "erin")
    with pytest.raises(CorrectionError, match="editor"):
        correct_incident(store, hexaline.id, "cause", "power", " ")
    with pytest.raises(CorrectionError, match="itself"):
        merge_incidents(store, hexaline.id, hexaline.id, "erin")
    with pytest.raises(CorrectionError, match="not in incident"):
        split_incident(store, hexaline.id, [999999], "erin")
    with pytest.raises(CorrectionError, match="empty"):
        split_incident(store, hexaline.id, hexaline.article_ids, "erin")
    with pytest.raises(CorrectionError, match="No article"):
        correct_article(store, 999999, "cause", "power", "erin")
    with pytest.raises(CorrectionError, match="No incident"):
        correct_article(store, hexaline.article_ids[0], "incident", "nope", "erin")
    assert store.corrections() == []


def test_editable_fields_describe_labels():
    fields = editable_fields("incident")
    assert "cause" in fields and "hardware" in fields["cause"].allowed
    assert "is_outage" in editable_fields("article") and "is_outage" not in fields


def test_merge_split_move_and_fields_rewrite_only_the_incidents_they_name(grouped_store, hexaline,
                                                                           incident_at, caplog):
    """Applied to the incidents they touch, each correction (and an article field grouping
    does not read) leaves the store as a full
    regroup (every text read again, every incident merged again) would: it changes nothing
    after them, and the other incidents' rows are not rewritten."""
    store = grouped_store
    other = incident_at(store, "Hexaline", "2026-11-18")

    def written() -> dict[str, str]:
        with store.db.read() as conn:
            return dict(conn.execute("SELECT id, updated_at FROM incidents").fetchall())

    def check(action, named):
        before = written()
        action()
        after = written()
        assert {i for i in after if after[i] != before.get(i)} <= set(named)
        assert not regroup(store, recompute=True).changed

    check(lambda: merge_incidents(store, hexaline.id, other.id, "carol"), {hexaline.id})
    moved = sorted(other.article_ids)
    new_ids = []
    check(lambda: new_ids.append(split_incident(store, hexaline.id, moved, "carol").id),
          {hexaline.id, *[f"{hexaline.id.rsplit('-a', 1)[0]}-a{moved[0]}"]})
    article_id = moved[0]
    check(lambda: correct_article(store, article_id, "incident", hexaline.id, "dan"),
          {hexaline.id, new_ids[0]})
    assert store.incident_of_article(article_id) == hexaline.id
    assert store.get_incident(other.id) is None
    check(lambda: correct_article(store, article_id, "impact", "data_loss", "dan"),
          {hexaline.id})
    assert "data_loss" in store.get_incident(hexaline.id).impact
    # After those, a field grouping reads is still regrouped among the vendor's incidents.
    def logged_end_correction():
        with caplog.at_level("INFO", logger="pannes.incidents"):
            correct_article(store, article_id, "end", "2024-10-19", "dan")
        assert any("in scope" in r.getMessage() for r in caplog.records)
        assert not any(r.getMessage().startswith("Grouping:") for r in caplog.records)

    check(logged_end_correction, {hexaline.id, new_ids[0]})


@pytest.mark.parametrize(("field", "value"), [("end", "2024-10-20"), ("vendors", "Hexaline"),
                                              ("is_outage", "non")])
def test_fields_grouping_reads_regroup_the_article_among_its_vendors(grouped_store, hexaline,
                                                                     field, value, caplog):
    """A correction of vendors, dates or outage regroups the article among the incidents of
    its vendors (not every incident), and a full regroup then finds nothing to change."""
    store = grouped_store
    article_id = hexaline.article_ids[-1]
    with caplog.at_level("INFO", logger="pannes.incidents"):
        correct_article(store, article_id, field, value, "dan")
    assert any("in scope" in r.getMessage() for r in caplog.records)
    assert not any(r.getMessage().startswith("Grouping:") for r in caplog.records)
    assert not regroup(store, recompute=True).changed
    if field == "is_outage":
        assert store.incident_of_article(article_id) is None
