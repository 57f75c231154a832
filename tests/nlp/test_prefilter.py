"""The prefilter lets every outage report through and stops plainly unrelated articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.goldsets import load_gold
from nlp.prefilter import Prefilter


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


def test_title_alone_can_pass(prefilter: Prefilter) -> None:
    assert prefilter("Un texte sans rien de particulier.", "Panne géante chez un hébergeur")


def _outages(path: Path) -> list:
    return [i for i in load_gold(path) if i.gold.get("is_outage")]


def test_recall_on_the_shared_gold_sets(prefilter: Prefilter, shared_dir: Path) -> None:
    outages = _outages(shared_dir / "seeds" / "gold.jsonl") + _outages(shared_dir / "eval" / "dev.jsonl")
    missed = [i.key for i in outages if not prefilter(i.text, i.title)]
    assert outages and missed == []


def test_recall_on_the_demo_corpus(prefilter: Prefilter, project_root: Path, demo_corpus) -> None:
    outages = _outages(project_root / "demo" / "corpus" / "articles.jsonl")
    missed = [i.key for i in outages if not prefilter(i.text, i.title)]
    assert outages and missed == []
