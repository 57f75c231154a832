"""The incident's start from the time already elapsed, when no day is named as the start."""

from __future__ import annotations

from datetime import date

import pytest
from pannes.nlp.dates import parse_published, resolve_incident_dates
from pannes.nlp.duration import duration_of, start_from_elapsed

# 2030-06-14 is a Friday.
FRIDAY = parse_published("2030-06-14")


def start_of(sentences: list[str]) -> date | None:
    start, _, evidence = resolve_incident_dates(sentences, FRIDAY)
    return start_from_elapsed(sentences, FRIDAY, start, evidence[0] if evidence else None)


@pytest.mark.parametrize(
    ("sentences", "expected"),
    [
        (["Depuis plus de quarante-huit heures, 12 000 foyers sont privés d'internet."], date(2030, 6, 12)),
        (["Voilà trois jours que les clients sont privés de messagerie."], date(2030, 6, 11)),
        (["Le site est en panne depuis cinq heures."], date(2030, 6, 14)),
        # the day named in the sentence is when the elapsed time was reached, not the start
        (["Trois jours après le début de la panne, le prestataire s'est expliqué mercredi matin."],
         date(2030, 6, 9)),
    ],
)
def test_elapsed_time_counts_back_to_the_start(sentences: list[str], expected: date) -> None:
    assert start_of(sentences) == expected


@pytest.mark.parametrize(
    ("sentences", "expected"),
    [
        (["Depuis lundi, soit depuis quatre jours, le réseau est en panne."], date(2030, 6, 10)),
        (["Le réseau est en panne depuis trois jours.", "La coupure a commencé mardi soir."], date(2030, 6, 11)),
        (["Le réseau a été coupé pendant trois jours."], None),
    ],
)
def test_a_named_start_or_a_total_is_not_counted_back(sentences: list[str], expected: date | None) -> None:
    assert start_of(sentences) == expected


def test_elapsed_start_without_publication_date_stays_unknown() -> None:
    assert start_from_elapsed(["Le site est en panne depuis trois jours."], parse_published(None), None) is None


def test_elapsed_and_remaining_span_from_the_derived_start() -> None:
    sentences = ["Depuis plus de quarante-huit heures, 12 000 foyers de la région sont privés d'internet.",
                 "L'opérateur prévoit un retour à la normale d'ici deux à trois jours."]
    start = start_of(sentences)
    duration = duration_of(sentences, FRIDAY, start)
    assert (start, duration.hours_min, duration.hours_max, duration.ongoing) == (date(2030, 6, 12), 96, 168, True)
