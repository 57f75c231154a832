"""The local editors file and `pannes editors add|remove|list`."""

from __future__ import annotations

import io
import multiprocessing
import os
import pty
import select
import stat
import sys
import time

import pytest

from pannes.app.cli import main
from pannes.editors import EditorsFile
from pannes.errors import UserInputError


def test_a_password_is_kept_as_an_argon2_hash_only_its_owner_reads(tmp_path):
    editors = EditorsFile(tmp_path / "conf" / "editors.txt")
    assert editors.add("Camille Martin", "une phrase de passe") is True
    text = editors.path.read_text(encoding="utf-8")
    assert "une phrase de passe" not in text
    assert "Camille Martin:$argon2id$" in text
    assert stat.S_IMODE(editors.path.stat().st_mode) == 0o600
    assert editors.verify("Camille Martin", "une phrase de passe")
    assert not editors.verify("Camille Martin", "une phrase de passe ")
    assert not editors.verify("Léa", "une phrase de passe")
    # A new password replaces the old one.
    assert editors.add("Camille Martin", "une autre phrase") is False
    assert not editors.verify("Camille Martin", "une phrase de passe")
    assert editors.verify("Camille Martin", "une autre phrase")
    editors.remove("Camille Martin")
    assert editors.names() == [] and not editors.verify("Camille Martin", "une autre phrase")


@pytest.mark.parametrize("name", ["", "  ", "camille@redaction.fr", "a:b", "-camille",
                                  "x" * 65, "nom\nautre"])
def test_names_that_could_pass_for_something_else_are_refused(tmp_path, name):
    with pytest.raises(UserInputError):
        EditorsFile(tmp_path / "e.txt").add(name, "une phrase de passe")
    assert not (tmp_path / "e.txt").exists()


def test_short_or_multiline_passwords_are_refused(tmp_path):
    editors = EditorsFile(tmp_path / "e.txt")
    for password in ("court", "deux\nlignes de passe"):
        with pytest.raises(UserInputError):
            editors.add("camille", password)
    assert editors.names() == []


def _add_many(path: str, prefix: str, start, count: int) -> None:
    start.wait()
    editors = EditorsFile(path)
    for n in range(count):
        editors.add(f"{prefix}{n}", "une phrase de passe")


def test_editors_added_by_processes_at_once_are_all_kept(tmp_path):
    path = str(tmp_path / "e.txt")
    context = multiprocessing.get_context("fork")
    start = context.Barrier(4)
    workers = [context.Process(target=_add_many, args=(path, f"p{i}-", start, 8))
               for i in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert len(EditorsFile(path).names()) == 32


def test_add_reads_the_password_from_stdin_and_remove_takes_it_away(tmp_path, monkeypatch,
                                                                     capsys):
    path = tmp_path / "e.txt"
    monkeypatch.setenv("PANNES_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv("PANNES_EDITORS_FILE", str(path))  # the configured place
    monkeypatch.setattr(sys, "stdin", io.StringIO("une phrase de passe\n"))
    assert main(["editors", "add", "camille"]) == 0
    assert EditorsFile(path).verify("camille", "une phrase de passe")
    assert main(["editors", "list"]) == 0
    assert capsys.readouterr().out == "camille\n"
    assert main(["editors", "remove", "camille"]) == 0
    assert EditorsFile(path).names() == []
    assert main(["editors", "remove", "camille"]) == UserInputError.exit_code
    assert "No editor named 'camille'" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO("court\n"))
    assert main(["editors", "add", "camille", "--editors-file", str(tmp_path / "b.txt")]) == 65
    assert "too short" in capsys.readouterr().err
    assert not (tmp_path / "b.txt").exists()


def _read_until(fd: int, wanted: bytes, timeout: float = 60.0) -> bytes:
    out = b""
    deadline = time.monotonic() + timeout
    while wanted not in out and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 1024)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    return out


def test_at_a_terminal_the_password_is_asked_twice_without_echo(tmp_path):
    path = tmp_path / "e.txt"
    env = dict(os.environ, PANNES_CONFIG=str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("", encoding="utf-8")
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real command, on a terminal
        os.execve(sys.executable, [sys.executable, "-m", "pannes.app.cli", "editors", "add",
                                   "camille", "--editors-file", str(path)], env)
    seen = _read_until(fd, b"Password for camille: ")
    os.write(fd, b"une phrase de passe\n")
    seen += _read_until(fd, b"Same password again: ")
    os.write(fd, b"une phrase de passe\n")
    seen += _read_until(fd, b"Added editor")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, seen
    assert b"une phrase de passe" not in seen  # never echoed
    assert EditorsFile(path).verify("camille", "une phrase de passe")


def test_dashboard_help_explains_editors_instead_of_sharing_an_editable_dashboard(capsys):
    with pytest.raises(SystemExit):
        main(["dashboard", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "share it on the network" not in text
    assert "pannes editors add" in text
    assert "[auth]" in text and "dashboard.oidc_editors" in text
    assert "read-only" in text
