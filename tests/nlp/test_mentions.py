"""pannes_mentions: earlier incidents recalled in passing."""

from __future__ import annotations

from pannes.nlp.mentions import when_of


def test_when_of() -> None:
    from datetime import date
    assert when_of("en octobre 2011, une panne", None) == "2011-10"
    assert when_of("en juin dernier, une panne", date(2021, 12, 13)) == "2021-06"
    assert when_of("En 2009, les serveurs", None) == "2009"
    assert when_of("la coupure géante du 17 octobre, qui", date(2025, 1, 30)) == "2024-10-17"
    assert when_of("dans la nuit du 9 au 10 mars 2025, une", None) == "2025-03-09"
    assert when_of("le 1er février, une panne", date(2025, 3, 10)) == "2025-02-01"


def test_mention_of_an_earlier_outage(run) -> None:
    text = ("Mardi, une panne a privé les clients de BlackBerry de leurs emails pendant quelques heures. "
            "Rien à voir avec la panne mondiale qui, en octobre 2011, avait plongé des millions "
            "d'utilisateurs dans le noir pendant plusieurs jours.")
    doc = run(text, published="2012-09-21")
    assert len(doc._.mentions) == 1
    mention = doc._.mentions[0]
    assert (mention.vendor, mention.when, mention.region) == ("BlackBerry", "2011-10", ["monde"])
    assert mention.users_affected_text == "des millions d'utilisateurs"
    assert (mention.hours_min, mention.hours_max) == (48, 240)
