"""pannes_cause: the stated cause, with negation, exclusion, hedging and questions."""

from __future__ import annotations


def cause(run, text: str):
    return run(text)._.cause


def test_ruled_out_by_an_excluding_verb(run) -> None:
    text = ("Lundi, une panne a paralysé le service. Le président évoque un problème sur une baie de disques, "
            "écartant l'éventualité d'une attaque informatique.")
    result = cause(run, text)
    assert result.cause == "hardware"
    assert result.ruled_out == ["cyberattack"]


def test_a_question_is_neither_cause_nor_ruled_out(run) -> None:
    text = ("Depuis midi, le réseau est en panne. Aucune précision n'a été donnée sur l'origine de l'incident "
            "(piratage ? bug technique ?).")
    result = cause(run, text)
    assert (result.cause, result.ruled_out) == ("unknown", [])


def test_a_lead_not_excluded_is_a_hedge(run) -> None:
    text = ("Mardi, une panne a bloqué les paiements. La piste d'une cyberattaque n'est pas exclue, "
            "mais rien n'est confirmé.")
    result = cause(run, text)
    assert (result.cause, result.ruled_out) == ("unknown", [])


def test_causes_from_the_lexicon(run) -> None:
    assert cause(run, "Jeudi, la panne est due à une opération de maintenance sur le réseau.").cause == \
        "configuration_change"
    assert cause(run, "Samedi, un incendie dans le centre de données a provoqué la coupure des services.").cause == \
        "fire_disaster"
    assert cause(run, "Lundi, un incident logiciel a provoqué des déconnexions en série.").cause == "software_bug"
    assert cause(run, "Mardi, une coupure de courant a mis les serveurs hors service.").cause == "power"
    assert cause(run, "Vendredi, le site a été victime d'une attaque par déni de service.").cause == "ddos"
    assert cause(run, "Depuis lundi, un rançongiciel paralyse les services de la ville.").cause == "ransomware"


def test_no_cause_given_is_unknown(run) -> None:
    assert cause(run, "Mercredi, une panne a touché les clients de la banque pendant deux heures.").cause == "unknown"
