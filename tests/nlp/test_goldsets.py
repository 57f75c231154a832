"""Gold files: inline text, `file` relative to the set, gold at the top level or under `gold`."""

from __future__ import annotations

from pathlib import Path

import pytest
from pannes.nlp.goldsets import load_gold

from pannes.errors import UserInputError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "nlp"


def test_both_layouts() -> None:
    items = load_gold(FIXTURES / "gold_small.jsonl")
    assert [i.key for i in items] == ["inline-outage", "negative_match.txt", "demo-style"]
    assert items[1].text.startswith("Le FC Lorient")
    assert items[1].published == "2024-03"
    assert items[2].published == "2024-03-12"
    assert items[2].gold["vendors"] == ["Postix"]
    assert items[0].title.startswith("Panne chez Nuagix")


def test_missing_file_is_a_user_error(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"file": "absent.txt", "is_outage": false}\n', encoding="utf-8")
    with pytest.raises(UserInputError, match="absent.txt"):
        load_gold(gold)
    with pytest.raises(UserInputError, match="not found"):
        load_gold(tmp_path / "nothing.jsonl")
