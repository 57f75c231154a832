"""Grouping rules on small hand-written cases: dates, vendors, follow-ups, memory, mentions."""

from __future__ import annotations

from pannes.incidents.assemble import group_articles

from pannes.records import Mention

CLOUD = ("Le datacenter de Nimbus à Lyon a subi une coupure électrique : les clients "
         "hébergés, dont plusieurs mairies, n'avaient plus accès à leurs serveurs virtuels.")
FOLLOW_UP = ("Nimbus a publié son rapport : l'onduleur du datacenter lyonnais a lâché, "
             "privant les serveurs virtuels des mairies clientes de courant pendant six heures.")
OTHER = ("Nouvelle panne chez Nimbus : cette fois une mise à jour de son interface "
         "d'administration empêche les clients de créer des machines.")


def _members(incidents):
    return sorted(sorted(i.article_ids) for i in incidents if i.article_ids)


def test_same_vendor_close_dates_make_one_incident_far_dates_another(item):
    items = [
        item(1, "Panne électrique chez Nimbus", CLOUD, published="2025-02-03",
             vendors=["Nimbus"], start="2025-02-03", ongoing=True),
        item(2, "Nimbus explique sa panne", FOLLOW_UP, published="2025-02-10",
             vendors=["Nimbus"], start="2025-02-03", end="2025-02-03", hours=(6, 6)),
        item(3, "Nimbus encore en panne", OTHER, published="2025-05-20",
             vendors=["Nimbus"], start="2025-05-20"),
    ]
    incidents = group_articles(items)
    assert _members(incidents) == [[1, 2], [3]]


def test_different_vendors_same_day_stay_apart(item):
    items = [
        item(1, "Panne chez Nimbus", CLOUD, published="2025-02-03", vendors=["Nimbus"],
             start="2025-02-03"),
        item(2, "Panne chez Stratus", CLOUD.replace("Nimbus", "Stratus"), published="2025-02-03",
             vendors=["Stratus"], start="2025-02-03"),
    ]
    assert _members(group_articles(items)) == [[1], [2]]


def test_near_vendor_names_are_one_vendor(item):
    items = [
        item(1, "Panne chez OVH", CLOUD, published="2025-02-03", vendors=["OVH"],
             start="2025-02-03"),
        item(2, "OVHcloud s'explique", FOLLOW_UP, published="2025-02-04", vendors=["OVHcloud"],
             start="2025-02-03"),
    ]
    assert _members(group_articles(items)) == [[1, 2]]


def test_follow_up_without_event_dates_joins_on_content(item):
    items = [
        item(1, "Panne électrique chez Nimbus", CLOUD, published="2025-02-03",
             vendors=["Nimbus"], start="2025-02-03"),
        item(2, "Nimbus publie son rapport sur la panne de Lyon", FOLLOW_UP,
             published="2025-02-20", vendors=["Nimbus"]),
    ]
    assert _members(group_articles(items)) == [[1, 2]]


def test_merged_fields_and_provenance(item):
    items = [
        item(1, "Panne électrique chez Nimbus", CLOUD, published="2025-02-03",
             vendors=["Nimbus"], start="2025-02-03", ongoing=True, hours=(2, 12),
             ruled_out=["cyberattack"], impact=["service_unavailable"], affected=["Mairie A"]),
        item(2, "Nimbus : piratage ?", CLOUD, published="2025-02-04", vendors=["Nimbus"],
             start="2025-02-02", cause="cyberattack", impact=["data_inaccessible"]),
        item(3, "Nimbus explique sa panne", FOLLOW_UP, published="2025-02-10",
             vendors=["Nimbus"], start="2025-02-03", end="2025-02-04", hours=(30, 30),
             ongoing=False, cause="power", ruled_out=["cyberattack"], affected=["Mairie B"],
             users=1200),
    ]
    [incident] = group_articles(items)
    assert incident.article_ids == [1, 2, 3]
    assert incident.start.isoformat() == "2025-02-02" and incident.provenance["start"] == [2]
    assert incident.end.isoformat() == "2025-02-04" and incident.provenance["end"] == [3]
    assert set(incident.impact) == {"service_unavailable", "data_inaccessible"}
    assert incident.affected == ["Mairie A", "Mairie B"]
    # "cyberattack" was asserted on the 4th and ruled out by a later article: dropped.
    assert incident.cause == "power" and incident.provenance["cause"] == [3]
    assert incident.cause_ruled_out == ["cyberattack"]
    # The most recent statement with hours wins over the earlier, vaguer one.
    assert (incident.duration.hours_min, incident.duration.hours_max) == (30, 30)
    assert incident.duration.ongoing is False and incident.provenance["duration"] == [3]
    assert incident.users_affected == 1200 and incident.provenance["users_affected"] == [3]
    assert incident.title == "Panne électrique chez Nimbus" and incident.provenance["title"] == [1]


def test_a_cause_ruled_out_the_same_day_is_dropped_in_either_crawl_order(item):
    claim = dict(published="2025-02-03", vendors=["Nimbus"], start="2025-02-03",
                 cause="cyberattack")
    denial = dict(published="2025-02-03", vendors=["Nimbus"], start="2025-02-03",
                  ruled_out=["cyberattack"])
    for claim_id, denial_id in ((1, 2), (2, 1)):
        [incident] = group_articles([
            item(claim_id, "Nimbus victime d'une cyberattaque ?", CLOUD, **claim),
            item(denial_id, "Nimbus : pas de cyberattaque", CLOUD, **denial),
        ])
        assert incident.cause == "unknown", (claim_id, denial_id)
        assert incident.cause_ruled_out == ["cyberattack"]
        assert incident.provenance["cause"] == []


def test_a_cause_stands_when_asserted_again_later_or_hedged_by_its_own_article(item):
    [incident] = group_articles([
        item(1, "Nimbus : pas de cyberattaque", CLOUD, published="2025-02-03",
             vendors=["Nimbus"], start="2025-02-03", ruled_out=["cyberattack"]),
        item(2, "Nimbus confirme une cyberattaque", CLOUD, published="2025-02-05",
             vendors=["Nimbus"], start="2025-02-03", cause="cyberattack"),
    ])
    assert incident.cause == "cyberattack" and incident.provenance["cause"] == [2]
    [incident] = group_articles([
        item(1, "Nimbus : une cyberattaque, puis démentie ?", CLOUD, published="2025-02-03",
             vendors=["Nimbus"], start="2025-02-03", cause="cyberattack",
             ruled_out=["cyberattack"]),
    ])
    assert incident.cause == "cyberattack"


def test_duration_from_dates_when_no_article_states_hours(item):
    items = [item(1, "Panne", CLOUD, published="2025-02-06", vendors=["Nimbus"],
                  start="2025-02-03", end="2025-02-05")]
    [incident] = group_articles(items)
    assert (incident.duration.hours_min, incident.duration.hours_max) == (48, 72)


def test_incremental_grouping_keeps_ids_and_is_idempotent(item):
    first = [item(1, "Panne électrique chez Nimbus", CLOUD, published="2025-02-03",
                  vendors=["Nimbus"], start="2025-02-03")]
    incidents = group_articles(first)
    [incident] = incidents
    assert incident.id == "nimbus-2025-02-03-a1"
    later = first + [
        item(2, "Nimbus explique sa panne", FOLLOW_UP, published="2025-02-10",
             vendors=["Nimbus"], start="2025-02-03"),
        item(3, "Nimbus encore en panne", OTHER, published="2025-05-20", vendors=["Nimbus"],
             start="2025-05-20"),
    ]
    again = group_articles(later, incidents)
    by_id = {i.id: i for i in again}
    assert by_id["nimbus-2025-02-03-a1"].article_ids == [1, 2]
    assert by_id["nimbus-2025-05-20-a3"].article_ids == [3]
    third = group_articles(later, again)
    assert [i.to_dict() for i in third] == [i.to_dict() for i in again]


def test_article_that_no_longer_fits_leaves_its_incident(item):
    items = [
        item(1, "Panne électrique chez Nimbus", CLOUD, published="2025-02-03",
             vendors=["Nimbus"], start="2025-02-03"),
        # The follow-up does not name Nimbus: retagged with another vendor, nothing ties it
        # to the incident any more (an article naming the incident's vendor would stay).
        item(2, "L'hébergeur explique sa panne", FOLLOW_UP.replace("Nimbus", "L'hébergeur"),
             published="2025-02-10", vendors=["Nimbus"], start="2025-02-03"),
    ]
    incidents = group_articles(items)
    assert _members(incidents) == [[1, 2]]
    items[1].tags.vendors = ["Stratus"]  # retagged: another vendor
    assert _members(group_articles(items, incidents)) == [[1], [2]]


def test_mention_creates_an_incident_known_from_mentions_then_an_article_joins_it(item):
    mention = Mention(vendor="Nimbus", when="2021-10", duration_text="plusieurs jours",
                      hours_min=48, hours_max=240)
    items = [item(1, "Panne chez Nimbus", CLOUD, published="2025-02-03", vendors=["Nimbus"],
                  start="2025-02-03", mentions=[mention])]
    incidents = group_articles(items)
    past = next(i for i in incidents if i.known_from_mentions)
    assert past.id == "nimbus-2021-10-m1"
    assert past.article_ids == [] and past.provenance["mentioned_in"] == [1]
    assert past.title == "Nimbus : panne d'octobre 2021 (connue par des mentions)"
    assert (past.duration.hours_min, past.duration.hours_max) == (48, 240)
    assert past.start.isoformat() == "2021-10-01"
    # A second article mentioning it attaches to the same incident.
    items.append(item(2, "Rappel", OTHER, published="2025-06-01", is_outage=False,
                      mentions=[Mention(vendor="Nimbus", when="2021-10-12")]))
    incidents = group_articles(items, incidents)
    past = next(i for i in incidents if i.id == "nimbus-2021-10-m1")
    assert past.provenance["mentioned_in"] == [1, 2]
    # An archive article about that outage arrives: it joins, the incident is no longer
    # known only from mentions, and keeps its id.
    items.append(item(3, "Nimbus en panne depuis hier", CLOUD, published="2021-10-13",
                      vendors=["Nimbus"], start="2021-10-12"))
    incidents = group_articles(items, incidents)
    past = next(i for i in incidents if i.id == "nimbus-2021-10-m1")
    assert past.article_ids == [3] and not past.known_from_mentions
    assert past.provenance["mentioned_in"] == [1, 2]


def test_an_undated_archive_article_joins_the_mentioned_incident_and_keeps_its_id(item):
    items = [item(1, "Panne chez Nimbus", CLOUD, published="2025-02-03", vendors=["Nimbus"],
                  start="2025-02-03", mentions=[Mention(vendor="Nimbus", when="2021-10")])]
    incidents = group_articles(items)
    assert "nimbus-2021-10-m1" in {i.id for i in incidents}
    # An archive article published during the mentioned month, with no event date: the
    # mention would attach to it, so it must join the mentioned incident, not found one.
    items.append(item(2, "Nimbus : les clients privés de serveurs", CLOUD,
                      published="2021-10-14", vendors=["Nimbus"]))
    incidents = group_articles(items, incidents)
    by_id = {i.id: i for i in incidents}
    assert sorted(by_id) == ["nimbus-2021-10-m1", "nimbus-2025-02-03-a1"]
    past = by_id["nimbus-2021-10-m1"]
    assert past.article_ids == [2] and not past.known_from_mentions
    assert past.provenance["mentioned_in"] == [1]
    again = group_articles(items, incidents)
    assert [i.to_dict() for i in again] == [i.to_dict() for i in incidents]


def test_mention_attaches_to_the_matching_incident(item):
    items = [
        item(1, "Panne chez Nimbus", CLOUD, published="2021-10-12", vendors=["Nimbus"],
             start="2021-10-11"),
        item(2, "Nimbus encore en panne", OTHER, published="2025-05-20", vendors=["Nimbus"],
             start="2025-05-20", mentions=[Mention(vendor="Nimbus", when="2021-10")]),
    ]
    incidents = group_articles(items)
    assert not any(i.known_from_mentions for i in incidents)
    old = next(i for i in incidents if 1 in i.article_ids)
    assert old.provenance["mentioned_in"] == [2]


def test_seed_002_mentions_blackberry_october_2011(seed_items):
    items, _ = seed_items
    incidents = group_articles(items)
    [past] = [i for i in incidents if i.known_from_mentions]
    assert past.vendors == ["BlackBerry"] and past.provenance["mentioned_in"] == [3]
    assert past.start.isoformat() == "2011-10-01"
    assert (past.duration.hours_min, past.duration.hours_max) == (48, 240)
