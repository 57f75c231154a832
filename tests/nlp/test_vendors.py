"""pannes_vendors: the vendor base, aliases, case, context and fuzzy matching, serialisation."""

from __future__ import annotations

from pathlib import Path

import pytest
from pannes.nlp.lexicon import packaged_data, read_jsonl
from pannes.nlp.vendors import VendorBase


def names(doc) -> list[str]:
    return [m.name for m in doc._.orgs]


def test_base_holds_at_least_200_real_organisations() -> None:
    rows = read_jsonl(packaged_data("vendors.jsonl"))
    assert len(rows) >= 200
    assert all({"name", "aliases", "sector", "country"} <= set(r) for r in rows)
    base = VendorBase.from_files([packaged_data("vendors.jsonl")])
    assert base.resolve("Research In Motion").name == "BlackBerry"
    assert base.resolve("RIM").name == "BlackBerry"
    assert base.resolve("GLI Groupe").name == "GLI"
    assert base.resolve("OVH").name == "OVHcloud"


def test_aliases_resolve_to_one_name(run) -> None:
    doc = run("RIM, alias Research In Motion, fabrique le BlackBerry. Le groupe GLI gère des abonnés.")
    assert names(doc) == ["BlackBerry", "BlackBerry", "BlackBerry", "GLI"]


def test_a_colour_is_not_an_operator(run) -> None:
    doc = run("Le logo est orange et bleu. Orange a confirmé la panne.")
    assert names(doc) == ["Orange"]


def test_unknown_vendor_found_from_context(run) -> None:
    doc = run("Une panne chez Zorbix Cloud a privé les clients de leurs sites. "
              "Le prestataire Kalimba a reconnu l'incident.")
    found = {m.name: m.via for m in doc._.orgs}
    assert found == {"Zorbix Cloud": "context", "Kalimba": "context"}


def test_a_person_is_not_taken_for_an_organisation(run) -> None:
    doc = run("Le ministre Jean Dupont a confirmé l'incident.")
    assert names(doc) == []
    doc = run("L'opérateur de Xavier Niel a reconnu l'incident.")
    assert names(doc) == []


def test_misspelt_alias_is_resolved_fuzzily(run) -> None:
    doc = run("Les clients de Bouyges Telecom sont privés de réseau.")
    assert names(doc) == ["Bouygues Telecom"]
    assert doc._.orgs[0].via == "fuzzy"


def test_extra_vendor_file(tmp_path: Path, pipeline) -> None:
    extra = tmp_path / "vendors.jsonl"
    extra.write_text('{"name": "Nuagix", "aliases": ["Nuagix Cloud"], "sector": "cloud_hosting", '
                     '"country": "FR"}\n', encoding="utf-8")
    component = pipeline.get_pipe("pannes_vendors")
    base = VendorBase.from_files([packaged_data("vendors.jsonl"), extra])
    assert base.resolve("Nuagix Cloud").name == "Nuagix"
    assert len(base) == len(component.base) + 1


def test_to_disk_and_back(tmp_path: Path, pipeline, run) -> None:
    component = pipeline.get_pipe("pannes_vendors")
    component.to_disk(tmp_path / "vendors")
    assert (tmp_path / "vendors" / "vendors.jsonl").is_file()
    rows = read_jsonl(tmp_path / "vendors" / "vendors.jsonl")
    assert len(rows) == len(component.base)
    component.from_disk(tmp_path / "vendors")
    assert names(run("Panne chez Bouygues Telecom.")) == ["Bouygues Telecom"]


@pytest.mark.parametrize("text, vendor", [
    ("Une panne de la messagerie de Missivo a privé mardi des millions d'utilisateurs.", "Missivo"),
    ("Une panne du réseau de Kalvea a privé d'internet 12 000 foyers.", "Kalvea"),
    ("Zorbatel est en panne depuis lundi : les logiciels de paie sont inaccessibles.", "Zorbatel"),
    ("Depuis ce matin, Brindoo subit une panne de ses serveurs.", "Brindoo"),
    ("La messagerie de Missivo est tombée en panne mardi pour des millions d'utilisateurs.",
     "Missivo"),
    ("L'application de Néobanka a cessé de fonctionner samedi : impossible de payer par carte.",
     "Néobanka"),
])
def test_an_unknown_vendor_named_by_the_failure_is_the_vendor(run, text: str, vendor: str) -> None:
    doc = run(text)
    assert doc._.outage.is_outage
    assert doc._.roles.vendors == [vendor]


def test_a_common_word_opening_the_sentence_is_no_vendor(run) -> None:
    doc = run("Internet est en panne depuis ce matin dans tout le quartier.")
    assert doc._.roles.vendors == []


def test_a_title_named_with_a_contracted_article_is_found(run) -> None:
    doc = run("Les lecteurs du Télégramme et des Echos ne peuvent plus gérer leur abonnement depuis lundi.")
    assert names(doc) == ["Le Télégramme", "Les Echos"]


def test_the_bare_title_without_a_contracted_article_is_not_a_name(run) -> None:
    doc = run("Télégramme reçu lundi : la panne est réparée.")
    assert "Le Télégramme" not in names(doc)


def test_a_neobank_absent_from_the_base_is_a_name(run) -> None:
    doc = run("Les clients de la néobanque Zolvia n'ont pas pu payer par carte ce week-end.")
    assert names(doc) == ["Zolvia"]


# ---------------------------------------------------------------- unknown names in common positions


@pytest.mark.parametrize("text, expected", [
    ("Les clients de Brivalo, de Nordis Énergie et de Lumeo n'ont pas pu régler leurs achats mardi.",
     ["Brivalo", "Nordis Énergie", "Lumeo"]),
    ("Les sites de Maison Carmin et des Ateliers Vauban sont restés inaccessibles.",
     ["Maison Carmin", "Ateliers Vauban"]),
    ("Les passagers d'Aéro'Line ont attendu leurs valises.", ["Aéro'Line"]),
])
def test_organisations_whose_people_or_sites_are_named_are_found(run, text: str, expected: list[str]) -> None:
    assert names(run(text)) == expected


def test_places_whose_people_are_named_are_no_organisation(run) -> None:
    doc = run("Les abonnés du Val-d'Oise et de la Manche ont été privés d'internet. "
              "Les commerçants équipés en 4G ont dû refuser les cartes, comme les restaurants d'Anvers ont dû le faire.")
    assert names(doc) == []


@pytest.mark.parametrize("text, expected", [
    ("L'orage a coupé plusieurs câbles du réseau de Fibrelia dans la nuit.", ["Fibrelia"]),
    ("Les usagers n'ont pas pu valider leurs titres : la billettique de Tiketo était en panne.", ["Tiketo"]),
    ("Le système de réservation, développé par Resaflux, a planté lundi matin.", ["Resaflux"]),
    ("Faute de réseau, Tramelo a dû suspendre ses ventes en ligne.", ["Tramelo"]),
    ("Sa plateforme de vente, Vendora, a subi une cyberattaque dimanche.", ["Vendora"]),
])
def test_an_organisation_tied_to_a_failing_system_or_a_setback_is_found(run, text: str,
                                                                        expected: list[str]) -> None:
    assert names(run(text)) == expected


def test_a_capitalised_kind_or_title_article_is_part_of_the_name(run) -> None:
    doc = run("Les paiements de la Caisse Meunière, de la Mutuelle Garance et de la Banque du Vercors ont été bloqués. "
              "Le journal Le Réveil Savoyard a dû reporter son édition, comme la coopérative Vallées du Jura.")
    assert names(doc) == ["Caisse Meunière", "Mutuelle Garance", "Banque du Vercors", "Le Réveil Savoyard",
                          "Vallées du Jura"]


def test_a_group_described_by_its_trade_and_a_named_clinic_are_found(run) -> None:
    doc = run("Le groupe de maisons de retraite Sérénis et la clinique Sainte-Odile ont perdu leurs dossiers.")
    assert names(doc) == ["Sérénis", "clinique Sainte-Odile"]


def test_firm_names_joined_by_ampersand_or_elided_de_are_whole(run) -> None:
    doc = run("Le fleuriste attend. Chez Rameau & Fils, les caisses sont bloquées, "
              "comme chez Moulin d'Ambre.")
    assert "Rameau & Fils" in names(doc)
    assert "Moulin d'Ambre" in names(doc)


def test_a_firm_found_from_context_is_found_again_bare(run) -> None:
    doc = run("Le logiciel, édité par la société Brivalog, ne répond plus. "
              "Mardi soir, Brivalog ne donnait aucune date de retour.")
    assert names(doc) == ["Brivalog", "Brivalog"]


def test_an_adjective_before_a_name_is_not_part_of_it(run) -> None:
    doc = run("Le signal de la radio associative Radio Tamaris a été coupé.")
    assert "Radio Tamaris" in names(doc)
    assert not any(n.startswith("associative") for n in names(doc))


def test_a_client_in_apposition_is_found(run) -> None:
    doc = run("La plateforme Caldéo est en panne. Mardi, Ferme des Saules, autre client de Caldéo, "
              "a perdu ses commandes.")
    assert "Ferme des Saules" in names(doc)
