"""The tag stage remembers the extra vendor bases a database was tagged with."""

from __future__ import annotations

import json
from datetime import date

import pytest
from pannes.store import open_store

from pannes.app.cli import main
from pannes.app.stages import VENDOR_FILES_KEY, store_vendor_files
from pannes.records import Article

VENDOR = {"name": "Zorbatel Services", "aliases": ["Zorbatel"], "sector": "it_services",
          "country": "FR"}


def vendor_file(path):
    path.write_text(json.dumps(VENDOR, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_vendor_files_given_once_are_remembered_and_vanished_ones_skipped(make_store, tmp_path):
    store = make_store()
    first, second = vendor_file(tmp_path / "a.jsonl"), vendor_file(tmp_path / "b.jsonl")
    assert store_vendor_files(store, [first]) == [first.resolve()]
    assert store_vendor_files(store) == [first.resolve()]  # remembered
    assert store_vendor_files(store, [second]) == [second.resolve(), first.resolve()]
    first.unlink()
    notes: list[str] = []
    assert store_vendor_files(store, progress=notes.append) == [second.resolve()]
    assert notes and "is gone" in notes[0] and str(first.resolve()) in notes[0]
    assert json.loads(store.get_meta(VENDOR_FILES_KEY)) == [str(second.resolve()),
                                                            str(first.resolve())]


@pytest.mark.slow
def test_a_retag_keeps_the_vendors_of_a_file_given_only_at_the_first_tagging(tmp_path, capsys,
                                                                            monkeypatch):
    config = tmp_path / "none.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("PANNES_CONFIG", str(config))
    db = tmp_path / "pannes.db"
    with open_store(db) as store:
        store.upsert_article(Article(
            url="https://octet.example.fr/zorbatel", source="Octet Hebdo", language="fr",
            title="Panne chez Zorbatel : les logiciels de paie inaccessibles",
            text="Une panne chez Zorbatel a rendu inaccessibles les logiciels de paie de "
                 "centaines d'entreprises pendant toute la journée de lundi. Zorbatel a "
                 "reconnu une défaillance de ses serveurs.",
            published=date(2026, 3, 3)))
    assert main(["tag", "--db", str(db), "--vendors", str(vendor_file(tmp_path / "v.jsonl"))]) == 0
    assert main(["tag", "--db", str(db), "--retag"]) == 0
    capsys.readouterr()
    with open_store(db) as store:
        tags = store.get_tags(store.find_article("https://octet.example.fr/zorbatel").id)
    assert tags.vendors == ["Zorbatel Services"]
