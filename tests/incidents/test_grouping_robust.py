"""Grouping with the tags the tagger really gives: another organisation of the story chosen as
vendor, a wrong start date, a publication date known only by month, no date at all."""

from __future__ import annotations

import logging
from datetime import date

from pannes.incidents.assemble import group_articles
from pannes.incidents.evaluate import score_grouping
from pannes.incidents.features import frequencies
from pannes.incidents.grouping import Grouper, GroupingParams, cluster_articles
from pannes.incidents.similarity import TfidfIndex, name_terms, terms
from pannes.incidents.timespan import parse_when

# One outage of an (invented) motorway operator, told by three outlets.
PEAGES = ("Les barrières de péage de l'autoroute A11 sont restées levées toute la matinée : "
          "une panne informatique chez Autoval a bloqué les terminaux de paiement, et les "
          "automobilistes sont passés gratuitement entre Chartres et Nantes.")
PEAGES_FILIALE = ("Les péages de l'A11 ouverts gratuitement : la filiale Transroute, qui "
                  "exploite le réseau pour le groupe Autoval, a subi une panne informatique des "
                  "terminaux de paiement entre Chartres et Nantes.")
PEAGES_AUTRE = ("Péages gratuits sur l'A11 : les terminaux de paiement de la filiale Transroute "
                "sont tombés en panne informatique, laissant passer les automobilistes entre "
                "Chartres et Nantes.")

# Joining by a vendor named across (GroupingParams.mentioned_vendors, on by default).
UNNAMED = GroupingParams(mentioned_vendors=False)


def _members(incidents):
    return sorted(sorted(i.article_ids) for i in incidents if i.article_ids)


def _one_incident_kept_when_loaded_again(items, caplog):
    """The articles make one incident, and grouping them again with it loaded keeps it as it
    is: no member pushed out, then placed back."""
    incidents = group_articles(items)
    assert _members(incidents) == [[1, 2]]
    with caplog.at_level(logging.INFO, logger="pannes.incidents.grouping"):
        again = group_articles(items, incidents)
    assert [(i.id, i.article_ids) for i in again] == [(i.id, i.article_ids) for i in incidents]
    assert "no longer fit" not in caplog.text


def _rewrite_with_a_wrong_start(item):
    """Two outlets rewrite one dispatch, published the same day; the tagger read a start date a
    week off in the second."""
    text = ("Panne géante chez Maillon : depuis mardi matin, la messagerie et le stockage en "
            "ligne de l'opérateur sont inaccessibles pour des milliers d'abonnés bretons, "
            "selon le site de signalement Downdetector.")
    rewrite = ("Les abonnés bretons de Maillon privés de messagerie et de stockage en ligne : "
               "l'opérateur reconnaît une panne de ses serveurs, signalée sur Downdetector "
               "par des milliers d'utilisateurs.")
    return [
        item(1, "Panne géante chez Maillon", text, published="2025-03-05", vendors=["Maillon"],
             start="2025-03-04"),
        item(2, "Maillon : la messagerie en panne", rewrite, published="2025-03-05",
             vendors=["Maillon"], start="2025-02-25"),
    ]


def test_an_article_tagged_with_another_organisation_joins_when_the_vendor_is_named(item):
    """The tagger chose the subsidiary for one story; its text names the group, the incident's
    vendor, so it joins (as an article with no vendor would); a story of the subsidiary that
    never names the group stays apart, whatever it says."""
    items = [
        item(1, "Autoval : les péages de l'A11 en panne", PEAGES, published="2025-04-02",
             vendors=["Autoval"], start="2025-04-02"),
        item(2, "Péages gratuits sur l'A11", PEAGES_FILIALE, published="2025-04-02",
             vendors=["Transroute"], start="2025-04-02"),
        item(3, "Péages gratuits sur l'A11", PEAGES_AUTRE, published="2025-04-02",
             vendors=["Transroute"], start="2025-04-02"),
    ]
    assert _members(group_articles(items[:2])) == [[1, 2]]
    # The same from the other side: the group's story arrives after the subsidiary's.
    later = [items[1], item(4, "Autoval : les péages de l'A11 en panne", PEAGES,
                            published="2025-04-03", vendors=["Autoval"], start="2025-04-02")]
    assert _members(group_articles(later)) == [[2, 4]]
    assert _members(group_articles(items[:2], params=UNNAMED)) == [[1], [2]]
    assert _members(group_articles([items[0], items[2]])) == [[1], [3]]


def test_an_article_that_joined_by_name_stays_on_the_next_run(item, caplog):
    """It fits its incident when the incident is loaded again: not pushed out then placed
    back."""
    items = [
        item(1, "Autoval : les péages de l'A11 en panne", PEAGES, published="2025-04-02",
             vendors=["Autoval"], start="2025-04-02"),
        item(2, "Péages gratuits sur l'A11", PEAGES_FILIALE, published="2025-04-02",
             vendors=["Transroute"], start="2025-04-02"),
    ]
    _one_incident_kept_when_loaded_again(items, caplog)


def test_a_rewrite_published_the_same_week_joins_despite_a_wrong_start_date(item):
    """Two outlets rewrite one dispatch; the tagger read a wrong start date in one (a week
    off). Close enough in words, published the same day, they are one incident."""
    items = _rewrite_with_a_wrong_start(item)
    assert _members(group_articles(items)) == [[1, 2]]
    strict = GroupingParams(copy=0.6)
    assert _members(group_articles(items, params=strict)) == [[1], [2]]


def test_a_rewrite_that_joined_despite_its_dates_stays_on_the_next_run(item, caplog):
    """A near-copy joined across a wrong start date still fits its incident when the incident
    is loaded again: it is not pushed out, then compared with every incident once more."""
    items = _rewrite_with_a_wrong_start(item)
    _one_incident_kept_when_loaded_again(items, caplog)


def test_an_undated_story_of_the_vendor_needs_more_than_the_vendors_words(item):
    """With no date on one side, sharing the vendor's usual words is not enough: a story of
    another outage of the same bank years later stays apart."""
    first = ("La banque Crédimut a subi une panne de son application mobile : les clients ne "
             "pouvaient plus consulter leurs comptes ni faire de virements, et le service "
             "client était saturé.")
    other = ("Les cartes bancaires des clients de Crédimut sont refusées chez les commerçants "
             "et les virements échouent, le temps de remplacer un serveur de paiement "
             "défectueux, explique la banque.")
    items = [
        item(1, "Crédimut : l'application mobile en panne", first, published="2022-09-16",
             vendors=["Crédimut"], start="2022-09-15"),
        item(2, "Crédimut : les clients privés de cartes", other, vendors=["Crédimut"]),
    ]
    assert _members(group_articles(items)) == [[1], [2]]
    assert _members(group_articles(items, params=GroupingParams(unknown=0.20))) == [[1, 2]]


def test_a_publication_month_dates_an_article_the_evaluation_knows_only_by_month(item):
    """The annotated sets give some publication dates as a month: a story published in
    January cannot report an outage that began in February."""
    text = ("Les numéros d'urgence de l'opérateur Helvox sont restés injoignables plusieurs "
            "heures dans le canton, les appels basculés vers les centrales voisines.")
    items = [
        item(1, "Helvox : les numéros d'urgence injoignables", text, published="2020-02-12",
             vendors=["Helvox"], start="2020-02-11"),
        item(2, "Helvox : les numéros d'urgence injoignables", text, vendors=["Helvox"]),
    ]
    assert _members(group_articles(items)) == [[1, 2]]
    january = {2: parse_when("2020-01")}
    assert _members(group_articles(items, published_periods=january)) == [[1], [2]]
    february = {2: parse_when("2020-02")}
    assert _members(group_articles(items, published_periods=february)) == [[1, 2]]
    scores = score_grouping(items, ["helvox", "helvox"], [None, parse_when("2020-01")])
    assert scores.predicted_pairs == 0
    assert date(2020, 1, 31) == january[2].hi


class _CountingTerms(dict):
    """Article terms that remember which articles were read."""

    def __init__(self, documents):
        super().__init__(documents)
        self.read = set()

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)


def test_incidents_of_other_vendors_are_read_only_when_the_dates_agree(item):
    """Looking for a vendor named across reads the article's text; the other incidents' texts
    only of those whose dates can describe the same event, and which are of a vendor the
    article names or whose texts (read when they were placed) name its vendor: not every
    incident within the blocking window."""
    items = [
        item(1, "Autoval : les péages de l'A11 en panne", PEAGES, published="2025-03-05",
             vendors=["Autoval"], start="2025-03-05"),
        item(2, "Maillon : la messagerie en panne", "La messagerie de Maillon est en panne.",
             published="2025-04-02", vendors=["Maillon"], start="2025-04-02"),
        item(3, "Péages gratuits sur l'A11", PEAGES_FILIALE, published="2025-04-02",
             vendors=["Transroute"], start="2025-04-02"),
    ]
    documents = _CountingTerms({a.article.id: terms(a.article.title, a.article.text)
                                for a in items})
    grouper = Grouper(items, index=TfidfIndex(documents, frequencies(documents.values())))
    grouper.assign_new({1, 2})
    documents.read.clear()
    grouper.assign_new()
    # The subsidiary's story names the group, whose outage a month earlier is "far": it founds
    # its own incident, read against neither Autoval's nor Maillon's (same day, but neither
    # side names the other).
    assert documents.read == {3}
    assert [c.members for c in grouper.clusters] == [[1], [2], [3]]


def test_an_article_joined_by_name_does_not_bring_its_vendor_to_the_incident(item):
    """The group's story names its subsidiary, the subsidiary's names its terminal supplier,
    the supplier's names its bank: each joined by name, they used to make one incident that
    took every vendor in turn. The subsidiary joins the group's incident by name, but the
    incident's vendors stay the group's: the supplier's story, which names only the
    subsidiary, stays apart."""
    groupe = ("Panne informatique chez Autoval : les barrières de péage de l'autoroute A11 sont "
              "restées levées, les terminaux de paiement de sa filiale Transroute bloqués "
              "entre Chartres et Nantes.")
    filiale = ("Les péages de l'A11 ouverts gratuitement entre Chartres et Nantes : Transroute "
               "accuse une panne des terminaux de paiement fournis par Péagex.")
    fournisseur = ("Péagex reconnaît une panne de ses terminaux de paiement aux péages de l'A11, "
                   "entre Chartres et Nantes, chez son client Transroute : le serveur de "
                   "Monetis ne répondait plus.")
    items = [
        item(1, "Autoval : les péages de l'A11 en panne", groupe, published="2025-04-02",
             vendors=["Autoval"], start="2025-04-02"),
        item(2, "Péages gratuits sur l'A11", filiale, published="2025-04-02",
             vendors=["Transroute"], start="2025-04-02"),
        item(3, "Péagex : les terminaux de paiement en panne", fournisseur,
             published="2025-04-03", vendors=["Péagex"], start="2025-04-02"),
    ]
    assert _members(group_articles(items)) == [[1, 2], [3]]
    grouper = cluster_articles(items)
    assert [sorted(c.vendor_classes) for c in grouper.clusters] == [["autoval"], ["peagex"]]
    # Loaded again, the incident still has the group's vendor only.
    again = Grouper(items, group_articles(items[:2]))
    assert [sorted(c.vendor_classes) for c in again.clusters] == [["autoval"]]
    # A story of the subsidiary in a later run joins the group's incident, loaded from the
    # first run, whose text names the subsidiary.
    late = item(5, "Péages gratuits sur l'A11", PEAGES_AUTRE, published="2025-04-03",
                vendors=["Transroute"], start="2025-04-02")
    assert _members(group_articles([items[0], late], group_articles(items[:1]))) == [[1, 5]]
    # The supplier's story joins when it names the group itself.
    named = item(4, "Péagex : les terminaux de paiement en panne",
                 fournisseur.replace("Transroute", "Autoval"), published="2025-04-03",
                 vendors=["Péagex"], start="2025-04-02")
    assert _members(group_articles([*items[:2], named])) == [[1, 2, 4]]


def test_a_name_whose_own_word_is_too_short_is_not_looked_for(item):
    """"Ax Télécom" is "télécom" once its two-letter word is dropped: every story of another
    telecom operator would name it. Such a name is never looked for in texts."""
    text = ("Panne du réseau mobile de Brovia Télécom à Rennes : appels et SMS impossibles "
            "toute la matinée pour les abonnés bretons, une carte réseau défaillante.")
    other = ("Ax Télécom : le réseau mobile coupé à Rennes toute la matinée, appels et SMS "
             "impossibles pour les abonnés bretons.")
    items = [
        item(1, "Ax Télécom : le réseau mobile en panne à Rennes", other,
             published="2025-05-06", vendors=["Ax Télécom"], start="2025-05-06"),
        item(2, "Brovia Télécom : appels impossibles à Rennes", text, published="2025-05-06",
             vendors=["Brovia Télécom"], start="2025-05-06"),
    ]
    assert _members(group_articles(items)) == [[1], [2]]
    assert name_terms("Ax Télécom") == frozenset()
    assert name_terms("Brovia Télécom") == {"brovi", "telecom"}
