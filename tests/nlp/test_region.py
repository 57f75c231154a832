"""pannes_region: scope places and demonyms of the people hit, not locations of things."""

from __future__ import annotations


def regions(run, text: str) -> list[str]:
    return run(text)._.region.regions


def test_zone_covers_its_parts(run) -> None:
    text = "Mardi, la panne a touché les utilisateurs de la zone EMEA (Europe, Moyen-Orient, Afrique)."
    assert regions(run, text) == ["EMEA"]


def test_demonym_of_the_people_hit(run) -> None:
    text = "Lundi, une panne a privé les clients britanniques de leurs emails. La France ne serait pas affectée."
    assert regions(run, text) == ["Royaume-Uni"]


def test_location_of_a_datacenter_is_not_the_scope(run) -> None:
    text = "Lundi, la panne venait d'un datacenter situé à Londres et a touché les abonnés en Île-de-France."
    assert regions(run, text) == ["Île-de-France"]


def test_country_inside_a_company_name_is_not_a_region(run) -> None:
    assert regions(run, "Samedi, les chaînes de France Télévisions ont subi une panne.") == []
