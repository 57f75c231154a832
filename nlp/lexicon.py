"""Read and write the JSONL data files (vendor base, cue lexicons) the components load."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)


def packaged_data(name: str) -> Path:
    """Path of a data file shipped in `nlp/data/`."""
    return Path(str(resources.files("pannes.nlp").joinpath("data", name)))


def read_jsonl(path: Path | str) -> list[dict[str, Any]]:
    """Rows of a JSONL file; blank lines and `//` comment lines are skipped."""
    rows: list[dict[str, Any]] = []
    with Path(path).open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: not valid JSON ({exc})") from None
    return rows


def write_jsonl(path: Path | str, rows: Iterable[dict[str, Any]]) -> None:
    """Write rows as JSONL (UTF-8, one object a line)."""
    with Path(path).open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def load_rows(data_file: str | Path | None, default_name: str) -> list[dict[str, Any]]:
    """Rows from `data_file`, or from the packaged default when it is empty."""
    path = Path(data_file) if data_file else packaged_data(default_name)
    return read_jsonl(path)
