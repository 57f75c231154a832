"""The prefilter lets every outage report through and stops plainly unrelated articles."""

from __future__ import annotations

from pathlib import Path

import pytest
from pannes.nlp.goldsets import load_gold
from pannes.nlp.prefilter import Prefilter


@pytest.fixture(scope="module")
def prefilter() -> Prefilter:
    return Prefilter.load()


@pytest.mark.parametrize("text", [
    "Le réseau mobile de l'opérateur est en panne depuis ce matin.",
    "Les clients ne pouvaient plus payer par carte : le service est indisponible.",
    "Une cyberattaque paralyse les services de la mairie.",
    "Le site est resté inaccessible pendant trois heures.",
    "Les chaînes ont affiché un écran noir toute la nuit.",
])
def test_outage_words_pass(prefilter: Prefilter, text: str) -> None:
    assert prefilter(text)


@pytest.mark.parametrize("text", [
    "Le club a remporté le match trois buts à un devant un public conquis.",
    "Le conseil municipal a voté le budget de la rénovation de l'école.",
    "La recette du jour : une tarte aux pommes et à la cannelle.",
])
def test_unrelated_articles_stop(prefilter: Prefilter, text: str) -> None:
    assert not prefilter(text)


@pytest.mark.parametrize("text", [
    "La fiction régionale est en panne d'inspiration, regrettent les producteurs.",
    "La croissance du marché reste en panne de repreneurs pour les petites librairies.",
    "L'opérateur promet une bascule vers la fibre sans coupure pour ses abonnés.",
    "Le nouvel hébergeur garantit « zéro coupure » et aucune interruption de service.",
    "Mois de la cybersécurité : cinq conseils, et que faire en cas de panne de l'ordinateur.",
])
def test_outage_words_in_harmless_phrases_stop(prefilter: Prefilter, text: str) -> None:
    assert not prefilter(text), prefilter.first_hit(text)


@pytest.mark.parametrize("text, hit", [
    ("La bascule devait se faire sans coupure, mais une panne a privé les abonnés d'internet.", "panne"),
    ("Que faire en cas de panne ? Mardi, le réseau de l'opérateur est tombé en panne.", "panne"),
    ("En pleine semaine de la cybersécurité, une cyberattaque a frappé la mairie.", "cyber"),
])
def test_an_outage_word_outside_the_harmless_phrases_passes(prefilter: Prefilter, text: str,
                                                           hit: str) -> None:
    assert prefilter(text) and prefilter.first_hit(text) == hit


def test_harmless_phrases_come_from_the_data_file(tmp_path: Path) -> None:
    data = tmp_path / "prefilter.jsonl"
    data.write_text('{"label": "failure", "regex": "panne"}\n'
                    '{"label": "harmless", "regex": "panne sèche"}\n', encoding="utf-8")
    prefilter = Prefilter.load(data)
    assert not prefilter("La voiture est tombée en panne sèche.")
    assert prefilter("La voiture est tombée en panne sèche, puis le réseau en panne.")


def test_title_alone_can_pass(prefilter: Prefilter) -> None:
    assert prefilter("Un texte sans rien de particulier.", "Panne géante chez un hébergeur")


def _outages(path: Path) -> list:
    return [i for i in load_gold(path) if i.gold.get("is_outage")]


def test_recall_on_the_shared_gold_sets(prefilter: Prefilter, shared_dir: Path) -> None:
    outages = _outages(shared_dir / "seeds" / "gold.jsonl") + _outages(shared_dir / "eval" / "dev.jsonl")
    missed = [i.key for i in outages if not prefilter(i.text, i.title)]
    assert outages and missed == []


def test_recall_on_the_real_training_set(prefilter: Prefilter, shared_dir: Path) -> None:
    """Train + dev hold 175 real outage reports from many outlets: a prefilter miss loses every
    field, so recall must stay at 0.99 at least (it is 175/175 since the overload and malware
    stems were added; the two misses before were 'saturés' and 'virus informatique')."""
    outages = _outages(shared_dir / "eval" / "train.jsonl") + _outages(shared_dir / "eval" / "dev.jsonl")
    missed = [i.key for i in outages if not prefilter(i.text, i.title)]
    assert len(outages) >= 170
    assert 1 - len(missed) / len(outages) >= 0.99, missed


@pytest.mark.parametrize("text", [
    "Les serveurs, saturés, ne répondaient qu'au compte-gouttes.",
    "Un virus informatique a contraint l'hôpital à revenir au papier.",
    "Un logiciel malveillant a chiffré les postes de la mairie.",
])
def test_overload_and_malware_reports_pass(prefilter: Prefilter, text: str) -> None:
    assert prefilter(text)


def test_recall_on_the_demo_corpus(prefilter: Prefilter, project_root: Path, demo_corpus) -> None:
    outages = _outages(project_root / "demo" / "corpus" / "articles.jsonl")
    missed = [i.key for i in outages if not prefilter(i.text, i.title)]
    assert outages and missed == []


@pytest.mark.parametrize("text", [
    "Tempête : des milliers de foyers sans électricité dans la Manche.",
    "Les terminaux de l'enseigne refusaient toutes les cartes samedi.",
    "Les voyageurs n'ont pas pu acheter leurs billets mercredi.",
    "Le tri des bagages est resté à l'arrêt six heures.",
])
def test_outages_told_without_the_usual_words_pass(prefilter: Prefilter, text: str) -> None:
    assert prefilter(text)
