"""The built wheel installs one top-level name, `pannes`, and every file the commands read."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

# Folder in the repository -> where its files land in the wheel.
FOLDERS = {
    "pannes": "pannes",
    "crawler": "pannes/crawler",
    "nlp": "pannes/nlp",
    "store": "pannes/store",
    "incidents": "pannes/incidents",
    "dashboard": "pannes/dashboard",
    "demo": "pannes/demo",
}


def _tracked_files(project_root: Path, folder: str) -> list[str]:
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", folder],
                         cwd=project_root, check=True, capture_output=True, text=True).stdout
    return [line for line in out.splitlines()
            if line and (project_root / line).is_file()]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory, project_root) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
         str(project_root)],
        check=True, capture_output=True, timeout=300,
    )
    return zipfile.ZipFile(next(out.glob("pannes-*.whl")))


def test_wheel_top_level_is_pannes_alone(wheel):
    tops = {name.split("/", 1)[0] for name in wheel.namelist()}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"pannes"}
    top_level = next(n for n in wheel.namelist() if n.endswith("top_level.txt"))
    assert wheel.read(top_level).decode().split() == ["pannes"]


def test_wheel_holds_every_file_of_the_stage_folders(wheel, project_root):
    if not (project_root / ".git").exists():
        pytest.skip("not a git checkout: the tracked files cannot be listed")
    names = set(wheel.namelist())
    missing = []
    for folder, target in FOLDERS.items():
        for path in _tracked_files(project_root, folder):
            inside = path[len(folder):]
            if f"{target}{inside}" not in names:
                missing.append(path)
    assert missing == []
    assert not any(n.startswith(("tests/", "bench/")) for n in names)


def test_wheel_entry_point_is_the_app_cli(wheel):
    entry_points = next(n for n in wheel.namelist() if n.endswith("entry_points.txt"))
    assert "pannes = pannes.app.cli:main" in wheel.read(entry_points).decode()
