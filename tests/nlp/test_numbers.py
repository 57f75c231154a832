"""French numbers in words and digits, as durations and counts are written in the press."""

from __future__ import annotations

import re

import pytest
from pannes.nlp.numbers import NUMBER_PATTERN, is_approximate, parse_french_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("deux", 2),
        ("douze", 12),
        ("quinze", 15),
        ("vingt-quatre", 24),
        ("vingt et un", 21),
        ("soixante et onze", 71),
        ("soixante-dix-sept", 77),
        ("quatre-vingts", 80),
        ("quatre-vingt-dix", 90),
        ("deux cents", 200),
        ("mille deux cents", 1200),
        ("une", 1),
        ("Trois", 3),
    ],
)
def test_number_words(text: str, expected: float) -> None:
    assert parse_french_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("une dizaine", 10), ("une douzaine", 12), ("une quinzaine", 15), ("une vingtaine", 20),
     ("une centaine", 100)],
)
def test_round_approximations(text: str, expected: float) -> None:
    assert parse_french_number(text) == expected
    assert is_approximate(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("48", 48), ("1,5", 1.5), ("50.000", 50000), ("7\u202f000", 7000), ("1 000", 1000), ("1er", 1)],
)
def test_digits_with_french_separators(text: str, expected: float) -> None:
    assert parse_french_number(text) == expected


@pytest.mark.parametrize("text", ["", "panne", "5G", "deux-roues"])
def test_not_a_number(text: str) -> None:
    assert parse_french_number(text) is None


def test_pattern_finds_numbers_inside_a_sentence() -> None:
    sentence = "La coupure a duré vingt-quatre heures pour une quinzaine de clients."
    found = [m.group(0) for m in re.finditer(rf"(?<![\w-]){NUMBER_PATTERN}(?![\w-])", sentence)]
    assert "vingt-quatre" in found
    assert "une quinzaine" in found
