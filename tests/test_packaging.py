"""The built wheel carries every package and data file the commands need outside the repo."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

pytestmark = pytest.mark.slow

NEEDED = [
    "pannes/cli.py",
    "pannes/defaults.toml",
    "crawler/sources.toml",
    "crawler/spiders/__init__.py",
    "nlp/data/vendors.jsonl",
    "store/schema.py",
    "incidents/regroup.py",
    "dashboard/app.py",
    "dashboard/views/chronologie.py",
    "demo/corpus/articles.jsonl",
    "demo/corpus/outlets.json",
    "demo/vendors.jsonl",
]


def test_wheel_contains_packages_and_data(tmp_path, project_root):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", str(tmp_path), str(project_root)],
        check=True, capture_output=True, timeout=300,
    )
    wheel = next(tmp_path.glob("pannes-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [path for path in NEEDED if path not in names]
    assert not missing
    assert any(n.startswith("demo/templates/") and n.endswith(".html") for n in names)
    assert not any(n.startswith("tests/") or n.startswith("bench/") for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "pannes = pannes.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
