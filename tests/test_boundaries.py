"""The import boundaries of .importlinter hold, and a forbidden import breaks the check."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

COPIED = ["pannes", "crawler", "nlp", "store", "incidents", "dashboard", "demo", ".ci",
          "pyproject.toml", ".importlinter", "README.md"]


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    bin_dir = Path(sys.executable).parent
    return subprocess.run(["bash", str(root / ".ci" / "lint-imports")], cwd=root,
                          env={"BIN": str(bin_dir), "PATH": f"{bin_dir}:/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=300)


def test_the_project_keeps_its_boundaries(project_root):
    result = _lint(project_root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_tagger_module_importing_the_crawler_breaks_the_check(project_root, tmp_path):
    for name in COPIED:
        source = project_root / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, tmp_path / name)
    lexicon = tmp_path / "nlp" / "lexicon.py"
    lexicon.write_text(lexicon.read_text(encoding="utf-8")
                       + "\nfrom pannes.crawler import extract  # noqa: E402,F401\n",
                       encoding="utf-8")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "pannes.nlp.lexicon -> pannes.crawler.extract" in result.stdout
