"""Per-article prediction snapshots: a change to the tagger shows which article moved, and on
which field, for the seeds, the real dev set, the demo corpus and the three probe sets.

The snapshots (tests/nlp/snapshots/*.jsonl) hold article ids and predicted fields, never a
text. A difference fails the test with one line per article and field; when the change is
intended, write the new snapshots with

    PANNES_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/nlp/test_snapshots.py

and commit them with the change, so the diff of the commit shows what moved.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pannes.nlp.evaluate import french_items, snapshot_changes, snapshot_row, tag_items
from pannes.nlp.tagger import Tagger

pytestmark = pytest.mark.slow

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "nlp"


def _check(name: str, gold_paths: list[Path], tagger: Tagger) -> None:
    items = french_items(gold_paths)
    rows = [snapshot_row(i.key, tags) for i, tags in zip(items, tag_items(items, tagger), strict=True)]
    path = SNAPSHOTS / f"{name}.jsonl"
    if os.environ.get("PANNES_UPDATE_SNAPSHOTS") == "1":
        path.write_text("".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows),
                        encoding="utf-8")
    old = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    changes = snapshot_changes(old, rows)
    assert not changes, f"{len(changes)} predictions moved in {name} (see the module's docstring " \
                        "to accept them):\n" + "\n".join(changes)


@pytest.mark.parametrize("name", ["probe", "probe2", "probe3"])
def test_probe_snapshots(name: str, tagger: Tagger) -> None:
    _check(name, [FIXTURES / f"{name}.jsonl"], tagger)


def test_demo_corpus_snapshot(project_root: Path) -> None:
    tagger = Tagger.load(extra_vendor_files=[project_root / "demo" / "vendors.jsonl"])
    _check("demo", [project_root / "demo" / "corpus" / "articles.jsonl"], tagger)


@pytest.mark.parametrize("name, relative", [("seeds", "seeds/gold.jsonl"), ("dev", "eval/dev.jsonl")])
def test_shared_snapshots(name: str, relative: str, tagger: Tagger, shared_dir: Path) -> None:
    _check(name, [shared_dir / relative], tagger)


def test_a_moved_field_is_named_with_its_article() -> None:
    old = [{"id": "a", "vendors": ["Orange"], "impact": []}, {"id": "b", "vendors": []}]
    new = [{"id": "a", "vendors": ["SFR"], "impact": []}, {"id": "c", "vendors": []}]
    assert snapshot_changes(old, new) == ["a: vendors ['Orange'] -> ['SFR']", "b: gone",
                                          "c: not in the snapshot"]
