"""nlp.victims: the cues that an organisation is hit by the failure."""

from __future__ import annotations

import pytest
from pannes.nlp.victims import VictimCues


@pytest.mark.parametrize(("sentence", "fact"), [
    ("Depuis mardi, les abonnés de la radio ne peuvent plus écouter les émissions en direct.", True),
    ("Les caissiers n'ont pas pu encaisser les paiements pendant deux heures.", True),
    ("En cas de coupure, les abonnés ne pourront plus écouter les émissions.", False),
    ("Si la panne se prolonge, les caissiers ne peuvent plus encaisser les paiements.", False),
    ("Les abonnés ne pourraient plus écouter les émissions, craint le syndicat.", False),
    ("Les abonnés peuvent écouter les émissions en direct.", False),
])
def test_a_denied_ability_in_the_indicative_tells_a_fact(run, sentence: str, fact: bool) -> None:
    doc = run(sentence)
    assert VictimCues.states_inability(doc[:]) is fact
