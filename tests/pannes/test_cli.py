"""The `pannes` command: every command has help, is documented, and user mistakes read well."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from pannes.app.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]


def command_names() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)


def test_every_area_registers_its_commands():
    names = set(command_names())
    expected = {"crawl", "sources", "import-warc", "import-urls", "tag", "tag-text", "eval",
                "group", "correct", "vendors", "export", "feed", "search", "reindex", "update",
                "demo", "demo-site", "dashboard"}
    assert expected <= names


@pytest.mark.parametrize("name", command_names())
def test_every_command_has_plain_help(name, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([name, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: pannes {name}")
    assert "--db PATH" in out  # the common options are there too


@pytest.mark.parametrize("name", command_names())
def test_every_command_is_documented_in_the_readme(name):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"`pannes {re.escape(name)}\b", readme), f"README does not document {name}"


def test_unknown_option_is_a_usage_error_without_traceback(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["search", "--colour", "rouge", "panne"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "unrecognized arguments: --colour" in err
    assert err.startswith("usage: pannes search ")  # the command's usage, not the top level
    assert "Traceback" not in err


@pytest.mark.parametrize("value", ["99999", "-1", "huit"])
def test_a_demo_site_port_out_of_range_is_a_usage_error(capsys, value):
    with pytest.raises(SystemExit) as exit_info:
        main(["demo-site", "--base-port", value])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "not a first port" in err and "Traceback" not in err


@pytest.mark.parametrize("argv", [
    ["search", "panne"],
    ["tag"],
    ["group"],
    ["vendors"],
    ["export", "incidents", "--format", "csv"],
])
def test_missing_database_says_how_to_fill_one(tmp_path, capsys, argv):
    db = tmp_path / "nowhere.db"
    code = main([*argv, "--db", str(db)])
    err = capsys.readouterr().err
    assert code == 66, err
    assert "No pannes database" in err and "pannes crawl" in err
    assert not db.exists()  # nothing created by a read command


def test_errors_reach_the_terminal_without_traceback(tmp_path):
    """Seen as a user sees it: a real process, its stderr and exit code."""
    result = subprocess.run(
        [sys.executable, "-m", "pannes.app.cli", "search", "panne", "--db", str(tmp_path / "x.db")],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert result.returncode == 66
    assert result.stderr.startswith("pannes: error: No pannes database")
    assert "Traceback" not in result.stderr


def test_no_command_prints_help(capsys):
    assert main([]) == 2
    assert "commands:" in capsys.readouterr().out
