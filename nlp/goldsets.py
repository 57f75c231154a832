"""Read annotated sets: JSONL lines with `text` (or `file`, relative to the set) and gold fields.

Two layouts are accepted: gold fields at the top level (../shared seeds and dev set) or under
`gold` (the demo corpus, whose `published` is "YYYY-MM-DDTHH:MM").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pannes.errors import UserInputError


@dataclass(frozen=True)
class GoldItem:
    """One annotated article."""

    key: str  # its id, else its file name, else its line number
    text: str
    title: str | None
    published: str | None
    gold: dict[str, Any]
    language: str | None = None


def load_gold(path: Path | str) -> list[GoldItem]:
    """The articles of a gold JSONL file, texts read from `file` when not inline."""
    path = Path(path)
    if not path.is_file():
        raise UserInputError(f"Gold file not found: {path}")
    items: list[GoldItem] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise UserInputError(f"{path}:{lineno}: not valid JSON ({exc})") from None
            text = row.get("text")
            if text is None and row.get("file"):
                text_path = path.parent / row["file"]
                if not text_path.is_file():
                    raise UserInputError(f"{path}:{lineno}: text file {text_path} not found")
                text = text_path.read_text(encoding="utf-8")
            if text is None:
                raise UserInputError(f"{path}:{lineno}: a gold line needs `text` or `file`")
            gold = row["gold"] if isinstance(row.get("gold"), dict) else row
            published = row.get("published")
            if isinstance(published, str) and "T" in published:
                published = published.split("T", 1)[0]
            key = str(row.get("id") or row.get("file") or lineno)
            items.append(GoldItem(key, text, row.get("title"), published, gold, row.get("language")))
    return items
