"""Dates resolved against the publication date; durations never read as dates."""

from __future__ import annotations

from datetime import date

import pytest
from pannes.nlp.clock import find_times, parse_clock
from pannes.nlp.dates import (
    PublishedDate,
    find_dates,
    is_background,
    parse_published,
    resolve_incident_dates,
)

# 2030-06-14 is a Friday.
FRIDAY = parse_published("2030-06-14")


def start_of(sentences: list[str], published: PublishedDate = FRIDAY) -> date | None:
    return resolve_incident_dates(sentences, published)[0]


# ----------------------------------------------------------------------------- publication date


def test_published_day() -> None:
    assert parse_published("2030-06-14") == PublishedDate(day=date(2030, 6, 14), month=(2030, 6))


def test_published_month_only() -> None:
    published = parse_published("2024-03")
    assert (published.day, published.month) == (None, (2024, 3))
    assert published.latest() == date(2024, 3, 31)


def test_published_unknown() -> None:
    assert parse_published(None) == PublishedDate()
    assert not parse_published("").known


def test_published_from_date_and_datetime_string() -> None:
    assert parse_published(date(2030, 1, 2)).day == date(2030, 1, 2)
    assert parse_published("2030-01-02T08:30:00").day == date(2030, 1, 2)


# ----------------------------------------------------------------------------- start dates


def test_weekday_evening_resolves_to_the_last_such_day() -> None:
    assert start_of(["La panne a été identifiée dimanche dans la soirée."]) == date(2030, 6, 9)


def test_weekday_on_publication_day_is_that_day() -> None:
    assert start_of(["La panne de vendredi a privé les clients de mails."]) == date(2030, 6, 14)


def test_ce_lundi() -> None:
    published = parse_published("2030-06-17")  # a Monday
    assert start_of(["Ce lundi, une panne a touché le réseau mobile."], published) == date(2030, 6, 17)


def test_day_and_month_without_year() -> None:
    assert start_of(["La panne a touché les clients le 21 mai, selon l'opérateur."]) == date(2030, 5, 21)


def test_day_month_after_publication_is_last_year() -> None:
    assert start_of(["La panne a touché les clients le 21 septembre."]) == date(2029, 9, 21)


def test_weekday_with_day_and_month() -> None:
    assert start_of(["Les appels ont été perturbés mercredi 12 juin, entre 18 heures et minuit."]) == date(
        2030, 6, 12
    )


def test_last_weekend_is_its_sunday() -> None:
    assert start_of(["Le prestataire paralyse les titres depuis le week-end dernier."]) == date(2030, 6, 9)


def test_hier() -> None:
    assert start_of(["Le réseau est tombé en panne hier soir."]) == date(2030, 6, 13)


def test_depuis_weekday_day_month_noon() -> None:
    published = parse_published("2030-12-01")
    assert start_of(["Le trafic est interrompu depuis dimanche 1er décembre midi."], published) == date(
        2030, 12, 1
    )


def test_earliest_incident_day_wins() -> None:
    sentences = [
        "Le ministre a qualifié ce jeudi 13 juin la panne d'inacceptable.",
        "Les appels ont été entravés mercredi 12 juin au soir.",
    ]
    assert start_of(sentences) == date(2030, 6, 12)


def test_dateline_is_not_the_start() -> None:
    sentences = ["Publié le 14 juin 2030 à 13:30", "Le réseau a été coupé lundi matin."]
    assert start_of(sentences) == date(2030, 6, 10)


def test_still_down_day_is_not_the_start() -> None:
    sentences = [
        "Les pompiers sont intervenus mercredi 12 juin vers 19h00 sur le site.",
        "Nous ne prévoyons pas de redémarrer les serveurs aujourd'hui.",
    ]
    assert start_of(sentences) == date(2030, 6, 12)


def test_end_date_when_stated() -> None:
    sentences = [
        "Les numéros d'urgence étaient inaccessibles le 2 juin 2030 à partir de 16h45.",
        "C'est le 3 juin 2030 au matin que les numéros ont été rétablis.",
    ]
    start, end, evidence = resolve_incident_dates(sentences, PublishedDate())
    assert (start, end) == (date(2030, 6, 2), date(2030, 6, 3))
    assert evidence == sentences


def test_night_flag() -> None:
    mentions = find_dates("La panne est survenue dans la nuit de lundi à mardi.", FRIDAY)
    assert [(m.value, m.night) for m in mentions] == [(date(2030, 6, 11), True)]


def test_night_range_with_days() -> None:
    mentions = find_dates("Dans la nuit du vendredi 7 au samedi 8 juin 2030, un écran noir.", FRIDAY)
    assert [(m.value, m.night, m.role) for m in mentions] == [(date(2030, 6, 8), True, "start")]


# ----------------------------------------------------------------------------- partial or missing publication date


def test_explicit_date_works_without_publication_date() -> None:
    assert start_of(["La panne a touché le réseau le 2 juin 2021."], PublishedDate()) == date(2021, 6, 2)


def test_weekday_alone_without_publication_date_is_unknown() -> None:
    assert start_of(["La panne a touché le réseau mercredi."], PublishedDate()) is None


def test_dateline_stands_for_a_missing_publication_date() -> None:
    sentences = ["publié le 12 octobre 2011 à 13h06", "Le réseau a été perturbé lundi matin."]
    assert start_of(sentences, PublishedDate()) == date(2011, 10, 10)


def test_year_from_another_full_date_in_the_text() -> None:
    sentences = ["Les numéros étaient inaccessibles mercredi 2 juin au soir.", "Le 3 juin 2021, tout est rétabli."]
    assert start_of(sentences, PublishedDate()) == date(2021, 6, 2)


def test_month_only_publication_resolves_a_full_date() -> None:
    published = parse_published("2024-03")
    assert start_of(["Les paiements ont été refusés mardi 5 mars 2024."], published) == date(2024, 3, 5)
    assert start_of(["Les paiements ont été refusés le 5 mars."], published) == date(2024, 3, 5)


def test_month_only_publication_and_weekday_alone_is_unknown() -> None:
    assert start_of(["Les paiements ont été refusés mardi."], parse_published("2024-03")) is None


# ----------------------------------------------------------------------------- not dates


@pytest.mark.parametrize(
    "sentence",
    [
        "Le service ne reviendra pas avant 8 à 10 jours.",
        "La panne a duré trois jours.",
        "Les équipes ont 48 heures pour rétablir le service.",
    ],
)
def test_durations_are_not_dates(sentence: str) -> None:
    assert find_dates(sentence, FRIDAY) == []


def test_years_and_months_are_not_days() -> None:
    mentions = find_dates("En 2009, puis en octobre 2011, le réseau était tombé.", FRIDAY)
    assert [(m.value, m.precision) for m in mentions] == [
        (date(2009, 1, 1), "year"),
        (date(2011, 10, 1), "month"),
    ]
    assert start_of(["En octobre 2011, le réseau était tombé."]) is None


def test_il_y_a_trois_ans_is_a_year_offset_not_a_day() -> None:
    assert start_of(["La même panne avait eu lieu il y a trois ans."]) is None


def test_il_y_a_trois_jours() -> None:
    assert start_of(["La panne a commencé il y a trois jours."]) == date(2030, 6, 11)


# ----------------------------------------------------------------------------- times of day


@pytest.mark.parametrize(
    ("text", "expected"),
    [("9h40", 9.67), ("20 h 30", 20.5), ("18 heures", 18), ("midi", 12), ("13:30", 13.5),
     ("8 heures du soir", 20)],
)
def test_parse_clock(text: str, expected: float) -> None:
    assert parse_clock(text) == pytest.approx(expected, abs=0.01)


def test_midnight_depends_on_its_use() -> None:
    assert parse_clock("minuit") == 0
    assert parse_clock("minuit", midnight=24.0) == 24


def test_find_times_keeps_clocks_and_introduced_parts_of_day() -> None:
    times = find_times("À 6 heures du matin le réseau tombe; en fin d'après-midi il est toujours coupé.")
    assert [(t.text, t.hour_min, t.hour_max, t.precise) for t in times] == [
        ("6 heures du matin", 6, 6, True),
        ("en fin d'après-midi", 16, 18, False),
    ]


def test_duration_in_hours_is_not_a_time() -> None:
    assert find_times("La panne a duré pendant 2 heures.") == []


def test_apres_midi_is_not_noon() -> None:
    assert [t.text for t in find_times("Le serveur était hors service lundi après-midi.")] == [
        "lundi après-midi"
    ]


# ----------------------------------------------------------------------------- earlier incidents


def test_this_weekend_published_on_saturday_is_that_day() -> None:
    saturday = parse_published("2030-06-15")
    assert start_of(["Ce week-end, les clients n'ont pas pu payer par carte."], saturday) == date(2030, 6, 15)


@pytest.mark.parametrize(
    "sentence",
    [
        "Une précédente panne avait eu lieu le 12 mai 2030.",
        "Ce n'est pas la première fois que le réseau tombe.",
        "En octobre 2011, une panne mondiale avait privé les clients de mails.",
        "En 2009, les utilisateurs s'étaient retrouvés sans service.",
    ],
)
def test_recalls_of_earlier_incidents(sentence: str) -> None:
    assert is_background(sentence, FRIDAY)


def test_the_incident_itself_is_not_background() -> None:
    assert not is_background("Le service a été interrompu le 3 juin 2030.", FRIDAY)


def test_start_ignores_an_earlier_incident_recalled() -> None:
    sentences = [
        "Le service a été interrompu le 3 juin 2030.",
        "Une précédente panne avait eu lieu le 12 mai 2030.",
    ]
    assert start_of(sentences) == date(2030, 6, 3)


def test_depuis_names_the_start_over_other_days() -> None:
    sentences = [
        "Les clients de la banque sont privés de leurs comptes depuis lundi matin.",
        "Les soldes affichés sont ceux de vendredi soir.",
    ]
    assert start_of(sentences) == date(2030, 6, 10)


def test_day_of_the_change_that_caused_it_is_not_the_start() -> None:
    sentences = [
        "La messagerie était inaccessible lundi matin.",
        "L'éditeur attribue la panne à une mise à jour déployée dimanche soir.",
    ]
    assert start_of(sentences) == date(2030, 6, 10)


# ----------------------------------------------------------------------------- day ranges


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Une panne a privé d'internet les abonnés du 3 au 5 juin.", (date(2030, 6, 3), date(2030, 6, 5))),
        ("Le réseau a été coupé du lundi 3 au mercredi 5 juin.", (date(2030, 6, 3), date(2030, 6, 5))),
        ("Le site a été inaccessible entre le 30 mai et le 2 juin.", (date(2030, 5, 30), date(2030, 6, 2))),
        ("Les terminaux de paiement étaient en panne de lundi à mercredi.", (date(2030, 6, 10), date(2030, 6, 12))),
        ("La messagerie a été perturbée du mardi au jeudi.", (date(2030, 6, 11), date(2030, 6, 13))),
        ("Les clients n'ont pu ni payer ni retirer d'espèces de mardi matin à mercredi soir.",
         (date(2030, 6, 11), date(2030, 6, 12))),
    ],
)
def test_a_day_range_gives_the_start_and_the_end(sentence: str, expected: tuple[date, date]) -> None:
    assert resolve_incident_dates([sentence], FRIDAY)[:2] == expected


def test_a_day_range_of_something_else_gives_no_end() -> None:
    assert resolve_incident_dates(["Le salon se tient du 3 au 5 juin."], FRIDAY)[:2] == (date(2030, 6, 3), None)


def test_a_night_range_stays_one_night() -> None:
    mentions = find_dates("Le réseau a été coupé dans la nuit du 3 au 4 juin.", FRIDAY)
    assert [(m.value, m.night) for m in mentions] == [(date(2030, 6, 4), True)]


def test_the_day_of_a_statement_is_not_the_start() -> None:
    sentences = ["Coup de théâtre mercredi soir pour les téléspectateurs.",
                 "La chaîne a expliqué jeudi qu'une coupure d'électricité avait interrompu la diffusion."]
    assert start_of(sentences) == date(2030, 6, 12)


def test_a_statement_day_alone_still_dates_the_incident() -> None:
    assert start_of(["L'opérateur a annoncé jeudi une panne de son réseau mobile."]) == date(2030, 6, 13)
